//! Child processes on Unix: the pipes and the exit are file descriptors
//! that the loop polls, so no thread is involved.
//!
//! The pipes are the same everywhere ([`pipe`]); how the exit becomes a
//! readable descriptor and how signals avoid a recycled pid is the OS's own
//! part (`linux.rs`: a pidfd; `macos.rs`: a kqueue).

mod pipe;

use std::io;
use std::os::fd::AsFd;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};

use calloop::generic::Generic;
use calloop::{EventSource, Poll, PostAction, Readiness, Token, TokenFactory};

use super::exit::ExitWatch;
pub(crate) use super::exit::Signaller;
use super::Signal;
use crate::io::process::{ProcessEvent, Stream, READ_BUDGET};
use pipe::{Pipe, PipeState};

/// The raw wait status reported when the exit status cannot be collected
/// (exit code 255).
const UNKNOWN_STATUS: i32 = 255 << 8;

impl Signal {
    /// The signal's Unix name, for errors.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Signal::Kill => "SIGKILL",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// The signal itself.
    pub(super) fn os(self) -> rustix::process::Signal {
        match self {
            Signal::Kill => rustix::process::Signal::KILL,
            Signal::Terminate => rustix::process::Signal::TERM,
        }
    }
}

/// Whether to block until the child has exited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reap {
    /// Only collect an exit that has happened (`try_wait`).
    IfExited,
    /// Wait for the exit (`wait`).
    Wait,
}

/// Collects `child`'s exit status as `how` says.
pub(super) fn reap(child: &mut Child, how: Reap) -> io::Result<Option<ExitStatus>> {
    match how {
        Reap::IfExited => child.try_wait(),
        Reap::Wait => child.wait().map(Some),
    }
}

/// A child whose pipes and exit the loop watches.
#[derive(Debug)]
pub(crate) struct Watched {
    child: Child,
    signaller: Signaller,
    /// Dropped once the exit is seen: a level-triggered exit watch stays
    /// readable and would wake the loop forever.
    exit_watch: Option<ExitWatch>,
    /// Dropped (and closed) once a pipe has been read to its end.
    stdout: Option<Pipe>,
    stderr: Option<Pipe>,
    status: Option<ExitStatus>,
    exit_reported: bool,
    /// Reused by every read so that reading allocates nothing.
    read_buf: Vec<u8>,
}

/// Takes `child`'s pipes and starts watching its exit; on failure the child
/// is killed and reaped, since nobody could ever observe it.
pub(crate) fn watch(mut child: Child) -> io::Result<(Watched, Signaller)> {
    let (stdout, stderr, exit_watch, signaller) = match open(&mut child) {
        Ok(opened) => opened,
        Err(err) => {
            reap_killed(&mut child);
            return Err(err);
        }
    };
    let watched = Watched {
        child,
        signaller: signaller.clone(),
        exit_watch: Some(exit_watch),
        stdout: Some(stdout),
        stderr: Some(stderr),
        status: None,
        exit_reported: false,
        read_buf: vec![0; READ_BUDGET],
    };
    Ok((watched, signaller))
}

fn open(child: &mut Child) -> io::Result<(Pipe, Pipe, ExitWatch, Signaller)> {
    let not_piped = || io::Error::other("output was not piped");
    let stdout = child.stdout.take().ok_or_else(not_piped)?;
    let stderr = child.stderr.take().ok_or_else(not_piped)?;
    let stdout = Pipe::new(Stream::Stdout, stdout.into())?;
    let stderr = Pipe::new(Stream::Stderr, stderr.into())?;
    let (exit_watch, signaller) = super::exit::open(child)?;
    Ok((stdout, stderr, exit_watch, signaller))
}

/// Kills a child that has not been reaped yet and waits for it.
///
/// Signalling by pid is safe here: an unreaped child keeps its pid, so it
/// cannot have been recycled.
fn reap_killed(child: &mut Child) {
    if let Err(err) = child.kill() {
        tracing::warn!(pid = child.id(), %err, "cannot kill child process");
    }
    if let Err(err) = child.wait() {
        tracing::warn!(pid = child.id(), %err, "cannot reap child process");
    }
}

