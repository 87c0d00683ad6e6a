//! The per-file work of the loader, run on the worker pool: read the whole
//! file in chunks, count its lines and compute a checksum, keeping nothing
//! but the summary. Binary files are recognised from their first bytes and
//! not read further.

use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use oneloop::fs::{read_chunks, CancelToken, FsError, Progress, ReadOptions};

/// Files larger than this are reported as too large, never read.
pub(crate) const MAX_FILE: u64 = 1 << 30;
/// How much of a file decides whether it is binary.
const SNIFF: usize = 8 * 1024;

/// What loading one file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Bytes read.
    pub(crate) bytes: u64,
    /// Newline characters.
    pub(crate) lines: u64,
    /// A 64-bit checksum of the contents (see [`Checksum`]).
    pub(crate) checksum: u64,
    /// The file looked binary (a NUL byte early on); reading stopped there.
    pub(crate) binary: bool,
    /// How long the worker spent on it.
    pub(crate) took: Duration,
}

/// A fast checksum: the wrapping sum of the contents read as little-endian
/// 64-bit words (the tail zero-padded), mixed with the length. It detects
/// changed contents, not tampering; it is chosen because it runs at memory
/// speed, like the line count.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Checksum {
    sum: u64,
    len: u64,
    tail: [u8; 8],
    tail_len: usize,
}

impl Checksum {
    pub(crate) fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 8 {
                return;
            }
            self.sum = self.sum.wrapping_add(u64::from_le_bytes(self.tail));
            self.tail_len = 0;
        }
        let words = bytes.chunks_exact(8);
        let rest = words.remainder();
        for word in words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.sum = self.sum.wrapping_add(u64::from_le_bytes(w));
        }
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    pub(crate) fn finish(mut self) -> u64 {
        if self.tail_len > 0 {
            self.tail[self.tail_len..].fill(0);
            self.sum = self.sum.wrapping_add(u64::from_le_bytes(self.tail));
        }
        self.sum ^ self.len.rotate_left(32)
    }
}

/// Count newline bytes (written so the compiler vectorises it).
pub(crate) fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Load `path`: see the module docs. `on_progress` hears about big files.
pub(crate) fn scan(
    path: &Path,
    token: &CancelToken,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Summary, FsError> {
    let started = Instant::now();
    let options = ReadOptions::default()
        .max_bytes(MAX_FILE)
        .progress_every(Some(8 << 20));
    let (mut lines, mut checksum, mut first, mut binary) = (0, Checksum::default(), true, false);
    let bytes = read_chunks(
        path,
        &options,
        token,
        &mut |chunk| {
            if std::mem::take(&mut first) && chunk[..chunk.len().min(SNIFF)].contains(&0) {
                binary = true;
                return ControlFlow::Break(());
            }
            lines += count_lines(chunk);
            checksum.update(chunk);
            ControlFlow::Continue(())
        },
        on_progress,
    )?;
    Ok(Summary {
        bytes,
        lines,
        checksum: checksum.finish(),
        binary,
        took: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_does_not_depend_on_how_the_bytes_are_split() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        let mut whole = Checksum::default();
        whole.update(&data);
        for split in [1, 3, 7, 8, 9, 500, 999] {
            let mut parts = Checksum::default();
            parts.update(&data[..split]);
            parts.update(&data[split..]);
            assert_eq!(parts.finish(), whole.finish(), "split at {split}");
        }
        let mut other = Checksum::default();
        other.update(&data[1..]);
        assert_ne!(other.finish(), whole.finish());
    }
}
