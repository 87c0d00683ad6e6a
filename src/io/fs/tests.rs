#[cfg(unix)]
use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::ops::ControlFlow;
#[cfg(unix)]
use std::os::unix::{
    ffi::OsStrExt,
    fs::{symlink, PermissionsExt},
    process::CommandExt,
};
use std::path::Path;
#[cfg(unix)]
use std::path::PathBuf;
#[cfg(unix)]
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

use super::*;
#[cfg(unix)]
use crate::io::test_child;

#[cfg(windows)]
mod windows;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

fn temp() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).expect("write test file");
}

/// Reads with default options and no progress, keeping every chunk.
fn read(path: &Path, opts: &ReadOptions) -> Result<Vec<u8>, FsError> {
    read_file(path, opts, &CancelToken::new(), &mut |_| {})
}

/// Deterministic bytes that no compression or pattern could fake.
fn pseudo_random(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[3]
        })
        .collect()
}

/// Runs `f` on another thread so that a regression that blocks fails the
/// test instead of hanging it.
fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = crossbeam_channel::bounded(1);
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the call must return at once, not block")
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo failed");
}

#[test]
fn missing_file_is_not_found_and_named() {
    let dir = temp();
    let path = dir.path().join("nope.txt");
    let err = read(&path, &ReadOptions::default()).expect_err("missing");
    assert!(
        matches!(&err, FsError::NotFound { path: p } if *p == path),
        "{err:?}"
    );
    assert!(err.to_string().contains("nope.txt"), "{err}");
    assert_eq!(err.path(), Some(path.as_path()));
}

#[test]
fn directory_is_refused() {
    let dir = temp();
    let err = read(dir.path(), &ReadOptions::default()).expect_err("dir");
    assert!(matches!(err, FsError::IsADirectory { .. }), "{err:?}");
}

