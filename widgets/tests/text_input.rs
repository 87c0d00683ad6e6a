//! The text field driven headless: what the app receives and what it shows.

use oneloop::testing::Harness;
use oneloop::{
    App, ButtonState, Cx, Element, Event, Input, Key, KeyEvent, Modifiers, NamedKey, Point,
    PointerButton, Theme,
};
use oneloop_widgets::{column, text_input};

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Edited(usize, String),
    Submitted(usize),
}

/// A form of text fields whose values the app owns.
struct Form {
    placeholders: Vec<&'static str>,
    values: Vec<String>,
    /// Every value a field sent, in order.
    edits: Vec<String>,
    /// The value of each field when Enter was pressed in it.
    submitted: Vec<String>,
    /// Key presses no widget used.
    keys: Vec<KeyEvent>,
    /// Refuse edits that are not all digits, like a number field would.
    digits_only: bool,
    dark: bool,
}

impl Form {
    fn new(placeholders: &[&'static str]) -> Self {
        Self {
            placeholders: placeholders.to_vec(),
            values: vec![String::new(); placeholders.len()],
            edits: Vec::new(),
            submitted: Vec::new(),
            keys: Vec::new(),
            digits_only: false,
            dark: false,
        }
    }
}

impl App for Form {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::App(Msg::Edited(i, value)) => {
                self.edits.push(value.clone());
                if !self.digits_only || value.chars().all(|c| c.is_ascii_digit()) {
                    self.values[i] = value;
                }
                cx.request_redraw();
            }
            Event::App(Msg::Submitted(i)) => self.submitted.push(self.values[i].clone()),
            Event::Input(Input::Key(key)) if key.state == ButtonState::Pressed => {
                self.keys.push(key);
            }
            _ => {}
        }
    }

    fn view(&self) -> Element<'_, Msg> {
        let mut form = column().padding(12.0);
        for (i, (placeholder, value)) in self.placeholders.iter().zip(&self.values).enumerate() {
            form = form.push(
                text_input(*placeholder, value)
                    .on_input(move |s| Msg::Edited(i, s))
                    .on_submit(Msg::Submitted(i)),
            );
        }
        form.into()
    }

    fn theme(&self) -> Theme {
        if self.dark {
            Theme::dark()
        } else {
            Theme::light()
        }
    }
}

/// A harness showing one focused, empty field labelled "Path".
fn path_field() -> Harness<Form> {
    let mut ui = Harness::with_size(Form::new(&["Path"]), 320.0, 80.0);
    ui.click("Path");
    ui
}

fn value(ui: &Harness<Form>) -> &str {
    &ui.app().values[0]
}

fn ctrl(ui: &mut Harness<Form>, c: char) {
    ui.chord(Key::Character(c.to_string()), Modifiers::CTRL);
}

fn press_times(ui: &mut Harness<Form>, key: NamedKey, modifiers: Modifiers, times: usize) {
    for _ in 0..times {
        ui.chord(Key::Named(key), modifiers);
    }
}

fn key_press(c: char) -> Input {
    Input::Key(KeyEvent {
        key: Key::Character(c.to_string()),
        state: ButtonState::Pressed,
        text: Some(c.to_string()),
        modifiers: Modifiers::default(),
        repeat: false,
    })
}

#[test]
fn typing_sends_each_new_value_and_the_field_shows_it() {
    let mut ui = path_field();
    ui.type_text("notes.txt");
    assert_eq!(value(&ui), "notes.txt");
    assert_eq!(ui.app().edits.first().map(String::as_str), Some("n"));
    assert_eq!(ui.app().edits.len(), 9);
    assert!(ui.has_text("notes.txt"), "{:?}", ui.texts());
    assert!(
        !ui.has_text("Path"),
        "the placeholder is gone once there is text"
    );
    assert!(
        ui.app().keys.is_empty(),
        "typed keys were used by the field"
    );
}

#[test]
fn arrows_home_and_end_move_the_caret_for_inserts() {
    let mut ui = path_field();
    ui.type_text("helo");
    ui.press(NamedKey::ArrowLeft).type_text("l");
    assert_eq!(value(&ui), "hello");
    ui.press(NamedKey::Home).type_text(">");
    ui.press(NamedKey::End).type_text("!");
    ui.press(NamedKey::Home)
        .press(NamedKey::ArrowRight)
        .type_text(" ");
    assert_eq!(value(&ui), "> hello!");
}

#[test]
fn backspace_and_delete_remove_one_character() {
    let mut ui = path_field();
    ui.type_text("abcd");
    ui.press(NamedKey::ArrowLeft).press(NamedKey::ArrowLeft);
    ui.press(NamedKey::Backspace);
    assert_eq!(value(&ui), "acd");
    ui.press(NamedKey::Delete);
    assert_eq!(value(&ui), "ad");
    ui.press(NamedKey::Home).press(NamedKey::Backspace);
    assert_eq!(value(&ui), "ad", "nothing before the caret");
    ui.press(NamedKey::End).press(NamedKey::Delete);
    assert_eq!(value(&ui), "ad", "nothing after the caret");
    assert!(ui.app().keys.is_empty(), "the field used the keys even so");
}

