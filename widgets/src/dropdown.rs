//! A dropdown (pick list): shows the chosen value and opens a list of the
//! others in a popup. Arrows move through the list, Enter picks, Escape
//! closes, and typing letters jumps to the first entry that starts with
//! them; the mouse opens it and picks an entry with a click.

use std::borrow::Cow;

use oneloop::popup::popup;
use oneloop::render::{Point, Rect, Size, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, Element, Key, KeyEvent, NamedKey, PointerButton};

use crate::menu::{self, RowLook};

/// A closed field showing one value of a list, which opens to pick another.
///
/// Like the checkbox, the dropdown does not keep the choice itself: the app
/// passes it in and updates it when [`Dropdown::on_select`] reports a pick.
#[must_use]
pub struct Dropdown<'a, M> {
    options: Vec<Cow<'a, str>>,
    selected: Option<usize>,
    placeholder: Cow<'a, str>,
    on_select: Option<Box<dyn Fn(usize) -> M + 'a>>,
    /// The open list, built while laying out.
    popup: Vec<Element<'a, M>>,
}

/// A dropdown over `options` showing `selected`. It ignores input (and
/// looks disabled) until it gets [`Dropdown::on_select`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::dropdown;
///
/// #[derive(Debug, Clone)]
/// enum Msg { Size(usize) }
///
/// fn view<'a>(size: usize) -> Element<'a, Msg> {
///     dropdown(["Small", "Medium", "Large"], Some(size)).on_select(Msg::Size).into()
/// }
/// ```
pub fn dropdown<'a, M, S: Into<Cow<'a, str>>>(
    options: impl IntoIterator<Item = S>,
    selected: Option<usize>,
) -> Dropdown<'a, M> {
    Dropdown {
        options: options.into_iter().map(Into::into).collect(),
        selected,
        placeholder: Cow::Borrowed("Choose…"),
        on_select: None,
        popup: Vec::new(),
    }
}

impl<'a, M> Dropdown<'a, M> {
    /// Send `to_message(index)` when the user picks the entry at `index`.
    pub fn on_select(mut self, to_message: impl Fn(usize) -> M + 'a) -> Self {
        self.on_select = Some(Box::new(to_message));
        self
    }

    /// The text shown while nothing is chosen.
    pub fn placeholder(mut self, text: impl Into<Cow<'a, str>>) -> Self {
        self.placeholder = text.into();
        self
    }

    fn enabled(&self) -> bool {
        self.on_select.is_some()
    }

    fn shown(&self) -> &str {
        self.selected
            .and_then(|i| self.options.get(i))
            .map_or(&self.placeholder, |o| o)
    }
}

/// What the dropdown remembers between views.
#[derive(Debug, Default)]
struct DropState {
    open: bool,
    highlight: Option<usize>,
    /// Letters typed since the list opened, for type-to-select.
    typed: String,
}

const HEIGHT: f32 = 32.0;
const PAD_X: f32 = 10.0;
/// Room for the arrow on the right.
const ARROW_W: f32 = 22.0;

impl<'a, M: Clone + 'a> Widget<'a, M> for Dropdown<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let style = TextStyle::new(cx.theme().font_size);
        let widest = std::iter::once(&self.placeholder)
            .chain(&self.options)
            .map(|o| cx.text().measure(o, &style).w)
            .fold(0.0, f32::max);
        let size = constraints.constrain(Size::new(widest + 2.0 * PAD_X + ARROW_W, HEIGHT));
        let state = cx.state::<DropState>();
        let (open, highlight) = (state.open && self.enabled(), state.highlight);
        self.popup.clear();
        if open {
            let rows = self
                .options
                .iter()
                .enumerate()
                .map(|(i, option)| {
                    let look = RowLook {
                        enabled: true,
                        highlighted: highlight == Some(i),
                        checked: self.selected == Some(i),
                    };
                    (option.clone(), None, false, look)
                })
                .collect();
            let mut list: Element<'a, M> = popup(menu::panel(rows, None).min_width(size.w)).into();
            cx.adopt(0, &mut list);
            list.layout(cx, Constraints::loose(size));
            self.popup.push(list);
        }
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let (hovered, focused) = (cx.is_hovered_within(), cx.is_focused());
        let open = !self.popup.is_empty();
        let fill = if !self.enabled() {
            theme.background
        } else if hovered || open {
            theme.surface_hover
        } else {
            theme.surface
        };
        let border = if open { theme.accent } else { theme.border };
        let text = if self.enabled() && self.selected.is_some() {
            theme.text
        } else {
            theme.text_muted
        };
        let style = TextStyle::new(theme.font_size).with_color(text);
        let painter = cx.painter();
        painter.fill_rounded_rect(rect, theme.radius, fill);
        painter.stroke_rounded_rect(rect.inset(0.5), theme.radius, 1.0, border);
        if focused {
            painter.stroke_rounded_rect(rect.inset(-2.0), theme.radius + 2.0, 2.0, theme.focus);
        }
        let max_w = (rect.w - 2.0 * PAD_X - ARROW_W).max(0.0);
        let layout = painter.text_engine().ellipsize(self.shown(), &style, max_w);
        let y = (rect.y + (rect.h - layout.size().h) / 2.0).round();
        painter.text_layout(Point::new(rect.x + PAD_X, y), &layout, text);
        // A small chevron, pointing up while the list is open.
        let c = Point::new(rect.right() - PAD_X - 6.0, rect.center().y);
        let dy = if open { -2.5 } else { 2.5 };
        let color = theme.text_muted;
        painter.line(c.offset(-4.5, -dy), c.offset(0.0, dy), 1.6, color);
        painter.line(c.offset(0.0, dy), c.offset(4.5, -dy), 1.6, color);
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        if !self.enabled() {
            return Handled::No;
        }
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) => {
                if rect.contains(*at) {
                    let open = !cx.state::<DropState>().open;
                    self.set_open(cx, open);
                    cx.request_focus();
                }
                Handled::Yes
            }
            WidgetEvent::PointerMove(at) => self.hover(cx, *at),
            WidgetEvent::PointerUp(PointerButton::Primary, at) => {
                if let Some(index) = self.row_at(*at) {
                    self.pick(cx, index);
                }
                Handled::Yes
            }
            WidgetEvent::Key(key) if key.state == ButtonState::Pressed => self.key(cx, key),
            WidgetEvent::Dismiss | WidgetEvent::FocusLost => {
                self.set_open(cx, false);
                Handled::Yes
            }
            WidgetEvent::PointerEnter | WidgetEvent::PointerLeave | WidgetEvent::HoverWithin(_) => {
                cx.request_repaint();
                Handled::No
            }
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.popup
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.popup
    }

    fn focusable(&self) -> bool {
        self.enabled()
    }

    fn label(&self) -> Option<&str> {
        Some(self.shown())
    }

    fn cursor(&self) -> Cursor {
        crate::press::cursor(self.enabled())
    }

    fn kind(&self) -> &'static str {
        "dropdown"
    }
}

