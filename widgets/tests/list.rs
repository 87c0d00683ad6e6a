//! The virtualized list as a user meets it: 100,000 rows of which only
//! those on screen exist, the wheel and the scrollbar, clicking rows,
//! keeping the selected row in view, and a position that holds.

use std::time::{Duration, Instant};

use oneloop::render::Color;
use oneloop::testing::Harness;
use oneloop::{App, ButtonState, Cx, Element, Event, Input, Key, KeyEvent, NamedKey, Point, Theme};
use oneloop_widgets::{button, column, label, list, row_item, scroll};

/// A header button above a list whose selection moves with the arrow keys.
struct Rows {
    count: usize,
    selected: Option<usize>,
    pressed: Vec<Msg>,
    /// Unrelated state shown in the header.
    note: u32,
    dark: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Select(usize),
    Header,
}

impl App for Rows {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::App(msg) => {
                if let Msg::Select(i) = msg {
                    self.selected = Some(i);
                }
                self.pressed.push(msg);
            }
            Event::Input(Input::Key(KeyEvent {
                key: Key::Named(key),
                state: ButtonState::Pressed,
                ..
            })) => {
                let last = self.count.saturating_sub(1);
                self.selected = match (key, self.selected) {
                    (NamedKey::ArrowDown, Some(i)) => Some((i + 1).min(last)),
                    (NamedKey::ArrowUp, Some(i)) => Some(i.saturating_sub(1)),
                    (NamedKey::ArrowDown | NamedKey::ArrowUp, None) => Some(0),
                    _ => return,
                };
            }
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let rows = list(self.count, ROW, move |i| {
            row_item(label(format!("Row {i}")))
                .selected(self.selected == Some(i))
                .on_press(Msg::Select(i))
                .into()
        })
        .striped(true)
        .keep_visible(self.selected);
        column()
            .spacing(0.0)
            .push(button(format!("Header {}", self.note)).on_press(Msg::Header))
            .push(rows)
            .into()
    }

    fn theme(&self) -> Theme {
        if self.dark {
            Theme::dark()
        } else {
            Theme::light()
        }
    }
}

const ROW: f32 = 32.0;
const WIDTH: f32 = 320.0;
const HEIGHT: f32 = 232.0;
/// The list starts below the 32 px header: 200 px show 6¼ rows.
const TOP: f32 = 32.0;
const THUMB_AT_TOP: Point = Point::new(WIDTH - 6.0, TOP + 6.0);

fn rows(width: f32, height: f32) -> Harness<Rows> {
    let app = Rows {
        count: 100_000,
        selected: None,
        pressed: Vec::new(),
        note: 0,
        dark: false,
    };
    Harness::with_size(app, width, height)
}

fn middle() -> Point {
    Point::new(WIDTH / 2.0, (TOP + HEIGHT) / 2.0)
}

fn rows_on_screen(ui: &mut Harness<Rows>) -> Vec<String> {
    ui.texts()
        .into_iter()
        .filter(|t| t.starts_with("Row"))
        .collect()
}

fn named(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("Row {i}")).collect()
}

#[test]
fn only_rows_on_screen_exist_and_the_wheel_changes_them() {
    let mut ui = rows(WIDTH, HEIGHT);
    assert_eq!(rows_on_screen(&mut ui), named(0..7));
    // Two notches: 96 px, three rows.
    ui.scroll_at(middle(), -2.0);
    assert_eq!(rows_on_screen(&mut ui), named(3..10));
    ui.scroll_at(middle(), 2.0);
    assert_eq!(rows_on_screen(&mut ui), named(0..7));
}

#[test]
fn dragging_the_thumb_to_the_bottom_shows_the_last_row() {
    let mut ui = rows(WIDTH, HEIGHT);
    ui.drag(THUMB_AT_TOP, Point::new(WIDTH - 6.0, HEIGHT + 300.0));
    let shown = rows_on_screen(&mut ui);
    assert_eq!(shown.last().map(String::as_str), Some("Row 99999"));
    assert!(shown.len() <= 8, "{shown:?}");
    assert!(ui.app().pressed.is_empty(), "{:?}", ui.app().pressed);
}

