//! A TCP echo server in a window: one `TcpListener` on the loop thread
//! serves every client, and the window stays live while it does.
//!
//! Each connection is a row with its peer and its bytes in and out; a
//! spinner turns while any client is connected (it is painted every frame,
//! so a stalled loop would show as a stalled spinner).
//!
//! Run: `cargo run --example echo_server [-- --port 7000]`; it prints the
//! address it listens on. Try `nc 127.0.0.1 PORT` in a few terminals.

#![allow(
    clippy::print_stdout,
    reason = "an example reports what it does on its terminal"
)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use oneloop::net::{ConnId, NetEvent, TcpListener};
use oneloop::render::Painter;
use oneloop::{App, Cx, Element, Event, Input, Lifecycle, Settings, WindowSettings};
use oneloop_widgets::{column, label, row, spinner};

/// How many connection rows the window lists; the rest are counted.
const ROWS: usize = 12;

#[derive(Debug)]
pub(crate) enum Msg {
    Net(ConnId, NetEvent),
}

/// One client as the window shows it.
#[derive(Debug, Clone, Copy)]
struct Client {
    peer: SocketAddr,
    bytes_in: u64,
    bytes_out: u64,
}

pub(crate) struct EchoServer {
    port: u16,
    address: Option<SocketAddr>,
    error: Option<String>,
    clients: BTreeMap<ConnId, Client>,
    served: u64,
    bytes_in: u64,
    bytes_out: u64,
}

impl EchoServer {
    pub(crate) fn new(port: u16) -> Self {
        Self {
            port,
            address: None,
            error: None,
            clients: BTreeMap::new(),
            served: 0,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    fn start(&mut self, cx: &mut Cx<Msg>) {
        let listening = TcpListener::bind(([127, 0, 0, 1], self.port)).and_then(|listener| {
            let address = listener.local_addr()?;
            cx.listen(listener, Msg::Net)?;
            Ok(address)
        });
        match listening {
            Ok(address) => {
                println!("listening on {address}");
                self.address = Some(address);
            }
            Err(e) => {
                println!("cannot listen: {e}");
                self.error = Some(e.to_string());
            }
        }
    }

    fn on_net(&mut self, conn: ConnId, event: NetEvent, cx: &mut Cx<Msg>) {
        match event {
            NetEvent::Accepted { peer, .. } => {
                let client = Client {
                    peer,
                    bytes_in: 0,
                    bytes_out: 0,
                };
                self.clients.insert(conn, client);
            }
            NetEvent::Data(bytes) => {
                let n = bytes.len() as u64;
                self.bytes_in += n;
                let sent = cx.send(conn, bytes);
                if let Some(client) = self.clients.get_mut(&conn) {
                    client.bytes_in += n;
                    if sent.is_ok() {
                        client.bytes_out += n;
                    }
                }
                if sent.is_ok() {
                    self.bytes_out += n;
                }
            }
            NetEvent::Closed | NetEvent::Failed(_) => {
                if let NetEvent::Failed(e) = &event {
                    println!("{conn} failed: {e}");
                }
                self.clients.remove(&conn);
                self.served += 1;
            }
            NetEvent::Connected { .. } | NetEvent::Drained => {}
            _ => {}
        }
        cx.request_redraw();
    }
}

impl App for EchoServer {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => self.start(cx),
            Event::Io(Msg::Net(conn, event)) => self.on_net(conn, event, cx),
            Event::Input(Input::Key(key)) => println!("key {:?}", key.key),
            _ => {}
        }
    }

    fn view(&self) -> Element<'_, Msg> {
        let heading = match (&self.address, &self.error) {
            (Some(address), _) => format!("Echo server on {address}"),
            (None, Some(error)) => format!("Not listening: {error}"),
            (None, None) => "Starting…".to_owned(),
        };
        let mut status = row().spacing(8.0);
        if !self.clients.is_empty() {
            status = status.push(spinner());
        }
        status = status.push(label(format!(
            "{} open · {} served · {} bytes in · {} bytes out",
            self.clients.len(),
            self.served,
            self.bytes_in,
            self.bytes_out
        )));
        let mut list = column()
            .padding(12.0)
            .spacing(4.0)
            .push(label(heading).bold())
            .push(status);
        for (conn, client) in self.clients.iter().take(ROWS) {
            list = list.push(
                label(format!(
                    "{conn}  {}  in {}  out {}",
                    client.peer, client.bytes_in, client.bytes_out
                ))
                .mono(),
            );
        }
        if self.clients.len() > ROWS {
            list = list.push(label(format!("… and {} more", self.clients.len() - ROWS)).muted());
        }
        list.into()
    }

    fn draw(&self, _painter: &mut Painter<'_>) {
        // What the end-to-end test reads: one line per painted frame.
        println!(
            "frame open {} served {} in {} out {}",
            self.clients.len(),
            self.served,
            self.bytes_in,
            self.bytes_out
        );
    }
}

fn port_from_args() -> u16 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0)
}

fn main() -> Result<(), oneloop::RunError> {
    let settings = Settings::window(WindowSettings::new("Echo server").size(560.0, 380.0));
    oneloop::run(EchoServer::new(port_from_args()), settings).map(drop)
}
