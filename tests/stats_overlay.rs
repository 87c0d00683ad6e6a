//! F12 shows the loop's live stats over any app, F12 again hides them, and
//! an app that turns the overlay off gets F12 like any other key.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/counter.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod counter;

use std::time::Duration;

use counter::Counter;
use oneloop::testing::Harness;
use oneloop::{App, ButtonState, Cx, Event, Input, Key, NamedKey};

const F12: NamedKey = NamedKey::F(12);

/// The smallest box (left, top, right, bottom, in physical pixels, right
/// and bottom exclusive) holding every pixel that differs between frames.
fn changed_area(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap) -> Option<(u32, u32, u32, u32)> {
    let width = a.width();
    let mut area: Option<(u32, u32, u32, u32)> = None;
    for (i, (p, q)) in a.pixels().iter().zip(b.pixels()).enumerate() {
        if p != q {
            let (x, y) = (i as u32 % width, i as u32 / width);
            area = Some(area.map_or((x, y, x + 1, y + 1), |(l, t, r, b)| {
                (l.min(x), t.min(y), r.max(x + 1), b.max(y + 1))
            }));
        }
    }
    area
}

#[test]
fn f12_shows_the_panel_in_the_top_right_corner_and_f12_again_hides_it() {
    let mut ui = Harness::new(Counter::default());
    ui.click("+");
    let before = ui.render();
    assert!(!ui.overlay_shown());

    ui.press(F12);
    assert!(ui.overlay_shown());
    let shown = ui.render();
    let (left, top, right, bottom) = changed_area(&before, &shown).expect("a panel appeared");
    assert!(left > 400 && top < 20, "not in the top right: {left},{top}");
    assert!(
        right < 800 && bottom < 600,
        "reaches the edge: {right},{bottom}"
    );

    ui.press(F12);
    assert!(!ui.overlay_shown());
    assert!(
        ui.render().data() == before.data(),
        "a hidden panel leaves the app's own frame"
    );
    // Under a shown panel the app works as before.
    ui.press(F12).click("+");
    assert!(ui.has_text("Count: 2"), "{:?}", ui.texts());
}

#[test]
fn the_panel_fits_an_800_by_600_window_at_scale_1_and_2() {
    for scale in [1.0, 2.0] {
        let mut ui = Harness::new(Counter::default()).scale(scale);
        let before = ui.render();
        ui.press(F12);
        let (left, top, right, bottom) = changed_area(&before, &ui.render()).unwrap();
        let (w, h) = (800.0 * scale, 600.0 * scale);
        let margin = (4.0 * scale) as u32;
        assert!(
            left >= margin && top >= margin,
            "scale {scale}: {left},{top}"
        );
        assert!(
            right as f32 <= w - 4.0 * scale && bottom as f32 <= h - 4.0 * scale,
            "scale {scale}: clipped at {right},{bottom} of {w}×{h}"
        );
        // Not a sliver either: the figures need room.
        assert!((right - left) as f32 > 250.0 * scale && (bottom - top) as f32 > 250.0 * scale);
    }
}

#[test]
fn a_shown_panel_refreshes_while_the_app_idles_and_a_hidden_one_does_not() {
    let mut ui = Harness::new(Counter::default());
    ui.render();
    ui.advance(Duration::from_secs(1));
    assert!(
        !ui.wants_frame(),
        "an idle app with the panel hidden stays idle"
    );
    ui.press(F12);
    ui.render();
    assert!(!ui.wants_frame());
    ui.advance(Duration::from_millis(300));
    assert!(ui.wants_frame(), "the shown panel asks for fresh figures");
    ui.press(F12);
    ui.render();
    ui.advance(Duration::from_secs(1));
    assert!(!ui.wants_frame(), "hidden again, it asks for nothing");
}

/// Remembers every key pressed that reached it.
#[derive(Default)]
struct Keys(Vec<Key>);

impl App for Keys {
    type Message = ();
    fn update(&mut self, event: Event<()>, _cx: &mut Cx<()>) {
        if let Event::Input(Input::Key(key)) = event {
            if key.state == ButtonState::Pressed {
                self.0.push(key.key);
            }
        }
    }
}

#[test]
fn f12_reaches_the_app_when_the_overlay_is_off_and_only_then() {
    let mut on = Harness::new(Keys::default());
    on.press(F12).press(NamedKey::F(11));
    assert_eq!(on.app().0, [Key::Named(NamedKey::F(11))]);

    let mut off = Harness::new(Keys::default()).stats_overlay(false);
    let before = off.render();
    off.press(F12);
    assert_eq!(off.app().0, [Key::Named(F12)]);
    assert!(!off.overlay_shown());
    assert!(off.render().data() == before.data(), "no panel was drawn");
}

#[test]
fn the_panel_over_the_counter_looks_as_stored() {
    let mut ui = Harness::new(Counter::default());
    ui.click("+").click("+");
    ui.press(F12);
    // A second of virtual time, so the rates have a whole window behind them.
    ui.advance(Duration::from_millis(1200));
    for _ in 0..3 {
        ui.render();
    }
    let stats = ui.cx().stats().clone();
    assert!(stats.rates.turns > 0.0, "{stats:?}");
    assert_eq!(stats.slowest.len(), oneloop::SLOWEST_KEPT);
    ui.assert_snapshot("stats_overlay");
}

#[test]
fn in_a_window_smaller_than_the_panel_it_narrows_and_drops_lines_instead_of_spilling() {
    // The counter example's own window.
    let mut ui = Harness::with_size(Counter::default(), 320.0, 160.0);
    let before = ui.render();
    ui.press(F12);
    let shown = ui.render();
    let (left, top, right, bottom) = changed_area(&before, &shown).unwrap();
    assert!(left >= 4 && top >= 4, "{left},{top}");
    assert!(
        right <= 316 && bottom <= 156,
        "spills over: {right},{bottom}"
    );
    assert!(right - left > 200 && bottom - top > 100, "a sliver");
    ui.save_png(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("overlay_small.png"));
}
