//! A virtualized list: any number of rows of one height, of which only the
//! ones on screen are built, laid out and painted.

use oneloop::render::{Color, Point, Rect, Size};
use oneloop::widget::{Constraints, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent};
use oneloop::Element;

use crate::scrollbar::{ScrollState, Scrollbar, GUTTER};

/// How many rows a list shows when its parent puts no limit on its height
/// (inside a scroll view), where showing every row would defeat the point.
const UNBOUNDED_ROWS: f32 = 10.0;

/// A builder of the row at an index.
type BuildRow<'a, M> = Box<dyn Fn(usize) -> Element<'a, M> + 'a>;

/// A scrolling list of `count` rows, each `row_height` tall, that asks for
/// rows only when they come into view: 100,000 rows cost what 20 do.
///
/// Rows are ordinary elements; selection is the app's business. A row
/// keeps its widget state (hover, a caret) by its index, however far the
/// list scrolls. The wheel, the scrollbar and PageUp/PageDown/Home/End
/// (while the list has focus) scroll it; other keys, such as the arrows,
/// go on to the app, which can move its selection and keep it in view with
/// [`List::keep_visible`].
#[must_use]
pub struct List<'a, M> {
    count: usize,
    row_height: f32,
    build: BuildRow<'a, M>,
    keep_visible: Option<usize>,
    striped: bool,
    flex: f32,
    /// The rows on screen, made during layout; the first is row `first`.
    rows: Vec<Element<'a, M>>,
    first: usize,
    bar: Scrollbar,
}

/// What a list remembers between views.
#[derive(Debug, Clone, Copy, Default)]
struct ListState {
    scroll: ScrollState,
    /// The row last brought into view, so it is brought into view again
    /// only when it changes and the wheel can still move away from it.
    revealed: Option<usize>,
}

fn scroll_part(state: &mut ListState) -> &mut ScrollState {
    &mut state.scroll
}

/// A list of `count` rows, each `row_height` logical pixels tall, whose
/// row `i` is `build(i)`. `build` is called only for rows on screen, while
/// the list is laid out. The list takes the spare room of a parent row or
/// column (flex 1).
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{label, list, row_item};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Open(usize) }
///
/// fn view<'a>(names: &'a [String], selected: Option<usize>) -> Element<'a, Msg> {
///     list(names.len(), 32.0, move |i| {
///         row_item(label(names[i].as_str()))
///             .selected(selected == Some(i))
///             .on_press(Msg::Open(i))
///             .into()
///     })
///     .keep_visible(selected)
///     .into()
/// }
/// ```
pub fn list<'a, M>(
    count: usize,
    row_height: f32,
    build: impl Fn(usize) -> Element<'a, M> + 'a,
) -> List<'a, M> {
    List {
        count,
        row_height: row_height.max(1.0),
        build: Box::new(build),
        keep_visible: None,
        striped: false,
        flex: 1.0,
        rows: Vec::new(),
        first: 0,
        bar: Scrollbar::default(),
    }
}

impl<M> List<'_, M> {
    /// Scroll just enough to show row `index` whenever it changes from one
    /// view to the next (pass the selected row, so keyboard navigation keeps
    /// it on screen). `None` leaves the scroll position alone.
    pub fn keep_visible(mut self, index: Option<usize>) -> Self {
        self.keep_visible = index;
        self
    }

    /// Shade every other row, to help the eye along wide rows.
    pub fn striped(mut self, striped: bool) -> Self {
        self.striped = striped;
        self
    }

    /// Share of a parent row's or column's spare room to take (default 1;
    /// 0 makes the list as tall as its rows, up to the room there is).
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }

    fn content_height(&self) -> f64 {
        self.count as f64 * f64::from(self.row_height)
    }

    /// The offset that shows all of row `index`, moving as little as
    /// possible from `offset`.
    fn reveal(&self, index: usize, offset: f64, viewport: f64) -> f64 {
        let index = index.min(self.count.saturating_sub(1));
        let top = index as f64 * f64::from(self.row_height);
        let bottom = top + f64::from(self.row_height);
        if top < offset {
            top
        } else if bottom > offset + viewport {
            bottom - viewport
        } else {
            offset
        }
    }
}

