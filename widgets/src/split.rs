//! A split pane: two panes side by side (or one above the other) with a
//! divider between them that the user drags to share the room. Each side
//! keeps a minimum size. The divider is a focus stop: while it has focus
//! the arrow keys move it, Home and End push it to either limit.

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, Element, Key, NamedKey, PointerButton};

use crate::tone::mix;

/// Which way the panes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Axis {
    /// Side by side, with an upright divider between them.
    #[default]
    Horizontal,
    /// One above the other, with a flat divider.
    Vertical,
}

/// Two panes and a draggable divider. The divider's place is widget state
/// (it survives view rebuilds); give the split a [`Element::key`] if its
/// place in the view changes.
#[must_use]
pub struct Split<'a, M> {
    /// First pane, divider, second pane.
    children: [Element<'a, M>; 3],
    axis: Axis,
    initial: f32,
    min: (f32, f32),
    flex: f32,
}

/// `first` and `second` side by side, the divider in the middle.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{label, split};
///
/// fn view<'a, M: 'a>() -> Element<'a, M> {
///     split(label("Files"), label("Preview")).initial(0.3).min_sizes(120.0, 200.0).into()
/// }
/// ```
pub fn split<'a, M: 'a>(
    first: impl Into<Element<'a, M>>,
    second: impl Into<Element<'a, M>>,
) -> Split<'a, M> {
    Split {
        children: [
            first.into(),
            Element::new(Divider {
                axis: Axis::Horizontal,
            }),
            second.into(),
        ],
        axis: Axis::Horizontal,
        initial: 0.5,
        min: (DEFAULT_MIN, DEFAULT_MIN),
        flex: 1.0,
    }
}

impl<'a, M: 'a> Split<'a, M> {
    /// Lay the panes out this way.
    pub fn axis(mut self, axis: Axis) -> Self {
        self.axis = axis;
        self.children[1] = Element::new(Divider { axis });
        self
    }

    /// One pane above the other.
    pub fn vertical(self) -> Self {
        self.axis(Axis::Vertical)
    }

    /// Where the divider starts, as a share (0..1) of the room, until the
    /// user moves it.
    pub fn initial(mut self, share: f32) -> Self {
        if share.is_finite() {
            self.initial = share.clamp(0.0, 1.0);
        }
        self
    }

    /// The least room, in logical pixels, the first and the second pane
    /// keep along the axis. When the split is too small for both, the
    /// first pane's minimum wins.
    pub fn min_sizes(mut self, first: f32, second: f32) -> Self {
        self.min = (first.max(0.0), second.max(0.0));
        self
    }

    /// Take this share of the spare room in a parent row or column (default 1).
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }
}

/// Where the user put the divider: its share of the room.
#[derive(Default)]
struct SplitState {
    share: Option<f32>,
    /// While dragging: where on the divider it was grabbed.
    grab: Option<f32>,
}

const DEFAULT_MIN: f32 = 40.0;
/// The divider's thickness: what the pointer can grab.
const DIVIDER: f32 = 6.0;
/// How far an arrow key moves the divider.
const KEY_STEP: f32 = 10.0;

impl<M> Split<'_, M> {
    /// Along-axis length and coordinate of `v`.
    fn along(&self, size: Size) -> f32 {
        match self.axis {
            Axis::Horizontal => size.w,
            Axis::Vertical => size.h,
        }
    }

    fn coordinate(&self, p: Point) -> f32 {
        match self.axis {
            Axis::Horizontal => p.x,
            Axis::Vertical => p.y,
        }
    }

    /// The first pane's length for `share` of `total`, within the minimums.
    fn first_len(&self, total: f32, share: f32) -> f32 {
        let room = (total - DIVIDER).max(0.0);
        let high = (room - self.min.1).max(0.0);
        (share * room).min(high).max(self.min.0.min(room))
    }

    fn share_for(&self, total: f32, first: f32) -> f32 {
        let room = (total - DIVIDER).max(0.0);
        if room <= 0.0 {
            return self.initial;
        }
        self.first_len(total, first / room) / room
    }

    fn move_to(&self, cx: &mut EventCx<'_, M>, rect: Rect, first: f32) {
        let total = self.along(rect.size());
        let share = self.share_for(total, first);
        let state = cx.state::<SplitState>();
        if state.share != Some(share) {
            state.share = Some(share);
            cx.request_layout();
        }
    }

    fn divider_focused(&self, cx: &EventCx<'_, M>) -> bool {
        cx.focused() == Some(self.children[1].id())
    }

    fn key(&self, cx: &mut EventCx<'_, M>, key: &Key, rect: Rect) -> Handled {
        let current = self.along(self.children[0].rect().size());
        let (back, on) = match self.axis {
            Axis::Horizontal => (NamedKey::ArrowLeft, NamedKey::ArrowRight),
            Axis::Vertical => (NamedKey::ArrowUp, NamedKey::ArrowDown),
        };
        let target = match key {
            Key::Named(k) if *k == back => current - KEY_STEP,
            Key::Named(k) if *k == on => current + KEY_STEP,
            Key::Named(NamedKey::Home) => 0.0,
            Key::Named(NamedKey::End) => f32::INFINITY,
            _ => return Handled::No,
        };
        let total = self.along(rect.size());
        self.move_to(cx, rect, target.min(total));
        Handled::Yes
    }
}

