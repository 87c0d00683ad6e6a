//! The recording file: its header and records, written by [`Recorder`] and
//! read back by [`parse`]. The format is described in `docs/recording.md`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::wire::{Codec, Reader, WireError, Writer};
use super::ReplayError;
use crate::event::{Event, Lane, Lifecycle, PanicReport};
use crate::geometry::Size;
use crate::input::Input;
use crate::stats::Stats;

/// The first bytes of every recording.
pub(crate) const MAGIC: &[u8; 12] = b"ONELOOP-REC\n";
/// The format version this build writes and reads.
pub(crate) const VERSION: u16 = 1;
/// The longest record body accepted; nothing written comes near it, so a
/// larger length means the file is corrupt.
const MAX_RECORD: usize = 1 << 30;
/// The largest frame accepted (two 8K screens' worth).
const MAX_FRAME_PIXELS: u64 = 2 * 7680 * 4320;

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
}

/// How a message is stored: encoded, or only described (no codec).
const ENCODED: u8 = 0;
const DESCRIBED: u8 = 1;

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

impl<M: std::fmt::Debug> Recorder<M> {
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

/// Read a whole recording: the header, then every record, checking that
/// each is complete and well formed before anything is replayed.
/// The header must name `message_type`: records are decoded with its codec.
pub(crate) fn parse<M>(
    bytes: &[u8],
    codec: Option<Codec<M>>,
    message_type: &str,
) -> Result<(Header, Vec<Entry<M>>, bool), ReplayError> {
    let (header, mut at) = read_header(bytes)?;
    if !same_type(&header.message_type, message_type) {
        return Err(ReplayError::WrongApp {
            recorded: header.message_type.clone(),
            replaying: message_type.to_owned(),
        });
    }
    let mut entries = Vec::new();
    let mut ended = false;
    while at < bytes.len() {
        let (k, mut r, next) = next_record(bytes, at, ended)?;
        let body = read_body(k, &mut r, codec)?;
        if !r.is_done() {
            return Err(corrupt(r.offset(), "unread bytes at the end of a record"));
        }
        ended = matches!(body, Body::End { .. });
        entries.push(Entry {
            offset: at as u64,
            body,
        });
        at = next;
    }
    Ok((header, entries, ended))
}

/// What a recording holds, read without the app: every record is checked
/// except the app's message bodies.
pub(crate) fn inspect(bytes: &[u8]) -> Result<super::Contents, ReplayError> {
    let (header, mut at) = read_header(bytes)?;
    let mut contents = super::Contents {
        message_type: header.message_type,
        ..super::Contents::default()
    };
    while at < bytes.len() {
        let (k, mut r, next) = next_record(bytes, at, contents.finished)?;
        if k == kind::EVENT {
            r.u64()?;
            let lane: Lane = r.get()?;
            contents.events[Lane::ALL.iter().position(|l| *l == lane).unwrap_or(0)] += 1;
        } else if k == kind::WIDGET {
            contents.widget_messages += 1;
        } else {
            match read_body::<()>(k, &mut r, None)? {
                Body::Input(_) => contents.inputs += 1,
                Body::Now(ns) => contents.duration = contents.duration.max(ns),
                Body::Frame(f) => {
                    contents.frames += 1;
                    contents.duration = contents.duration.max(f.at_ns);
                }
                Body::End { .. } => contents.finished = true,
                _ => {}
            }
            if !r.is_done() {
                return Err(corrupt(r.offset(), "unread bytes at the end of a record"));
            }
        }
        at = next;
    }
    Ok(contents)
}

/// The header, and where the first record starts.
fn read_header(bytes: &[u8]) -> Result<(Header, usize), ReplayError> {
    let head = MAGIC.len() + 2 + 4;
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(ReplayError::NotARecording);
    }
    if bytes.len() < head {
        return Err(corrupt(MAGIC.len() as u64, "the header is cut short"));
    }
    let version = u16::from_le_bytes([bytes[12], bytes[13]]);
    if version != VERSION {
        return Err(ReplayError::Version {
            found: version,
            supported: VERSION,
        });
    }
    let header_len = read_len(bytes, 14);
    let Some(header_bytes) = bytes.get(head..head + header_len) else {
        return Err(corrupt(14, "the header is cut short"));
    };
    let mut r = Reader::new(header_bytes, head as u64);
    let header = Header {
        message_type: r.str()?,
        system_fonts: r.get()?,
        has_codec: r.get()?,
    };
    if !r.is_done() {
        return Err(corrupt(r.offset(), "unread bytes at the end of the header"));
    }
    Ok((header, head + header_len))
}

/// The record at `at`: its kind, a reader over its body, and where the
/// next one starts. Checks it is whole and that nothing follows the end.
fn next_record(
    bytes: &[u8],
    at: usize,
    ended: bool,
) -> Result<(u8, Reader<'_>, usize), ReplayError> {
    if ended {
        return Err(corrupt(at as u64, "bytes after the end record"));
    }
    if bytes.len() - at < 5 {
        return Err(corrupt(at as u64, "a record header is cut short"));
    }
    let (k, len) = (bytes[at], read_len(bytes, at + 1));
    let start = at + 5;
    if len > MAX_RECORD || len > bytes.len() - start {
        return Err(corrupt(
            at as u64,
            format!(
                "a record of {len} bytes, but only {} are left (the file is cut short)",
                bytes.len() - start
            ),
        ));
    }
    let r = Reader::new(&bytes[start..start + len], start as u64);
    Ok((k, r, start + len))
}

