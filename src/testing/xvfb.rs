//! A private X server per test, so end-to-end tests open real windows on any
//! machine, in parallel, without a screen.
//!
//! Each [`Xvfb`] asks the server to pick a free display itself (`-displayfd`)
//! instead of assuming a fixed one such as `:99`: two tests running at once, or
//! a display left over from another program, can then never collide.
//!
//! Tests call [`start_or_skip`] (and [`Xdotool::or_skip`]) so that a machine
//! without the X tools skips them with a message saying what to install, while
//! CI sets `ONELOOP_REQUIRE_E2E=1` to turn that skip into a failure.
//!
//! ```no_run
//! # use oneloop::testing::xvfb::{start_or_skip, Xdotool};
//! let Some(xvfb) = start_or_skip("counter_window") else { return };
//! let Some(xdo) = Xdotool::or_skip(&xvfb, "counter_window") else { return };
//! let app = std::process::Command::new("target/debug/examples/counter")
//!     .envs(xvfb.env())
//!     .spawn()
//!     .unwrap();
//! let window = xdo
//!     .search_pid(app.id(), "Counter", std::time::Duration::from_secs(10))
//!     .unwrap();
//! xdo.click(window, 40, 20).unwrap();
//! ```

mod launch;
mod lines;
mod wine;
mod xdotool;

pub use launch::{
    cpu_time_of, example_binary, windows_example_binary, Launched, RunAs, WINDOWS_TARGET,
};
pub use lines::{wait_for_line, wait_for_line_in_file, LineWatcher, WaitError};
pub use wine::{wine_desktop_or_skip, wine_path, WINE_INSTALL_HINT};
pub use xdotool::{WindowId, Xdotool, XdotoolError};

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The command that installs every tool the end-to-end tests use, quoted in
/// skip and error messages so the reader can paste it.
pub const INSTALL_HINT: &str = "apt-get install -y xvfb xauth xdotool imagemagick x11-apps weston";

/// The environment variable that turns a missing X tool from a skip into a
/// test failure; CI sets it to `1` so end-to-end tests cannot silently vanish.
pub const REQUIRE_E2E_VAR: &str = "ONELOOP_REQUIRE_E2E";

/// The screen every server gets: large enough for the examples, and fixed so
/// screenshots are comparable between machines.
const SCREEN: &str = "1280x800x24";

/// How long a server may take to report its display before we give up.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a process gets to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(3);

/// How much of a server's stderr is kept to explain a failed start.
const STDERR_TAIL: usize = 4096;

/// Whether end-to-end tests must run rather than skip: true when
/// `ONELOOP_REQUIRE_E2E=1`.
pub fn require_e2e() -> bool {
    required_by(std::env::var(REQUIRE_E2E_VAR).ok().as_deref())
}

/// The decision behind [`require_e2e`], apart from the process environment
/// so it can be tested without mutating global state.
fn required_by(value: Option<&str>) -> bool {
    value.map(str::trim) == Some("1")
}

/// Looks `program` up on `PATH` the way a shell would, so a missing tool is
/// reported before anything is started.
pub fn find_program(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;

    let is_executable = |path: &PathBuf| {
        path.metadata()
            .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    };
    if program.contains('/') {
        let path = PathBuf::from(program);
        return is_executable(&path).then_some(path);
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .map(|dir| dir.join(program))
        .find(is_executable)
}

/// Decides whether `test_name` can run, given the programs it needs.
///
/// Returns `true` when every one of `tools` is on `PATH`. Otherwise, when
/// `required` is set it panics (the test fails, naming what is missing);
/// when not, it prints a skip message with the install command and returns
/// `false` so the test can return early.
pub fn tools_or_skip(test_name: &str, tools: &[&str], required: bool) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| find_program(tool).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let missing = missing.join(", ");
    if required {
        panic!(
            "{test_name}: {REQUIRE_E2E_VAR}=1 but {missing} is not on PATH; \
             install it with `{INSTALL_HINT}`"
        );
    }
    eprintln!(
        "skipping {test_name}: {missing} is not on PATH; install it with \
         `{INSTALL_HINT}` (set {REQUIRE_E2E_VAR}=1 to make this a failure)"
    );
    false
}

/// A private X server and an xdotool driver for it: what an end-to-end
/// test that clicks, types and takes screenshots needs. `None` when a tool
/// is missing and end-to-end tests are not required (see [`start_or_skip`]
/// and [`Xdotool::or_skip`]).
pub fn desktop_or_skip(test_name: &str) -> Option<(Xvfb, Xdotool)> {
    let server = start_or_skip(test_name)?;
    let xdo = Xdotool::or_skip(&server, test_name)?;
    Some((server, xdo))
}

