//! Splitting a byte stream from a pipe into text lines with bounded memory.

/// The longest piece of text delivered as one message.
///
/// A child that writes megabytes without a newline must not make the loop
/// buffer megabytes, so a line longer than this arrives in pieces of at most
/// this many bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// Turns chunks of bytes into lines without their terminator.
///
/// Bytes are kept until a newline arrives, so a line split across two reads
/// is still delivered whole. At most [`MAX_LINE`] bytes wait here between
/// calls.
#[derive(Debug, Default)]
pub(crate) struct LineSplitter {
    pending: Vec<u8>,
}

impl LineSplitter {
    /// Appends `bytes` and hands every completed line (or overlong piece) to `emit`.
    pub(crate) fn feed(&mut self, bytes: &[u8], mut emit: impl FnMut(String)) {
        // Earlier bytes held no newline, so only the new ones need scanning.
        let mut scan_from = self.pending.len();
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(offset) = find_newline(&self.pending[scan_from..]) {
            let end = scan_from + offset;
            emit_line(&self.pending[start..end], &mut emit);
            start = end + 1;
            scan_from = start;
        }
        // An unterminated tail longer than the limit goes out in pieces now,
        // which is what keeps the buffer bounded.
        while self.pending.len() - start > MAX_LINE {
            let cut = piece_end(&self.pending[start..]);
            emit(decode(&self.pending[start..start + cut]));
            start += cut;
        }
        self.pending.drain(..start);
    }

    /// Hands out the unterminated last line, if any, once the stream has ended.
    pub(crate) fn finish(&mut self, mut emit: impl FnMut(String)) {
        if !self.pending.is_empty() {
            emit_line(&self.pending, &mut emit);
            self.pending.clear();
        }
    }
}

fn find_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// Emits one complete line, in pieces when it is longer than [`MAX_LINE`].
fn emit_line(mut line: &[u8], emit: &mut impl FnMut(String)) {
    // A line ending in CRLF is one line, not one line with a stray '\r'.
    if let Some(stripped) = line.strip_suffix(b"\r") {
        line = stripped;
    }
    while line.len() > MAX_LINE {
        let cut = piece_end(line);
        emit(decode(&line[..cut]));
        line = &line[cut..];
    }
    emit(decode(line));
}

/// Where to cut a piece of at most [`MAX_LINE`] bytes from `bytes`.
///
/// The cut moves back to the start of a UTF-8 sequence so that splitting an
/// overlong line never turns a valid character into replacement characters.
fn piece_end(bytes: &[u8]) -> usize {
    if bytes.len() <= MAX_LINE {
        return bytes.len();
    }
    // A UTF-8 sequence is at most 4 bytes, so a character start lies within
    // 3 bytes before the limit; invalid input without one is cut at the limit.
    (MAX_LINE - 3..=MAX_LINE)
        .rev()
        .find(|&cut| !is_continuation(bytes[cut]))
        .unwrap_or(MAX_LINE)
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

fn decode(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(chunks: &[&[u8]]) -> Vec<String> {
        let mut splitter = LineSplitter::default();
        let mut out = Vec::new();
        for chunk in chunks {
            splitter.feed(chunk, |line| out.push(line));
        }
        splitter.finish(|line| out.push(line));
        out
    }

    #[test]
    fn lines_split_across_reads_arrive_whole() {
        assert_eq!(split(&[b"hel", b"lo\nwor", b"ld\n"]), ["hello", "world"]);
    }

    #[test]
    fn crlf_and_empty_lines() {
        assert_eq!(split(&[b"a\r\n\r\n\nb\r", b"\n"]), ["a", "", "", "b"]);
    }

    #[test]
    fn unterminated_last_line_is_kept() {
        assert_eq!(split(&[b"one\ntwo"]), ["one", "two"]);
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        assert_eq!(split(&[b"caf\xc3\xa9 \xff!\n"]), ["caf\u{e9} \u{fffd}!"]);
    }

    #[test]
    fn overlong_line_is_cut_into_bounded_pieces() {
        let line = vec![b'x'; 3 * MAX_LINE + 10];
        let mut splitter = LineSplitter::default();
        let mut out = Vec::new();
        // Feed in small chunks to check the buffer never holds much more
        // than one piece.
        for chunk in line.chunks(4096) {
            splitter.feed(chunk, |l| out.push(l));
            assert!(splitter.pending.len() <= MAX_LINE + 4096);
        }
        splitter.finish(|l| out.push(l));
        assert_eq!(out.len(), 4);
        assert!(out.iter().all(|piece| piece.len() <= MAX_LINE));
        assert_eq!(out.concat().len(), line.len());
    }

    #[test]
    fn long_terminated_line_is_cut_too() {
        let mut bytes = vec![b'y'; MAX_LINE + 1];
        bytes.push(b'\n');
        let out = split(&[&bytes]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1], "y");
    }

    #[test]
    fn cut_never_splits_a_character() {
        // 'é' is two bytes; an odd prefix puts a character across the cut.
        let mut bytes = vec![b'a'];
        while bytes.len() < MAX_LINE + 100 {
            bytes.extend_from_slice("é".as_bytes());
        }
        let out = split(&[&bytes]);
        assert!(out.iter().all(|piece| !piece.contains('\u{fffd}')));
        assert_eq!(out.concat().as_bytes(), &bytes[..]);
    }
}
