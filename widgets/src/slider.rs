//! A horizontal slider that picks a number from a range: drag the knob or
//! click the track; while focused, the arrow keys move by one step, Page Up
//! and Page Down by a tenth of the range, Home and End to the ends.

use std::ops::RangeInclusive;

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, Key, NamedKey, PointerButton};

use crate::tone::mix;

/// A track with a knob at the current value.
///
/// The app owns the value: it passes it to [`slider`] and stores what
/// [`Slider::on_change`] sends. Values sent are always inside the range and
/// on a step.
#[must_use]
pub struct Slider<'a, M> {
    min: f32,
    max: f32,
    value: f32,
    step: f32,
    on_change: Option<Box<dyn Fn(f32) -> M + 'a>>,
}

/// A slider over `range` showing `value`. Until [`Slider::step`] is given,
/// the step is a hundredth of the range. It ignores input (and looks
/// disabled) until it gets [`Slider::on_change`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::slider;
///
/// #[derive(Debug, Clone)]
/// enum Msg { Volume(f32) }
///
/// fn view<'a>(volume: f32) -> Element<'a, Msg> {
///     slider(0.0..=100.0, volume).step(5.0).on_change(Msg::Volume).into()
/// }
/// ```
pub fn slider<'a, M>(range: RangeInclusive<f32>, value: f32) -> Slider<'a, M> {
    let (a, b) = range.into_inner();
    let (min, max) = if a <= b { (a, b) } else { (b, a) };
    let (min, max) = if min.is_finite() && max.is_finite() {
        (min, max)
    } else {
        (0.0, 1.0)
    };
    Slider {
        min,
        max,
        value: if value.is_nan() {
            min
        } else {
            value.clamp(min, max)
        },
        step: (max - min) / 100.0,
        on_change: None,
    }
}

impl<'a, M> Slider<'a, M> {
    /// Move in steps of `step` (values are `min + k × step`). Ignored unless
    /// positive and finite.
    pub fn step(mut self, step: f32) -> Self {
        if step.is_finite() && step > 0.0 {
            self.step = step;
        }
        self
    }

    /// Send `to_message(value)` each time the user moves the knob to a new value.
    pub fn on_change(mut self, to_message: impl Fn(f32) -> M + 'a) -> Self {
        self.on_change = Some(Box::new(to_message));
        self
    }

    /// `value` clamped into the range and rounded to the nearest step.
    fn snap(&self, value: f32) -> f32 {
        let value = value.clamp(self.min, self.max);
        if self.step <= 0.0 {
            return value;
        }
        let steps = ((value - self.min) / self.step).round();
        (self.min + steps * self.step).clamp(self.min, self.max)
    }

    /// Where the knob's center can go in `rect`, as `(left, right)`.
    fn travel(rect: Rect) -> (f32, f32) {
        (
            rect.x + KNOB_R,
            (rect.right() - KNOB_R).max(rect.x + KNOB_R),
        )
    }

    fn fraction(&self) -> f32 {
        if self.max > self.min {
            (self.value - self.min) / (self.max - self.min)
        } else {
            0.0
        }
    }

