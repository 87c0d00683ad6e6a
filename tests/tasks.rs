//! The tasks example, driven headless: async reads on the loop thread report
//! what they read, one after another or all at once, and Cancel really stops
//! a run.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/tasks.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod tasks;

use std::path::PathBuf;
use std::time::Duration;

use oneloop::testing::Harness;
use tasks::{Msg, Tasks};

/// Three files of known sizes (7 + 2,000 + 70,000 bytes) in `dir`.
fn three_files(dir: &std::path::Path) -> Vec<PathBuf> {
    [("a.txt", 7), ("b.txt", 2_000), ("c.txt", 70_000)]
        .iter()
        .map(|(name, size)| {
            let path = dir.join(name);
            std::fs::write(&path, vec![b'x'; *size]).unwrap();
            path
        })
        .collect()
}

/// The log lines on screen, newest first, without the timing at their end.
fn log(ui: &mut Harness<Tasks>) -> Vec<String> {
    ui.texts()
        .into_iter()
        .filter(|t| t.starts_with("one after another:") || t.starts_with("all at once:"))
        .map(|t| t.split(" in ").next().unwrap().to_owned())
        .collect()
}

#[test]
fn both_modes_report_the_bytes_read_and_the_files_that_failed() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = three_files(dir.path());
    paths.push(dir.path().join("missing.txt"));
    let mut ui = Harness::with_size(Tasks::new(paths), 560.0, 360.0);
    assert!(ui.has_text("4 files ready"), "{:?}", ui.texts());

    ui.click("Read one after another");
    assert_eq!(
        log(&mut ui),
        ["one after another: 4 files, 72007 bytes, 1 errors"]
    );
    ui.click("Read all at once");
    assert_eq!(
        log(&mut ui),
        [
            "all at once: 4 files, 72007 bytes, 1 errors",
            "one after another: 4 files, 72007 bytes, 1 errors",
        ]
    );
    assert!(ui.has_text("4 files ready"), "{:?}", ui.texts());
}

#[test]
fn cancel_before_the_results_stops_the_run_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let mut ui = Harness::with_size(Tasks::new(three_files(dir.path())), 560.0, 360.0);
    // Both in one turn: the reads are issued, then the task is dropped
    // before any of them can complete.
    let poster = ui.poster();
    poster.post(Msg::Sequential).unwrap();
    poster.post(Msg::Cancel).unwrap();
    ui.settle();
    assert!(
        ui.has_text("one after another: cancelled"),
        "{:?}",
        ui.texts()
    );
    assert!(ui.has_text("3 files ready"), "{:?}", ui.texts());

    // Whatever the workers were doing has ended; no late report appears,
    // however long the loop keeps turning.
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(20));
        ui.advance(Duration::from_millis(100));
    }
    assert!(ui.app().running.is_none());
    assert_eq!(ui.app().log, ["one after another: cancelled"]);

    // The buttons work again after a cancel.
    ui.click("Read all at once");
    assert_eq!(
        log(&mut ui),
        [
            "all at once: 3 files, 72007 bytes, 0 errors",
            "one after another: cancelled",
        ]
    );
}