impl Watched {
    /// The child's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reaps the child after its exit watch fired; returns whether it had
    /// exited.
    fn collect_exit(&mut self) -> bool {
        let status = match self.signaller.reap(&mut self.child, Reap::IfExited) {
            Ok(Some(status)) => status,
            Ok(None) => return false,
            Err(err) => {
                tracing::error!(pid = self.child.id(), %err, "cannot collect child exit status");
                ExitStatus::from_raw(UNKNOWN_STATUS)
            }
        };
        tracing::debug!(pid = self.child.id(), %status, "child process exited");
        self.status = Some(status);
        self.exit_watch = None;
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.child_exited();
        }
        true
    }

    /// Reads what is ready and emits lines, then `Exited` once both pipes
    /// are done and the child has been reaped.
    pub(crate) fn process_events(
        &mut self,
        readiness: Readiness,
        token: Token,
        emit: &mut impl FnMut(ProcessEvent),
    ) -> io::Result<PostAction> {
        if self.exit_reported {
            return Ok(PostAction::Remove);
        }
        let exit_fired = match &mut self.exit_watch {
            Some(watch) => watch.fired(readiness, token)?,
            None => false,
        };
        let exit_seen_now = exit_fired && self.collect_exit();
        if exit_fired && !exit_seen_now {
            if let Some(watch) = &mut self.exit_watch {
                watch.retry_soon()?;
            }
        }
        for slot in [&mut self.stdout, &mut self.stderr] {
            let Some(pipe) = slot else { continue };
            // Right after the exit every pipe is checked, since an empty
            // pipe held open by a descendant would never report readiness.
            if !(exit_seen_now || fired(&mut pipe.source, readiness, token)?) {
                continue;
            }
            if pipe.read(&mut self.read_buf, emit) == PipeState::Done {
                pipe.flush(emit);
                *slot = None;
            }
        }
        match self.status {
            Some(status) if self.stdout.is_none() && self.stderr.is_none() => {
                self.exit_reported = true;
                emit(ProcessEvent::Exited(status));
                Ok(PostAction::Remove)
            }
            _ => Ok(PostAction::Continue),
        }
    }

    /// Registers the exit watch and both pipes.
    pub(crate) fn register(
        &mut self,
        poll: &mut Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        if let Some(watch) = &mut self.exit_watch {
            watch.source().register(poll, factory)?;
        }
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.source.register(poll, factory)?;
        }
        Ok(())
    }

    /// Registers again with new tokens.
    pub(crate) fn reregister(
        &mut self,
        poll: &mut Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        if let Some(watch) = &mut self.exit_watch {
            watch.source().reregister(poll, factory)?;
        }
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.source.reregister(poll, factory)?;
        }
        Ok(())
    }

    /// Removes everything from the loop.
    pub(crate) fn unregister(&mut self, poll: &mut Poll) -> calloop::Result<()> {
        if let Some(watch) = &mut self.exit_watch {
            watch.source().unregister(poll)?;
        }
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.source.unregister(poll)?;
        }
        Ok(())
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.status.is_some() {
            return;
        }
        if let Ok(Some(_)) = self.signaller.reap(&mut self.child, Reap::IfExited) {
            return;
        }
        tracing::debug!(
            pid = self.child.id(),
            "killing child whose source was dropped"
        );
        if let Err(err) = self.signaller.send(Signal::Kill) {
            tracing::warn!(pid = self.child.id(), %err, "cannot kill child process");
        }
        if let Err(err) = self.signaller.reap(&mut self.child, Reap::Wait) {
            tracing::warn!(pid = self.child.id(), %err, "cannot reap child process");
        }
    }
}

/// Whether `token` is the one `source` was registered with.
pub(super) fn fired<F: AsFd>(
    source: &mut Generic<F>,
    readiness: Readiness,
    token: Token,
) -> io::Result<bool> {
    let mut hit = false;
    source.process_events(readiness, token, |_, _| {
        hit = true;
        Ok(PostAction::Continue)
    })?;
    Ok(hit)
}
