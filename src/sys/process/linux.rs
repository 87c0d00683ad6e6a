//! Linux: a child's exit is watched, and its signals sent, through a pidfd.
//!
//! A pidfd names one process for as long as the descriptor is open, even
//! after that process has been reaped, so a signal sent through it can never
//! reach an unrelated process that was given the same pid later. It becomes
//! readable when the process exits, which makes it a calloop source.

use std::io;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::process::{Child, ExitStatus};
use std::sync::Arc;

use calloop::generic::Generic;
use calloop::{Interest, Mode, Readiness, Token};
use rustix::io::Errno;
use rustix::process::{pidfd_open, pidfd_send_signal, Pid, PidfdFlags};

use super::unix::{fired, reap, Reap};
use super::Signal;

/// Used when the kernel will not tell a pipe's capacity; the default
/// `/proc/sys/fs/pipe-max-size`, which no unprivileged pipe exceeds.
const FALLBACK_PIPE_CAPACITY: usize = 1024 * 1024;

/// How many bytes the pipe `fd` can hold: the most a child can have left
/// in it when it exits.
pub(super) fn pipe_capacity(fd: BorrowedFd<'_>) -> usize {
    rustix::pipe::fcntl_getpipe_size(fd).unwrap_or(FALLBACK_PIPE_CAPACITY)
}

/// Opens the pidfd of `child`, which must not have been reaped yet.
pub(super) fn open(child: &Child) -> io::Result<(ExitWatch, Signaller)> {
    let pidfd = pidfd_open(Pid::from_child(child), PidfdFlags::empty()).map_err(|errno| {
        io::Error::new(
            io::Error::from(errno).kind(),
            format!("pidfd_open (needs Linux 5.3 or later): {errno}"),
        )
    })?;
    let pidfd = Arc::new(pidfd);
    let watch = ExitWatch {
        source: Generic::new(Arc::clone(&pidfd), Interest::READ, Mode::Level),
    };
    Ok((watch, Signaller { pidfd }))
}

/// The child's pidfd as a loop source: readable once the child has exited.
#[derive(Debug)]
pub(super) struct ExitWatch {
    source: Generic<Arc<OwnedFd>>,
}

impl ExitWatch {
    /// The source to register with the loop.
    pub(super) fn source(&mut self) -> &mut Generic<Arc<OwnedFd>> {
        &mut self.source
    }

    /// Whether this readiness is the pidfd's.
    pub(super) fn fired(&mut self, readiness: Readiness, token: Token) -> io::Result<bool> {
        fired(&mut self.source, readiness, token)
    }

    /// Nothing to do: a pidfd stays readable, so the loop asks again.
    pub(super) fn retry_soon(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Sends signals through the child's pidfd.
#[derive(Debug, Clone)]
pub(crate) struct Signaller {
    pidfd: Arc<OwnedFd>,
}

impl Signaller {
    /// Sends `signal`; a child that has exited already is not an error.
    pub(crate) fn send(&self, signal: Signal) -> io::Result<()> {
        match pidfd_send_signal(&*self.pidfd, signal.os()) {
            // ESRCH: the child has exited already, which is what was wanted.
            Ok(()) | Err(Errno::SRCH) => Ok(()),
            Err(errno) => Err(errno.into()),
        }
    }

    /// Reaps `child`; the pidfd keeps naming it, so nothing else is needed.
    pub(super) fn reap(&self, child: &mut Child, how: Reap) -> io::Result<Option<ExitStatus>> {
        reap(child, how)
    }
}
