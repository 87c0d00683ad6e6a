//! OS strings on Unix: any bytes but NUL.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::Portable;

/// Text if the name is UTF-8, else its raw bytes.
pub(crate) fn portable(s: &OsStr) -> Portable<'_> {
    s.to_str()
        .map_or(Portable::UnixBytes(s.as_bytes()), Portable::Text)
}

/// Any bytes make a Unix name.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the same signature as on Windows, where it can fail"
)]
pub(crate) fn from_unix_bytes(bytes: &[u8]) -> Option<OsString> {
    Some(OsString::from_vec(bytes.to_vec()))
}

/// Unix has no UTF-16 names: only units that are valid UTF-16 convert.
pub(crate) fn from_windows_wide(units: &[u16]) -> Option<OsString> {
    super::wide_as_unicode(units)
}