/// Starts a private X server for `test_name`, or returns `None` when Xvfb is
/// not installed and end-to-end tests are not required (see
/// [`tools_or_skip`]).
///
/// # Panics
/// When Xvfb is installed but fails to start (that is a broken machine, not
/// a reason to skip), or when it is missing and [`require_e2e`] is true.
pub fn start_or_skip(test_name: &str) -> Option<Xvfb> {
    if !tools_or_skip(test_name, &["Xvfb"], require_e2e()) {
        return None;
    }
    match Xvfb::start() {
        Ok(xvfb) => Some(xvfb),
        Err(err) => panic!("{test_name}: {err}"),
    }
}

/// Why a private X server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum XvfbError {
    /// The server binary is not installed.
    #[error("`{program}` is not on PATH; install it with `{INSTALL_HINT}`")]
    NotFound {
        /// The program that was looked up.
        program: String,
    },
    /// The OS refused to start the server.
    #[error("could not start `{program}`: {source}")]
    Spawn {
        /// The program that was started.
        program: String,
        /// What the OS reported.
        source: std::io::Error,
    },
    /// The server exited before it reported a display.
    #[error("the X server exited before reporting its display ({status}); its stderr ended with:\n{stderr}")]
    Exited {
        /// How it exited, or "unknown" if that could not be read.
        status: String,
        /// The end of what it wrote to stderr.
        stderr: String,
    },
    /// The server wrote something that is not a display number.
    #[error("the X server reported {output:?} instead of a display number")]
    BadDisplay {
        /// The line it wrote.
        output: String,
    },
    /// The server did not report a display in time.
    #[error(
        "the X server reported no display within {waited:?}; its stderr ended with:\n{stderr}"
    )]
    Timeout {
        /// How long we waited.
        waited: Duration,
        /// The end of what it wrote to stderr.
        stderr: String,
    },
}

/// A running Xvfb on a display of its own; dropping it stops the server.
#[derive(Debug)]
pub struct Xvfb {
    child: Child,
    display: u32,
}

impl Xvfb {
    /// Starts `Xvfb` on a free display with a 1280x800 24-bit screen, no
    /// TCP listener and no reset between clients, and waits until it accepts
    /// connections.
    pub fn start() -> Result<Xvfb, XvfbError> {
        Self::start_program("Xvfb")
    }

    /// Like [`Xvfb::start`] but with another server binary, e.g. a path to a
    /// particular build.
    pub fn start_program(program: &str) -> Result<Xvfb, XvfbError> {
        let path = find_program(program).ok_or_else(|| XvfbError::NotFound {
            program: program.to_owned(),
        })?;
        let mut child = spawn_server(&path, program)?;
        let stderr = StderrTail::collect(child.stderr.take());
        let reported = first_line_then_drain(child.stdout.take()).recv_timeout(START_TIMEOUT);
        let line = match reported {
            Ok(Some(line)) => line,
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = terminate(&mut child).map_or("unknown".into(), |s| s.to_string());
                let stderr = stderr.finish();
                return Err(XvfbError::Exited { status, stderr });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                terminate(&mut child);
                let stderr = stderr.finish();
                return Err(XvfbError::Timeout {
                    waited: START_TIMEOUT,
                    stderr,
                });
            }
        };
        match line.trim().parse() {
            Ok(number) => {
                let xvfb = Xvfb {
                    child,
                    display: number,
                };
                tracing::debug!(display = %xvfb.display(), pid = xvfb.pid(), "Xvfb started");
                Ok(xvfb)
            }
            Err(_) => {
                terminate(&mut child);
                Err(XvfbError::BadDisplay { output: line })
            }
        }
    }

    /// The display name to connect to, e.g. `":3"`.
    pub fn display(&self) -> String {
        format!(":{}", self.display)
    }

    /// The environment a child process needs to open its windows here:
    /// `DISPLAY`, and `WINIT_X11_SCALE_FACTOR=1` so window and screenshot
    /// sizes do not depend on the machine's DPI settings.
    pub fn env(&self) -> [(&'static str, String); 2] {
        [
            ("DISPLAY", self.display()),
            ("WINIT_X11_SCALE_FACTOR", "1".to_owned()),
        ]
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        match terminate(&mut self.child) {
            Some(status) => tracing::debug!(display = %self.display(), %status, "Xvfb stopped"),
            None => tracing::warn!(display = %self.display(), "Xvfb could not be reaped"),
        }
    }
}

