//! Driving windows on a private X server as a user would (pointer, keyboard)
//! and capturing what they show.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use super::{find_program, output_within, require_e2e, tools_or_skip, Xvfb, INSTALL_HINT};

/// How long one xdotool or ImageMagick call may take before it counts as hung.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// How often [`Xdotool::search_pid`] looks again for a window not yet mapped.
const SEARCH_INTERVAL: Duration = Duration::from_millis(50);

/// An X window id, as xdotool prints and accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WindowId(pub u32);

impl fmt::Display for WindowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why driving or capturing a window failed.
#[derive(Debug, thiserror::Error)]
pub enum XdotoolError {
    /// The tool could not be started at all.
    #[error("could not run `{program}`: {source}; install it with `{INSTALL_HINT}`")]
    Spawn {
        /// The program that was started.
        program: String,
        /// What the OS reported.
        source: std::io::Error,
    },
    /// The tool ran and reported failure.
    #[error("`{command}` failed ({status}): {stderr}")]
    Failed {
        /// The command line that failed.
        command: String,
        /// How it exited.
        status: std::process::ExitStatus,
        /// What it wrote to stderr.
        stderr: String,
    },
    /// The tool did not finish in time and was killed.
    #[error("`{command}` did not finish within {waited:?}; is the X server still running?")]
    Hung {
        /// The command line that hung.
        command: String,
        /// How long it was given.
        waited: Duration,
    },
    /// No matching window appeared in time.
    #[error(
        "no visible window named {name:?} of process {pid} appeared within {waited:?}; \
         did the process start, and does it set _NET_WM_PID?"
    )]
    WindowNotFound {
        /// The process whose window was searched for.
        pid: u32,
        /// The name pattern searched for.
        name: String,
        /// How long we looked.
        waited: Duration,
    },
    /// No window of a matching class appeared in time.
    #[error("no visible window of class {class:?} appeared within {waited:?}")]
    ClassWindowNotFound {
        /// The class pattern searched for.
        class: String,
        /// How long we looked.
        waited: Duration,
    },
    /// The tool printed something that is not a window id.
    #[error("`{command}` printed {output:?}, not a window id")]
    BadOutput {
        /// The command line that was run.
        command: String,
        /// What it printed.
        output: String,
    },
}

/// Drives windows on one X display through `xdotool`, and captures them with
/// ImageMagick `import` (or `xwd` + `convert` when `import` is missing).
///
/// Every call has a timeout, so a test against a dead server fails with a
/// message instead of hanging.
#[derive(Debug, Clone)]
pub struct Xdotool {
    display: String,
}

impl Xdotool {
    /// A driver for the display of `xvfb`.
    pub fn new(xvfb: &Xvfb) -> Self {
        Self {
            display: xvfb.display(),
        }
    }

    /// A driver for `xvfb`, or `None` when xdotool or a screenshot tool is
    /// missing and end-to-end tests are not required. Panics when they are
    /// missing and required, like [`super::start_or_skip`].
    pub fn or_skip(xvfb: &Xvfb, test_name: &str) -> Option<Self> {
        let mut needed = vec!["xdotool"];
        let has_fallback = find_program("xwd").is_some() && find_program("convert").is_some();
        if find_program("import").is_none() && !has_fallback {
            needed.push("import");
        }
        tools_or_skip(test_name, &needed, require_e2e()).then(|| Self::new(xvfb))
    }

    /// The display this driver talks to, e.g. `":3"`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Waits until process `pid` shows a visible window whose title matches
    /// `name` (a regular expression, as xdotool reads it) and returns it.
    ///
    /// The window must carry `_NET_WM_PID`, which winit sets. Polls rather
    /// than using `--sync`, which would wait forever for a window that never
    /// comes.
    pub fn search_pid(
        &self,
        pid: u32,
        name: &str,
        timeout: Duration,
    ) -> Result<WindowId, XdotoolError> {
        let pid_arg = pid.to_string();
        let args = ["--pid", &pid_arg, "--name", name];
        self.search(&args, timeout, || XdotoolError::WindowNotFound {
            pid,
            name: name.to_owned(),
            waited: timeout,
        })
    }

    /// Waits until any visible window whose `WM_CLASS` matches `class` (a
    /// regular expression) shows and returns the first: for programs that set
    /// neither `_NET_WM_PID` nor a `WM_NAME` xdotool reads, such as weston's
    /// X11 backend (class "Weston Compositor").
    pub fn search_class(&self, class: &str, timeout: Duration) -> Result<WindowId, XdotoolError> {
        self.search(&["--class", class], timeout, || {
            XdotoolError::ClassWindowNotFound {
                class: class.to_owned(),
                waited: timeout,
            }
        })
    }

    /// Runs `xdotool search` with `filter` until it finds a window, or
    /// returns `not_found()` after `timeout`.
    fn search(
        &self,
        filter: &[&str],
        timeout: Duration,
        not_found: impl Fn() -> XdotoolError,
    ) -> Result<WindowId, XdotoolError> {
        let mut args = vec!["search", "--all", "--onlyvisible"];
        args.extend_from_slice(filter);
        let deadline = Instant::now() + timeout;
        loop {
            match self.run("xdotool", &args) {
                Ok(out) => {
                    if let Some(line) = out.lines().next() {
                        return line.trim().parse().map(WindowId).map_err(|_| {
                            XdotoolError::BadOutput {
                                command: shown("xdotool", &args),
                                output: out.clone(),
                            }
                        });
                    }
                }
                // A search that matches nothing exits 1 silently; anything
                // on stderr is a real failure (e.g. no display) to report now.
                Err(XdotoolError::Failed { ref stderr, .. }) if stderr.trim().is_empty() => {}
                Err(err) => return Err(err),
            }
            if Instant::now() >= deadline {
                return Err(not_found());
            }
            thread::sleep(SEARCH_INTERVAL);
        }
    }

