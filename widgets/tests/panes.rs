//! Tabs and the split pane, driven headless by mouse and by keyboard only.

use oneloop::testing::Harness;
use oneloop::widget::Cursor;
use oneloop::{App, Cx, Element, Event, Key, Modifiers, NamedKey, Point, Theme};
use oneloop_widgets::{button, column, container, label, split, tabs, Align};

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Tab(usize),
    Pressed,
}

struct Panes {
    tab: usize,
    vertical: bool,
    got: Vec<Msg>,
    theme: Theme,
}

impl Panes {
    fn new() -> Self {
        Self {
            tab: 0,
            vertical: false,
            got: Vec::new(),
            theme: Theme::light(),
        }
    }
}

impl App for Panes {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        let Some(msg) = event.into_message() else {
            return;
        };
        if let Msg::Tab(i) = msg {
            self.tab = i;
        }
        self.got.push(msg);
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let pane = |text: &'static str| {
            container(label(text))
                .padding(8.0)
                .align_x(Align::Stretch)
                .align_y(Align::Stretch)
        };
        let mut panes = split(
            column()
                .padding(8.0)
                .push(label("Left pane"))
                .push(button("Go").on_press(Msg::Pressed)),
            pane("Right pane"),
        )
        .min_sizes(100.0, 150.0);
        if self.vertical {
            panes = panes.vertical().min_sizes(40.0, 40.0);
        }
        tabs(self.tab)
            .on_select(Msg::Tab)
            .tab("Files", panes)
            .tab("Settings", label("Settings page"))
            .tab("About", label("About page"))
            .flex(1.0)
            .into()
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

fn harness() -> Harness<Panes> {
    Harness::with_size(Panes::new(), 500.0, 300.0)
}

fn ctrl_tab(ui: &mut Harness<Panes>, shift: bool) {
    let modifiers = Modifiers {
        shift,
        ..Modifiers::CTRL
    };
    ui.chord(Key::Named(NamedKey::Tab), modifiers);
}

#[test]
fn clicking_a_title_shows_that_tab() {
    let mut ui = harness();
    assert!(ui.has_text("Left pane"));
    ui.click("Settings");
    assert_eq!(ui.app().got, [Msg::Tab(1)]);
    assert!(ui.has_text("Settings page"));
    assert!(!ui.has_text("Left pane"), "only the chosen tab shows");
    ui.click("Settings");
    assert_eq!(ui.app().got.len(), 1, "the chosen tab again sends nothing");
}

#[test]
fn ctrl_tab_cycles_from_inside_and_arrows_move_along_the_focused_strip() {
    let mut ui = harness();
    // Focus the button inside the first tab: Ctrl+Tab still works there.
    ui.click("Go");
    ctrl_tab(&mut ui, false);
    assert_eq!(ui.app().tab, 1);
    ctrl_tab(&mut ui, true);
    assert_eq!(ui.app().tab, 0);
    ctrl_tab(&mut ui, true);
    assert_eq!(ui.app().tab, 2, "wraps to the last");
    // Arrows do nothing while the focus is elsewhere...
    ui.click("About");
    ui.press(NamedKey::ArrowLeft);
    assert_eq!(ui.app().tab, 1, "the click focused the strip");
    ui.press(NamedKey::Home);
    assert_eq!(ui.app().tab, 0);
    ui.press(NamedKey::End);
    assert_eq!(ui.app().tab, 2);
}

#[test]
fn keyboard_only_reaches_the_strip_with_tab() {
    let mut ui = harness();
    ui.press(NamedKey::Tab);
    ui.press(NamedKey::ArrowRight);
    assert_eq!(ui.app().got, [Msg::Tab(1)]);
    // Arrows pressed on the button inside do not switch tabs.
    let mut ui = harness();
    ui.click("Go");
    ui.press(NamedKey::ArrowRight);
    assert_eq!(ui.app().tab, 0);
}

