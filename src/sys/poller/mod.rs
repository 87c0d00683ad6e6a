//! Waiting, on another thread, for calloop's poller to have events.
//!
//! Where winit's loop is the master (Windows, macOS), the loop thread sleeps
//! inside the window system, and readiness of a calloop source (a socket, a
//! child's channel, an app's own source) would go unnoticed until some
//! window message came. A watcher thread waits on the poller's own handle
//! (epoll and kqueue fds are pollable; an IO completion port is a waitable
//! object) and rings the window system's wake-up instead. It only observes
//! readiness: the events are still collected and dispatched by the loop
//! thread, so one thread drains one queue.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::{watch, Stop, Watch};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::{watch, Stop, Watch};
