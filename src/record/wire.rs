//! The byte encoding of a recording: a [`Writer`], a bounds-checked
//! [`Reader`], and the [`Wire`] trait an app implements for its message
//! type so its messages can be recorded and replayed.
//!
//! Integers are LEB128 varints (zigzag for signed), floats their IEEE bits
//! in little-endian, strings and byte strings a varint length then the
//! bytes. Enums are a varint tag then their fields. OS strings and paths
//! are a form byte then a byte string, so a recording made on one OS reads
//! on another (see [`Writer::os_str`]). Nothing here trusts the input:
//! every read checks the bytes left and names the offset it failed at.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why bytes could not be read back: where, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: {what}")]
pub struct WireError {
    /// Offset in the file (or buffer) where reading failed.
    pub offset: u64,
    /// What was expected or found there.
    pub what: String,
}

/// Appends encoded values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The bytes written so far.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Forget what was written, keeping the allocation.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    /// One byte.
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// An unsigned integer as a varint (1 byte below 128).
    pub fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.bytes.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.bytes.push(v as u8);
    }

    /// A signed integer, zigzag-encoded so small negatives stay small.
    pub fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    /// A float as its bits.
    pub fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    /// A double as its bits.
    pub fn f64(&mut self, v: f64) {
        self.bytes.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    /// Eight raw bytes (hashes), not a varint.
    pub fn fixed64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// A length, then the bytes.
    pub fn bytes_field(&mut self, v: &[u8]) {
        self.u64(v.len() as u64);
        self.bytes.extend_from_slice(v);
    }

    /// A string, as its UTF-8 bytes.
    pub fn str(&mut self, v: &str) {
        self.bytes_field(v.as_bytes());
    }

    /// An OS string (a file name, a path): a form byte, then a byte
    /// string. Form 0 is UTF-8 text, which every OS can turn into a name;
    /// only a name that is not valid Unicode keeps its native form, 1 for
    /// raw Unix bytes and 2 for raw Windows UTF-16 units (little-endian),
    /// and reads back only where the OS can hold it.
    pub fn os_str(&mut self, v: &OsStr) {
        match crate::sys::os_str::portable(v) {
            Portable::Text(text) => {
                self.u8(os_form::TEXT);
                self.str(text);
            }
            Portable::UnixBytes(bytes) => {
                self.u8(os_form::UNIX_BYTES);
                self.bytes_field(bytes);
            }
            Portable::WindowsWide(units) => {
                self.u8(os_form::WINDOWS_WIDE);
                let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
                self.bytes_field(&bytes);
            }
        }
    }

    /// A value that knows its encoding.
    pub fn put<T: Wire>(&mut self, v: &T) {
        v.encode(self);
    }
}

/// The form byte in front of an OS string (format 2 on).
mod os_form {
    pub(super) const TEXT: u8 = 0;
    pub(super) const UNIX_BYTES: u8 = 1;
    pub(super) const WINDOWS_WIDE: u8 = 2;
}

use crate::sys::os_str::Portable;

/// How OS strings were written: recordings of format 1 held a Unix
/// name's raw bytes with no form byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OsStrings {
    Tagged,
    RawUnixBytes,
}

/// How this OS rebuilds a name from its native form on another OS;
/// `None` where it cannot hold that name.
#[derive(Clone, Copy)]
struct Rebuild {
    unix_bytes: fn(&[u8]) -> Option<OsString>,
    windows_wide: fn(&[u16]) -> Option<OsString>,
}

impl Rebuild {
    const HERE: Rebuild = Rebuild {
        unix_bytes: crate::sys::os_str::from_unix_bytes,
        windows_wide: crate::sys::os_str::from_windows_wide,
    };
}

/// Reads encoded values back, refusing to run past the end.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Offset of `bytes[0]` in the whole file, for error messages.
    base: u64,
    os_strings: OsStrings,
    /// Where an OS string this OS cannot represent was met, if one was.
    unrepresentable: Option<u64>,
}

