//! Tabs: a strip of titles over the content of the chosen one. A click on
//! a title chooses it; Ctrl+Tab and Ctrl+Shift+Tab go to the next and the
//! previous tab from anywhere inside; while the strip has focus the arrow
//! keys, Home and End move along it.

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, Element, Key, NamedKey, PointerButton};

/// A tab strip and the content of the chosen tab.
///
/// The app keeps which tab is chosen: it passes it to [`tabs`] and stores
/// the index [`Tabs::on_select`] sends. Only the chosen tab's content is
/// laid out and shown; the others are dropped with the view.
#[must_use]
pub struct Tabs<'a, M> {
    selected: usize,
    titles: Vec<Cow<'a, str>>,
    content: Option<Element<'a, M>>,
    on_select: Option<Box<dyn Fn(usize) -> M + 'a>>,
    /// The strip, then the chosen content; built at layout.
    children: Vec<Element<'a, M>>,
    flex: f32,
}

/// Tabs with tab `selected` chosen; add them with [`Tabs::tab`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{label, tabs};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Tab(usize) }
///
/// fn view<'a>(tab: usize) -> Element<'a, Msg> {
///     tabs(tab)
///         .on_select(Msg::Tab)
///         .tab("General", label("General settings"))
///         .tab("Advanced", label("Advanced settings"))
///         .into()
/// }
/// ```
pub fn tabs<'a, M>(selected: usize) -> Tabs<'a, M> {
    Tabs {
        selected,
        titles: Vec::new(),
        content: None,
        on_select: None,
        children: Vec::new(),
        flex: 0.0,
    }
}

impl<'a, M: 'a> Tabs<'a, M> {
    /// Add a tab titled `title` showing `content` while it is chosen.
    pub fn tab(
        mut self,
        title: impl Into<Cow<'a, str>>,
        content: impl Into<Element<'a, M>>,
    ) -> Self {
        if self.titles.len() == self.selected {
            self.content = Some(content.into());
        }
        self.titles.push(title.into());
        self.build();
        self
    }

    /// Send `to_message(index)` when the user chooses another tab.
    pub fn on_select(mut self, to_message: impl Fn(usize) -> M + 'a) -> Self {
        self.on_select = Some(Box::new(to_message));
        self.build();
        self
    }

    /// Take this share of the spare room in a parent row or column.
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }

    /// The strip and the content as children, so both can be found and
    /// hit-tested; rebuilt as tabs are added.
    fn build(&mut self) {
        let titles = self
            .titles
            .iter()
            .enumerate()
            .map(|(index, text)| {
                Element::new(TabTitle {
                    text: text.clone(),
                    chosen: index == self.selected,
                    layout: None,
                })
            })
            .collect();
        let strip = Element::new(TabStrip {
            titles,
            chosen: self.selected,
            enabled: self.on_select.is_some(),
        });
        let content = self
            .children
            .drain(..)
            .nth(1)
            .or_else(|| self.content.take());
        self.children = std::iter::once(strip).chain(content).collect();
    }
}

impl<'a, M> Tabs<'a, M> {
    fn choose(&self, cx: &mut EventCx<'_, M>, index: usize) {
        if let Some(to_message) = &self.on_select {
            if index != self.selected && index < self.titles.len() {
                cx.emit(to_message(index));
            }
        }
    }

    fn title_at(&self, at: Point) -> Option<usize> {
        self.children
            .first()?
            .widget()
            .children()
            .iter()
            .position(|t| t.rect().contains(at))
    }

    fn strip_focused(&self, cx: &EventCx<'_, M>) -> bool {
        let strip = self.children.first().map(Element::id);
        strip.is_some() && cx.focused() == strip
    }

    fn key(&self, cx: &mut EventCx<'_, M>, key: &oneloop::KeyEvent) -> Handled {
        let count = self.titles.len();
        if count == 0 {
            return Handled::No;
        }
        let current = self.selected.min(count - 1);
        let next = (current + 1) % count;
        let previous = (current + count - 1) % count;
        let target = match &key.key {
            Key::Named(NamedKey::Tab) if key.modifiers.ctrl => {
                if key.modifiers.shift {
                    previous
                } else {
                    next
                }
            }
            _ if !self.strip_focused(cx) => return Handled::No,
            Key::Named(NamedKey::ArrowRight) => next,
            Key::Named(NamedKey::ArrowLeft) => previous,
            Key::Named(NamedKey::Home) => 0,
            Key::Named(NamedKey::End) => count - 1,
            _ => return Handled::No,
        };
        self.choose(cx, target);
        Handled::Yes
    }
}

