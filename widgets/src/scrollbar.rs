//! The vertical scrollbar the scroll view and the list share: the scroll
//! position they keep in widget state, where the thumb sits, how it looks,
//! and how the wheel, a thumb drag, a click on the track and the paging keys
//! move the content.

use oneloop::render::{Point, Rect};
use oneloop::widget::{EventCx, Handled, PaintCx, WidgetEvent};
use oneloop::{ButtonState, Key, NamedKey, PointerButton, ScrollDelta};

/// Width kept free at the right edge for the scrollbar when content overflows.
pub(crate) const GUTTER: f32 = 12.0;
/// How far one wheel notch ("line") moves the content, in logical pixels.
const LINE: f64 = 48.0;
/// The thumb's width at rest and under the pointer.
const THUMB: f32 = 6.0;
const THUMB_HOVER: f32 = 8.0;
/// A thumb shorter than this is hard to grab, however long the content.
const MIN_THUMB: f32 = 24.0;
/// Space between the thumb and the ends of the track.
const TRACK_INSET: f32 = 2.0;

/// Where the content is scrolled to, and what the pointer is doing to the
/// scrollbar. Lives in widget state so it survives view rebuilds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct ScrollState {
    /// How far the content is scrolled, in logical pixels from its top.
    /// Kept in `f64`: a long list is taller than `f32` counts exactly.
    pub(crate) offset: f64,
    /// While the thumb is dragged: how far below the thumb's top it was grabbed.
    grab: Option<f32>,
    /// The pointer is over the scrollbar.
    hover: bool,
}

/// The scrollbar of one scrolling widget: how tall its content is and how
/// much of it shows. Made during layout and kept for painting and events.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Scrollbar {
    content: f64,
    viewport: f64,
}

impl Scrollbar {
    /// A scrollbar for `content` pixels of which `viewport` show at a time.
    pub(crate) fn new(content: f64, viewport: f64) -> Self {
        Self {
            content: content.max(0.0),
            viewport: viewport.max(0.0),
        }
    }

    /// The furthest the content can scroll.
    pub(crate) fn max_offset(&self) -> f64 {
        (self.content - self.viewport).max(0.0)
    }

    /// `offset` kept within the content (it may have shrunk since).
    pub(crate) fn clamp(&self, offset: f64) -> f64 {
        offset.clamp(0.0, self.max_offset())
    }

    /// Whether there is anything to scroll (and so a scrollbar to show).
    pub(crate) fn needed(&self) -> bool {
        self.max_offset() >= 0.5
    }

    /// The strip along the right edge of `rect` that the scrollbar owns.
    fn gutter(rect: Rect) -> Rect {
        Rect::new(rect.right() - GUTTER, rect.y, GUTTER, rect.h)
    }

    /// The part of the gutter the thumb moves along.
    fn track(rect: Rect) -> Rect {
        let gutter = Self::gutter(rect);
        Rect::new(
            gutter.x,
            gutter.y + TRACK_INSET,
            gutter.w,
            (gutter.h - 2.0 * TRACK_INSET).max(0.0),
        )
    }

    /// The thumb's height and how far it can travel along the track.
    fn thumb_span(&self, track: Rect) -> (f32, f32) {
        let share = if self.content > 0.0 {
            (self.viewport / self.content) as f32
        } else {
            1.0
        };
        let height = (track.h * share).clamp(MIN_THUMB.min(track.h), track.h);
        (height, track.h - height)
    }

    /// Where the thumb is for `offset`, full gutter width (for hit testing).
    fn thumb(&self, rect: Rect, offset: f64) -> Rect {
        let track = Self::track(rect);
        let (height, travel) = self.thumb_span(track);
        let max = self.max_offset();
        let at = if max > 0.0 {
            (offset / max) as f32 * travel
        } else {
            0.0
        };
        Rect::new(track.x, track.y + at, track.w, height)
    }

    /// The offset that puts the thumb's top at `y`.
    fn offset_for_thumb_top(&self, rect: Rect, y: f32) -> f64 {
        let track = Self::track(rect);
        let (_, travel) = self.thumb_span(track);
        if travel <= 0.0 {
            return 0.0;
        }
        let fraction = f64::from(((y - track.y) / travel).clamp(0.0, 1.0));
        fraction * self.max_offset()
    }

