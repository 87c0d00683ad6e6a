//! A check box with a text label that reports the new state when toggled by
//! a click (on the box or the label) or by Space while focused.

use std::borrow::Cow;

use oneloop::render::{Color, Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{NamedKey, Theme};

use crate::press::{self, Press};

/// A box that is either checked or not, followed by its label.
///
/// The checkbox does not keep the state itself: the app owns it, passes it
/// in with [`checkbox`] and updates it when the message from
/// [`Checkbox::on_toggle`] arrives.
#[must_use]
pub struct Checkbox<'a, M> {
    text: Cow<'a, str>,
    checked: bool,
    on_toggle: Option<Box<dyn Fn(bool) -> M + 'a>>,
    layout: Option<TextLayout>,
}

/// A checkbox labelled `text` showing `checked`. It ignores input (and looks
/// disabled) until it gets [`Checkbox::on_toggle`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::checkbox;
///
/// #[derive(Debug, Clone)]
/// enum Msg { ShowHidden(bool) }
///
/// fn view<'a>(show_hidden: bool) -> Element<'a, Msg> {
///     checkbox("Show hidden files", show_hidden).on_toggle(Msg::ShowHidden).into()
/// }
/// ```
pub fn checkbox<'a, M>(text: impl Into<Cow<'a, str>>, checked: bool) -> Checkbox<'a, M> {
    Checkbox {
        text: text.into(),
        checked,
        on_toggle: None,
        layout: None,
    }
}

impl<'a, M> Checkbox<'a, M> {
    /// Send `to_message(new_state)` when the user toggles the box.
    pub fn on_toggle(mut self, to_message: impl Fn(bool) -> M + 'a) -> Self {
        self.on_toggle = Some(Box::new(to_message));
        self
    }

    fn enabled(&self) -> bool {
        self.on_toggle.is_some()
    }

    fn toggle(&self, cx: &mut EventCx<'_, M>) {
        if let Some(to_message) = &self.on_toggle {
            cx.emit(to_message(!self.checked));
        }
    }
}

/// Side of the box in logical pixels.
const BOX: f32 = 16.0;
/// Space between the box and the label.
const GAP: f32 = 8.0;
/// Room above and below the taller of box and label, so rows of
/// checkboxes are easy to hit.
const PAD_Y: f32 = 4.0;

impl<'a, M: 'a> Widget<'a, M> for Checkbox<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        if self.text.is_empty() {
            self.layout = None;
            return Size::new(BOX, BOX + 2.0 * PAD_Y);
        }
        let style = TextStyle::new(cx.theme().font_size);
        let max_text = (constraints.max.w - BOX - GAP).max(0.0);
        let layout = cx.text().ellipsize(&self.text, &style, max_text);
        let text = layout.size();
        self.layout = Some(layout);
        Size::new(BOX + GAP + text.w, text.h.max(BOX) + 2.0 * PAD_Y)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let look = self.look(&theme, cx.is_hovered(), cx.is_pressed());
        let focused = cx.is_focused();
        // Whole-pixel corners keep the box's straight edges crisp.
        let frame = Rect::new(
            rect.x.round(),
            (rect.y + (rect.h - BOX) / 2.0).round(),
            BOX,
            BOX,
        );
        let radius = (theme.radius - 1.5).max(2.0);
        let painter = cx.painter();
        painter.fill_rounded_rect(frame, radius, look.fill);
        painter.stroke_rounded_rect(frame, radius, 1.0, look.border);
        if let Some(mark) = look.mark {
            draw_check_mark(painter, frame, mark);
        }
        if focused {
            // A pixel of air between ring and border keeps it readable as a
            // ring rather than a thick border.
            painter.stroke_rounded_rect(frame.inset(-3.0), radius + 3.0, 2.0, theme.focus);
        }
        if let Some(layout) = &self.layout {
            let at = Point::new(
                frame.right() + GAP,
                (rect.y + (rect.h - layout.size().h) / 2.0).round(),
            );
            painter.text_layout(at, layout, look.text);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        if !self.enabled() {
            return Handled::No;
        }
        let press = press::press(cx, event, rect, &[NamedKey::Space]);
        if press == Press::Activate {
            self.toggle(cx);
        }
        press.handled()
    }

    fn focusable(&self) -> bool {
        self.enabled()
    }

    fn label(&self) -> Option<&str> {
        Some(&self.text)
    }

    fn cursor(&self) -> Cursor {
        press::cursor(self.enabled())
    }

    fn kind(&self) -> &'static str {
        "checkbox"
    }
}

/// The colors of one state of the checkbox.
struct Look {
    fill: Color,
    border: Color,
    mark: Option<Color>,
    text: Color,
}

impl<M> Checkbox<'_, M> {
    fn look(&self, theme: &Theme, hovered: bool, pressed: bool) -> Look {
        if !self.enabled() {
            let fill = if self.checked {
                theme.border
            } else {
                theme.surface
            };
            return Look {
                fill,
                border: theme.border,
                mark: self.checked.then_some(theme.text_muted),
                text: theme.text_muted,
            };
        }
        if self.checked {
            // Shifting the accent towards the text color darkens it on a
            // light theme and lightens it on a dark one: visible on both.
            let fill = match (pressed, hovered) {
                (true, _) => mix(theme.accent, theme.text, 0.25),
                (false, true) => mix(theme.accent, theme.text, 0.12),
                (false, false) => theme.accent,
            };
            return Look {
                fill,
                border: fill,
                mark: Some(theme.on_accent),
                text: theme.text,
            };
        }
        let (fill, border) = match (pressed, hovered) {
            (true, _) => (theme.surface_pressed, theme.accent),
            (false, true) => (theme.surface_hover, theme.accent),
            (false, false) => (theme.surface, theme.text_muted),
        };
        Look {
            fill,
            border,
            mark: None,
            text: theme.text,
        }
    }
}

/// A tick inside `frame`: a short stroke down to a corner and a long one up,
/// with a round corner so the two strokes join without a notch.
fn draw_check_mark(painter: &mut oneloop::render::Painter<'_>, frame: Rect, color: Color) {
    let unit = frame.w / 16.0;
    let at = |x: f32, y: f32| Point::new(frame.x + x * unit, frame.y + y * unit);
    let (start, corner, end) = (at(3.75, 8.25), at(6.75, 11.25), at(12.25, 4.75));
    let width = 2.0 * unit;
    painter.line(start, corner, width, color);
    painter.line(corner, end, width, color);
    painter.fill_circle(corner, width / 2.0, color);
}

/// `from` moved a share `t` (0..1) of the way to `to`.
fn mix(from: Color, to: Color, t: f32) -> Color {
    let channel = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
    Color::rgba(
        channel(from.r, to.r),
        channel(from.g, to.g),
        channel(from.b, to.b),
        channel(from.a, to.a),
    )
}

impl<'a, M: 'a> From<Checkbox<'a, M>> for oneloop::Element<'a, M> {
    fn from(checkbox: Checkbox<'a, M>) -> Self {
        oneloop::Element::new(checkbox)
    }
}
