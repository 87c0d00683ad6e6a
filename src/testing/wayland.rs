//! A private Wayland compositor per test, so an example can open a real
//! Wayland window on a machine with no screen and no X display.
//!
//! [`Weston`] runs Debian's weston 10 in a runtime directory of its own
//! (mode 700, as Wayland clients insist), listening on a socket there. Its
//! headless backend has no input devices at all — it offers no `wl_seat` —
//! so a test that must click or close a window runs weston's X11 backend on
//! a private [`Xvfb`] instead and drives weston's X window with xdotool;
//! the app itself still speaks only Wayland.
//!
//! ```no_run
//! # use oneloop::testing::wayland::{self, Backend};
//! let Some(weston) = wayland::weston_or_skip("my_test", Backend::Headless) else { return };
//! let app = std::process::Command::new("target/debug/examples/counter")
//!     .env_remove("DISPLAY")
//!     .envs(weston.env())
//!     .spawn()
//!     .unwrap();
//! ```

use std::io;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::xvfb::{find_program, require_e2e, terminate, tools_or_skip, StderrTail, Xvfb};

/// The socket name inside the private runtime directory; the directory is
/// unique, so the name need not be.
const SOCKET: &str = "oneloop-wayland";

/// How long weston may take to accept connections before we give up.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// The output size on the X11 backend: room for any example window.
const X11_OUTPUT: (u32, u32) = (800, 600);

/// Where weston draws and where its input comes from.
#[derive(Debug, Clone, Copy)]
pub enum Backend<'a> {
    /// No output device and no input device: windows open and paint, and
    /// nothing can reach them.
    Headless,
    /// A window on this X server, whose pointer and keyboard weston passes
    /// on to its Wayland clients.
    X11(&'a Xvfb),
}

/// Why a private compositor could not be started.
#[derive(Debug, thiserror::Error)]
pub enum WestonError {
    /// The private runtime directory could not be made.
    #[error("could not create a runtime directory for weston in {}: {source}", parent.display())]
    RuntimeDir {
        /// Where it was to be made.
        parent: PathBuf,
        /// What the OS reported.
        source: io::Error,
    },
    /// The OS refused to start weston.
    #[error("could not start weston: {0}")]
    Spawn(#[source] io::Error),
    /// Weston exited before it accepted a connection.
    #[error("weston exited before accepting connections ({status}); its log ended with:\n{log}")]
    Exited {
        /// How it exited.
        status: String,
        /// The end of what it wrote to stderr.
        log: String,
    },
    /// Weston did not accept a connection in time.
    #[error("weston accepted no connection within {waited:?}; its log ended with:\n{log}")]
    Timeout {
        /// How long we waited.
        waited: Duration,
        /// The end of what it wrote to stderr.
        log: String,
    },
}

/// Starts a private weston for `test_name`, or returns `None` when weston
/// is not installed and end-to-end tests are not required (see
/// [`tools_or_skip`]).
///
/// # Panics
/// When weston is installed but fails to start, or when it is missing and
/// [`require_e2e`] is true.
pub fn weston_or_skip(test_name: &str, backend: Backend<'_>) -> Option<Weston> {
    if !tools_or_skip(test_name, &["weston"], require_e2e()) {
        return None;
    }
    match Weston::start(backend) {
        Ok(weston) => Some(weston),
        Err(err) => panic!("{test_name}: {err}"),
    }
}

/// A running weston with a runtime directory of its own; dropping it stops
/// the compositor and removes the directory.
#[derive(Debug)]
pub struct Weston {
    child: Child,
    runtime_dir: PathBuf,
}

impl Weston {
    /// Starts weston on `backend` and waits until its socket accepts
    /// connections.
    pub fn start(backend: Backend<'_>) -> Result<Weston, WestonError> {
        let runtime_dir = private_runtime_dir()?;
        let mut command = Command::new(find_program("weston").unwrap_or_else(|| "weston".into()));
        // The socket sits in the runtime directory, which wins over any
        // compositor the calling session may have.
        command
            .arg(format!("--socket={SOCKET}"))
            .args(["--no-config", "--idle-time=0"])
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("WAYLAND_SOCKET")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        match backend {
            // `--backend=headless` is refused by weston 10: the module's
            // file name is what it loads.
            Backend::Headless => {
                command
                    .arg("--backend=headless-backend.so")
                    .env_remove("DISPLAY");
            }
            Backend::X11(xvfb) => {
                let (w, h) = X11_OUTPUT;
                command
                    .args(["--backend=x11-backend.so", "--use-pixman"])
                    .arg(format!("--width={w}"))
                    .arg(format!("--height={h}"))
                    .env("DISPLAY", xvfb.display());
            }
        }
        let child = match command.spawn() {
            Ok(child) => child,
            Err(source) => {
                remove_runtime_dir(&runtime_dir);
                return Err(WestonError::Spawn(source));
            }
        };
        // From here on the guard stops weston and removes the directory.
        let mut weston = Weston { child, runtime_dir };
        let log = StderrTail::collect(weston.child.stderr.take());
        weston.wait_until_listening(log)?;
        tracing::debug!(pid = weston.pid(), dir = %weston.runtime_dir.display(), "weston started");
        Ok(weston)
    }

