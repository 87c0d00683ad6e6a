//! Child processes as a calloop event source.
//!
//! A [`ProcessSource`] turns a running child into messages on the loop
//! thread: each line it writes to stdout or stderr becomes a
//! [`ProcessEvent::Stdout`] or [`ProcessEvent::Stderr`], and its end becomes
//! one [`ProcessEvent::Exited`]. Nothing blocks the loop; how the pipes and
//! the exit are watched depends on the OS (see below), the events and their
//! order do not.
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
//! the source delivers only what is already in the pipes (which covers
//! everything the child itself wrote) and then reports `Exited`. Waiting for
//! the pipes to close would instead hang for as long as a daemon the child
//! started lives. What happens to that descendant differs per OS (below).
//!
//! Fairness and backpressure: one call of `process_events` handles at most
//! about [`READ_BUDGET`] bytes per pipe, so a flooding child cannot hold the
//! loop; the source is called again on the next turn. A consumer whose queue
//! is full disables the source (`LoopHandle::disable`); then nothing more is
//! read, the child blocks on its full pipe, and memory stays bounded. A
//! disable issued from inside the callback takes effect when the current
//! call returns, so up to one read budget per pipe of lines may still arrive
//! after it.
//!
//! Dropping the source (or removing it from the loop before it has exited)
//! kills the child and waits for it, so neither a running child nor a zombie
//! is left behind.
//!
//! # What each OS does
//!
//! - **Linux**: both pipes are non-blocking and registered with the loop;
//!   the exit is watched through a pidfd, which becomes readable when the
//!   child exits, and signals go through that pidfd too, so they can never
//!   reach another process that reused the pid. A descendant still holding
//!   the pipes after the child exited keeps running; what it writes later
//!   gets `EPIPE`. A disabled source does not watch the exit either: a child
//!   that ends meanwhile stays a zombie until the source is enabled again or
//!   dropped.
//! - **macOS**: pipes as on Linux; the exit is watched by a kqueue of its
//!   own per child (`EVFILT_PROC`/`NOTE_EXIT`), itself registered with the
//!   loop. Signals go by pid, and only while the child has not been reaped:
//!   until then its pid cannot be given to another process.
//! - **Windows**: calloop serves only sockets there, so each pipe gets a
//!   reader thread that splits lines, and a third thread waits for the exit;
//!   they send into a bounded channel that the source drains on the loop
//!   thread. A disabled source drains nothing, the channel fills, the
//!   readers block, then the child does. The child runs in a job object:
//!   its descendants end with it — when the child exits (after what they
//!   already wrote has been read), when it is killed, and when the source is
//!   dropped. There is no `SIGTERM`, so [`ProcessHandle::terminate`] ends the
//!   job like [`ProcessHandle::kill`], and both make the exit code 1 (what
//!   `std`'s `Child::kill` gives). A child that starts a process in its very
//!   first instant, before it has been put into the job, can see that one
//!   escape the job.

mod lines;

pub(crate) use lines::LineSplitter;
pub use lines::MAX_LINE;

use std::io;
use std::process::{Command, ExitStatus, Stdio};

use calloop::{EventSource, Poll, PostAction, Readiness, Token, TokenFactory};

use crate::sys::process as sys;

/// The most bytes read from one pipe in one call of `process_events`.
///
/// Bounds the work one loop turn does for a chatty child; it matches the
/// default pipe capacity on Linux, so a full pipe is emptied in one call.
pub const READ_BUDGET: usize = 64 * 1024;

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
    /// If the status could not be collected (on Unix only possible when the
    /// application makes the kernel reap children by ignoring `SIGCHLD`), this
    /// carries exit code 255 and an error is logged.
    Exited(ExitStatus),
}

/// Which output a pipe carries.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    /// The event that carries `line` from this stream.
    pub(crate) fn event(self, line: String) -> ProcessEvent {
        match self {
            Stream::Stdout => ProcessEvent::Stdout(line),
            Stream::Stderr => ProcessEvent::Stderr(line),
        }
    }
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
    /// been killed again. On Linux, exit watching needs Linux 5.3 or later.
    #[error("started `{program}` but could not watch it: {source}")]
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
    /// The signal's name, such as `SIGKILL` (on Windows, where there are no
    /// signals, the name of the call that ends the child's job).
    pub signal: &'static str,
    /// What the OS reported.
    #[source]
    pub source: io::Error,
}

/// A cheap, thread-safe handle for signalling a child started by
/// [`ProcessSource::spawn`].
///
/// A handle names that one child: it can never signal an unrelated process
/// that was later given the same pid. Signalling a child that has already
/// exited does nothing and succeeds.
#[derive(Debug, Clone)]
pub struct ProcessHandle {
    pid: u32,
    /// `None` for a process a replay did not start: signals do nothing.
    signaller: Option<sys::Signaller>,
}

impl ProcessHandle {
    /// The handle a replay gives for a process it does not start (its
    /// output comes from the recording).
    pub(crate) fn inert<E>() -> Result<Self, E> {
        Ok(Self {
            pid: 0,
            signaller: None,
        })
    }

    /// The child's process id, for logs and display; use this handle, not
    /// the pid, to signal it.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Kills the child at once (`SIGKILL`; on Windows, its whole job); its
    /// `Exited` event follows.
    pub fn kill(&self) -> Result<(), SignalError> {
        self.send(sys::Signal::Kill)
    }

    /// Asks the child to end (`SIGTERM`); it may clean up first, or ignore
    /// it. On Windows, which has no such request, this kills the job like
    /// [`kill`](Self::kill).
    pub fn terminate(&self) -> Result<(), SignalError> {
        self.send(sys::Signal::Terminate)
    }

    fn send(&self, signal: sys::Signal) -> Result<(), SignalError> {
        let Some(signaller) = &self.signaller else {
            return Ok(());
        };
        signaller.send(signal).map_err(|source| SignalError {
            pid: self.pid,
            signal: signal.name(),
            source,
        })
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
    watched: sys::Watched,
}

impl ProcessSource {
    /// Starts `command` with stdin from the null device and stdout and
    /// stderr piped to the new source.
    ///
    /// Returns the source, to be inserted into a calloop loop, and a handle
    /// for signalling the child from anywhere.
    pub fn spawn(mut command: Command) -> Result<(Self, ProcessHandle), ProcessError> {
        let program = command.get_program().to_string_lossy().into_owned();
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = command.spawn().map_err(|source| match source.kind() {
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
        let pid = child.id();
        // On failure the child has been killed and reaped already: nobody
        // could ever observe it.
        let (watched, signaller) = sys::watch(child).map_err(|source| ProcessError::Watch {
            program: program.clone(),
            source,
        })?;
        tracing::debug!(pid, %program, "spawned child process");
        let handle = ProcessHandle {
            pid,
            signaller: Some(signaller),
        };
        Ok((ProcessSource { watched }, handle))
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.watched.pid()
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
        self.watched
            .process_events(readiness, token, &mut |event| callback(event, &mut ()))
    }

    fn register(&mut self, poll: &mut Poll, factory: &mut TokenFactory) -> calloop::Result<()> {
        self.watched.register(poll, factory)
    }

    fn reregister(&mut self, poll: &mut Poll, factory: &mut TokenFactory) -> calloop::Result<()> {
        self.watched.reregister(poll, factory)
    }

    fn unregister(&mut self, poll: &mut Poll) -> calloop::Result<()> {
        self.watched.unregister(poll)
    }
}
