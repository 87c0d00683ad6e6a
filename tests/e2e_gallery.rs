//! The gallery as a real process under Xvfb: a click on a button and on a
//! checkbox and typing into a text field reach the app as its messages, and
//! the window shows what the headless harness renders for the same state.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/gallery.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod gallery;

mod support;

use std::path::Path;
use std::time::Duration;

use gallery::{Gallery, SIZE};
use oneloop::render::{load_png, save_png};
use oneloop::testing::xvfb::{self, wait_for_line_in_file, Launched};
use oneloop::testing::Harness;
use oneloop::{NamedKey, Point};
use support::Trace;

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "gallery_input_under_xvfb_reaches_the_app_and_matches_the_headless_frame";

/// The largest channel difference that still counts as the same colour.
const TOLERANCE: u8 = 24;

/// The middle of the widget labelled `label` in the first (light) panel.
fn light(model: &mut Harness<Gallery>, label: &str) -> Point {
    model.find_all(label)[0].center()
}

/// The middle of the widget labelled `label` in the second (dark) panel.
fn dark(model: &mut Harness<Gallery>, label: &str) -> Point {
    model.find_all(label)[1].center()
}

/// Which pixels change while time passes (the spinners turn), widened by
/// a few pixels for anti-aliasing: a screenshot is taken at an unknown
/// moment, so those pixels cannot be compared.
fn animated_mask(model: &mut Harness<Gallery>) -> Vec<bool> {
    let still = model.render();
    let (w, h) = (still.width() as usize, still.height() as usize);
    let mut moving = vec![false; w * h];
    // A dozen instants across more than one turn of a spinner.
    for _ in 0..12 {
        model.advance(Duration::from_millis(90));
        let later = model.render();
        for (i, (a, b)) in still.pixels().iter().zip(later.pixels()).enumerate() {
            moving[i] |= a != b;
        }
    }
    let mut widened = vec![false; w * h];
    for (i, _) in moving.iter().enumerate().filter(|(_, m)| **m) {
        let (x, y) = (i % w, i / w);
        for ny in y.saturating_sub(3)..(y + 4).min(h) {
            for nx in x.saturating_sub(3)..(x + 4).min(w) {
                widened[ny * w + nx] = true;
            }
        }
    }
    widened
}

/// How many pixels outside `mask` differ by more than [`TOLERANCE`].
fn differing_outside(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap, mask: &[bool]) -> usize {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()), "sizes");
    a.pixels()
        .iter()
        .zip(b.pixels())
        .zip(mask)
        .filter(|((p, q), masked)| {
            let delta = |x: u8, y: u8| x.abs_diff(y) > TOLERANCE;
            !**masked
                && (delta(p.red(), q.red())
                    || delta(p.green(), q.green())
                    || delta(p.blue(), q.blue()))
        })
        .count()
}

#[test]
fn gallery_input_under_xvfb_reaches_the_app_and_matches_the_headless_frame() {
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

    // Where everything is: the same layout, computed headless, with the
    // system's fonts like the real process (the gallery shows CJK text).
    let mut model = Harness::with_fonts(Gallery::default(), SIZE.0, SIZE.1, true);
    let click = |model: &mut Harness<Gallery>, at: Point| {
        xdo.click(window, at.x as i32, at.y as i32).unwrap();
        model.click_at(at);
    };

    let secondary = light(&mut model, "Secondary");
    click(&mut model, secondary);
    trace.wait_for_count("Pressed(\"secondary\")", 1, "the button click", WAIT);

    let unchecked = dark(&mut model, "Unchecked");
    click(&mut model, unchecked);
    trace.wait_for_count("Toggle(1, true)", 1, "the checkbox click", WAIT);

    // A click focuses the field; End puts the caret after the text.
    let field = light(&mut model, "Größe — 日本語 ✓");
    click(&mut model, field);
    xdo.focus(window).unwrap();
    xdo.key("End").unwrap();
    xdo.type_text(" ok").unwrap();
    model.press(NamedKey::End).type_text(" ok");
    // The field handles the keys itself; the app sees one edit per
    // character, the last one after End (not in the middle of the text).
    trace.wait_for_count("Text(", 3, "the typed characters", WAIT);
    trace.wait_for_count("Text(\"Größe — 日本語 ✓ ok\")", 1, "the edit", WAIT);
    assert_eq!(model.app().text, "Größe — 日本語 ✓ ok");

    // The window equals the headless frame of the same state, apart from
    // the turning spinners.
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let shot = out.join("e2e_gallery.png");
    let expected = model.render();
    let mask = animated_mask(&mut model);
    let mut differing = usize::MAX;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(50));
        xdo.screenshot(window, &shot).unwrap();
        let screen = load_png(&shot).unwrap();
        differing = differing_outside(&screen, &expected, &mask);
        if differing < 50 {
            return;
        }
    }
    let model_path = out.join("e2e_gallery.expected.png");
    save_png(&expected, &model_path).unwrap();
    panic!(
        "the window differs from the headless frame in {differing} pixels; see {} and {}",
        shot.display(),
        model_path.display()
    );
}
