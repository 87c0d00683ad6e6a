//! Radio group, toggle switch and slider, driven headless by mouse and by
//! keyboard only: what the app receives and what is on screen.

use oneloop::render::Color;
use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, NamedKey, Point, Theme};
use oneloop_widgets::{column, container, label, radio_group, slider, toggle};

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Size(usize),
    Wrap(bool),
    Volume(f32),
}

struct Choices {
    size: Option<usize>,
    wrap: bool,
    volume: f32,
    got: Vec<Msg>,
    theme: Theme,
}

impl Choices {
    fn new() -> Self {
        Self {
            size: None,
            wrap: false,
            volume: 50.0,
            got: Vec::new(),
            theme: Theme::light(),
        }
    }
}

impl App for Choices {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        let Some(msg) = event.into_message() else {
            return;
        };
        match msg {
            Msg::Size(i) => self.size = Some(i),
            Msg::Wrap(on) => self.wrap = on,
            Msg::Volume(v) => self.volume = v,
        }
        self.got.push(msg);
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        column()
            .padding(20.0)
            .spacing(12.0)
            .push(radio_group(["Small", "Medium", "Large"], self.size).on_select(Msg::Size))
            .push(toggle("Wrap lines", self.wrap).on_toggle(Msg::Wrap))
            .push(
                container(
                    slider(0.0..=100.0, self.volume)
                        .step(5.0)
                        .on_change(Msg::Volume),
                )
                .width(220.0),
            )
            .push(toggle("Locked", true))
            .push(label(format!("Volume {}", self.volume)))
            .into()
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

fn harness() -> Harness<Choices> {
    Harness::with_size(Choices::new(), 320.0, 260.0)
}

/// The color at (x, y) of a fresh frame.
fn pixel(ui: &mut Harness<Choices>, at: Point) -> Color {
    let frame = ui.render();
    let (x, y) = (at.x.round() as u32, at.y.round() as u32);
    let i = ((y * frame.width() + x) * 4) as usize;
    let p = &frame.data()[i..i + 4];
    Color::rgba(p[0], p[1], p[2], p[3])
}

/// The slider's rect: between the two toggles, spacing 12 either side.
fn slider_rect(ui: &mut Harness<Choices>) -> oneloop::render::Rect {
    let wrap = ui.find("Wrap lines");
    let locked = ui.find("Locked");
    let height = locked.y - wrap.bottom() - 24.0;
    // 200 px: the slider's natural width, inside its 220 px container.
    oneloop::render::Rect::new(20.0, wrap.bottom() + 12.0, 200.0, height)
}

#[test]
fn clicking_an_option_picks_it_and_its_circle_fills() {
    let mut ui = harness();
    ui.click("Medium");
    assert_eq!(ui.app().got, [Msg::Size(1)]);
    let medium = ui.find("Medium");
    // Between the white mark and the rim: accent when chosen.
    let dot = Point::new(medium.x + 8.0 + 4.5, medium.center().y);
    ui.move_pointer(Point::new(300.0, 250.0));
    assert_eq!(pixel(&mut ui, dot), Theme::light().accent, "the chosen dot");
    ui.click("Large");
    assert_eq!(ui.app().size, Some(2));
    assert_eq!(
        pixel(&mut ui, dot),
        Theme::light().surface,
        "Medium no longer chosen"
    );
    // Clicking the chosen option again sends nothing.
    ui.click("Large");
    assert_eq!(ui.app().got.len(), 2);
}

#[test]
fn arrow_keys_move_the_choice_and_space_picks_the_first() {
    let mut ui = harness();
    ui.press(NamedKey::Tab);
    ui.press(NamedKey::Space);
    assert_eq!(ui.app().size, Some(0));
    ui.press(NamedKey::ArrowDown).press(NamedKey::ArrowDown);
    assert_eq!(ui.app().size, Some(2));
    ui.press(NamedKey::ArrowDown);
    assert_eq!(ui.app().size, Some(0), "wraps around to the first");
    ui.press(NamedKey::ArrowUp);
    assert_eq!(ui.app().size, Some(2));
    ui.press(NamedKey::Home);
    assert_eq!(ui.app().size, Some(0));
}

#[test]
fn the_toggle_flips_on_click_space_and_enter() {
    let mut ui = harness();
    ui.click("Wrap lines");
    assert_eq!(ui.app().got, [Msg::Wrap(true)]);
    // The knob moved to the right: the pill's right end is the accent.
    let pill = ui.find("Wrap lines");
    ui.move_pointer(Point::new(300.0, 250.0));
    let right = Point::new(pill.x + 30.0, pill.center().y - 7.0);
    assert_eq!(pixel(&mut ui, right), Theme::light().accent);
    ui.press(NamedKey::Space);
    assert!(!ui.app().wrap);
    ui.press(NamedKey::Enter);
    assert!(ui.app().wrap);
}

#[test]
fn the_toggle_is_reached_by_tab_and_flipped_by_keys_only() {
    let mut ui = harness();
    ui.press(NamedKey::Tab).press(NamedKey::Tab);
    ui.press(NamedKey::Enter);
    assert_eq!(ui.app().got, [Msg::Wrap(true)]);
}

#[test]
fn a_toggle_without_a_handler_ignores_clicks() {
    let mut ui = harness();
    ui.click("Locked");
    assert!(ui.app().got.is_empty());
}

#[test]
fn dragging_the_knob_sends_values_on_steps() {
    let mut ui = harness();
    let track = slider_rect(&mut ui);
    let knob = Point::new(track.x + 8.0 + 0.5 * (track.w - 16.0), track.center().y);
    let near_end = Point::new(track.x + 8.0 + 0.83 * (track.w - 16.0), knob.y);
    ui.drag(knob, near_end);
    assert_eq!(ui.app().volume, 85.0, "83% snaps to the 5-step");
    // Dragging past the end stops at the maximum.
    let knob = Point::new(track.x + 8.0 + 0.85 * (track.w - 16.0), knob.y);
    ui.drag(knob, Point::new(track.right() + 200.0, knob.y));
    assert_eq!(ui.app().volume, 100.0);
    assert!(ui.has_text("Volume 100"));
    // A click on the track jumps there.
    ui.click_at(Point::new(track.x + 8.0, knob.y));
    assert_eq!(ui.app().volume, 0.0);
}

#[test]
fn keys_move_the_slider_by_step_page_and_to_the_ends() {
    let mut ui = harness();
    for _ in 0..3 {
        ui.press(NamedKey::Tab);
    }
    ui.press(NamedKey::ArrowRight);
    assert_eq!(ui.app().volume, 55.0);
    ui.press(NamedKey::ArrowLeft).press(NamedKey::ArrowLeft);
    assert_eq!(ui.app().volume, 45.0);
    ui.press(NamedKey::PageUp);
    assert_eq!(ui.app().volume, 55.0);
    ui.press(NamedKey::PageDown).press(NamedKey::PageDown);
    assert_eq!(ui.app().volume, 35.0);
    ui.press(NamedKey::End);
    assert_eq!(ui.app().volume, 100.0);
    // At the end, further steps send nothing.
    let sent = ui.app().got.len();
    ui.press(NamedKey::ArrowRight);
    assert_eq!(ui.app().got.len(), sent);
    ui.press(NamedKey::Home);
    assert_eq!(ui.app().volume, 0.0);
}

/// Medium chosen, wrap on, the slider focused, the pointer over "Large".
fn states(theme: Theme) -> Harness<Choices> {
    let mut app = Choices::new();
    app.theme = theme;
    app.size = Some(1);
    app.wrap = true;
    app.volume = 35.0;
    let mut ui = Harness::with_size(app, 320.0, 260.0);
    for _ in 0..3 {
        ui.press(NamedKey::Tab);
    }
    let large = ui.find("Large").center();
    ui.move_pointer(large);
    ui
}

#[test]
fn snapshot_light() {
    states(Theme::light()).assert_snapshot("choices_light");
}

#[test]
fn snapshot_dark() {
    states(Theme::dark()).assert_snapshot("choices_dark");
}
