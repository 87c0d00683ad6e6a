//! The widget runtime: builds the app's view, lays it out, routes input to
//! widgets (hit testing, focus, hover, pointer capture) and paints it.
//!
//! Input goes to widgets first; what no widget uses reaches the app as
//! [`Event::Input`](crate::Event::Input). Messages widgets emit are queued in
//! the app lane like any other message.

use std::time::Instant;

use crate::clipboard::{Clipboard, MemoryClipboard};
use crate::geometry::{Point, Rect, Size};
use crate::input::{ButtonState, Input, Key, Modifiers, NamedKey};
use crate::render::{Painter, TextEngine};
use crate::theme::Theme;
use crate::widget::{
    Constraints, Cursor, Element, EventCx, Handled, LayoutCx, PaintCx, StateStore, WidgetEvent,
    WidgetId,
};

/// Widget state the loop keeps between views.
pub(crate) struct Ui {
    pub(crate) store: StateStore,
    pub(crate) text: TextEngine,
    pub(crate) clipboard: Box<dyn Clipboard>,
    pub(crate) size: Size,
    focus: Option<WidgetId>,
    /// The widget under the pointer and its ancestors, root first.
    hover_path: Vec<WidgetId>,
    /// The widget that took a button press; it gets moves and the release.
    pressed: Option<WidgetId>,
    pointer: Option<Point>,
    /// The cursor the hovered widget asks for.
    pub(crate) cursor: Cursor,
    /// A widget asked for animation frames during the last paint.
    pub(crate) animating: bool,
    /// Widget state changed: paint again.
    pub(crate) repaint: bool,
    /// Focus asked for by key, applied when the next view is prepared.
    focus_key: Option<String>,
    /// The modifier keys held, as the window system last reported them.
    pub(crate) modifiers: Modifiers,
    /// The loop clock's time of the input being routed (double clicks).
    pub(crate) now: Instant,
}

impl Ui {
    pub(crate) fn new(text: TextEngine) -> Self {
        Self {
            store: StateStore::default(),
            text,
            clipboard: Box::new(MemoryClipboard::default()),
            size: Size::new(800.0, 600.0),
            focus: None,
            hover_path: Vec::new(),
            pressed: None,
            pointer: None,
            cursor: Cursor::Default,
            animating: false,
            repaint: false,
            focus_key: None,
            modifiers: Modifiers::default(),
            now: Instant::now(),
        }
    }

    /// Give the tree ids, sizes and window positions.
    pub(crate) fn prepare<M>(&mut self, tree: &mut Element<'_, M>, theme: &Theme) {
        self.store.next_generation();
        tree.assign_ids(WidgetId::ROOT);
        let mut cx = LayoutCx {
            text: &mut self.text,
            theme,
            store: &mut self.store,
            current: WidgetId::ROOT,
        };
        tree.layout(&mut cx, Constraints::tight(self.size));
        tree.set_origin(Point::new(0.0, 0.0));
        tree.resolve(WidgetId::ROOT, Point::new(0.0, 0.0));
        if let Some(key) = self.focus_key.take() {
            match find_key(tree, &key) {
                Some(id) => {
                    self.focus = Some(id);
                    self.repaint = true;
                }
                None => tracing::debug!(key, "no widget with this key to focus"),
            }
        }
    }

    /// Focus the widget with `key` when the next view is prepared.
    pub(crate) fn focus_key(&mut self, key: String) {
        self.focus_key = Some(key);
    }

