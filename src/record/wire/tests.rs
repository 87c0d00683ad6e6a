//! OS strings in a recording: what travels, and what a foreign OS refuses.

#![allow(clippy::unwrap_used, reason = "a test fails loudly")]

use std::ffi::OsString;
use std::path::PathBuf;

use super::{os_form, Reader, Rebuild, Writer};
use crate::sys::os_str::{unix_bytes_as_unicode, wide_as_unicode};

/// How Windows rebuilds names, run on any OS: Unix bytes only if UTF-8.
const AS_WINDOWS: Rebuild = Rebuild {
    unix_bytes: unix_bytes_as_unicode,
    windows_wide: |units| Some(OsString::from(String::from_utf16_lossy(units))),
};

/// A form byte and a byte string, as format 2 writes an OS string.
fn tagged(form: u8, payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.u8(form);
    w.bytes_field(payload);
    w.bytes().to_vec()
}

#[test]
fn unicode_paths_are_written_as_text_and_read_back_anywhere() {
    let path = PathBuf::from("notes/Grüße 日本.txt");
    let mut w = Writer::new();
    w.put(&path);
    assert_eq!(
        w.bytes(),
        tagged(os_form::TEXT, "notes/Grüße 日本.txt".as_bytes())
    );
    assert_eq!(Reader::new(w.bytes(), 0).get::<PathBuf>().unwrap(), path);
    // What Windows would make of the same bytes is the same name.
    let back = Reader::new(w.bytes(), 0)
        .os_string_rebuilt(AS_WINDOWS)
        .unwrap();
    assert_eq!(back, OsString::from("notes/Grüße 日本.txt"));
}

#[test]
fn a_non_utf8_unix_name_read_where_names_are_unicode_is_a_clear_error() {
    let bytes = tagged(os_form::UNIX_BYTES, b"/home/ada/caf\xe9.txt");
    let mut framed = vec![7u8; 5];
    framed.extend_from_slice(&bytes);
    let mut r = Reader::new(&framed, 1000);
    r.take(5, "padding").unwrap();
    let err = r.os_string_rebuilt(AS_WINDOWS).unwrap_err();
    assert_eq!(err.offset, 1005, "names where the name starts: {err}");
    assert!(err.what.contains("not UTF-8"), "{err}");
    assert!(err.what.contains("cannot represent"), "{err}");
    assert!(
        err.what.contains("caf\u{fffd}.txt"),
        "shows the name: {err}"
    );
    assert_eq!(
        r.unrepresentable_at(),
        Some(1005),
        "not taken for corruption"
    );
}

#[test]
fn a_lone_surrogate_windows_name_read_where_names_are_not_utf16_is_a_clear_error() {
    let units = [u16::from(b'x'), 0xDC00, u16::from(b'y')];
    let payload: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    let bytes = tagged(os_form::WINDOWS_WIDE, &payload);
    let unix_like = Rebuild {
        unix_bytes: |b| Some(OsString::from(String::from_utf8_lossy(b).into_owned())),
        windows_wide: wide_as_unicode,
    };
    let mut r = Reader::new(&bytes, 0);
    let err = r.os_string_rebuilt(unix_like).unwrap_err();
    assert_eq!(err.offset, 0);
    assert!(err.what.contains("not valid UTF-16"), "{err}");
    assert_eq!(r.unrepresentable_at(), Some(0));
}

#[cfg(unix)]
#[test]
fn a_non_utf8_unix_name_round_trips_on_unix() {
    use std::os::unix::ffi::OsStringExt;
    let name = OsString::from_vec(b"caf\xe9.txt".to_vec());
    let mut w = Writer::new();
    w.put(&name);
    assert_eq!(w.bytes(), tagged(os_form::UNIX_BYTES, b"caf\xe9.txt"));
    assert_eq!(Reader::new(w.bytes(), 0).get::<OsString>().unwrap(), name);
}

#[cfg(windows)]
#[test]
fn a_lone_surrogate_name_round_trips_on_windows() {
    use std::os::windows::ffi::OsStringExt;
    let name = OsString::from_wide(&[u16::from(b'x'), 0xD800]);
    let mut w = Writer::new();
    w.put(&name);
    assert_eq!(w.bytes()[0], os_form::WINDOWS_WIDE);
    assert_eq!(Reader::new(w.bytes(), 0).get::<OsString>().unwrap(), name);
}

#[cfg(windows)]
#[test]
fn a_non_utf8_unix_name_is_refused_on_windows() {
    let bytes = tagged(os_form::UNIX_BYTES, b"caf\xe9.txt");
    let err = Reader::new(&bytes, 0).get::<PathBuf>().unwrap_err();
    assert!(err.what.contains("cannot represent"), "{err}");
}

#[test]
fn format_1_names_are_raw_unix_bytes_without_a_form_byte() {
    let mut w = Writer::new();
    w.bytes_field(b"/tmp/notes.txt");
    let mut r = Reader::new(w.bytes(), 0).with_raw_unix_os_strings();
    assert_eq!(r.get::<PathBuf>().unwrap(), PathBuf::from("/tmp/notes.txt"));
    assert!(r.is_done());
}

#[test]
fn damaged_os_strings_are_errors_not_panics() {
    // An unknown form, an odd number of UTF-16 bytes, text that is not UTF-8.
    for bytes in [
        tagged(9, b"x"),
        tagged(os_form::WINDOWS_WIDE, &[0x41, 0x00, 0x42]),
        tagged(os_form::TEXT, b"\xff"),
    ] {
        let mut r = Reader::new(&bytes, 0);
        let err = r.get::<OsString>().unwrap_err();
        assert_eq!(err.offset, 0, "{err}");
        assert_eq!(
            r.unrepresentable_at(),
            None,
            "damage, not a foreign name: {err}"
        );
    }
}
