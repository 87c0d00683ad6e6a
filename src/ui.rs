//! The widget runtime: builds the app's view, lays it out, routes input to
//! widgets (hit testing, focus, hover, pointer capture) and paints it.
//!
//! Input goes to widgets first; what no widget uses reaches the app as
//! [`Event::Input`](crate::Event::Input). Messages widgets emit are queued in
//! the app lane like any other message.

mod layer;

use std::time::Instant;

use crate::clipboard::{Clipboard, MemoryClipboard};
use crate::geometry::{Point, Rect, Size};
use crate::input::{ButtonState, Input, Key, Modifiers, NamedKey};
use crate::render::damage::damage;
use crate::render::glyph_cache::ClipBox;
use crate::render::painter::DisplayList;
use crate::render::{Painter, TextEngine};
use crate::theme::Theme;
use crate::widget::{
    Constraints, Cursor, Element, EventCx, Handled, LayoutCx, PaintCx, StateStore, WidgetEvent,
    WidgetId, WidgetTimer, WidgetTimers,
};

use self::layer::{LayerHit, OpenLayer};

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
    /// The open popups of the prepared view, bottom first.
    layers: Vec<OpenLayer>,
    /// Timers widgets started, for the loop to schedule.
    pub(crate) timers: WidgetTimers,
    /// A press closed a popup or met an inert view: its release goes nowhere.
    swallow_release: bool,
    /// The last frame painted, as commands, to find what the next one changes.
    last_frame: Option<LastFrame>,
    /// The modifier keys held, as the window system last reported them.
    pub(crate) modifiers: Modifiers,
    /// The loop clock's time of the input being routed (double clicks).
    pub(crate) now: Instant,
}

