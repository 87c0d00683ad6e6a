//! A table: a header row over rows of text cells, for thousands of rows.
//!
//! Only the rows in view are laid out and painted, so 100,000 rows cost
//! what 20 do. Clicking a header asks the app to sort: the app owns the
//! data, sorts it, and hands the table its rows in the new order (the table
//! only draws the arrow it is told to). Column edges in the header drag to
//! resize, and a double click on one fits the column to the text in view.
//! Rows are selected with the mouse (Ctrl adds or removes one, Shift takes
//! a range) and the keyboard (arrows, Home/End, Page Up/Down, Shift to
//! extend); the selection belongs to the app too.

use std::borrow::Cow;
use std::time::{Duration, Instant};

use oneloop::render::{Color, Point, Rect, Size, TextStyle};
use oneloop::widget::{Constraints, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent};
use oneloop::{ButtonState, Element, Key, KeyEvent, NamedKey};

use crate::scrollbar::{ScrollState, Scrollbar, GUTTER};

mod header;
mod selection;

use header::{Grip, HeaderCell, ARROW_ROOM, CELL_PAD, GRIP};
pub use selection::Selection;

/// Which way a column is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first; the arrow points up.
    Ascending,
    /// Largest first; the arrow points down.
    Descending,
}

impl SortOrder {
    /// The other order.
    #[must_use]
    pub fn reversed(self) -> Self {
        match self {
            SortOrder::Ascending => SortOrder::Descending,
            SortOrder::Descending => SortOrder::Ascending,
        }
    }
}

/// A column of a [`Table`]: its title and how wide it is.
#[derive(Debug, Clone)]
#[must_use]
pub struct TableColumn<'a> {
    title: Cow<'a, str>,
    width: f32,
    min_width: f32,
    fill: bool,
}

impl<'a> TableColumn<'a> {
    /// A column titled `title`, 120 px wide.
    pub fn new(title: impl Into<Cow<'a, str>>) -> Self {
        Self {
            title: title.into(),
            width: 120.0,
            min_width: 40.0,
            fill: false,
        }
    }

    /// Start this wide (the user may resize it).
    pub fn width(mut self, width: f32) -> Self {
        if width.is_finite() {
            self.width = width.max(0.0);
        }
        self
    }

    /// Never narrower than this, however it is resized.
    pub fn min_width(mut self, width: f32) -> Self {
        if width.is_finite() {
            self.min_width = width.max(0.0);
        }
        self
    }

    /// Take the width the other columns leave (the first such column does).
    pub fn fill(mut self) -> Self {
        self.fill = true;
        self
    }
}

type CellFn<'a> = Box<dyn Fn(usize, usize) -> Cow<'a, str> + 'a>;
type ColorFn<'a> = Box<dyn Fn(usize, usize) -> Option<Color> + 'a>;

/// Rows of text under a header row.
///
/// Only the rows in view are laid out and painted. A click on a header
/// sends [`Table::on_sort`]: the app sorts its data and passes the rows in
/// the new order, with [`Table::sorted_by`] for the arrow. Dragging a
/// column's right edge in the header resizes it; a double click there fits
/// it to its title and the text in view. Rows are selected by click (Ctrl
/// adds or removes one, Shift takes the range from the last click) and by
/// the arrows, Home/End and Page Up/Down (Shift extends); the app keeps the
/// [`Selection`] and stores the one [`Table::on_select`] sends.
#[must_use]
pub struct Table<'a, M> {
    columns: Vec<TableColumn<'a>>,
    rows: usize,
    cell: CellFn<'a>,
    cell_color: Option<ColorFn<'a>>,
    keep_visible: Option<usize>,
    sort: Option<(usize, SortOrder)>,
    on_sort: Option<Box<dyn Fn(usize, SortOrder) -> M + 'a>>,
    selection: Cow<'a, Selection>,
    on_select: Option<Box<dyn Fn(Selection) -> M + 'a>>,
    row_height: f32,
    flex: f32,
    /// Made at layout: each column's width, the scrollbar, and the header
    /// cells followed by the grips.
    widths: Vec<f32>,
    scrollbar: Scrollbar,
    children: Vec<Element<'a, M>>,
}

/// A table of `rows` rows with `columns`; `cell(row, column)` gives the
/// text of a cell and is called only for the rows in view.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{table, Selection, SortOrder, TableColumn};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Sort(usize, SortOrder), Select(Selection) }
///
/// fn view<'a>(files: &'a [(String, u64)], selection: &'a Selection) -> Element<'a, Msg> {
///     let columns = vec![TableColumn::new("Name").fill(), TableColumn::new("Size").width(80.0)];
///     table(columns, files.len(), move |row, col| match col {
///         0 => files[row].0.as_str().into(),
///         _ => files[row].1.to_string().into(),
///     })
///     .on_sort(Msg::Sort)
///     .selection(selection)
///     .on_select(Msg::Select)
///     .into()
/// }
/// ```
pub fn table<'a, M>(
    columns: Vec<TableColumn<'a>>,
    rows: usize,
    cell: impl Fn(usize, usize) -> Cow<'a, str> + 'a,
) -> Table<'a, M> {
    Table {
        columns,
        rows,
        cell: Box::new(cell),
        cell_color: None,
        keep_visible: None,
        sort: None,
        on_sort: None,
        selection: Cow::Owned(Selection::new()),
        on_select: None,
        row_height: DEFAULT_ROW_HEIGHT,
        flex: 1.0,
        widths: Vec::new(),
        scrollbar: Scrollbar::default(),
        children: Vec::new(),
    }
}

