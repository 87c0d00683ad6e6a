//! Directories full of trouble, for tests and benchmarks of file loading:
//! ordinary text files plus unreadable files, FIFOs, symlink loops,
//! dangling symlinks, a huge sparse file, binary files, empty files,
//! subdirectories and names that are not UTF-8.
//!
//! Each OS makes what it can. On Windows an unreadable file is one the
//! fixture holds open with no sharing ([`Trouble::InUse`], for as long as
//! the [`Manifest`] lives); FIFOs, symbolic links (they need a privilege
//! there) and names that are not Unicode are not made, so the manifest
//! lists none of them.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[cfg(unix)]
#[path = "fixtures/unix.rs"]
mod os;
#[cfg(windows)]
#[path = "fixtures/windows.rs"]
mod os;

/// What kind of trouble an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trouble {
    /// An ordinary text file.
    Text,
    /// An empty file.
    Empty,
    /// A file with NUL bytes near its start.
    Binary,
    /// A file with mode 000 (Unix; readable by root all the same).
    Unreadable,
    /// A file another program holds open without sharing (Windows: the
    /// fixture itself holds it while its [`Manifest`] lives).
    InUse,
    /// A named pipe with no writer.
    Fifo,
    /// A symlink that points at itself through another link.
    SymlinkLoop,
    /// A symlink to nothing.
    Dangling,
    /// A sparse file larger than any sensible read cap.
    Huge,
    /// A subdirectory.
    Directory,
    /// A text file whose name is not valid UTF-8.
    NonUtf8Name,
}

/// How many of each kind to make.
#[derive(Debug, Clone)]
pub struct MessySpec {
    /// Entries in all (the text files make up the rest).
    pub entries: usize,
    /// Total bytes of the text files, spread unevenly over them.
    pub text_bytes: u64,
    /// Counts of each kind of trouble. Unreadable files are
    /// [`Trouble::Unreadable`] on Unix and [`Trouble::InUse`] on Windows.
    pub unreadable: usize,
    /// Named pipes.
    pub fifos: usize,
    /// Symlink loops (each is two links).
    pub loops: usize,
    /// Dangling symlinks.
    pub dangling: usize,
    /// Binary files.
    pub binary: usize,
    /// Empty files.
    pub empty: usize,
    /// Subdirectories.
    pub directories: usize,
    /// Files with non-UTF-8 names.
    pub non_utf8: usize,
    /// Whether to add one 2 GiB sparse file.
    pub huge: bool,
}

impl MessySpec {
    /// 10,000 entries, about 500 of them bad, and `text_bytes` of text.
    #[must_use]
    pub fn ten_thousand(text_bytes: u64) -> Self {
        Self {
            entries: 10_000,
            text_bytes,
            unreadable: 100,
            fifos: 50,
            loops: 25,
            dangling: 50,
            binary: 100,
            empty: 100,
            directories: 20,
            non_utf8: 50,
            huge: true,
        }
    }

    /// A small mixed directory for quick tests: `entries` with a few of each kind.
    #[must_use]
    pub fn small(entries: usize) -> Self {
        Self {
            entries,
            text_bytes: entries as u64 * 2_000,
            unreadable: 2,
            fifos: 2,
            loops: 1,
            dangling: 2,
            binary: 2,
            empty: 2,
            directories: 2,
            non_utf8: 2,
            huge: true,
        }
    }
}

/// Every entry made, with its kind.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// (path, kind) in creation order.
    pub entries: Vec<(PathBuf, Trouble)>,
    /// Files held open to keep them in use, released with the last clone.
    held: Vec<Arc<fs::File>>,
}

impl Manifest {
    /// How many entries are of `kind`.
    #[must_use]
    pub fn count(&self, kind: Trouble) -> usize {
        self.entries.iter().filter(|(_, k)| *k == kind).count()
    }

    /// The kind of the entry at `path`.
    #[must_use]
    pub fn kind_of(&self, path: &Path) -> Option<Trouble> {
        self.entries
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, k)| *k)
    }
}

