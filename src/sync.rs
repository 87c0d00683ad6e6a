//! The atomics the queue's wake-up and admission protocols are built on.
//!
//! Normally these are the standard library's. Built with `--cfg loom` for
//! the crate's own tests, they are loom's, so the model checker can run the
//! real protocol code through every interleaving the memory model allows:
//! `RUSTFLAGS="--cfg loom" cargo test --release --lib loom`.

#[cfg(all(loom, test))]
pub(crate) use loom::sync::atomic::{fence, AtomicBool, AtomicUsize};
#[cfg(all(loom, test))]
pub(crate) use loom::sync::{Condvar, Mutex};

#[cfg(not(all(loom, test)))]
pub(crate) use std::sync::atomic::{fence, AtomicBool, AtomicUsize};
#[cfg(not(all(loom, test)))]
pub(crate) use std::sync::{Condvar, Mutex};
