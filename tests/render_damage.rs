//! Damage tracking, as a user of the file loader would notice it: a frame
//! repaints only what changed, and the picture is the same as if the whole
//! frame had been painted (every `Harness::render` checks that last part).

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/file_loader/main.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod file_loader;

use std::time::Duration;

use file_loader::Loader;
use oneloop::render::Rect;
use oneloop::testing::fixtures::{messy_directory, MessySpec};
use oneloop::testing::Harness;
use oneloop::NamedKey;

const FRAME: Duration = Duration::from_millis(16);

fn area(regions: &[Rect]) -> f32 {
    regions.iter().map(|r| r.w * r.h).sum()
}

fn loader(entries: usize) -> (tempfile::TempDir, Harness<Loader>) {
    let dir = tempfile::tempdir().unwrap();
    let spec = MessySpec {
        entries,
        ..MessySpec::ten_thousand(1 << 20)
    };
    messy_directory(dir.path(), &spec).unwrap();
    // The system's fonts, as in a window: their shapes differ from the
    // embedded font's, and so do the edges a repaint must get right.
    let mut ui = Harness::with_fonts(Loader::new(dir.path()), 1100.0, 700.0, true);
    ui.settle();
    (dir, ui)
}

#[test]
fn the_first_frame_is_painted_whole_and_an_idle_one_only_where_the_spinner_turns() {
    let (_dir, mut ui) = loader(300);
    ui.render();
    assert_eq!(ui.last_damage(), [Rect::new(0.0, 0.0, 1100.0, 700.0)]);
    // The listing is on screen; what still moves is the spinner (and the
    // status bar once a second).
    let mut idle = Vec::new();
    for _ in 0..10 {
        ui.advance(FRAME);
        ui.render();
        idle.push(area(ui.last_damage()));
    }
    let most = idle.iter().copied().fold(0.0, f32::max);
    assert!(
        most < 1100.0 * 700.0 * 0.02,
        "idle frames repainted up to {most} px² of 770000: {idle:?}"
    );
}

#[test]
fn a_frame_with_nothing_new_repaints_nothing() {
    let (_dir, mut ui) = loader(20);
    ui.render();
    // Two renders at the same instant: the spinner has not moved either.
    ui.render();
    assert_eq!(ui.last_damage(), [] as [Rect; 0]);
}

#[test]
fn while_loading_frames_repaint_what_changed_and_match_a_whole_repaint() {
    let (_dir, mut ui) = loader(2_000);
    ui.render();
    ui.click("Load all");
    let mut partial = 0;
    for _ in 0..40 {
        ui.advance(FRAME);
        // Each render panics if the partial repaint differs from the whole.
        ui.render();
        if area(ui.last_damage()) < 1100.0 * 700.0 * 0.6 {
            partial += 1;
        }
    }
    assert!(
        partial > 0,
        "no frame of the load was repainted in part; last: {:?}",
        ui.last_damage()
    );
}

#[test]
fn moving_the_selection_repaints_the_rows_and_the_preview_not_the_window() {
    let (_dir, mut ui) = loader(300);
    ui.press(NamedKey::ArrowDown);
    ui.settle();
    ui.render();
    ui.press(NamedKey::ArrowDown);
    ui.settle();
    ui.render();
    let damaged = area(ui.last_damage());
    assert!(
        damaged > 0.0 && damaged < 1100.0 * 700.0 * 0.6,
        "a selection move repainted {damaged} px²: {:?}",
        ui.last_damage()
    );
}

#[test]
fn a_resize_and_a_new_scale_paint_the_frame_whole() {
    let (_dir, mut ui) = loader(50);
    ui.render();
    ui.input(oneloop::Input::Resized(oneloop::Size::new(600.0, 400.0)));
    ui.render();
    assert_eq!(ui.last_damage(), [Rect::new(0.0, 0.0, 600.0, 400.0)]);
    let mut ui = ui.scale(2.0);
    ui.render();
    assert_eq!(ui.last_damage(), [Rect::new(0.0, 0.0, 1200.0, 800.0)]);
}
