//! What Windows adds: files other programs hold open, device names that
//! live in every directory, and paths longer than `MAX_PATH`.

use std::fs::{self, OpenOptions};
use std::io;
use std::os::windows::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{read, temp, within_seconds, write};
use crate::io::fs::{open_nonblocking, read_dir, CancelToken, EntryKind, FsError, ReadOptions};

#[test]
fn a_file_another_program_holds_without_sharing_is_in_use_then_reads() {
    let dir = temp();
    let path = dir.path().join("report.xlsx");
    write(&path, b"spreadsheet");
    let holder = OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(&path)
        .expect("open without sharing");
    let err = read(&path, &ReadOptions::default()).expect_err("held without sharing");
    assert!(
        matches!(&err, FsError::InUse { path: p } if *p == path),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("report.xlsx"), "{message}");
    assert!(message.contains("open in another program"), "{message}");
    drop(holder);
    let bytes = read(&path, &ReadOptions::default()).expect("readable once released");
    assert_eq!(bytes, b"spreadsheet");
}

#[test]
fn reserved_device_names_are_refused_at_once_in_any_directory() {
    let dir = temp();
    for name in ["CON", "nul", "aux.txt", "COM1", "lpt2.log", "CONIN$"] {
        let path = dir.path().join(name);
        let asked = path.clone();
        let result = within_seconds(move || read(&asked, &ReadOptions::default()));
        let err = result.expect_err("a device name is not a file");
        assert!(
            matches!(
                &err,
                FsError::NotARegularFile { path: p, kind: EntryKind::CharDevice } if *p == path
            ),
            "{name}: {err:?}"
        );
        assert!(err.to_string().contains("character device"), "{err}");
    }
    let err = read(Path::new(r"\\.\NUL"), &ReadOptions::default()).expect_err("device path");
    assert!(matches!(err, FsError::NotARegularFile { .. }), "{err:?}");
    // A name that only looks like one is an ordinary file.
    let console = dir.path().join("console.txt");
    write(&console, b"ok");
    assert_eq!(
        read(&console, &ReadOptions::default()).expect("a file"),
        b"ok"
    );
}

/// A directory below `root` whose full path is over `len` characters.
fn deep_directory(root: &Path, len: usize) -> PathBuf {
    let mut path = root.to_path_buf();
    let mut level = 0;
    while path.as_os_str().len() <= len {
        path.push(format!("level-{level:02}-{}", "d".repeat(40)));
        level += 1;
    }
    fs::create_dir_all(&path).expect("create a deep directory");
    path
}

#[test]
fn paths_over_260_characters_read_and_list() {
    let dir = temp();
    let deep = deep_directory(dir.path(), 300);
    let file = deep.join("inside.txt");
    fs::write(&file, b"deep down").expect("write a deep file");
    let length = file.as_os_str().len();
    assert!(length > 300, "the path is {length} characters");
    let bytes = read(&file, &ReadOptions::default())
        .unwrap_or_else(|err| panic!("a path of {length} characters: {err}"));
    assert_eq!(bytes, b"deep down");
    let listing = read_dir(&deep, &CancelToken::new()).expect("list a deep directory");
    assert_eq!(listing.len(), 1);
    assert_eq!(listing[0].path, file);
    assert_eq!((listing[0].kind, listing[0].size), (EntryKind::File, 9));
    let missing = deep.join("gone.txt");
    let err = read(&missing, &ReadOptions::default()).expect_err("missing");
    assert!(matches!(err, FsError::NotFound { .. }), "{err:?}");
}

#[test]
fn a_directory_opened_as_a_file_is_a_directory_not_a_permission() {
    let dir = temp();
    // Past the look, as if the path had become a directory meanwhile:
    // Windows says "access denied", which must not reach the user as such.
    let err = open_nonblocking(dir.path()).expect_err("a directory");
    assert!(matches!(err, FsError::IsADirectory { .. }), "{err:?}");
    let err = read(dir.path(), &ReadOptions::default()).expect_err("a directory");
    assert!(matches!(err, FsError::IsADirectory { .. }), "{err:?}");
}

#[test]
fn missing_parents_and_invalid_names_are_not_found() {
    let dir = temp();
    for name in [r"no-such-dir\file.txt", "what?.txt", "a<b>.txt"] {
        let path = dir.path().join(name);
        let err = read(&path, &ReadOptions::default()).expect_err("cannot exist");
        assert!(matches!(err, FsError::NotFound { .. }), "{name}: {err:?}");
    }
}

#[test]
fn win32_error_codes_map_to_what_a_user_can_act_on() {
    let path = Path::new(r"C:\data\file.txt");
    let of = |code: i32| FsError::from_io(io::Error::from_raw_os_error(code), path);
    // ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_INVALID_NAME.
    for code in [2, 3, 123] {
        assert!(matches!(of(code), FsError::NotFound { .. }), "{code}");
    }
    assert!(matches!(of(5), FsError::PermissionDenied { .. }));
    // ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION.
    for code in [32, 33] {
        assert!(matches!(of(code), FsError::InUse { .. }), "{code}");
    }
    // ERROR_CANT_RESOLVE_FILENAME: a loop of links.
    assert!(matches!(of(1921), FsError::SymlinkLoop { .. }));
    // Anything else keeps the OS's own words.
    assert!(matches!(of(1117), FsError::Other { .. }));
}

#[test]
fn read_dir_lists_files_and_directories_sorted() {
    let dir = temp();
    let root = dir.path();
    write(&root.join("b.txt"), b"abcdef");
    write(&root.join("café.txt"), b"1234");
    fs::create_dir(root.join("a-dir")).expect("mkdir");
    let entries = read_dir(root, &CancelToken::new()).expect("lists");
    let summary: Vec<(String, EntryKind, u64)> = entries
        .iter()
        .map(|e| (e.name.to_string_lossy().into_owned(), e.kind, e.size))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("a-dir".to_owned(), EntryKind::Dir, 0),
            ("b.txt".to_owned(), EntryKind::File, 6),
            ("café.txt".to_owned(), EntryKind::File, 4),
        ]
    );
}
