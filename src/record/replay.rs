//! Replaying a recording: a headless loop on a virtual clock, fed the
//! recorded events in order, painting the recorded frames again.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use tiny_skia::Pixmap;

use super::log::{self, Body, Entry, FrameRecord};
use super::read;
use super::{Playback, ReplayError, Sides, Tape};
use crate::app::App;
use crate::event_loop::EventLoop;
use crate::settings::Settings;
use crate::task::Clock;

/// What a replay ended with.
pub struct Replayed<A> {
    /// The app after the last recorded event: compare its state with what
    /// the recorded run showed.
    pub app: A,
    /// The last frame, painted again from the replayed state.
    pub final_frame: Option<Pixmap>,
    /// Events handed to the app (widget messages included).
    pub events: u64,
    /// Frames painted again and compared with the recording.
    pub frames_compared: usize,
    /// Frames whose pixels differ from the recorded ones: (frame number
    /// counting from 0, offset of its record).
    pub frames_differing: Vec<(usize, u64)>,
    /// Whether the last frame matches the recording. False when it was
    /// painted with the stats overlay shown (never compared) or differs.
    pub final_frame_matches: bool,
}

impl<A> std::fmt::Debug for Replayed<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replayed")
            .field("events", &self.events)
            .field("frames_compared", &self.frames_compared)
            .field("frames_differing", &self.frames_differing)
            .field("final_frame_matches", &self.final_frame_matches)
            .finish_non_exhaustive()
    }
}

/// Replay a finished recording. See [`crate::record`].
pub fn replay<A: App>(app: A, path: impl AsRef<Path>) -> Result<Replayed<A>, ReplayError> {
    run(app, path.as_ref(), true)
}

/// Replay what a recording holds even if it was cut short (the app was
/// killed before it could write the end record).
pub fn replay_unfinished<A: App>(
    app: A,
    path: impl AsRef<Path>,
) -> Result<Replayed<A>, ReplayError> {
    run(app, path.as_ref(), false)
}

fn run<A: App>(app: A, path: &Path, strict: bool) -> Result<Replayed<A>, ReplayError> {
    let bytes = std::fs::read(path).map_err(|source| ReplayError::Io {
        path: path.to_owned(),
        source,
    })?;
    let codec = A::codec();
    let replaying = std::any::type_name::<A::Message>();
    let (header, entries, ended) = read::parse(&bytes, codec, replaying)?;
    if strict && !ended {
        return Err(ReplayError::Unfinished {
            offset: bytes.len() as u64,
        });
    }
    let settings = Settings {
        system_fonts: header.system_fonts,
        io_threads: 1,
        record: None,
        ..Settings::headless()
    };
    let mut lp = EventLoop::with_clock(app, settings, Clock::virtual_time())?;
    lp.cx.lifecycle.clear();
    let playback = Rc::new(RefCell::new(Playback {
        sides: side_values(&entries),
        now: VecDeque::new(),
        depth: VecDeque::new(),
        answers: VecDeque::new(),
        regenerated: VecDeque::new(),
        codec,
        origin: lp.cx.clock().origin(),
        misses: 0,
    }));
    lp.cx.tape = Tape::Replaying(Rc::clone(&playback));
    let mut player = Player {
        lp,
        playback,
        pixmap: None,
        events: 0,
        painted: 0,
        frames: 0,
        differing: Vec::new(),
        last_matches: false,
    };
    for entry in entries {
        player.play(entry)?;
    }
    let misses = player.playback.borrow().misses;
    if misses > 0 {
        tracing::warn!(misses, "handlers read values the recording does not hold");
    }
    let Player {
        lp,
        pixmap,
        events,
        frames,
        differing,
        last_matches,
        ..
    } = player;
    Ok(Replayed {
        app: lp.shutdown(),
        final_frame: pixmap,
        events,
        frames_compared: frames,
        frames_differing: differing,
        final_frame_matches: last_matches,
    })
}