    /// Gives `window` the keyboard focus and waits until the server confirms it.
    pub fn focus(&self, window: WindowId) -> Result<(), XdotoolError> {
        let id = window.to_string();
        self.run("xdotool", &["windowfocus", "--sync", &id])
            .map(drop)
    }

    /// Moves the pointer to (`x`, `y`) relative to `window`'s top-left corner
    /// and clicks the left button there.
    pub fn click(&self, window: WindowId, x: i32, y: i32) -> Result<(), XdotoolError> {
        let (id, x, y) = (window.to_string(), x.to_string(), y.to_string());
        // No `--sync`: it waits for the pointer to move, which never happens
        // when it is already there (a second click on the same spot hangs).
        // The X server handles the move and the click in order anyway.
        let args = ["mousemove", "--window", &id, &x, &y, "click", "1"];
        self.run("xdotool", &args).map(drop)
    }

    /// Moves the pointer to (`x`, `y`) relative to `window`'s top-left
    /// corner without clicking, e.g. to hover before a click as a user does.
    pub fn move_pointer(&self, window: WindowId, x: i32, y: i32) -> Result<(), XdotoolError> {
        let (id, x, y) = (window.to_string(), x.to_string(), y.to_string());
        self.run("xdotool", &["mousemove", "--window", &id, &x, &y])
            .map(drop)
    }

    /// Types `text` into the focused window, one key event per character.
    pub fn type_text(&self, text: &str) -> Result<(), XdotoolError> {
        self.run("xdotool", &["type", "--", text]).map(drop)
    }

    /// Presses and releases a key or chord by its X name, e.g. `"Return"` or
    /// `"ctrl+s"`, in the focused window.
    pub fn key(&self, name: &str) -> Result<(), XdotoolError> {
        self.run("xdotool", &["key", "--", name]).map(drop)
    }

    /// Presses a key by its X name and keeps it down until [`Xdotool::key_up`],
    /// e.g. to hold it while the focus moves.
    pub fn key_down(&self, name: &str) -> Result<(), XdotoolError> {
        self.run("xdotool", &["keydown", "--", name]).map(drop)
    }

    /// Releases a key pressed with [`Xdotool::key_down`].
    pub fn key_up(&self, name: &str) -> Result<(), XdotoolError> {
        self.run("xdotool", &["keyup", "--", name]).map(drop)
    }

    /// Saves what `window` shows to `path`; the extension picks the format
    /// (`.png` for snapshots). The caller waits for the frame first, e.g. on
    /// a log line with [`super::wait_for_line`].
    pub fn screenshot(&self, window: WindowId, path: &Path) -> Result<(), XdotoolError> {
        if find_program("import").is_some() {
            let id = window.to_string();
            let args = [OsStr::new("-window"), OsStr::new(&id), path.as_os_str()];
            return self.run("import", &args).map(drop);
        }
        self.screenshot_with_xwd(window, path)
    }

    /// The screenshot fallback for machines with ImageMagick's `convert` but
    /// without `import`: dump the window with `xwd`, then convert the dump.
    pub(super) fn screenshot_with_xwd(
        &self,
        window: WindowId,
        path: &Path,
    ) -> Result<(), XdotoolError> {
        let id = window.to_string();
        let mut raw = path.as_os_str().to_owned();
        raw.push(".xwd");
        let args = [
            OsStr::new("-silent"),
            // Borders are the window manager's, not the app's; `import` leaves them out too.
            OsStr::new("-nobdrs"),
            OsStr::new("-id"),
            OsStr::new(&id),
            OsStr::new("-out"),
            &raw,
        ];
        let captured = self.run("xwd", &args);
        let converted = captured.and_then(|_| {
            let mut typed = OsString::from("xwd:");
            typed.push(&raw);
            self.run("convert", &[typed.as_os_str(), path.as_os_str()])
        });
        // The intermediate file is ours alone; a failed capture may not have made it.
        let _ = std::fs::remove_file(&raw);
        converted.map(drop)
    }

    /// Runs `program` against this display and returns its stdout.
    fn run<S: AsRef<OsStr>>(&self, program: &str, args: &[S]) -> Result<String, XdotoolError> {
        let mut command = Command::new(program);
        command.args(args).env("DISPLAY", &self.display);
        match output_within(command, COMMAND_TIMEOUT) {
            Err(source) => Err(XdotoolError::Spawn {
                program: program.to_owned(),
                source,
            }),
            Ok(None) => Err(XdotoolError::Hung {
                command: shown(program, args),
                waited: COMMAND_TIMEOUT,
            }),
            Ok(Some(out)) if out.status.success() => {
                Ok(String::from_utf8_lossy(&out.stdout).into_owned())
            }
            Ok(Some(out)) => Err(XdotoolError::Failed {
                command: shown(program, args),
                status: out.status,
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            }),
        }
    }
}

/// A command line as a reader would type it, for error messages.
fn shown<S: AsRef<OsStr>>(program: &str, args: &[S]) -> String {
    args.iter().fold(program.to_owned(), |mut line, arg| {
        line.push(' ');
        line.push_str(&arg.as_ref().to_string_lossy());
        line
    })
}