#[cfg(unix)]
#[test]
fn fifo_is_refused_at_once() {
    let dir = temp();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let path = fifo.clone();
    let result = within_seconds(move || read(&path, &ReadOptions::default()));
    let err = result.expect_err("a FIFO is not a file");
    assert!(
        matches!(
            err,
            FsError::NotARegularFile {
                kind: EntryKind::Fifo,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("named pipe"), "{err}");
}

#[cfg(unix)]
#[test]
fn fifo_swapped_in_after_the_look_is_caught_after_open() {
    let dir = temp();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    // Without a writer a blocking open would hang here forever.
    let path = fifo.clone();
    let file = within_seconds(move || open_nonblocking(&path)).expect("FIFO opens");
    let meta = file.metadata().expect("fstat");
    let err = ensure_regular(&meta, &fifo).expect_err("FIFO");
    assert!(
        matches!(
            err,
            FsError::NotARegularFile {
                kind: EntryKind::Fifo,
                ..
            }
        ),
        "{err:?}"
    );
}

#[cfg(unix)]
#[test]
fn dev_zero_is_refused() {
    let err = read(Path::new("/dev/zero"), &ReadOptions::default()).expect_err("device");
    assert!(
        matches!(
            err,
            FsError::NotARegularFile {
                kind: EntryKind::CharDevice,
                ..
            }
        ),
        "{err:?}"
    );
}

#[cfg(unix)]
#[test]
fn socket_is_refused() {
    let dir = temp();
    let path = dir.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&path).expect("bind");
    let err = read(&path, &ReadOptions::default()).expect_err("socket");
    assert!(
        matches!(
            err,
            FsError::NotARegularFile {
                kind: EntryKind::Socket,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn huge_sparse_file_is_refused_without_reading() {
    let dir = temp();
    let path = dir.path().join("huge.img");
    File::create(&path)
        .expect("create")
        .set_len(2 << 30)
        .expect("sparse 2 GiB");
    let mut chunks = 0;
    let err = read_chunks(
        &path,
        &ReadOptions::default(),
        &CancelToken::new(),
        &mut |_| {
            chunks += 1;
            ControlFlow::Continue(())
        },
        &mut |_| {},
    )
    .expect_err("over the default cap");
    assert!(
        matches!(err, FsError::TooLarge { size, limit, .. } if size == 2 << 30 && limit == 64 * MIB),
        "{err:?}"
    );
    assert_eq!(chunks, 0, "nothing may be read from a file that is refused");
    assert!(err.to_string().contains("max_bytes"), "{err}");
}

#[test]
fn small_cap_refuses_a_bigger_file() {
    let dir = temp();
    let path = dir.path().join("one.bin");
    write(&path, &pseudo_random(MIB as usize));
    let err = read(&path, &ReadOptions::default().max_bytes(512 * KIB)).expect_err("capped");
    assert!(
        matches!(err, FsError::TooLarge { size, .. } if size == MIB),
        "{err:?}"
    );
    // Exactly at the cap is fine.
    let bytes = read(&path, &ReadOptions::default().max_bytes(MIB)).expect("at the cap");
    assert_eq!(bytes.len() as u64, MIB);
}

#[test]
fn empty_file_reads_as_empty() {
    let dir = temp();
    let path = dir.path().join("empty");
    write(&path, b"");
    let mut reports = Vec::new();
    let opts = ReadOptions::default().progress_every(Some(1));
    let bytes = read_file(&path, &opts, &CancelToken::new(), &mut |p| reports.push(p))
        .expect("empty is fine");
    assert!(bytes.is_empty());
    assert_eq!(
        reports.first(),
        Some(&Progress {
            done: 0,
            total: None
        })
    );
    assert_eq!(
        reports.last(),
        Some(&Progress {
            done: 0,
            total: Some(0)
        })
    );
}

#[test]
fn bytes_come_back_exactly_with_monotonic_progress() {
    let dir = temp();
    let path = dir.path().join("random.bin");
    let original = pseudo_random(3 * MIB as usize);
    write(&path, &original);
    let opts = ReadOptions::default()
        .chunk_size(64 * KIB as usize)
        .progress_every(Some(200 * KIB));
    let mut got = Vec::new();
    let mut biggest_chunk = 0;
    let mut reports = Vec::new();
    let n = read_chunks(
        &path,
        &opts,
        &CancelToken::new(),
        &mut |chunk| {
            biggest_chunk = biggest_chunk.max(chunk.len());
            got.extend_from_slice(chunk);
            ControlFlow::Continue(())
        },
        &mut |p| reports.push(p),
    )
    .expect("reads");
    assert_eq!(n, 3 * MIB);
    assert!(got == original, "bytes differ from the file");
    assert_eq!(biggest_chunk as u64, 64 * KIB);
    assert_eq!(
        reports.first(),
        Some(&Progress {
            done: 0,
            total: Some(3 * MIB)
        })
    );
    assert_eq!(
        reports.last(),
        Some(&Progress {
            done: 3 * MIB,
            total: Some(3 * MIB)
        })
    );
    // Reports come at chunk ends at least 200 KiB apart: every 4th 64 KiB
    // chunk, 12 in all, plus the one at the start.
    assert!(
        reports
            .windows(2)
            .all(|w| w[1].done - w[0].done >= 200 * KIB),
        "{reports:?}"
    );
    assert_eq!(reports.len(), 13, "{reports:?}");
    let whole = read(&path, &opts).expect("read_file");
    assert!(whole == original);
}

#[test]
fn cancel_mid_read_stops_within_a_chunk() {
    let dir = temp();
    let path = dir.path().join("random.bin");
    write(&path, &pseudo_random(3 * MIB as usize));
    let cancel = CancelToken::new();
    let mut chunks = 0;
    let err = read_chunks(
        &path,
        &ReadOptions::default().chunk_size(64 * KIB as usize),
        &cancel,
        &mut |_| {
            chunks += 1;
            cancel.cancel();
            ControlFlow::Continue(())
        },
        &mut |_| {},
    )
    .expect_err("cancelled");
    assert!(matches!(err, FsError::Cancelled), "{err:?}");
    assert_eq!(chunks, 1);
}

#[test]
fn cancelled_before_start_touches_nothing() {
    let cancel = CancelToken::new();
    cancel.cancel();
    let missing = Path::new("/definitely/not/here");
    let err = read_file(missing, &ReadOptions::default(), &cancel, &mut |_| {}).expect_err("x");
    assert!(matches!(err, FsError::Cancelled), "{err:?}");
    let err = read_dir(missing, &cancel).expect_err("x");
    assert!(matches!(err, FsError::Cancelled), "{err:?}");
}

#[test]
fn file_truncated_while_read_ends_early() {
    let dir = temp();
    let path = dir.path().join("shrinking.bin");
    write(&path, &pseudo_random(MIB as usize));
    let other = OpenOptions::new().write(true).open(&path).expect("open");
    let mut first = true;
    let n = read_chunks(
        &path,
        &ReadOptions::default().chunk_size(64 * KIB as usize),
        &CancelToken::new(),
        &mut |_| {
            if std::mem::take(&mut first) {
                other.set_len(100 * KIB).expect("truncate");
            }
            ControlFlow::Continue(())
        },
        &mut |_| {},
    )
    .expect("a shrunk file is read up to its new end");
    assert_eq!(n, 100 * KIB);
}

#[test]
fn file_growing_past_the_cap_while_read_is_stopped() {
    let dir = temp();
    let path = dir.path().join("growing.log");
    write(&path, &pseudo_random(128 * KIB as usize));
    let mut other = OpenOptions::new().append(true).open(&path).expect("open");
    let mut total = 0usize;
    let err = read_chunks(
        &path,
        &ReadOptions::default()
            .chunk_size(64 * KIB as usize)
            .max_bytes(MIB),
        &CancelToken::new(),
        &mut |chunk| {
            total += chunk.len();
            other.write_all(&[7u8; 64 * 1024]).expect("append");
            ControlFlow::Continue(())
        },
        &mut |_| {},
    )
    .expect_err("a file that keeps growing hits the cap");
    assert!(
        matches!(err, FsError::TooLarge { size, limit, .. } if size == MIB + 1 && limit == MIB),
        "{err:?}"
    );
    assert!(
        total as u64 <= MIB,
        "never hands out more than the cap: {total}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn proc_file_reporting_size_zero_is_read_whole() {
    let mut reports = Vec::new();
    let opts = ReadOptions::default().progress_every(Some(0));
    let bytes = read_file(
        Path::new("/proc/self/status"),
        &opts,
        &CancelToken::new(),
        &mut |p| reports.push(p),
    )
    .expect("readable");
    let text = String::from_utf8(bytes).expect("text");
    assert!(text.contains("Pid:"), "{text}");
    assert_eq!(
        reports.first().and_then(|p| p.total),
        None,
        "size unknown up front"
    );
    assert_eq!(
        reports.last().and_then(|p| p.total),
        Some(text.len() as u64)
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_and_dangling_ones_are_not_found() {
    let dir = temp();
    let target = dir.path().join("target.txt");
    write(&target, b"hello");
    let link = dir.path().join("link");
    symlink(&target, &link).expect("symlink");
    assert_eq!(
        read(&link, &ReadOptions::default()).expect("followed"),
        b"hello"
    );
    let dangling = dir.path().join("dangling");
    symlink(dir.path().join("gone"), &dangling).expect("symlink");
    let err = read(&dangling, &ReadOptions::default()).expect_err("dangling");
    assert!(matches!(err, FsError::NotFound { .. }), "{err:?}");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_as_such() {
    let dir = temp();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    symlink(&b, &a).expect("symlink");
    symlink(&a, &b).expect("symlink");
    let err = read(&a, &ReadOptions::default()).expect_err("loop");
    assert!(matches!(err, FsError::SymlinkLoop { .. }), "{err:?}");
    assert!(err.to_string().contains("symlink loop"), "{err}");
    let err = read_dir(&a, &CancelToken::new()).expect_err("loop");
    assert!(matches!(err, FsError::SymlinkLoop { .. }), "{err:?}");
}

#[cfg(unix)]
#[test]
fn read_dir_lists_every_kind_sorted_with_raw_names() {
    let dir = temp();
    let root = dir.path();
    let odd = OsStr::from_bytes(b"caf\xe9.txt"); // Latin-1, not UTF-8
    write(&root.join(odd), b"1234");
    write(&root.join("b.txt"), b"abcdef");
    fs::create_dir(root.join("a-dir")).expect("mkdir");
    symlink(root.join("b.txt"), root.join("c-link")).expect("symlink");
    symlink(root.join("gone"), root.join("d-dangling")).expect("symlink");
    mkfifo(&root.join("e-pipe"));

    let entries = read_dir(root, &CancelToken::new()).expect("lists");
    let summary: Vec<(&[u8], EntryKind, u64)> = entries
        .iter()
        .map(|e| (e.name.as_bytes(), e.kind, e.size))
        .collect();
    assert_eq!(
        summary,
        vec![
            (&b"a-dir"[..], EntryKind::Dir, 0),
            (&b"b.txt"[..], EntryKind::File, 6),
            (&b"c-link"[..], EntryKind::Symlink, 6),
            (&b"caf\xe9.txt"[..], EntryKind::File, 4),
            (&b"d-dangling"[..], EntryKind::Symlink, 0),
            (&b"e-pipe"[..], EntryKind::Fifo, 0),
        ]
    );
    let odd_entry = &entries[3];
    assert_eq!(odd_entry.path, root.join(odd));
    // The raw name is usable: the file it names can be read back.
    assert_eq!(
        read(&odd_entry.path, &ReadOptions::default()).expect("read"),
        b"1234"
    );
}

#[test]
fn read_dir_refuses_what_is_not_a_directory() {
    let dir = temp();
    let file = dir.path().join("plain.txt");
    write(&file, b"x");
    let err = read_dir(&file, &CancelToken::new()).expect_err("file");
    assert!(
        matches!(
            err,
            FsError::NotADirectory {
                kind: EntryKind::File,
                ..
            }
        ),
        "{err:?}"
    );
    let err = read_dir(&dir.path().join("missing"), &CancelToken::new()).expect_err("missing");
    assert!(matches!(err, FsError::NotFound { .. }), "{err:?}");
}

/// Names the directory prepared by the parent for the unprivileged child.
#[cfg(unix)]
const DENIED_DIR_VAR: &str = "ONELOOP_TEST_DENIED_DIR";
/// The uid and gid of `nobody` on Linux.
#[cfg(unix)]
const NOBODY: u32 = 65534;

#[cfg(unix)]
#[test]
fn permission_denied_is_reported_to_an_unprivileged_user() {
    if let Some(dir) = std::env::var_os(DENIED_DIR_VAR) {
        // The child, running as nobody.
        return assert_denied(Path::new(&dir));
    }
    let dir = temp();
    // nobody must be able to enter the directory to reach the locked entries.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let secret = dir.path().join("secret.txt");
    write(&secret, b"top secret");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).expect("chmod");
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");

    if !test_child::is_root() {
        // An ordinary user is denied by mode 000 directly.
        return assert_denied(dir.path());
    }
    // Root is never denied, so check as nobody in a child process.
    let name = test_child::test_name(
        module_path!(),
        "permission_denied_is_reported_to_an_unprivileged_user",
    );
    let output = test_child::run(&name, |cmd| {
        cmd.env(DENIED_DIR_VAR, dir.path()).uid(NOBODY).gid(NOBODY);
    });
    test_child::assert_passed(&name, &output);
}

#[cfg(unix)]
fn assert_denied(dir: &Path) {
    let secret: PathBuf = dir.join("secret.txt");
    let err = read(&secret, &ReadOptions::default()).expect_err("mode 000");
    assert!(
        matches!(&err, FsError::PermissionDenied { path } if *path == secret),
        "{err:?}"
    );
    assert!(err.to_string().contains("permission denied"), "{err}");
    let err = read_dir(&dir.join("locked"), &CancelToken::new()).expect_err("mode 000");
    assert!(matches!(err, FsError::PermissionDenied { .. }), "{err:?}");
}

#[test]
fn a_reader_can_stop_early_and_keep_what_it_read() {
    let dir = temp();
    let path = dir.path().join("big.bin");
    write(&path, &pseudo_random(MIB as usize));
    let mut got = Vec::new();
    let n = read_chunks(
        &path,
        &ReadOptions::default().chunk_size(64 * KIB as usize),
        &CancelToken::new(),
        &mut |chunk| {
            got.extend_from_slice(chunk);
            if got.len() >= 100 * 1024 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
        &mut |_| {},
    )
    .expect("stopping early is not an error");
    assert_eq!(n, 128 * KIB, "two chunks were read");
    assert_eq!(got.len() as u64, n);
}

#[test]
fn a_prefix_of_a_file_over_the_cap_can_be_read() {
    let dir = temp();
    let path = dir.path().join("huge");
    std::fs::File::create(&path)
        .expect("create")
        .set_len(2 << 30)
        .expect("sparse");
    let head = read_prefix(&path, 4096, &CancelToken::new()).expect("a prefix ignores the cap");
    assert_eq!(head.len(), 4096);
}
