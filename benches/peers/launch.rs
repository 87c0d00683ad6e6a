//! The release examples as real processes under the private X server, and
//! what their `ONELOOP_TRACE` says.
//!
//! Times cross the process boundary on the system's monotonic clock: the
//! benchmark reads it directly, and a trace's first line says where the
//! app's `t_us` zero was on it.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use oneloop::testing::xvfb::{wait_for_line_in_file, Launched, Xdotool, Xvfb};

use crate::children::Display;

/// The examples the window rows run.
const EXAMPLES: [&str; 3] = ["counter", "file_loader", "gallery"];
/// How long an example may take to show its window or first frame.
pub const WAIT: Duration = Duration::from_secs(20);

/// Now on the system's monotonic clock, in nanoseconds.
pub fn monotonic_ns() -> u128 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    u128::try_from(now.tv_sec).unwrap_or(0) * 1_000_000_000
        + u128::try_from(now.tv_nsec).unwrap_or(0)
}

/// Builds the release examples once per run, so the rows never measure a
/// binary older than the sources. Cargo releases its lock on the target
/// directory before it runs a benchmark, so this nested build works; when
/// everything is fresh it costs a fraction of a second.
fn ensure_built() -> Result<(), String> {
    static BUILT: OnceLock<Result<(), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut command = Command::new(cargo);
            command
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["build", "--release", "--quiet"])
                .stdin(Stdio::null());
            for name in EXAMPLES {
                command.args(["--example", name]);
            }
            eprintln!(
                "[examples] cargo build --release of {}",
                EXAMPLES.join(", ")
            );
            match command.status() {
                Ok(status) if status.success() => Ok(()),
                Ok(status) => Err(format!("failed: building the examples ({status})")),
                Err(e) => Err(format!("failed: cannot run cargo ({e})")),
            }
        })
        .clone()
}

/// The private X server, or the reason the cells are skipped.
pub fn xvfb(display: &Display) -> Result<&Xvfb, String> {
    display.xvfb()
}

/// An example running on the private display with a trace file.
pub struct Example {
    /// The process; dropping it kills it.
    pub process: Launched,
    /// Where its trace goes.
    pub trace: PathBuf,
    /// Just before it was spawned, on the monotonic clock.
    pub spawned_ns: u128,
}

impl Example {
    /// Starts release example `name` with `args`, tracing to `trace`.
    pub fn start(
        display: &Display,
        name: &str,
        args: &[&str],
        trace: &Path,
    ) -> Result<Example, String> {
        ensure_built()?;
        let xvfb = xvfb(display)?;
        // A trace left by an earlier run must not be read as this one's.
        let _ = std::fs::remove_file(trace);
        let trace_env = trace
            .to_str()
            .ok_or("failed: the trace path is not UTF-8")?;
        let spawned_ns = monotonic_ns();
        let process = Launched::example(xvfb, name, args, &[("ONELOOP_TRACE", trace_env)])
            .map_err(|e| format!("failed: cannot start {name} ({e})"))?;
        Ok(Example {
            process,
            trace: trace.to_owned(),
            spawned_ns,
        })
    }

    /// Waits for the first frame line in the trace.
    pub fn wait_first_frame(&self) -> Result<(), String> {
        wait_for_line_in_file(&self.trace, |l| l.contains("\"type\":\"frame\""), WAIT)
            .map(drop)
            .map_err(|e| format!("failed: no frame ({e})"))
    }

    /// Waits for a line on the example's stdout that starts with `prefix`.
    pub fn wait_stdout(&mut self, prefix: &str, timeout: Duration) -> Result<String, String> {
        self.process
            .stdout
            .wait_for(|l| l.starts_with(prefix), timeout)
            .map_err(|e| format!("failed: no {prefix:?} line ({e})"))
    }

    /// The resident set of the process in MiB, from `/proc/<pid>/status`.
    pub fn resident_mib(&self) -> Result<f64, String> {
        resident_mib(self.process.pid())
    }
}

/// The resident set of process `pid` in MiB (`VmRSS`).
pub fn resident_mib(pid: u32) -> Result<f64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("failed: no /proc status ({e})"))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("failed: no VmRSS")?;
    Ok(kib / 1024.0)
}

/// Presses keys on the private display: one `xdotool -` that reads its
/// commands from a pipe and runs each line as it arrives. A key's moment is
/// then known to within a pipe wake-up; starting an xdotool per key would
/// add its start-up (5 to 90 ms on a loaded machine) to every figure.
pub struct Keys {
    xdotool: Child,
    commands: ChildStdin,
}

