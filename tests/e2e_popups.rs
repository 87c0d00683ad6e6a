//! The gallery's popups in a real window under Xvfb: the keyboard opens the
//! menu bar and picks an entry that opens a modal dialog, Escape dismisses
//! the dialog, and two clicks pick a value from a dropdown. Each step waits
//! for the app's message in the trace.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/gallery.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod gallery;

mod support;

use std::time::Duration;

use gallery::{Gallery, SIZE};
use oneloop::testing::xvfb::{self, wait_for_line_in_file, Launched};
use oneloop::testing::Harness;
use oneloop::{NamedKey, Point};
use support::Trace;

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "popups_under_xvfb_menu_dialog_and_dropdown_reach_the_app";

#[test]
fn popups_under_xvfb_menu_dialog_and_dropdown_reach_the_app() {
    let Some((server, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace_path = dir.path().join("trace.jsonl");
    let envs = [("ONELOOP_TRACE", trace_path.to_str().unwrap())];
    let app = Launched::example(&server, "gallery", &[], &envs).unwrap();
    let window = xdo.search_pid(app.pid(), "Gallery", WAIT).unwrap();
    wait_for_line_in_file(&trace_path, |l| l.contains("\"type\":\"frame\""), WAIT).unwrap();
    let trace = Trace::new(&trace_path);
    // The same layout, headless, says where things are in the window.
    let mut model = Harness::with_fonts(Gallery::default(), SIZE.0, SIZE.1, true);

    // F10 opens the first menu with "Open…" highlighted; Down twice skips
    // the disabled "Save" and lands on "About…".
    xdo.focus(window).unwrap();
    for key in ["F10", "Down", "Down", "Return"] {
        xdo.key(key).unwrap();
    }
    trace.wait_for_count("ShowDialog", 1, "the menu entry opening the dialog", WAIT);
    model
        .press(NamedKey::F(10))
        .press(NamedKey::ArrowDown)
        .press(NamedKey::ArrowDown)
        .press(NamedKey::Enter);
    assert!(model.app().dialog, "the model follows the window");

    xdo.key("Escape").unwrap();
    trace.wait_for_count("CloseDialog", 1, "Escape dismissing the dialog", WAIT);
    model.press(NamedKey::Escape);
    assert!(!model.app().dialog);

    // A click opens the light panel's dropdown, a click on an entry picks it.
    let field = model.find_all("Banana")[0].center();
    click(&xdo, window, field);
    model.click_at(field);
    let cherry = model.find("Cherry").center();
    click(&xdo, window, cherry);
    trace.wait_for_count("Fruit(4)", 1, "the dropdown pick", WAIT);
    model.click_at(cherry);
    assert_eq!(model.app().fruit, Some(4));
}

fn click(xdo: &xvfb::Xdotool, window: xvfb::WindowId, at: Point) {
    xdo.click(window, at.x as i32, at.y as i32).unwrap();
}
