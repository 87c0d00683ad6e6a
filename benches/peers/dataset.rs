//! The directory the file-loading, loader-frame and memory rows share:
//! 10,000 plain text files, 1 GiB in all, made once per run and removed
//! when the run ends (in the background: on a file system that discards
//! freed blocks online, deleting a gigabyte takes half a minute, which the
//! table need not wait for).
//!
//! Only text files, no trouble: the rows compare the loop with a bare pool
//! and with `cat` on the same per-file work, and a FIFO would block a bare
//! `read` and `cat` for ever, while the loader's handling of unreadable,
//! binary and special files is what its tests check, not a speed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use oneloop::testing::fixtures::{messy_directory, MessySpec};

use crate::file_loader::scan::{count_lines, Checksum};

/// How many files.
pub const FILES: usize = 10_000;
/// Their total size.
pub const BYTES: u64 = 1 << 30;

/// What reading every file whole yields, summed over the files so that any
/// order of reading gives the same figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Newlines counted.
    pub lines: u64,
    /// The wrapping sum of every file's checksum.
    pub checksums: u64,
}

impl Totals {
    /// Adds one file's figures.
    pub fn add(&mut self, bytes: u64, lines: u64, checksum: u64) {
        self.files += 1;
        self.bytes += bytes;
        self.lines += lines;
        self.checksums = self.checksums.wrapping_add(checksum);
    }

    /// Adds another part's figures (one per thread).
    pub fn merge(&mut self, other: Totals) {
        self.files += other.files;
        self.bytes += other.bytes;
        self.lines += other.lines;
        self.checksums = self.checksums.wrapping_add(other.checksums);
    }

    /// The per-file work every subject does: line count and checksum of the
    /// whole contents.
    pub fn add_contents(&mut self, contents: &[u8]) {
        let mut checksum = Checksum::default();
        checksum.update(contents);
        self.add(
            contents.len() as u64,
            count_lines(contents),
            checksum.finish(),
        );
    }
}

/// The generated directory and the figures a correct load must reproduce.
pub struct Dataset {
    root: PathBuf,
    /// Every file, in listing order.
    pub files: Vec<PathBuf>,
    /// What reading them all yields.
    pub expected: Totals,
}

impl Dataset {
    /// Writes the files, flushes them to disk (so write-back does not steal
    /// the CPU from a later measurement) and reads them all once, so every
    /// timed run reads from the page cache.
    pub fn create() -> Result<Dataset, String> {
        let root = tempfile::Builder::new()
            .prefix("oneloop-bench-")
            .tempdir()
            .map_err(|e| format!("skipped: no temporary directory ({e})"))?;
        // From here on the files are removed by `Drop for Dataset`.
        let dataset = Dataset {
            root: root.keep(),
            files: Vec::new(),
            expected: Totals::default(),
        };
        dataset.fill()
    }

    fn fill(mut self) -> Result<Dataset, String> {
        let started = Instant::now();
        let files_dir = self.dir();
        std::fs::create_dir(&files_dir).map_err(|e| format!("failed: {e}"))?;
        let spec = MessySpec {
            entries: FILES,
            text_bytes: BYTES,
            unreadable: 0,
            fifos: 0,
            loops: 0,
            dangling: 0,
            binary: 0,
            empty: 0,
            directories: 0,
            non_utf8: 0,
            huge: false,
        };
        let manifest = messy_directory(&files_dir, &spec)
            .map_err(|e| format!("failed: cannot write the files ({e})"))?;
        self.files = manifest.entries.into_iter().map(|(p, _)| p).collect();
        let synced = std::process::Command::new("sync")
            .arg("-f")
            .arg(&files_dir)
            .status();
        if !synced.is_ok_and(|s| s.success()) {
            eprintln!("[data] could not flush the files to disk; write-back may add noise");
        }
        for path in &self.files {
            let contents = std::fs::read(path).map_err(|e| format!("failed: {e}"))?;
            self.expected.add_contents(&contents);
        }
        eprintln!(
            "[data] {} files, {} MiB in {}, ready in {:.1} s",
            self.expected.files,
            self.expected.bytes >> 20,
            files_dir.display(),
            started.elapsed().as_secs_f64()
        );
        Ok(self)
    }

    /// The folder holding the files (and nothing else).
    pub fn dir(&self) -> PathBuf {
        self.root.join("files")
    }

    /// A scratch folder next to the files, for traces and lists.
    pub fn scratch(&self) -> &Path {
        &self.root
    }

    /// Checks a subject's figures against what the files hold.
    pub fn check(&self, got: Totals) -> Result<(), String> {
        if got == self.expected {
            Ok(())
        } else {
            Err(format!(
                "failed: read {} files, {} bytes, {} lines; expected {}, {}, {}",
                got.files,
                got.bytes,
                got.lines,
                self.expected.files,
                self.expected.bytes,
                self.expected.lines
            ))
        }
    }
}

impl Drop for Dataset {
    /// Hands the folder to an `rm -rf` that outlives this process, or
    /// removes it here if that cannot start.
    fn drop(&mut self) {
        let removing = std::process::Command::new("rm")
            .arg("-rf")
            .arg(&self.root)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn();
        match removing {
            Ok(_) => eprintln!("[data] removing {} in the background", self.root.display()),
            Err(_) => {
                if let Err(e) = std::fs::remove_dir_all(&self.root) {
                    eprintln!("[data] could not remove {}: {e}", self.root.display());
                }
            }
        }
    }
}