impl Keys {
    /// Finds the window of `pid` titled `title`, focuses it, and returns a
    /// sender of key presses to it.
    pub fn focus(display: &Display, pid: u32, title: &str) -> Result<Keys, String> {
        let xvfb = xvfb(display)?;
        let xdo = Xdotool::new(xvfb);
        let window = xdo
            .search_pid(pid, title, WAIT)
            .map_err(|e| format!("failed: no window ({e})"))?;
        xdo.focus(window)
            .map_err(|e| format!("failed: cannot focus ({e})"))?;
        let mut xdotool = Command::new("xdotool")
            .arg("-")
            .env("DISPLAY", xvfb.display())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("skipped: cannot run xdotool ({e})"))?;
        let commands = xdotool
            .stdin
            .take()
            .ok_or("failed: xdotool's stdin is not piped")?;
        Ok(Keys { xdotool, commands })
    }

    /// Presses and releases `key` (an X key name, or a chord such as
    /// `ctrl+l`) with no pause between the two. Returns once xdotool has
    /// the command, not once it ran it.
    pub fn press(&mut self, key: &str) -> Result<(), String> {
        writeln!(self.commands, "key --delay 0 {key}")
            .and_then(|()| self.commands.flush())
            .map_err(|e| format!("failed: xdotool went away ({e})"))
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        let _ = self.xdotool.kill();
        let _ = self.xdotool.wait();
    }
}

/// One line of a trace, the fields the rows use.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The first line: where `t_us` zero was on the monotonic clock.
    Start { monotonic_ns: u128 },
    /// An event handled, `t_us` once its handler returned.
    Event { t_us: u64, event: String },
    /// A frame painted, `t_us` once painting ended.
    Frame { t_us: u64, paint_us: u64 },
}

/// A whole trace.
#[derive(Debug, Clone)]
pub struct Trace {
    /// `t_us` zero on the monotonic clock.
    pub start_ns: u128,
    /// The lines after the first, in order.
    pub lines: Vec<Line>,
}

impl Trace {
    /// Reads the trace at `path`.
    pub fn read(path: &Path) -> Result<Trace, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("failed: cannot read the trace ({e})"))?;
        let mut lines = text.lines().filter_map(parse_line);
        let Some(Line::Start { monotonic_ns }) = lines.next() else {
            return Err("failed: the trace has no start line".to_owned());
        };
        Ok(Trace {
            start_ns: monotonic_ns,
            lines: lines.collect(),
        })
    }

    /// A trace time on the monotonic clock, in nanoseconds.
    pub fn at_ns(&self, t_us: u64) -> u128 {
        self.start_ns + u128::from(t_us) * 1_000
    }

    /// The `t_us` of every event whose description contains `needle`.
    pub fn events(&self, needle: &str) -> Vec<u64> {
        self.events_where(|event| event.contains(needle))
    }

    /// The `t_us` of every event whose description passes `keep`.
    pub fn events_where(&self, keep: impl Fn(&str) -> bool) -> Vec<u64> {
        self.lines
            .iter()
            .filter_map(|l| match l {
                Line::Event { t_us, event } if keep(event) => Some(*t_us),
                _ => None,
            })
            .collect()
    }

    /// The `t_us` of every frame.
    pub fn frames(&self) -> Vec<u64> {
        self.lines
            .iter()
            .filter_map(|l| match l {
                Line::Frame { t_us, .. } => Some(*t_us),
                _ => None,
            })
            .collect()
    }
}

/// The raw text of field `key` in a one-line JSON object: a number, or a
/// string without its quotes (escapes left as they are).
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!("\"{key}\":");
    let rest = &line[line.find(&needle)? + needle.len()..];
    if let Some(string) = rest.strip_prefix('"') {
        let mut escaped = false;
        let end = string.char_indices().find_map(|(i, c)| {
            let closes = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closes.then_some(i)
        })?;
        Some(&string[..end])
    } else {
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

fn parse_line(line: &str) -> Option<Line> {
    let number = |key| field(line, key)?.parse().ok();
    match field(line, "type")? {
        "start" => Some(Line::Start {
            monotonic_ns: field(line, "monotonic_ns")?.parse().ok()?,
        }),
        "event" => Some(Line::Event {
            t_us: number("t_us")?,
            event: field(line, "event")?.to_owned(),
        }),
        "frame" => Some(Line::Frame {
            t_us: number("t_us")?,
            paint_us: number("paint_us")?,
        }),
        _ => None,
    }
}