    /// Paint a prepared tree over the theme's background, then let `after`
    /// draw on top. `now` is the loop clock's time, so animations follow a
    /// virtual clock in tests.
    pub(crate) fn paint<M>(
        &mut self,
        tree: &Element<'_, M>,
        theme: &Theme,
        pixmap: &mut tiny_skia::Pixmap,
        scale: f32,
        now: Instant,
        after: impl FnOnce(&mut Painter<'_>),
    ) {
        let mut painter = Painter::new(pixmap, &mut self.text, scale);
        painter.clear(theme.background);
        let mut cx = PaintCx {
            painter: &mut painter,
            theme,
            store: &mut self.store,
            current: WidgetId::ROOT,
            focused: self.focus,
            hovered: self.hover_path.last().copied(),
            hover_path: &self.hover_path,
            pressed: self.pressed,
            animate: false,
            now,
        };
        tree.paint(&mut cx);
        let animate = cx.animate;
        after(&mut painter);
        self.animating = animate;
    }

    /// Offer `input` to the widgets of a prepared tree. Messages they emit are
    /// pushed onto `messages`.
    pub(crate) fn route<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        input: &Input,
        messages: &mut Vec<M>,
    ) -> Handled {
        match input {
            Input::PointerMoved { position } => {
                self.pointer_moved(tree, theme, *position, messages)
            }
            Input::PointerLeft => {
                self.pointer = None;
                self.set_hovered(tree, theme, Vec::new(), messages);
                Handled::No
            }
            Input::PointerButton {
                button,
                state: ButtonState::Pressed,
                position,
            } => {
                let path = hit_path(tree, *position);
                let focus_target = path_ids(tree, &path)
                    .into_iter()
                    .zip(path_focusable(tree, &path))
                    .rev()
                    .find(|(_, focusable)| *focusable)
                    .map(|(id, _)| id);
                self.set_focus(tree, theme, focus_target, messages);
                let event = WidgetEvent::PointerDown(*button, *position);
                let (handled, by) = self.bubble(tree, theme, &path, &event, messages);
                if handled == Handled::Yes {
                    self.pressed = by;
                    self.repaint = true;
                }
                handled
            }
            Input::PointerButton {
                button,
                state: ButtonState::Released,
                position,
            } => {
                let event = WidgetEvent::PointerUp(*button, *position);
                match self.pressed.take() {
                    Some(id) => {
                        self.repaint = true;
                        match find_path(tree, id) {
                            Some(path) => self.deliver(tree, theme, &path, &event, messages),
                            None => Handled::No,
                        }
                    }
                    None => {
                        let path = hit_path(tree, *position);
                        self.bubble(tree, theme, &path, &event, messages).0
                    }
                }
            }
            Input::Wheel { delta, position } => {
                let path = hit_path(tree, *position);
                let event = WidgetEvent::Wheel(*delta, *position);
                self.bubble(tree, theme, &path, &event, messages).0
            }
            Input::Key(key) => {
                let path = self
                    .focus
                    .and_then(|id| find_path(tree, id))
                    .unwrap_or_default();
                let event = WidgetEvent::Key(key.clone());
                let (handled, _) = self.bubble(tree, theme, &path, &event, messages);
                if handled == Handled::No
                    && key.state == ButtonState::Pressed
                    && key.key == Key::Named(NamedKey::Tab)
                {
                    self.move_focus(tree, theme, !key.modifiers.shift, messages);
                    return Handled::Yes;
                }
                handled
            }
            Input::Focused(false) => {
                self.pressed = None;
                Handled::No
            }
            _ => Handled::No,
        }
    }