impl<'a, M> Table<'a, M> {
    /// Show the arrow on `column`, sorted in `order` (the app sorted the rows).
    pub fn sorted_by(mut self, column: usize, order: SortOrder) -> Self {
        self.sort = Some((column, order));
        self
    }

    /// Send `to_message(column, order)` when a header is clicked: ascending
    /// for a new column, the other order for the sorted one.
    pub fn on_sort(mut self, to_message: impl Fn(usize, SortOrder) -> M + 'a) -> Self {
        self.on_sort = Some(Box::new(to_message));
        self
    }

    /// The rows shown as selected.
    pub fn selection(mut self, selection: &'a Selection) -> Self {
        self.selection = Cow::Borrowed(selection);
        self
    }

    /// Send `to_message(new_selection)` when the user changes the selection.
    pub fn on_select(mut self, to_message: impl Fn(Selection) -> M + 'a) -> Self {
        self.on_select = Some(Box::new(to_message));
        self
    }

    /// Color cells: `color(row, column)` gives a cell's text color, or
    /// `None` for the theme's text color (a status column in red and green).
    pub fn cell_color(mut self, color: impl Fn(usize, usize) -> Option<Color> + 'a) -> Self {
        self.cell_color = Some(Box::new(color));
        self
    }

    /// Scroll just enough to show `row` whenever it changes from one view
    /// to the next (pass the app's selected row, so keys the app handles
    /// keep it on screen). `None` leaves the scroll position alone.
    pub fn keep_visible(mut self, row: Option<usize>) -> Self {
        self.keep_visible = row;
        self
    }

    /// The height of each row in logical pixels (default 26).
    pub fn row_height(mut self, height: f32) -> Self {
        if height.is_finite() && height >= 1.0 {
            self.row_height = height;
        }
        self
    }

    /// Take this share of the spare room in a parent row or column (default 1).
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }
}

/// The header row's height.
pub(crate) const HEADER_HEIGHT: f32 = 30.0;
const DEFAULT_ROW_HEIGHT: f32 = 26.0;
/// Two presses closer than this on one column edge are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(500);

/// What the table remembers across view rebuilds.
#[derive(Default)]
struct TableState {
    scroll: ScrollState,
    /// Widths the user gave columns by dragging or double-clicking.
    resized: Vec<Option<f32>>,
    /// A column edge being dragged.
    resizing: Option<Resize>,
    /// The last press on a column edge, to see a double click.
    last_edge_press: Option<(Instant, usize)>,
    /// The header cell a press went down on.
    header_press: Option<usize>,
    /// The row under the pointer.
    hover_row: Option<usize>,
    /// The row last brought into view by [`Table::keep_visible`], so it is
    /// brought into view again only when it changes.
    revealed: Option<usize>,
}

#[derive(Clone, Copy)]
struct Resize {
    column: usize,
    start_x: f32,
    start_width: f32,
}

mod events;
mod paint;

impl<'a, M: 'a> Widget<'a, M> for Table<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let natural_w: f32 = self.columns.iter().map(|c| c.width).sum();
        let natural_h = HEADER_HEIGHT + self.row_height * self.rows.min(10) as f32;
        let pick = |max: f32, natural: f32| if max.is_finite() { max } else { natural };
        let size = constraints.constrain(Size::new(
            pick(constraints.max.w, natural_w),
            pick(constraints.max.h, natural_h),
        ));
        let viewport = (size.h - HEADER_HEIGHT).max(0.0);
        self.scrollbar = Scrollbar::new(
            f64::from(self.row_height) * self.rows as f64,
            f64::from(viewport),
        );
        let state = cx.state::<TableState>();
        if self.keep_visible != state.revealed {
            if let Some(row) = self.keep_visible.filter(|r| *r < self.rows) {
                let h = f64::from(self.row_height);
                let (top, view) = (row as f64 * h, f64::from(viewport));
                let offset = state.scroll.offset;
                state.scroll.offset = if top < offset {
                    top
                } else if top + h > offset + view {
                    top + h - view
                } else {
                    offset
                };
            }
            state.revealed = self.keep_visible;
        }
        state.scroll.offset = self.scrollbar.clamp(state.scroll.offset);
        state.resized.resize(self.columns.len(), None);
        let resized = state.resized.clone();
        let gutter = if self.scrollbar.needed() { GUTTER } else { 0.0 };
        self.widths = column_widths(&self.columns, &resized, size.w - gutter);
        self.build_header(cx);
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        self.paint_table(cx, rect);
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        self.handle(cx, event, rect)
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.children
    }

    fn focusable(&self) -> bool {
        self.on_select.is_some() || self.on_sort.is_some()
    }

    fn clips_children(&self) -> bool {
        true
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "table"
    }
}