#[test]
fn clicking_a_row_sends_its_message() {
    let mut ui = rows(WIDTH, HEIGHT);
    ui.scroll_at(middle(), -10.0);
    ui.click("Row 17");
    assert_eq!(ui.app().pressed, [Msg::Select(17)]);
    assert_eq!(ui.app().selected, Some(17));
}

#[test]
fn a_row_scrolled_out_of_view_cannot_be_clicked() {
    let mut ui = rows(WIDTH, HEIGHT);
    let first = ui.find("Row 0").center();
    // 48 px: Row 0 (32..64) moves to -16..16, above the list, where the
    // header is.
    ui.scroll_at(middle(), -1.0);
    assert!(!ui.has_text("Row 0"));
    ui.click_at(Point::new(first.x, first.y - 40.0));
    assert_eq!(ui.app().pressed, [Msg::Header]);
    // The lower half of Row 0's old place shows the top of Row 2 now.
    ui.click_at(Point::new(first.x, TOP + 24.0));
    assert_eq!(ui.app().pressed, [Msg::Header, Msg::Select(2)]);
}

#[test]
fn keep_visible_brings_the_selected_row_into_view() {
    let mut ui = rows(WIDTH, HEIGHT);
    ui.app_mut().selected = Some(50_000);
    assert!(ui.has_text("Row 50000"), "{:?}", ui.texts());
    // Arrow keys (the app moves its selection) keep it on screen.
    ui.click("Row 50000");
    for _ in 0..8 {
        ui.press(NamedKey::ArrowDown);
    }
    assert_eq!(ui.app().selected, Some(50_008));
    assert!(ui.has_text("Row 50008"), "{:?}", ui.texts());
    // The wheel may still move away from the selection...
    ui.scroll_at(middle(), -20.0);
    assert!(!ui.has_text("Row 50008"), "{:?}", ui.texts());
    // ...until the selection moves again.
    ui.press(NamedKey::ArrowUp);
    assert!(ui.has_text("Row 50007"), "{:?}", ui.texts());
}

#[test]
fn paging_keys_scroll_a_focused_list() {
    let mut ui = rows(WIDTH, HEIGHT);
    ui.click("Row 2");
    ui.press(NamedKey::End);
    assert!(ui.has_text("Row 99999"), "{:?}", ui.texts());
    ui.press(NamedKey::Home);
    ui.press(NamedKey::PageDown);
    let shown = rows_on_screen(&mut ui);
    assert!(!shown.contains(&"Row 0".to_owned()), "{shown:?}");
    assert!(shown.contains(&"Row 6".to_owned()), "{shown:?}");
}

#[test]
fn the_position_survives_a_rebuild_and_is_clamped_when_rows_go() {
    let mut ui = rows(WIDTH, HEIGHT);
    ui.scroll_at(middle(), -30.0);
    let before = rows_on_screen(&mut ui);
    // The app changes something unrelated and redraws.
    ui.click("Header 0");
    ui.app_mut().note = 1;
    ui.render();
    assert!(ui.has_text("Header 1"));
    assert_eq!(rows_on_screen(&mut ui), before);

    ui.app_mut().count = 10;
    let clamped = rows_on_screen(&mut ui);
    assert_eq!(clamped, named(3..10));
    // The clamp is the position now, not a display detail.
    ui.app_mut().count = 100_000;
    assert_eq!(rows_on_screen(&mut ui), clamped);
}

/// The color of the frame at `at` (a logical point at scale 1).
fn pixel(ui: &mut Harness<Rows>, at: Point) -> Color {
    let frame = ui.render();
    let Some(p) = frame.pixel(at.x as u32, at.y as u32) else {
        panic!("{at:?} is outside the frame");
    };
    Color::rgba(p.red(), p.green(), p.blue(), p.alpha())
}

