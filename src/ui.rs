//! The widget runtime: builds the app's view, lays it out, routes input to
//! widgets (hit testing, focus, hover, pointer capture) and paints it.
//!
//! Input goes to widgets first; what no widget uses reaches the app as
//! [`Event::Input`](crate::Event::Input). Messages widgets emit are queued in
//! the app lane like any other message.

use std::time::Instant;

use crate::clipboard::{Clipboard, MemoryClipboard};
use crate::geometry::{Point, Size};
use crate::input::{ButtonState, Input, Key, NamedKey};
use crate::render::{Painter, TextEngine};
use crate::theme::Theme;
use crate::widget::{
    Constraints, Cursor, Element, EventCx, Handled, LayoutCx, PaintCx, StateStore, Turn,
    WidgetEvent, WidgetId,
};

/// Widget state the loop keeps between views.
pub(crate) struct Ui {
    pub(crate) store: StateStore,
    pub(crate) text: TextEngine,
    pub(crate) clipboard: Box<dyn Clipboard>,
    pub(crate) size: Size,
    focus: Option<WidgetId>,
    hovered: Option<WidgetId>,
    /// The widget that took a button press; it gets moves and the release.
    pressed: Option<WidgetId>,
    pointer: Option<Point>,
    /// The cursor the hovered widget asks for.
    pub(crate) cursor: Cursor,
    /// A widget asked for animation frames during the last paint.
    pub(crate) animating: bool,
    /// Widget state changed: paint again.
    pub(crate) repaint: bool,
    /// The loop turn whose input is being routed.
    pub(crate) turn: Turn,
}

impl Ui {
    pub(crate) fn new(text: TextEngine) -> Self {
        Self {
            store: StateStore::default(),
            text,
            clipboard: Box::new(MemoryClipboard::default()),
            size: Size::new(800.0, 600.0),
            focus: None,
            hovered: None,
            pressed: None,
            pointer: None,
            cursor: Cursor::Default,
            animating: false,
            repaint: false,
            turn: Turn::default(),
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
    }

    /// Paint a prepared tree over the theme's background, then let `after`
    /// draw on top.
    pub(crate) fn paint<M>(
        &mut self,
        tree: &Element<'_, M>,
        theme: &Theme,
        pixmap: &mut tiny_skia::Pixmap,
        scale: f32,
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
            hovered: self.hovered,
            pressed: self.pressed,
            animate: false,
            now: Instant::now(),
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
                self.set_hovered(tree, theme, None, messages);
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
        let path = hit_path(tree, position);
        let hovered = if tree.rect().contains(position) {
            path_ids(tree, &path).last().copied()
        } else {
            None
        };
        self.set_hovered(tree, theme, hovered, messages);
        self.cursor = path_cursor(tree, &path);
        let event = WidgetEvent::PointerMove(position);
        if let Some(id) = self.pressed {
            if let Some(captured) = find_path(tree, id) {
                return self.deliver(tree, theme, &captured, &event, messages);
            }
        }
        self.bubble(tree, theme, &path, &event, messages).0
    }

    fn set_hovered<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        id: Option<WidgetId>,
        messages: &mut Vec<M>,
    ) {
        if self.hovered == id {
            return;
        }
        if let Some(old) = self.hovered.and_then(|old| find_path(tree, old)) {
            self.deliver(tree, theme, &old, &WidgetEvent::PointerLeave, messages);
        }
        self.hovered = id;
        if let Some(new) = id.and_then(|new| find_path(tree, new)) {
            self.deliver(tree, theme, &new, &WidgetEvent::PointerEnter, messages);
        }
        self.repaint = true;
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
        if let Some(old) = self.focus.and_then(|old| find_path(tree, old)) {
            self.deliver(tree, theme, &old, &WidgetEvent::FocusLost, messages);
        }
        self.focus = id;
        if let Some(new) = id.and_then(|new| find_path(tree, new)) {
            self.deliver(tree, theme, &new, &WidgetEvent::FocusGained, messages);
        }
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
            turn: self.turn,
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

fn collect_focusable<M>(element: &Element<'_, M>, out: &mut Vec<WidgetId>) {
    if element.widget().focusable() {
        out.push(element.id());
    }
    for child in element.widget().children() {
        collect_focusable(child, out);
    }
}

/// Every element whose label is `label`, as (id, rect) pairs in tree order.
pub(crate) fn find_labels<M>(
    element: &Element<'_, M>,
    label: &str,
    out: &mut Vec<crate::geometry::Rect>,
) {
    if element.widget().label() == Some(label) {
        out.push(element.rect());
    }
    for child in element.widget().children() {
        find_labels(child, label, out);
    }
}

/// Every label in the tree, in order: what a user can read on screen.
pub(crate) fn all_labels<M>(element: &Element<'_, M>, out: &mut Vec<String>) {
    if let Some(label) = element.widget().label() {
        out.push(label.to_owned());
    }
    for child in element.widget().children() {
        all_labels(child, out);
    }
}
