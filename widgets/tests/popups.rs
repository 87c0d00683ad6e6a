//! The popup layer's widgets, driven headless by mouse and by keyboard: the
//! dropdown, the context menu, the menu bar, tooltips and a modal dialog.

use std::time::Duration;

use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, Key, Modifiers, NamedKey, Point, Theme};
use oneloop_widgets::{
    button, column, context_menu, dialog, dropdown, label, menu, menu_bar, menu_item, row, space,
    stack, submenu, text_input, tooltip, CLOSE_LABEL, TOOLTIP_DELAY,
};

const FRUIT: [&str; 5] = ["Apple", "Avocado", "Banana", "Blueberry", "Cherry"];

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Fruit(usize),
    Open,
    Quit,
    Recent(usize),
    Copy,
    Behind,
    Ask,
    Close,
    Confirm,
    Text(String),
}

struct Popups {
    fruit: Option<usize>,
    asking: bool,
    /// Put the dropdown at the bottom of the window.
    low: bool,
    got: Vec<Msg>,
    theme: Theme,
}

impl Popups {
    fn new() -> Self {
        Self {
            fruit: None,
            asking: false,
            low: false,
            got: Vec::new(),
            theme: Theme::light(),
        }
    }
}

impl App for Popups {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        let Some(msg) = event.into_message() else {
            return;
        };
        match &msg {
            Msg::Fruit(i) => self.fruit = Some(*i),
            Msg::Ask => self.asking = true,
            Msg::Close | Msg::Confirm => self.asking = false,
            _ => {}
        }
        self.got.push(msg);
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let bar = menu_bar([
            menu(
                "File",
                [
                    menu_item("Open…").on_press(Msg::Open).accel("Ctrl+O"),
                    submenu(
                        "Recent",
                        [
                            menu_item("notes.txt").on_press(Msg::Recent(0)),
                            menu_item("todo.md").on_press(Msg::Recent(1)),
                        ],
                    ),
                    menu_item("Save").accel("Ctrl+S"),
                    menu_item("Quit").on_press(Msg::Quit).accel("Ctrl+Q"),
                ],
            ),
            menu("Edit", [menu_item("Copy").on_press(Msg::Copy)]),
        ]);
        let pick = dropdown(FRUIT, self.fruit).on_select(Msg::Fruit);
        let area = context_menu(
            label("Right-click here").size(16.0),
            [
                menu_item("Copy").on_press(Msg::Copy).accel("Ctrl+C"),
                menu_item("Paste"),
                menu_item("Ask").on_press(Msg::Ask),
            ],
        );
        let body = column()
            .padding(16.0)
            .push(
                row()
                    .push(pick)
                    .push(button("Behind").on_press(Msg::Behind)),
            )
            .push(area)
            .push(tooltip(button("Ask…").on_press(Msg::Ask), "Opens a dialog"))
            .push(text_input("Name", "").on_input(Msg::Text));
        let mut page = column().spacing(0.0).push(bar).push(body);
        if self.low {
            let low = dropdown(FRUIT, self.fruit).on_select(Msg::Fruit);
            page = page.push(space()).push(row().padding(8.0).push(low));
        }
        let mut view = stack().push(page);
        if self.asking {
            let body = column().spacing(10.0).push(label("Really do it?")).push(
                row()
                    .push(button("Cancel").on_press(Msg::Close))
                    .push(button("Do it").primary().on_press(Msg::Confirm)),
            );
            view = view.push(dialog("Confirm", body).on_close(Msg::Close));
        }
        view.into()
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

fn harness() -> Harness<Popups> {
    Harness::with_size(Popups::new(), 480.0, 360.0)
}

fn got(ui: &Harness<Popups>) -> &[Msg] {
    &ui.app().got
}

fn ctrl(ui: &mut Harness<Popups>, c: &str) {
    ui.chord(Key::Character(c.to_owned()), Modifiers::CTRL);
}

// --- dropdown ---

#[test]
fn a_click_opens_the_list_and_a_click_on_an_entry_picks_it() {
    let mut ui = harness();
    assert!(!ui.has_text("Banana"));
    ui.click("Choose…");
    assert!(ui.has_text("Banana"), "{:?}", ui.texts());
    ui.click("Banana");
    assert_eq!(got(&ui), [Msg::Fruit(2)]);
    assert!(!ui.has_text("Cherry"), "the list closed");
    assert_eq!(ui.find_all("Banana").len(), 1, "only the field shows it");
}

#[test]
fn arrows_and_enter_pick_and_escape_closes_without_picking() {
    let mut ui = harness();
    // The menu bar takes no focus: the first Tab lands on the dropdown.
    ui.press(NamedKey::Tab).press(NamedKey::Enter);
    assert!(ui.has_text("Cherry"));
    ui.press(NamedKey::ArrowDown).press(NamedKey::ArrowDown);
    ui.press(NamedKey::Escape);
    assert!(!ui.has_text("Cherry"));
    assert!(got(&ui).is_empty(), "{:?}", got(&ui));
    ui.press(NamedKey::ArrowDown)
        .press(NamedKey::ArrowDown)
        .press(NamedKey::ArrowDown)
        .press(NamedKey::Enter);
    assert_eq!(got(&ui), [Msg::Fruit(1)]);
    assert_eq!(ui.find_all("Avocado").len(), 1);
}

#[test]
fn typing_letters_jumps_to_the_first_matching_entry() {
    let mut ui = harness();
    ui.press(NamedKey::Tab).press(NamedKey::Space);
    ui.type_text("bl").press(NamedKey::Enter);
    assert_eq!(got(&ui), [Msg::Fruit(3)], "b, then l: Blueberry");
    ui.press(NamedKey::Enter)
        .type_text("c")
        .press(NamedKey::Enter);
    assert_eq!(got(&ui)[1], Msg::Fruit(4));
    // The same letter again moves on to the next entry with it.
    ui.press(NamedKey::Enter)
        .type_text("aa")
        .press(NamedKey::Enter);
    assert_eq!(got(&ui)[2], Msg::Fruit(1), "{:?}", got(&ui));
}

#[test]
fn a_click_outside_closes_the_list_and_does_nothing_else() {
    let mut ui = harness();
    ui.click("Choose…");
    assert!(ui.has_text("Cherry"));
    ui.click("Behind");
    assert!(!ui.has_text("Cherry"));
    assert!(
        got(&ui).is_empty(),
        "the click reached the button: {:?}",
        got(&ui)
    );
    ui.click("Behind");
    assert_eq!(got(&ui), [Msg::Behind]);
}

#[test]
fn a_list_without_room_below_opens_above_and_stays_in_the_window() {
    let mut app = Popups::new();
    app.low = true;
    let mut ui = Harness::with_size(app, 480.0, 360.0);
    let low = ui.find_all("Choose…")[1];
    ui.click_at(low.center());
    let cherry = ui.find("Cherry");
    let apple = ui.find("Apple");
    assert!(cherry.bottom() <= low.y + 0.5, "{cherry:?} above {low:?}");
    assert!(apple.y >= 0.0);
}

// --- context menu ---

#[test]
fn a_right_click_opens_the_menu_at_the_pointer() {
    let mut ui = harness();
    let area = ui.find("Right-click here");
    let at = Point::new(area.x + 30.0, area.center().y);
    ui.move_pointer(at);
    for state in [
        oneloop::ButtonState::Pressed,
        oneloop::ButtonState::Released,
    ] {
        ui.input(oneloop::Input::PointerButton {
            button: oneloop::PointerButton::Secondary,
            state,
            position: at,
        });
    }
    let copy = ui.find("Copy");
    assert!(
        (copy.x - at.x).abs() < 10.0 && copy.y >= at.y,
        "{copy:?} at {at:?}"
    );
    // A disabled entry does nothing and leaves the menu open.
    ui.click("Paste");
    assert!(got(&ui).is_empty());
    ui.click("Copy");
    assert_eq!(got(&ui), [Msg::Copy]);
    assert!(!ui.has_text("Paste"));
}

#[test]
fn the_menu_key_opens_it_and_arrows_skip_disabled_entries() {
    let mut ui = harness();
    // Dropdown, Behind, then the context area.
    ui.press(NamedKey::Tab)
        .press(NamedKey::Tab)
        .press(NamedKey::Tab);
    ui.press(NamedKey::ContextMenu);
    assert!(ui.has_text("Paste"));
    // Copy is highlighted; Down skips the disabled Paste.
    ui.press(NamedKey::ArrowDown).press(NamedKey::Enter);
    assert_eq!(got(&ui), [Msg::Ask]);
    ui.press(NamedKey::Escape);
}

// --- menu bar ---

#[test]
fn f10_opens_the_first_menu_and_the_keys_reach_a_submenu() {
    let mut ui = harness();
    ui.press(NamedKey::F(10));
    assert!(ui.has_text("Open…") && ui.has_text("Ctrl+O") == ui.has_text("Ctrl+O"));
    ui.press(NamedKey::ArrowDown).press(NamedKey::ArrowRight);
    assert!(ui.has_text("todo.md"));
    ui.press(NamedKey::ArrowDown).press(NamedKey::Enter);
    assert_eq!(got(&ui), [Msg::Recent(1)]);
    assert!(!ui.has_text("Open…"));
}

#[test]
fn alt_alone_enters_the_bar_right_moves_to_the_next_menu_and_escape_leaves() {
    let mut ui = harness();
    ui.press(NamedKey::Alt);
    assert!(ui.has_text("Quit"));
    ui.press(NamedKey::ArrowRight);
    assert!(!ui.has_text("Quit"));
    assert_eq!(ui.find_all("Copy").len(), 1);
    ui.press(NamedKey::Escape);
    assert!(!ui.has_text("Quit") && ui.find_all("Copy").is_empty());
    assert!(got(&ui).is_empty());
    // Alt held for a chord does not enter the bar.
    ui.chord(
        Key::Character("x".into()),
        Modifiers {
            alt: true,
            ..Modifiers::default()
        },
    );
    assert!(!ui.has_text("Quit"));
}

#[test]
fn the_mouse_opens_a_menu_hovers_into_a_submenu_and_picks() {
    let mut ui = harness();
    ui.click("File");
    let recent = ui.find("Recent");
    ui.move_pointer(recent.center());
    let notes = ui.find("notes.txt");
    assert!(notes.x >= recent.right() - 1.0, "the submenu opens beside");
    ui.click_at(notes.center());
    assert_eq!(got(&ui), [Msg::Recent(0)]);
    ui.click("File");
    ui.click("Save");
    assert_eq!(got(&ui).len(), 1, "Save is disabled");
}

#[test]
fn accelerators_trigger_from_anywhere_but_not_disabled_entries() {
    let mut ui = harness();
    ui.click("Name");
    ctrl(&mut ui, "o");
    assert_eq!(got(&ui), [Msg::Open]);
    ctrl(&mut ui, "s");
    ctrl(&mut ui, "q");
    assert_eq!(got(&ui), [Msg::Open, Msg::Quit]);
}

// --- dialog ---

#[test]
fn a_dialog_keeps_tab_inside_and_escape_closes_it() {
    let mut ui = harness();
    ui.click("Ask…");
    assert!(ui.app().asking && ui.has_text("Really do it?"));
    // Close, Cancel, Do it, and round again: never the view behind.
    for _ in 0..4 {
        ui.press(NamedKey::Tab);
    }
    ui.press(NamedKey::Enter);
    assert_eq!(got(&ui).last(), Some(&Msg::Close), "{:?}", got(&ui));
    ui.click("Ask…");
    ui.press(NamedKey::Escape);
    assert!(!ui.app().asking);
    assert_eq!(got(&ui).last(), Some(&Msg::Close));
}

#[test]
fn behind_a_dialog_nothing_is_clicked_and_its_close_button_works() {
    let mut ui = harness();
    ui.click("Ask…");
    let before = got(&ui).len();
    ui.click("Behind");
    ctrl(&mut ui, "o");
    assert_eq!(got(&ui).len(), before, "{:?}", got(&ui));
    assert!(ui.app().asking);
    ui.click(CLOSE_LABEL);
    assert!(!ui.app().asking);
    ui.click("Behind");
    assert_eq!(got(&ui).last(), Some(&Msg::Behind));
}

// --- tooltip ---

#[test]
fn a_tooltip_shows_after_the_delay_and_hides_on_leave_and_press() {
    let mut ui = harness();
    let ask = ui.find("Ask…").center();
    ui.move_pointer(ask);
    ui.advance(TOOLTIP_DELAY - Duration::from_millis(100));
    assert!(!ui.has_text("Opens a dialog"));
    ui.advance(Duration::from_millis(100));
    assert!(ui.has_text("Opens a dialog"));
    ui.move_pointer(Point::new(470.0, 350.0));
    assert!(!ui.has_text("Opens a dialog"));
    // A quick pass does not show it later.
    ui.move_pointer(ask).move_pointer(Point::new(470.0, 350.0));
    ui.advance(TOOLTIP_DELAY * 2);
    assert!(!ui.has_text("Opens a dialog"));
    ui.move_pointer(ask).advance(TOOLTIP_DELAY);
    assert!(ui.has_text("Opens a dialog"));
    ui.click_at(ask);
    assert!(!ui.has_text("Opens a dialog"));
}

// --- pictures ---

fn scene(theme: Theme, what: &str) -> Harness<Popups> {
    let mut app = Popups::new();
    app.theme = theme;
    app.fruit = Some(2);
    let mut ui = Harness::with_size(app, 480.0, 360.0);
    match what {
        "dropdown" => {
            ui.click("Banana");
            let cherry = ui.find("Cherry").center();
            ui.move_pointer(cherry);
        }
        "menu" => {
            ui.press(NamedKey::F(10)).press(NamedKey::ArrowDown);
            ui.press(NamedKey::ArrowRight);
        }
        "dialog" => {
            ui.click("Ask…");
            ui.press(NamedKey::Tab).press(NamedKey::Tab);
        }
        _ => {
            let ask = ui.find("Ask…").center();
            ui.move_pointer(ask).advance(TOOLTIP_DELAY);
        }
    }
    ui
}

#[test]
fn snapshots_light_and_dark() {
    for (theme, name) in [(Theme::light(), "light"), (Theme::dark(), "dark")] {
        for what in ["dropdown", "menu", "dialog", "tooltip"] {
            scene(theme.clone(), what).assert_snapshot(&format!("popups_{what}_{name}"));
        }
    }
}
