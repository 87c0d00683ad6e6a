//! The file loader as a real process under Xvfb, run by an unprivileged
//! user on a generated directory of 10,000 entries with every kind of
//! trouble: a click on "Load all" and keys pressed while it loads reach the
//! app, every file ends in the status its kind calls for, and no frame or
//! handler blocks the loop for long. The checks read the example's trace and
//! its stdout, not pixels; the screenshot is for a person to look at.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]
#![allow(
    clippy::print_stdout,
    reason = "the test reports its batch times and frame times (see --nocapture)"
)]

#[path = "../examples/file_loader/main.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod file_loader;

mod support;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use file_loader::model::Reason;
use file_loader::Loader;
use oneloop::fs::EntryKind;
use oneloop::testing::fixtures::{messy_directory, Manifest, MessySpec, Trouble};
use oneloop::testing::xvfb::{self, Launched, LineWatcher, RunAs};
use oneloop::testing::Harness;
use support::Trace;

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "file_loader_as_a_user_loads_a_messy_directory_under_xvfb";

/// Longer than this for one handler or one frame is a visible stall.
const STALL_US: u64 = 100_000;

/// How many entries should end in each status, by the words the example
/// prints, when an unprivileged user loads the directory.
fn expected_statuses(manifest: &Manifest) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (_, kind) in &manifest.entries {
        let status = match kind {
            Trouble::Text | Trouble::Empty | Trouble::NonUtf8Name => "loaded".to_owned(),
            Trouble::Unreadable => Reason::PermissionDenied.text(),
            Trouble::InUse => Reason::InUse.text(),
            Trouble::Binary => Reason::Binary.text(),
            Trouble::Fifo => Reason::NotRegular(EntryKind::Fifo).text(),
            Trouble::SymlinkLoop => Reason::SymlinkLoop.text(),
            Trouble::Dangling => Reason::NotFound.text(),
            Trouble::Huge => Reason::TooLarge.text(),
            Trouble::Directory => Reason::Directory.text(),
        };
        *counts.entry(status).or_insert(0) += 1;
    }
    counts
}

/// Parses `statuses: loaded=9650, binary=100, ...` as printed at batch end.
fn parse_statuses(line: &str) -> BTreeMap<String, usize> {
    let list = line.strip_prefix("statuses: ").unwrap();
    list.split(", ")
        .map(|pair| {
            let (status, count) = pair.rsplit_once('=').unwrap();
            (status.to_owned(), count.parse().unwrap())
        })
        .collect()
}

/// Waits for the end of a batch and returns what its entries ended as.
fn batch_statuses(stdout: &mut LineWatcher) -> BTreeMap<String, usize> {
    let done = stdout.wait_for(|l| l.starts_with("batch done: "), WAIT);
    println!("{}", done.unwrap());
    let line = stdout.wait_for(|l| l.starts_with("statuses: "), WAIT);
    parse_statuses(&line.unwrap())
}

/// A batch that a cancel cut short: every entry still ended in a final
/// status, each either the one its kind calls for or "cancelled".
fn assert_cut_short(got: &BTreeMap<String, usize>, want: &BTreeMap<String, usize>) {
    let cancelled = got.get("cancelled").copied().unwrap_or(0);
    let mut missing = 0;
    for (status, &count) in got {
        if status == "cancelled" {
            continue;
        }
        let allowed = want.get(status).copied().unwrap_or(0);
        assert!(
            count <= allowed,
            "{count} {status:?}, at most {allowed}: {got:?}"
        );
    }
    for (status, &count) in want {
        missing += count - got.get(status).copied().unwrap_or(0);
    }
    assert_eq!(
        missing, cancelled,
        "only cancelled entries are missing: {got:?}"
    );
}

/// A fresh directory of `mode` that the unprivileged user can use too.
fn shared_dir(mode: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    dir
}

