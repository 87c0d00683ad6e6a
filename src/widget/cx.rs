//! The state store and the contexts a widget sees while laying out,
//! painting and handling events.

use std::any::Any;
use std::collections::HashMap;

use super::{Element, WidgetId};
use crate::render::{Painter, TextEngine};
use crate::theme::Theme;

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
    pub(crate) window: crate::geometry::Size,
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

    /// The window's size: the room a popup may take.
    #[must_use]
    pub fn window_size(&self) -> crate::geometry::Size {
        self.window
    }

    /// This widget's own state (created with `Default` on first use).
    pub fn state<T: Default + 'static>(&mut self) -> &mut T {
        self.store.get_mut(self.current)
    }

    /// Lay out children under another theme (see `PaintCx::with_theme`).
    pub fn with_theme<R>(&mut self, theme: &Theme, f: impl FnOnce(&mut LayoutCx<'_>) -> R) -> R {
        let mut cx = LayoutCx {
            window: self.window,
            text: &mut *self.text,
            theme,
            store: &mut *self.store,
            current: self.current,
        };
        f(&mut cx)
    }

    /// Give `child`, built during this widget's layout (the rows of a
    /// virtualized list), the ids it will keep once the view is resolved.
    /// `index` is its place among this widget's children. Without this, a
    /// child's subtree would lay out with no id of its own and share state
    /// with every other child built that way.
    pub fn adopt<M>(&self, index: usize, child: &mut Element<'_, M>) {
        let id = self
            .current
            .child(index, child.key_str(), child.widget().kind());
        child.assign_ids(id);
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
    /// The hovered widget and its ancestors.
    pub(crate) hover_path: &'a [WidgetId],
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

    /// Whether the pointer is over this widget (and not over a child of it).
    #[must_use]
    pub fn is_hovered(&self) -> bool {
        self.hovered == Some(self.current)
    }

    /// Whether the pointer is over this widget or any widget inside it: a
    /// list row stays highlighted while the pointer is over its text.
    #[must_use]
    pub fn is_hovered_within(&self) -> bool {
        self.hover_path.contains(&self.current)
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

    /// Paint children under another theme: a dark panel in a light window.
    pub fn with_theme<R>(&mut self, theme: &Theme, f: impl FnOnce(&mut PaintCx<'_, 'p>) -> R) -> R {
        let mut cx = PaintCx {
            painter: &mut *self.painter,
            theme,
            store: &mut *self.store,
            current: self.current,
            focused: self.focused,
            hovered: self.hovered,
            hover_path: self.hover_path,
            pressed: self.pressed,
            animate: false,
            now: self.now,
        };
        let out = f(&mut cx);
        self.animate |= cx.animate;
        out
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
    pub(crate) timers: &'a mut WidgetTimers,
    pub(crate) modifiers: crate::input::Modifiers,
    pub(crate) now: std::time::Instant,
}

/// Timers widgets asked for, waiting for the loop to schedule them.
#[derive(Debug, Default)]
pub(crate) struct WidgetTimers {
    next: u64,
    pub(crate) requested: Vec<(WidgetId, super::WidgetTimer, std::time::Duration)>,
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

    /// The widget that has keyboard focus, if any: a container can tell
    /// whether a key came from one particular child (a split pane's divider).
    #[must_use]
    pub fn focused(&self) -> Option<WidgetId> {
        self.focused
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

    /// Get [`WidgetEvent::Timer`](super::WidgetEvent::Timer) with the
    /// returned name after `delay`, through the loop's timers (a tooltip
    /// waiting to show). A timer cannot be cancelled: compare the name and
    /// ignore one that is no longer wanted.
    pub fn start_timer(&mut self, delay: std::time::Duration) -> super::WidgetTimer {
        let timer = super::WidgetTimer(self.timers.next);
        self.timers.next += 1;
        self.timers.requested.push((self.current, timer, delay));
        timer
    }

    /// The modifier keys held now: Shift or Ctrl with a click.
    #[must_use]
    pub fn modifiers(&self) -> crate::input::Modifiers {
        self.modifiers
    }

    /// The loop clock's time of this event (virtual in tests): to tell a
    /// double click from two clicks.
    #[must_use]
    pub fn now(&self) -> std::time::Instant {
        self.now
    }

    /// The system clipboard (an in-memory one when there is no window).
    pub fn clipboard(&mut self) -> &mut dyn crate::clipboard::Clipboard {
        self.clipboard
    }
}