/// What the previous frame drew, and at what size.
struct LastFrame {
    list: DisplayList,
    width: u32,
    height: u32,
    scale: f32,
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
            layers: Vec::new(),
            timers: WidgetTimers::default(),
            swallow_release: false,
            last_frame: None,
            modifiers: Modifiers::default(),
            now: Instant::now(),
        }
    }

    /// Give the tree ids, sizes and window positions.
    pub(crate) fn prepare<M>(&mut self, tree: &mut Element<'_, M>, theme: &Theme) {
        self.store.next_generation();
        tree.assign_ids(WidgetId::ROOT);
        let mut cx = LayoutCx {
            window: self.size,
            text: &mut self.text,
            theme,
            store: &mut self.store,
            current: WidgetId::ROOT,
        };
        tree.layout(&mut cx, Constraints::tight(self.size));
        tree.set_origin(Point::new(0.0, 0.0));
        tree.resolve(WidgetId::ROOT, Point::new(0.0, 0.0));
        self.layers = layer::place_layers(tree, self.size);
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
    ///
    /// The frame is recorded first and compared with the previous one, which
    /// `pixmap` must still hold (see [`Ui::forget_last_frame`]): only the
    /// regions that differ are repainted. Returns those regions in physical pixels:
    /// empty when nothing changed, the whole frame when it was painted whole.
    pub(crate) fn paint<M>(
        &mut self,
        tree: &Element<'_, M>,
        theme: &Theme,
        pixmap: &mut tiny_skia::Pixmap,
        scale: f32,
        now: Instant,
        after: impl FnOnce(&mut Painter<'_>),
    ) -> Vec<ClipBox> {
        let (width, height) = (pixmap.width(), pixmap.height());
        let whole = ClipBox {
            x0: 0,
            y0: 0,
            x1: width as i32,
            y1: height as i32,
        };
        let mut painter = Painter::recording(pixmap, &mut self.text, scale);
        self.animating = paint_tree(
            &mut painter,
            tree,
            &self.layers,
            theme,
            &mut self.store,
            now,
            self.focus,
            &self.hover_path,
            self.pressed,
        );
        after(&mut painter);
        let Some(list) = painter.finish_recording() else {
            // Drawn straight to the pixels: whole, and not comparable.
            self.last_frame = None;
            return vec![whole];
        };
        // Forgotten until the repaint is done: a repaint cut short by a
        // panic leaves pixels no list describes.
        let regions = match &self.last_frame.take() {
            Some(last)
                if (last.width, last.height) == (width, height)
                    && last.scale.to_bits() == scale.to_bits() =>
            {
                damage(&last.list, &list, width, height)
            }
            _ => vec![whole],
        };
        for region in &regions {
            self.repaint(&list, pixmap, scale, *region);
        }
        self.last_frame = Some(LastFrame {
            list,
            width,
            height,
            scale,
        });
        regions
    }
}

impl Ui {
    /// The next frame is painted whole: the pixels of the last one are gone
    /// (a new pixmap, a window buffer of unknown content).
    pub(crate) fn forget_last_frame(&mut self) {
        self.last_frame = None;
    }

    /// The last frame painted again, whole, into a new `width`×`height`
    /// pixmap: what a partial repaint must have produced. `None` when there
    /// is no recorded frame of that size.
    pub(crate) fn paint_last_frame_whole(
        &mut self,
        width: u32,
        height: u32,
        scale: f32,
    ) -> Option<tiny_skia::Pixmap> {
        let last = self.last_frame.as_ref()?;
        if (last.width, last.height) != (width, height) {
            return None;
        }
        let mut pixmap = tiny_skia::Pixmap::new(width, height)?;
        Painter::new(&mut pixmap, &mut self.text, scale).replay(&last.list);
        Some(pixmap)
    }

    /// Paints `region` of the frame `list` describes into `pixmap`. A part
    /// is painted into a pixmap of its own and copied in, so that no clip
    /// mask is needed at its edges: shapes come out exactly as they do when
    /// the frame is painted whole.
    fn repaint(
        &mut self,
        list: &DisplayList,
        pixmap: &mut tiny_skia::Pixmap,
        scale: f32,
        region: ClipBox,
    ) {
        let frame = ClipBox {
            x0: 0,
            y0: 0,
            x1: pixmap.width() as i32,
            y1: pixmap.height() as i32,
        };
        let region = region.intersect(&frame);
        if region == frame {
            Painter::new(pixmap, &mut self.text, scale).replay(list);
            return;
        }
        let (w, h) = (
            (region.x1 - region.x0) as u32,
            (region.y1 - region.y0) as u32,
        );
        let Some(mut part) = tiny_skia::Pixmap::new(w, h) else {
            return; // empty
        };
        Painter::for_region(
            &mut part,
            &mut self.text,
            scale,
            frame,
            (region.x0, region.y0),
        )
        .replay(list);
        let stride = pixmap.width() as usize * 4;
        let row_len = w as usize * 4;
        let dst = pixmap.data_mut();
        for (y, src) in part.data().chunks_exact(row_len).enumerate() {
            let start = (region.y0 as usize + y) * stride + region.x0 as usize * 4;
            dst[start..start + row_len].copy_from_slice(src);
        }
    }
}

/// Paints `tree` and its open popup `layers` over the theme's background;
/// true when a widget asked for another frame.
#[allow(
    clippy::too_many_arguments,
    reason = "the paint context's parts, borrowed apart"
)]
fn paint_tree<M>(
    painter: &mut Painter<'_>,
    tree: &Element<'_, M>,
    layers: &[OpenLayer],
    theme: &Theme,
    store: &mut StateStore,
    now: Instant,
    focused: Option<WidgetId>,
    hover_path: &[WidgetId],
    pressed: Option<WidgetId>,
) -> bool {
    painter.clear(theme.background);
    let mut cx = PaintCx {
        painter,
        theme,
        store,
        current: WidgetId::ROOT,
        focused,
        hovered: hover_path.last().copied(),
        hover_path,
        pressed,
        animate: false,
        now,
    };
    tree.paint(&mut cx);
    layer::paint_layers(tree, layers, &mut cx);
    cx.animate
}

