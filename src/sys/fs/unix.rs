//! Files on Unix: `O_NONBLOCK` opens and errno.

use std::fs::{File, FileType, OpenOptions};
use std::io;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use super::Cause;
use crate::io::fs::EntryKind;

/// Opens `path` read-only with `O_NONBLOCK`, so that a FIFO with no writer
/// (swapped in after the caller looked) cannot hang the calling thread.
/// Regular files ignore the flag: their reads block as usual.
pub(crate) fn open_for_read(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// What errno says, where it says more than `ErrorKind`.
pub(crate) fn cause(err: &io::Error) -> Option<Cause> {
    match err.raw_os_error()? {
        // ENOTDIR: a parent component is a file, so the path cannot exist.
        libc::ENOENT | libc::ENOTDIR => Some(Cause::NotFound),
        libc::EACCES | libc::EPERM => Some(Cause::PermissionDenied),
        libc::EISDIR => Some(Cause::IsADirectory),
        libc::ELOOP => Some(Cause::SymlinkLoop),
        // Opening a socket fails with "no such device or address".
        libc::ENXIO => Some(Cause::NotOpenable),
        _ => None,
    }
}

/// The kind of a FIFO, socket or device; `None` for anything else.
pub(crate) fn special_kind(ft: &FileType) -> Option<EntryKind> {
    if ft.is_fifo() {
        Some(EntryKind::Fifo)
    } else if ft.is_socket() {
        Some(EntryKind::Socket)
    } else if ft.is_char_device() {
        Some(EntryKind::CharDevice)
    } else if ft.is_block_device() {
        Some(EntryKind::BlockDevice)
    } else {
        None
    }
}

/// Unix devices are files with a type of their own under `/dev`, so the
/// type check finds them; no name is special.
pub(crate) fn names_a_device(_path: &Path) -> bool {
    false
}