impl<M> Dropdown<'_, M> {
    fn set_open(&self, cx: &mut EventCx<'_, M>, open: bool) {
        let selected = self.selected;
        let state = cx.state::<DropState>();
        if state.open != open {
            state.open = open;
            state.highlight = selected;
            state.typed.clear();
            cx.request_layout();
        }
    }

    fn row_at(&self, at: Point) -> Option<usize> {
        let list = self.popup.first()?;
        menu::row_at(list, at).map(|(_, index)| index)
    }

    fn hover(&self, cx: &mut EventCx<'_, M>, at: Point) -> Handled {
        let Some(index) = self.row_at(at) else {
            return Handled::No;
        };
        self.highlight(cx, Some(index));
        Handled::Yes
    }

    fn highlight(&self, cx: &mut EventCx<'_, M>, index: Option<usize>) {
        let state = cx.state::<DropState>();
        if state.highlight != index {
            state.highlight = index;
            cx.request_layout();
        }
    }

    fn pick(&self, cx: &mut EventCx<'_, M>, index: usize) {
        self.set_open(cx, false);
        if let Some(to_message) = &self.on_select {
            cx.emit(to_message(index));
        }
    }

    fn key(&self, cx: &mut EventCx<'_, M>, key: &KeyEvent) -> Handled {
        let n = self.options.len();
        let state = cx.state::<DropState>();
        let (open, highlight) = (state.open, state.highlight);
        let named = match &key.key {
            Key::Named(named) => Some(*named),
            _ => None,
        };
        if !open {
            return match named {
                Some(
                    NamedKey::Enter | NamedKey::Space | NamedKey::ArrowDown | NamedKey::ArrowUp,
                ) => {
                    self.set_open(cx, true);
                    Handled::Yes
                }
                _ => Handled::No,
            };
        }
        if n == 0 {
            return Handled::No;
        }
        let last = n - 1;
        let moved = match named {
            Some(NamedKey::ArrowDown) => Some(highlight.map_or(0, |i| (i + 1).min(last))),
            Some(NamedKey::ArrowUp) => Some(highlight.map_or(last, |i| i.saturating_sub(1))),
            Some(NamedKey::Home | NamedKey::PageUp) => Some(0),
            Some(NamedKey::End | NamedKey::PageDown) => Some(last),
            Some(NamedKey::Enter | NamedKey::Space) => {
                match highlight {
                    Some(index) => self.pick(cx, index),
                    None => self.set_open(cx, false),
                }
                return Handled::Yes;
            }
            Some(NamedKey::Escape) => {
                self.set_open(cx, false);
                return Handled::Yes;
            }
            Some(_) => return Handled::No,
            None => match key.text.as_deref().filter(|t| !t.trim().is_empty()) {
                Some(text) => self.type_to_select(cx, text),
                None => return Handled::No,
            },
        };
        if moved.is_some() {
            self.highlight(cx, moved);
        }
        Handled::Yes
    }

    /// Jump to the first entry starting with the letters typed so far; a
    /// letter that makes no match starts afresh from the entry after the
    /// highlighted one, so pressing one letter again cycles through its
    /// entries.
    fn type_to_select(&self, cx: &mut EventCx<'_, M>, text: &str) -> Option<usize> {
        let state = cx.state::<DropState>();
        state.typed.push_str(&text.to_lowercase());
        let typed = state.typed.clone();
        let starts = |i: &usize, prefix: &str| self.options[*i].to_lowercase().starts_with(prefix);
        let n = self.options.len();
        if let Some(found) = (0..n).find(|i| starts(i, &typed)) {
            if typed.chars().count() > 1 || Some(found) != state.highlight {
                return Some(found);
            }
        }
        let fresh = text.to_lowercase();
        state.typed.clone_from(&fresh);
        let from = state.highlight.map_or(0, |i| i + 1);
        (0..n).map(|k| (from + k) % n).find(|i| starts(i, &fresh))
    }
}

impl<'a, M: Clone + 'a> From<Dropdown<'a, M>> for Element<'a, M> {
    fn from(dropdown: Dropdown<'a, M>) -> Self {
        Element::new(dropdown)
    }
}