    fn pointer_moved<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        position: Point,
        messages: &mut Vec<M>,
    ) -> Handled {
        self.pointer = Some(position);
        let path = self.hover_at(tree, theme, position, messages);
        let event = WidgetEvent::PointerMove(position);
        if let Some(id) = self.pressed {
            if let Some(captured) = find_path(tree, id) {
                return self.deliver(tree, theme, &captured, &event, messages);
            }
        }
        self.bubble(tree, theme, &path, &event, messages).0
    }

    /// Find what is under the pointer at `position`: update hover and the
    /// cursor, and return the hit path.
    fn hover_at<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        position: Point,
        messages: &mut Vec<M>,
    ) -> Vec<usize> {
        let path = hit_path(tree, position);
        let hover_path = if tree.rect().contains(position) {
            path_ids(tree, &path)
        } else {
            Vec::new()
        };
        self.set_hovered(tree, theme, hover_path, messages);
        self.cursor = path_cursor(tree, &path);
        path
    }

    fn set_hovered<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        hover_path: Vec<WidgetId>,
        messages: &mut Vec<M>,
    ) {
        if self.hover_path == hover_path {
            return;
        }
        let old = self.hover_path.last().copied();
        let new = hover_path.last().copied();
        // Set first: a handler below that moves things re-checks hover, and
        // must then find it already up to date.
        self.hover_path = hover_path;
        self.repaint = true;
        if old != new {
            let events = (WidgetEvent::PointerLeave, WidgetEvent::PointerEnter);
            self.hand_over(tree, theme, (old, new), &events, messages);
        }
    }

    /// Tell `from` it lost something (`events.0`) and `to` it gained it (`events.1`).
    fn hand_over<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        (from, to): (Option<WidgetId>, Option<WidgetId>),
        events: &(WidgetEvent, WidgetEvent),
        messages: &mut Vec<M>,
    ) {
        if let Some(path) = from.and_then(|id| find_path(tree, id)) {
            self.deliver(tree, theme, &path, &events.0, messages);
        }
        if let Some(path) = to.and_then(|id| find_path(tree, id)) {
            self.deliver(tree, theme, &path, &events.1, messages);
        }
    }

    fn set_focus<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        id: Option<WidgetId>,
        messages: &mut Vec<M>,
    ) {
        if self.focus == id {
            return;
        }
        let old = std::mem::replace(&mut self.focus, id);
        let events = (WidgetEvent::FocusLost, WidgetEvent::FocusGained);
        self.hand_over(tree, theme, (old, id), &events, messages);
        self.repaint = true;
    }

    /// Tab order is tree order over focusable widgets.
    fn move_focus<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        forward: bool,
        messages: &mut Vec<M>,
    ) {
        let mut order = Vec::new();
        collect_focusable(tree, &mut order);
        if order.is_empty() {
            return;
        }
        let current = self
            .focus
            .and_then(|f| order.iter().position(|id| *id == f));
        let next = match (current, forward) {
            (None, true) => 0,
            (None, false) => order.len() - 1,
            (Some(i), true) => (i + 1) % order.len(),
            (Some(i), false) => (i + order.len() - 1) % order.len(),
        };
        self.set_focus(tree, theme, Some(order[next]), messages);
    }

    /// Offer `event` to the deepest element of `path`, then to each ancestor
    /// until one uses it. Returns who used it.
    fn bubble<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        path: &[usize],
        event: &WidgetEvent,
        messages: &mut Vec<M>,
    ) -> (Handled, Option<WidgetId>) {
        for depth in (0..=path.len()).rev() {
            if self.deliver(tree, theme, &path[..depth], event, messages) == Handled::Yes {
                let id = element_at(tree, &path[..depth]).map(Element::id);
                return (Handled::Yes, id);
            }
        }
        (Handled::No, None)
    }

    /// Hand `event` to the element at `path`, applying what it asked for.
    fn deliver<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        path: &[usize],
        event: &WidgetEvent,
        messages: &mut Vec<M>,
    ) -> Handled {
        let Some(element) = element_at_mut(tree, path) else {
            return Handled::No;
        };
        let mut cx = EventCx {
            text: &mut self.text,
            theme,
            store: &mut self.store,
            current: element.id(),
            messages,
            focused: self.focus,
            focus_request: None,
            capture: None,
            repaint: false,
            relayout: false,
            clipboard: &mut *self.clipboard,
            modifiers: self.modifiers,
            now: self.now,
        };
        let handled = element.handle(&mut cx, event);
        let (focus_request, capture, repaint, relayout) =
            (cx.focus_request, cx.capture, cx.repaint, cx.relayout);
        self.repaint |= repaint || relayout;
        if let Some(capture) = capture {
            self.pressed = capture;
        }
        if let Some(target) = focus_request {
            self.set_focus(tree, theme, target, messages);
        }
        if relayout {
            self.prepare(tree, theme);
            // Content moved under a still pointer (a scroll): hover follows
            // what is now under it, as it would after a pointer move.
            if let Some(position) = self.pointer {
                self.hover_at(tree, theme, position, messages);
            }
        }
        handled
    }
}

/// Indices from the root to the deepest element containing `point`.
fn hit_path<M>(root: &Element<'_, M>, point: Point) -> Vec<usize> {
    let mut path = Vec::new();
    let mut element = root;
    'descend: loop {
        for (index, child) in element.widget().children().iter().enumerate().rev() {
            if child.rect().contains(point) {
                path.push(index);
                element = child;
                continue 'descend;
            }
        }
        return path;
    }
}

