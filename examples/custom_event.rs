//! Your own event types and sources on the one queue.
//!
//! Two producers feed this app's own `Msg` type:
//! - a background thread posts `Msg::Beat` through a `Poster` twice a second;
//! - a UDP socket on localhost, plugged in as a calloop source, turns each
//!   datagram into `Msg::Datagram` (try `echo -n 'rgb 200 40 40' | nc -u -q0 127.0.0.1 PORT`).
//!
//! Run: `cargo run --example custom_event`. It prints the port it listens on;
//! `--idle` leaves the heartbeat thread off.

#![allow(
    clippy::print_stdout,
    reason = "an example reports what it does on its terminal"
)]

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::thread;
use std::time::Duration;

use oneloop::calloop::generic::Generic;
use oneloop::calloop::{Interest, Mode, PostAction};
use oneloop::render::{Color, Painter, Rect};
use oneloop::{App, Cx, Element, Event, Input, Lifecycle, Settings, Theme, WindowSettings};
use oneloop_widgets::{column, label, Space};

#[derive(Debug)]
pub(crate) enum Msg {
    Beat,
    Datagram(String),
}

pub(crate) struct Beacon {
    pub(crate) background: Color,
    pub(crate) beats: u32,
    pub(crate) datagrams: u32,
    pub(crate) last: String,
    pub(crate) address: Option<std::net::SocketAddr>,
    pub(crate) heartbeat: bool,
}

impl Beacon {
    pub(crate) fn new(heartbeat: bool) -> Self {
        Self {
            background: Color::from_rgb(40, 60, 90),
            beats: 0,
            datagrams: 0,
            last: String::new(),
            address: None,
            heartbeat,
        }
    }
}

impl App for Beacon {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                self.address = start_sources(cx, self.heartbeat)
            }
            Event::App(Msg::Beat) => {
                self.beats += 1;
                cx.request_redraw();
            }
            Event::App(Msg::Datagram(text)) => {
                self.datagrams += 1;
                if let Some(color) = parse_rgb(&text) {
                    self.background = color;
                }
                println!("datagram {} {text:?}", self.datagrams);
                self.last = text;
                cx.request_redraw();
            }
            Event::Input(Input::Key(key)) => println!("key {:?}", key.key),
            _ => {}
        }
    }

    fn view(&self) -> Element<'_, Msg> {
        let address = self
            .address
            .map_or_else(|| "no socket".to_owned(), |a| a.to_string());
        column()
            .padding(12.0)
            .spacing(4.0)
            .push(Space::fixed(0.0, 64.0))
            .push(
                label(format!(
                    "UDP {address} · {} datagrams · {} beats",
                    self.datagrams, self.beats
                ))
                .color(Color::WHITE),
            )
            .push(label(format!("last: {:?}", self.last)).color(Color::WHITE))
            .into()
    }

    fn theme(&self) -> Theme {
        Theme {
            background: self.background,
            ..Theme::dark()
        }
    }

    fn draw(&self, painter: &mut Painter<'_>) {
        let width = painter.size().w;
        // A heartbeat bar that moves with every beat, and one tick per datagram.
        let beat_x = (self.beats % 20) as f32 * width / 20.0;
        painter.fill_rect(Rect::new(beat_x, 10.0, width / 20.0, 10.0), Color::BLACK);
        for i in 0..self.datagrams.min(40) {
            painter.fill_rect(
                Rect::new(10.0 + i as f32 * 12.0, 40.0, 8.0, 24.0),
                Color::WHITE,
            );
        }
        println!(
            "frame rgb {} {} {} beats {} datagrams {}",
            self.background.r, self.background.g, self.background.b, self.beats, self.datagrams
        );
    }
}

fn parse_rgb(text: &str) -> Option<Color> {
    let mut parts = text
        .trim()
        .strip_prefix("rgb ")?
        .split_whitespace()
        .map(str::parse::<u8>);
    Some(Color::from_rgb(
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    ))
}

/// Start the heartbeat thread (unless `heartbeat` is off) and the UDP
/// source; returns the socket's address.
fn start_sources(cx: &mut Cx<Msg>, heartbeat: bool) -> Option<std::net::SocketAddr> {
    let poster = cx.poster();
    thread::spawn(move || {
        if !heartbeat {
            return;
        }
        // Ends by itself when the loop has quit and hands the message back.
        while poster.post(Msg::Beat).is_ok() {
            thread::sleep(Duration::from_millis(500));
        }
    });
    let socket =
        match UdpSocket::bind("127.0.0.1:0").and_then(|s| s.set_nonblocking(true).map(|()| s)) {
            Ok(socket) => socket,
            Err(e) => {
                eprintln!("no UDP socket: {e}");
                return None;
            }
        };
    let address = socket.local_addr().ok();
    if let Some(address) = address {
        println!("listening on {address}");
    }
    let source = Generic::new(socket, Interest::READ, Mode::Level);
    let inserted = cx.insert_source(source, |_, socket, cx| {
        let mut buf = [0u8; 1500];
        loop {
            match socket.recv(&mut buf) {
                Ok(n) => cx.post(Msg::Datagram(
                    String::from_utf8_lossy(&buf[..n]).into_owned(),
                )),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(PostAction::Continue),
                Err(e) => return Err(e),
            }
        }
    });
    if let Err(e) = inserted {
        eprintln!("{e}");
    }
    address
}

fn main() -> Result<(), oneloop::RunError> {
    // `--idle` leaves the heartbeat off, so the app only wakes for datagrams.
    let app = Beacon::new(!std::env::args().any(|a| a == "--idle"));
    let settings = Settings::window(WindowSettings::new("Custom events").size(480.0, 140.0));
    oneloop::run(app, settings)?;
    Ok(())
}
