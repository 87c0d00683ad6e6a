//! Reading a recording back: the header, then each record, checked whole
//! before anything is replayed.

use super::log::{
    kind, Body, Entry, FrameRecord, Header, DESCRIBED, ENCODED, MAGIC, OLDEST_VERSION, VERSION,
};
use super::wire::{Codec, Reader, WireError};
use super::ReplayError;
use crate::event::{Event, Lane, Lifecycle, PanicReport};
use crate::geometry::Size;

/// The longest record body accepted; nothing written comes near it, so a
/// larger length means the file is corrupt.
const MAX_RECORD: usize = 1 << 30;
/// The largest frame accepted (two 8K screens' worth).
const MAX_FRAME_PIXELS: u64 = 2 * 7680 * 4320;

/// Read a whole recording: the header, then every record, checking that
/// each is complete and well formed before anything is replayed.
/// The header must name `message_type`: records are decoded with its codec.
pub(crate) fn parse<M>(
    bytes: &[u8],
    codec: Option<Codec<M>>,
    message_type: &str,
) -> Result<(Header, Vec<Entry<M>>, bool), ReplayError> {
    let (header, version, mut at) = read_header(bytes)?;
    if !same_type(&header.message_type, message_type) {
        return Err(ReplayError::WrongApp {
            recorded: header.message_type.clone(),
            replaying: message_type.to_owned(),
        });
    }
    let mut entries = Vec::new();
    let mut ended = false;
    while at < bytes.len() {
        let (k, mut r, next) = next_record(bytes, at, ended, version)?;
        let body = read_body(k, &mut r, codec).map_err(|err| foreign(err, &r))?;
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
    let (header, version, mut at) = read_header(bytes)?;
    let mut contents = super::Contents {
        message_type: header.message_type,
        ..super::Contents::default()
    };
    while at < bytes.len() {
        let (k, mut r, next) = next_record(bytes, at, contents.finished, version)?;
        if k == kind::EVENT {
            r.u64()?;
            let lane: Lane = r.get()?;
            contents.events[Lane::ALL.iter().position(|l| *l == lane).unwrap_or(0)] += 1;
        } else if k == kind::WIDGET {
            contents.widget_messages += 1;
        } else {
            match read_body::<()>(k, &mut r, None).map_err(|err| foreign(err, &r))? {
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

/// The header, the format version, and where the first record starts.
fn read_header(bytes: &[u8]) -> Result<(Header, u16, usize), ReplayError> {
    let head = MAGIC.len() + 2 + 4;
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(ReplayError::NotARecording);
    }
    if bytes.len() < head {
        return Err(corrupt(MAGIC.len() as u64, "the header is cut short"));
    }
    let version = u16::from_le_bytes([bytes[12], bytes[13]]);
    if !(OLDEST_VERSION..=VERSION).contains(&version) {
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
    Ok((header, version, head + header_len))
}

/// The record at `at`: its kind, a reader over its body, and where the
/// next one starts. Checks it is whole and that nothing follows the end.
fn next_record(
    bytes: &[u8],
    at: usize,
    ended: bool,
    version: u16,
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
    let mut r = Reader::new(&bytes[start..start + len], start as u64);
    if version == 1 {
        r = r.with_raw_unix_os_strings();
    }
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

/// A decoding error that was a well-formed name this OS cannot hold is
/// not corruption: say so, so the user knows to replay where it was made.
fn foreign(err: ReplayError, r: &Reader<'_>) -> ReplayError {
    match err {
        ReplayError::Corrupt(wire) if r.unrepresentable_at() == Some(wire.offset) => {
            ReplayError::Unrepresentable {
                offset: wire.offset,
                what: wire.what,
            }
        }
        err => err,
    }
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
        kind::ANSWER => {
            let ask = r.u8()?;
            if usize::from(ask) >= super::Ask::COUNT {
                return Err(r.bad_tag(u64::from(ask), "answer").into());
            }
            Body::Answer(ask, r.u64()?)
        }
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