/// Fill `root` (which must exist and be empty) as `spec` says.
pub fn messy_directory(root: &Path, spec: &MessySpec) -> io::Result<Manifest> {
    let mut manifest = Manifest::default();
    for i in 0..spec.unreadable {
        let path = root.join(format!("locked-{i:04}.txt"));
        fs::write(&path, b"secret\n")?;
        let (kind, held) = os::lock(&path)?;
        manifest.held.extend(held.map(Arc::new));
        manifest.entries.push((path, kind));
    }
    let mut add = |path: PathBuf, kind| manifest.entries.push((path, kind));
    for i in 0..spec.fifos {
        let path = root.join(format!("pipe-{i:04}"));
        if os::mkfifo(&path)? {
            add(path, Trouble::Fifo);
        }
    }
    for i in 0..spec.loops {
        let (a, b) = (
            root.join(format!("loop-{i:04}-a")),
            root.join(format!("loop-{i:04}-b")),
        );
        if os::symlink(&b, &a)? && os::symlink(&a, &b)? {
            add(a, Trouble::SymlinkLoop);
            add(b, Trouble::SymlinkLoop);
        }
    }
    for i in 0..spec.dangling {
        let path = root.join(format!("dangling-{i:04}"));
        if os::symlink(&root.join(format!("nowhere-{i}")), &path)? {
            add(path, Trouble::Dangling);
        }
    }
    for i in 0..spec.binary {
        let path = root.join(format!("blob-{i:04}.bin"));
        let bytes: Vec<u8> = (0..4096u32)
            .map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8 & 0x7f)
            .collect();
        let mut file = fs::File::create(&path)?;
        file.write_all(&[0, 1, 2, 0])?;
        file.write_all(&bytes)?;
        add(path, Trouble::Binary);
    }
    for i in 0..spec.empty {
        let path = root.join(format!("empty-{i:04}.txt"));
        fs::File::create(&path)?;
        add(path, Trouble::Empty);
    }
    for i in 0..spec.directories {
        let path = root.join(format!("dir-{i:04}"));
        fs::create_dir(&path)?;
        fs::write(path.join("inside.txt"), b"inside\n")?;
        add(path, Trouble::Directory);
    }
    for i in 0..spec.non_utf8 {
        let Some(name) = os::non_unicode_name(&format!("latin1-{i:04}-caf"), ".txt") else {
            break;
        };
        let path = root.join(name);
        fs::write(&path, b"caf\xc3\xa9\n")?;
        add(path, Trouble::NonUtf8Name);
    }
    if spec.huge {
        let path = root.join("huge-sparse.img");
        fs::File::create(&path)?.set_len(2 << 30)?;
        add(path, Trouble::Huge);
    }
    let made = manifest.entries.len();
    let texts = spec.entries.saturating_sub(made);
    write_text_files(root, texts, spec.text_bytes, &mut manifest)?;
    Ok(manifest)
}

/// `count` text files sharing `total` bytes unevenly (a few big, many small).
fn write_text_files(
    root: &Path,
    count: usize,
    total: u64,
    manifest: &mut Manifest,
) -> io::Result<()> {
    if count == 0 {
        return Ok(());
    }
    let line = b"The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij\n";
    // Weights 1..=8 in a fixed pattern: sizes differ, the total is as asked.
    let weights: Vec<u64> = (0..count as u64).map(|i| 1 + (i * 7 + i / 3) % 8).collect();
    let sum: u64 = weights.iter().sum();
    let mut buffer = Vec::new();
    for (i, weight) in weights.iter().enumerate() {
        let size = (total * weight / sum) as usize;
        buffer.clear();
        while buffer.len() < size {
            let take = line.len().min(size - buffer.len());
            buffer.extend_from_slice(&line[..take]);
        }
        let path = root.join(format!("text-{i:05}.txt"));
        fs::write(&path, &buffer)?;
        manifest.entries.push((path, Trouble::Text));
    }
    Ok(())
}