    fn value_at(&self, rect: Rect, x: f32) -> f32 {
        let (left, right) = Self::travel(rect);
        let t = if right > left {
            ((x - left) / (right - left)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.snap(self.min + t * (self.max - self.min))
    }

    fn set(&self, cx: &mut EventCx<'_, M>, value: f32) {
        let value = self.snap(value);
        if let Some(to_message) = &self.on_change {
            if (value - self.value).abs() > f32::EPSILON * self.max.abs().max(1.0) {
                cx.emit(to_message(value));
            }
        }
    }

    /// A tenth of the range, in whole steps.
    fn page(&self) -> f32 {
        let tenth = (self.max - self.min) / 10.0;
        (tenth / self.step).round().max(1.0) * self.step
    }

    fn key(&self, cx: &mut EventCx<'_, M>, key: &Key) -> Handled {
        let target = match key {
            Key::Named(NamedKey::ArrowLeft | NamedKey::ArrowDown) => self.value - self.step,
            Key::Named(NamedKey::ArrowRight | NamedKey::ArrowUp) => self.value + self.step,
            Key::Named(NamedKey::PageDown) => self.value - self.page(),
            Key::Named(NamedKey::PageUp) => self.value + self.page(),
            Key::Named(NamedKey::Home) => self.min,
            Key::Named(NamedKey::End) => self.max,
            _ => return Handled::No,
        };
        self.set(cx, target);
        Handled::Yes
    }
}

/// Whether the knob is being dragged, kept across view rebuilds.
#[derive(Default)]
struct Drag(bool);

const KNOB_R: f32 = 8.0;
const TRACK_H: f32 = 4.0;
const HEIGHT: f32 = 28.0;
/// The width the slider asks for; a stretching parent makes it wider.
const NATURAL_WIDTH: f32 = 200.0;

impl<'a, M: 'a> Widget<'a, M> for Slider<'a, M> {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        Size::new(NATURAL_WIDTH.min(constraints.max.w), HEIGHT)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let enabled = self.on_change.is_some();
        let active = enabled && (cx.is_hovered() || cx.is_pressed());
        let focused = cx.is_focused();
        let (left, right) = Self::travel(rect);
        let y = (rect.y + rect.h / 2.0).round();
        let knob_x = left + self.fraction() * (right - left);
        let track = Rect::new(left, y - TRACK_H / 2.0, right - left, TRACK_H);
        let filled = Rect::new(left, track.y, knob_x - left, TRACK_H);
        let accent = if enabled {
            theme.accent
        } else {
            theme.text_muted
        };
        let knob = Point::new(knob_x, y);
        let painter = cx.painter();
        painter.fill_rounded_rect(track, TRACK_H / 2.0, theme.border);
        if filled.w > 0.0 {
            painter.fill_rounded_rect(filled, TRACK_H / 2.0, accent);
        }
        let radius = if active { KNOB_R } else { KNOB_R - 1.0 };
        let ring = if active {
            mix(accent, theme.text, 0.15)
        } else {
            accent
        };
        painter.fill_circle(knob, radius, ring);
        painter.fill_circle(knob, radius - 3.0, theme.surface);
        if focused {
            painter.stroke_circle(knob, KNOB_R + 3.0, 2.0, theme.focus);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        if self.on_change.is_none() {
            return Handled::No;
        }
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) => {
                cx.state::<Drag>().0 = true;
                cx.capture_pointer();
                cx.request_repaint();
                self.set(cx, self.value_at(rect, at.x));
                Handled::Yes
            }
            WidgetEvent::PointerMove(at) if cx.state::<Drag>().0 => {
                self.set(cx, self.value_at(rect, at.x));
                Handled::Yes
            }
            WidgetEvent::PointerUp(PointerButton::Primary, _) => {
                cx.state::<Drag>().0 = false;
                cx.request_repaint();
                Handled::Yes
            }
            WidgetEvent::Key(key) if key.state == ButtonState::Pressed => self.key(cx, &key.key),
            WidgetEvent::PointerEnter | WidgetEvent::PointerLeave => {
                cx.request_repaint();
                Handled::No
            }
            _ => Handled::No,
        }
    }

    fn focusable(&self) -> bool {
        self.on_change.is_some()
    }

    fn cursor(&self) -> Cursor {
        if self.on_change.is_some() {
            Cursor::Pointer
        } else {
            Cursor::Default
        }
    }

    fn kind(&self) -> &'static str {
        "slider"
    }
}

impl<'a, M: 'a> From<Slider<'a, M>> for oneloop::Element<'a, M> {
    fn from(slider: Slider<'a, M>) -> Self {
        oneloop::Element::new(slider)
    }
}
