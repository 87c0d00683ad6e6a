//! Many loopback TCP connections at once: each connects, sends 64 KiB,
//! reads the 64 KiB echo back and closes. How long do 1,000 take together?
//!
//! The server is the same for every subject: a tokio current-thread echo
//! server on a thread of its own, so no subject shares its loop with it.
//! oneloop serves all the connections from its one loop thread (message
//! style: `cx.connect`, `cx.send`, `NetEvent::Data`); the std peer runs one
//! blocking thread per connection, as many threads as connections; the tokio
//! peer runs them as tasks on a current-thread runtime.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use oneloop::net::{ConnId, NetEvent};
use oneloop::{App, Cx, Event, EventLoop, Lifecycle, Settings};

use crate::report::{Better, Cell, Row};
use crate::{interleave, Config, Run};

const PAYLOAD: usize = 64 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Two rows from the same runs: total time, and connections per second.
pub fn rows(config: &Config) -> Vec<Row> {
    let conns = if config.quick { 200 } else { 1000 };
    let server = match echo_server() {
        Ok(addr) => addr,
        Err(e) => {
            let skip = || Cell::Skipped(format!("no echo server: {e}"));
            return vec![Row::new("loopback echo", "ms", Better::Lower, skip())];
        }
    };
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = vec![
        ("oneloop", Box::new(move || oneloop(server, conns))),
        ("std_threads", Box::new(move || std_threads(server, conns))),
        (
            "tokio_current_thread",
            Box::new(move || tokio_tasks(server, conns)),
        ),
    ];
    let label = format!("{conns} loopback echo connections");
    let runs = interleave(&label, config.repetitions, &mut subjects);
    let cell = |i: usize, per: fn(f64, usize) -> f64| {
        Cell::from_outcomes(
            runs[i]
                .iter()
                .map(|r| r.clone().map(|secs| per(secs, conns)))
                .collect(),
        )
    };
    let millis = |secs: f64, _| secs * 1e3;
    let rate = |secs: f64, n: usize| n as f64 / secs;
    let name = |what: &str| format!("echo {conns} conns × 64 KiB {what}");
    vec![
        Row::new(name("total"), "ms", Better::Lower, cell(0, millis))
            .peer("std_threads", cell(1, millis))
            .peer("tokio_current_thread", cell(2, millis)),
        Row::new(name("rate"), "conn/s", Better::Higher, cell(0, rate))
            .peer("std_threads", cell(1, rate))
            .peer("tokio_current_thread", cell(2, rate)),
    ]
}

/// Start the shared echo server; returns its address.
fn echo_server() -> Result<SocketAddr, String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
                return;
            }
        };
        runtime.block_on(async move {
            let listener = match listener().and_then(tokio::net::TcpListener::from_std) {
                Ok(l) => l,
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    return;
                }
            };
            let _ = tx.send(listener.local_addr().map_err(|e| e.to_string()));
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let (mut read, mut write) = socket.split();
                    let _ = tokio::io::copy(&mut read, &mut write).await;
                });
            }
        });
    });
    rx.recv().map_err(|e| e.to_string())?
}

/// A listener whose accept queue holds every client of a run: with the
/// usual 1,024, a burst of 1,000 connects overflows it now and then and a
/// dropped SYN costs a second-long retransmit, which is noise, not speed.
fn listener() -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    socket.listen(8192)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

fn payload() -> Vec<u8> {
    (0..PAYLOAD).map(|i| (i % 251) as u8).collect()
}

/// Opens every connection at start; each sends, collects its echo, closes.
struct Echoes {
    server: SocketAddr,
    conns: usize,
    received: std::collections::HashMap<ConnId, usize>,
    done: usize,
    failed: Option<String>,
}

#[derive(Debug)]
enum Msg {
    Net(ConnId, NetEvent),
}

impl App for Echoes {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                let data = payload();
                for _ in 0..self.conns {
                    let conn = cx.connect(self.server.to_string(), CONNECT_TIMEOUT, Msg::Net);
                    // Waits in the outbox until connected.
                    let _ = cx.send(conn, data.clone());
                }
            }
            Event::Io(Msg::Net(conn, event)) => match event {
                NetEvent::Data(bytes) => {
                    let got = self.received.entry(conn).or_default();
                    *got += bytes.len();
                    if *got >= PAYLOAD {
                        cx.close(conn);
                        self.done += 1;
                        if self.done == self.conns {
                            cx.quit();
                        }
                    }
                }
                NetEvent::Failed(e) => {
                    self.failed = Some(e.to_string());
                    cx.quit();
                }
                NetEvent::Closed => {
                    self.failed = Some(format!("{conn} closed before its echo"));
                    cx.quit();
                }
                _ => {}
            },
            _ => {}
        }
    }
}

fn oneloop(server: SocketAddr, conns: usize) -> Result<f64, String> {
    let app = Echoes {
        server,
        conns,
        received: std::collections::HashMap::with_capacity(conns),
        done: 0,
        failed: None,
    };
    let started = Instant::now();
    let event_loop = EventLoop::new(app, Settings::headless()).map_err(|e| e.to_string())?;
    let app = event_loop.run().map_err(|e| e.to_string())?;
    let took = started.elapsed().as_secs_f64();
    match app.failed {
        Some(e) => Err(format!("failed: {e}")),
        None if app.done == conns => Ok(took),
        None => Err(format!("failed: {} of {conns} echoed", app.done)),
    }
}

fn std_threads(server: SocketAddr, conns: usize) -> Result<f64, String> {
    let data = std::sync::Arc::new(payload());
    let started = Instant::now();
    let threads: Vec<_> = (0..conns)
        .map(|_| {
            let data = std::sync::Arc::clone(&data);
            thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || -> Result<(), String> {
                    let mut s = std::net::TcpStream::connect_timeout(&server, CONNECT_TIMEOUT)
                        .map_err(|e| e.to_string())?;
                    s.write_all(&data).map_err(|e| e.to_string())?;
                    let mut back = vec![0; PAYLOAD];
                    s.read_exact(&mut back).map_err(|e| e.to_string())?;
                    Ok(())
                })
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    for t in threads {
        t.join()
            .map_err(|_| "a client thread panicked".to_owned())??;
    }
    Ok(started.elapsed().as_secs_f64())
}

fn tokio_tasks(server: SocketAddr, conns: usize) -> Result<f64, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let data = std::sync::Arc::new(payload());
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let tasks: Vec<_> = (0..conns)
            .map(|_| {
                let data = std::sync::Arc::clone(&data);
                tokio::spawn(async move {
                    let mut s = tokio::net::TcpStream::connect(server).await?;
                    s.write_all(&data).await?;
                    let mut back = vec![0; PAYLOAD];
                    s.read_exact(&mut back).await?;
                    Ok::<(), std::io::Error>(())
                })
            })
            .collect();
        for task in tasks {
            task.await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    })?;
    Ok(started.elapsed().as_secs_f64())
}
