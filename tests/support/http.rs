//! A tiny HTTP/1.1 server on loopback for tests: each path answers with a
//! scripted behaviour (a normal reply, silence, a slow trickle, a reset...),
//! and it counts the connections it accepted.

#![allow(dead_code, reason = "each test binary uses the part it needs")]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// What the server does for one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Send these bytes (a whole response) and keep the connection.
    Raw(Vec<u8>),
    /// Send these bytes and close the connection.
    RawThenClose(Vec<u8>),
    /// Never answer; hold the connection open until the client leaves.
    Silent,
    /// Send `head`, then `body` one byte every `every`.
    Trickle {
        head: Vec<u8>,
        body: Vec<u8>,
        every: Duration,
    },
    /// Send these bytes, then reset the connection (RST, not FIN).
    ResetAfter(Vec<u8>),
}

impl Reply {
    /// A 200 with `body` and its content-length.
    pub fn ok(body: &[u8]) -> Reply {
        Reply::with_status(200, &[], body)
    }

    /// Any status, extra header lines and a content-length body.
    pub fn with_status(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
        for (n, v) in headers {
            out.push_str(&format!("{n}: {v}\r\n"));
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(body);
        Reply::Raw(bytes)
    }

    /// A chunked 200 whose body is `pieces`, one chunk each.
    pub fn chunked(pieces: &[&[u8]]) -> Reply {
        let mut out = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
        for p in pieces {
            out.extend_from_slice(format!("{:x}\r\n", p.len()).as_bytes());
            out.extend_from_slice(p);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"0\r\n\r\n");
        Reply::Raw(out)
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::with_status(status, &[("location", location)], b"")
    }
}

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub head: String,
    pub body: Vec<u8>,
}

type Route = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A running server; it stops with the test process.
pub struct Server {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
}

impl Server {
    /// Serve on `127.0.0.1`, answering each request with `route(request)`.
    pub fn start(route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        Self::start_on("127.0.0.1:0", route)
    }

    /// Serve on `bind` (e.g. `[::1]:0`).
    pub fn start_on(bind: &str, route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind(bind).expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&connections);
        let route: Arc<Route> = Arc::new(route);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                let route = Arc::clone(&route);
                thread::spawn(move || serve(stream, &*route));
            }
        });
        Server { addr, connections }
    }

    /// `http://addr/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// How many connections were accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Read one request head (and its content-length body); `None` at EOF.
fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut words = head.split_whitespace();
    let method = words.next()?.to_owned();
    let path = words.next()?.to_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        path,
        head,
        body,
    })
}

fn serve(mut stream: TcpStream, route: &Route) {
    while let Some(request) = read_request(&mut stream) {
        match route(&request) {
            Reply::Raw(bytes) => {
                if stream.write_all(&bytes).is_err() {
                    return;
                }
            }
            Reply::RawThenClose(bytes) => {
                let _ = stream.write_all(&bytes);
                return;
            }
            Reply::Silent => {
                // Wait for the client to give up (its close ends the read).
                let mut sink = [0u8; 64];
                while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
                return;
            }
            Reply::Trickle { head, body, every } => {
                if stream.write_all(&head).is_err() {
                    return;
                }
                for b in body {
                    thread::sleep(every);
                    if stream.write_all(&[b]).is_err() {
                        return;
                    }
                }
            }
            Reply::ResetAfter(bytes) => {
                let _ = stream.write_all(&bytes);
                let _ = stream.flush();
                thread::sleep(Duration::from_millis(50));
                let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
                return;
            }
        }
    }
}
