//! The file-loader demo: GUI input and IO completions sharing one queue.
//!
//! `cargo run --release --example file_loader [DIR] [FLAGS]` lists DIR (default: the
//! current directory). "Load all" reads every file whole on the worker pool —
//! counting lines and computing a checksum, keeping only a summary — while
//! the window stays responsive: the spinner keeps turning, keys and clicks are
//! handled first in every turn, and the status bar shows the messages per
//! second of each lane of the one queue.
//!
//! Flags (for tests and benchmarks): `--load-all` starts loading as soon
//! as the listing arrives; `--quit-when-done` quits when the batch ends.
//!
//! "Open…" chooses the folder in a folder picker; a folder dropped on the
//! window is listed too. The table sorts by a click on a column's header,
//! and its columns resize by dragging their edges.
//!
//! Keys: Ctrl+O path field · Enter open / preview · ↑/↓ select · Ctrl+L load
//! all · Esc cancel · Ctrl+D dark theme · Ctrl+Q quit.

#![allow(
    clippy::print_stdout,
    reason = "the demo reports milestones on its terminal"
)]

pub(crate) mod model;
pub(crate) mod order;
pub(crate) mod preview;
pub(crate) mod scan;
pub(crate) mod view;
pub(crate) mod wire;

use std::path::PathBuf;

use oneloop::record::Codec;
use oneloop::{App, Cx, Element, Event, Settings, Theme, WindowSettings};

pub(crate) use model::{Loader, Msg};

impl App for Loader {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        Loader::update(self, event, cx);
    }

    fn view(&self) -> Element<'_, Msg> {
        view::view(self)
    }

    fn theme(&self) -> Theme {
        view::theme(self)
    }

    /// Runs can be recorded (`ONELOOP_RECORD=FILE`) and replayed.
    fn codec() -> Option<Codec<Msg>> {
        Some(Codec::of())
    }
}

fn main() {
    let (mut dir, mut auto_load, mut quit_when_done) = (None, false, false);
    for arg in std::env::args_os().skip(1) {
        match arg.to_str() {
            Some("--load-all") => auto_load = true,
            Some("--quit-when-done") => quit_when_done = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let dir = dir.unwrap_or_else(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")));
    let mut loader = Loader::new(&dir);
    loader.auto_load = auto_load;
    loader.quit_when_done = quit_when_done;
    let settings = Settings::window(WindowSettings::new("File loader").size(1100.0, 700.0));
    if let Err(e) = oneloop::run(loader, settings) {
        eprintln!("file_loader: {e}");
        std::process::exit(1);
    }
}
