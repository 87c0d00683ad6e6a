//! Windows: a child becomes a producer of completions.
//!
//! calloop polls only sockets on Windows, so pipes and the exit cannot be
//! loop sources. Instead each pipe gets a thread that reads it and splits
//! lines, and a third thread waits for the exit; all three send
//! `ProcessEvent`s into a bounded channel ([`outbox`]) that the loop thread
//! drains. The channel's bound is the backpressure: while the source is
//! disabled nothing is drained, the readers block on the full channel, the
//! pipes fill and the child blocks writing.
//!
//! The child runs in a [`job`] that ends with its last handle, so killing
//! or dropping ends every descendant too. When the child exits, the waiter
//! ends the job as well: a descendant holding the pipes would otherwise
//! keep the readers from ever reaching end of file. What is already in the
//! pipes is still read, and only then does `Exited` follow.

mod job;
mod outbox;

use std::io::{self, Read};
use std::os::windows::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::sync::{mpsc, Arc};
use std::thread::{self, JoinHandle};

use calloop::{Poll, PostAction, Readiness, Token, TokenFactory};

use super::Signal;
use crate::io::process::{LineSplitter, ProcessEvent, Stream, READ_BUDGET};
use job::Job;
use outbox::{Drained, Inbox, Outbox};

/// The exit code reported when the exit status cannot be collected.
const UNKNOWN_EXIT_CODE: u32 = 255;

impl Signal {
    /// What ends the child on Windows, for errors: the job is terminated
    /// whichever was asked.
    pub(crate) fn name(self) -> &'static str {
        "TerminateJobObject"
    }
}

/// Ends the child's job, for a `ProcessHandle`.
#[derive(Debug, Clone)]
pub(crate) struct Signaller {
    job: Arc<Job>,
}

impl Signaller {
    /// Ends every process in the job. Windows has no polite request that a
    /// child without a console is sure to receive, so `Terminate` does the
    /// same as `Kill`.
    pub(crate) fn send(&self, _signal: Signal) -> io::Result<()> {
        self.job.terminate()
    }
}

/// A child whose lines and exit arrive through the threads' channel.
#[derive(Debug)]
pub(crate) struct Watched {
    pid: u32,
    /// Dropped before the waiter is joined, so that threads blocked on a
    /// full channel give up.
    inbox: Option<Inbox>,
    job: Arc<Job>,
    /// Detached on drop, never joined (see `Drop`).
    waiter: Option<JoinHandle<()>>,
    exit_reported: bool,
}

/// Puts `child` into a job and starts its reader and waiter threads; on
/// failure the child (and anything it started) is ended.
pub(crate) fn watch(mut child: Child) -> io::Result<(Watched, Signaller)> {
    let job = match Job::new().and_then(|job| job.assign(&child).map(|()| job)) {
        Ok(job) => Arc::new(job),
        Err(err) => {
            if let Err(err) = child.kill().and_then(|()| child.wait().map(drop)) {
                tracing::warn!(pid = child.id(), %err, "cannot end child process");
            }
            return Err(err);
        }
    };
    let pid = child.id();
    match start_threads(child, &job) {
        Ok((inbox, waiter)) => {
            let watched = Watched {
                pid,
                inbox: Some(inbox),
                job: Arc::clone(&job),
                waiter: Some(waiter),
                exit_reported: false,
            };
            Ok((watched, Signaller { job }))
        }
        Err(err) => {
            // The job holds the child whatever became of its `Child`.
            if let Err(err) = job.terminate() {
                tracing::warn!(pid, %err, "cannot end child process");
            }
            Err(err)
        }
    }
}

fn start_threads(mut child: Child, job: &Arc<Job>) -> io::Result<(Inbox, JoinHandle<()>)> {
    let not_piped = || io::Error::other("output was not piped");
    let stdout = child.stdout.take().ok_or_else(not_piped)?;
    let stderr = child.stderr.take().ok_or_else(not_piped)?;
    let (outbox, inbox) = outbox::channel()?;
    // Each reader holds a sender of this channel until it ends; the waiter
    // learns that both have ended when its receiver disconnects.
    let (reader_alive, readers_done) = mpsc::channel::<()>();
    spawn("oneloop-child-stdout", {
        let (outbox, alive) = (outbox.clone(), reader_alive.clone());
        move || read_lines(stdout, Stream::Stdout, &outbox, alive)
    })?;
    spawn("oneloop-child-stderr", {
        let outbox = outbox.clone();
        move || read_lines(stderr, Stream::Stderr, &outbox, reader_alive)
    })?;
    let job = Arc::clone(job);
    let waiter = spawn("oneloop-child-wait", move || {
        wait_for_exit(child, &job, &readers_done, &outbox);
    })?;
    Ok((inbox, waiter))
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> io::Result<JoinHandle<()>> {
    thread::Builder::new().name(name.to_owned()).spawn(body)
}

/// A reader thread: sends each line of `pipe` until end of file, waiting
/// while the channel is full.
fn read_lines(mut pipe: impl Read, stream: Stream, outbox: &Outbox, _alive: mpsc::Sender<()>) {
    let mut buf = vec![0; READ_BUDGET];
    let mut lines = LineSplitter::default();
    let mut open = true;
    loop {
        let n = match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            // Windows reports a pipe whose writers have all gone this way.
            Err(err) if err.kind() == io::ErrorKind::BrokenPipe => break,
            Err(err) => {
                tracing::warn!(?stream, %err, "reading child output failed");
                break;
            }
        };
        lines.feed(&buf[..n], |line| {
            open = open && outbox.send(stream.event(line)).is_ok();
        });
        if !open {
            // The source is gone; nobody wants the rest.
            return;
        }
    }
    lines.finish(|line| {
        open = open && outbox.send(stream.event(line)).is_ok();
    });
}