/// The values each handler read, by the sequence number of its event.
fn side_values<M>(entries: &[Entry<M>]) -> HashMap<u64, Sides> {
    let mut sides: HashMap<u64, Sides> = HashMap::new();
    let mut current = u64::MAX;
    for entry in entries {
        match &entry.body {
            Body::Event(seq, _) | Body::Widget(seq, _) => current = *seq,
            Body::Now(ns) => sides.entry(current).or_default().now.push_back(*ns),
            Body::Depth(d) => sides.entry(current).or_default().depth.push_back(*d),
            Body::Answer(ask, v) => {
                sides
                    .entry(current)
                    .or_default()
                    .answers
                    .push_back((*ask, *v));
            }
            Body::Stats(s) => sides.entry(current).or_default().stats = Some(s.clone()),
            _ => {}
        }
    }
    sides
}

struct Player<A: App> {
    lp: EventLoop<A>,
    playback: Rc<RefCell<Playback<A::Message>>>,
    pixmap: Option<Pixmap>,
    events: u64,
    painted: u64,
    frames: usize,
    differing: Vec<(usize, u64)>,
    last_matches: bool,
}

impl<A: App> Player<A> {
    fn play(&mut self, entry: Entry<A::Message>) -> Result<(), ReplayError> {
        let offset = entry.offset;
        let diverged = |what: String| ReplayError::Diverged { offset, what };
        match entry.body {
            Body::Window(size, scale) => self.lp.set_window(size, scale),
            Body::Input(input) => self.lp.dispatch_input(input),
            Body::Event(seq, None) => {
                self.events += 1;
                if self.lp.sequence() <= seq {
                    return Err(diverged(format!(
                        "input reached the app as event #{seq} when recorded, \
                         but a widget took it in the replay"
                    )));
                }
            }
            Body::Event(seq, Some(event)) => {
                if self.lp.sequence() != seq {
                    return Err(diverged(format!(
                        "the recording's next event is #{seq}, the replay is at #{}",
                        self.lp.sequence()
                    )));
                }
                self.events += 1;
                self.lp.dispatch(event);
            }
            Body::Widget(seq, recorded) => {
                self.events += 1;
                let replayed = self.playback.borrow_mut().regenerated.pop_front();
                if replayed.as_deref() != Some(recorded.as_slice()) {
                    return Err(diverged(format!(
                        "a widget sent a different message (event #{seq}) than when recorded"
                    )));
                }
            }
            Body::Frame(frame) => self.paint(&frame, offset),
            Body::End { events, frames } => {
                if events != self.events || frames != self.painted {
                    return Err(diverged(format!(
                        "the recording counts {events} events and {frames} frames, \
                         the replay {} and {}",
                        self.events, self.painted
                    )));
                }
            }
            Body::Now(_) | Body::Stats(_) | Body::Depth(_) | Body::Answer(..) => {}
        }
        // Whatever the handlers posted, asked of the window or reported is
        // in the recording already; the live copies are dropped.
        let cx = &mut self.lp.cx;
        cx.app_local.clear();
        cx.lifecycle.clear();
        cx.window.commands.clear();
        Ok(())
    }

    fn paint(&mut self, frame: &FrameRecord, offset: u64) {
        self.painted += 1;
        self.lp
            .cx
            .clock()
            .set_since_origin(Duration::from_nanos(frame.at_ns));
        let pixmap = match &mut self.pixmap {
            Some(p) if p.width() == frame.width && p.height() == frame.height => p,
            slot => match Pixmap::new(frame.width, frame.height) {
                Some(p) => slot.insert(p),
                None => return,
            },
        };
        self.lp.paint(pixmap, frame.scale);
        let same = log::pixel_hash(pixmap.data()) == frame.hash;
        if !frame.overlay {
            if !same {
                self.differing.push((self.frames, offset));
            }
            self.frames += 1;
        }
        self.last_matches = same && !frame.overlay;
    }
}
