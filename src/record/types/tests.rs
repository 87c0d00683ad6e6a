//! Round trips of oneloop's own types, and bad bytes.

#![allow(clippy::unwrap_used)]
use super::*;
use std::time::Duration;

fn round_trip<T: Wire + std::fmt::Debug + PartialEq>(v: &T) {
    let mut w = Writer::new();
    w.put(v);
    let mut r = Reader::new(w.bytes(), 0);
    assert_eq!(&r.get::<T>().unwrap(), v);
    assert!(r.is_done(), "{v:?} left bytes unread");
}

#[test]
fn every_input_reads_back_as_written() {
    let inputs = [
        Input::Key(KeyEvent {
            key: Key::Character("ß".into()),
            state: ButtonState::Pressed,
            text: Some("ß".into()),
            modifiers: Modifiers::CTRL,
            repeat: true,
        }),
        Input::key_press(Key::Named(NamedKey::F(12))),
        Input::key_press(Key::Named(NamedKey::PageDown)),
        Input::ModifiersChanged(Modifiers::SHIFT),
        Input::PointerMoved {
            position: Point::new(1.5, -2.0),
        },
        Input::PointerButton {
            button: PointerButton::Other(9),
            state: ButtonState::Released,
            position: Point::new(3.0, 4.0),
        },
        Input::Wheel {
            delta: ScrollDelta::Pixels { x: 0.0, y: -12.5 },
            position: Point::new(0.0, 0.0),
        },
        Input::Resized(Size::new(800.0, 600.0)),
        Input::ScaleFactorChanged(2.0),
        Input::Focused(false),
        Input::CloseRequested,
        Input::PointerLeft,
        Input::PointerEntered,
        Input::FileHovered(PathBuf::from("in/a folder")),
        Input::FileHoverCancelled,
        Input::FileDropped(PathBuf::from("dropped.txt")),
    ];
    for input in &inputs {
        round_trip(input);
    }
}

#[test]
fn numbers_strings_and_containers_read_back() {
    round_trip(&u64::MAX);
    round_trip(&-1_234_567_i64);
    round_trip(&i64::MIN);
    round_trip(&String::from("Größe — 日本語 ✓"));
    round_trip(&vec![Some(1u32), None]);
    round_trip(&Duration::new(3, 999_999_999));
    round_trip(&(7usize, Ok::<u16, String>(3)));
    round_trip(&vec![0u8, 255, 7]);
}

#[test]
fn file_errors_keep_their_kind_path_and_text() {
    let path = PathBuf::from("/x/y");
    let errs = [
        FsError::TooLarge {
            path: path.clone(),
            size: 5 << 30,
            limit: 1 << 26,
        },
        FsError::NotARegularFile {
            path: path.clone(),
            kind: EntryKind::Fifo,
        },
        FsError::Other {
            path: path.clone(),
            source: Arc::new(std::io::Error::other("disk on fire")),
        },
        FsError::InUse { path: path.clone() },
        FsError::Cancelled,
    ];
    for e in &errs {
        let mut w = Writer::new();
        w.put(e);
        let back: FsError = Reader::new(w.bytes(), 0).get().unwrap();
        assert_eq!(back.to_string(), e.to_string());
        assert_eq!(back.path(), e.path());
    }
}

#[test]
fn bad_bytes_are_errors_with_offsets_never_panics() {
    let mut w = Writer::new();
    w.put(&Input::key_press(Key::Character("a".into())));
    let bytes = w.bytes();
    for cut in 0..bytes.len() {
        let err = Reader::new(&bytes[..cut], 100).get::<Input>().unwrap_err();
        assert!(err.offset >= 100 && err.offset <= 100 + cut as u64, "{err}");
    }
    let err = Reader::new(&[0xff; 11], 0).get::<u64>().unwrap_err();
    assert!(err.what.contains("varint"), "{err}");
    let err = Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x08], 0)
        .get::<Vec<u32>>()
        .unwrap_err();
    assert!(err.what.contains("length"), "{err}");
    let err = Reader::new(&[42], 7).get::<Input>().unwrap_err();
    assert_eq!(err.offset, 8);
    assert!(err.what.contains("unknown input tag 42"), "{err}");
}