impl<'a, M: 'a> Widget<'a, M> for Split<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let finite = |max: f32, min: f32| if max.is_finite() { max } else { min.max(400.0) };
        let size = Size::new(
            finite(constraints.max.w, constraints.min.w),
            finite(constraints.max.h, constraints.min.h),
        );
        let total = self.along(size);
        let share = cx.state::<SplitState>().share.unwrap_or(self.initial);
        let first = self.first_len(total, share);
        let second = (total - first - DIVIDER).max(0.0);
        let lengths = [first, DIVIDER, second];
        let mut at = 0.0;
        let axis = self.axis;
        for (child, length) in self.children.iter_mut().zip(lengths) {
            let (piece, origin) = match axis {
                Axis::Horizontal => (Size::new(length, size.h), Point::new(at, 0.0)),
                Axis::Vertical => (Size::new(size.w, length), Point::new(0.0, at)),
            };
            child.layout(cx, Constraints::tight(piece));
            child.set_origin(origin);
            at += length;
        }
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        for child in &self.children {
            cx.painter().push_clip(child.rect());
            child.paint(cx);
            cx.painter().pop_clip();
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        let divider = self.children[1].rect();
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) if divider.contains(*at) => {
                let offset = self.coordinate(*at) - self.coordinate(divider.origin());
                cx.state::<SplitState>().grab = Some(offset);
                cx.capture_pointer();
                cx.request_repaint();
                Handled::Yes
            }
            WidgetEvent::PointerMove(at) => {
                let Some(grab) = cx.state::<SplitState>().grab else {
                    return Handled::No;
                };
                let first = self.coordinate(*at) - grab - self.coordinate(rect.origin());
                self.move_to(cx, rect, first);
                Handled::Yes
            }
            WidgetEvent::PointerUp(PointerButton::Primary, _) => {
                let state = cx.state::<SplitState>();
                if state.grab.take().is_none() {
                    return Handled::No;
                }
                cx.request_repaint();
                Handled::Yes
            }
            WidgetEvent::Key(key)
                if key.state == ButtonState::Pressed && self.divider_focused(cx) =>
            {
                self.key(cx, &key.key, rect)
            }
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.children
    }

    fn clips_children(&self) -> bool {
        true
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "split"
    }
}

/// The bar between the panes: shows the resize cursor and takes focus.
struct Divider {
    axis: Axis,
}

impl<M> Widget<'_, M> for Divider {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        constraints.max
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let active = cx.is_hovered() || cx.is_pressed();
        let focused = cx.is_focused();
        let color = if active || focused {
            mix(theme.border, theme.accent, 0.6)
        } else {
            theme.border
        };
        let line = match self.axis {
            Axis::Horizontal => {
                let w = if active { 3.0 } else { 1.0 };
                Rect::new((rect.center().x - w / 2.0).round(), rect.y, w, rect.h)
            }
            Axis::Vertical => {
                let h = if active { 3.0 } else { 1.0 };
                Rect::new(rect.x, (rect.center().y - h / 2.0).round(), rect.w, h)
            }
        };
        let painter = cx.painter();
        painter.fill_rect(line, color);
        if focused {
            // A grip in the middle says "this moves" and shows the focus.
            let grip = match self.axis {
                Axis::Horizontal => rect.center_size(Size::new(rect.w, 28.0)),
                Axis::Vertical => rect.center_size(Size::new(28.0, rect.h)),
            };
            painter.fill_rounded_rect(grip, 3.0, theme.focus);
        }
    }

    fn focusable(&self) -> bool {
        true
    }

    fn cursor(&self) -> Cursor {
        match self.axis {
            Axis::Horizontal => Cursor::ResizeColumn,
            Axis::Vertical => Cursor::ResizeRow,
        }
    }

    fn kind(&self) -> &'static str {
        "split_divider"
    }
}

impl<'a, M: 'a> From<Split<'a, M>> for Element<'a, M> {
    fn from(split: Split<'a, M>) -> Self {
        Element::new(split)
    }
}
