//! Record a run, and replay it headless, event for event.
//!
//! A recording holds every event the app handled, in order: the raw input
//! (before widgets saw it), timer ticks, IO completions and process output
//! as the messages the app received, its own messages, and the loop's news.
//! It also holds what a handler read that the loop cannot recompute: the
//! clock (`cx.now()`), `cx.stats()`, `cx.queue_depth()`, the answers of
//! `cx.cancel` and of the questions about what is still running, the
//! window's size, and a hash of every frame painted.
//!
//! Replaying feeds those events to a fresh app in the same order, with
//! nothing else running: requests, timers, tasks and processes the app
//! starts are inert, because their results are in the recording. The app
//! ends in the same state, and every frame is painted again and compared
//! with the recorded hash.
//!
//! Record with `ONELOOP_RECORD=run.oneloop cargo run --example …` or
//! [`Settings::record`](crate::Settings::record); replay with
//! [`testing::replay`](crate::testing::replay). Messages are recorded
//! only when the app gives a [`Codec`] through [`App::codec`];
//! the format is described in `docs/recording.md`.

mod log;
mod read;
pub(crate) mod replay;
mod types;
mod wire;

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::fmt::Debug;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

pub(crate) use log::{Header, Recorder};
pub use replay::Replayed;
pub use wire::{Codec, Reader, Wire, WireError, Writer};

use crate::app::App;
use crate::event::Event;
use crate::geometry::Size;
use crate::settings::Settings;
use crate::stats::Stats;

/// What a recording holds, read without the app that made it: see
/// [`inspect`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    /// The type name of the app's messages.
    pub message_type: String,
    /// Events the app handled, per lane in [`Lane::ALL`](crate::Lane::ALL) order.
    pub events: [u64; 5],
    /// Messages widgets sent (counted apart from `events`).
    pub widget_messages: u64,
    /// Raw input events, including those only widgets saw.
    pub inputs: u64,
    /// Frames painted.
    pub frames: u64,
    /// Loop time of the last clock reading or frame, in nanoseconds.
    pub duration: u64,
    /// Whether the recording has its end record.
    pub finished: bool,
}

/// Read what a recording holds without replaying it; checks every record
/// except the app's own message bodies. Handy for tools, and a cheap first
/// look at an untrusted file.
pub fn inspect(bytes: &[u8]) -> Result<Contents, ReplayError> {
    read::inspect(bytes)
}

/// Why a recording could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The file could not be read.
    #[error("could not read the recording {path}: {source}")]
    Io {
        /// The file asked for.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file does not start like a recording.
    #[error("this file is not a oneloop recording (it does not start with \"ONELOOP-REC\")")]
    NotARecording,
    /// A recording in a format this build does not read.
    #[error(
        "the recording is format version {found}; this build reads versions {} to {supported}",
        log::OLDEST_VERSION
    )]
    Version {
        /// The file's version.
        found: u16,
        /// The newest version this build reads.
        supported: u16,
    },
    /// Bytes that do not decode: cut short, or damaged.
    #[error("the recording is corrupt {0}")]
    Corrupt(#[from] WireError),
    /// The recording holds a name (a path, a file name) made on another OS
    /// that this one cannot represent, such as a Unix file name that is
    /// not UTF-8 replayed on Windows. The file is intact; replay it on an
    /// OS like the one it was made on.
    #[error(
        "the recording holds, at byte {offset}, {what}; replay it on an OS like the one \
         that made it"
    )]
    Unrepresentable {
        /// Where the name starts.
        offset: u64,
        /// What the name is and why it cannot be made here.
        what: String,
    },
    /// The recording stops without its end record.
    #[error(
        "the recording ends at byte {offset} without its end record: it was cut short \
         (was the app killed?); `replay_unfinished` replays what is there"
    )]
    Unfinished {
        /// Where the file ends.
        offset: u64,
    },
    /// The recording was made by an app with another message type.
    #[error("the recording was made by an app whose messages are `{recorded}`, not `{replaying}`")]
    WrongApp {
        /// The message type named in the recording.
        recorded: String,
        /// The message type of the app given to replay.
        replaying: String,
    },
    /// A message was recorded without a codec, so it cannot be rebuilt.
    #[error(
        "the message at byte {offset} was recorded as text only: implement `Wire` for the \
         message type and return `Some(Codec::of())` from `App::codec`, then record again"
    )]
    NoCodec {
        /// Where the message is.
        offset: u64,
    },
    /// The app did something else than in the recording: it is not
    /// deterministic (it read the time, a file or a random number itself).
    #[error("the replay diverged from the recording at byte {offset}: {what}")]
    Diverged {
        /// The record where it showed.
        offset: u64,
        /// What differed.
        what: String,
    },
    /// The headless loop for the replay could not be set up.
    #[error(transparent)]
    Setup(#[from] crate::settings::RunError),
}

