//! Child processes as a calloop event source.
//!
//! A [`ProcessSource`] turns a running child into messages on the loop
//! thread: each line it writes to stdout or stderr becomes a
//! [`ProcessEvent::Stdout`] or [`ProcessEvent::Stderr`], and its end becomes
//! one [`ProcessEvent::Exited`]. No thread waits on the pipes and nothing
//! blocks the loop: both pipes are non-blocking and registered with the loop,
//! and the child's exit is watched through a pidfd, which becomes readable
//! when the child exits.
//!
//! ```no_run
//! # use oneloop::io::process::{ProcessEvent, ProcessSource};
//! let mut event_loop = calloop::EventLoop::<Vec<String>>::try_new()?;
//! let (source, handle) = ProcessSource::spawn(std::process::Command::new("ls"))?;
//! event_loop.handle().insert_source(source, |event, _, lines| {
//!     if let ProcessEvent::Stdout(line) = event {
//!         lines.push(line);
//!     }
//! })?;
//! # let _ = handle;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Ordering: every line is delivered before `Exited`, which comes exactly
//! once, after which the source removes itself from the loop.
//!
//! A child whose own children keep its pipes open: once the child has exited,
//! the source reads only what is already in the pipes (at most one pipe
//! capacity each, which covers everything the child itself wrote) and then
//! closes them and reports `Exited`. Output that such a descendant writes
//! later is not delivered; it gets EPIPE. Waiting for the pipes to close
//! would instead hang for as long as a daemon the child started lives.
//!
//! Fairness and backpressure: one call of `process_events` reads at most
//! [`READ_BUDGET`] bytes per pipe, so a flooding child cannot hold the loop;
//! level-triggered readiness brings the source back on the next turn. A
//! consumer whose queue is full disables the source
//! (`LoopHandle::disable`); then nothing is read, the child blocks on its
//! full pipe, and memory stays bounded. A disable issued from inside the
//! callback takes effect when the current call returns, so up to one read
//! budget per pipe of lines may still arrive after it. A disabled source does
//! not watch the exit either: a child that ends meanwhile stays a zombie until
//! the source is enabled again or dropped.

mod lines;
mod pipe;

pub use lines::MAX_LINE;

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;

use calloop::generic::Generic;
use calloop::{EventSource, Interest, Mode, Poll, PostAction, Readiness, Token, TokenFactory};
use rustix::io::Errno;
use rustix::process::{pidfd_open, pidfd_send_signal, Pid, PidfdFlags, Signal};

use pipe::{Pipe, PipeState, Stream};

/// The most bytes read from one pipe in one call of `process_events`.
///
/// Bounds the work one loop turn does for a chatty child; it matches the
/// default pipe capacity, so a full pipe is emptied in one call.
pub const READ_BUDGET: usize = 64 * 1024;

/// The raw wait status reported when the exit status cannot be collected
/// (exit code 255).
const UNKNOWN_STATUS: i32 = 255 << 8;

/// A message from a child process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessEvent {
    /// One line of standard output, without its line ending, decoded from
    /// UTF-8 with invalid bytes replaced by U+FFFD. A line longer than
    /// [`MAX_LINE`] bytes arrives in several pieces.
    Stdout(String),
    /// One line of standard error, decoded like [`ProcessEvent::Stdout`].
    Stderr(String),
    /// The child has exited and been reaped; always the last event, sent once.
    ///
    /// If the status could not be collected (only possible when the
    /// application makes the kernel reap children by ignoring `SIGCHLD`), this
    /// carries exit code 255 and an error is logged.
    Exited(ExitStatus),
}

/// Why a child process could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// The program does not exist (or is not on `PATH`).
    #[error("program `{program}` was not found; check its name and PATH")]
    NotFound {
        /// The program as given to the command.
        program: String,
    },
    /// The program exists but may not be executed by this user.
    #[error("permission denied running `{program}`; check that it is executable")]
    PermissionDenied {
        /// The program as given to the command.
        program: String,
    },
    /// Starting the program failed for another reason.
    #[error("could not start `{program}`: {source}")]
    Other {
        /// The program as given to the command.
        program: String,
        /// What the OS reported.
        #[source]
        source: io::Error,
    },
    /// The program started, but its exit or output cannot be watched; it has
    /// been killed again. Exit watching needs Linux 5.3 or later.
    #[error(
        "started `{program}` but could not watch it (pidfd needs Linux 5.3 or later): {source}"
    )]
    Watch {
        /// The program as given to the command.
        program: String,
        /// What the OS reported.
        #[source]
        source: io::Error,
    },
}

