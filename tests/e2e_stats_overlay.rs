//! F12 in a real window under Xvfb: the stats panel appears and keeps
//! refreshing while the app idles; F12 again hides it and the idle window
//! goes back to painting nothing.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::path::Path;
use std::time::{Duration, Instant};

use oneloop::testing::xvfb::{self, wait_for_line_in_file, Launched};

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "f12_shows_a_panel_that_refreshes_while_idle_and_hides_again";

/// Frames traced so far.
fn frames(trace: &Path) -> usize {
    std::fs::read_to_string(trace).map_or(0, |s| {
        s.lines()
            .filter(|l| l.contains("\"type\":\"frame\""))
            .count()
    })
}

/// Wait until at least `n` frames were traced.
fn wait_for_frames(trace: &Path, n: usize, what: &str) {
    let deadline = Instant::now() + WAIT;
    while frames(trace) < n {
        assert!(
            Instant::now() < deadline,
            "{what}: {} frames",
            frames(trace)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn f12_shows_a_panel_that_refreshes_while_idle_and_hides_again() {
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let envs = [("ONELOOP_TRACE", trace.to_str().unwrap())];
    let app = Launched::example(&server, "counter", &[], &envs).unwrap();
    let window = xdo.search_pid(app.pid(), "Counter", WAIT).unwrap();
    wait_for_line_in_file(&trace, |l| l.contains("\"type\":\"frame\""), WAIT).unwrap();
    xdo.focus(window).unwrap();
    let before = dir.path().join("before.png");
    xdo.screenshot(window, &before).unwrap();

    xdo.key("F12").unwrap();
    // Nobody touches the app, yet frames keep coming: the panel refreshes.
    let shown_at = frames(&trace);
    wait_for_frames(&trace, shown_at + 4, "the shown panel stopped refreshing");
    let shown = dir.path().join("shown.png");
    xdo.screenshot(window, &shown).unwrap();
    let (before_png, shown_png) = (
        oneloop::render::load_png(&before).unwrap(),
        oneloop::render::load_png(&shown).unwrap(),
    );
    let diff = oneloop::render::compare(&before_png, &shown_png, 24);
    assert!(
        diff.differing_pixels > 1000,
        "the panel is not on screen ({} pixels changed); see {}",
        diff.differing_pixels,
        shown.display()
    );
    // The key went to the panel, not to the app's handler.
    let traced = std::fs::read_to_string(&trace).unwrap();
    assert!(!traced.contains("F(12)"), "the app saw F12");

    xdo.key("F12").unwrap();
    let hidden = dir.path().join("hidden.png");
    let deadline = Instant::now() + WAIT;
    loop {
        std::thread::sleep(Duration::from_millis(50));
        xdo.screenshot(window, &hidden).unwrap();
        let now = oneloop::render::load_png(&hidden).unwrap();
        if oneloop::render::compare(&before_png, &now, 24).differing_pixels < 50 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the panel stayed; see {}",
            hidden.display()
        );
    }
    // Hidden, the idle window paints nothing more.
    let settled = frames(&trace);
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(frames(&trace), settled, "an idle window kept painting");
}
