//! Turning the first bytes of a file into something to read: numbered text
//! lines for UTF-8 (decoded lossily), a hex dump for anything binary.

/// What the preview pane shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Preview {
    /// Nothing selected.
    None,
    /// The named file's first bytes are being read.
    Loading(String),
    /// Text lines (without their line breaks).
    Text(Vec<String>),
    /// Hex dump lines: offset, 16 bytes in hex, the printable ASCII.
    Hex(Vec<String>),
    /// The file could not be read.
    Error(String),
}

/// Longest line kept for display, in characters.
const MAX_LINE_CHARS: usize = 400;

impl Preview {
    pub(crate) fn from_result(result: Result<Vec<u8>, String>) -> Self {
        match result {
            Ok(bytes) => Self::from_bytes(&bytes),
            Err(e) => Preview::Error(e),
        }
    }

    /// Text if the bytes look like text, a hex dump otherwise.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Self {
        if looks_binary(bytes) {
            Preview::Hex(hex_dump(bytes))
        } else {
            Preview::Text(text_lines(bytes))
        }
    }
}

/// A NUL byte, or more than a few per cent of invalid UTF-8, means binary.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return true;
    }
    let text = String::from_utf8_lossy(bytes);
    let replaced = text
        .chars()
        .filter(|c| *c == char::REPLACEMENT_CHARACTER)
        .count();
    replaced * 20 > text.chars().count().max(1)
}

/// Lines of lossily decoded text; tabs become spaces, long lines are cut.
pub(crate) fn text_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .map(|line| {
            let line = line.replace('\t', "    ");
            let line: String = line
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_LINE_CHARS)
                .collect();
            line
        })
        .collect()
}

/// Classic hex dump lines: `00000010  48 65 6c 6c 6f 20 ...  |Hello ...|`.
pub(crate) fn hex_dump(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(row, chunk)| {
            let mut hex = String::with_capacity(49);
            for (i, b) in chunk.iter().enumerate() {
                if i == 8 {
                    hex.push(' ');
                }
                hex.push_str(&format!("{b:02x} "));
            }
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if b.is_ascii_graphic() || b == b' ' {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            format!("{:08x}  {hex:<49} |{ascii}|", row * 16)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_shown_as_lines_and_binary_as_hex() {
        assert_eq!(
            Preview::from_bytes(b"one\ntwo\r\nthree"),
            Preview::Text(vec!["one".into(), "two".into(), "three".into()])
        );
        let Preview::Hex(lines) = Preview::from_bytes(&[0, 1, 2, b'A', 0xff]) else {
            panic!("binary bytes should give a hex dump");
        };
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].starts_with("00000000  00 01 02 41 ff "),
            "{}",
            lines[0]
        );
        assert!(lines[0].ends_with(" |...A.|"), "{}", lines[0]);
        // The ASCII column lines up with that of a full row.
        let full = hex_dump(&[b'x'; 16]);
        assert_eq!(lines[0].find('|'), full[0].find('|'));
    }

    #[test]
    fn invalid_utf8_in_text_is_replaced_not_fatal() {
        let Preview::Text(lines) = Preview::from_bytes(b"caf\xe9 au lait, plain text otherwise")
        else {
            panic!("mostly valid text stays text");
        };
        assert!(lines[0].starts_with("caf\u{fffd}"));
    }
}
