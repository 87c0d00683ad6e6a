//! Running an example program as a real process on a private display
//! (an Xvfb, or a Wayland compositor).

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::{LineWatcher, Xvfb};
use crate::testing::wayland::Weston;

/// The path of example `name` built next to the running test binary
/// (`target/<profile>/examples/<name>`; `cargo test` builds examples).
pub fn example_binary(name: &str) -> io::Result<PathBuf> {
    let profile_dir = profile_dir()?;
    let path = profile_dir.join("examples").join(name);
    built(path, &format!("cargo build --example {name}"))
}

/// The path of example `name` cross-built for Windows next to the running
/// test binary (`target/x86_64-pc-windows-gnu/<profile>/examples/<name>.exe`),
/// built by `cargo build --target x86_64-pc-windows-gnu --examples`.
pub fn windows_example_binary(name: &str) -> io::Result<PathBuf> {
    let profile_dir = profile_dir()?;
    let (Some(target_dir), Some(profile)) = (profile_dir.parent(), profile_dir.file_name()) else {
        return Err(io::Error::other(
            "the profile folder has no target dir above it",
        ));
    };
    let path = target_dir
        .join(WINDOWS_TARGET)
        .join(profile)
        .join("examples")
        .join(format!("{name}.exe"));
    built(
        path,
        &format!("cargo build --target {WINDOWS_TARGET} --example {name}"),
    )
}

/// `target/<profile>` of the running test binary (`target/<profile>/deps/<it>`).
fn profile_dir() -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| io::Error::other("the test binary is not inside a cargo target directory"))
}

/// `path` if it exists, else an error saying which command builds it.
fn built(path: PathBuf, command: &str) -> io::Result<PathBuf> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} is missing; build it with `{command}`", path.display()),
        ))
    }
}

/// The Windows target the wine end-to-end tests run.
pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

/// An unprivileged user and group to run a launched example as, so that
/// permissions apply to it (root may read a file of mode 000; nobody else
/// may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunAs {
    /// The user id.
    pub uid: u32,
    /// The group id; supplementary groups are dropped.
    pub gid: u32,
}

impl RunAs {
    /// The conventional `nobody` user and `nogroup` group (65534).
    pub const NOBODY: RunAs = RunAs {
        uid: 65534,
        gid: 65534,
    };
}

/// An example running on a private display, its stdout watched line by
/// line. Dropping it kills and reaps the process.
pub struct Launched {
    child: Child,
    /// The process's standard output.
    pub stdout: LineWatcher,
    /// The copy of the binary another user runs; removed after the process.
    _copy: Option<RunnableCopy>,
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
        command.envs(xvfb.env());
        Self::spawn(command, args, envs, None)
    }

    /// Start example `name` with `args` and extra `envs` as a client of
    /// `weston`, with `DISPLAY` removed so that it cannot fall back to X11.
    pub fn example_on_wayland(
        weston: &Weston,
        name: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> io::Result<Self> {
        let mut command = Command::new(example_binary(name)?);
        command.env_remove("DISPLAY").envs(weston.env());
        Self::spawn(command, args, envs, None)
    }

    /// Starts the Windows build of example `name` under wine on `xvfb`,
    /// through the repository's runner (`.ci/wine-run`: it puts the shim DLL
    /// beside the program and keeps a wine prefix in the target dir). Paths
    /// in `args` and `envs` are seen by the program as `Z:` paths.
    pub fn windows_example(
        xvfb: &Xvfb,
        name: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> io::Result<Self> {
        let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/wine-run");
        let mut command = Command::new(runner);
        command.arg(windows_example_binary(name)?).envs(xvfb.env());
        Self::spawn(command, args, envs, None)
    }

    /// Like [`Launched::example`], but the process runs as `user`, from a
    /// copy of the binary in a fresh world-readable directory: the build
    /// directory may sit below one that `user` cannot enter. Files the
    /// example reads or writes (arguments, `ONELOOP_TRACE`) must be
    /// accessible to `user` as well. Changing user needs root.
    pub fn example_as(
        xvfb: &Xvfb,
        name: &str,
        args: &[&str],
        envs: &[(&str, &str)],
        user: RunAs,
    ) -> io::Result<Self> {
        use std::os::unix::process::CommandExt;

        let copy = RunnableCopy::new(&example_binary(name)?)?;
        let mut command = Command::new(&copy.binary);
        command.uid(user.uid).gid(user.gid).envs(xvfb.env());
        Self::spawn(command, args, envs, Some(copy))
    }

    fn spawn(
        mut command: Command,
        args: &[&str],
        envs: &[(&str, &str)],
        copy: Option<RunnableCopy>,
    ) -> io::Result<Self> {
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut child = spawn_retrying_busy(&mut command)?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("the child's stdout was not captured"))?;
        Ok(Self {
            child,
            stdout: LineWatcher::new(stdout),
            _copy: copy,
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

/// Spawns `command`, retrying for a moment while the binary is busy: a
/// thread forking elsewhere in a test process can briefly hold a freshly
/// written copy open for writing, and exec then fails with ETXTBSY.
fn spawn_retrying_busy(command: &mut Command) -> io::Result<Child> {
    let mut attempts = 0;
    loop {
        match command.spawn() {
            Err(e) if e.kind() == io::ErrorKind::ExecutableFileBusy && attempts < 20 => {
                attempts += 1;
                thread::sleep(Duration::from_millis(50));
            }
            result => return result,
        }
    }
}

/// A copy of a binary in a fresh world-readable directory of its own,
/// removed with the directory when dropped.
struct RunnableCopy {
    dir: PathBuf,
    binary: PathBuf,
}

impl RunnableCopy {
    fn new(binary: &Path) -> io::Result<Self> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        use std::sync::atomic::{AtomicU32, Ordering};

        // Unique within this process by the counter, across processes by
        // the pid; a directory left behind by a crashed run is skipped.
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = loop {
            let name = format!(
                "oneloop-example-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let dir = std::env::temp_dir().join(name);
            match std::fs::DirBuilder::new().mode(0o755).create(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        // The directory exists from here on; the guard removes it on any error.
        let file_name = binary
            .file_name()
            .unwrap_or(std::ffi::OsStr::new("example"));
        let copy = Self {
            binary: dir.join(file_name),
            dir,
        };
        // `mode` above is masked by the umask; say it once more, exactly.
        std::fs::set_permissions(&copy.dir, std::fs::Permissions::from_mode(0o755))?;
        std::fs::copy(binary, &copy.binary)?;
        std::fs::set_permissions(&copy.binary, std::fs::Permissions::from_mode(0o755))?;
        Ok(copy)
    }
}

impl Drop for RunnableCopy {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            tracing::warn!("could not remove {}: {e}", self.dir.display());
        }
    }
}