impl<'a, M: 'a> List<'a, M> {
    /// Build, lay out and place the rows between `offset` and
    /// `offset + height`, each `width` wide (or as wide as it likes when
    /// `width` is infinite). Returns the widest row.
    fn build_rows(&mut self, cx: &mut LayoutCx<'_>, offset: f64, height: f32, width: f32) -> f32 {
        let row_height = f64::from(self.row_height);
        let first = (offset / row_height).floor() as usize;
        let end = ((offset + f64::from(height)) / row_height).ceil() as usize;
        let end = end.min(self.count);
        self.first = first;
        self.rows.clear();
        let shift = offset.round();
        let constraints = Constraints {
            min: Size::new(if width.is_finite() { width } else { 0.0 }, 0.0),
            max: Size::new(width, self.row_height),
        };
        let mut widest: f32 = 0.0;
        for (slot, index) in (first..end).enumerate() {
            let mut row = Element::new(ListRow {
                key: index.to_string(),
                height: self.row_height,
                child: [(self.build)(index)],
            });
            cx.adopt(slot, &mut row);
            widest = widest.max(row.layout(cx, constraints).w);
            let y = (index as f64 * row_height - shift) as f32;
            row.set_origin(Point::new(0.0, y));
            self.rows.push(row);
        }
        widest
    }
}

impl<'a, M: 'a> Widget<'a, M> for List<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let mut state = *cx.state::<ListState>();
        let room = if constraints.max.h.is_finite() {
            constraints.max.h
        } else {
            UNBOUNDED_ROWS * self.row_height
        };
        let content = self.content_height();
        let height = constraints
            .constrain(Size::new(0.0, (content as f32).min(room)))
            .h;
        self.bar = Scrollbar::new(content, f64::from(height));
        if self.keep_visible != state.revealed {
            if let Some(index) = self.keep_visible.filter(|_| self.count > 0) {
                state.scroll.offset = self.reveal(index, state.scroll.offset, f64::from(height));
            }
            state.revealed = self.keep_visible;
        }
        state.scroll.offset = self.bar.clamp(state.scroll.offset);
        *cx.state::<ListState>() = state;

        let gutter = if self.bar.needed() { GUTTER } else { 0.0 };
        let width = constraints.max.w;
        let row_width = (width - gutter).max(0.0);
        let widest = self.build_rows(cx, state.scroll.offset, height, row_width);
        let width = if width.is_finite() {
            width
        } else {
            widest + gutter
        };
        constraints.constrain(Size::new(width, height))
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let stripe = mix(theme.surface, theme.surface_hover, 0.5);
        let painter = cx.painter();
        painter.fill_rect(rect, theme.surface);
        painter.push_clip(rect);
        if self.striped {
            for (slot, row) in self.rows.iter().enumerate() {
                // Rows stop short of the scrollbar, and so do the stripes.
                if (self.first + slot) % 2 == 1 {
                    painter.fill_rect(row.rect(), stripe);
                }
            }
        }
        for row in &self.rows {
            row.paint(cx);
        }
        cx.painter().pop_clip();
        let state = cx.state::<ListState>().scroll;
        self.bar.paint(cx, rect, &state);
        if cx.is_focused() {
            // Inside the edge: a list often fills its window, where a ring
            // outside it would not show. Square, like the list.
            cx.painter().stroke_rect(rect, 2.0, theme.focus);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        self.bar.handle(cx, event, rect, scroll_part)
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.rows
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.rows
    }

    fn focusable(&self) -> bool {
        true
    }

    fn clips_children(&self) -> bool {
        true
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "list"
    }
}

impl<'a, M: 'a> From<List<'a, M>> for Element<'a, M> {
    fn from(list: List<'a, M>) -> Self {
        Element::new(list)
    }
}

/// One row of a list: keyed by its index so its state follows the row, not
/// the slot on screen it happens to fill. Centers its child vertically.
struct ListRow<'a, M> {
    key: String,
    height: f32,
    child: [Element<'a, M>; 1],
}

impl<'a, M> Widget<'a, M> for ListRow<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let child = self.child[0].layout(cx, constraints);
        let y = ((self.height - child.h) / 2.0).max(0.0).round();
        self.child[0].set_origin(Point::new(0.0, y));
        Size::new(child.w, self.height)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        self.child[0].paint(cx);
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.child
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.child
    }

    fn key(&self) -> Option<&str> {
        Some(&self.key)
    }

    fn kind(&self) -> &'static str {
        "list-row"
    }
}

/// `a` moved `t` of the way towards `b`.
fn mix(a: Color, b: Color, t: f32) -> Color {
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color::rgba(m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), m(a.a, b.a))
}
