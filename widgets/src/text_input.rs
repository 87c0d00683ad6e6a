//! A single-line text field. The app owns the text: the field shows the value
//! it is given and reports every edit as a message carrying the new value,
//! which comes back through the app's `update` and the next view.
//!
//! The field keeps only what is its own (caret, selection, horizontal scroll)
//! in the widget state store. The caret does not blink: animation frames come
//! at the display's rate, so a blinking caret would repaint the window about
//! sixty times a second for as long as the field has focus, and an idle app
//! should not paint at all.

mod edit;

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, PointerButton, Theme};

use edit::{Field, FieldState};

/// A one-line editable text field.
#[must_use]
pub struct TextInput<'a, M> {
    placeholder: Cow<'a, str>,
    value: Cow<'a, str>,
    on_input: Option<Box<dyn Fn(String) -> M + 'a>>,
    on_submit: Option<M>,
    width: Option<f32>,
    flex: f32,
    layout: Option<TextLayout>,
    placeholder_layout: Option<TextLayout>,
}

/// A field showing `value`, or `placeholder` in a muted color while `value`
/// is empty. It is read-only (text can be selected and copied) until it gets
/// [`TextInput::on_input`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::text_input;
///
/// #[derive(Debug, Clone)]
/// enum Msg { PathChanged(String), Open }
///
/// fn view(path: &str) -> Element<'_, Msg> {
///     text_input("File to open", path)
///         .on_input(Msg::PathChanged)
///         .on_submit(Msg::Open)
///         .into()
/// }
/// ```
pub fn text_input<'a, M>(
    placeholder: impl Into<Cow<'a, str>>,
    value: impl Into<Cow<'a, str>>,
) -> TextInput<'a, M> {
    TextInput {
        placeholder: placeholder.into(),
        value: value.into(),
        on_input: None,
        on_submit: None,
        width: None,
        flex: 0.0,
        layout: None,
        placeholder_layout: None,
    }
}

impl<'a, M> TextInput<'a, M> {
    /// Make the field editable: every edit sends `on_input(new_value)`. The
    /// field shows the edit once the app stores the value and redraws.
    pub fn on_input(mut self, on_input: impl Fn(String) -> M + 'a) -> Self {
        self.on_input = Some(Box::new(on_input));
        self
    }

    /// Send `msg` when Enter is pressed in the field.
    pub fn on_submit(mut self, msg: M) -> Self {
        self.on_submit = Some(msg);
        self
    }

    /// A fixed width instead of the default (the width a column gives, or 240).
    pub fn width(mut self, width: f32) -> Self {
        self.width = Some(width);
        self
    }

    /// Take this share of the spare room in a parent row or column.
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }
}

/// Room between the border and the text.
const PAD_Y: f32 = 6.0;
/// The same height as a button, so the two line up in a row.
const MIN_HEIGHT: f32 = 32.0;
/// The width when nothing else decides it.
const DEFAULT_WIDTH: f32 = 240.0;
/// The caret is one logical pixel wide.
const CARET_W: f32 = 1.0;

fn text_style(theme: &Theme) -> TextStyle {
    TextStyle::new(theme.font_size).with_color(theme.text)
}

fn line_height(style: &TextStyle) -> f32 {
    style.size * style.line_height
}

/// Where the text may show inside the field (the clip of the text).
fn text_box(rect: Rect, theme: &Theme) -> Rect {
    rect.inset_xy(theme.padding, 1.0)
}

/// The top-left corner of the text, scrolled left by `scroll`.
fn text_origin(rect: Rect, theme: &Theme, scroll: f32) -> Point {
    let line = line_height(&text_style(theme));
    Point::new(
        (rect.x + theme.padding - scroll).round(),
        (rect.y + (rect.h - line) / 2.0).round(),
    )
}

/// The scroll offset that keeps the caret inside a view `view_w` wide,
/// moving as little as possible and never leaving room after the text's end.
fn keep_visible(scroll: f32, caret_x: f32, text_w: f32, view_w: f32) -> f32 {
    let mut scroll = scroll;
    if caret_x - scroll > view_w - CARET_W {
        scroll = caret_x - view_w + CARET_W;
    }
    if caret_x < scroll {
        scroll = caret_x;
    }
    scroll.min(text_w + CARET_W - view_w).max(0.0).round()
}