/// Sending a signal to a child process failed.
#[derive(Debug, thiserror::Error)]
#[error("could not send {signal} to process {pid}: {source}")]
pub struct SignalError {
    /// The child's process id.
    pub pid: u32,
    /// The signal's name, such as `SIGKILL`.
    pub signal: &'static str,
    /// What the OS reported.
    #[source]
    pub source: io::Error,
}

/// A cheap, thread-safe handle for signalling a child started by
/// [`ProcessSource::spawn`].
///
/// Signals go through the child's pidfd, which names that one process even
/// after it has exited and been reaped, so a handle can never signal an
/// unrelated process that was later given the same pid. Signalling a child
/// that has already exited does nothing and succeeds.
#[derive(Debug, Clone)]
pub struct ProcessHandle {
    pid: u32,
    /// `None` for a process a replay did not start: signals do nothing.
    pidfd: Option<Arc<OwnedFd>>,
}

impl ProcessHandle {
    /// The handle a replay gives for a process it does not start (its
    /// output comes from the recording).
    pub(crate) fn inert<E>() -> Result<Self, E> {
        Ok(Self {
            pid: 0,
            pidfd: None,
        })
    }

    /// The child's process id, for logs and display; use this handle, not
    /// the pid, to signal it.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Kills the child at once (`SIGKILL`); its `Exited` event follows.
    pub fn kill(&self) -> Result<(), SignalError> {
        self.send(Signal::KILL, "SIGKILL")
    }

    /// Asks the child to end (`SIGTERM`); it may clean up first, or ignore it.
    pub fn terminate(&self) -> Result<(), SignalError> {
        self.send(Signal::TERM, "SIGTERM")
    }

    fn send(&self, signal: Signal, name: &'static str) -> Result<(), SignalError> {
        let Some(pidfd) = &self.pidfd else {
            return Ok(());
        };
        match pidfd_send_signal(&**pidfd, signal) {
            // ESRCH: the child has exited already, which is what was wanted.
            Ok(()) | Err(Errno::SRCH) => Ok(()),
            Err(errno) => Err(SignalError {
                pid: self.pid,
                signal: name,
                source: errno.into(),
            }),
        }
    }
}

/// A running child process whose output lines and exit arrive as
/// [`ProcessEvent`]s on the loop thread.
///
/// Dropping it (or removing it from the loop before it has exited) kills and
/// reaps the child, so neither a running child nor a zombie is left behind.
/// Waiting for a killed child is normally immediate, but can take as long as
/// the kernel needs to tear it down (for example, a process stuck on a dead
/// network file system).
#[derive(Debug)]
pub struct ProcessSource {
    child: Child,
    pidfd: Arc<OwnedFd>,
    /// Watches the pidfd; dropped once the exit is seen, because a
    /// level-triggered pidfd stays readable and would wake the loop forever.
    exit_watch: Option<Generic<Arc<OwnedFd>>>,
    /// Dropped (and closed) once a pipe has been read to its end.
    stdout: Option<Pipe>,
    stderr: Option<Pipe>,
    status: Option<ExitStatus>,
    exit_reported: bool,
    /// Reused by every read so that reading allocates nothing.
    read_buf: Vec<u8>,
}

