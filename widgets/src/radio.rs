//! A radio group: a set of options of which one is chosen. A click on an
//! option (its circle or its label) picks it; while the group has focus the
//! arrow keys move the choice to the previous or next option and Space
//! picks the option the focus ring is on.

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, Element, Key, NamedKey, PointerButton};

use crate::tone::mix;

/// Options in a column (or a row), at most one of them chosen.
///
/// The group does not keep the choice: the app passes it in with
/// [`radio_group`] and stores the index [`RadioGroup::on_select`] sends.
#[must_use]
pub struct RadioGroup<'a, M> {
    texts: Vec<Cow<'a, str>>,
    options: Vec<Element<'a, M>>,
    selected: Option<usize>,
    on_select: Option<Box<dyn Fn(usize) -> M + 'a>>,
    horizontal: bool,
}

/// A group of `options` with `selected` chosen (`None`: nothing yet). It
/// ignores input (and looks disabled) until it gets [`RadioGroup::on_select`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::radio_group;
///
/// #[derive(Debug, Clone)]
/// enum Msg { Size(usize) }
///
/// fn view<'a>(size: usize) -> Element<'a, Msg> {
///     radio_group(["Small", "Medium", "Large"], Some(size)).on_select(Msg::Size).into()
/// }
/// ```
pub fn radio_group<'a, M: 'a, S: Into<Cow<'a, str>>>(
    options: impl IntoIterator<Item = S>,
    selected: Option<usize>,
) -> RadioGroup<'a, M> {
    let mut group = RadioGroup {
        texts: options.into_iter().map(Into::into).collect(),
        options: Vec::new(),
        selected,
        on_select: None,
        horizontal: false,
    };
    group.build_options();
    group
}

impl<'a, M: 'a> RadioGroup<'a, M> {
    /// Send `to_message(index)` when the user picks an option.
    pub fn on_select(mut self, to_message: impl Fn(usize) -> M + 'a) -> Self {
        self.on_select = Some(Box::new(to_message));
        self.build_options();
        self
    }

    /// One child per option, so each can be found (and hovered) by its label.
    fn build_options(&mut self) {
        let enabled = self.on_select.is_some();
        self.options = self
            .texts
            .iter()
            .enumerate()
            .map(|(index, text)| {
                Element::new(RadioOption {
                    text: text.clone(),
                    chosen: self.selected == Some(index),
                    enabled,
                    layout: None,
                })
            })
            .collect();
    }
}

impl<'a, M> RadioGroup<'a, M> {
    /// Lay the options out side by side instead of one under the other.
    pub fn horizontal(mut self) -> Self {
        self.horizontal = true;
        self
    }

    /// The option the keyboard acts on: the chosen one, else the first.
    fn current(&self) -> usize {
        self.selected
            .filter(|i| *i < self.options.len())
            .unwrap_or(0)
    }

    fn pick(&self, cx: &mut EventCx<'_, M>, index: usize) {
        if let Some(to_message) = &self.on_select {
            if self.selected != Some(index) {
                cx.emit(to_message(index));
            }
        }
    }

    fn option_at(&self, at: Point) -> Option<usize> {
        self.options.iter().position(|o| o.rect().contains(at))
    }

    fn key(&self, cx: &mut EventCx<'_, M>, key: &Key) -> Handled {
        let count = self.options.len();
        if count == 0 {
            return Handled::No;
        }
        let current = self.current();
        let (back, on) = if self.horizontal {
            (NamedKey::ArrowLeft, NamedKey::ArrowRight)
        } else {
            (NamedKey::ArrowUp, NamedKey::ArrowDown)
        };
        let target = match key {
            Key::Named(NamedKey::Space) => current,
            // Both arrow pairs work either way round, as on every desktop.
            Key::Named(k) if *k == back || *k == NamedKey::ArrowLeft || *k == NamedKey::ArrowUp => {
                (current + count - 1) % count
            }
            Key::Named(k)
                if *k == on || *k == NamedKey::ArrowRight || *k == NamedKey::ArrowDown =>
            {
                (current + 1) % count
            }
            Key::Named(NamedKey::Home) => 0,
            Key::Named(NamedKey::End) => count - 1,
            _ => return Handled::No,
        };
        self.pick(cx, target);
        Handled::Yes
    }
}

/// Space between options.
const SPACING_V: f32 = 2.0;
const SPACING_H: f32 = 18.0;