#[test]
fn file_loader_as_a_user_loads_a_messy_directory_under_xvfb() {
    // It asserts frame and handler times.
    let _alone = support::alone();
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let started = Instant::now();
    let data = shared_dir(0o755);
    let manifest = messy_directory(data.path(), &MessySpec::ten_thousand(100 << 20)).unwrap();
    let want = expected_statuses(&manifest);
    // The example runs as another user: it writes its trace here.
    let logs = shared_dir(0o777);
    let trace_path = logs.path().join("trace.jsonl");
    let trace = Trace::new(&trace_path);

    // Where "Load all" is: the same layout, computed headless.
    let load_all = Harness::with_size(Loader::new(data.path()), 1100.0, 700.0)
        .find("Load all")
        .center();
    let (x, y) = (load_all.x as i32, load_all.y as i32);

    let dir_arg = data.path().to_str().unwrap();
    let envs = [("ONELOOP_TRACE", trace_path.to_str().unwrap())];
    let mut app =
        Launched::example_as(&server, "file_loader", &[dir_arg], &envs, RunAs::NOBODY).unwrap();
    app.stdout
        .wait_for(|l| l.starts_with("listed 10000 entries"), WAIT)
        .unwrap();
    let window = xdo.search_pid(app.pid(), "File loader", WAIT).unwrap();
    // The button is enabled once a frame after the listing is on screen
    // (the status bar's timer redraws once a second).
    trace.wait_for_count("Listed(", 1, "the listing", WAIT);
    trace.wait_for_next_frame(WAIT);

    // First batch: keys while it loads, then Escape cancels what is left.
    xdo.click(window, x, y).unwrap();
    trace.wait_for_count("App(LoadAll)", 1, "the click on Load all", WAIT);
    xdo.focus(window).unwrap();
    for _ in 0..3 {
        xdo.key("Down").unwrap();
    }
    xdo.key("Escape").unwrap();
    let first = batch_statuses(&mut app.stdout);
    trace.wait_for_count("Named(Escape)", 2, "Escape pressed and released", WAIT);
    assert_eq!(
        (trace.key_presses("ArrowDown"), trace.key_presses("Escape")),
        ((3, 3), (1, 1)),
        "Down three times, Escape once: {:#?}",
        [trace.key_events("ArrowDown"), trace.key_events("Escape")]
    );
    // Down from no selection selects the first entry, then the next two:
    // the third one's preview was read.
    trace.wait_for_count("PreviewLoaded(2,", 1, "the selection moving", WAIT);
    assert_eq!(first.values().sum::<usize>(), manifest.entries.len());
    if first.contains_key("cancelled") {
        assert_cut_short(&first, &want);
    } else {
        // The batch was over before Escape arrived: nothing to cut short.
        assert_eq!(first, want);
    }

    // Second batch, left alone: every entry ends as its kind calls for,
    // including "permission denied", which root would never see.
    xdo.click(window, x, y).unwrap();
    trace.wait_for_count("App(LoadAll)", 2, "the second click on Load all", WAIT);
    let second = batch_statuses(&mut app.stdout);
    assert_eq!(second, want);
    assert_eq!(second.get("permission denied"), Some(&100));

    let events = trace.events();
    let clicks = events
        .iter()
        .filter(|e| e.lane == "input" && e.event.starts_with("Input(PointerButton"))
        .count();
    assert_eq!(clicks, 4, "two clicks, press and release each");
    let slowest = events.iter().max_by_key(|e| e.handler_us).unwrap();
    assert!(
        slowest.handler_us <= STALL_US,
        "a handler ran {} µs: {}",
        slowest.handler_us,
        slowest.event
    );
    let paints = trace.paint_times();
    let longest = paints.iter().max().unwrap();
    assert!(*longest <= STALL_US, "a frame took {longest} µs to paint");

    // For a person to look at: the loaded list and the status bar.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e_file_loader.png");
    std::thread::sleep(Duration::from_millis(200));
    xdo.screenshot(window, &shot).unwrap();
    let picture = oneloop::render::load_png(&shot).unwrap();
    assert_eq!((picture.width(), picture.height()), (1100, 700));
    println!(
        "{} frames, slowest {longest} µs; slowest handler {} µs; {:?} in all; see {}",
        paints.len(),
        slowest.handler_us,
        started.elapsed(),
        shot.display()
    );
}

/// The Windows build of the file loader under wine on Xvfb, through the
/// driver where winit's loop is the master: the listing and every read are
/// pool completions reaching a loop that sleeps inside the window system.
/// A click on "Load all" ends every entry in the status its kind calls for
/// (the kinds Windows has: text, empty, binary, too large, directories),
/// keys reach the app, and Ctrl+Q quits with success.
#[test]
fn file_loader_as_a_windows_program_under_wine_loads_a_directory() {
    let _shared = support::shared();
    const WINE_NAME: &str = "file_loader_as_a_windows_program_under_wine_loads_a_directory";
    let Some((server, xdo)) = xvfb::wine_desktop_or_skip(WINE_NAME, &["file_loader"]) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let spec = MessySpec {
        unreadable: 0,
        fifos: 0,
        loops: 0,
        dangling: 0,
        non_utf8: 0,
        ..MessySpec::small(2_000)
    };
    let manifest = messy_directory(data.path(), &spec).unwrap();
    let want = expected_statuses(&manifest);
    let logs = tempfile::tempdir().unwrap();
    let trace_path = logs.path().join("trace.jsonl");
    let trace = Trace::new(&trace_path);
    let load_all = Harness::with_size(Loader::new(data.path()), 1100.0, 700.0)
        .find("Load all")
        .center();

    let dir_arg = xvfb::wine_path(data.path());
    let trace_arg = xvfb::wine_path(&trace_path);
    let envs = [("ONELOOP_TRACE", trace_arg.as_str())];
    let mut app = Launched::windows_example(&server, "file_loader", &[&dir_arg], &envs).unwrap();
    let listed = format!("listed {} entries", manifest.entries.len());
    app.stdout
        .wait_for(|l| l.starts_with(&listed), WAIT)
        .unwrap();
    let window = xdo.search_pid(app.pid(), "File loader", WAIT).unwrap();
    trace.wait_for_count("Listed(", 1, "the listing", WAIT);
    trace.wait_for_next_frame(WAIT);

    xdo.click(window, load_all.x as i32, load_all.y as i32)
        .unwrap();
    trace.wait_for_count("App(LoadAll)", 1, "the click on Load all", WAIT);
    assert_eq!(batch_statuses(&mut app.stdout), want);
    xdo.focus(window).unwrap();
    xdo.key("Down").unwrap();
    trace.wait_for_count("PreviewLoaded(0,", 1, "the selection's preview", WAIT);

    xdo.key("ctrl+q").unwrap();
    let status = app.wait_exit(WAIT).unwrap();
    assert!(
        status.is_some_and(|s| s.success()),
        "the Windows file loader did not quit cleanly: {status:?}"
    );
}
