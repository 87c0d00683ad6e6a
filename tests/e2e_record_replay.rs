//! A recorded file-loader run under Xvfb replays headless to the same end:
//! the real window is driven with clicks and keys (open a preview, load a
//! generated directory, cancel, load again, switch to the dark theme) while
//! `ONELOOP_RECORD` writes the run down. Replaying that file with the same
//! app, without any window or file, must give the same statuses, the same
//! frames (every one is compared by hash), and a final frame equal, pixel
//! for pixel, to the screenshot of the window.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]
#![allow(clippy::print_stdout, reason = "the test reports what it replayed")]

#[path = "../examples/file_loader/main.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod file_loader;

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use file_loader::model::status_counts;
use file_loader::Loader;
use oneloop::testing::fixtures::{messy_directory, MessySpec};
use oneloop::testing::xvfb::{self, Launched};
use oneloop::testing::{replay, Harness};
use support::Trace;

const WAIT: Duration = Duration::from_secs(30);
const NAME: &str = "a_recorded_file_loader_run_replays_headless_to_the_same_frame";

#[test]
fn a_recorded_file_loader_run_replays_headless_to_the_same_frame() {
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let mut spec = MessySpec::small(1_500);
    spec.text_bytes = 150 << 20;
    messy_directory(data.path(), &spec).unwrap();
    let logs = tempfile::tempdir().unwrap();
    let record = logs.path().join("run.oneloop");
    let trace_path = logs.path().join("trace.jsonl");
    let trace = Trace::new(&trace_path);

    let load_all = Harness::with_size(Loader::new(data.path()), 1100.0, 700.0)
        .find("Load all")
        .center();
    let (x, y) = (load_all.x as i32, load_all.y as i32);
    let envs = [
        ("ONELOOP_RECORD", record.to_str().unwrap()),
        ("ONELOOP_TRACE", trace_path.to_str().unwrap()),
    ];
    let dir_path = data.path().to_owned();
    let dir_arg = dir_path.to_str().unwrap();
    let mut app = Launched::example(&server, "file_loader", &[dir_arg], &envs).unwrap();
    app.stdout
        .wait_for(|l| l.starts_with("listed 1500 entries"), WAIT)
        .unwrap();
    let window = xdo.search_pid(app.pid(), "File loader", WAIT).unwrap();
    trace.wait_for_count("Listed(", 1, "the listing", WAIT);
    trace.wait_for_next_frame(WAIT);

    // A preview, a batch cut short by Escape, then a whole batch.
    xdo.focus(window).unwrap();
    xdo.key("Down").unwrap();
    xdo.key("Down").unwrap();
    trace.wait_for_count(
        "PreviewLoaded(1,",
        1,
        "the preview of the second entry",
        WAIT,
    );
    xdo.click(window, x, y).unwrap();
    trace.wait_for_count("App(LoadAll)", 1, "the click on Load all", WAIT);
    xdo.key("Escape").unwrap();
    app.stdout
        .wait_for(|l| l.starts_with("batch done: "), WAIT)
        .unwrap();
    xdo.click(window, x, y).unwrap();
    trace.wait_for_count("App(LoadAll)", 2, "the second click on Load all", WAIT);
    app.stdout
        .wait_for(|l| l.starts_with("batch done: "), WAIT)
        .unwrap();
    let statuses = app
        .stdout
        .wait_for(|l| l.starts_with("statuses: "), WAIT)
        .unwrap();
    xdo.key("ctrl+d").unwrap();
    trace.wait_for_count("Named(Control)", 2, "Ctrl pressed and released", WAIT);

    // The screenshot is taken once no frame has come for a while (the
    // status bar repaints when its once-a-second figures change) and
    // counts only if no frame came while it was taken.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e_record_replay.png");
    let deadline = Instant::now() + WAIT;
    loop {
        assert!(Instant::now() < deadline, "the window never went idle");
        let before = trace.paint_times().len();
        std::thread::sleep(Duration::from_millis(1_300));
        if trace.paint_times().len() != before {
            continue;
        }
        xdo.screenshot(window, &shot).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        if trace.paint_times().len() == before {
            break;
        }
    }
    xdo.key("ctrl+q").unwrap();
    let status = app
        .wait_exit(WAIT)
        .unwrap()
        .expect("the app quits on Ctrl+Q");
    assert!(status.success(), "{status:?}");

    // Replay: no window, and the files are gone.
    let recorded_bytes = std::fs::metadata(&record).unwrap().len();
    drop(data);
    let started = Instant::now();
    let replayed = replay(Loader::new(Path::new(dir_arg)), &record).unwrap();
    println!(
        "replayed {} events and {} frames from {recorded_bytes} bytes in {:?}",
        replayed.events,
        replayed.frames_compared,
        started.elapsed()
    );
    assert!(replayed.frames_compared > 3, "{replayed:?}");
    assert!(
        replayed.frames_differing.is_empty(),
        "frames differ: {:?}",
        replayed.frames_differing
    );
    assert!(replayed.final_frame_matches);
    let counts: Vec<String> = status_counts(&replayed.app.entries)
        .iter()
        .map(|(status, count)| format!("{status}={count}"))
        .collect();
    assert_eq!(format!("statuses: {}", counts.join(", ")), statuses);
    assert_eq!(replayed.app.selected, Some(1));
    assert!(replayed.app.dark);

    let screen = oneloop::render::load_png(&shot).unwrap();
    let frame = replayed.final_frame.unwrap();
    let diff = oneloop::render::compare(&screen, &frame, 0);
    if diff.differing_pixels != 0 {
        let replay_png = shot.with_extension("replayed.png");
        oneloop::render::save_png(&frame, &replay_png).unwrap();
        panic!(
            "the replayed final frame differs from the window in {} pixels: see {} and {}",
            diff.differing_pixels,
            shot.display(),
            replay_png.display()
        );
    }
}
