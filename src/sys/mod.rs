//! Every OS-specific line of oneloop, behind a few small functions.
//!
//! Portable modules call `crate::sys::<topic>::<function>` and never test the
//! target themselves; each topic picks its implementation here, in one
//! place, the way mio's `sys/` does. A topic is a folder with one file per
//! OS family (`unix.rs`, `linux.rs`, `macos.rs`, `windows.rs`) and a
//! `mod.rs` that re-exports the right one, so every target sees the same
//! names and signatures.
//!
//! `unsafe` is denied in the whole workspace; the few files here that call
//! an OS API no safe crate wraps allow it for exactly those calls, each
//! with a comment saying why it is sound.

pub(crate) mod clock;
pub(crate) mod fs;
pub(crate) mod net;
pub(crate) mod os_str;
pub(crate) mod poller;
pub(crate) mod process;
pub(crate) mod thread;
