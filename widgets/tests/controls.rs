//! Checkbox, progress bar and spinner, driven headless: what the app
//! receives, what is on screen, and whether the loop keeps painting.

use std::time::Duration;

use oneloop::render::Color;
use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, NamedKey, Theme};
use oneloop_widgets::{
    checkbox, column, label, progress_bar, progress_bar_indeterminate, row, spinner, Align,
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scene {
    /// One checkbox, with or without a handler.
    Checkbox { enabled: bool },
    /// A determinate bar 280 px wide, 10 px thick, at (20, 20).
    Bar(f32),
    /// An indeterminate bar.
    Busy,
    /// A spinner at the top left.
    Spinner,
    /// Only text.
    Still,
    /// Everything, for snapshots.
    Gallery,
}

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Remember(bool),
    Done,
}

struct Controls {
    scene: Scene,
    remember: bool,
    toggles: Vec<bool>,
    theme: Theme,
}

impl Controls {
    fn new(scene: Scene) -> Self {
        Self {
            scene,
            remember: false,
            toggles: Vec::new(),
            theme: Theme::light(),
        }
    }

    fn dark(mut self) -> Self {
        self.theme = Theme::dark();
        self
    }
}

impl App for Controls {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::App(Msg::Remember(on)) => {
                self.toggles.push(on);
                self.remember = on;
            }
            Event::App(Msg::Done) => self.scene = Scene::Still,
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let page = column().padding(20.0);
        match self.scene {
            Scene::Checkbox { enabled } => {
                let mut remember = checkbox("Remember me", self.remember);
                if enabled {
                    remember = remember.on_toggle(Msg::Remember);
                }
                page.push(remember).into()
            }
            Scene::Bar(fraction) => page.push(progress_bar(fraction).height(10.0)).into(),
            Scene::Busy => page.push(progress_bar_indeterminate()).into(),
            Scene::Spinner => page.push(row().push(spinner().size(40.0))).into(),
            Scene::Still => page.push(label("Done")).into(),
            Scene::Gallery => gallery(self.remember),
        }
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

fn gallery<'a>(remember: bool) -> Element<'a, Msg> {
    column()
        .padding(16.0)
        .push(checkbox("Remember me", remember).on_toggle(Msg::Remember))
        .push(checkbox("Show hidden files", true).on_toggle(Msg::Remember))
        .push(checkbox("Read only (locked)", true))
        .push(checkbox("Compress (unavailable)", false))
        .push(progress_bar(0.35))
        .push(progress_bar_indeterminate())
        .push(
            row()
                .align(Align::Center)
                .push(spinner())
                .push(label("Loading…")),
        )
        .into()
}

/// A rendered frame's pixels, to read colors at points.
struct Frame {
    width: u32,
    rgba: Vec<u8>,
}

impl Frame {
    fn of<A: App>(ui: &mut Harness<A>) -> Self {
        let pixmap = ui.render();
        Self {
            width: pixmap.width(),
            rgba: pixmap.data().to_vec(),
        }
    }

    /// The color at (x, y); frames are opaque, so premultiplied is plain.
    fn at(&self, x: u32, y: u32) -> Color {
        let i = ((y * self.width + x) * 4) as usize;
        let p = &self.rgba[i..i + 4];
        Color::rgba(p[0], p[1], p[2], p[3])
    }
}

#[test]
fn clicking_a_checkbox_sends_the_new_state_each_time() {
    let mut ui = Harness::with_size(
        Controls::new(Scene::Checkbox { enabled: true }),
        320.0,
        80.0,
    );
    ui.click("Remember me");
    assert_eq!(ui.app().toggles, [true]);
    ui.click("Remember me");
    assert_eq!(ui.app().toggles, [true, false]);
    // The label is part of the target, not just the box.
    let rect = ui.find("Remember me");
    ui.click_at(oneloop::Point::new(rect.right() - 3.0, rect.center().y));
    assert_eq!(ui.app().toggles, [true, false, true]);
}

#[test]
fn space_toggles_the_focused_checkbox() {
    let mut ui = Harness::with_size(
        Controls::new(Scene::Checkbox { enabled: true }),
        320.0,
        80.0,
    );
    ui.press(NamedKey::Tab).press(NamedKey::Space);
    assert_eq!(ui.app().toggles, [true]);
    ui.press(NamedKey::Space);
    assert_eq!(ui.app().toggles, [true, false]);
    assert!(!ui.app().remember);
}

#[test]
fn a_checkbox_without_a_handler_ignores_clicks_and_keys() {
    let mut ui = Harness::with_size(
        Controls::new(Scene::Checkbox { enabled: false }),
        320.0,
        80.0,
    );
    assert!(ui.has_text("Remember me"));
    ui.click("Remember me");
    ui.press(NamedKey::Tab).press(NamedKey::Space);
    assert!(ui.app().toggles.is_empty(), "{:?}", ui.app().toggles);
}

#[test]
fn a_checked_box_is_filled_with_the_accent() {
    let mut ui = Harness::with_size(
        Controls::new(Scene::Checkbox { enabled: true }),
        320.0,
        80.0,
    );
    let rect = ui.find("Remember me");
    // The middle of the 16 px box, which sits at the left edge of the widget.
    let (x, y) = ((rect.x + 8.0) as u32, rect.center().y as u32);
    let theme = Theme::light();
    assert_eq!(Frame::of(&mut ui).at(x - 4, y - 4), theme.surface);
    ui.click("Remember me");
    // Away from the pointer: hovering shades the box.
    ui.move_pointer(oneloop::Point::new(300.0, 70.0));
    assert_eq!(Frame::of(&mut ui).at(x - 4, y - 4), theme.accent);
}

#[test]
fn a_progress_bar_fills_its_share_of_the_track() {
    let theme = Theme::light();
    // The track runs from x = 20 to 300 along y = 20..30.
    let share = |fraction: f32| 20 + (280.0 * fraction) as u32;
    for (fraction, filled_until) in [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0), (f32::NAN, 0.0)] {
        let mut ui = Harness::with_size(Controls::new(Scene::Bar(fraction)), 320.0, 60.0);
        let frame = Frame::of(&mut ui);
        for probe in [0.02, 0.25, 0.45, 0.55, 0.75, 0.98] {
            let expected = if probe < filled_until {
                theme.accent
            } else {
                theme.border
            };
            assert_eq!(
                frame.at(share(probe), 25),
                expected,
                "bar at {fraction}, probed at {probe} of its width"
            );
        }
    }
}

