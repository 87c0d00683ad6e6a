//! Running an example program as a real process on a private display.

use std::io;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::{LineWatcher, Xvfb};

/// The path of example `name` built next to the running test binary
/// (`target/<profile>/examples/<name>`; `cargo test` builds examples).
pub fn example_binary(name: &str) -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    // target/<profile>/deps/<test binary>
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).ok_or_else(|| {
        io::Error::other("the test binary is not inside a cargo target directory")
    })?;
    let path = profile_dir.join("examples").join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} is missing; build it with `cargo build --example {name}`",
                path.display()
            ),
        ))
    }
}

/// An example running on a private display, its stdout watched line by
/// line. Dropping it kills and reaps the process.
pub struct Launched {
    child: Child,
    /// The process's standard output.
    pub stdout: LineWatcher,
}

impl Launched {
    /// Start example `name` with `args` and extra `envs` on `xvfb`'s display.
    pub fn example(
        xvfb: &Xvfb,
        name: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> io::Result<Self> {
        let mut command = Command::new(example_binary(name)?);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        for (key, value) in xvfb.env() {
            command.env(key, value);
        }
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut child = command.spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("the child's stdout was not captured"))?;
        Ok(Self {
            child,
            stdout: LineWatcher::new(stdout),
        })
    }

    /// The process id, to find its window.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wait up to `timeout` for the process to exit by itself.
    pub fn wait_exit(&mut self, timeout: Duration) -> io::Result<Option<ExitStatus>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// CPU time (user + system) the process has used so far, from /proc.
    pub fn cpu_time(&self) -> io::Result<Duration> {
        cpu_time_of(self.pid())
    }
}

/// CPU time (user + system) used by process `pid`, read from `/proc/<pid>/stat`.
pub fn cpu_time_of(pid: u32) -> io::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .ok_or_else(|| io::Error::other("unexpected /proc stat format"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // The kernel reports clock ticks; USER_HZ is 100 on every Linux ABI.
    Ok(Duration::from_millis((ticks(11) + ticks(12)) * 10))
}

impl Drop for Launched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
