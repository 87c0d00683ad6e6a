//! What every widget needs: the [`Widget`] trait, layout constraints, the
//! contexts widgets see while laying out, painting and handling events, and
//! the state that survives a rebuilt view.
//!
//! A view is plain data rebuilt from the app's state (`App::view`) whenever
//! the app asked for a redraw. Widgets that need memory of their own — a
//! caret, a scroll offset, hover — keep it in the loop's state
//! store, keyed by the widget's place in the tree (or an explicit key), so it
//! survives rebuilds.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::geometry::{Point, Rect, Size};
use crate::input::{KeyEvent, PointerButton, ScrollDelta};

mod cx;

pub(crate) use cx::StateStore;
pub(crate) use cx::WidgetTimers;
pub use cx::{EventCx, LayoutCx, PaintCx};

/// Size limits a parent gives a child. `max` may be infinite along an axis
/// the parent can scroll or grow in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constraints {
    /// The smallest size the child may take.
    pub min: Size,
    /// The largest size the child may take.
    pub max: Size,
}

impl Constraints {
    /// Exactly `size`.
    #[must_use]
    pub fn tight(size: Size) -> Self {
        Self {
            min: size,
            max: size,
        }
    }

    /// Anything from zero up to `max`.
    #[must_use]
    pub fn loose(max: Size) -> Self {
        Self {
            min: Size::ZERO,
            max,
        }
    }

    /// `size` clamped into these limits.
    #[must_use]
    pub fn constrain(&self, size: Size) -> Size {
        Size::new(
            size.w.clamp(self.min.w, self.max.w.max(self.min.w)),
            size.h.clamp(self.min.h, self.max.h.max(self.min.h)),
        )
    }

    /// The same limits with `width` and `height` taken off (for padding).
    #[must_use]
    pub fn shrink(&self, width: f32, height: f32) -> Self {
        let less = |v: f32, d: f32| (v - d).max(0.0);
        Self {
            min: Size::new(less(self.min.w, width), less(self.min.h, height)),
            max: Size::new(less(self.max.w, width), less(self.max.h, height)),
        }
    }

    /// The same maximum with no minimum.
    #[must_use]
    pub fn loosen(&self) -> Self {
        Self::loose(self.max)
    }
}

/// The mouse cursor to show over a widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cursor {
    /// The arrow.
    #[default]
    Default,
    /// A hand: something clickable.
    Pointer,
    /// An I-beam: editable text.
    Text,
    /// A vertical resize / drag handle.
    Grab,
    /// A left-right resize arrow: a column edge, a vertical divider.
    ResizeColumn,
    /// An up-down resize arrow: a horizontal divider.
    ResizeRow,
}

/// Input as a widget sees it, in logical pixels of the window.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetEvent {
    /// The pointer moved over the widget (or anywhere, while it holds the pointer).
    PointerMove(Point),
    /// A button went down over the widget.
    PointerDown(PointerButton, Point),
    /// A button went up (delivered to the widget that got the press).
    PointerUp(PointerButton, Point),
    /// The wheel turned over the widget.
    Wheel(ScrollDelta, Point),
    /// A key, delivered to the focused widget and then its ancestors.
    Key(KeyEvent),
    /// The pointer entered the widget.
    PointerEnter,
    /// The pointer left the widget.
    PointerLeave,
    /// The widget got keyboard focus.
    FocusGained,
    /// The widget lost keyboard focus.
    FocusLost,
    /// The pointer came over this widget or something inside it (`true`),
    /// or left them all (`false`): sent to every widget whose
    /// [`PaintCx::is_hovered_within`] changed, containers included.
    HoverWithin(bool),
    /// The user dismissed the popup this event bubbles up from (Escape, a
    /// click outside it); see [`crate::popup`].
    Dismiss,
    /// A timer this widget started with [`EventCx::start_timer`] is due.
    Timer(WidgetTimer),
    /// A key nothing on the focus path used, offered to every widget in
    /// tree order until one takes it: accelerators such as Ctrl+O.
    Shortcut(KeyEvent),
}

/// Names a timer a widget started, to tell it from a stale one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WidgetTimer(pub(crate) u64);

/// Whether a widget used an event; unused events bubble to its parent, and
/// from the root to the app as [`Event::Input`](crate::Event::Input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// The widget used the event; it goes no further.
    Yes,
    /// The widget did not use the event.
    No,
}

/// Identifies a widget across view rebuilds: its place in the tree, or its
/// explicit key, hashed together with its parent's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct WidgetId(u64);

impl WidgetId {
    pub(crate) const ROOT: WidgetId = WidgetId(0x6f6e_656c_6f6f_7021);

    fn child(self, index: usize, key: Option<&str>, kind: &'static str) -> WidgetId {
        let mut h = DefaultHasher::new();
        self.0.hash(&mut h);
        match key {
            Some(key) => key.hash(&mut h),
            None => index.hash(&mut h),
        }
        kind.hash(&mut h);
        WidgetId(h.finish())
    }
}

