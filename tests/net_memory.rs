//! What an open, idle connection costs the app, and that closing gives
//! every descriptor back. Its own test binary, so no other test allocates
//! in the process while memory is measured.

// /proc is Linux's.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "support/net.rs"]
mod net_support;

use std::net::{SocketAddr, TcpListener as StdListener};
use std::thread;
use std::time::Duration;

use net_support::run_app;
use oneloop::net::{ConnId, NetEvent};
use oneloop::{App, Cx, Event, Lifecycle, Settings};

const COUNT: usize = 1000;

fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[derive(Debug)]
enum Msg {
    Net(ConnId, NetEvent),
}

/// Opens `COUNT` connections, measures once all are up, closes them all,
/// measures the descriptors again, quits.
struct Idle {
    server: SocketAddr,
    open: Vec<ConnId>,
    rss_before: u64,
    rss_open: u64,
    fds_before: usize,
    fds_open: usize,
    fds_after: usize,
}

impl App for Idle {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                self.rss_before = vm_rss_kib();
                self.fds_before = open_fds();
                for _ in 0..COUNT {
                    cx.connect(self.server.to_string(), Duration::from_secs(10), Msg::Net);
                }
            }
            Event::Io(Msg::Net(conn, NetEvent::Connected { .. })) => {
                self.open.push(conn);
                if self.open.len() == COUNT {
                    self.rss_open = vm_rss_kib();
                    self.fds_open = open_fds();
                    for conn in self.open.drain(..) {
                        cx.close(conn);
                    }
                    self.fds_after = open_fds();
                    cx.quit();
                }
            }
            Event::Io(Msg::Net(_, NetEvent::Failed(e))) => panic!("{e}"),
            _ => {}
        }
    }
}

#[test]
fn an_idle_connection_costs_little_and_closing_returns_every_descriptor() {
    let listener = StdListener::bind(("127.0.0.1", 0)).unwrap();
    let server = listener.local_addr().unwrap();
    thread::spawn(move || {
        // Hold the server's ends open; they live in this process too, so
        // they are counted in the descriptors (but cost no heap to speak of).
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept() {
            held.push(s);
        }
    });
    let app = Idle {
        server,
        open: Vec::new(),
        rss_before: 0,
        rss_open: 0,
        fds_before: 0,
        fds_open: 0,
        fds_after: 0,
    };
    let app = run_app(app, Settings::headless());
    let per_conn = (app.rss_open.saturating_sub(app.rss_before)) * 1024 / COUNT as u64;
    eprintln!(
        "{COUNT} idle connections: {per_conn} bytes of resident memory each; \
         descriptors {} -> {} -> {}",
        app.fds_before, app.fds_open, app.fds_after
    );
    // Goal: at most 16 KiB of the app's own memory per idle connection.
    assert!(
        per_conn <= 16 * 1024,
        "{per_conn} bytes per idle connection"
    );
    // Our 1000 client ends (the server's are still held by its thread).
    assert!(
        app.fds_open >= app.fds_before + COUNT,
        "{} descriptors open after {COUNT} connections, {} before",
        app.fds_open,
        app.fds_before
    );
    assert!(
        app.fds_after + COUNT <= app.fds_open,
        "closing left descriptors open: {} before, {} open, {} after",
        app.fds_before,
        app.fds_open,
        app.fds_after
    );
}
