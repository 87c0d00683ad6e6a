//! Files on Windows: Win32 error codes and the names Windows keeps for devices.

use std::fs::{File, FileType, OpenOptions};
use std::io;
use std::path::{Component, Path, Prefix};

use windows_sys::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_BAD_NETPATH, ERROR_BAD_NET_NAME, ERROR_BAD_PATHNAME,
    ERROR_CANT_RESOLVE_FILENAME, ERROR_FILE_NOT_FOUND, ERROR_INVALID_DRIVE, ERROR_INVALID_NAME,
    ERROR_LOCK_VIOLATION, ERROR_PATH_NOT_FOUND, ERROR_SHARING_VIOLATION,
};

use super::Cause;
use crate::io::fs::EntryKind;

/// Opens `path` read-only. Opening a file never blocks on Windows, and std
/// shares it for reading, writing and deleting, so the app never stops
/// another program from using the file while it is read.
pub(crate) fn open_for_read(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

/// What a Win32 error code means, where it says more than `ErrorKind`.
pub(crate) fn cause(err: &io::Error) -> Option<Cause> {
    let code = u32::try_from(err.raw_os_error()?).ok()?;
    match code {
        ERROR_FILE_NOT_FOUND | ERROR_PATH_NOT_FOUND | ERROR_INVALID_NAME | ERROR_BAD_PATHNAME
        | ERROR_INVALID_DRIVE | ERROR_BAD_NETPATH | ERROR_BAD_NET_NAME => Some(Cause::NotFound),
        // Also what opening a directory as a file answers; the caller,
        // which knows it was opening, tells the two apart.
        ERROR_ACCESS_DENIED => Some(Cause::PermissionDenied),
        // Open elsewhere without sharing, or a byte range locked by another program.
        ERROR_SHARING_VIOLATION | ERROR_LOCK_VIOLATION => Some(Cause::InUse),
        // "The name of the file cannot be resolved by the system": a
        // reparse point (symbolic link or junction) loop.
        ERROR_CANT_RESOLVE_FILENAME => Some(Cause::SymlinkLoop),
        _ => None,
    }
}

/// Windows file types are files, directories and links; it has no FIFOs
/// or device nodes in the file system.
pub(crate) fn special_kind(_ft: &FileType) -> Option<EntryKind> {
    None
}

/// Whether `path` names a device rather than a file: a reserved name
/// (`CON`, `NUL`, `COM1`, `aux.txt` … in any directory) or a path in the
/// `\\.\` device namespace. Opening either can talk to hardware or wait
/// on a console, so they are refused without being touched.
pub(crate) fn names_a_device(path: &Path) -> bool {
    if in_device_namespace(path) {
        return true;
    }
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(super::is_reserved_windows_name)
}

/// Whether `path` starts with the `\\.\` device namespace prefix
/// (`\\.\COM1`, `\\.\pipe\name`), which names devices and pipes.
fn in_device_namespace(path: &Path) -> bool {
    matches!(
        path.components().next(),
        Some(Component::Prefix(prefix)) if matches!(prefix.kind(), Prefix::DeviceNS(_))
    )
}
