//! Files: opening one for reading without ever blocking on what the path
//! turns out to be, and what the OS's own error codes and file types mean.
//!
//! The portable reader in `io/fs.rs` asks three questions here and turns
//! the answers into its typed `FsError`; it never looks at a raw code.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub(crate) use imp::{cause, names_a_device, open_for_read, special_kind};

/// What an OS error means for a user, where the raw code says more than
/// `io::ErrorKind` does (several of these kinds are not stable yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    /// Nothing there, or a parent of it is missing or not a directory.
    NotFound,
    /// The OS refused access.
    PermissionDenied,
    /// A file was wanted but the path is a directory. Windows answers
    /// "access denied" there instead; `io/fs` checks the path itself.
    #[cfg_attr(windows, allow(dead_code, reason = "Windows reports no such code"))]
    IsADirectory,
    /// Resolving the path went round a circle of symbolic links.
    SymlinkLoop,
    /// Another program has the file open and shares it with no one, or
    /// holds a lock on the part being read.
    #[cfg_attr(unix, allow(dead_code, reason = "Unix has no sharing modes"))]
    InUse,
    /// The path names something that cannot be opened as a file at all
    /// (a Unix socket): the caller should say what it is instead.
    #[cfg_attr(
        windows,
        allow(dead_code, reason = "Windows has no sockets in its file system")
    )]
    NotOpenable,
}

/// Whether a file name is one Windows reserves for a device in every
/// directory: `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`
/// (also with superscript digits), `CONIN$` and `CONOUT$`, in any case,
/// with or without an extension (`aux.txt` is the console's AUX device
/// too) and with trailing dots or spaces ignored, as Windows ignores them.
///
/// Written for any target so that its rules are tested everywhere; only
/// the Windows side calls it on real paths.
#[cfg_attr(
    not(windows),
    allow(
        dead_code,
        reason = "only Windows has these names; the rules are tested everywhere"
    )
)]
pub(crate) fn is_reserved_windows_name(name: &str) -> bool {
    // Windows drops trailing dots and spaces, then the extension.
    let trimmed = name.trim_end_matches(['.', ' ']);
    let stem = trimmed.split('.').next().unwrap_or(trimmed);
    let stem = stem.trim_end_matches(' ').to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let Some(rest) = stem
                .strip_prefix("COM")
                .or_else(|| stem.strip_prefix("LPT"))
            else {
                return false;
            };
            let mut digits = rest.chars();
            matches!(
                (digits.next(), digits.next()),
                (Some('0'..='9' | '¹' | '²' | '³'), None)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_are_recognised_in_every_spelling() {
        for name in [
            "CON",
            "con",
            "Nul",
            "aux.txt",
            "AUX.tar.gz",
            "nul.",
            "COM1",
            "com9.log",
            "LPT3",
            "lpt0",
            "COM²",
            "CONIN$",
            "conout$.txt",
            "PRN  ",
            "con .txt",
        ] {
            assert!(is_reserved_windows_name(name), "{name} is a device");
        }
    }

    #[test]
    fn ordinary_names_that_look_alike_are_files() {
        for name in [
            "console",
            "CON1",
            "COM",
            "COM10",
            "LPT",
            "nully.txt",
            "aux_data",
            "my-con",
            "xCOM1",
            "",
            ".",
            "com1x.txt",
        ] {
            assert!(!is_reserved_windows_name(name), "{name} is a file name");
        }
    }
}
