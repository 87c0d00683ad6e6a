//! A push button that sends a message when clicked or activated with
//! Space/Enter while focused.

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::NamedKey;

use crate::press::{self, Press};

/// How prominent a button is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonKind {
    /// A plain button on a surface.
    #[default]
    Secondary,
    /// The main action: filled with the accent color.
    Primary,
    /// A destructive action.
    Danger,
}

/// A clickable button with a text label.
#[must_use]
pub struct Button<'a, M> {
    text: Cow<'a, str>,
    on_press: Option<M>,
    kind: ButtonKind,
    layout: Option<TextLayout>,
}

/// A button labelled `text`. It does nothing (and looks disabled) until it
/// gets [`Button::on_press`].
pub fn button<'a, M>(text: impl Into<Cow<'a, str>>) -> Button<'a, M> {
    Button {
        text: text.into(),
        on_press: None,
        kind: ButtonKind::Secondary,
        layout: None,
    }
}

impl<M> Button<'_, M> {
    /// Send `msg` when the button is pressed.
    pub fn on_press(mut self, msg: M) -> Self {
        self.on_press = Some(msg);
        self
    }

    /// Send `msg` when pressed, or stay disabled when `None`.
    pub fn on_press_maybe(mut self, msg: Option<M>) -> Self {
        self.on_press = msg;
        self
    }

    /// How prominent the button is.
    pub fn kind(mut self, kind: ButtonKind) -> Self {
        self.kind = kind;
        self
    }

    /// Filled with the accent color: the main action.
    pub fn primary(self) -> Self {
        self.kind(ButtonKind::Primary)
    }

    fn enabled(&self) -> bool {
        self.on_press.is_some()
    }
}

const PAD_X: f32 = 14.0;
const MIN_HEIGHT: f32 = 32.0;

impl<'a, M: Clone> Widget<'a, M> for Button<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let style = TextStyle::new(cx.theme().font_size).bold();
        let max_text = (constraints.max.w - 2.0 * PAD_X).max(0.0);
        let layout = cx.text().ellipsize(&self.text, &style, max_text);
        let text = layout.size();
        self.layout = Some(layout);
        Size::new(text.w + 2.0 * PAD_X, (text.h + 12.0).max(MIN_HEIGHT))
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let (hovered, pressed, focused) = (cx.is_hovered(), cx.is_pressed(), cx.is_focused());
        let enabled = self.enabled();
        let (fill, text, border) = match (self.kind, enabled) {
            (_, false) => (theme.surface, theme.text_muted, theme.border),
            (ButtonKind::Secondary, true) => {
                let fill = if pressed {
                    theme.surface_pressed
                } else if hovered {
                    theme.surface_hover
                } else {
                    theme.surface
                };
                (fill, theme.text, theme.border)
            }
            (ButtonKind::Primary | ButtonKind::Danger, true) => {
                let base = if self.kind == ButtonKind::Primary {
                    theme.accent
                } else {
                    theme.danger
                };
                let fill = if pressed {
                    shade(base, 0.80)
                } else if hovered {
                    shade(base, 0.90)
                } else {
                    base
                };
                (fill, theme.on_accent, fill)
            }
        };
        let painter = cx.painter();
        painter.fill_rounded_rect(rect, theme.radius, fill);
        painter.stroke_rounded_rect(rect.inset(0.5), theme.radius, 1.0, border);
        if focused {
            painter.stroke_rounded_rect(rect.inset(-2.0), theme.radius + 2.0, 2.0, theme.focus);
        }
        if let Some(layout) = &self.layout {
            let size = layout.size();
            let at = Point::new(
                (rect.x + (rect.w - size.w) / 2.0).round(),
                (rect.y + (rect.h - size.h) / 2.0).round(),
            );
            painter.text_layout(at, layout, text);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        if !self.enabled() {
            return Handled::No;
        }
        let press = press::press(cx, event, rect, &[NamedKey::Enter, NamedKey::Space]);
        if press == Press::Activate {
            self.press(cx);
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
        "button"
    }
}

impl<M: Clone> Button<'_, M> {
    fn press(&self, cx: &mut EventCx<'_, M>) {
        if let Some(msg) = &self.on_press {
            cx.emit(msg.clone());
        }
    }
}

/// `color` darkened by `factor` (0..1).
fn shade(color: oneloop::render::Color, factor: f32) -> oneloop::render::Color {
    let f = |c: u8| (f32::from(c) * factor).round() as u8;
    oneloop::render::Color::rgba(f(color.r), f(color.g), f(color.b), color.a)
}

impl<'a, M: Clone + 'a> From<Button<'a, M>> for oneloop::Element<'a, M> {
    fn from(button: Button<'a, M>) -> Self {
        oneloop::Element::new(button)
    }
}
