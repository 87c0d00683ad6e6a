//! Subjects that need a process of their own: this benchmark binary started
//! again with [`CHILD_FLAG`]. winit allows one `EventLoop` per process, and
//! idle CPU is only meaningful for a process that does nothing else.

use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
#[cfg(target_os = "linux")]
use std::time::Duration;

#[cfg(target_os = "linux")]
use oneloop::testing::xvfb::{Xvfb, XvfbError};

#[cfg(target_os = "linux")]
use crate::{idle, winit_peer};

/// The argument that turns the benchmark binary into a child subject.
pub const CHILD_FLAG: &str = "--peer-child";

/// A private X server for the winit subjects, or why there is none (shown in
/// their cells instead of a figure).
#[cfg(target_os = "linux")]
pub struct Display(Result<Xvfb, String>);

/// No X server on Windows: the winit subjects' cells say so.
#[cfg(not(target_os = "linux"))]
pub struct Display;

#[cfg(not(target_os = "linux"))]
impl Display {
    /// The placeholder; nothing is started.
    pub fn start() -> Display {
        Display
    }

    /// Why the winit subjects have no figure here.
    fn prepare(&self, _command: &mut Command) -> Result<(), String> {
        Err("skipped: runs under Xvfb, Linux only".to_owned())
    }
}

#[cfg(target_os = "linux")]
impl Display {
    /// Starts Xvfb; a machine without it gets skipped cells, not a failure.
    pub fn start() -> Display {
        Display(Xvfb::start().map_err(|e| match e {
            XvfbError::NotFound { .. } => "skipped: install xvfb".to_owned(),
            other => {
                let first = other
                    .to_string()
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                format!("skipped: Xvfb failed ({first})")
            }
        }))
    }

    /// The server, or why there is none (the text for a skipped cell).
    pub fn xvfb(&self) -> Result<&Xvfb, String> {
        self.0.as_ref().map_err(Clone::clone)
    }

    /// Points `command` at the server, or says why there is none.
    fn prepare(&self, command: &mut Command) -> Result<(), String> {
        let xvfb = self.xvfb()?;
        // X11 on the private server, never a compositor the machine may run.
        command.envs(xvfb.env()).env_remove("WAYLAND_DISPLAY");
        Ok(())
    }
}

fn current_exe() -> Result<PathBuf, String> {
    std::env::current_exe().map_err(|e| format!("failed: cannot find the benchmark binary ({e})"))
}

/// Starts this binary in child mode `args`, on `display` if given, with its
/// stdout piped back.
pub fn spawn(display: Option<&Display>, args: &[String]) -> Result<Child, String> {
    let mut command = Command::new(current_exe()?);
    command
        .arg(CHILD_FLAG)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    if let Some(display) = display {
        display.prepare(&mut command)?;
    }
    command
        .spawn()
        .map_err(|e| format!("failed: cannot start a child ({e})"))
}

/// Runs child mode `args` to its end and returns the last line it printed.
pub fn run(display: Option<&Display>, args: &[String]) -> Result<String, String> {
    let output = spawn(display, args)?
        .wait_with_output()
        .map_err(|e| format!("failed: lost the child ({e})"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "failed: child {} ({})",
            args.join(" "),
            output.status
        ));
    }
    stdout
        .lines()
        .last()
        .map(str::to_owned)
        .ok_or_else(|| format!("failed: child {} printed nothing", args.join(" ")))
}

/// Waits until the child prints `ready` (it is then about to wait idle).
#[cfg(target_os = "linux")]
pub fn wait_ready(child: &mut Child, timeout: Duration) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::thread;

    let stdout = child
        .stdout
        .take()
        .ok_or("failed: the child's stdout is not piped")?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines.any(|line| line.is_ok_and(|l| l.trim() == "ready"));
        let _ = tx.send(ready);
        // Keep reading so the child never blocks on a full pipe.
        lines.for_each(drop);
    });
    match rx.recv_timeout(timeout) {
        Ok(true) => Ok(()),
        Ok(false) => Err("failed: the child exited before it was ready".to_owned()),
        Err(_) => Err(format!(
            "failed: the child was not ready within {timeout:?}"
        )),
    }
}

#[cfg(target_os = "linux")]
fn number<T: std::str::FromStr>(args: &[String], at: usize, what: &str) -> Result<T, String> {
    args.get(at)
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| format!("child mode needs {what} as argument {at}"))
}

/// The entry point in child mode: runs one subject and prints its figure.
#[expect(
    clippy::print_stdout,
    reason = "the parent reads a child's figure from its stdout"
)]
pub fn child_main(args: &[String]) -> ExitCode {
    let mode = args.first().map_or("", String::as_str);
    let outcome: Result<String, String> = match mode {
        #[cfg(target_os = "linux")]
        "winit-throughput" => number(args, 1, "a message count")
            .and_then(|n| Ok((n, number(args, 2, "a producer count")?)))
            .and_then(|(n, producers)| winit_peer::throughput(n, producers)),
        #[cfg(target_os = "linux")]
        "winit-latency" => number(args, 1, "a message count")
            .and_then(|n| Ok((n, number(args, 2, "an interval in µs")?)))
            .and_then(|(n, us)| winit_peer::latency(n, Duration::from_micros(us))),
        #[cfg(target_os = "linux")]
        "winit-idle" => winit_peer::idle(false),
        #[cfg(target_os = "linux")]
        "winit-window-idle" => winit_peer::idle(true),
        #[cfg(target_os = "linux")]
        "oneloop-idle" => idle::oneloop_child(None),
        #[cfg(target_os = "linux")]
        "oneloop-idle-watchdog-on" => idle::oneloop_child(Some(true)),
        #[cfg(target_os = "linux")]
        "oneloop-idle-watchdog-off" => idle::oneloop_child(Some(false)),
        other => Err(format!("unknown child mode {other:?}")),
    };
    match outcome {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{mode}: {e}");
            ExitCode::FAILURE
        }
    }
}