/// A piece of UI: measures itself, paints itself, reacts to input.
///
/// `'a` is the lifetime of the app state the view borrows: a view is built by
/// `App::view(&self)` and dropped before the app is updated again.
///
/// Only [`Widget::layout`] is required. Containers also implement
/// `children`/`children_mut` and lay their children out through
/// [`Element::layout`] and [`Element::set_origin`].
pub trait Widget<'a, M> {
    /// Choose a size within `constraints`, laying out children (and placing
    /// them relative to this widget's top-left corner).
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size;

    /// Paint into `rect` (in window coordinates). Containers paint children
    /// with [`Element::paint`].
    fn paint(&self, _cx: &mut PaintCx<'_, '_>, _rect: Rect) {}

    /// React to an event. `rect` is where the widget is.
    fn event(&mut self, _cx: &mut EventCx<'_, M>, _event: &WidgetEvent, _rect: Rect) -> Handled {
        Handled::No
    }

    /// The children, for traversal (focus order, hit testing, lookups).
    fn children(&self) -> &[Element<'a, M>] {
        &[]
    }

    /// The children, mutably.
    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut []
    }

    /// Whether Tab can move focus here.
    fn focusable(&self) -> bool {
        false
    }

    /// The text a user reads on this widget, so tests can find it ("click Load").
    fn label(&self) -> Option<&str> {
        None
    }

    /// The cursor to show over this widget.
    fn cursor(&self) -> Cursor {
        Cursor::Default
    }

    /// A share of spare room along a row's or column's main axis; 0 takes none.
    fn flex(&self) -> f32 {
        0.0
    }

    /// A stable key that keeps this widget's state when its position changes.
    fn key(&self) -> Option<&str> {
        None
    }

    /// Whether this widget shows only the part of its children inside its
    /// own rect (a scroll view). Children outside it count as off screen for
    /// tests that look for labels; hit testing already ignores them, because
    /// it only descends into elements that contain the pointer.
    fn clips_children(&self) -> bool {
        false
    }

    /// How this widget takes part in the popup layer; only
    /// [`Popup`](crate::popup::Popup) answers.
    fn layer(&self) -> Option<&crate::popup::Layer> {
        None
    }

    /// A short name for logs and state keys.
    fn kind(&self) -> &'static str {
        std::any::type_name::<Self>()
    }
}

/// A widget with its place in the window.
pub struct Element<'a, M> {
    widget: Box<dyn Widget<'a, M> + 'a>,
    rect: Rect,
    id: WidgetId,
    key: Option<String>,
}

impl<'a, M> Element<'a, M> {
    /// Wrap a widget.
    pub fn new(widget: impl Widget<'a, M> + 'a) -> Self {
        Self {
            widget: Box::new(widget),
            rect: Rect::ZERO,
            id: WidgetId::default(),
            key: None,
        }
    }

    /// Give this element a stable key: its state follows the key rather
    /// than its position, and `cx.focus(key)` can focus it.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// This element's key: the one given with [`Element::key`], else the widget's own.
    #[must_use]
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_deref().or_else(|| self.widget.key())
    }

    /// This element's id (valid once the view was prepared by the UI).
    #[must_use]
    pub fn id(&self) -> WidgetId {
        self.id
    }

    /// Where this element is, in window coordinates, after layout.
    #[must_use]
    pub fn rect(&self) -> Rect {
        self.rect
    }

    /// The widget inside.
    #[must_use]
    pub fn widget(&self) -> &dyn Widget<'a, M> {
        &*self.widget
    }

    /// Lay this element out and remember its size. Its origin is relative to
    /// the parent until the UI resolves the tree.
    pub fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let outer = std::mem::replace(&mut cx.current, self.id);
        let size = constraints.constrain(self.widget.layout(cx, constraints));
        cx.current = outer;
        self.rect = Rect::new(self.rect.x, self.rect.y, size.w, size.h);
        size
    }

    /// Place this element relative to its parent's top-left corner.
    pub fn set_origin(&mut self, origin: Point) {
        self.rect.x = origin.x;
        self.rect.y = origin.y;
    }

    /// Paint this element.
    pub fn paint(&self, cx: &mut PaintCx<'_, '_>) {
        let outer = std::mem::replace(&mut cx.current, self.id);
        self.widget.paint(cx, self.rect);
        cx.current = outer;
    }

    /// Give every element in this subtree its id (from its place in the tree
    /// or its key) and its window position (from the parent's origin).
    pub(crate) fn resolve(&mut self, id: WidgetId, parent_origin: Point) {
        self.id = id;
        self.rect.x += parent_origin.x;
        self.rect.y += parent_origin.y;
        let origin = Point::new(self.rect.x, self.rect.y);
        for (index, child) in self.widget.children_mut().iter_mut().enumerate() {
            let child_id = id.child(index, child.key_str(), child.widget.kind());
            child.resolve(child_id, origin);
        }
    }

    /// Assign ids without moving anything (before the first layout).
    pub(crate) fn assign_ids(&mut self, id: WidgetId) {
        self.id = id;
        for (index, child) in self.widget.children_mut().iter_mut().enumerate() {
            let child_id = id.child(index, child.key_str(), child.widget.kind());
            child.assign_ids(child_id);
        }
    }

    /// Hand an event to this element's widget.
    pub(crate) fn handle(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent) -> Handled {
        let outer = std::mem::replace(&mut cx.current, self.id);
        let handled = self.widget.event(cx, event, self.rect);
        cx.current = outer;
        handled
    }

    /// Move this subtree by `dx`, `dy` (the UI places popups this way).
    pub(crate) fn translate(&mut self, dx: f32, dy: f32) {
        self.rect = self.rect.translate(dx, dy);
        for child in self.widget.children_mut() {
            child.translate(dx, dy);
        }
    }

    pub(crate) fn set_rect(&mut self, rect: Rect) {
        self.rect = rect;
    }

    pub(crate) fn widget_mut(&mut self) -> &mut dyn Widget<'a, M> {
        &mut *self.widget
    }
}

/// A widget that shows nothing and takes no room: the default view.
#[derive(Debug, Clone, Copy, Default)]
pub struct Empty;

impl<M> Widget<'_, M> for Empty {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        constraints.min
    }
}