    /// Paint the scrollbar over the right edge of `rect`.
    pub(crate) fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect, state: &ScrollState) {
        if !self.needed() {
            return;
        }
        let theme = cx.theme().clone();
        let active = state.grab.is_some() || state.hover;
        let thumb = self.thumb(rect, state.offset);
        let width = if active { THUMB_HOVER } else { THUMB };
        let shape = Rect::new(thumb.x + (thumb.w - width) / 2.0, thumb.y, width, thumb.h);
        let color = if active {
            theme.text_muted
        } else {
            theme.border
        };
        let painter = cx.painter();
        if active {
            let track = Self::track(rect);
            let lane = Rect::new(shape.x, track.y, width, track.h);
            painter.fill_rounded_rect(lane, width / 2.0, theme.surface_hover);
        }
        painter.fill_rounded_rect(shape, width / 2.0, color);
    }

    /// React to `event` on a widget at `rect` whose scroll state `state` is.
    /// Asks for a new layout when the offset moved, since what shows (and,
    /// in a list, which rows exist) depends on it.
    fn event<M>(
        &self,
        cx: &mut EventCx<'_, M>,
        event: &WidgetEvent,
        rect: Rect,
        state: &mut ScrollState,
    ) -> Handled {
        if !self.needed() {
            return Handled::No;
        }
        match event {
            WidgetEvent::Wheel(delta, _) => {
                let dy = match *delta {
                    ScrollDelta::Lines { y, .. } => f64::from(y) * LINE,
                    ScrollDelta::Pixels { y, .. } => f64::from(y),
                };
                // Positive deltas reveal what is above. At either end the
                // wheel goes on to an enclosing scroll view.
                self.scroll_to(cx, state, state.offset - dy)
            }
            WidgetEvent::PointerDown(PointerButton::Primary, at)
                if Self::gutter(rect).contains(*at) =>
            {
                self.press(cx, rect, state, *at);
                Handled::Yes
            }
            WidgetEvent::PointerMove(at) => self.pointer_moved(cx, rect, state, *at),
            WidgetEvent::PointerUp(PointerButton::Primary, at) if state.grab.is_some() => {
                state.grab = None;
                state.hover = Self::gutter(rect).contains(*at);
                cx.request_repaint();
                Handled::Yes
            }
            WidgetEvent::PointerLeave if state.hover => {
                state.hover = false;
                cx.request_repaint();
                Handled::No
            }
            WidgetEvent::Key(key) if key.state == ButtonState::Pressed => {
                let page = (self.viewport - LINE).max(LINE);
                let target = match key.key {
                    Key::Named(NamedKey::PageDown) => state.offset + page,
                    Key::Named(NamedKey::PageUp) => state.offset - page,
                    Key::Named(NamedKey::Home) => 0.0,
                    Key::Named(NamedKey::End) => self.max_offset(),
                    _ => return Handled::No,
                };
                self.scroll_to(cx, state, target);
                Handled::Yes
            }
            _ => Handled::No,
        }
    }

    /// A press in the gutter: grab the thumb, or page towards the pointer.
    fn press<M>(&self, cx: &mut EventCx<'_, M>, rect: Rect, state: &mut ScrollState, at: Point) {
        let thumb = self.thumb(rect, state.offset);
        if thumb.contains(at) {
            state.grab = Some(at.y - thumb.y);
            cx.capture_pointer();
            cx.request_repaint();
            return;
        }
        let page = self.viewport.max(LINE);
        let target = if at.y < thumb.y {
            state.offset - page
        } else {
            state.offset + page
        };
        self.scroll_to(cx, state, target);
    }

    fn pointer_moved<M>(
        &self,
        cx: &mut EventCx<'_, M>,
        rect: Rect,
        state: &mut ScrollState,
        at: Point,
    ) -> Handled {
        if let Some(grab) = state.grab {
            let target = self.offset_for_thumb_top(rect, at.y - grab);
            self.scroll_to(cx, state, target);
            return Handled::Yes;
        }
        let hover = Self::gutter(rect).contains(at);
        if hover != state.hover {
            state.hover = hover;
            cx.request_repaint();
        }
        // Moves over the content still reach whatever wants them.
        Handled::No
    }

    /// Move to `target` (clamped). Unused when nothing moved, so an
    /// enclosing scroll view can take the rest of a wheel turn.
    fn scroll_to<M>(
        &self,
        cx: &mut EventCx<'_, M>,
        state: &mut ScrollState,
        target: f64,
    ) -> Handled {
        let target = self.clamp(target);
        if (target - state.offset).abs() < f64::EPSILON {
            return Handled::No;
        }
        state.offset = target;
        cx.request_layout();
        Handled::Yes
    }

    /// Handle `event` for a widget whose scroll state is the part `part`
    /// picks out of its widget state `S`.
    pub(crate) fn handle<M, S: Default + 'static>(
        &self,
        cx: &mut EventCx<'_, M>,
        event: &WidgetEvent,
        rect: Rect,
        part: fn(&mut S) -> &mut ScrollState,
    ) -> Handled {
        let mut state = *part(cx.state::<S>());
        let handled = self.event(cx, event, rect, &mut state);
        *part(cx.state::<S>()) = state;
        handled
    }
}