/// Where the loop's record and replay hooks lead: nowhere, to a recorder,
/// or to the values a replay hands back to handlers.
pub(crate) enum Tape<M> {
    Off,
    Recording(Rc<RefCell<Recorder<M>>>),
    Replaying(Rc<RefCell<Playback<M>>>),
}

/// What a replay hands to handlers in place of live values, per event.
pub(crate) struct Playback<M> {
    /// Side values recorded while each event (by sequence number) was handled.
    sides: HashMap<u64, Sides>,
    now: VecDeque<u64>,
    depth: VecDeque<u64>,
    answers: VecDeque<(u8, u64)>,
    /// Messages the replay's widgets produced, encoded, waiting to be
    /// compared with the recorded ones.
    pub(crate) regenerated: VecDeque<Vec<u8>>,
    codec: Option<Codec<M>>,
    origin: Instant,
    /// Reads the recording has no value for (the replay diverged).
    pub(crate) misses: u64,
}

#[derive(Default)]
pub(crate) struct Sides {
    pub(crate) stats: Option<Box<Stats>>,
    pub(crate) now: VecDeque<u64>,
    pub(crate) depth: VecDeque<u64>,
    pub(crate) answers: VecDeque<(u8, u64)>,
}

/// Questions a handler may ask the loop whose answers depend on what ran
/// when (a recording keeps them; a replay hands them back in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    /// `cx.cancel(id)`: whether the request was still in flight.
    Cancel,
    /// `cx.cancel_timer(id)`: whether the timer was still pending.
    CancelTimer,
    /// `cx.requests_in_flight()`.
    RequestsInFlight,
    /// `cx.tasks_running()`.
    TasksRunning,
    /// `cx.timers_pending()`.
    TimersPending,
    /// `cx.is_settled()`.
    Settled,
}

impl Ask {
    /// How many kinds of question there are (tags 0 to `COUNT - 1`).
    pub(crate) const COUNT: usize = 6;
}

impl<M: Debug> Tape<M> {
    /// Open the recording asked for by `settings.record`.
    /// A recording that cannot be created is logged and skipped: the app runs.
    pub(crate) fn start<A: App<Message = M>>(settings: &Settings, origin: Instant) -> Self {
        let Some(path) = settings.record.clone() else {
            return Tape::Off;
        };
        let codec = A::codec();
        if codec.is_none() {
            tracing::warn!(
                "recording {}: the app has no message codec (App::codec), so its messages are \
                 kept as text and the recording cannot be replayed",
                path.display()
            );
        }
        let header = Header {
            message_type: std::any::type_name::<A::Message>().to_owned(),
            system_fonts: settings.system_fonts,
            has_codec: codec.is_some(),
        };
        match Recorder::create(&path, &header, codec, origin) {
            Ok(rec) => {
                tracing::info!("recording this run to {}", path.display());
                Tape::Recording(Rc::new(RefCell::new(rec)))
            }
            Err(e) => {
                tracing::error!(
                    "could not record to {}: {e}; running unrecorded",
                    path.display()
                );
                Tape::Off
            }
        }
    }
}

