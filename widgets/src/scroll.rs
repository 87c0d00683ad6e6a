//! A vertical scroll view: one child as tall as it likes, shown through a
//! window the size the parent gives, with a scrollbar on the right.

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{Constraints, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent};
use oneloop::Element;

use crate::scrollbar::{ScrollState, Scrollbar, GUTTER};

/// A window onto a child taller than the room it gets.
///
/// The wheel, dragging the scrollbar's thumb, clicking its track, and
/// PageUp/PageDown/Home/End (from a focused widget inside) scroll it. The
/// position survives view rebuilds and is kept within the content when the
/// content shrinks.
#[must_use]
pub struct Scroll<'a, M> {
    child: [Element<'a, M>; 1],
    flex: f32,
    bar: Scrollbar,
}

/// What a scroll view remembers between views.
#[derive(Debug, Clone, Copy, Default)]
struct ScrollViewState {
    scroll: ScrollState,
    /// The content overflowed last time, so it was laid out beside a
    /// scrollbar: start from that guess to lay the child out only once.
    gutter: bool,
}

/// A scroll view around `child`. It takes the spare room of a parent row
/// or column (flex 1) and lays `child` out as wide as itself, with no limit
/// on its height.
pub fn scroll<'a, M>(child: impl Into<Element<'a, M>>) -> Scroll<'a, M> {
    Scroll {
        child: [child.into()],
        flex: 1.0,
        bar: Scrollbar::default(),
    }
}

impl<M> Scroll<'_, M> {
    /// Share of a parent row's or column's spare room to take (default 1;
    /// 0 makes the view as tall as its content, up to the room there is).
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }
}

fn scroll_part(state: &mut ScrollViewState) -> &mut ScrollState {
    &mut state.scroll
}

impl<'a, M> Scroll<'a, M> {
    /// Lay the child out `width` wide (less the gutter when `gutter`), or
    /// at its own width when the view has no width limit.
    fn layout_child(&mut self, cx: &mut LayoutCx<'_>, width: f32, gutter: bool) -> Size {
        let room = if gutter { GUTTER } else { 0.0 };
        let constraints = if width.is_finite() {
            let w = (width - room).max(0.0);
            Constraints {
                min: Size::new(w, 0.0),
                max: Size::new(w, f32::INFINITY),
            }
        } else {
            Constraints::loose(Size::new(f32::INFINITY, f32::INFINITY))
        };
        self.child[0].layout(cx, constraints)
    }
}

impl<'a, M> Widget<'a, M> for Scroll<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let mut state = *cx.state::<ScrollViewState>();
        let width = constraints.max.w;
        let overflows = |content: Size| content.h > constraints.max.h;
        let mut content = self.layout_child(cx, width, state.gutter);
        if overflows(content) != state.gutter {
            state.gutter = !state.gutter;
            content = self.layout_child(cx, width, state.gutter);
        }
        let gutter = if state.gutter { GUTTER } else { 0.0 };
        let size = constraints.constrain(Size::new(
            if width.is_finite() {
                width
            } else {
                content.w + gutter
            },
            content.h.min(constraints.max.h),
        ));
        self.bar = Scrollbar::new(f64::from(content.h), f64::from(size.h));
        state.scroll.offset = self.bar.clamp(state.scroll.offset);
        // Whole pixels keep text crisp; the exact offset stays in state.
        let shift = state.scroll.offset.round() as f32;
        self.child[0].set_origin(Point::new(0.0, -shift));
        *cx.state::<ScrollViewState>() = state;
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        cx.painter().push_clip(rect);
        self.child[0].paint(cx);
        cx.painter().pop_clip();
        let state = cx.state::<ScrollViewState>().scroll;
        self.bar.paint(cx, rect, &state);
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        self.bar.handle(cx, event, rect, scroll_part)
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.child
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.child
    }

    fn clips_children(&self) -> bool {
        true
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "scroll"
    }
}

impl<'a, M: 'a> From<Scroll<'a, M>> for Element<'a, M> {
    fn from(scroll: Scroll<'a, M>) -> Self {
        Element::new(scroll)
    }
}
