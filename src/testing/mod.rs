//! Testing oneloop apps: a windowless [`Harness`] that clicks, types and
//! compares frames with PNG snapshots, and end-to-end support for real
//! windows under a private Xvfb ([`xvfb`]) or a private Wayland compositor
//! ([`wayland`]).

pub mod fixtures;
mod harness;
pub mod wayland;
pub mod xvfb;

pub use crate::record::replay::{replay, replay_unfinished};
pub use crate::record::{ReplayError, Replayed};
pub use harness::Harness;