    fn wait_until_listening(&mut self, log: StderrTail) -> Result<(), WestonError> {
        let socket = self.runtime_dir.join(SOCKET);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            // The socket file appears before weston listens on it; only a
            // connection that goes through says it is serving.
            if UnixStream::connect(&socket).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let status = status.to_string();
                return Err(WestonError::Exited {
                    status,
                    log: log.finish(),
                });
            }
            if Instant::now() >= deadline {
                return Err(WestonError::Timeout {
                    waited: START_TIMEOUT,
                    log: log.finish(),
                });
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// The environment a client needs to connect here: `XDG_RUNTIME_DIR`
    /// and `WAYLAND_DISPLAY`. A client that should not fall back to X11
    /// must also lose `DISPLAY`.
    pub fn env(&self) -> [(&'static str, String); 2] {
        [
            (
                "XDG_RUNTIME_DIR",
                self.runtime_dir.to_string_lossy().into_owned(),
            ),
            ("WAYLAND_DISPLAY", SOCKET.to_owned()),
        ]
    }

    /// The compositor's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether weston is still running, e.g. to tell an app that quit from
    /// one whose compositor went away.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Weston {
    fn drop(&mut self) {
        // SIGTERM lets weston stop its helper clients and remove its socket.
        match terminate(&mut self.child) {
            Some(status) => tracing::debug!(%status, "weston stopped"),
            None => tracing::warn!(pid = self.pid(), "weston could not be reaped"),
        }
        remove_runtime_dir(&self.runtime_dir);
    }
}

/// A fresh directory of mode 700 under the system's temporary directory:
/// libwayland refuses a runtime directory that others may enter.
fn private_runtime_dir() -> Result<PathBuf, WestonError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    use std::sync::atomic::{AtomicU32, Ordering};

    // Unique within this process by the counter, across processes by the
    // pid; a directory left behind by a crashed run is skipped.
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let parent = std::env::temp_dir();
    let failed = |source| WestonError::RuntimeDir {
        parent: parent.clone(),
        source,
    };
    let dir = loop {
        let name = format!(
            "oneloop-wayland-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let dir = parent.join(name);
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => break dir,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(failed(e)),
        }
    };
    // The umask can only take bits away from 700, but say it exactly.
    if let Err(e) = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)) {
        remove_runtime_dir(&dir);
        return Err(failed(e));
    }
    Ok(dir)
}

fn remove_runtime_dir(dir: &Path) {
    if let Err(e) = std::fs::remove_dir_all(dir) {
        tracing::warn!("could not remove {}: {e}", dir.display());
    }
}
