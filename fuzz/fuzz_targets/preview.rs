//! The file loader's preview of a file's first bytes: text lines for text,
//! a hex dump for binary. Any bytes at all must give a preview without a
//! panic; text lines must be displayable (no control characters, bounded
//! length) and the hex dump must decode back to the bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../examples/file_loader/preview.rs"]
#[allow(dead_code, reason = "only the pure functions are exercised")]
mod preview;

use preview::{hex_dump, looks_binary, text_lines, Preview};

/// Longest line the preview keeps, in characters (the example's limit).
const MAX_LINE_CHARS: usize = 400;

fn check_text(bytes: &[u8]) {
    let lines = text_lines(bytes);
    let expected = String::from_utf8_lossy(bytes).lines().count();
    assert_eq!(lines.len(), expected, "lines lost or invented");
    for line in &lines {
        assert!(line.chars().count() <= MAX_LINE_CHARS, "an overlong line");
        assert!(
            !line.chars().any(char::is_control),
            "a control character in {line:?}"
        );
    }
}

fn check_hex(bytes: &[u8]) {
    let lines = hex_dump(bytes);
    assert_eq!(lines.len(), bytes.len().div_ceil(16));
    let mut decoded = Vec::with_capacity(bytes.len());
    for (row, line) in lines.iter().enumerate() {
        let (offset, rest) = line.split_once("  ").expect("offset, then two spaces");
        assert_eq!(usize::from_str_radix(offset, 16).ok(), Some(row * 16));
        let (hex, ascii) = rest.split_once(" |").expect("hex, then the text column");
        let chunk: Vec<u8> = hex
            .split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).expect("two hex digits"))
            .collect();
        assert_eq!(ascii.strip_suffix('|').map(str::len), Some(chunk.len()));
        // Full rows line up: every line but the last is the same width.
        if row + 1 < lines.len() {
            assert_eq!(line.len(), lines[0].len());
        }
        decoded.extend(chunk);
    }
    assert_eq!(decoded, bytes, "the hex dump does not decode to the bytes");
}

fuzz_target!(|bytes: &[u8]| {
    let binary = looks_binary(bytes);
    if bytes.contains(&0) {
        assert!(binary, "a NUL byte must mean binary");
    }
    match Preview::from_bytes(bytes) {
        Preview::Hex(_) => assert!(binary),
        Preview::Text(_) => assert!(!binary),
        other => panic!("unexpected preview {other:?}"),
    }
    check_text(bytes);
    check_hex(bytes);
});