impl Ui {
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
                self.dismiss_passive(tree, theme, messages);
                let path = match layer::hit(tree, &self.layers, *position) {
                    LayerHit::Layer(path) => path,
                    // Behind a modal popup the view is inert.
                    LayerHit::Blocked => {
                        self.swallow_release = true;
                        return Handled::Yes;
                    }
                    LayerHit::View => match self.topmost() {
                        // A click outside a popup closes it, and only that.
                        Some(id) => {
                            self.dismiss(tree, theme, id, messages);
                            self.swallow_release = true;
                            return Handled::Yes;
                        }
                        None => hit_path(tree, *position),
                    },
                };
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
                if std::mem::take(&mut self.swallow_release) {
                    return Handled::Yes;
                }
                match self.pressed.take() {
                    Some(id) => {
                        self.repaint = true;
                        match find_path(tree, id) {
                            Some(path) => self.deliver(tree, theme, &path, &event, messages),
                            None => Handled::No,
                        }
                    }
                    None => {
                        let Some(path) = self.hit(tree, *position) else {
                            return Handled::Yes;
                        };
                        self.bubble(tree, theme, &path, &event, messages).0
                    }
                }
            }
            Input::Wheel { delta, position } => {
                let Some(path) = self.hit(tree, *position) else {
                    return Handled::Yes;
                };
                let event = WidgetEvent::Wheel(*delta, *position);
                self.bubble(tree, theme, &path, &event, messages).0
            }
            Input::Key(key) => self.key(tree, theme, key, messages),
            Input::Focused(false) => {
                self.pressed = None;
                Handled::No
            }
            _ => Handled::No,
        }
    }

    /// Keys go to the focused widget, or to the topmost popup when the
    /// focus is not inside it, and bubble up; what is left moves focus (Tab),
    /// dismisses the topmost popup (Escape) or is offered as a shortcut.
    fn key<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        key: &crate::input::KeyEvent,
        messages: &mut Vec<M>,
    ) -> Handled {
        let focused = self.focus.and_then(|id| find_path(tree, id));
        let topmost = self.layers.iter().rev().find(|l| !l.passive);
        let path = match (topmost, focused) {
            (Some(layer), Some(path)) if layer.holds(&path) => path,
            (Some(layer), _) => layer.path.clone(),
            (None, path) => path.unwrap_or_default(),
        };
        let event = WidgetEvent::Key(key.clone());
        if self.bubble(tree, theme, &path, &event, messages).0 == Handled::Yes {
            return Handled::Yes;
        }
        if key.state == ButtonState::Pressed {
            match key.key {
                Key::Named(NamedKey::Tab) => {
                    self.move_focus(tree, theme, !key.modifiers.shift, messages);
                    return Handled::Yes;
                }
                Key::Named(NamedKey::Escape) => {
                    if let Some(id) = self.topmost() {
                        self.dismiss(tree, theme, id, messages);
                        return Handled::Yes;
                    }
                }
                _ => {}
            }
        }
        self.shortcut(tree, theme, key, messages)
    }

    /// Offer a key nobody used to every widget in tree order (inside the
    /// topmost modal popup only, when one is open) until one takes it.
    fn shortcut<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        key: &crate::input::KeyEvent,
        messages: &mut Vec<M>,
    ) -> Handled {
        let start = self.modal_path().unwrap_or_default();
        let mut paths = Vec::new();
        if let Some(root) = element_at(tree, &start) {
            collect_paths(root, &mut start.clone(), &mut paths);
        }
        let event = WidgetEvent::Shortcut(key.clone());
        for path in paths {
            if self.deliver(tree, theme, &path, &event, messages) == Handled::Yes {
                return Handled::Yes;
            }
        }
        Handled::No
    }

    /// The topmost popup that input can reach.
    fn topmost(&self) -> Option<WidgetId> {
        self.layers.iter().rev().find(|l| !l.passive).map(|l| l.id)
    }

    /// The path to the topmost modal popup, if one is open.
    fn modal_path(&self) -> Option<Vec<usize>> {
        self.layers
            .iter()
            .rev()
            .find(|l| l.modal)
            .map(|l| l.path.clone())
    }

    /// What the pointer at `point` is over, popups first; `None` when a
    /// modal popup makes the view there inert.
    fn hit<M>(&self, tree: &Element<'_, M>, point: Point) -> Option<Vec<usize>> {
        match layer::hit(tree, &self.layers, point) {
            LayerHit::Layer(path) => Some(path),
            LayerHit::Blocked => None,
            LayerHit::View => Some(hit_path(tree, point)),
        }
    }

    /// Tell the popup `id` the user dismissed it; it bubbles to its owner.
    fn dismiss<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        id: WidgetId,
        messages: &mut Vec<M>,
    ) {
        if let Some(path) = find_path(tree, id) {
            self.bubble(tree, theme, &path, &WidgetEvent::Dismiss, messages);
        }
    }

    /// A press hides tooltips and other passive popups.
    fn dismiss_passive<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        messages: &mut Vec<M>,
    ) {
        let passive: Vec<WidgetId> = self
            .layers
            .iter()
            .filter(|l| l.passive)
            .map(|l| l.id)
            .collect();
        for id in passive {
            self.dismiss(tree, theme, id, messages);
        }
    }

    /// Hand a due widget timer to the widget that started it.
    pub(crate) fn timer<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        (id, timer): (WidgetId, WidgetTimer),
        messages: &mut Vec<M>,
    ) {
        if let Some(path) = find_path(tree, id) {
            self.deliver(tree, theme, &path, &WidgetEvent::Timer(timer), messages);
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
        match path {
            Some(path) => self.bubble(tree, theme, &path, &event, messages).0,
            None => Handled::Yes,
        }
    }

    /// Find what is under the pointer at `position`: update hover and the
    /// cursor, and return the hit path (`None` over an inert view).
    fn hover_at<M>(
        &mut self,
        tree: &mut Element<'_, M>,
        theme: &Theme,
        position: Point,
        messages: &mut Vec<M>,
    ) -> Option<Vec<usize>> {
        let path = self.hit(tree, position);
        let hover_path = match &path {
            Some(path) if tree.rect().contains(position) => path_ids(tree, path),
            _ => Vec::new(),
        };
        self.set_hovered(tree, theme, hover_path, messages);
        self.cursor = path
            .as_ref()
            .map_or(Cursor::Default, |p| path_cursor(tree, p));
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
        let old_path = std::mem::replace(&mut self.hover_path, hover_path);
        self.repaint = true;
        if old != new {
            let events = (WidgetEvent::PointerLeave, WidgetEvent::PointerEnter);
            self.hand_over(tree, theme, (old, new), &events, messages);
        }
        let new_path = self.hover_path.clone();
        let left = old_path.iter().rev().filter(|id| !new_path.contains(id));
        let entered = new_path.iter().filter(|id| !old_path.contains(id));
        let changes: Vec<(WidgetId, bool)> = left
            .map(|id| (*id, false))
            .chain(entered.map(|id| (*id, true)))
            .collect();
        for (id, within) in changes {
            if let Some(path) = find_path(tree, id) {
                self.deliver(
                    tree,
                    theme,
                    &path,
                    &WidgetEvent::HoverWithin(within),
                    messages,
                );
            }
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
        // Behind a modal popup nothing takes focus: Tab cycles inside it.
        let within = self.modal_path().unwrap_or_default();
        let mut order = Vec::new();
        if let Some(root) = element_at(tree, &within) {
            collect_focusable(root, &mut order);
        }
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
            timers: &mut self.timers,
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
            // Popups are hit through the layer, before the view.
            if child.rect().contains(point) && child.widget().layer().is_none() {
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

/// The paths of `element` (at `path`) and everything inside it, in tree order.
fn collect_paths<M>(element: &Element<'_, M>, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(path.clone());
    for (index, child) in element.widget().children().iter().enumerate() {
        path.push(index);
        collect_paths(child, path, out);
        path.pop();
    }
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
    // A popup shows above everything: no ancestor clips it.
    let clip = if element.widget().layer().is_some() {
        None
    } else {
        clip
    };
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