impl<'a> Reader<'a> {
    /// Read `bytes`, which start at `base` in the file.
    #[must_use]
    pub fn new(bytes: &'a [u8], base: u64) -> Self {
        Self {
            bytes,
            pos: 0,
            base,
            os_strings: OsStrings::Tagged,
            unrepresentable: None,
        }
    }

    /// Read OS strings as format 1 wrote them: raw Unix bytes, no form byte.
    pub(crate) fn with_raw_unix_os_strings(mut self) -> Self {
        self.os_strings = OsStrings::RawUnixBytes;
        self
    }

    /// The offset of an OS string that was well formed but names
    /// something this OS cannot (a non-UTF-8 Unix name on Windows), if
    /// reading met one: then the file is not corrupt, only foreign.
    pub(crate) fn unrepresentable_at(&self) -> Option<u64> {
        self.unrepresentable
    }

    /// Offset of the next byte in the file.
    #[must_use]
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Whether every byte was read.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.pos == self.bytes.len()
    }

    /// An error at the current offset.
    #[must_use]
    pub fn error(&self, what: impl Into<String>) -> WireError {
        WireError {
            offset: self.offset(),
            what: what.into(),
        }
    }

    /// An error for an enum tag no variant has.
    #[must_use]
    pub fn bad_tag(&self, tag: u64, of: &str) -> WireError {
        self.error(format!("unknown {of} tag {tag}"))
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], WireError> {
        let left = self.bytes.len() - self.pos;
        if n > left {
            return Err(self.error(format!(
                "{what} needs {n} bytes but only {left} are left (the data is cut short)"
            )));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, WireError> {
        Ok(self.take(1, "a byte")?[0])
    }

    /// A varint.
    pub fn u64(&mut self) -> Result<u64, WireError> {
        let start = self.offset();
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            if shift == 63 && byte > 1 {
                break;
            }
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(WireError {
            offset: start,
            what: "a varint longer than 64 bits".into(),
        })
    }

    /// A varint that must fit a `usize` and be at most `limit` (lengths,
    /// so a corrupt length cannot ask for gigabytes).
    pub fn len(&mut self, limit: usize) -> Result<usize, WireError> {
        let at = self.offset();
        let v = self.u64()?;
        match usize::try_from(v) {
            Ok(n) if n <= limit => Ok(n),
            _ => Err(WireError {
                offset: at,
                what: format!("a length of {v}, over the {limit} bytes left"),
            }),
        }
    }

    /// A zigzag varint.
    pub fn i64(&mut self) -> Result<i64, WireError> {
        let v = self.u64()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A float.
    pub fn f32(&mut self) -> Result<f32, WireError> {
        let b = self.take(4, "a float")?;
        Ok(f32::from_bits(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    }

    /// A double.
    pub fn f64(&mut self) -> Result<f64, WireError> {
        Ok(f64::from_bits(self.fixed64()?))
    }

    /// Eight raw bytes.
    pub fn fixed64(&mut self) -> Result<u64, WireError> {
        let b = self.take(8, "eight bytes")?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// A byte string.
    pub fn bytes_field(&mut self) -> Result<&'a [u8], WireError> {
        let n = self.len(self.bytes.len() - self.pos)?;
        self.take(n, "a byte string")
    }

    /// A UTF-8 string.
    pub fn str(&mut self) -> Result<String, WireError> {
        let at = self.offset();
        let b = self.bytes_field()?;
        String::from_utf8(b.to_vec()).map_err(|_| WireError {
            offset: at,
            what: "a string that is not UTF-8".into(),
        })
    }

    /// An OS string written by [`Writer::os_str`]. A name that is not
    /// Unicode and that this OS cannot hold (raw Unix bytes on Windows,
    /// a lone UTF-16 surrogate on Unix) is an error naming why.
    pub fn os_string(&mut self) -> Result<OsString, WireError> {
        self.os_string_rebuilt(Rebuild::HERE)
    }

    fn os_string_rebuilt(&mut self, rebuild: Rebuild) -> Result<OsString, WireError> {
        let at = self.offset();
        let form = match self.os_strings {
            OsStrings::Tagged => self.u8()?,
            OsStrings::RawUnixBytes => os_form::UNIX_BYTES,
        };
        let name = match form {
            os_form::TEXT => {
                let bytes = self.bytes_field()?;
                return String::from_utf8(bytes.to_vec())
                    .map(OsString::from)
                    .map_err(|_| WireError {
                        offset: at,
                        what: "a text name that is not UTF-8".into(),
                    });
            }
            os_form::UNIX_BYTES => {
                let bytes = self.bytes_field()?;
                (rebuild.unix_bytes)(bytes).ok_or_else(|| {
                    format!(
                        "a file name from Unix that is not UTF-8 ({}); this OS names \
                         files in Unicode and cannot represent it",
                        String::from_utf8_lossy(bytes)
                    )
                })
            }
            os_form::WINDOWS_WIDE => {
                let bytes = self.bytes_field()?;
                if bytes.len() % 2 != 0 {
                    return Err(WireError {
                        offset: at,
                        what: format!("a UTF-16 name of {} bytes, an odd number", bytes.len()),
                    });
                }
                let units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]))
                    .collect();
                (rebuild.windows_wide)(&units).ok_or_else(|| {
                    format!(
                        "a file name from Windows that is not valid UTF-16 ({}); \
                         this OS cannot represent it",
                        String::from_utf16_lossy(&units)
                    )
                })
            }
            form => {
                return Err(WireError {
                    offset: at,
                    what: format!("unknown OS string form {form}"),
                })
            }
        };
        name.map_err(|what| {
            self.unrepresentable = Some(at);
            WireError { offset: at, what }
        })
    }

    /// A value that knows its encoding.
    pub fn get<T: Wire>(&mut self) -> Result<T, WireError> {
        T::decode(self)
    }
}

/// A type that can be written to a recording and read back.
///
/// Implement it for your app's message type (and what the messages carry)
/// to make runs recordable and replayable; then return
/// `Some(Codec::of::<Msg>())` from [`App::codec`](crate::App::codec).
///
/// ```
/// use oneloop::record::{Reader, Wire, WireError, Writer};
///
/// #[derive(Debug, PartialEq)]
/// enum Msg { Add(i64), Reset }
///
/// impl Wire for Msg {
///     fn encode(&self, out: &mut Writer) {
///         match self {
///             Msg::Add(n) => { out.u64(0); out.put(n) }
///             Msg::Reset => out.u64(1),
///         }
///     }
///     fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
///         match input.u64()? {
///             0 => Ok(Msg::Add(input.get()?)),
///             1 => Ok(Msg::Reset),
///             tag => Err(input.bad_tag(tag, "Msg")),
///         }
///     }
/// }
/// # let mut w = Writer::new();
/// # w.put(&Msg::Add(-3));
/// # assert_eq!(Reader::new(w.bytes(), 0).get::<Msg>().unwrap(), Msg::Add(-3));
/// ```
pub trait Wire: Sized {
    /// Append `self` to `out`.
    fn encode(&self, out: &mut Writer);
    /// Read one value back; never panic on bad bytes, return an error.
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError>;
}

macro_rules! wire_unsigned {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn encode(&self, out: &mut Writer) {
                out.u64(u64::from(*self));
            }
            fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
                let at = input.offset();
                let v = input.u64()?;
                <$t>::try_from(v).map_err(|_| WireError {
                    offset: at,
                    what: format!("{v} does not fit a {}", stringify!($t)),
                })
            }
        }
    )*};
}
// `u8` has no `Wire` of its own so that `Vec<u8>` can be a plain byte string.
wire_unsigned!(u16, u32, u64);

