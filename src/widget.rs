//! What every widget needs: the [`Widget`] trait, layout constraints, the
//! contexts widgets see while laying out, painting and handling events, and
//! the state that survives a rebuilt view.
//!
//! A view is plain data rebuilt from the app's state (`App::view`) whenever
//! the app asked for a redraw. Widgets that need memory of their own — a
//! caret, a scroll offset, hover — keep it in the [`Ui`](crate::ui)'s state
//! store, keyed by the widget's place in the tree (or an explicit key), so it
//! survives rebuilds.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::geometry::{Point, Rect, Size};
use crate::input::{KeyEvent, PointerButton, ScrollDelta};
use crate::render::{Painter, TextEngine};
use crate::theme::Theme;

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
}

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

/// One pass of the loop over what is queued. A turn hands all of its input
/// to the widgets before the messages they emitted reach the app, so a widget
/// that edits data the app owns (a text field) compares turns to tell whether
/// the app has seen its latest message yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Turn(pub(crate) u64);

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
}

impl<'a, M> Element<'a, M> {
    /// Wrap a widget.
    pub fn new(widget: impl Widget<'a, M> + 'a) -> Self {
        Self {
            widget: Box::new(widget),
            rect: Rect::ZERO,
            id: WidgetId::default(),
        }
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
            let child_id = id.child(index, child.widget.key(), child.widget.kind());
            child.resolve(child_id, origin);
        }
    }

    /// Assign ids without moving anything (before the first layout).
    pub(crate) fn assign_ids(&mut self, id: WidgetId) {
        self.id = id;
        for (index, child) in self.widget.children_mut().iter_mut().enumerate() {
            let child_id = id.child(index, child.widget.key(), child.widget.kind());
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

    pub(crate) fn widget_mut(&mut self) -> &mut dyn Widget<'a, M> {
        &mut *self.widget
    }
}

/// Per-widget state that outlives view rebuilds.
#[derive(Default)]
pub(crate) struct StateStore {
    states: HashMap<WidgetId, (u64, Box<dyn Any>)>,
    generation: u64,
}

impl StateStore {
    pub(crate) fn get_mut<T: Default + 'static>(&mut self, id: WidgetId) -> &mut T {
        let generation = self.generation;
        let entry = self
            .states
            .entry(id)
            .or_insert_with(|| (generation, Box::new(T::default())));
        entry.0 = generation;
        if !entry.1.is::<T>() {
            // Another kind of widget now stands here: start it afresh.
            entry.1 = Box::new(T::default());
        }
        match entry.1.downcast_mut::<T>() {
            Some(state) => state,
            None => unreachable!("the state was just replaced by a T"),
        }
    }

    /// Start a new view generation; state untouched for a few generations
    /// belongs to widgets that are gone and is dropped.
    pub(crate) fn next_generation(&mut self) {
        self.generation += 1;
        if self.states.len() > 64 {
            let keep_after = self.generation.saturating_sub(3);
            self.states.retain(|_, (seen, _)| *seen >= keep_after);
        }
    }
}

/// What a widget sees while laying out.
pub struct LayoutCx<'a> {
    pub(crate) text: &'a mut TextEngine,
    pub(crate) theme: &'a Theme,
    pub(crate) store: &'a mut StateStore,
    pub(crate) current: WidgetId,
}

impl LayoutCx<'_> {
    /// The text engine, to measure text.
    pub fn text(&mut self) -> &mut TextEngine {
        self.text
    }

    /// The theme in force.
    #[must_use]
    pub fn theme(&self) -> &Theme {
        self.theme
    }

    /// This widget's own state (created with `Default` on first use).
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        self.store.get_mut(self.current)
    }
}

/// What a widget sees while painting.
pub struct PaintCx<'a, 'p> {
    pub(crate) painter: &'a mut Painter<'p>,
    pub(crate) theme: &'a Theme,
    pub(crate) store: &'a mut StateStore,
    pub(crate) current: WidgetId,
    pub(crate) focused: Option<WidgetId>,
    pub(crate) hovered: Option<WidgetId>,
    pub(crate) pressed: Option<WidgetId>,
    pub(crate) animate: bool,
    pub(crate) now: std::time::Instant,
}

