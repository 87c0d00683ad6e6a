//! UDP on the one loop: datagrams round trip, and one longer than the
//! receive buffer is reported, not silently cut.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "support/net.rs"]
mod net_support;

use std::net::{SocketAddr, UdpSocket as StdUdp};
use std::thread;
use std::time::Duration;

use net_support::run_task;
use oneloop::net::{NetError, UdpSocket};

fn loopback() -> SocketAddr {
    ([127, 0, 0, 1], 0).into()
}

/// A std UDP echo server answering `count` datagrams.
fn echo_server(count: usize) -> SocketAddr {
    let socket = StdUdp::bind(loopback()).unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0; 65_536];
        for _ in 0..count {
            let (n, from) = socket.recv_from(&mut buf).unwrap();
            socket.send_to(&buf[..n], from).unwrap();
        }
    });
    addr
}

#[test]
fn datagrams_round_trip() {
    let server = echo_server(3);
    let got = run_task(move || async move {
        let mut socket = UdpSocket::bind(loopback())?;
        let mut answers = Vec::new();
        for text in ["one", "two", "three"] {
            socket.send_to(text.as_bytes(), server).await?;
            let mut buf = [0; 64];
            let (n, from) = socket.recv_from(&mut buf).await?;
            assert_eq!(from, server);
            answers.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        Ok::<_, NetError>(answers)
    })
    .unwrap();
    assert_eq!(got, ["one", "two", "three"]);
}

#[test]
fn a_datagram_larger_than_the_buffer_is_reported_and_the_next_one_arrives() {
    let sender = StdUdp::bind(loopback()).unwrap();
    let (to_tx, to_rx) = std::sync::mpsc::channel::<SocketAddr>();
    thread::spawn(move || {
        let to = to_rx.recv().unwrap();
        sender.send_to(&[7; 2000], to).unwrap();
        thread::sleep(Duration::from_millis(50));
        sender.send_to(b"small", to).unwrap();
    });
    let (first, second) = run_task(move || async move {
        let mut socket = UdpSocket::bind(loopback()).unwrap();
        to_tx.send(socket.local_addr().unwrap()).unwrap();
        let mut buf = [0; 512];
        let first = socket.recv_from(&mut buf).await.map(|(n, _)| n);
        let second = socket
            .recv_from(&mut buf)
            .await
            .map(|(n, _)| buf[..n].to_vec());
        (first, second)
    });
    match first {
        Err(NetError::DatagramTooLarge { capacity, .. }) => assert_eq!(capacity, 512),
        other => panic!("expected DatagramTooLarge, got {other:?}"),
    }
    assert_eq!(second.unwrap(), b"small");
}