#[test]
fn ctrl_backspace_and_ctrl_delete_remove_a_word() {
    let mut ui = path_field();
    ui.type_text("open /tmp/report.txt");
    press_times(&mut ui, NamedKey::Backspace, Modifiers::CTRL, 1);
    assert_eq!(value(&ui), "open /tmp/report.");
    press_times(&mut ui, NamedKey::Backspace, Modifiers::CTRL, 1);
    assert_eq!(value(&ui), "open /tmp/");
    ui.press(NamedKey::Home);
    press_times(&mut ui, NamedKey::Delete, Modifiers::CTRL, 1);
    assert_eq!(value(&ui), " /tmp/");
}

#[test]
fn ctrl_arrows_jump_by_word() {
    let mut ui = path_field();
    ui.type_text("alpha beta gamma");
    press_times(&mut ui, NamedKey::ArrowLeft, Modifiers::CTRL, 2);
    ui.type_text("+");
    assert_eq!(value(&ui), "alpha +beta gamma");
    ui.press(NamedKey::Home);
    press_times(&mut ui, NamedKey::ArrowRight, Modifiers::CTRL, 1);
    ui.type_text("!");
    assert_eq!(value(&ui), "alpha! +beta gamma");
}

#[test]
fn shift_arrows_select_and_typing_replaces_the_selection() {
    let mut ui = path_field();
    ui.type_text("hello world");
    press_times(&mut ui, NamedKey::ArrowLeft, Modifiers::SHIFT, 5);
    ui.type_text("there");
    assert_eq!(value(&ui), "hello there");
    let ctrl_shift = Modifiers {
        ctrl: true,
        shift: true,
        ..Modifiers::default()
    };
    press_times(&mut ui, NamedKey::ArrowLeft, ctrl_shift, 1);
    ui.press(NamedKey::Backspace);
    assert_eq!(value(&ui), "hello ");
    // Left without Shift collapses a selection to its start.
    press_times(&mut ui, NamedKey::ArrowLeft, Modifiers::SHIFT, 3);
    ui.press(NamedKey::ArrowLeft).type_text("X");
    assert_eq!(value(&ui), "helXlo ");
}

#[test]
fn select_all_copy_cut_and_paste_go_through_the_clipboard() {
    let mut ui = path_field();
    ui.type_text("abc");
    ctrl(&mut ui, 'a');
    ctrl(&mut ui, 'c');
    ui.press(NamedKey::End);
    ctrl(&mut ui, 'v');
    assert_eq!(value(&ui), "abcabc");
    ctrl(&mut ui, 'a');
    ctrl(&mut ui, 'x');
    assert_eq!(value(&ui), "");
    assert!(ui.has_text("Path"), "the placeholder is back");
    ctrl(&mut ui, 'v');
    ctrl(&mut ui, 'v');
    assert_eq!(value(&ui), "abcabcabcabc");
    assert!(ui.app().keys.is_empty(), "the shortcuts were the field's");
}

#[test]
fn tab_and_enter_type_nothing_even_with_their_control_text() {
    let mut ui = Harness::with_size(Form::new(&["Name", "Path"]), 320.0, 120.0);
    ui.click("Name").type_text("a");
    // What a keyboard sends: named keys that also carry control characters.
    for (key, text) in [(NamedKey::Enter, "\r"), (NamedKey::Tab, "\t")] {
        ui.input(Input::Key(KeyEvent {
            key: Key::Named(key),
            state: ButtonState::Pressed,
            text: Some(text.to_owned()),
            modifiers: Modifiers::default(),
            repeat: false,
        }));
    }
    ui.type_text("b");
    assert_eq!(
        ui.app().values,
        ["a", "b"],
        "Tab moved focus to the next field"
    );
    assert_eq!(ui.app().submitted, ["a"]);
}

#[test]
fn enter_submits_and_the_app_sees_escape_and_its_shortcuts() {
    let mut ui = path_field();
    ui.type_text("x.txt").press(NamedKey::Enter);
    assert_eq!(ui.app().submitted, ["x.txt"]);
    ui.press(NamedKey::Escape);
    ctrl(&mut ui, 'q');
    ctrl(&mut ui, 'o');
    let keys = &ui.app().keys;
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert_eq!(keys[0].key, Key::Named(NamedKey::Escape));
    assert!(keys[1].key.is_char('q') && keys[1].modifiers.ctrl);
    assert!(keys[2].key.is_char('o') && keys[2].modifiers.ctrl);
    assert_eq!(value(&ui), "x.txt", "shortcuts typed nothing");
}

#[test]
fn non_ascii_text_is_edited_by_whole_characters() {
    let mut ui = path_field();
    ui.type_text("Größe — 日本語");
    assert_eq!(value(&ui), "Größe — 日本語");
    ui.press(NamedKey::Backspace);
    assert_eq!(value(&ui), "Größe — 日本");
    press_times(&mut ui, NamedKey::ArrowLeft, Modifiers::default(), 6);
    ui.press(NamedKey::Delete);
    assert_eq!(value(&ui), "Größ — 日本");
    ui.press(NamedKey::Backspace);
    assert_eq!(value(&ui), "Grö — 日本");
    press_times(&mut ui, NamedKey::Backspace, Modifiers::CTRL, 1);
    assert_eq!(value(&ui), " — 日本");
}