/// Starts the server binary at `path` with the display chosen by the server.
fn spawn_server(path: &Path, program: &str) -> Result<Child, XvfbError> {
    // Xvfb writes the display it picked to the fd given to -displayfd once it
    // is ready for clients. Std cannot place a pipe at a chosen fd in the
    // child without unsafe code, but the child's stdout is fd 1 and can be a
    // pipe, and Xvfb logs only to stderr, so fd 1 carries exactly the display
    // number. -noreset keeps the server from wiping its state each time its
    // last client disconnects, which between two short-lived xdotool calls
    // would happen all the time.
    Command::new(path)
        .args(["-displayfd", "1", "-screen", "0", SCREEN])
        .args(["-nolisten", "tcp", "-noreset"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| XvfbError::Spawn {
            program: program.to_owned(),
            source,
        })
}

/// Stops `child` and reaps it. SIGTERM comes first because it lets a server
/// (Xvfb, weston) remove its socket and lock file; SIGKILL (std's `kill`) would leave them
/// behind for the next server to trip over.
pub(super) fn terminate(child: &mut Child) -> Option<ExitStatus> {
    if let Ok(Some(status)) = child.try_wait() {
        return Some(status);
    }
    // The child is not reaped yet, so its pid cannot have been reused.
    let sent = Command::new("sh")
        .args(["-c", "kill -TERM \"$1\"", "sh", &child.id().to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if sent {
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            match child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) => thread::sleep(Duration::from_millis(10)),
                Err(_) => break,
            }
        }
    }
    // Already exited is the only way kill can fail here; wait reports it.
    let _ = child.kill();
    child.wait().ok()
}

/// Reads the first line of `stream` on a thread and sends it (or `None` at
/// end of stream), then keeps draining so the writer never blocks on a full
/// pipe or dies of SIGPIPE.
fn first_line_then_drain<R: Read + Send + 'static>(
    stream: Option<R>,
) -> mpsc::Receiver<Option<String>> {
    let (tx, rx) = mpsc::channel();
    let Some(stream) = stream else {
        // No stream means the caller got no pipe; report it as closed.
        let _ = tx.send(None);
        return rx;
    };
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        let first = match reader.read_line(&mut line) {
            Ok(n) if n > 0 => Some(line),
            _ => None,
        };
        // The receiver may have timed out and gone; nothing to tell then.
        let _ = tx.send(first);
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    rx
}

/// The last few kilobytes a child wrote to a stream, drained on a thread so
/// a chatty child never blocks, and kept so its last words can explain a
/// failure.
pub(super) struct StderrTail {
    text: Arc<Mutex<String>>,
    reader: Option<thread::JoinHandle<()>>,
}

impl StderrTail {
    pub(super) fn collect<R: Read + Send + 'static>(stream: Option<R>) -> Self {
        let text = Arc::new(Mutex::new(String::new()));
        let shared = Arc::clone(&text);
        let reader = stream.map(|stream| thread::spawn(move || drain_into(stream, &shared)));
        Self { text, reader }
    }

    /// The text so far, after giving the reader a moment to reach the end of
    /// a stream whose writer just exited. Bounded, because a grandchild may
    /// still hold the stream open.
    pub(super) fn finish(self) -> String {
        if let Some(reader) = &self.reader {
            let deadline = Instant::now() + Duration::from_secs(1);
            while !reader.is_finished() && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(5));
            }
        }
        self.text.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Appends `stream` line by line to `kept`, dropping the oldest text beyond
/// [`STDERR_TAIL`] bytes.
fn drain_into<R: Read>(stream: R, kept: &Mutex<String>) {
    let mut reader = BufReader::new(stream);
    let mut buf = Vec::new();
    while matches!(reader.read_until(b'\n', &mut buf), Ok(n) if n > 0) {
        let Ok(mut kept) = kept.lock() else { return };
        kept.push_str(&String::from_utf8_lossy(&buf));
        if kept.len() > STDERR_TAIL {
            let mut cut = kept.len() - STDERR_TAIL;
            while !kept.is_char_boundary(cut) {
                cut += 1;
            }
            kept.drain(..cut);
        }
        buf.clear();
    }
}

/// Runs `command` to completion and returns its output, or `Ok(None)` if it
/// ran longer than `timeout` (it is then killed). X tools can block forever
/// on a server that went away, and a hung test says less than a failed one.
fn output_within(mut command: Command, timeout: Duration) -> std::io::Result<Option<Output>> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let collect = |stream: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut stream) = stream {
                let _ = stream.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = collect(child.stdout.take().map(|s| Box::new(s) as _));
    let stderr = collect(child.stderr.take().map(|s| Box::new(s) as _));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(5));
    };
    Ok(Some(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests;
