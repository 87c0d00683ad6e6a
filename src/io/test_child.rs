//! Runs one test of this binary again in a child process.
//!
//! Some checks need a process of their own: counting the pool's threads
//! (other tests run pools in parallel) and seeing a permission error
//! (root is never denied, so the check runs as an unprivileged user).

use std::process::{Command, Output};

/// Set in the child so the test knows to do the real work.
const CHILD_VAR: &str = "ONELOOP_TEST_IN_CHILD";

#[cfg(target_os = "linux")]
/// Whether this process is the child started by [`run`].
pub(crate) fn in_child() -> bool {
    std::env::var_os(CHILD_VAR).is_some()
}

/// The libtest name of `test` in `module` (`module_path!()` starts with the crate name).
pub(crate) fn test_name(module: &str, test: &str) -> String {
    let within_crate = module.split_once("::").map_or("", |(_, rest)| rest);
    format!("{within_crate}::{test}")
}

/// Runs exactly the test `name` in a child; `configure` adds env vars or a uid.
pub(crate) fn run(name: &str, configure: impl FnOnce(&mut Command)) -> Output {
    let exe =
        runnable_by_anyone(&std::env::current_exe().expect("the test binary knows its own path"));
    let mut cmd = Command::new(&exe.1);
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, "1");
    configure(&mut cmd);
    // A thread forking elsewhere in this test process can briefly hold the
    // fresh copy open for writing, which makes exec fail with ETXTBSY.
    for _ in 0..20 {
        match cmd.output() {
            Err(e) if is_text_busy(&e) => std::thread::sleep(std::time::Duration::from_millis(50)),
            result => return result.expect("the test binary can be started again"),
        }
    }
    panic!("the copied test binary stayed busy")
}

/// A copy of the test binary in a fresh world-readable temporary directory:
/// the checkout may sit below a directory an unprivileged user cannot enter,
/// and the child may run as such a user. The directory goes with the guard.
fn runnable_by_anyone(exe: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    open_to_everyone(dir.path());
    let copy = dir
        .path()
        .join(exe.file_name().expect("the binary has a name"));
    std::fs::copy(exe, &copy).expect("copy the test binary");
    open_to_everyone(&copy);
    (dir, copy)
}

/// Mode 755, so another user can enter or run it.
#[cfg(unix)]
fn open_to_everyone(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .expect("chmod for everyone");
}

/// Nothing to do: the child runs as the same user, whose own temporary
/// directory it can always use.
#[cfg(not(unix))]
fn open_to_everyone(_path: &std::path::Path) {}

/// ETXTBSY: the fresh copy is still open for writing somewhere.
#[cfg(unix)]
fn is_text_busy(err: &std::io::Error) -> bool {
    err.raw_os_error() == Some(libc::ETXTBSY)
}

/// Windows has no such race: a copy is closed before it is run.
#[cfg(not(unix))]
fn is_text_busy(_err: &std::io::Error) -> bool {
    false
}

/// Asserts the child ran the one test and it passed.
pub(crate) fn assert_passed(name: &str, output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child test {name} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status
    );
}

/// Whether this process runs as root (the owner of its own /proc entry).
#[cfg(unix)]
pub(crate) fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

#[cfg(target_os = "linux")]
/// Names of this process's threads that belong to an IO pool.
pub(crate) fn pool_threads() -> Vec<String> {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc is mounted");
    tasks
        .filter_map(|task| {
            let comm = task.ok()?.path().join("comm");
            let name = std::fs::read_to_string(comm).ok()?;
            let name = name.trim_end().to_owned();
            name.starts_with("oneloop-io").then_some(name)
        })
        .collect()
}

#[cfg(target_os = "linux")]
/// In the parent: runs `test` alone in a child process, asserts that it
/// passed, and returns false. In that child: returns true, so the test goes
/// on with the checks that need a process of their own.
pub(crate) fn in_own_process(module: &str, test: &str) -> bool {
    if in_child() {
        return true;
    }
    let name = test_name(module, test);
    let output = run(&name, |_| {});
    assert_passed(&name, &output);
    false
}
