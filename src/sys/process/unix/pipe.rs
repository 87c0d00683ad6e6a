//! The read end of one of a child's output pipes, non-blocking and polled
//! by the loop.

use std::io;
use std::os::fd::{AsFd, OwnedFd};

use calloop::generic::Generic;
use calloop::{Interest, Mode};
use rustix::io::Errno;

use crate::io::process::{LineSplitter, ProcessEvent, Stream, READ_BUDGET};
use crate::sys::process::exit;

/// Whether a pipe is still worth reading after a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PipeState {
    Open,
    Done,
}

/// The read end of one of the child's output pipes.
#[derive(Debug)]
pub(super) struct Pipe {
    stream: Stream,
    pub(super) source: Generic<OwnedFd>,
    lines: LineSplitter,
    /// Once the child has exited: how many more bytes to read at most. The
    /// pipe's capacity covers everything the child itself left in it; more
    /// can only come from a descendant still holding the pipe.
    after_exit_left: Option<usize>,
}

impl Pipe {
    pub(super) fn new(stream: Stream, fd: OwnedFd) -> io::Result<Self> {
        rustix::io::ioctl_fionbio(&fd, true)?;
        Ok(Pipe {
            stream,
            source: Generic::new(fd, Interest::READ, Mode::Level),
            lines: LineSplitter::default(),
            after_exit_left: None,
        })
    }

    pub(super) fn child_exited(&mut self) {
        self.after_exit_left = Some(exit::pipe_capacity(self.source.get_ref().as_fd()));
    }

    /// Hands out a last line that had no line ending; called at the end.
    pub(super) fn flush(&mut self, emit: &mut impl FnMut(ProcessEvent)) {
        let stream = self.stream;
        self.lines.finish(|line| emit(stream.event(line)));
    }

    /// Reads at most [`READ_BUDGET`] bytes and emits the lines completed.
    pub(super) fn read(
        &mut self,
        read_buf: &mut [u8],
        emit: &mut impl FnMut(ProcessEvent),
    ) -> PipeState {
        let mut budget = READ_BUDGET.min(read_buf.len());
        loop {
            let want = self.after_exit_left.map_or(budget, |left| left.min(budget));
            if want == 0 {
                break;
            }
            match rustix::io::read(self.source.get_ref(), &mut read_buf[..want]) {
                Ok(0) => return PipeState::Done,
                Ok(n) => {
                    budget -= n;
                    if let Some(left) = &mut self.after_exit_left {
                        *left -= n;
                    }
                    let stream = self.stream;
                    self.lines
                        .feed(&read_buf[..n], |line| emit(stream.event(line)));
                }
                // Empty for now: after the exit that means nothing more from
                // the child itself will come.
                Err(Errno::AGAIN) if self.after_exit_left.is_some() => return PipeState::Done,
                Err(Errno::AGAIN) => return PipeState::Open,
                Err(Errno::INTR) => {}
                Err(errno) => {
                    tracing::warn!(stream = ?self.stream, %errno, "reading child output failed");
                    return PipeState::Done;
                }
            }
        }
        match self.after_exit_left {
            None => PipeState::Open,
            Some(0) => {
                tracing::debug!(
                    stream = ?self.stream,
                    "child exited but a descendant keeps writing to its pipe; no longer reading it"
                );
                PipeState::Done
            }
            // The budget ran out exactly as the pipe may have emptied; an
            // empty pipe would not wake the loop again, so ask the kernel.
            Some(_) => match rustix::io::ioctl_fionread(self.source.get_ref()) {
                Ok(pending) if pending > 0 => PipeState::Open,
                _ => PipeState::Done,
            },
        }
    }
}
