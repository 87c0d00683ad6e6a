//! OS strings (file names, paths) in a form any OS can read back.
//!
//! Text that is valid Unicode travels as UTF-8, which every OS can turn
//! into a name of its own. Only names that are not Unicode keep their
//! native form: raw bytes on Unix, raw UTF-16 units on Windows. Such a
//! name can be rebuilt only where the OS can hold it; elsewhere the
//! `from_*` functions say no and the caller reports it.

use std::ffi::OsString;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub(crate) use imp::{from_unix_bytes, from_windows_wide, portable};

/// An OS string split into what travels: Unicode text, or a native form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Portable<'a> {
    /// Valid Unicode, so any OS can name it.
    Text(&'a str),
    /// A Unix name that is not UTF-8: its bytes as the kernel has them.
    #[cfg_attr(windows, allow(dead_code, reason = "made only on Unix"))]
    UnixBytes(&'a [u8]),
    /// A Windows name that is not valid UTF-16 (an unpaired surrogate).
    #[cfg_attr(unix, allow(dead_code, reason = "made only on Windows"))]
    WindowsWide(Vec<u16>),
}

/// Unix bytes on an OS that names files in Unicode: only UTF-8 converts.
#[cfg_attr(
    not(windows),
    allow(dead_code, reason = "used where names are Unicode; tested everywhere")
)]
pub(crate) fn unix_bytes_as_unicode(bytes: &[u8]) -> Option<OsString> {
    std::str::from_utf8(bytes).ok().map(OsString::from)
}

/// Windows units on an OS that does not name files in UTF-16: only valid
/// UTF-16 converts (to the same text in UTF-8).
#[cfg_attr(
    windows,
    allow(
        dead_code,
        reason = "used where names are not UTF-16; tested everywhere"
    )
)]
pub(crate) fn wide_as_unicode(units: &[u16]) -> Option<OsString> {
    String::from_utf16(units).ok().map(OsString::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin1_unix_name_cannot_become_a_unicode_name() {
        assert_eq!(unix_bytes_as_unicode(b"caf\xe9.txt"), None);
        assert_eq!(
            unix_bytes_as_unicode("café.txt".as_bytes()),
            Some(OsString::from("café.txt"))
        );
    }

    #[test]
    fn a_lone_surrogate_cannot_become_a_unix_name() {
        let lone = [u16::from(b'a'), 0xD800, u16::from(b'b')];
        assert_eq!(wide_as_unicode(&lone), None);
        let text: Vec<u16> = "naïve".encode_utf16().collect();
        assert_eq!(wide_as_unicode(&text), Some(OsString::from("naïve")));
    }

    #[test]
    fn unicode_names_travel_as_text() {
        let name = OsString::from("Grüße/日本.txt");
        assert_eq!(portable(&name), Portable::Text("Grüße/日本.txt"));
    }
}
