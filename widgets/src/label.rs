//! Text on one line (cut with "…" when too narrow) or wrapped.

use std::borrow::Cow;

use oneloop::render::{Color, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};

/// A piece of text.
#[derive(Debug, Clone)]
#[must_use]
pub struct Label<'a> {
    text: Cow<'a, str>,
    size: Option<f32>,
    color: Option<Color>,
    muted: bool,
    danger: bool,
    bold: bool,
    mono: bool,
    wrap: bool,
    flex: f32,
    layout: Option<TextLayout>,
}

/// A label showing `text` in the theme's body style.
pub fn label<'a>(text: impl Into<Cow<'a, str>>) -> Label<'a> {
    Label {
        text: text.into(),
        size: None,
        color: None,
        muted: false,
        danger: false,
        bold: false,
        mono: false,
        wrap: false,
        flex: 0.0,
        layout: None,
    }
}

impl Label<'_> {
    /// Text size in logical pixels.
    pub fn size(mut self, size: f32) -> Self {
        self.size = Some(size);
        self
    }

    /// A fixed color instead of the theme's text color.
    pub fn color(mut self, color: Color) -> Self {
        self.color = Some(color);
        self
    }

    /// The theme's secondary text color.
    pub fn muted(mut self) -> Self {
        self.muted = true;
        self
    }

    /// The theme's danger color: an error the user should read.
    pub fn danger(mut self) -> Self {
        self.danger = true;
        self
    }

    /// Bold text.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// Monospaced text.
    pub fn mono(mut self) -> Self {
        self.mono = true;
        self
    }

    /// Wrap onto several lines instead of cutting with "…".
    pub fn wrap(mut self) -> Self {
        self.wrap = true;
        self
    }

    /// Take this share of the spare room in a row (the text is cut with "…"
    /// to fit); 0, the default, sizes the label to its text.
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }

    fn style(&self, theme: &oneloop::Theme) -> TextStyle {
        let color = self.color.unwrap_or(if self.danger {
            theme.danger
        } else if self.muted {
            theme.text_muted
        } else {
            theme.text
        });
        let mut style = TextStyle::new(self.size.unwrap_or(theme.font_size)).with_color(color);
        if self.bold {
            style = style.bold();
        }
        if self.mono {
            style = style.mono();
        }
        style
    }
}

impl<'a, M> Widget<'a, M> for Label<'a> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let style = self.style(cx.theme());
        let max = constraints.max.w;
        let layout = match (self.wrap, max.is_finite()) {
            (true, true) => cx.text().layout(&self.text, &style, Some(max)),
            (false, true) => cx.text().ellipsize(&self.text, &style, max),
            (_, false) => cx.text().layout(&self.text, &style, None),
        };
        let mut size = layout.size();
        self.layout = Some(layout);
        if self.flex > 0.0 && constraints.min.w > size.w {
            size.w = constraints.min.w;
        }
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        if let Some(layout) = &self.layout {
            let color = self.style(cx.theme()).color;
            cx.painter().text_layout(rect.origin(), layout, color);
        }
    }

    fn label(&self) -> Option<&str> {
        Some(&self.text)
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "label"
    }
}

impl<'a, M: 'a> From<Label<'a>> for oneloop::Element<'a, M> {
    fn from(label: Label<'a>) -> Self {
        oneloop::Element::new(label)
    }
}
