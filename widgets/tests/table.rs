//! The table, driven headless by mouse and by keyboard only: sorting by a
//! header click, resizing and fitting columns, selecting rows, and 100,000
//! rows that cost no more to draw than the ones in view.

use std::cell::Cell;
use std::time::{Duration, Instant};

use oneloop::render::Color;
use oneloop::testing::Harness;
use oneloop::widget::Cursor;
use oneloop::{App, Cx, Element, Event, Input, Key, Modifiers, NamedKey, Point, Theme};
use oneloop_widgets::{table, Selection, SortOrder, TableColumn};

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Sort(usize, SortOrder),
    Select(Selection),
    Reveal(usize),
}

struct Files {
    rows: Vec<(String, u64, &'static str)>,
    sort: Option<(usize, SortOrder)>,
    selection: Selection,
    sorts: Vec<(usize, SortOrder)>,
    /// How many cells the table asked for.
    cells_asked: Cell<usize>,
    /// The row the app keeps in view.
    reveal: Option<usize>,
    /// Show the "archive" kind in the theme's danger color.
    tint: bool,
    theme: Theme,
}

impl Files {
    fn new(count: usize) -> Self {
        let kinds = ["text", "image", "archive"];
        let rows = (0..count)
            .map(|i| {
                let size = (i as u64 * 7919) % 1000;
                (format!("file_{i:06}.dat"), size, kinds[i % 3])
            })
            .collect();
        Self {
            rows,
            sort: None,
            selection: Selection::new(),
            sorts: Vec::new(),
            cells_asked: Cell::new(0),
            reveal: None,
            tint: false,
            theme: Theme::light(),
        }
    }
}

impl App for Files {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event.into_message() {
            Some(Msg::Sort(column, order)) => {
                // The app owns the data and sorts it; the table shows the arrow.
                self.rows.sort_by(|a, b| {
                    let ord = match column {
                        0 => a.0.cmp(&b.0),
                        1 => a.1.cmp(&b.1),
                        _ => a.2.cmp(b.2),
                    };
                    match order {
                        SortOrder::Ascending => ord,
                        SortOrder::Descending => ord.reverse(),
                    }
                });
                self.sort = Some((column, order));
                self.sorts.push((column, order));
            }
            Some(Msg::Select(selection)) => self.selection = selection,
            Some(Msg::Reveal(row)) => self.reveal = Some(row),
            None => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let columns = vec![
            TableColumn::new("Name").width(160.0).fill(),
            TableColumn::new("Size").width(80.0),
            TableColumn::new("Kind").width(100.0),
        ];
        let rows = &self.rows;
        let asked = &self.cells_asked;
        let mut t = table(columns, rows.len(), move |row, column| {
            asked.set(asked.get() + 1);
            let (name, size, kind) = &rows[row];
            match column {
                0 => name.as_str().into(),
                1 => size.to_string().into(),
                _ => (*kind).into(),
            }
        })
        .on_sort(Msg::Sort)
        .selection(&self.selection)
        .on_select(Msg::Select)
        .keep_visible(self.reveal);
        if self.tint {
            let danger = self.theme.danger;
            t = t.cell_color(move |row, column| {
                (column == 2 && rows[row].2 == "archive").then_some(danger)
            });
        }
        if let Some((column, order)) = self.sort {
            t = t.sorted_by(column, order);
        }
        t.into()
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

const W: f32 = 500.0;
const H: f32 = 300.0;
const HEADER: f32 = 30.0;
const ROW: f32 = 26.0;

fn harness(rows: usize) -> Harness<Files> {
    Harness::with_size(Files::new(rows), W, H)
}

fn row_point(row: usize) -> Point {
    Point::new(60.0, HEADER + ROW * row as f32 + ROW / 2.0)
}

fn click_with(ui: &mut Harness<Files>, at: Point, held: Modifiers) {
    ui.input(Input::ModifiersChanged(held));
    ui.click_at(at);
    ui.input(Input::ModifiersChanged(Modifiers::default()));
}

fn selected(ui: &Harness<Files>) -> Vec<usize> {
    ui.app().selection.rows().collect()
}

fn accent_pixels(ui: &mut Harness<Files>, area: oneloop::render::Rect) -> usize {
    let accent = ui.app().theme.accent;
    let frame = ui.render();
    let mut count = 0;
    for y in area.y as u32..area.bottom() as u32 {
        for x in area.x as u32..area.right() as u32 {
            let i = ((y * frame.width() + x) * 4) as usize;
            let p = &frame.data()[i..i + 4];
            if Color::rgba(p[0], p[1], p[2], p[3]) == accent {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn clicking_a_header_asks_the_app_to_sort_and_shows_the_arrow() {
    let mut ui = harness(20);
    let size = ui.find("Size");
    assert_eq!(accent_pixels(&mut ui, size), 0, "no arrow before sorting");
    ui.click("Size");
    assert_eq!(ui.app().sorts, [(1, SortOrder::Ascending)]);
    assert!(accent_pixels(&mut ui, size) > 4, "an arrow after the title");
    let sizes: Vec<u64> = ui.app().rows.iter().map(|r| r.1).collect();
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]));
    ui.click("Size");
    assert_eq!(ui.app().sorts[1], (1, SortOrder::Descending));
    ui.click("Name");
    assert_eq!(ui.app().sorts[2], (0, SortOrder::Ascending));
    assert_eq!(accent_pixels(&mut ui, size), 0, "the arrow moved to Name");
}

#[test]
fn dragging_a_header_edge_resizes_and_the_fill_column_takes_the_rest() {
    // Few enough rows that no scrollbar takes room.
    let mut ui = harness(8);
    // Name fills what Size (80) and Kind (100) leave of 500.
    assert_eq!(ui.find("Size").x, 320.0);
    let edge = Point::new(400.0, HEADER / 2.0);
    ui.move_pointer(edge);
    assert_eq!(ui.cursor(), Cursor::ResizeColumn);
    ui.move_pointer(Point::new(360.0, HEADER / 2.0));
    assert_eq!(ui.cursor(), Cursor::Pointer, "inside a header cell");
    ui.drag(edge, Point::new(430.0, HEADER / 2.0));
    let size = ui.find("Size");
    assert_eq!(size.w, 110.0);
    assert_eq!(size.x, 290.0, "Name gave up the room");
    assert_eq!(ui.find("Kind").x, 400.0);
    // A column never gets narrower than its minimum (40).
    ui.drag(
        Point::new(400.0, HEADER / 2.0),
        Point::new(100.0, HEADER / 2.0),
    );
    assert_eq!(ui.find("Size").w, 40.0);
    assert!(ui.app().sorts.is_empty(), "resizing does not sort");
}

#[test]
fn a_double_click_on_an_edge_fits_the_column_to_its_text() {
    let mut ui = harness(8);
    ui.app_mut().rows[1].2 = "a very long kind of file indeed";
    ui.cx().request_redraw();
    let edge = Point::new(500.0 - 1.0, HEADER / 2.0);
    // Two presses a second apart are not a double click.
    ui.click_at(edge);
    ui.advance(Duration::from_secs(1));
    ui.click_at(edge);
    assert_eq!(ui.find("Kind").w, 100.0);
    ui.click_at(edge);
    let kind = ui.find("Kind");
    assert!(kind.w > 200.0, "fits the long text: {kind:?}");
}

#[test]
fn clicks_select_rows_with_ctrl_adding_and_shift_taking_a_range() {
    let mut ui = harness(20);
    ui.click_at(row_point(2));
    assert_eq!(selected(&ui), [2]);
    click_with(&mut ui, row_point(4), Modifiers::CTRL);
    assert_eq!(selected(&ui), [2, 4]);
    click_with(&mut ui, row_point(7), Modifiers::SHIFT);
    assert_eq!(selected(&ui), [4, 5, 6, 7], "from the last Ctrl+click");
    click_with(&mut ui, row_point(5), Modifiers::CTRL);
    assert_eq!(selected(&ui), [4, 6, 7]);
    ui.click_at(row_point(1));
    assert_eq!(selected(&ui), [1]);
    // The selected row is painted with the selection color.
    let frame = ui.render();
    let at = row_point(1);
    let i = ((at.y as u32 * frame.width() + 300) * 4) as usize;
    let p = &frame.data()[i..i + 4];
    assert_eq!(
        Color::rgba(p[0], p[1], p[2], p[3]),
        Theme::light().selection
    );
}

#[test]
fn keys_move_the_selection_and_shift_extends_it() {
    let mut ui = harness(20);
    ui.press(NamedKey::Tab);
    ui.press(NamedKey::ArrowDown);
    assert_eq!(selected(&ui), [0]);
    ui.press(NamedKey::ArrowDown).press(NamedKey::ArrowDown);
    assert_eq!(selected(&ui), [2]);
    let shift_down = |ui: &mut Harness<Files>| {
        ui.chord(Key::Named(NamedKey::ArrowDown), Modifiers::SHIFT);
    };
    shift_down(&mut ui);
    shift_down(&mut ui);
    assert_eq!(selected(&ui), [2, 3, 4]);
    ui.chord(Key::Named(NamedKey::ArrowUp), Modifiers::SHIFT);
    assert_eq!(selected(&ui), [2, 3]);
    ui.press(NamedKey::End);
    assert_eq!(selected(&ui), [19]);
    ui.press(NamedKey::PageUp);
    // 270 px of rows show 10 whole rows; a page moves 9.
    assert_eq!(selected(&ui), [10]);
    ui.press(NamedKey::Home);
    assert_eq!(selected(&ui), [0]);
    ui.chord(Key::Named(NamedKey::End), Modifiers::SHIFT);
    assert_eq!(ui.app().selection.len(), 20);
}

#[test]
fn a_hundred_thousand_rows_ask_only_for_the_cells_in_view() {
    let mut ui = harness(100_000);
    ui.render();
    ui.app().cells_asked.set(0);
    ui.press(NamedKey::Tab).press(NamedKey::End);
    assert_eq!(selected(&ui), [99_999]);
    ui.app().cells_asked.set(0);
    ui.render();
    let asked = ui.app().cells_asked.get();
    assert!(asked > 0 && asked <= 12 * 3, "asked for {asked} cells");
    // The last row is in view: a click just above the bottom selects it.
    ui.click_at(Point::new(60.0, H - 4.0));
    assert_eq!(selected(&ui), [99_999]);
    // The wheel scrolls back up.
    for _ in 0..5 {
        ui.scroll_at(Point::new(200.0, 150.0), 10.0);
    }
    ui.click_at(Point::new(60.0, H - 4.0));
    assert!(selected(&ui)[0] < 99_999);
}

#[test]
fn the_app_can_keep_a_row_in_view_and_color_cells() {
    let mut ui = harness(1_000);
    ui.poster().post(Msg::Reveal(500)).unwrap();
    ui.settle();
    // Brought up from below, row 500 is the last one in view.
    ui.click_at(Point::new(60.0, H - 4.0));
    assert_eq!(selected(&ui), [500]);

    let danger_pixels = |tint: bool| {
        let mut app = Files::new(20);
        app.tint = tint;
        let danger = app.theme.danger;
        let mut ui = Harness::with_size(app, W, H);
        let frame = ui.render();
        frame
            .pixels()
            .iter()
            .filter(|p| Color::rgba(p.red(), p.green(), p.blue(), p.alpha()) == danger)
            .count()
    };
    assert_eq!(danger_pixels(false), 0);
    assert!(danger_pixels(true) > 20, "the archive cells are red");
}

/// Not a timed assertion: prints how long a frame of 100,000 rows takes
/// while scrolling (`cargo test --release --test table -- --nocapture`).
#[test]
fn frame_time_while_scrolling_a_hundred_thousand_rows() {
    let (rows, rows_worst) = scrolling_frames(100_000);
    // The same window with an empty table: what any frame costs.
    let (empty, _) = scrolling_frames(0);
    eprintln!(
        "table, 100,000 rows at 1100×700: median frame {rows:?} (worst {rows_worst:?}); \
         an empty table's frame: {empty:?}"
    );
}

/// The median and the worst of 60 frames, each after a wheel turn.
fn scrolling_frames(count: usize) -> (Duration, Duration) {
    let mut ui = Harness::with_size(Files::new(count), 1100.0, 700.0);
    ui.render();
    let mut frames = Vec::new();
    for i in 0..60 {
        let lines = if i < 30 { -40.0 } else { 25.0 };
        ui.scroll_at(Point::new(300.0, 300.0), lines);
        let started = Instant::now();
        ui.render();
        frames.push(started.elapsed());
    }
    frames.sort();
    (frames[frames.len() / 2], frames[frames.len() - 1])
}

/// Sorted by size (largest first), rows 1 to 3 selected with the keyboard
/// on row 3, the pointer over row 5.
fn states(theme: Theme) -> Harness<Files> {
    let mut app = Files::new(40);
    app.theme = theme;
    let mut ui = Harness::with_size(app, 460.0, 240.0);
    ui.click("Size").click("Size");
    ui.click_at(row_point(1));
    ui.chord(Key::Named(NamedKey::ArrowDown), Modifiers::SHIFT);
    ui.chord(Key::Named(NamedKey::ArrowDown), Modifiers::SHIFT);
    ui.move_pointer(row_point(5));
    ui
}

#[test]
fn snapshot_light() {
    states(Theme::light()).assert_snapshot("table_light");
}

#[test]
fn snapshot_dark() {
    states(Theme::dark()).assert_snapshot("table_dark");
}
