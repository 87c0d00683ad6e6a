//! OS strings on Windows: 16-bit units, not necessarily valid UTF-16.

use std::ffi::{OsStr, OsString};
use std::os::windows::ffi::{OsStrExt, OsStringExt};

use super::Portable;

/// Text if the name is valid Unicode, else its raw UTF-16 units.
pub(crate) fn portable(s: &OsStr) -> Portable<'_> {
    s.to_str().map_or_else(
        || Portable::WindowsWide(s.encode_wide().collect()),
        Portable::Text,
    )
}

/// Windows names are Unicode: only bytes that are UTF-8 convert.
pub(crate) fn from_unix_bytes(bytes: &[u8]) -> Option<OsString> {
    super::unix_bytes_as_unicode(bytes)
}

/// Any units make a Windows name.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the same signature as on Unix, where it can fail"
)]
pub(crate) fn from_windows_wide(units: &[u16]) -> Option<OsString> {
    Some(OsString::from_wide(units))
}