impl ProcessSource {
    /// Starts `command` with stdin from `/dev/null` and stdout and stderr
    /// piped to the new source.
    ///
    /// Returns the source, to be inserted into a calloop loop, and a handle
    /// for signalling the child from anywhere.
    pub fn spawn(mut command: Command) -> Result<(Self, ProcessHandle), ProcessError> {
        let program = command.get_program().to_string_lossy().into_owned();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => ProcessError::NotFound {
                program: program.clone(),
            },
            io::ErrorKind::PermissionDenied => ProcessError::PermissionDenied {
                program: program.clone(),
            },
            _ => ProcessError::Other {
                program: program.clone(),
                source,
            },
        })?;
        let (stdout, stderr, pidfd) = match watch(&mut child) {
            Ok(watched) => watched,
            Err(source) => {
                // Nobody could ever observe or reap this child: end it now.
                reap_killed(&mut child);
                return Err(ProcessError::Watch { program, source });
            }
        };
        tracing::debug!(pid = child.id(), %program, "spawned child process");
        let pidfd = Arc::new(pidfd);
        let handle = ProcessHandle {
            pid: child.id(),
            pidfd: Some(Arc::clone(&pidfd)),
        };
        let source = ProcessSource {
            child,
            exit_watch: Some(Generic::new(
                Arc::clone(&pidfd),
                Interest::READ,
                Mode::Level,
            )),
            pidfd,
            stdout: Some(stdout),
            stderr: Some(stderr),
            status: None,
            exit_reported: false,
            read_buf: vec![0; READ_BUDGET],
        };
        Ok((source, handle))
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reaps the child after its pidfd became readable; returns whether it had
    /// exited.
    fn collect_exit(&mut self) -> bool {
        let status = match self.child.try_wait() {
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
}

/// Takes the child's pipes and opens its pidfd.
fn watch(child: &mut Child) -> io::Result<(Pipe, Pipe, OwnedFd)> {
    let not_piped = || io::Error::other("output was not piped");
    let stdout = child.stdout.take().ok_or_else(not_piped)?;
    let stderr = child.stderr.take().ok_or_else(not_piped)?;
    let stdout = Pipe::new(Stream::Stdout, stdout.into())?;
    let stderr = Pipe::new(Stream::Stderr, stderr.into())?;
    let pidfd = pidfd_open(Pid::from_child(child), PidfdFlags::empty())?;
    Ok((stdout, stderr, pidfd))
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

impl EventSource for ProcessSource {
    type Event = ProcessEvent;
    type Metadata = ();
    type Ret = ();
    type Error = io::Error;

    fn process_events<C>(
        &mut self,
        readiness: Readiness,
        token: Token,
        mut callback: C,
    ) -> io::Result<PostAction>
    where
        C: FnMut(ProcessEvent, &mut ()),
    {
        if self.exit_reported {
            return Ok(PostAction::Remove);
        }
        let exit_seen_now = match &mut self.exit_watch {
            Some(watch) => fired(watch, readiness, token)? && self.collect_exit(),
            None => false,
        };
        let mut emit = |event| callback(event, &mut ());
        for slot in [&mut self.stdout, &mut self.stderr] {
            let Some(pipe) = slot else { continue };
            // Right after the exit every pipe is checked, since an empty
            // pipe held open by a descendant would never report readiness.
            if !(exit_seen_now || fired(&mut pipe.source, readiness, token)?) {
                continue;
            }
            if pipe.read(&mut self.read_buf, &mut emit) == PipeState::Done {
                pipe.flush(&mut emit);
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

    fn register(&mut self, poll: &mut Poll, factory: &mut TokenFactory) -> calloop::Result<()> {
        if let Some(watch) = &mut self.exit_watch {
            watch.register(poll, factory)?;
        }
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.source.register(poll, factory)?;
        }
        Ok(())
    }

    fn reregister(&mut self, poll: &mut Poll, factory: &mut TokenFactory) -> calloop::Result<()> {
        if let Some(watch) = &mut self.exit_watch {
            watch.reregister(poll, factory)?;
        }
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.source.reregister(poll, factory)?;
        }
        Ok(())
    }

    fn unregister(&mut self, poll: &mut Poll) -> calloop::Result<()> {
        if let Some(watch) = &mut self.exit_watch {
            watch.unregister(poll)?;
        }
        for pipe in [&mut self.stdout, &mut self.stderr].into_iter().flatten() {
            pipe.source.unregister(poll)?;
        }
        Ok(())
    }
}

impl Drop for ProcessSource {
    fn drop(&mut self) {
        if self.status.is_some() || matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        tracing::debug!(
            pid = self.child.id(),
            "killing child whose source was dropped"
        );
        if let Err(errno) = pidfd_send_signal(&*self.pidfd, Signal::KILL) {
            tracing::warn!(pid = self.child.id(), %errno, "cannot kill child process");
        }
        if let Err(err) = self.child.wait() {
            tracing::warn!(pid = self.child.id(), %err, "cannot reap child process");
        }
    }
}

/// Whether `token` is the one `source` was registered with.
fn fired<F: AsFd>(source: &mut Generic<F>, readiness: Readiness, token: Token) -> io::Result<bool> {
    let mut hit = false;
    source.process_events(readiness, token, |_, _| {
        hit = true;
        Ok(PostAction::Continue)
    })?;
    Ok(hit)
}
