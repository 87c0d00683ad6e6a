//! Testing oneloop apps: a windowless [`Harness`] that clicks, types and
//! compares frames with PNG snapshots, and end-to-end support for real
//! windows under a private Xvfb ([`xvfb`]) or a private Wayland compositor
//! ([`wayland`]), on Unix: X servers, weston and xdotool are Unix
//! programs; a Windows build is driven by them under wine.

pub mod fixtures;
mod harness;
#[cfg(unix)]
pub mod wayland;
#[cfg(unix)]
pub mod xvfb;

pub use crate::record::replay::{replay, replay_unfinished};
pub use crate::record::{ReplayError, Replayed};
pub use harness::Harness;
