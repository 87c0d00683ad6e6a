//! Blocking file reads and directory listings, meant to run on the IO [`Pool`].
//!
//! Everything here is written so that one bad path cannot hurt the app:
//! reads are streamed in chunks (progress and cancellation work), capped
//! (a huge file is reported, never slurped), refuse FIFOs and devices
//! without blocking on them, and never memory-map (a file truncated under
//! a mapping would kill the process with SIGBUS).
//!
//! [`Pool`]: super::Pool

use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use super::CancelToken;
use crate::sys::fs::Cause;

mod error;

pub use error::{EntryKind, FsError};

/// How a file is read: the size cap, the chunk size and how often progress
/// is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Files larger than this are refused with [`FsError::TooLarge`]
    /// (default 64 MiB), so an accidental click on a disk image costs nothing.
    pub max_bytes: u64,
    /// Bytes per `read` call (default 256 KiB); cancellation is checked
    /// between chunks, so this also bounds how late a cancel takes effect.
    pub chunk_size: usize,
    /// Report progress each time at least this many more bytes were read
    /// (`None`, the default, turns progress off).
    pub progress_every: Option<u64>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_bytes: 64 * 1024 * 1024,
            chunk_size: 256 * 1024,
            progress_every: None,
        }
    }
}

impl ReadOptions {
    /// Sets [`max_bytes`](Self::max_bytes).
    #[must_use]
    pub fn max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Sets [`chunk_size`](Self::chunk_size); zero is treated as one byte.
    #[must_use]
    pub fn chunk_size(mut self, chunk_size: usize) -> Self {
        self.chunk_size = chunk_size;
        self
    }

    /// Sets [`progress_every`](Self::progress_every); `Some(0)` reports after every chunk.
    #[must_use]
    pub fn progress_every(mut self, bytes: Option<u64>) -> Self {
        self.progress_every = bytes;
        self
    }
}

/// How far a read has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Bytes read so far.
    pub done: u64,
    /// Expected total, or `None` when unknown (files under `/proc` and `/sys`
    /// report a size of zero). The last report of a finished read always has
    /// `total == Some(done)`.
    pub total: Option<u64>,
}