impl Wire for usize {
    fn encode(&self, out: &mut Writer) {
        out.u64(*self as u64);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let at = input.offset();
        let v = input.u64()?;
        usize::try_from(v).map_err(|_| WireError {
            offset: at,
            what: format!("{v} does not fit a usize"),
        })
    }
}

impl Wire for i64 {
    fn encode(&self, out: &mut Writer) {
        out.i64(*self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        input.i64()
    }
}

impl Wire for i32 {
    fn encode(&self, out: &mut Writer) {
        out.i64(i64::from(*self));
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let at = input.offset();
        let v = input.i64()?;
        i32::try_from(v).map_err(|_| WireError {
            offset: at,
            what: format!("{v} does not fit an i32"),
        })
    }
}

impl Wire for bool {
    fn encode(&self, out: &mut Writer) {
        out.u8(u8::from(*self));
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        match input.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(input.error(format!("a bool byte of {b}"))),
        }
    }
}

impl Wire for f32 {
    fn encode(&self, out: &mut Writer) {
        out.f32(*self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        input.f32()
    }
}

impl Wire for f64 {
    fn encode(&self, out: &mut Writer) {
        out.f64(*self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        input.f64()
    }
}

impl Wire for String {
    fn encode(&self, out: &mut Writer) {
        out.str(self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        input.str()
    }
}

impl Wire for OsString {
    fn encode(&self, out: &mut Writer) {
        out.os_str(self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        input.os_string()
    }
}

impl Wire for PathBuf {
    fn encode(&self, out: &mut Writer) {
        out.os_str(self.as_os_str());
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        input.os_string().map(PathBuf::from)
    }
}

impl Wire for Duration {
    fn encode(&self, out: &mut Writer) {
        out.u64(self.as_secs());
        out.u64(u64::from(self.subsec_nanos()));
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        let secs = input.u64()?;
        let nanos = input.u64()?;
        match u32::try_from(nanos) {
            Ok(n) if n < 1_000_000_000 => Ok(Duration::new(secs, n)),
            _ => Err(input.error(format!("{nanos} nanoseconds in a duration"))),
        }
    }
}

impl<T: Wire> Wire for Option<T> {
    fn encode(&self, out: &mut Writer) {
        match self {
            None => out.u8(0),
            Some(v) => {
                out.u8(1);
                v.encode(out);
            }
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        match input.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::decode(input)?)),
            t => Err(input.bad_tag(u64::from(t), "Option")),
        }
    }
}

impl<T: Wire, E: Wire> Wire for Result<T, E> {
    fn encode(&self, out: &mut Writer) {
        match self {
            Ok(v) => {
                out.u8(0);
                v.encode(out);
            }
            Err(e) => {
                out.u8(1);
                e.encode(out);
            }
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        match input.u8()? {
            0 => Ok(Ok(T::decode(input)?)),
            1 => Ok(Err(E::decode(input)?)),
            t => Err(input.bad_tag(u64::from(t), "Result")),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn encode(&self, out: &mut Writer) {
        out.u64(self.len() as u64);
        for v in self {
            v.encode(out);
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        // Every element takes at least one byte, so the bytes left bound
        // the count: a corrupt length cannot make us reserve gigabytes.
        let left = input.bytes.len() - input.pos;
        let n = input.len(left)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(T::decode(input)?);
        }
        Ok(out)
    }
}

impl Wire for Vec<u8> {
    fn encode(&self, out: &mut Writer) {
        out.bytes_field(self);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(input.bytes_field()?.to_vec())
    }
}

impl<T: Wire> Wire for Arc<T> {
    fn encode(&self, out: &mut Writer) {
        T::encode(self, out);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        T::decode(input).map(Arc::new)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn encode(&self, out: &mut Writer) {
        self.0.encode(out);
        self.1.encode(out);
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok((A::decode(input)?, B::decode(input)?))
    }
}

/// How a message type is written and read: two functions, so an app that
/// does not record needs no [`Wire`] implementation at all.
pub struct Codec<M> {
    pub(crate) encode: fn(&M, &mut Writer),
    pub(crate) decode: fn(&mut Reader<'_>) -> Result<M, WireError>,
}

impl<M> Clone for Codec<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Codec<M> {}

impl<M: Wire> Codec<M> {
    /// The codec of a type that implements [`Wire`].
    #[must_use]
    pub fn of() -> Self {
        Self {
            encode: M::encode,
            decode: M::decode,
        }
    }
}

impl<M> std::fmt::Debug for Codec<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Codec")
    }
}

#[cfg(test)]
mod tests;
