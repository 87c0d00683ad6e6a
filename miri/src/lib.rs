//! Miri cannot run the crate's own test binary: a windowing dependency
//! loads Xlib with `dlopen` from a global constructor before any test
//! starts, which Miri does not support. The queue, timers and trace text
//! helpers need none of that, so their files are built here as they are,
//! with two one-line stand-ins for the types the queue only names, and
//! their unit tests run under Miri:
//!
//! ```sh
//! cd miri && cargo +nightly miri test
//! ```

#![allow(dead_code, reason = "only what the unit tests use is exercised")]
#![allow(
    unfulfilled_lint_expectations,
    reason = "the shared files expect lints that fire only where their items are public"
)]

#[path = "../../src/geometry.rs"]
mod geometry;
#[path = "../../src/input.rs"]
mod input;
#[path = "../../src/queue.rs"]
mod queue;
#[path = "../../src/sync.rs"]
mod sync;
#[path = "../../src/timer.rs"]
mod timer;
#[path = "../../src/trace/json.rs"]
mod trace_json;

/// Stands in for the IO lane's item, which the queue carries but never opens.
mod io {
    pub(crate) struct IoItem<M>(pub(crate) M);
}

/// Stands in for an async task's id, which the queue carries but never opens.
mod task {
    pub struct TaskId(pub u64);
}