impl<'a, M: 'a> Widget<'a, M> for Tabs<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let width = if constraints.max.w.is_finite() {
            constraints.max.w
        } else {
            constraints.min.w
        };
        let mut strip_h = 0.0;
        let mut content_size = Size::ZERO;
        for (index, child) in self.children.iter_mut().enumerate() {
            if index == 0 {
                let size = child.layout(cx, Constraints::tight(Size::new(width, STRIP_H)));
                child.set_origin(Point::new(0.0, 0.0));
                strip_h = size.h;
            } else {
                let room = Size::new(width, (constraints.max.h - strip_h).max(0.0));
                let min = Size::new(width, (constraints.min.h - strip_h).max(0.0));
                content_size = child.layout(cx, Constraints { min, max: room });
                child.set_origin(Point::new(0.0, strip_h));
            }
        }
        Size::new(width, strip_h + content_size.h)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        for child in &self.children {
            child.paint(cx);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        if self.on_select.is_none() {
            return Handled::No;
        }
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at)
                if self.title_at(*at).is_some() =>
            {
                Handled::Yes
            }
            WidgetEvent::PointerUp(PointerButton::Primary, at) => {
                if let Some(index) = self.title_at(*at) {
                    self.choose(cx, index);
                }
                Handled::Yes
            }
            WidgetEvent::Key(key) if key.state == ButtonState::Pressed => self.key(cx, key),
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.children
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "tabs"
    }
}

/// The strip's height.
const STRIP_H: f32 = 36.0;
/// Room left and right of a title.
const TITLE_PAD: f32 = 14.0;
/// The chosen tab's underline.
const UNDERLINE: f32 = 2.0;

/// The row of titles: the focus stop of the tabs.
struct TabStrip<'a, M> {
    titles: Vec<Element<'a, M>>,
    chosen: usize,
    enabled: bool,
}

impl<'a, M> Widget<'a, M> for TabStrip<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let mut x = 0.0;
        for title in &mut self.titles {
            let size = title.layout(cx, Constraints::loose(Size::new(f32::INFINITY, STRIP_H)));
            title.set_origin(Point::new(x, 0.0));
            x += size.w;
        }
        Size::new(constraints.max.w, STRIP_H)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let focused = cx.is_focused();
        let painter = cx.painter();
        let base = Rect::new(rect.x, (rect.bottom() - 1.0).round(), rect.w, 1.0);
        painter.fill_rect(base, theme.border);
        for title in &self.titles {
            title.paint(cx);
        }
        if focused {
            if let Some(chosen) = self.titles.get(self.chosen) {
                let ring = chosen.rect().inset_xy(2.0, 4.0);
                cx.painter()
                    .stroke_rounded_rect(ring, theme.radius, 2.0, theme.focus);
            }
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.titles
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.titles
    }

    fn focusable(&self) -> bool {
        self.enabled && !self.titles.is_empty()
    }

    fn kind(&self) -> &'static str {
        "tab_strip"
    }
}

/// One tab's title, found by its text.
struct TabTitle<'a> {
    text: Cow<'a, str>,
    chosen: bool,
    layout: Option<TextLayout>,
}

impl<'a, M> Widget<'a, M> for TabTitle<'a> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, _constraints: Constraints) -> Size {
        let mut style = TextStyle::new(cx.theme().font_size);
        if self.chosen {
            style = style.bold();
        }
        let layout = cx.text().layout(&self.text, &style, None);
        let width = layout.size().w + 2.0 * TITLE_PAD;
        self.layout = Some(layout);
        Size::new(width, STRIP_H)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let hovered = cx.is_hovered();
        let painter = cx.painter();
        if hovered && !self.chosen {
            let back = Rect::new(rect.x, rect.y + 3.0, rect.w, rect.h - 4.0);
            painter.fill_rounded_rect(back, theme.radius, theme.surface_hover);
        }
        if self.chosen {
            let line = Rect::new(
                rect.x,
                (rect.bottom() - UNDERLINE).round(),
                rect.w,
                UNDERLINE,
            );
            painter.fill_rect(line, theme.accent);
        }
        if let Some(layout) = &self.layout {
            let at = Point::new(
                (rect.x + TITLE_PAD).round(),
                (rect.y + (rect.h - layout.size().h) / 2.0).round(),
            );
            let color = if self.chosen {
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
        Cursor::Pointer
    }

    fn kind(&self) -> &'static str {
        "tab_title"
    }
}

impl<'a, M: 'a> From<Tabs<'a, M>> for Element<'a, M> {
    fn from(tabs: Tabs<'a, M>) -> Self {
        Element::new(tabs)
    }
}
