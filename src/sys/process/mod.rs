//! Watching a child process: its output pipes, its exit, and ending it.
//!
//! Every OS offers the same three items: [`watch`] takes a freshly spawned
//! child with piped stdout and stderr, and returns a [`Watched`] (driven by
//! `io::process::ProcessSource` as its calloop source) and a [`Signaller`]
//! (behind `ProcessHandle`). The per-OS files say how; `io/process.rs`
//! names the differences a user can notice.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "macos")]
mod macos;
#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

/// Unix's own part: how the exit is watched and who may send signals.
#[cfg(target_os = "linux")]
use linux as exit;
#[cfg(target_os = "macos")]
use macos as exit;

#[cfg(unix)]
pub(crate) use unix::{watch, Signaller, Watched};
#[cfg(windows)]
pub(crate) use windows::{watch, Signaller, Watched};

/// What a `ProcessHandle` can ask of its child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// End it now.
    Kill,
    /// Ask it to end.
    Terminate,
}