#[test]
fn fractions_outside_zero_to_one_are_clamped() {
    assert_eq!(progress_bar(1.7).fraction(), Some(1.0));
    assert_eq!(progress_bar(-0.3).fraction(), Some(0.0));
    assert_eq!(progress_bar(f32::NAN).fraction(), Some(0.0));
    assert_eq!(progress_bar_indeterminate().fraction(), None);
}

#[test]
fn the_spinner_turns_with_the_loop_clock_and_only_with_it() {
    let mut ui = Harness::with_size(Controls::new(Scene::Spinner), 120.0, 80.0);
    let first = Frame::of(&mut ui).rgba;
    // No time passed: the same picture, however long painting took.
    assert_eq!(Frame::of(&mut ui).rgba, first);
    ui.advance(Duration::from_millis(150));
    let later = Frame::of(&mut ui).rgba;
    assert_ne!(later, first, "the spinner did not move in 150 ms");
    ui.advance(Duration::from_millis(150));
    assert_ne!(Frame::of(&mut ui).rgba, later);
}

#[test]
fn the_indeterminate_bar_moves_with_the_loop_clock() {
    let mut ui = Harness::with_size(Controls::new(Scene::Busy), 320.0, 60.0);
    let first = Frame::of(&mut ui).rgba;
    ui.advance(Duration::from_millis(400));
    let later = Frame::of(&mut ui).rgba;
    assert_ne!(later, first);
    ui.advance(Duration::from_millis(400));
    assert_ne!(Frame::of(&mut ui).rgba, later);
}

#[test]
fn animations_keep_frames_coming_and_a_still_view_stays_idle() {
    for (scene, animated) in [
        (Scene::Spinner, true),
        (Scene::Busy, true),
        (Scene::Bar(0.5), false),
        (Scene::Checkbox { enabled: true }, false),
        (Scene::Still, false),
    ] {
        let mut ui = Harness::with_size(Controls::new(scene), 320.0, 80.0);
        for _ in 0..3 {
            ui.render();
            assert_eq!(ui.wants_frame(), animated, "{scene:?}");
        }
        assert_eq!(ui.cx().stats().frames, 3);
    }
}

#[test]
fn frames_stop_when_the_spinner_goes_away() {
    let mut ui = Harness::with_size(Controls::new(Scene::Spinner), 320.0, 80.0);
    ui.render();
    assert!(ui.wants_frame());
    ui.cx().post(Msg::Done);
    ui.settle();
    assert!(ui.has_text("Done"));
    ui.render();
    assert!(!ui.wants_frame());
}

/// The gallery with its animations half way, "Remember me" focused and the
/// pointer over "Show hidden files".
fn gallery_harness(app: Controls) -> Harness<Controls> {
    let mut ui = Harness::with_size(app, 320.0, 230.0);
    ui.render(); // the animations start at the first frame
    ui.advance(Duration::from_millis(700));
    ui.press(NamedKey::Tab);
    let hover = ui.find("Show hidden files").center();
    ui.move_pointer(hover);
    ui
}

#[test]
fn snapshot_light() {
    gallery_harness(Controls::new(Scene::Gallery)).assert_snapshot("controls_light");
}

#[test]
fn snapshot_dark() {
    gallery_harness(Controls::new(Scene::Gallery).dark()).assert_snapshot("controls_dark");
}

#[test]
fn snapshot_light_at_scale_2() {
    let mut ui = gallery_harness(Controls::new(Scene::Gallery)).scale(2.0);
    ui.assert_snapshot("controls_light_2x");
}
