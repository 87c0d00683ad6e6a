//! macOS: a child's exit is watched through a kqueue of its own, and its
//! signals go by pid while it is known not to have been reaped.
//!
//! There is no pidfd. A kqueue holding one `EVFILT_PROC`/`NOTE_EXIT`
//! registration for the child is itself a descriptor that becomes readable
//! when the child exits, so it can be a calloop source next to the pipes.
//!
//! Signalling by pid is safe only while the child is unreaped: until then
//! the kernel keeps its pid, so no other process can have it. Every reap of
//! the child goes through [`Signaller::reap`], which holds the same lock as
//! [`Signaller::send`] and records the reap before releasing it, so a signal
//! is either sent before the reap or not sent at all.

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::process::{Child, ExitStatus};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use calloop::generic::Generic;
use calloop::{Interest, Mode, Readiness, Token};
use rustix::event::kqueue::{self, Event, EventFilter, EventFlags, ProcessEvents};
use rustix::io::Errno;
use rustix::process::Pid;

use super::unix::{fired, reap, Reap};
use super::Signal;

/// macOS does not tell a pipe's capacity; a pipe grows to at most this when
/// written in large chunks (`BIG_PIPE_SIZE`).
const PIPE_CAPACITY: usize = 64 * 1024;

/// How soon to look again when the exit was announced before the child
/// could be reaped.
const RETRY: Duration = Duration::from_millis(1);

/// The `ident` of the retry timer in the child's kqueue.
const RETRY_TIMER: isize = 1;

/// How many bytes may still be read from the pipe `fd` once the child has
/// exited: what is in it now, but at least what a pipe can hold.
pub(super) fn pipe_capacity(fd: BorrowedFd<'_>) -> usize {
    let pending = rustix::io::ioctl_fionread(fd).map_or(0, |n| n as usize);
    pending.max(PIPE_CAPACITY)
}

/// Opens a kqueue that reports the exit of `child`, which must not have
/// been reaped yet.
pub(super) fn open(child: &Child) -> io::Result<(ExitWatch, Signaller)> {
    let pid = Pid::from_child(child);
    let queue = kqueue::kqueue()?;
    let exit = Event::new(
        EventFilter::Proc {
            pid,
            flags: ProcessEvents::EXIT,
        },
        EventFlags::ADD | EventFlags::ONESHOT,
        std::ptr::null_mut(),
    );
    let mut watch = ExitWatch {
        source: Generic::new(queue, Interest::READ, Mode::Level),
    };
    match change(watch.source.get_ref().as_fd(), &exit) {
        Ok(()) => {}
        // The child has exited already and is a zombie: make the queue
        // readable at once instead, and the reap will find it.
        Err(Errno::SRCH) => watch.retry_soon()?,
        Err(errno) => return Err(errno.into()),
    }
    let signaller = Signaller {
        shared: Arc::new(Shared {
            pid,
            reaped: Mutex::new(false),
        }),
    };
    Ok((watch, signaller))
}

/// Applies one change to `queue` without waiting for events.
#[expect(
    unsafe_code,
    reason = "rustix's kevent is unsafe for descriptor filters"
)]
fn change(queue: BorrowedFd<'_>, event: &Event) -> Result<(), Errno> {
    let mut none: [MaybeUninit<Event>; 0] = [];
    // SAFETY: kevent requires that file descriptors named by the events
    // stay valid for the kqueue's lifetime. This module only ever submits
    // `EVFILT_PROC` and `EVFILT_TIMER` events, which name a pid and a timer
    // id, never a file descriptor.
    unsafe { kqueue::kevent(queue, std::slice::from_ref(event), &mut none, None) }.map(|_| ())
}

/// Takes the events that have fired out of `queue`, so that it stops being
/// readable.
#[expect(
    unsafe_code,
    reason = "rustix's kevent is unsafe for descriptor filters"
)]
fn drain(queue: BorrowedFd<'_>) -> io::Result<usize> {
    let mut fired: [MaybeUninit<Event>; 4] = [const { MaybeUninit::uninit() }; 4];
    // SAFETY: no change is submitted, and the queue only ever holds
    // `EVFILT_PROC` and `EVFILT_TIMER` events, which name no descriptor.
    let (events, _) = unsafe { kqueue::kevent(queue, &[], &mut fired, Some(Duration::ZERO)) }?;
    Ok(events.len())
}

/// The child's kqueue as a loop source: readable once the child has exited.
#[derive(Debug)]
pub(super) struct ExitWatch {
    source: Generic<OwnedFd>,
}

impl ExitWatch {
    /// The source to register with the loop.
    pub(super) fn source(&mut self) -> &mut Generic<OwnedFd> {
        &mut self.source
    }

    /// Whether this readiness is the kqueue's; takes what fired out of it.
    pub(super) fn fired(&mut self, readiness: Readiness, token: Token) -> io::Result<bool> {
        if !fired(&mut self.source, readiness, token)? {
            return Ok(false);
        }
        drain(self.source.get_ref().as_fd())?;
        Ok(true)
    }

    /// Makes the queue readable again shortly: `NOTE_EXIT` can be posted a
    /// moment before the child can be reaped, and it is posted only once.
    pub(super) fn retry_soon(&mut self) -> io::Result<()> {
        let timer = Event::new(
            EventFilter::Timer {
                ident: RETRY_TIMER,
                timer: Some(RETRY),
            },
            EventFlags::ADD | EventFlags::ONESHOT,
            std::ptr::null_mut(),
        );
        change(self.source.get_ref().as_fd(), &timer).map_err(io::Error::from)
    }
}

#[derive(Debug)]
struct Shared {
    pid: Pid,
    /// Set, under the lock, by the reap; from then on the pid may belong to
    /// someone else.
    reaped: Mutex<bool>,
}

/// Sends signals by pid while the child is known not to have been reaped.
#[derive(Debug, Clone)]
pub(crate) struct Signaller {
    shared: Arc<Shared>,
}

impl Signaller {
    /// Sends `signal`; a child that has exited already is not an error.
    pub(crate) fn send(&self, signal: Signal) -> io::Result<()> {
        let reaped = self
            .shared
            .reaped
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *reaped {
            return Ok(());
        }
        match rustix::process::kill_process(self.shared.pid, signal.os()) {
            // ESRCH: the child has exited already, which is what was wanted.
            Ok(()) | Err(Errno::SRCH) => Ok(()),
            Err(errno) => Err(errno.into()),
        }
    }

    /// Reaps `child` under the lock that [`send`](Self::send) takes, and
    /// records that its pid is no longer its own.
    pub(super) fn reap(&self, child: &mut Child, how: Reap) -> io::Result<Option<ExitStatus>> {
        let mut reaped = self
            .shared
            .reaped
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let result = reap(child, how);
        // An error means it cannot be waited for any more (reaped by the
        // kernel when SIGCHLD is ignored): its pid is just as unsafe.
        if !matches!(result, Ok(None)) {
            *reaped = true;
        }
        result
    }
}
