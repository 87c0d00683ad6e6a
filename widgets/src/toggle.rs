//! A toggle switch: a pill with a knob that slides to the right when on,
//! flipped by a click (on the switch or its label), Space or Enter.

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::NamedKey;

use crate::press::{self, Press};
use crate::tone::mix;

/// An on/off switch followed by its label. The app owns the state: it
/// passes it to [`toggle`] and stores the value [`Toggle::on_toggle`] sends.
#[must_use]
pub struct Toggle<'a, M> {
    text: Cow<'a, str>,
    on: bool,
    on_toggle: Option<Box<dyn Fn(bool) -> M + 'a>>,
    layout: Option<TextLayout>,
}

/// A switch labelled `text` showing `on`. It ignores input (and looks
/// disabled) until it gets [`Toggle::on_toggle`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::toggle;
///
/// #[derive(Debug, Clone)]
/// enum Msg { Wrap(bool) }
///
/// fn view<'a>(wrap: bool) -> Element<'a, Msg> {
///     toggle("Wrap long lines", wrap).on_toggle(Msg::Wrap).into()
/// }
/// ```
pub fn toggle<'a, M>(text: impl Into<Cow<'a, str>>, on: bool) -> Toggle<'a, M> {
    Toggle {
        text: text.into(),
        on,
        on_toggle: None,
        layout: None,
    }
}

impl<'a, M> Toggle<'a, M> {
    /// Send `to_message(new_state)` when the user flips the switch.
    pub fn on_toggle(mut self, to_message: impl Fn(bool) -> M + 'a) -> Self {
        self.on_toggle = Some(Box::new(to_message));
        self
    }

    fn enabled(&self) -> bool {
        self.on_toggle.is_some()
    }
}

/// The pill's size in logical pixels.
const TRACK_W: f32 = 36.0;
const TRACK_H: f32 = 20.0;
/// Space between the knob and the pill's edge.
const KNOB_INSET: f32 = 3.0;
const GAP: f32 = 8.0;
const PAD_Y: f32 = 4.0;

impl<'a, M: 'a> Widget<'a, M> for Toggle<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        if self.text.is_empty() {
            self.layout = None;
            return Size::new(TRACK_W, TRACK_H + 2.0 * PAD_Y);
        }
        let style = TextStyle::new(cx.theme().font_size);
        let max_text = (constraints.max.w - TRACK_W - GAP).max(0.0);
        let layout = cx.text().ellipsize(&self.text, &style, max_text);
        let text = layout.size();
        self.layout = Some(layout);
        Size::new(TRACK_W + GAP + text.w, text.h.max(TRACK_H) + 2.0 * PAD_Y)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let (hovered, pressed, focused) = (cx.is_hovered(), cx.is_pressed(), cx.is_focused());
        let track = Rect::new(
            rect.x.round(),
            (rect.y + (rect.h - TRACK_H) / 2.0).round(),
            TRACK_W,
            TRACK_H,
        );
        let enabled = self.enabled();
        let base = match (enabled, self.on) {
            (false, true) => theme.text_muted,
            (false, false) => theme.border,
            (true, true) => theme.accent,
            (true, false) => mix(theme.border, theme.text_muted, 0.35),
        };
        let fill = match (enabled, pressed, hovered) {
            (true, true, _) => mix(base, theme.text, 0.25),
            (true, false, true) => mix(base, theme.text, 0.12),
            _ => base,
        };
        let knob_d = TRACK_H - 2.0 * KNOB_INSET;
        let knob_x = if self.on {
            track.right() - KNOB_INSET - knob_d / 2.0
        } else {
            track.x + KNOB_INSET + knob_d / 2.0
        };
        let knob = if self.on {
            theme.on_accent
        } else {
            theme.surface
        };
        let radius = TRACK_H / 2.0;
        let painter = cx.painter();
        painter.fill_rounded_rect(track, radius, fill);
        painter.fill_circle(Point::new(knob_x, track.center().y), knob_d / 2.0, knob);
        if focused {
            painter.stroke_rounded_rect(track.inset(-3.0), radius + 3.0, 2.0, theme.focus);
        }
        if let Some(layout) = &self.layout {
            let at = Point::new(
                track.right() + GAP,
                (rect.y + (rect.h - layout.size().h) / 2.0).round(),
            );
            let color = if enabled {
                theme.text
            } else {
                theme.text_muted
            };
            painter.text_layout(at, layout, color);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        let Some(to_message) = &self.on_toggle else {
            return Handled::No;
        };
        let press = press::press(cx, event, rect, &[NamedKey::Space, NamedKey::Enter]);
        if press == Press::Activate {
            cx.emit(to_message(!self.on));
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
        "toggle"
    }
}

impl<'a, M: 'a> From<Toggle<'a, M>> for oneloop::Element<'a, M> {
    fn from(toggle: Toggle<'a, M>) -> Self {
        oneloop::Element::new(toggle)
    }
}