#[test]
fn the_hover_highlight_follows_the_pointer_when_rows_move_under_it() {
    let mut ui = rows(WIDTH, HEIGHT);
    let hover = Theme::light().surface_hover;
    // Right of the text, in Row 1.
    let spot = Point::new(250.0, TOP + ROW + 16.0);
    ui.move_pointer(spot);
    assert_eq!(pixel(&mut ui, spot), hover);
    // Over the row's text, the whole row stays highlighted.
    let text = ui.find("Row 1").center();
    ui.move_pointer(text);
    assert_eq!(pixel(&mut ui, spot), hover);
    // Scroll by exactly two rows: Row 3 is under the pointer now, and Row 1
    // (still on screen, higher up) is no longer highlighted.
    ui.input(Input::Wheel {
        delta: oneloop::ScrollDelta::Pixels { x: 0.0, y: -64.0 },
        position: spot,
    });
    assert_eq!(pixel(&mut ui, spot), hover);
    let row_above = Point::new(spot.x, spot.y - ROW);
    assert_ne!(pixel(&mut ui, row_above), hover);
}

#[test]
fn looks_right_in_both_themes() {
    let mut ui = rows(WIDTH, HEIGHT);
    ui.app_mut().selected = Some(2);
    ui.scroll_at(middle(), -0.5);
    ui.move_pointer(Point::new(150.0, TOP + 4.0 * ROW));
    ui.assert_snapshot("list_light");
    ui.app_mut().dark = true;
    ui.move_pointer(Point::new(WIDTH - 6.0, TOP + 20.0));
    ui.assert_snapshot("list_dark_hover_bar");
}

/// A list whose rows each scroll a few lines of their own.
struct Nested;

impl App for Nested {
    type Message = Msg;

    fn update(&mut self, _event: Event<Msg>, _cx: &mut Cx<Msg>) {}

    fn view(&self) -> Element<'_, Msg> {
        list(1_000, 64.0, |i| {
            let lines = (0..4).map(move |k| label(format!("{i}.{k}")));
            scroll(column().extend(lines)).into()
        })
        .into()
    }
}

#[test]
fn a_scroll_view_in_a_row_keeps_its_own_position() {
    let mut ui = Harness::with_size(Nested, WIDTH, 200.0);
    let second_row = Point::new(100.0, 64.0 + 32.0);
    ui.scroll_at(second_row, -1.0);
    assert!(!ui.has_text("1.0"), "{:?}", ui.texts());
    assert!(ui.has_text("1.3"), "{:?}", ui.texts());
    // The rows around it did not move, and neither did the list.
    assert!(ui.has_text("0.0") && ui.has_text("2.0"), "{:?}", ui.texts());
}

/// How long a frame of a 100,000-row list takes at 1280×800, after a wheel
/// step and after a jump that brings only new rows on screen. Meaningful in
/// release builds:
/// `cargo test --release -p oneloop-widgets --test list -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, not a check; run on demand in release"]
fn frame_time_after_a_scroll_step() {
    let mut ui = rows(1280.0, 800.0);
    ui.render();
    let step = median_frame(&mut ui, |ui, _| {
        ui.scroll_at(Point::new(640.0, 400.0), -1.0);
    });
    let jump = median_frame(&mut ui, |ui, k| {
        ui.app_mut().selected = Some(1_000 * (k + 1));
    });
    eprintln!(
        "100,000-row list, 1280×800 frame: {step:.2} ms after a wheel step, \
         {jump:.2} ms after a jump to unseen rows (medians of 60)"
    );
    assert!(rows_on_screen(&mut ui).len() <= 26);
}

/// The median time, in milliseconds, to render a frame after `change`.
fn median_frame(ui: &mut Harness<Rows>, change: impl Fn(&mut Harness<Rows>, usize)) -> f64 {
    let mut times: Vec<Duration> = (0..60)
        .map(|k| {
            change(ui, k);
            let started = Instant::now();
            ui.render();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}