impl<'p> PaintCx<'_, 'p> {
    /// The painter, in logical pixels.
    pub fn painter(&mut self) -> &mut Painter<'p> {
        self.painter
    }

    /// The theme in force.
    #[must_use]
    pub fn theme(&self) -> &Theme {
        self.theme
    }

    /// This widget's own state.
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        self.store.get_mut(self.current)
    }

    /// Whether this widget has keyboard focus (draw a focus ring).
    #[must_use]
    pub fn is_focused(&self) -> bool {
        self.focused == Some(self.current)
    }

    /// Whether the pointer is over this widget.
    #[must_use]
    pub fn is_hovered(&self) -> bool {
        self.hovered == Some(self.current)
    }

    /// Whether a button was pressed on this widget and not yet released.
    #[must_use]
    pub fn is_pressed(&self) -> bool {
        self.pressed == Some(self.current)
    }

    /// Ask for another frame soon: for animations such as a spinner.
    pub fn animate(&mut self) {
        self.animate = true;
    }

    /// The time this frame is painted at, for animations.
    #[must_use]
    pub fn now(&self) -> std::time::Instant {
        self.now
    }
}

/// What a widget can do while handling an event.
pub struct EventCx<'a, M> {
    pub(crate) text: &'a mut TextEngine,
    pub(crate) theme: &'a Theme,
    pub(crate) store: &'a mut StateStore,
    pub(crate) current: WidgetId,
    pub(crate) messages: &'a mut Vec<M>,
    pub(crate) focused: Option<WidgetId>,
    pub(crate) focus_request: Option<Option<WidgetId>>,
    pub(crate) capture: Option<Option<WidgetId>>,
    pub(crate) repaint: bool,
    pub(crate) relayout: bool,
    pub(crate) clipboard: &'a mut dyn crate::clipboard::Clipboard,
    pub(crate) turn: Turn,
}

impl<M> EventCx<'_, M> {
    /// Send a message to the app; it arrives as [`Event::App`](crate::Event::App).
    pub fn emit(&mut self, msg: M) {
        self.messages.push(msg);
    }

    /// This widget's own state.
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        self.store.get_mut(self.current)
    }

    /// Whether this widget has keyboard focus.
    #[must_use]
    pub fn is_focused(&self) -> bool {
        self.focused == Some(self.current)
    }

    /// Take keyboard focus.
    pub fn request_focus(&mut self) {
        self.focus_request = Some(Some(self.current));
    }

    /// Give keyboard focus up.
    pub fn release_focus(&mut self) {
        if self.is_focused() {
            self.focus_request = Some(None);
        }
    }

    /// Receive pointer moves and the release even outside this widget (drags).
    pub fn capture_pointer(&mut self) {
        self.capture = Some(Some(self.current));
    }

    /// Stop receiving pointer events outside this widget.
    pub fn release_pointer(&mut self) {
        self.capture = Some(None);
    }

    /// Something this widget shows changed (its own state): paint again.
    pub fn request_repaint(&mut self) {
        self.repaint = true;
    }

    /// This widget's size may have changed: lay out again, then paint.
    pub fn request_layout(&mut self) {
        self.relayout = true;
        self.repaint = true;
    }

    /// The text engine, to hit-test text.
    pub fn text(&mut self) -> &mut TextEngine {
        self.text
    }

    /// The theme in force.
    #[must_use]
    pub fn theme(&self) -> &Theme {
        self.theme
    }

    /// The system clipboard (an in-memory one when there is no window).
    pub fn clipboard(&mut self) -> &mut dyn crate::clipboard::Clipboard {
        self.clipboard
    }

    /// The loop turn this event is handled in. Messages emitted now reach
    /// the app only after the rest of this turn's input, so until the turn
    /// changes the view still shows the app's state from before them.
    #[must_use]
    pub fn turn(&self) -> Turn {
        self.turn
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
