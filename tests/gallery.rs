//! The gallery example, driven headless: every kind of widget reaches the
//! app, the "Last event" line says what happened, and both themes look as
//! stored.
//!
//! The gallery shows one panel per theme, so every label is on screen twice:
//! the light panel's widget comes first in tree order, the dark one's second.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/gallery.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod gallery;

use gallery::{Gallery, SIZE};
use oneloop::testing::Harness;
use oneloop::{NamedKey, Point};

const LIGHT: usize = 0;
const DARK: usize = 1;

/// The middle of the widget labelled `label` in the panel `panel`.
fn center_of(ui: &mut Harness<Gallery>, label: &str, panel: usize) -> Point {
    let found = ui.find_all(label);
    assert_eq!(found.len(), 2, "{label:?} once per panel: {found:?}");
    found[panel].center()
}

/// What both panels' "Last event" lines say; they show the same state.
fn last_event(ui: &mut Harness<Gallery>) -> String {
    let lines: Vec<String> = ui
        .texts()
        .into_iter()
        .filter(|t| t.starts_with("Last event: "))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0], lines[1], "the panels disagree");
    lines[0].clone()
}

#[test]
fn each_kind_of_widget_reports_to_the_app() {
    let mut ui = Harness::with_size(Gallery::default(), SIZE.0, SIZE.1);
    assert_eq!(last_event(&mut ui), "Last event: nothing yet");

    let secondary = center_of(&mut ui, "Secondary", LIGHT);
    ui.click_at(secondary);
    assert_eq!(last_event(&mut ui), "Last event: pressed secondary");
    let delete = center_of(&mut ui, "Delete", DARK);
    ui.click_at(delete);
    assert_eq!(last_event(&mut ui), "Last event: pressed delete");
    // A disabled button does nothing.
    let disabled = ui.find_all("Disabled").into_iter().next().unwrap().center();
    ui.click_at(disabled);
    assert_eq!(last_event(&mut ui), "Last event: pressed delete");

    let unchecked = center_of(&mut ui, "Unchecked", DARK);
    ui.click_at(unchecked);
    assert_eq!(last_event(&mut ui), "Last event: checked box 2");
    assert_eq!(ui.app().checks, [true, true]);
    let checked = center_of(&mut ui, "Checked", LIGHT);
    ui.click_at(checked);
    assert_eq!(last_event(&mut ui), "Last event: unchecked box 1");
    assert_eq!(ui.app().checks, [false, true]);

    let input = center_of(&mut ui, "Größe — 日本語 ✓", LIGHT);
    ui.click_at(input).press(NamedKey::End).type_text(" ok");
    assert_eq!(ui.app().text, "Größe — 日本語 ✓ ok");
    assert_eq!(
        last_event(&mut ui),
        "Last event: edited text (16 characters)"
    );
    ui.press(NamedKey::Enter);
    assert_eq!(
        last_event(&mut ui),
        "Last event: submitted \"Größe — 日本語 ✓ ok\""
    );

    let row = center_of(
        &mut ui,
        "Row      4 · virtualized: only visible rows are built",
        DARK,
    );
    ui.click_at(row);
    assert_eq!(last_event(&mut ui), "Last event: row 4");
    assert_eq!(ui.app().selected, Some(4));
}

#[test]
fn both_themes_look_as_stored() {
    // One picture: the light and the dark panel side by side, with the
    // embedded fonts only (scripts they lack show as boxes).
    let mut ui = Harness::with_size(Gallery::default(), SIZE.0, SIZE.1);
    ui.assert_snapshot("gallery");
}

#[test]
fn the_picker_opens_from_either_panel_and_escape_cancels_it() {
    let mut ui = Harness::with_size(Gallery::default(), SIZE.0, SIZE.1);
    let open = center_of(&mut ui, "Pick a file…", DARK);
    ui.click_at(open);
    assert!(ui.has_text("Open a file"), "{:?}", ui.texts());
    assert!(!ui.app().picker.as_ref().unwrap().is_loading());
    ui.press(NamedKey::Escape);
    assert!(ui.app().picker.is_none());
    assert_eq!(last_event(&mut ui), "Last event: cancelled the picker");
}