impl<'a, M: 'a> Widget<'a, M> for RadioGroup<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let loose = constraints.loosen();
        let (mut main, mut cross) = (0.0f32, 0.0f32);
        let spacing = if self.horizontal {
            SPACING_H
        } else {
            SPACING_V
        };
        for (index, option) in self.options.iter_mut().enumerate() {
            if index > 0 {
                main += spacing;
            }
            let size = option.layout(cx, loose);
            if self.horizontal {
                option.set_origin(Point::new(main, 0.0));
                main += size.w;
                cross = cross.max(size.h);
            } else {
                option.set_origin(Point::new(0.0, main));
                main += size.h;
                cross = cross.max(size.w);
            }
        }
        if self.horizontal {
            Size::new(main, cross)
        } else {
            Size::new(cross, main)
        }
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        let focused = cx.is_focused();
        let focus = cx.theme().focus;
        for (index, option) in self.options.iter().enumerate() {
            option.paint(cx);
            if focused && index == self.current() {
                let dot = circle_rect(option.rect());
                let ring = dot.inset(-3.0);
                cx.painter()
                    .stroke_circle(ring.center(), ring.w / 2.0, 2.0, focus);
            }
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        if self.on_select.is_none() {
            return Handled::No;
        }
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) => {
                cx.request_repaint();
                if self.option_at(*at).is_some() {
                    Handled::Yes
                } else {
                    Handled::No
                }
            }
            WidgetEvent::PointerUp(PointerButton::Primary, at) => {
                cx.request_repaint();
                if let Some(index) = self.option_at(*at) {
                    self.pick(cx, index);
                }
                Handled::Yes
            }
            WidgetEvent::Key(key) if key.state == ButtonState::Pressed => self.key(cx, &key.key),
            WidgetEvent::FocusGained | WidgetEvent::FocusLost => {
                cx.request_repaint();
                Handled::No
            }
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.options
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.options
    }

    fn focusable(&self) -> bool {
        self.on_select.is_some() && !self.options.is_empty()
    }

    fn kind(&self) -> &'static str {
        "radio_group"
    }
}

/// Diameter of an option's circle.
const DOT: f32 = 16.0;
const GAP: f32 = 8.0;
const PAD_Y: f32 = 4.0;

/// Where the circle of an option at `rect` is.
fn circle_rect(rect: Rect) -> Rect {
    Rect::new(
        rect.x.round(),
        (rect.y + (rect.h - DOT) / 2.0).round(),
        DOT,
        DOT,
    )
}

/// One option of a group: a circle and a label, found by that label.
struct RadioOption<'a> {
    text: Cow<'a, str>,
    chosen: bool,
    enabled: bool,
    layout: Option<TextLayout>,
}

impl<'a, M> Widget<'a, M> for RadioOption<'a> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let style = TextStyle::new(cx.theme().font_size);
        let max_text = (constraints.max.w - DOT - GAP).max(0.0);
        let layout = cx.text().ellipsize(&self.text, &style, max_text);
        let text = layout.size();
        self.layout = Some(layout);
        Size::new(DOT + GAP + text.w, text.h.max(DOT) + 2.0 * PAD_Y)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let enabled = self.enabled;
        let hovered = enabled && cx.is_hovered();
        let dot = circle_rect(rect);
        let center = dot.center();
        let (fill, border, mark) = match (enabled, self.chosen) {
            (false, chosen) => (
                theme.surface,
                theme.border,
                chosen.then_some(theme.text_muted),
            ),
            (true, true) => {
                let accent = if hovered {
                    mix(theme.accent, theme.text, 0.12)
                } else {
                    theme.accent
                };
                (accent, accent, Some(theme.on_accent))
            }
            (true, false) if hovered => (theme.surface_hover, theme.accent, None),
            (true, false) => (theme.surface, theme.text_muted, None),
        };
        let painter = cx.painter();
        painter.fill_circle(center, DOT / 2.0, fill);
        painter.stroke_circle(center, DOT / 2.0 - 0.5, 1.0, border);
        if let Some(mark) = mark {
            painter.fill_circle(center, 3.5, mark);
        }
        if let Some(layout) = &self.layout {
            let at = Point::new(
                dot.right() + GAP,
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

    fn label(&self) -> Option<&str> {
        Some(&self.text)
    }

    fn cursor(&self) -> Cursor {
        // The group decides what a click does; the option shows it can be clicked.
        if self.enabled {
            Cursor::Pointer
        } else {
            Cursor::Default
        }
    }

    fn kind(&self) -> &'static str {
        "radio_option"
    }
}

impl<'a, M: 'a> From<RadioGroup<'a, M>> for Element<'a, M> {
    fn from(group: RadioGroup<'a, M>) -> Self {
        Element::new(group)
    }
}