/// The divider's middle: between the panes, under the strip.
fn divider(ui: &mut Harness<Panes>) -> Point {
    let right = ui.find("Right pane");
    if ui.app().vertical {
        Point::new(250.0, right.y - 8.0 - 3.0)
    } else {
        Point::new(right.x - 8.0 - 3.0, 150.0)
    }
}

#[test]
fn dragging_the_divider_shares_the_room_within_the_minimums() {
    let mut ui = harness();
    let at = divider(&mut ui);
    assert!((at.x - 250.0).abs() < 1.0, "starts in the middle: {at:?}");
    ui.move_pointer(at);
    assert_eq!(ui.cursor(), Cursor::ResizeColumn);
    ui.move_pointer(Point::new(100.0, 150.0));
    assert_eq!(ui.cursor(), Cursor::Default, "over a pane, the plain arrow");
    ui.drag(at, Point::new(at.x + 80.0, at.y));
    let right = ui.find("Right pane");
    assert!(
        (right.x - 8.0 - 333.0).abs() < 1.0,
        "moved 80 px: {right:?}"
    );
    // The second pane keeps 150 px however far the divider is pushed.
    let at = divider(&mut ui);
    ui.drag(at, Point::new(490.0, at.y));
    let right = ui.find("Right pane");
    assert!((500.0 - (right.x - 8.0) - 150.0).abs() < 1.0, "{right:?}");
    // And the first keeps 100 px.
    let at = divider(&mut ui);
    ui.drag(at, Point::new(0.0, at.y));
    let right = ui.find("Right pane");
    assert!((right.x - 8.0 - 106.0).abs() < 1.0, "{right:?}");
}

#[test]
fn a_vertical_split_drags_up_and_down_with_a_row_cursor() {
    let mut ui = harness();
    ui.app_mut().vertical = true;
    ui.cx().request_redraw();
    let before = ui.find("Right pane");
    let at = divider(&mut ui);
    ui.move_pointer(at);
    assert_eq!(ui.cursor(), Cursor::ResizeRow);
    ui.drag(at, Point::new(at.x, at.y - 40.0));
    let after = ui.find("Right pane");
    assert!(
        (before.y - after.y - 40.0).abs() < 1.0,
        "{before:?} {after:?}"
    );
}

#[test]
fn arrow_keys_move_the_focused_divider() {
    let mut ui = harness();
    // Tab: the strip, the button, then the divider.
    for _ in 0..3 {
        ui.press(NamedKey::Tab);
    }
    let before = ui.find("Right pane").x;
    ui.press(NamedKey::ArrowRight).press(NamedKey::ArrowRight);
    assert!((ui.find("Right pane").x - before - 20.0).abs() < 1.0);
    ui.press(NamedKey::ArrowLeft);
    assert!((ui.find("Right pane").x - before - 10.0).abs() < 1.0);
    ui.press(NamedKey::End);
    let right = ui.find("Right pane");
    assert!((500.0 - (right.x - 8.0) - 150.0).abs() < 1.0, "{right:?}");
    ui.press(NamedKey::Home);
    assert!((ui.find("Right pane").x - 8.0 - 106.0).abs() < 1.0);
    assert_eq!(
        ui.app().tab,
        0,
        "the arrows moved the divider, not the tabs"
    );
}

/// The divider moved and focused, the pointer over "About".
fn states(theme: Theme) -> Harness<Panes> {
    let mut app = Panes::new();
    app.theme = theme;
    let mut ui = Harness::with_size(app, 500.0, 200.0);
    for _ in 0..3 {
        ui.press(NamedKey::Tab);
    }
    ui.press(NamedKey::ArrowLeft);
    let about = ui.find("About").center();
    ui.move_pointer(about);
    ui
}

#[test]
fn snapshot_light() {
    states(Theme::light()).assert_snapshot("panes_light");
}

#[test]
fn snapshot_dark() {
    states(Theme::dark()).assert_snapshot("panes_dark");
}
