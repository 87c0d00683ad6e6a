//! # oneloop
//!
//! Small desktop apps where the GUI message loop and the async IO loop are
//! the same loop. Keyboard and mouse input, timer ticks, file-read
//! completions, child-process output, async-task results and your own
//! messages all arrive in **one queue**, drained on **one thread** and handed
//! to your app's [`App::update`]. Blocking work is issued as a request through
//! [`Cx`]; its completion comes back later as just another message, so the
//! window never freezes.
//!
//! ```no_run
//! use oneloop::{App, Cx, Event, Settings, WindowSettings};
//!
//! #[derive(Default)]
//! struct Viewer { text: String }
//!
//! #[derive(Debug)]
//! enum Msg { Loaded(Result<Vec<u8>, oneloop::fs::FsError>) }
//!
//! impl App for Viewer {
//!     type Message = Msg;
//!     fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
//!         match event {
//!             Event::Lifecycle(_) => { cx.read_file("Cargo.toml", Msg::Loaded); }
//!             Event::Io(Msg::Loaded(Ok(bytes))) => {
//!                 self.text = String::from_utf8_lossy(&bytes).into_owned();
//!                 cx.request_redraw();
//!             }
//!             Event::Io(Msg::Loaded(Err(e))) => self.text = e.to_string(),
//!             _ => {}
//!         }
//!     }
//! }
//!
//! fn main() -> Result<(), oneloop::RunError> {
//!     oneloop::run(Viewer::default(), Settings::window(WindowSettings::new("Viewer")))?;
//!     Ok(())
//! }
//! ```
//!
//! ## The queue contract
//! 1. Nothing is lost: a posted message is dispatched exactly once, or handed
//!    back ([`PostError`]) if the loop has quit or was dropped — also to a
//!    producer that was waiting for room then. Each producer's order is kept.
//!    Messages still queued when a handler calls `cx.quit()` are dropped.
//! 2. Input first: each turn handles all input, then due timers, then app
//!    messages, task wake-ups and IO completions — at most [`Budget`] of those
//!    — so a flood of completions cannot delay a key press.
//! 3. Consecutive pointer moves collapse to the latest; redraw requests
//!    collapse to one frame per display refresh.
//! 4. Lanes that can flood are bounded: a worker thread that would overflow
//!    the IO lane waits; the loop thread never waits on its own queue.
//! 5. Idle is idle: with nothing to do the thread sleeps in the OS.
//! 6. Panicking app code is caught and reported as [`Lifecycle::Panicked`],
//!    naming what was running, and the loop goes on: handlers, tasks' polls
//!    (the task is dropped; [`TaskHandle::panicked`] says so), `view`,
//!    `draw`, timer closures, event sources' callbacks (the source is
//!    removed) and the map functions of requests.
//! 7. Quit cancels in-flight requests, drops tasks, kills child processes and
//!    joins the workers.

mod app;
pub mod clipboard;
mod event;
mod event_loop;
mod geometry;
pub mod http;
mod input;
pub mod io;
pub mod net;
mod overlay;
mod panic;
mod platform;
pub mod popup;
mod queue;
pub mod record;
pub mod render;
mod settings;
mod stats;
mod sync;
mod sys;
mod task;
pub mod testing;
pub mod theme;
mod timer;
mod trace;
mod ui;
mod watchdog;
pub mod widget;

pub use app::{App, Cx, SourceError, SourceId};
pub use event::{Event, Lane, Lifecycle, PanicReport};
pub use event_loop::EventLoop;
pub use geometry::{Point, Size};
pub use input::{
    ButtonState, Input, Key, KeyEvent, Modifiers, NamedKey, PointerButton, ScrollDelta,
};
pub use io::{Interrupted, Job, RequestId};
pub use platform::run;
pub use queue::{LaneLimits, PostError, Poster};
pub use settings::{Budget, RunError, Settings, WindowSettings};
pub use stats::{Histogram, Rates, SlowHandler, Stats, SLOWEST_KEPT};
pub use task::{join_all, JoinAll, TaskHandle, TaskId};
pub use theme::Theme;
pub use timer::TimerId;
pub use watchdog::WatchdogSettings;
pub use widget::{Element, Widget};

/// Files, read on the worker pool: blocking functions for your own jobs, and
/// futures for async tasks.
pub mod fs {
    pub use crate::io::fs::{
        read_chunks, read_dir as read_dir_blocking, read_file as read_file_blocking, read_prefix,
    };
    pub use crate::io::fs::{DirEntry, EntryKind, FsError, Progress, ReadOptions};
    pub use crate::io::future::{read, read_dir, read_with};
    pub use crate::io::pool::CancelToken;
}

/// Time inside async tasks.
pub mod time {
    pub use crate::task::{sleep, Sleep};
}

/// calloop, re-exported so your own event sources match the version oneloop uses.
pub use calloop;

/// The README's code samples, compiled as doc tests so they cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