impl<'a, M: Clone + 'a> Widget<'a, M> for TextInput<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let theme = cx.theme().clone();
        let style = text_style(&theme);
        let width = self
            .width
            .unwrap_or(DEFAULT_WIDTH.max(constraints.min.w).min(constraints.max.w));
        let size = constraints.constrain(Size::new(
            width,
            (line_height(&style) + 2.0 * PAD_Y).max(MIN_HEIGHT),
        ));
        let view_w = (size.w - 2.0 * theme.padding).max(0.0);
        let layout = cx.text().layout(&self.value, &style, None);
        self.placeholder_layout = if self.value.is_empty() {
            Some(cx.text().ellipsize(&self.placeholder, &style, view_w))
        } else {
            None
        };
        // Scroll here too, not only in paint, so a click lands where the
        // text is even before the first frame.
        let state = cx.state::<FieldState>();
        let caret = layout.caret_x(state.caret.min(self.value.len()));
        state.scroll = keep_visible(state.scroll, caret, layout.size().w, view_w);
        self.layout = Some(layout);
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let Some(layout) = &self.layout else { return };
        let theme = cx.theme().clone();
        let focused = cx.is_focused();
        let state = cx.state::<FieldState>();
        state.settle(&self.value);
        state.clamp(layout);
        let view_w = (rect.w - 2.0 * theme.padding).max(0.0);
        let caret_x = layout.caret_x(state.caret);
        state.scroll = keep_visible(state.scroll, caret_x, layout.size().w, view_w);
        let (selection, scroll) = (state.selection(), state.scroll);

        let painter = cx.painter();
        let fill = if self.on_input.is_some() {
            theme.surface
        } else {
            theme.background
        };
        painter.fill_rounded_rect(rect, theme.radius, fill);
        painter.stroke_rounded_rect(rect.inset(0.5), theme.radius, 1.0, theme.border);
        if focused {
            painter.stroke_rounded_rect(rect.inset(-2.0), theme.radius + 2.0, 2.0, theme.focus);
        }
        let origin = text_origin(rect, &theme, scroll);
        let line = line_height(&text_style(&theme)).round();
        // Whole device pixels, so the caret and selection edges are crisp.
        let s = painter.scale();
        let snap = |x: f32| (x * s).round() / s;
        painter.with_clip(text_box(rect, &theme), |painter| {
            if focused && !selection.is_empty() {
                for r in layout.selection_rects(selection) {
                    let (x0, x1) = (snap(origin.x + r.x), snap(origin.x + r.right()));
                    painter.fill_rect(Rect::new(x0, origin.y, x1 - x0, line), theme.selection);
                }
            }
            match &self.placeholder_layout {
                Some(placeholder) => painter.text_layout(origin, placeholder, theme.text_muted),
                None => painter.text_layout(origin, layout, theme.text),
            }
            if focused {
                let x = snap(origin.x + caret_x);
                painter.fill_rect(Rect::new(x, origin.y, CARET_W, line), theme.text);
            }
        });
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) => {
                self.edit(cx, |field| field.press(rect, *at))
            }
            WidgetEvent::PointerMove(at) if cx.state::<FieldState>().dragging => {
                self.edit(cx, |field| field.drag(rect, *at))
            }
            WidgetEvent::PointerUp(PointerButton::Primary, _)
                if cx.state::<FieldState>().dragging =>
            {
                cx.state::<FieldState>().dragging = false;
                cx.release_pointer();
                Handled::Yes
            }
            WidgetEvent::Key(key) if key.state == ButtonState::Pressed => {
                self.edit(cx, |field| field.key(key))
            }
            WidgetEvent::FocusGained => {
                // Focus from the keyboard selects everything, so typing
                // replaces it; a click then places the caret instead.
                self.edit(cx, |field| {
                    field.select(0, field.text.len());
                    Handled::No
                })
            }
            WidgetEvent::FocusLost => {
                cx.state::<FieldState>().dragging = false;
                cx.request_repaint();
                Handled::No
            }
            _ => Handled::No,
        }
    }

    fn focusable(&self) -> bool {
        true
    }

    fn label(&self) -> Option<&str> {
        if self.value.is_empty() {
            Some(&self.placeholder)
        } else {
            Some(&self.value)
        }
    }

    fn cursor(&self) -> Cursor {
        Cursor::Text
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "text_input"
    }
}

impl<M: Clone> TextInput<'_, M> {
    /// Run `step` on the field as the user sees it, then store the caret and
    /// send the edit it made, if any.
    fn edit(
        &self,
        cx: &mut EventCx<'_, M>,
        step: impl FnOnce(&mut Field<'_>) -> Handled,
    ) -> Handled {
        let theme = cx.theme().clone();
        let mut state = std::mem::take(cx.state::<FieldState>());
        state.settle(&self.value);
        let text = state.text(&self.value);
        let layout = cx.text().layout(&text, &text_style(&theme), None);
        state.clamp(&layout);
        let (caret, anchor) = (state.caret, state.anchor);
        let mut field = Field {
            text,
            layout,
            theme,
            clipboard: cx.clipboard(),
            editable: self.on_input.is_some(),
            submittable: self.on_submit.is_some(),
            state,
            changed: None,
            submit: false,
        };
        let handled = step(&mut field);
        let Field {
            mut state,
            changed,
            submit,
            ..
        } = field;
        if let (Some(new), Some(on_input)) = (changed, &self.on_input) {
            state.sent(&self.value, new.clone(), caret, anchor);
            cx.emit(on_input(new));
        }
        if let (true, Some(msg)) = (submit, &self.on_submit) {
            cx.emit(msg.clone());
        }
        if state.dragging {
            cx.capture_pointer();
        }
        *cx.state::<FieldState>() = state;
        if handled == Handled::Yes {
            cx.request_repaint();
        }
        handled
    }
}

impl<'a, M: Clone + 'a> From<TextInput<'a, M>> for oneloop::Element<'a, M> {
    fn from(input: TextInput<'a, M>) -> Self {
        oneloop::Element::new(input)
    }
}