impl<M> Tape<M> {
    /// What the loop answers a handler's `ask`: the live answer, recorded,
    /// or in a replay the recorded one.
    pub(crate) fn answer(&self, ask: Ask, live: u64) -> u64 {
        match self {
            Tape::Off => live,
            Tape::Recording(rec) => {
                rec.borrow_mut().answer(ask as u8, live);
                live
            }
            Tape::Replaying(play) => {
                let mut play = play.borrow_mut();
                match play.answers.pop_front() {
                    Some((tag, value)) if tag == ask as u8 => value,
                    _ => {
                        play.misses += 1;
                        live
                    }
                }
            }
        }
    }

    /// Whether there is anything to record or replay (checked on the hot
    /// path before any other work).
    #[inline]
    pub(crate) fn is_on(&self) -> bool {
        !matches!(self, Tape::Off)
    }

    /// Whether effects must stay inert (requests not run, processes not
    /// started): their results come from the recording.
    pub(crate) fn is_replaying(&self) -> bool {
        matches!(self, Tape::Replaying(_))
    }
}

impl<M: Debug> Tape<M> {
    /// Hook before a handler runs: record the event, or load what the
    /// recording says the handler read.
    pub(crate) fn on_dispatch(
        &self,
        seq: u64,
        event: &Event<M>,
        from_widget: bool,
        window: (Size, f64),
        stats: &mut Stats,
    ) {
        match self {
            Tape::Off => {}
            Tape::Recording(rec) => {
                let mut rec = rec.borrow_mut();
                rec.window(window.0, window.1);
                rec.event(seq, event, from_widget);
            }
            Tape::Replaying(play) => {
                let mut play = play.borrow_mut();
                if from_widget {
                    if let (Event::App(msg), Some(codec)) = (event, play.codec) {
                        let mut w = Writer::new();
                        (codec.encode)(msg, &mut w);
                        play.regenerated.push_back(w.bytes().to_vec());
                    }
                }
                if let Some(sides) = play.sides.remove(&seq) {
                    if let Some(recorded) = sides.stats {
                        stats.show_recorded(*recorded);
                    }
                    play.now = sides.now;
                    play.depth = sides.depth;
                    play.answers = sides.answers;
                }
            }
        }
    }

    /// The clock as a handler sees it.
    pub(crate) fn now(&self, live: Instant) -> Instant {
        match self {
            Tape::Off => live,
            Tape::Recording(rec) => {
                rec.borrow_mut().now(live);
                live
            }
            Tape::Replaying(play) => {
                let mut play = play.borrow_mut();
                match play.now.pop_front() {
                    Some(ns) => play.origin + Duration::from_nanos(ns),
                    None => {
                        play.misses += 1;
                        live
                    }
                }
            }
        }
    }

    /// The queue depth as a handler sees it.
    pub(crate) fn depth(&self, live: usize) -> usize {
        match self {
            Tape::Off => live,
            Tape::Recording(rec) => {
                rec.borrow_mut().depth(live);
                live
            }
            Tape::Replaying(play) => {
                let mut play = play.borrow_mut();
                match play.depth.pop_front() {
                    Some(d) => usize::try_from(d).unwrap_or(usize::MAX),
                    None => {
                        play.misses += 1;
                        live
                    }
                }
            }
        }
    }

    /// A handler read the stats.
    pub(crate) fn stats(&self, stats: &Stats) {
        if let Tape::Recording(rec) = self {
            rec.borrow_mut().stats(stats);
        }
    }

    /// A frame was painted (for a window of this logical size and scale:
    /// the first frame can come before any event told the size).
    pub(crate) fn on_frame(
        &self,
        at: Instant,
        pixmap: &tiny_skia::Pixmap,
        scale: f32,
        overlay: bool,
        window: (Size, f64),
    ) {
        if let Tape::Recording(rec) = self {
            let mut rec = rec.borrow_mut();
            rec.window(window.0, window.1);
            rec.frame(at, pixmap, scale, overlay);
        }
    }

    pub(crate) fn flush(&self) {
        if let Tape::Recording(rec) = self {
            rec.borrow_mut().flush();
        }
    }

    pub(crate) fn finish(&self) {
        if let Tape::Recording(rec) = self {
            rec.borrow_mut().finish();
        }
    }
}
