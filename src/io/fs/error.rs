//! The errors of [`super`] and the kinds of file they talk about.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sys::fs::Cause;

/// Why a file operation failed. Every variant that concerns a path names it.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FsError {
    /// Nothing exists at the path (or it is a symlink to nothing).
    #[error("{} does not exist (or is a symlink to nothing); check the path", path.display())]
    NotFound {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// The OS refused access.
    #[error("permission denied for {}; check the file's owner and permissions", path.display())]
    PermissionDenied {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// A file was asked for but the path names a directory.
    #[error("{} is a directory; pick a file inside it", path.display())]
    IsADirectory {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// A directory was asked for but the path names something else.
    #[error("{} is a {kind}, not a directory", path.display())]
    NotADirectory {
        /// The path that was asked for.
        path: PathBuf,
        /// What the path actually is.
        kind: EntryKind,
    },
    /// The path is a FIFO, socket or device: reading it could block forever
    /// or never end, so it is refused.
    #[error("{} is a {kind}, not a regular file; only regular files can be read", path.display())]
    NotARegularFile {
        /// The path that was asked for.
        path: PathBuf,
        /// What the path actually is.
        kind: EntryKind,
    },
    /// The file is larger than the read limit (up front, or it grew while read).
    #[error(
        "{} holds at least {size} bytes, over the {limit}-byte limit; \
         raise ReadOptions::max_bytes to read it",
        path.display()
    )]
    TooLarge {
        /// The path that was asked for.
        path: PathBuf,
        /// The size seen: the file's size, or the bytes read so far if it grew.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// Another program has the file open and lets no one else read it (on
    /// Windows: a sharing or lock violation). Nothing is wrong with the
    /// file; it can be read once that program lets go of it.
    #[error(
        "{} is open in another program that does not let others read it; \
         close it there and try again",
        path.display()
    )]
    InUse {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// Resolving the path went round in a circle of symlinks.
    #[error("{} is part of a symlink loop; fix the links", path.display())]
    SymlinkLoop {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// The operation was cancelled through its [`CancelToken`](crate::io::CancelToken).
    #[error("the operation was cancelled")]
    Cancelled,
    /// Any other OS error, kept whole for the log.
    #[error("{}: {source}", path.display())]
    Other {
        /// The path that was asked for.
        path: PathBuf,
        /// The underlying error, shared so the error stays `Clone`.
        source: Arc<io::Error>,
    },
}

impl FsError {
    /// The path the error is about, if any.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::NotFound { path }
            | Self::PermissionDenied { path }
            | Self::IsADirectory { path }
            | Self::NotADirectory { path, .. }
            | Self::NotARegularFile { path, .. }
            | Self::TooLarge { path, .. }
            | Self::SymlinkLoop { path }
            | Self::InUse { path }
            | Self::Other { path, .. } => Some(path),
            Self::Cancelled => None,
        }
    }

    /// Maps an OS error about `path` to the variant a user can act on.
    pub(super) fn from_io(err: io::Error, path: &Path) -> Self {
        let path = path.to_path_buf();
        // The OS's own code first: several of these have no stable `ErrorKind` yet.
        match crate::sys::fs::cause(&err) {
            Some(Cause::NotFound) => return Self::NotFound { path },
            Some(Cause::PermissionDenied) => return Self::PermissionDenied { path },
            Some(Cause::IsADirectory) => return Self::IsADirectory { path },
            Some(Cause::SymlinkLoop) => return Self::SymlinkLoop { path },
            Some(Cause::InUse) => return Self::InUse { path },
            // Only the opener can say what the path is instead.
            Some(Cause::NotOpenable) | None => {}
        }
        match err.kind() {
            io::ErrorKind::NotFound => Self::NotFound { path },
            io::ErrorKind::PermissionDenied => Self::PermissionDenied { path },
            _ => Self::Other {
                path,
                source: Arc::new(err),
            },
        }
    }
}

/// What kind of thing a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (only reported where links are not followed).
    Symlink,
    /// A named pipe (Unix).
    Fifo,
    /// A Unix domain socket (Unix).
    Socket,
    /// A character device such as a terminal or `/dev/zero`, or one of
    /// the device names Windows reserves (`CON`, `NUL`, `COM1`, `aux.txt` …).
    CharDevice,
    /// A block device such as a disk (Unix).
    BlockDevice,
    /// Anything the OS reports that is none of the above.
    Other,
}

impl EntryKind {
    /// Classifies a file type from `stat`, `lstat` or `fstat`.
    #[must_use]
    pub fn from_file_type(ft: std::fs::FileType) -> Self {
        if ft.is_file() {
            Self::File
        } else if ft.is_dir() {
            Self::Dir
        } else if ft.is_symlink() {
            Self::Symlink
        } else {
            crate::sys::fs::special_kind(&ft).unwrap_or(Self::Other)
        }
    }

    /// A short human label, as used in error messages.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::File => "regular file",
            Self::Dir => "directory",
            Self::Symlink => "symbolic link",
            Self::Fifo => "named pipe (FIFO)",
            Self::Socket => "socket",
            Self::CharDevice => "character device",
            Self::BlockDevice => "block device",
            Self::Other => "special file",
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