#[test]
fn an_accent_typed_as_a_combining_mark_stays_with_its_letter() {
    let mut ui = path_field();
    ui.type_text("caf");
    ui.type_text("e\u{301}");
    ui.type_text("s");
    assert_eq!(value(&ui), "cafe\u{301}s");
    ui.press(NamedKey::ArrowLeft).press(NamedKey::ArrowLeft);
    ui.type_text("|");
    assert_eq!(value(&ui), "caf|e\u{301}s", "one Left crossed the whole é");
    ui.press(NamedKey::Delete);
    assert_eq!(
        value(&ui),
        "caf|s",
        "Delete removed the letter and its accent"
    );
    ui.press(NamedKey::End).type_text("e\u{301}");
    ui.press(NamedKey::Backspace);
    assert_eq!(value(&ui), "caf|s");
}

#[test]
fn keys_typed_faster_than_the_app_updates_are_not_lost() {
    let mut ui = path_field();
    ui.type_text("a");
    // Three keys arrive before the app handles any of the messages they make.
    let poster = ui.poster();
    for c in ['b', 'c', 'd'] {
        poster.post_input(key_press(c)).unwrap();
    }
    ui.settle();
    assert_eq!(value(&ui), "abcd");
    assert_eq!(ui.app().edits, ["a", "ab", "abc", "abcd"]);
}

#[test]
fn a_value_changed_by_the_app_keeps_the_caret_inside_it() {
    let mut ui = path_field();
    ui.type_text("a long name");
    ui.app_mut().values[0] = "né".to_owned();
    ui.type_text("!");
    assert_eq!(value(&ui), "né!");
    ui.app_mut().values[0] = String::new();
    ui.press(NamedKey::Backspace).type_text("x");
    assert_eq!(value(&ui), "x");
}

#[test]
fn an_edit_the_app_refuses_leaves_the_caret_where_it_was() {
    let mut form = Form::new(&["Amount"]);
    form.digits_only = true;
    let mut ui = Harness::with_size(form, 320.0, 80.0);
    ui.click("Amount").type_text("12");
    ui.press(NamedKey::ArrowLeft).type_text("x");
    assert_eq!(ui.app().values[0], "12", "the app kept its value");
    ui.type_text("3");
    assert_eq!(ui.app().values[0], "132");
}

#[test]
fn clicking_places_the_caret_and_dragging_selects() {
    let mut ui = path_field();
    ui.type_text("abcdef");
    let field = ui.find("abcdef");
    // Left of the first letter, then right of the last one.
    let start = Point::new(field.x + 5.0, field.center().y);
    let end = Point::new(field.x + 150.0, field.center().y);
    ui.click_at(start).type_text("<");
    assert_eq!(value(&ui), "<abcdef");
    ui.click_at(end).type_text(">");
    assert_eq!(value(&ui), "<abcdef>");
    let press = |state| Input::PointerButton {
        button: PointerButton::Primary,
        state,
        position: start,
    };
    ui.move_pointer(start).input(press(ButtonState::Pressed));
    // The drag ends outside the field: the field still follows the pointer.
    ui.move_pointer(Point::new(end.x + 300.0, end.y));
    ui.input(Input::PointerButton {
        button: PointerButton::Primary,
        state: ButtonState::Released,
        position: Point::new(end.x + 300.0, end.y),
    });
    ui.type_text("all");
    assert_eq!(value(&ui), "all");
}

#[test]
fn tab_focus_selects_everything_so_typing_replaces_it() {
    let mut ui = Harness::with_size(Form::new(&["Name", "Path"]), 320.0, 120.0);
    ui.click("Name").type_text("old");
    ui.press(NamedKey::Tab).type_text("path");
    ui.press(NamedKey::Tab).type_text("new");
    assert_eq!(ui.app().values, ["new", "path"]);
    assert!(ui.app().keys.is_empty(), "{:?}", ui.app().keys);
}

/// Three fields: empty with its placeholder, focused with a selection, and
/// one whose text is longer than the field, scrolled to its end.
fn showcase(dark: bool, scale: f32) -> Harness<Form> {
    let mut form = Form::new(&["File to open", "Name", "Command"]);
    form.dark = dark;
    let mut ui = Harness::with_size(form, 320.0, 160.0).scale(scale);
    ui.click("Command")
        .type_text("cargo test --workspace --all-targets -- --nocapture");
    ui.click("Name").type_text("Quarterly report");
    press_times(&mut ui, NamedKey::ArrowLeft, Modifiers::SHIFT, 6);
    ui
}

#[test]
fn snapshot_light() {
    showcase(false, 1.0).assert_snapshot("text_input_light");
}

#[test]
fn snapshot_dark() {
    showcase(true, 1.0).assert_snapshot("text_input_dark");
}

#[test]
fn snapshot_light_hidpi() {
    showcase(false, 2.0).assert_snapshot("text_input_light_2x");
}