/// The waiter thread: collects the exit, ends the job, lets the readers
/// finish, and sends `Exited` last.
fn wait_for_exit(mut child: Child, job: &Job, readers_done: &mpsc::Receiver<()>, outbox: &Outbox) {
    let status = match child.wait() {
        Ok(status) => status,
        Err(err) => {
            tracing::error!(pid = child.id(), %err, "cannot collect child exit status");
            ExitStatus::from_raw(UNKNOWN_EXIT_CODE)
        }
    };
    tracing::debug!(pid = child.id(), %status, "child process exited");
    // A descendant holding the pipes would keep the readers waiting for an
    // end of file forever; ended, it leaves what it wrote in the pipes.
    if let Err(err) = job.terminate() {
        tracing::warn!(pid = child.id(), %err, "cannot end the child's descendants");
    }
    // Returns once both readers have ended: nothing is ever sent on it.
    let _ = readers_done.recv();
    // Fails only when the source is gone, which then wants nothing.
    let _ = outbox.send(ProcessEvent::Exited(status));
}

impl Watched {
    /// The child's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// Hands out what the threads sent; `Exited` ends the source.
    pub(crate) fn process_events(
        &mut self,
        readiness: Readiness,
        token: Token,
        emit: &mut impl FnMut(ProcessEvent),
    ) -> io::Result<PostAction> {
        let Some(inbox) = &mut self.inbox else {
            return Ok(PostAction::Remove);
        };
        if self.exit_reported {
            return Ok(PostAction::Remove);
        }
        let mut exited = false;
        let drained = inbox.drain(readiness, token, &mut |event| {
            // The waiter sends nothing after `Exited`, and it comes once.
            exited = exited || matches!(event, ProcessEvent::Exited(_));
            emit(event);
        })?;
        if exited {
            self.exit_reported = true;
            return Ok(PostAction::Remove);
        }
        if drained == Some(Drained::Closed) {
            // Only if the waiter died (a panic): Exited must still come.
            tracing::error!(pid = self.pid, "lost the child's waiter thread");
            self.exit_reported = true;
            emit(ProcessEvent::Exited(ExitStatus::from_raw(
                UNKNOWN_EXIT_CODE,
            )));
            return Ok(PostAction::Remove);
        }
        Ok(PostAction::Continue)
    }

    /// Registers the channel's wake-up with the loop.
    pub(crate) fn register(
        &mut self,
        poll: &mut Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        match &mut self.inbox {
            Some(inbox) => inbox.register(poll, factory),
            None => Ok(()),
        }
    }

    /// Registers again with a new token.
    pub(crate) fn reregister(
        &mut self,
        poll: &mut Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        match &mut self.inbox {
            Some(inbox) => inbox.reregister(poll, factory),
            None => Ok(()),
        }
    }

    /// Removes the channel's wake-up from the loop.
    pub(crate) fn unregister(&mut self, poll: &mut Poll) -> calloop::Result<()> {
        match &mut self.inbox {
            Some(inbox) => inbox.unregister(poll),
            None => Ok(()),
        }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        if !self.exit_reported {
            tracing::debug!(pid = self.pid, "killing child whose source was dropped");
            if let Err(err) = self.job.terminate() {
                tracing::warn!(pid = self.pid, %err, "cannot kill child process");
            }
        }
        // Threads blocked on a full channel give up once it is gone.
        self.inbox = None;
        // The waiter is not joined: it ends by itself once the child is gone
        // (closing the child's handle) and the readers have ended, and a
        // reader can wait on a pipe for as long as a process that escaped
        // the job holds it; the loop thread must not wait with it.
        drop(self.waiter.take());
    }
}
