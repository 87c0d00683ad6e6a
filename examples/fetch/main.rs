//! The fetch demo: many HTTP downloads on the one loop, next to the GUI.
//!
//! `cargo run --release --example fetch -- URL...` fetches each URL given
//! at once; more can be typed or pasted into the field (several at a time,
//! separated by spaces) and fetched with Enter or the Fetch button. Every
//! download shows its status, size, progress and time in the list while the
//! spinner keeps turning; Cancel stops the selected one, Cancel all every
//! one; the right pane previews the selected response.
//!
//! Flags: `--quit-when-done` quits once every download has ended (tests).
//!
//! Keys: Ctrl+L the URL field · ↑/↓ select · Esc cancel the selected ·
//! Ctrl+D dark theme · Ctrl+Q quit.

#![allow(
    clippy::print_stdout,
    reason = "the demo reports each download's end on its terminal"
)]

pub(crate) mod model;
pub(crate) mod view;

use oneloop::{App, Cx, Element, Event, Settings, Theme, WindowSettings};

pub(crate) use model::{Fetcher, Msg};

impl App for Fetcher {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        Fetcher::update(self, event, cx);
    }

    fn view(&self) -> Element<'_, Msg> {
        view::view(self)
    }

    fn theme(&self) -> Theme {
        view::theme(self)
    }
}

fn main() {
    let mut fetcher = Fetcher::default();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quit-when-done" => fetcher.quit_when_done = true,
            _ => fetcher.initial.push(arg),
        }
    }
    let settings = Settings::window(WindowSettings::new("Fetch").size(1000.0, 640.0));
    if let Err(e) = oneloop::run(fetcher, settings) {
        eprintln!("fetch: {e}");
        std::process::exit(1);
    }
}
