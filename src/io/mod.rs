//! Requests that run off the loop thread — file reads, directory listings,
//! any blocking work — and child processes whose output the loop reads itself.
//!
//! Every request gets a [`RequestId`] and a cancel token. The worker posts its
//! result into the IO lane *unmapped*: the app's mapping function runs on the
//! loop thread at dispatch time, so a request cancelled before its completion
//! was handled always ends in exactly one `Cancelled` result, never a stale
//! success.

pub mod fs;
pub(crate) mod future;
pub mod pool;
pub mod process;
mod requests;
#[cfg(all(test, unix))]
mod test_child;

pub use pool::{CancelToken, Closed, Pool, ShutdownReport};
pub use requests::{Interrupted, Job, RequestId};
pub(crate) use requests::{IoItem, Requests};
