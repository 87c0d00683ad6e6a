//! The recording file: its header and records, written by [`Recorder`]
//! (read back in `read.rs`). The format is described in `docs/recording.md`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::wire::{Codec, Writer};
use crate::event::{Event, Lifecycle};
use crate::geometry::Size;
use crate::input::Input;
use crate::stats::Stats;

/// The first bytes of every recording.
pub(crate) const MAGIC: &[u8; 12] = b"ONELOOP-REC\n";
/// The format version this build writes (and the newest it reads).
/// Version 2 tags each OS string with its form, so recordings travel
/// between operating systems.
pub(crate) const VERSION: u16 = 2;
/// The oldest format version this build still reads: version 1 held OS
/// strings as raw Unix bytes.
pub(crate) const OLDEST_VERSION: u16 = 1;

/// Record kinds (the first byte of each record).
pub(crate) mod kind {
    pub(crate) const WINDOW: u8 = 1;
    pub(crate) const INPUT: u8 = 2;
    pub(crate) const EVENT: u8 = 3;
    pub(crate) const WIDGET: u8 = 4;
    pub(crate) const NOW: u8 = 5;
    pub(crate) const STATS: u8 = 6;
    pub(crate) const DEPTH: u8 = 7;
    pub(crate) const FRAME: u8 = 8;
    pub(crate) const END: u8 = 9;
    pub(crate) const ANSWER: u8 = 10;
}

/// How a message is stored: encoded, or only described (no codec).
pub(crate) const ENCODED: u8 = 0;
pub(crate) const DESCRIBED: u8 = 1;

/// The header's fields after the magic and version.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub(crate) message_type: String,
    pub(crate) system_fonts: bool,
    pub(crate) has_codec: bool,
}

/// A painted frame as recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrameRecord {
    /// Loop clock at paint time, in nanoseconds since the loop started.
    pub(crate) at_ns: u64,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) scale: f32,
    pub(crate) hash: u64,
    /// The stats overlay was shown: its live figures are not replayed, so
    /// the frame is not compared.
    pub(crate) overlay: bool,
}

/// One record read back, with the offset it started at.
pub(crate) struct Entry<M> {
    pub(crate) offset: u64,
    pub(crate) body: Body<M>,
}

pub(crate) enum Body<M> {
    Window(Size, f64),
    Input(Input),
    /// An event the app handled; `None` for input (its INPUT record holds it).
    Event(u64, Option<Event<M>>),
    /// A widget's message, kept encoded to compare with the replay's own.
    Widget(u64, Vec<u8>),
    Now(u64),
    Stats(Box<Stats>),
    Depth(u64),
    Answer(u8, u64),
    Frame(FrameRecord),
    End {
        events: u64,
        frames: u64,
    },
}

/// Writes a recording as the loop runs.
pub(crate) struct Recorder<M> {
    out: BufWriter<File>,
    path: PathBuf,
    codec: Option<Codec<M>>,
    body: Writer,
    origin: Instant,
    window: Option<(Size, f64)>,
    stats_logged: bool,
    events: u64,
    frames: u64,
    failed: bool,
}

impl<M> Recorder<M> {
    pub(crate) fn create(
        path: &Path,
        header: &Header,
        codec: Option<Codec<M>>,
        origin: Instant,
    ) -> std::io::Result<Self> {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        let mut body = Writer::new();
        body.str(&header.message_type);
        body.put(&header.system_fonts);
        body.put(&header.has_codec);
        out.write_all(&(body.bytes().len() as u32).to_le_bytes())?;
        out.write_all(body.bytes())?;
        Ok(Self {
            out,
            path: path.to_owned(),
            codec,
            body: Writer::new(),
            origin,
            window: None,
            stats_logged: false,
            events: 0,
            frames: 0,
            failed: false,
        })
    }

    fn emit(&mut self, kind: u8) {
        if self.failed {
            return;
        }
        let len = self.body.bytes().len() as u32;
        let written = self
            .out
            .write_all(&[kind])
            .and_then(|()| self.out.write_all(&len.to_le_bytes()))
            .and_then(|()| self.out.write_all(self.body.bytes()));
        if let Err(e) = written {
            self.failed = true;
            tracing::error!(
                "recording to {} stopped: {e}; the app goes on unrecorded",
                self.path.display()
            );
        }
    }