/// Indices from the root to the element with `id`.
fn find_path<M>(root: &Element<'_, M>, id: WidgetId) -> Option<Vec<usize>> {
    if root.id() == id {
        return Some(Vec::new());
    }
    for (index, child) in root.widget().children().iter().enumerate() {
        if let Some(mut rest) = find_path(child, id) {
            rest.insert(0, index);
            return Some(rest);
        }
    }
    None
}

fn element_at<'t, 'a, M>(root: &'t Element<'a, M>, path: &[usize]) -> Option<&'t Element<'a, M>> {
    let mut element = root;
    for &index in path {
        element = element.widget().children().get(index)?;
    }
    Some(element)
}

fn element_at_mut<'t, 'a, M>(
    root: &'t mut Element<'a, M>,
    path: &[usize],
) -> Option<&'t mut Element<'a, M>> {
    let mut element = root;
    for &index in path {
        element = element.widget_mut().children_mut().get_mut(index)?;
    }
    Some(element)
}

/// The ids along a path, root first.
fn path_ids<M>(root: &Element<'_, M>, path: &[usize]) -> Vec<WidgetId> {
    (0..=path.len())
        .filter_map(|depth| element_at(root, &path[..depth]).map(Element::id))
        .collect()
}

fn path_focusable<M>(root: &Element<'_, M>, path: &[usize]) -> Vec<bool> {
    (0..=path.len())
        .filter_map(|depth| element_at(root, &path[..depth]).map(|e| e.widget().focusable()))
        .collect()
}

/// The cursor of the deepest element on the path that asks for one.
fn path_cursor<M>(root: &Element<'_, M>, path: &[usize]) -> Cursor {
    (0..=path.len())
        .rev()
        .filter_map(|depth| element_at(root, &path[..depth]).map(|e| e.widget().cursor()))
        .find(|c| *c != Cursor::Default)
        .unwrap_or_default()
}

fn find_key<M>(element: &Element<'_, M>, key: &str) -> Option<WidgetId> {
    if element.key_str() == Some(key) {
        return Some(element.id());
    }
    element
        .widget()
        .children()
        .iter()
        .find_map(|child| find_key(child, key))
}

fn collect_focusable<M>(element: &Element<'_, M>, out: &mut Vec<WidgetId>) {
    if element.widget().focusable() {
        out.push(element.id());
    }
    for child in element.widget().children() {
        collect_focusable(child, out);
    }
}

/// Every element on screen whose label is `label`, in tree order, with the
/// part of its rect that no clipping ancestor cuts away.
pub(crate) fn find_labels<M>(root: &Element<'_, M>, label: &str, out: &mut Vec<Rect>) {
    visit_visible(root, None, &mut |element, visible| {
        if element.widget().label() == Some(label) {
            out.push(visible);
        }
    });
}

/// Every label on screen, in tree order: what a user can read.
pub(crate) fn all_labels<M>(root: &Element<'_, M>, out: &mut Vec<String>) {
    visit_visible(root, None, &mut |element, _| {
        if let Some(label) = element.widget().label() {
            out.push(label.to_owned());
        }
    });
}

/// Call `f` with each element in the tree that a clipping ancestor (one
/// that [clips its children](crate::Widget::clips_children)) does not hide
/// entirely, together with its visible part.
fn visit_visible<'t, 'a, M>(
    element: &'t Element<'a, M>,
    clip: Option<Rect>,
    f: &mut impl FnMut(&'t Element<'a, M>, Rect),
) {
    let rect = element.rect();
    let visible = match clip {
        None => Some(rect),
        // A widget with no area (a label with no text) counts as shown
        // while its position is inside the clip.
        Some(clip) if rect.is_empty() => clip.contains(rect.origin()).then_some(rect),
        Some(clip) => rect.intersect(&clip),
    };
    let clips = element.widget().clips_children();
    match visible {
        Some(visible) => f(element, visible),
        // Everything inside a hidden clipping widget is hidden too.
        None if clips => return,
        // Children may overflow a parent that does not clip them.
        None => {}
    }
    let inner = if clips { visible } else { clip };
    for child in element.widget().children() {
        visit_visible(child, inner, f);
    }
}
