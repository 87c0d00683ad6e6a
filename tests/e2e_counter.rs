//! The counter example as a real process under Xvfb: clicks and keys from
//! xdotool reach its buttons, and the window shows exactly what the headless
//! harness renders for the same state.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/counter.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod counter;

use std::path::Path;
use std::time::Duration;

use oneloop::testing::xvfb::{self, wait_for_line_in_file, Launched};
use oneloop::testing::Harness;

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "counter_clicks_and_keys_under_xvfb_match_the_headless_frame";

/// Count trace lines about `needle` so far.
fn count_in(path: &Path, needle: &str) -> usize {
    std::fs::read_to_string(path).map_or(0, |s| s.lines().filter(|l| l.contains(needle)).count())
}

#[test]
fn counter_clicks_and_keys_under_xvfb_match_the_headless_frame() {
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let trace_env = trace.to_str().unwrap();
    let app = Launched::example(&server, "counter", &[], &[("ONELOOP_TRACE", trace_env)]).unwrap();
    clicks_and_keys_match_the_headless_frame(&app, &xdo, &trace, dir.path());
}

/// The Windows build of the counter, under wine on Xvfb: the same clicks,
/// keys and pixels, through the driver where winit's loop is the master.
#[test]
fn counter_as_a_windows_program_under_wine_matches_the_headless_frame() {
    const WINE_NAME: &str = "counter_as_a_windows_program_under_wine_matches_the_headless_frame";
    let Some((server, xdo)) = xvfb::wine_desktop_or_skip(WINE_NAME, &["counter"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let trace_env = xvfb::wine_path(&trace);
    let app = Launched::windows_example(&server, "counter", &[], &[("ONELOOP_TRACE", &trace_env)])
        .unwrap();
    clicks_and_keys_match_the_headless_frame(&app, &xdo, &trace, dir.path());
}

fn clicks_and_keys_match_the_headless_frame(
    app: &Launched,
    xdo: &xvfb::Xdotool,
    trace: &Path,
    dir: &Path,
) {
    let trace = trace.to_owned();
    let window = xdo.search_pid(app.pid(), "Counter", WAIT).unwrap();
    wait_for_line_in_file(&trace, |l| l.contains("\"type\":\"frame\""), WAIT).unwrap();

    // Where the buttons are: the same layout, computed headless.
    let mut model = Harness::with_size(counter::Counter::default(), 320.0, 160.0);
    let plus = model.find("+").center();
    for _ in 0..3 {
        xdo.click(window, plus.x as i32, plus.y as i32).unwrap();
    }
    let deadline = std::time::Instant::now() + WAIT;
    while count_in(&trace, "Increment") < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the clicks did not reach the app"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Keyboard: "+" has focus after the clicks; Space presses it once more.
    xdo.focus(window).unwrap();
    xdo.key("space").unwrap();
    while count_in(&trace, "Increment") < 4 {
        assert!(
            std::time::Instant::now() < deadline,
            "the key did not reach the app"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    model.click("+").click("+").click("+").click("+");

    // The frame on screen equals the headless frame of the same state.
    let shot = dir.join("counter.png");
    let mut last = None;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(50));
        xdo.screenshot(window, &shot).unwrap();
        let screen = oneloop::render::load_png(&shot).unwrap();
        let diff = oneloop::render::compare(&screen, &model.render(), 24);
        if diff.differing_pixels < 50 {
            return;
        }
        last = Some(diff.differing_pixels);
    }
    panic!(
        "the window differs from the headless frame in {last:?} pixels; see {}",
        shot.display()
    );
}
