//! The echo server example in a real window under a private Xvfb: many
//! clients connected at once are served by the loop thread while the window
//! keeps painting and answering keys; the Windows build does the same under
//! wine.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use oneloop::testing::xvfb::{self, Launched, Xdotool};

mod support;

const WAIT: Duration = Duration::from_secs(30);
const CLIENTS: usize = 50;

#[test]
fn the_echo_server_serves_many_clients_and_stays_responsive() {
    // Each counts the frames painted while it serves.
    let _alone = support::alone();
    const NAME: &str = "the_echo_server_serves_many_clients_and_stays_responsive";
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let mut app = Launched::example(&server, "echo_server", &[], &[]).unwrap();
    serve_many(&mut app, &xdo);
}

/// The Windows and macOS driver on Linux: winit is the master, and the
/// sockets wake it through the source watch.
#[test]
fn the_echo_server_serves_many_clients_with_the_pumped_driver() {
    // Each counts the frames painted while it serves.
    let _alone = support::alone();
    const NAME: &str = "the_echo_server_serves_many_clients_with_the_pumped_driver";
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let envs = [("ONELOOP_DRIVER", "pumped")];
    let mut app = Launched::example(&server, "echo_server", &[], &envs).unwrap();
    serve_many(&mut app, &xdo);
}

#[test]
fn the_echo_server_serves_many_clients_under_wine() {
    // Each counts the frames painted while it serves.
    let _alone = support::alone();
    const NAME: &str = "the_echo_server_serves_many_clients_under_wine";
    let Some((server, xdo)) = xvfb::wine_desktop_or_skip(NAME, &["echo_server"]) else {
        return;
    };
    let mut app = Launched::windows_example(&server, "echo_server", &[], &[]).unwrap();
    serve_many(&mut app, &xdo);
}

/// The `frame …` line's numbers: open, served, bytes in, bytes out.
fn frame_numbers(line: &str) -> Option<[u64; 4]> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["frame", "open", open, "served", served, "in", bytes_in, "out", bytes_out] => Some([
            open.parse().ok()?,
            served.parse().ok()?,
            bytes_in.parse().ok()?,
            bytes_out.parse().ok()?,
        ]),
        _ => None,
    }
}

fn serve_many(app: &mut Launched, xdo: &Xdotool) {
    let address = app.stdout.wait_for_value("listening on ", WAIT).unwrap();
    let window = xdo.search_pid(app.pid(), "Echo server", WAIT).unwrap();

    // Every client sends its own bytes and holds its connection open.
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let mut s = TcpStream::connect(&address).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        let data: Vec<u8> = (0..1000 + i).map(|j| (i + j) as u8).collect();
        s.write_all(&data).unwrap();
        clients.push((s, data));
    }
    for (s, data) in &mut clients {
        let mut back = vec![0; data.len()];
        s.read_exact(&mut back).unwrap();
        assert!(back == *data, "an echo came back changed");
    }
    let total: u64 = clients.iter().map(|(_, d)| d.len() as u64).sum();
    let all_open = app
        .stdout
        .wait_for(
            |l| frame_numbers(l).is_some_and(|n| n[0] == CLIENTS as u64 && n[2] == total),
            WAIT,
        )
        .unwrap();
    assert_eq!(frame_numbers(&all_open).unwrap()[3], total, "{all_open}");

    // With all of them connected the spinner turns: frames keep coming,
    // and a key is handled at once.
    let started = Instant::now();
    let mut frames = 0;
    while started.elapsed() < Duration::from_millis(500) {
        app.stdout
            .wait_for(|l| l.starts_with("frame open"), WAIT)
            .unwrap();
        frames += 1;
    }
    assert!(frames >= 10, "{frames} frames in half a second of serving");
    xdo.focus(window).unwrap();
    let pressed = Instant::now();
    xdo.key("a").unwrap();
    app.stdout
        .wait_for(|l| l == "key Character(\"a\")", WAIT)
        .unwrap();
    assert!(pressed.elapsed() < Duration::from_secs(2));

    // They leave; the list empties and every one counts as served.
    for (s, _) in &clients {
        s.shutdown(Shutdown::Write).unwrap();
    }
    for (s, _) in &mut clients {
        let mut rest = [0; 8];
        assert_eq!(
            s.read(&mut rest).unwrap(),
            0,
            "the server closed after the client"
        );
    }
    app.stdout
        .wait_for(
            |l| frame_numbers(l).is_some_and(|n| n[0] == 0 && n[1] == CLIENTS as u64),
            WAIT,
        )
        .unwrap();
}
