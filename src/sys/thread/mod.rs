//! Thread priority: IO workers step aside for the loop thread.
//!
//! On a busy machine the loop thread should get a core first, so input and
//! frames keep their pace while a flood of reads runs on the pool. Each OS
//! lowers only the calling thread, never the whole process.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux as imp;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
use macos as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod other;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
use other as imp;

pub(crate) use imp::lower_current_thread_priority;

#[cfg(all(test, any(target_os = "linux", windows)))]
pub(crate) use imp::current_thread_priority;
#[cfg(all(test, target_os = "linux"))]
pub(crate) use imp::WORKER_NICENESS;
