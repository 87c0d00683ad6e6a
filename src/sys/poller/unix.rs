//! epoll (Linux) and kqueue (macOS) descriptors are themselves pollable:
//! readable while events are pending. A pipe carries the stop request.

use std::io;
use std::os::fd::{AsFd, OwnedFd};

use rustix::event::{poll, PollFd, PollFlags};
use rustix::io::Errno;

/// The watcher's side: a copy of the poller's descriptor and the stop pipe.
pub(crate) struct Watch {
    poller: OwnedFd,
    stop: std::io::PipeReader,
}

/// Ends a [`Watch::wait`], now or the next time it is called.
pub(crate) struct Stop(std::io::PipeWriter);

/// Watch the poller of `event_loop` from another thread.
pub(crate) fn watch<D>(event_loop: &calloop::EventLoop<'_, D>) -> io::Result<(Watch, Stop)> {
    let poller = event_loop.as_fd().try_clone_to_owned()?;
    // std's pipe is close-on-exec on every Unix (macOS has no pipe2).
    let (read, write) = std::io::pipe()?;
    Ok((Watch { poller, stop: read }, Stop(write)))
}

impl Watch {
    /// Block until the poller has events (`true`) or a stop was asked for
    /// (`false`).
    pub(crate) fn wait(&self) -> io::Result<bool> {
        loop {
            let mut fds = [
                PollFd::new(&self.poller, PollFlags::IN),
                PollFd::new(&self.stop, PollFlags::IN),
            ];
            match poll(&mut fds, None) {
                Err(Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
                Ok(_) => {}
            }
            if !fds[1].revents().is_empty() {
                return Ok(false);
            }
            if !fds[0].revents().is_empty() {
                return Ok(true);
            }
        }
    }
}

impl Stop {
    /// Ask the watcher to return.
    pub(crate) fn stop(&self) {
        // One byte makes the pipe readable for good; a full pipe (never, at
        // one byte) or a closed reader both mean the watcher is going anyway.
        let _ = rustix::io::write(&self.0, &[1]);
    }
}