/// Reads the regular file at `path` in chunks, handing each to `on_chunk`,
/// and returns the number of bytes read.
///
/// FIFOs, sockets and devices (on Windows also the reserved device names
/// such as `CON`, `NUL` and `aux.txt`) are refused with
/// [`FsError::NotARegularFile`] without blocking; symlinks are followed.
/// A file another program holds open without sharing is
/// [`FsError::InUse`]. A file over
/// [`ReadOptions::max_bytes`] is refused before reading, and one that grows
/// past it while being read stops with [`FsError::TooLarge`]. A file that
/// shrinks while being read ends early without error. `cancel` is checked
/// before every chunk. When progress is on, `on_progress` is called with
/// `done == 0` first, then every [`ReadOptions::progress_every`] bytes, and
/// once at the end. `on_chunk` may return `ControlFlow::Break(())` to stop
/// early; the bytes read so far are then the result.
pub fn read_chunks(
    path: &Path,
    opts: &ReadOptions,
    cancel: &CancelToken,
    on_chunk: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<u64, FsError> {
    let opened = open_regular(path, opts, cancel)?;
    stream(opened, path, opts, cancel, on_chunk, on_progress)
}

/// Reads the whole regular file at `path` into memory; see [`read_chunks`]
/// for what is refused and when.
pub fn read_file(
    path: &Path,
    opts: &ReadOptions,
    cancel: &CancelToken,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<Vec<u8>, FsError> {
    let opened = open_regular(path, opts, cancel)?;
    // The size is known and already checked against the cap, so one
    // allocation usually suffices; a `usize` too small for it cannot hold the file anyway.
    let mut bytes = Vec::with_capacity(usize::try_from(opened.size).unwrap_or(0));
    stream(
        opened,
        path,
        opts,
        cancel,
        &mut |chunk| {
            bytes.extend_from_slice(chunk);
            ControlFlow::Continue(())
        },
        on_progress,
    )?;
    Ok(bytes)
}

/// The first `len` bytes of the regular file at `path` (fewer if it is
/// shorter), whatever its size: for previews. Refuses what [`read_chunks`]
/// refuses, except that the size cap does not apply.
pub fn read_prefix(path: &Path, len: usize, cancel: &CancelToken) -> Result<Vec<u8>, FsError> {
    let opts = ReadOptions::default()
        .max_bytes(u64::MAX - 1)
        .chunk_size(len.clamp(1, 256 * 1024));
    let mut head = Vec::with_capacity(len.min(1 << 20));
    read_chunks(
        path,
        &opts,
        cancel,
        &mut |chunk| {
            let take = chunk.len().min(len - head.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() >= len {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
        &mut |_| {},
    )?;
    Ok(head)
}

/// A regular file opened for reading, with its size when opened.
struct Opened {
    file: File,
    size: u64,
}

/// Opens `path` for reading if it is a regular file within the cap.
fn open_regular(path: &Path, opts: &ReadOptions, cancel: &CancelToken) -> Result<Opened, FsError> {
    if cancel.is_cancelled() {
        return Err(FsError::Cancelled);
    }
    // Look before opening: opening a device can have side effects (a tape
    // rewinds, a serial line is raised), so refuse those without touching
    // them. Some are known by name alone (Windows keeps `CON`, `NUL`,
    // `COM1`… in every directory), and asking for their metadata is already a touch.
    if crate::sys::fs::names_a_device(path) {
        return Err(FsError::NotARegularFile {
            path: path.to_path_buf(),
            kind: EntryKind::CharDevice,
        });
    }
    let before = std::fs::metadata(path).map_err(|err| FsError::from_io(err, path))?;
    ensure_regular(&before, path)?;
    let file = open_nonblocking(path)?;
    // The path may have been swapped since the look; only the open file counts.
    let meta = file.metadata().map_err(|err| FsError::from_io(err, path))?;
    ensure_regular(&meta, path)?;
    let size = meta.len();
    if size > opts.max_bytes {
        return Err(FsError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: opts.max_bytes,
        });
    }
    Ok(Opened { file, size })
}

/// Opens read-only without ever blocking on what the path turns out to be
/// (a FIFO with no writer, swapped in after the look in [`open_regular`],
/// cannot hang the worker), and says what the path is when it cannot be
/// opened as a file.
fn open_nonblocking(path: &Path) -> Result<File, FsError> {
    crate::sys::fs::open_for_read(path).map_err(|err| {
        let cause = crate::sys::fs::cause(&err);
        match (cause, std::fs::metadata(path)) {
            // A socket cannot be opened at all: name what it is.
            (Some(Cause::NotOpenable), Ok(meta)) if !meta.is_file() => FsError::NotARegularFile {
                path: path.to_path_buf(),
                kind: EntryKind::from_file_type(meta.file_type()),
            },
            // Windows answers "access denied" to opening a directory as a
            // file; then the directory, not a permission, is the news.
            (Some(Cause::PermissionDenied), Ok(meta)) if meta.is_dir() => FsError::IsADirectory {
                path: path.to_path_buf(),
            },
            _ => FsError::from_io(err, path),
        }
    })
}

/// Refuses anything that is not a regular file.
fn ensure_regular(meta: &Metadata, path: &Path) -> Result<(), FsError> {
    match EntryKind::from_file_type(meta.file_type()) {
        EntryKind::File => Ok(()),
        EntryKind::Dir => Err(FsError::IsADirectory {
            path: path.to_path_buf(),
        }),
        kind => Err(FsError::NotARegularFile {
            path: path.to_path_buf(),
            kind,
        }),
    }
}

/// Reads `file` to its end in chunks, enforcing the cap and the cancel token.
fn stream(
    Opened { mut file, size }: Opened,
    path: &Path,
    opts: &ReadOptions,
    cancel: &CancelToken,
    on_chunk: &mut dyn FnMut(&[u8]) -> ControlFlow<()>,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<u64, FsError> {
    let mut progress = ProgressGate::new(opts.progress_every, size);
    progress.start(on_progress);
    // Reading one byte past the cap is how growth past it is detected;
    // never more, so a file that grows without end is still bounded.
    let ceiling = opts.max_bytes.saturating_add(1);
    let mut buf = vec![0u8; buffer_len(opts.chunk_size, size)];
    let mut done: u64 = 0;
    loop {
        if cancel.is_cancelled() {
            return Err(FsError::Cancelled);
        }
        let want = usize::try_from(ceiling - done).map_or(buf.len(), |left| left.min(buf.len()));
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(FsError::from_io(err, path)),
        };
        done += n as u64;
        if done > opts.max_bytes {
            return Err(FsError::TooLarge {
                path: path.to_path_buf(),
                size: done,
                limit: opts.max_bytes,
            });
        }
        let flow = on_chunk(&buf[..n]);
        progress.advance(done, on_progress);
        if flow.is_break() {
            break;
        }
    }
    progress.finish(done, on_progress);
    tracing::trace!(path = %path.display(), bytes = done, "file read");
    Ok(done)
}

/// The read buffer: the chunk size, but no bigger than a small file needs.
fn buffer_len(chunk_size: usize, size: u64) -> usize {
    // Leave room to notice growth and to read files that report size zero
    // (such as those under /proc) in a reasonable number of calls.
    const SMALL: u64 = 8 * 1024;
    let wanted = size.saturating_add(1).max(SMALL);
    usize::try_from(wanted)
        .map_or(chunk_size, |w| w.min(chunk_size))
        .max(1)
}

/// Decides when a read reports progress.
struct ProgressGate {
    every: Option<u64>,
    /// `None` when the file reports size zero: then the total is unknown.
    expected: Option<u64>,
    /// The last report made, so the closing one is never a repeat.
    last: Progress,
}

impl ProgressGate {
    fn new(every: Option<u64>, size: u64) -> Self {
        let expected = (size > 0).then_some(size);
        Self {
            every,
            expected,
            last: Progress {
                done: 0,
                total: expected,
            },
        }
    }

    fn start(&mut self, on_progress: &mut dyn FnMut(Progress)) {
        if self.every.is_some() {
            on_progress(self.last);
        }
    }

    fn advance(&mut self, done: u64, on_progress: &mut dyn FnMut(Progress)) {
        let Some(every) = self.every else { return };
        if done - self.last.done >= every.max(1) {
            // A file that grew is bigger than its size said; never report done > total.
            let total = self.expected.map(|t| t.max(done));
            self.report(Progress { done, total }, on_progress);
        }
    }

    fn finish(&mut self, done: u64, on_progress: &mut dyn FnMut(Progress)) {
        let closing = Progress {
            done,
            total: Some(done),
        };
        if self.every.is_some() && self.last != closing {
            self.report(closing, on_progress);
        }
    }

    fn report(&mut self, progress: Progress, on_progress: &mut dyn FnMut(Progress)) {
        self.last = progress;
        on_progress(progress);
    }
}

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The file name, exactly as stored (it need not be UTF-8).
    pub name: OsString,
    /// The listed directory joined with [`name`](Self::name).
    pub path: PathBuf,
    /// What the entry itself is; a symlink is reported as [`EntryKind::Symlink`].
    pub kind: EntryKind,
    /// Size in bytes of a regular file, or of the regular file a symlink
    /// resolves to; 0 for everything else.
    pub size: u64,
}

/// Lists the directory at `path`, sorted by name (byte order).
///
/// Entries that vanish while listing are skipped. `cancel` is checked
/// before every entry, so listing a huge directory can be abandoned.
pub fn read_dir(path: &Path, cancel: &CancelToken) -> Result<Vec<DirEntry>, FsError> {
    if cancel.is_cancelled() {
        return Err(FsError::Cancelled);
    }
    let meta = std::fs::metadata(path).map_err(|err| FsError::from_io(err, path))?;
    if !meta.is_dir() {
        return Err(FsError::NotADirectory {
            path: path.to_path_buf(),
            kind: EntryKind::from_file_type(meta.file_type()),
        });
    }
    let listing = std::fs::read_dir(path).map_err(|err| FsError::from_io(err, path))?;
    let mut entries = Vec::new();
    for entry in listing {
        if cancel.is_cancelled() {
            return Err(FsError::Cancelled);
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => return Err(FsError::from_io(err, path)),
        };
        if let Some(entry) = describe(&entry) {
            entries.push(entry);
        }
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// Builds a [`DirEntry`], or `None` if the entry vanished meanwhile.
fn describe(entry: &std::fs::DirEntry) -> Option<DirEntry> {
    let path = entry.path();
    // `DirEntry::metadata` does not follow symlinks, so a link is seen as one.
    let (kind, size) = match entry.metadata() {
        Ok(meta) => {
            let kind = EntryKind::from_file_type(meta.file_type());
            let size = match kind {
                EntryKind::File => meta.len(),
                EntryKind::Symlink => match std::fs::metadata(&path) {
                    Ok(target) if target.is_file() => target.len(),
                    _ => 0,
                },
                _ => 0,
            };
            (kind, size)
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
        Err(err) => {
            // Still list it (a directory may be readable but not searchable):
            // the name is known even if its details are not.
            tracing::debug!(path = %path.display(), %err, "could not inspect a directory entry");
            let kind = entry
                .file_type()
                .map_or(EntryKind::Other, EntryKind::from_file_type);
            (kind, 0)
        }
    };
    Some(DirEntry {
        name: entry.file_name(),
        path,
        kind,
        size,
    })
}

#[cfg(test)]
mod tests;