impl<'a, M: 'a> Table<'a, M> {
    /// A header cell per column, then a grip on each column's right edge
    /// (later children are hit first, so a grip wins over the cell under it).
    fn build_header(&mut self, cx: &mut LayoutCx<'_>) {
        let mut children = Vec::with_capacity(2 * self.columns.len());
        let mut x = 0.0;
        let mut edges = Vec::with_capacity(self.columns.len());
        for (index, (column, width)) in self.columns.iter().zip(&self.widths).enumerate() {
            let arrow = self.sort.filter(|(c, _)| *c == index).map(|(_, o)| o);
            let mut cell = Element::new(HeaderCell {
                title: column.title.clone(),
                arrow,
                sortable: self.on_sort.is_some(),
                layout: None,
            });
            cx.adopt(children.len(), &mut cell);
            cell.layout(cx, Constraints::tight(Size::new(*width, HEADER_HEIGHT)));
            cell.set_origin(Point::new(x, 0.0));
            children.push(cell);
            x += width;
            edges.push(x);
        }
        for edge in edges {
            let mut grip = Element::new(Grip);
            cx.adopt(children.len(), &mut grip);
            grip.layout(cx, Constraints::tight(Size::new(GRIP, HEADER_HEIGHT)));
            grip.set_origin(Point::new(edge - GRIP / 2.0, 0.0));
            children.push(grip);
        }
        self.children = children;
    }

    /// Where the rows are: under the header, left of the scrollbar.
    fn body(&self, rect: Rect) -> Rect {
        Rect::new(
            rect.x,
            rect.y + HEADER_HEIGHT,
            rect.w,
            (rect.h - HEADER_HEIGHT).max(0.0),
        )
    }

    /// The first row in view and one past the last, for scroll `offset`.
    fn visible_rows(&self, body: Rect, offset: f64) -> (usize, usize) {
        let h = f64::from(self.row_height);
        let first = (offset / h).floor().max(0.0) as usize;
        let last = ((offset + f64::from(body.h)) / h).ceil().max(0.0) as usize;
        (first.min(self.rows), last.min(self.rows))
    }

    /// The text style of a cell.
    fn cell_style(theme: &oneloop::Theme) -> TextStyle {
        TextStyle::new(theme.font_size)
    }

    /// The widest text of `column` among the rows in view and its title.
    fn fitted_width(&self, cx: &mut EventCx<'_, M>, column: usize, rect: Rect, offset: f64) -> f32 {
        let style = Self::cell_style(cx.theme());
        let bold = style.bold();
        let title = &self.columns[column].title;
        let mut widest = cx.text().measure(title, &bold).w + ARROW_ROOM;
        let (first, last) = self.visible_rows(self.body(rect), offset);
        for row in first..last {
            let text = (self.cell)(row, column);
            widest = widest.max(cx.text().measure(&text, &style).w);
        }
        (widest + 2.0 * CELL_PAD)
            .ceil()
            .max(self.columns[column].min_width)
    }
}

/// Each column's width: what the user gave it, else its own, at least its
/// minimum; the first fill column also takes what is left of `room`.
fn column_widths(columns: &[TableColumn<'_>], resized: &[Option<f32>], room: f32) -> Vec<f32> {
    let mut widths: Vec<f32> = columns
        .iter()
        .zip(resized)
        .map(|(c, r)| r.unwrap_or(c.width).max(c.min_width))
        .collect();
    let spare = room - widths.iter().sum::<f32>();
    if spare > 0.0 {
        if let Some(fill) = columns.iter().position(|c| c.fill) {
            widths[fill] += spare;
        }
    }
    widths
}

impl<'a, M: 'a> From<Table<'a, M>> for Element<'a, M> {
    fn from(table: Table<'a, M>) -> Self {
        Element::new(table)
    }
}

/// Keys that move the selection, as the new cursor row (`None`: not ours).
fn key_target(key: &KeyEvent, cursor: Option<usize>, rows: usize, page: usize) -> Option<usize> {
    if rows == 0 || key.state != ButtonState::Pressed {
        return None;
    }
    let last = rows - 1;
    let at = cursor.map(|c| c.min(last));
    let target = match (&key.key, at) {
        (Key::Named(NamedKey::ArrowDown), Some(c)) => (c + 1).min(last),
        (Key::Named(NamedKey::ArrowUp), Some(c)) => c.saturating_sub(1),
        (Key::Named(NamedKey::ArrowDown | NamedKey::ArrowUp | NamedKey::Home), None) => 0,
        (Key::Named(NamedKey::Home), _) => 0,
        (Key::Named(NamedKey::End), _) => last,
        (Key::Named(NamedKey::PageDown), c) => (c.unwrap_or(0) + page).min(last),
        (Key::Named(NamedKey::PageUp), c) => c.unwrap_or(0).saturating_sub(page),
        _ => return None,
    };
    Some(target)
}
