//! The scroll view as a user meets it: the wheel, the scrollbar, keys,
//! clipping, and a position that holds across view rebuilds.

use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, Input, NamedKey, Point, Theme};
use oneloop_widgets::{button, column, scroll};

/// A header button above a scroll view of numbered buttons.
struct Feed {
    items: usize,
    clicks: Vec<Msg>,
    dark: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Header,
    Item(usize),
}

impl App for Feed {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        if let Event::App(msg) = event {
            self.clicks.push(msg);
            cx.request_redraw();
        }
    }

    fn view(&self) -> Element<'_, Msg> {
        let items = (0..self.items).map(|i| button(format!("Item {i}")).on_press(Msg::Item(i)));
        column()
            .push(button("Header").on_press(Msg::Header))
            .push(scroll(column().padding(8.0).extend(items)))
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

const WIDTH: f32 = 320.0;
const HEIGHT: f32 = 200.0;
/// Where the scroll view starts: below the 32 px header and the spacing.
const TOP: f32 = 40.0;
/// A point on the scrollbar's thumb while the view is at the top.
const THUMB_AT_TOP: Point = Point::new(WIDTH - 6.0, TOP + 10.0);

fn feed(items: usize) -> Harness<Feed> {
    let app = Feed {
        items,
        clicks: Vec::new(),
        dark: false,
    };
    Harness::with_size(app, WIDTH, HEIGHT)
}

fn middle() -> Point {
    Point::new(WIDTH / 2.0, (TOP + HEIGHT) / 2.0)
}

fn items_on_screen(ui: &mut Harness<Feed>) -> Vec<String> {
    ui.texts()
        .into_iter()
        .filter(|t| t.starts_with("Item"))
        .collect()
}

#[test]
fn shows_what_fits_and_the_wheel_moves_on() {
    let mut ui = feed(30);
    assert_eq!(
        items_on_screen(&mut ui),
        ["Item 0", "Item 1", "Item 2", "Item 3"]
    );
    ui.scroll_at(middle(), -2.0);
    let shown = items_on_screen(&mut ui);
    assert!(!shown.contains(&"Item 0".to_owned()), "{shown:?}");
    assert!(shown.contains(&"Item 5".to_owned()), "{shown:?}");
    // Turning the wheel back returns to the top, and no further.
    ui.scroll_at(middle(), 5.0);
    assert_eq!(items_on_screen(&mut ui)[0], "Item 0");
}

#[test]
fn content_that_fits_does_not_scroll() {
    let mut ui = feed(2);
    let before = ui.find("Item 0");
    ui.scroll_at(middle(), -3.0);
    assert_eq!(ui.find("Item 0"), before);
    assert_eq!(items_on_screen(&mut ui), ["Item 0", "Item 1"]);
}

#[test]
fn a_button_scrolled_under_the_header_cannot_be_clicked() {
    let mut ui = feed(30);
    let item = ui.find("Item 0");
    // One notch moves the content 48 px: Item 0 is now hidden behind the
    // header's place, above the scroll view.
    ui.scroll_at(middle(), -1.0);
    assert!(!ui.has_text("Item 0"), "{:?}", ui.texts());
    ui.click_at(Point::new(item.center().x, item.center().y - 48.0));
    assert_eq!(ui.app().clicks, [Msg::Header]);
    // What is on screen still works.
    ui.click("Item 2");
    assert_eq!(ui.app().clicks, [Msg::Header, Msg::Item(2)]);
}

#[test]
fn a_partly_hidden_button_is_clicked_in_its_visible_part() {
    let mut ui = feed(30);
    // 24 px: Item 0 (48..80) moves to 24..56, half under the header's place.
    ui.input(Input::Wheel {
        delta: oneloop::ScrollDelta::Pixels { x: 0.0, y: -24.0 },
        position: middle(),
    });
    let visible = ui.find("Item 0");
    assert_eq!((visible.y, visible.bottom()), (TOP, 56.0));
    ui.click("Item 0");
    assert_eq!(ui.app().clicks, [Msg::Item(0)]);
}

#[test]
fn dragging_the_thumb_reaches_the_end_and_the_track_pages() {
    let mut ui = feed(30);
    ui.drag(THUMB_AT_TOP, Point::new(WIDTH - 6.0, 1000.0));
    let shown = items_on_screen(&mut ui);
    assert_eq!(
        shown.last().map(String::as_str),
        Some("Item 29"),
        "{shown:?}"
    );
    assert!(ui.app().clicks.is_empty(), "{:?}", ui.app().clicks);
    // A click on the track above the thumb goes back one page.
    ui.click_at(THUMB_AT_TOP);
    let paged = items_on_screen(&mut ui);
    assert!(!paged.contains(&"Item 29".to_owned()), "{paged:?}");
    assert!(!paged.contains(&"Item 0".to_owned()), "{paged:?}");
}

#[test]
fn paging_keys_from_a_focused_button_scroll_the_view() {
    let mut ui = feed(30);
    ui.click("Item 1");
    ui.press(NamedKey::End);
    assert!(ui.has_text("Item 29"), "{:?}", ui.texts());
    ui.press(NamedKey::Home);
    assert!(ui.has_text("Item 0"), "{:?}", ui.texts());
    ui.press(NamedKey::PageDown);
    assert!(!ui.has_text("Item 1"), "{:?}", ui.texts());
}

#[test]
fn the_position_survives_rebuilds_and_is_clamped_when_content_shrinks() {
    let mut ui = feed(30);
    ui.scroll_at(middle(), -3.0);
    let before = items_on_screen(&mut ui);
    // A click changes the app's state, which rebuilds the view.
    ui.click(&before[1].clone());
    assert_eq!(ui.app().clicks.len(), 1);
    assert_eq!(items_on_screen(&mut ui), before);

    ui.scroll_at(middle(), -100.0);
    assert!(ui.has_text("Item 29"), "{:?}", ui.texts());
    ui.app_mut().items = 6;
    let clamped = items_on_screen(&mut ui);
    assert_eq!(clamped.last().map(String::as_str), Some("Item 5"));
    assert!(!clamped.contains(&"Item 0".to_owned()), "{clamped:?}");
    // The clamped position is the position now: growing the content again
    // does not jump back to where the view was before.
    ui.app_mut().items = 30;
    assert_eq!(items_on_screen(&mut ui), clamped);
}

#[test]
fn looks_right_in_both_themes() {
    let mut ui = feed(30);
    ui.scroll_at(middle(), -1.0);
    ui.move_pointer(Point::new(100.0, 20.0));
    ui.assert_snapshot("scroll_light");
    ui.app_mut().dark = true;
    // Over the scrollbar: the thumb widens and darkens.
    ui.move_pointer(Point::new(WIDTH - 6.0, TOP + 40.0));
    ui.assert_snapshot("scroll_dark_hover");
}