/// Whether two type names name the same type. The same module compiled
/// into another crate (an example included by a test) has a longer path,
/// so a name also matches one it ends with.
fn same_type(a: &str, b: &str) -> bool {
    let ends = |long: &str, short: &str| {
        long.strip_suffix(short)
            .is_some_and(|head| head.ends_with("::"))
    };
    a == b || ends(a, b) || ends(b, a)
}

fn read_len(bytes: &[u8], at: usize) -> usize {
    let mut a = [0u8; 4];
    a.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(a) as usize
}

fn corrupt(offset: u64, what: impl Into<String>) -> ReplayError {
    ReplayError::Corrupt(WireError {
        offset,
        what: what.into(),
    })
}

fn read_body<M>(
    k: u8,
    r: &mut Reader<'_>,
    codec: Option<Codec<M>>,
) -> Result<Body<M>, ReplayError> {
    Ok(match k {
        kind::WINDOW => {
            let (size, scale): (Size, f64) = (r.get()?, r.f64()?);
            let sane = |v: f64| v.is_finite() && (0.0..=100_000.0).contains(&v);
            if !sane(f64::from(size.w))
                || !sane(f64::from(size.h))
                || !(0.1..=16.0).contains(&scale)
            {
                return Err(corrupt(
                    r.offset(),
                    format!("a window of {size:?} at scale {scale}"),
                ));
            }
            Body::Window(size, scale)
        }
        kind::INPUT => Body::Input(r.get()?),
        kind::EVENT => {
            let seq = r.u64()?;
            let event = match r.get::<Lane>()? {
                Lane::Input => None,
                Lane::Lifecycle => Some(Event::Lifecycle(match r.u8()? {
                    0 => Lifecycle::Started,
                    1 => Lifecycle::Panicked(r.get::<PanicReport>()?),
                    t => return Err(r.bad_tag(u64::from(t), "lifecycle").into()),
                })),
                Lane::Timer => Some(Event::Timer(message(r, codec)?)),
                Lane::App => Some(Event::App(message(r, codec)?)),
                Lane::Io => Some(Event::Io(message(r, codec)?)),
            };
            Body::Event(seq, event)
        }
        kind::WIDGET => {
            let seq = r.u64()?;
            let at = r.offset();
            let form = r.u8()?;
            if form != ENCODED {
                return Err(ReplayError::NoCodec { offset: at });
            }
            let rest = r.clone();
            // Decode once to check it, keep the bytes for comparison.
            message_body(r, codec, at)?;
            let used = (r.offset() - rest.offset()) as usize;
            let mut copy = rest;
            let mut bytes = Vec::with_capacity(used);
            for _ in 0..used {
                bytes.push(copy.u8()?);
            }
            Body::Widget(seq, bytes)
        }
        kind::NOW => Body::Now(r.u64()?),
        kind::STATS => Body::Stats(Box::new(r.get()?)),
        kind::DEPTH => Body::Depth(r.u64()?),
        kind::FRAME => {
            let frame = FrameRecord {
                at_ns: r.u64()?,
                width: r.get()?,
                height: r.get()?,
                scale: r.f32()?,
                hash: r.fixed64()?,
                overlay: r.get()?,
            };
            // A damaged size must not make the replay allocate gigabytes.
            let pixels = u64::from(frame.width) * u64::from(frame.height);
            if pixels > MAX_FRAME_PIXELS || !(0.1..=16.0).contains(&frame.scale) {
                return Err(corrupt(
                    r.offset(),
                    format!(
                        "a frame of {}×{} pixels at scale {}",
                        frame.width, frame.height, frame.scale
                    ),
                ));
            }
            Body::Frame(frame)
        }
        kind::END => Body::End {
            events: r.u64()?,
            frames: r.u64()?,
        },
        other => {
            return Err(corrupt(
                r.offset().saturating_sub(5),
                format!("unknown record kind {other}"),
            ))
        }
    })
}

fn message<M>(r: &mut Reader<'_>, codec: Option<Codec<M>>) -> Result<M, ReplayError> {
    let at = r.offset();
    match r.u8()? {
        ENCODED => message_body(r, codec, at),
        DESCRIBED => Err(ReplayError::NoCodec { offset: at }),
        t => Err(r.bad_tag(u64::from(t), "message form").into()),
    }
}

fn message_body<M>(r: &mut Reader<'_>, codec: Option<Codec<M>>, at: u64) -> Result<M, ReplayError> {
    let codec = codec.ok_or(ReplayError::NoCodec { offset: at })?;
    // The app's own decoder is code we do not control: a panic in it is
    // an error at this offset, not a crash of the replay.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (codec.decode)(r))) {
        Ok(decoded) => Ok(decoded?),
        Err(payload) => Err(corrupt(
            at,
            format!(
                "the app's message decoder panicked: {}",
                crate::panic::describe(&*payload)
            ),
        )),
    }
}