    /// Note the window's size and scale when they changed.
    pub(crate) fn window(&mut self, size: Size, scale: f64) {
        if self.window == Some((size, scale)) {
            return;
        }
        self.window = Some((size, scale));
        self.body.clear();
        self.body.put(&size);
        self.body.f64(scale);
        self.emit(kind::WINDOW);
    }

    pub(crate) fn input(&mut self, input: &Input) {
        self.body.clear();
        self.body.put(input);
        self.emit(kind::INPUT);
    }

    pub(crate) fn now(&mut self, now: Instant) {
        self.body.clear();
        self.body.u64(nanos_since(self.origin, now));
        self.emit(kind::NOW);
    }

    /// The stats a handler read; once per handler (they cannot change
    /// while it runs).
    pub(crate) fn stats(&mut self, stats: &Stats) {
        if std::mem::replace(&mut self.stats_logged, true) {
            return;
        }
        self.body.clear();
        self.body.put(stats);
        self.emit(kind::STATS);
    }

    pub(crate) fn depth(&mut self, depth: usize) {
        self.body.clear();
        self.body.u64(depth as u64);
        self.emit(kind::DEPTH);
    }

    /// Another answer a handler got from the loop (see [`super::Ask`]).
    pub(crate) fn answer(&mut self, ask: u8, value: u64) {
        self.body.clear();
        self.body.u8(ask);
        self.body.u64(value);
        self.emit(kind::ANSWER);
    }

    pub(crate) fn frame(
        &mut self,
        at: Instant,
        pixmap: &tiny_skia::Pixmap,
        scale: f32,
        overlay: bool,
    ) {
        self.frames += 1;
        self.body.clear();
        self.body.u64(nanos_since(self.origin, at));
        self.body.put(&pixmap.width());
        self.body.put(&pixmap.height());
        self.body.f32(scale);
        self.body.fixed64(pixel_hash(pixmap.data()));
        self.body.put(&overlay);
        self.emit(kind::FRAME);
    }

    /// Make what was recorded so far readable (before the loop sleeps).
    pub(crate) fn flush(&mut self) {
        if !self.failed {
            if let Err(e) = self.out.flush() {
                self.failed = true;
                tracing::error!("recording to {} stopped: {e}", self.path.display());
            }
        }
    }

    /// Close the recording with its end record.
    pub(crate) fn finish(&mut self) {
        self.body.clear();
        self.body.u64(self.events);
        self.body.u64(self.frames);
        self.emit(kind::END);
        self.flush();
        if !self.failed {
            tracing::info!(
                events = self.events,
                frames = self.frames,
                "recording saved to {}",
                self.path.display()
            );
        }
    }
}

impl<M: std::fmt::Debug> Recorder<M> {
    fn message(&mut self, msg: &M) {
        match self.codec {
            Some(codec) => {
                self.body.u8(ENCODED);
                (codec.encode)(msg, &mut self.body);
            }
            None => {
                self.body.u8(DESCRIBED);
                self.body.str(&crate::event_loop::describe(msg));
            }
        }
    }

    /// An event about to be handled; `from_widget` for a widget's message.
    pub(crate) fn event(&mut self, seq: u64, event: &Event<M>, from_widget: bool) {
        self.events += 1;
        self.stats_logged = false;
        self.body.clear();
        self.body.u64(seq);
        if from_widget {
            if let Event::App(msg) = event {
                self.message(msg);
            }
            self.emit(kind::WIDGET);
            return;
        }
        self.body.put(&event.lane());
        match event {
            Event::Input(_) => {}
            Event::Timer(m) | Event::App(m) | Event::Io(m) => self.message(m),
            Event::Lifecycle(Lifecycle::Started) => self.body.u8(0),
            Event::Lifecycle(Lifecycle::Panicked(report)) => {
                self.body.u8(1);
                self.body.put(report);
            }
        }
        self.emit(kind::EVENT);
    }
}

fn nanos_since(origin: Instant, at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(origin).as_nanos()).unwrap_or(u64::MAX)
}

/// A 64-bit hash of a frame's pixels: fast (eight bytes per step) and
/// plenty to tell two frames apart.
pub(crate) fn pixel_hash(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ data.len() as u64;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(a))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(31);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}
