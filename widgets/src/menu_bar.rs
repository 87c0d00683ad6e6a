//! A menu bar: titles along the top of the window, each opening a menu with
//! submenus. Alt (pressed and released alone) or F10 opens the first menu
//! from the keyboard; arrows move (Left and Right to the neighbouring menu),
//! Enter chooses, Escape closes. Accelerators such as Ctrl+O trigger their
//! entries from anywhere in the window, and disabled entries never do.

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextStyle};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::{ButtonState, Element, Key, KeyEvent, Modifiers, NamedKey, PointerButton};

use crate::menu::{self, MenuItem, Nav, NavKey};

/// One menu of a [`MenuBar`]: its title and its entries.
#[must_use]
pub struct Menu<'a, M> {
    title: Cow<'a, str>,
    items: Vec<MenuItem<'a, M>>,
}

/// A menu titled `title` holding `items`, for [`menu_bar`].
pub fn menu<'a, M>(
    title: impl Into<Cow<'a, str>>,
    items: impl IntoIterator<Item = MenuItem<'a, M>>,
) -> Menu<'a, M> {
    Menu {
        title: title.into(),
        items: items.into_iter().collect(),
    }
}

/// A row of menus along the top of the window.
#[must_use]
pub struct MenuBar<'a, M> {
    menus: Vec<Menu<'a, M>>,
    /// One title element per menu; the open menu's popup is inside its title.
    titles: Vec<Element<'a, M>>,
}

/// A menu bar of `menus`; put it first in the window's column.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{menu, menu_bar, menu_item, submenu};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Open, Quit, Recent(usize) }
///
/// fn view<'a>() -> Element<'a, Msg> {
///     menu_bar([menu("File", [
///         menu_item("Open…").on_press(Msg::Open).accel("Ctrl+O"),
///         submenu("Recent", [menu_item("notes.txt").on_press(Msg::Recent(0))]),
///         menu_item("Save"), // disabled
///         menu_item("Quit").on_press(Msg::Quit).accel("Ctrl+Q"),
///     ])])
///     .into()
/// }
/// ```
pub fn menu_bar<'a, M>(menus: impl IntoIterator<Item = Menu<'a, M>>) -> MenuBar<'a, M> {
    MenuBar {
        menus: menus.into_iter().collect(),
        titles: Vec::new(),
    }
}

/// Which menu is open, and whether a lone Alt press is under way.
#[derive(Debug, Default)]
struct BarState {
    open: Option<(usize, Nav)>,
    alt_alone: bool,
}

const HEIGHT: f32 = 30.0;
const TITLE_PAD_X: f32 = 10.0;

impl<'a, M: Clone + 'a> Widget<'a, M> for MenuBar<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let open = cx.state::<BarState>().open.clone();
        let style = TextStyle::new(cx.theme().font_size);
        self.titles = self
            .menus
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let popup = match &open {
                    Some((at, nav)) if *at == i => Some(menu::menu_popup(&m.items, nav, 0).into()),
                    _ => None,
                };
                Element::new(Title {
                    text: m.title.clone(),
                    open: popup.is_some(),
                    popup: popup.into_iter().collect(),
                })
            })
            .collect();
        let mut x = 4.0;
        for (i, title) in self.titles.iter_mut().enumerate() {
            cx.adopt(i, title);
            let w = cx.text().measure(&self.menus[i].title, &style).w + 2.0 * TITLE_PAD_X;
            title.layout(cx, Constraints::tight(Size::new(w, HEIGHT - 4.0)));
            title.set_origin(Point::new(x, 2.0));
            x += w;
        }
        constraints.constrain(Size::new(constraints.max.w.min(1e6).max(x), HEIGHT))
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let painter = cx.painter();
        painter.fill_rect(rect, theme.surface);
        let y = rect.bottom() - 0.5;
        let (from, to) = (Point::new(rect.x, y), Point::new(rect.right(), y));
        painter.line(from, to, 1.0, theme.border);
        for title in &self.titles {
            title.paint(cx);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        let open = cx.state::<BarState>().open.clone();
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) => {
                if let Some(i) = self.title_at(*at) {
                    match open {
                        Some((o, _)) if o == i => self.close(cx),
                        _ => self.open(cx, i, false),
                    }
                    return Handled::Yes;
                }
                if self.row_at(*at).is_some() {
                    return Handled::Yes;
                }
                Handled::No
            }
            WidgetEvent::PointerMove(at) if open.is_some() => self.hover(cx, *at),
            WidgetEvent::PointerUp(PointerButton::Primary, at) if open.is_some() => {
                if let Some((depth, index)) = self.row_at(*at) {
                    self.click(cx, depth, index);
                }
                Handled::Yes
            }
            WidgetEvent::Key(key) if open.is_some() => self.key(cx, key),
            WidgetEvent::Shortcut(key) => self.shortcut(cx, key),
            WidgetEvent::Dismiss if open.is_some() => {
                self.close(cx);
                Handled::Yes
            }
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.titles
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.titles
    }

    fn kind(&self) -> &'static str {
        "menu bar"
    }
}

impl<M: Clone> MenuBar<'_, M> {
    fn open(&self, cx: &mut EventCx<'_, M>, index: usize, from_keyboard: bool) {
        let Some(m) = self.menus.get(index) else {
            return;
        };
        cx.state::<BarState>().open = Some((index, Nav::open(&m.items, from_keyboard)));
        cx.request_layout();
    }

    fn close(&self, cx: &mut EventCx<'_, M>) {
        cx.state::<BarState>().open = None;
        cx.request_layout();
    }

    fn title_at(&self, at: Point) -> Option<usize> {
        self.titles.iter().position(|t| t.rect().contains(at))
    }

    fn row_at(&self, at: Point) -> Option<(usize, usize)> {
        let open = self
            .titles
            .iter()
            .find_map(|t| t.widget().children().first())?;
        menu::row_at(open, at)
    }

    fn hover(&self, cx: &mut EventCx<'_, M>, at: Point) -> Handled {
        let Some(open) = cx.state::<BarState>().open.as_ref().map(|(i, _)| *i) else {
            return Handled::No;
        };
        if let Some(i) = self.title_at(at) {
            if i != open {
                self.open(cx, i, false);
            }
            return Handled::Yes;
        }
        let Some((depth, index)) = self.row_at(at) else {
            return Handled::No;
        };
        let Some((_, nav)) = &mut cx.state::<BarState>().open else {
            return Handled::No;
        };
        let before = nav.clone();
        nav.hover(&self.menus[open].items, depth, index);
        if *nav != before {
            cx.request_layout();
        }
        Handled::Yes
    }

    fn click(&self, cx: &mut EventCx<'_, M>, depth: usize, index: usize) {
        let Some((open, nav)) = cx.state::<BarState>().open.clone() else {
            return;
        };
        let path = nav.path_to(depth, index);
        let items = &self.menus[open].items;
        if menu::item_at(items, &path).is_some_and(|i| i.on_press.is_some()) {
            self.choose(cx, open, &path);
        }
    }

    fn choose(&self, cx: &mut EventCx<'_, M>, menu_index: usize, path: &[usize]) {
        self.close(cx);
        let item = menu::item_at(&self.menus[menu_index].items, path);
        if let Some(msg) = item.and_then(|i| i.on_press.clone()) {
            cx.emit(msg);
        }
    }

    /// A key while a menu is open.
    fn key(&self, cx: &mut EventCx<'_, M>, key: &KeyEvent) -> Handled {
        if self.enters(cx, key) {
            self.close(cx);
            return Handled::Yes;
        }
        if key.state != ButtonState::Pressed {
            return Handled::No;
        }
        let state = cx.state::<BarState>();
        let Some((open, nav)) = &mut state.open else {
            return Handled::No;
        };
        let open = *open;
        match nav.key(&self.menus[open].items, key) {
            NavKey::Moved => cx.request_layout(),
            NavKey::Choose(path) => self.choose(cx, open, &path),
            NavKey::Close => self.close(cx),
            NavKey::Sideways(right) => {
                let n = self.menus.len();
                let next = if right {
                    (open + 1) % n
                } else {
                    (open + n - 1) % n
                };
                self.open(cx, next, true);
            }
            NavKey::Ignored => return Handled::No,
        }
        Handled::Yes
    }

    /// A key nothing else used: F10 or a lone Alt opens the first menu,
    /// an accelerator triggers its entry.
    fn shortcut(&self, cx: &mut EventCx<'_, M>, key: &KeyEvent) -> Handled {
        if self.enters(cx, key) {
            let open = cx.state::<BarState>().open.is_some();
            if open {
                self.close(cx);
            } else {
                self.open(cx, 0, true);
            }
            return Handled::Yes;
        }
        for (i, m) in self.menus.iter().enumerate() {
            if let Some(path) = menu::accel_path(&m.items, key) {
                self.choose(cx, i, &path);
                return Handled::Yes;
            }
        }
        Handled::No
    }

    /// Whether `key` is the one that enters (or leaves) the bar: plain F10,
    /// or releasing Alt with no other key pressed since it went down.
    fn enters(&self, cx: &mut EventCx<'_, M>, key: &KeyEvent) -> bool {
        let state = cx.state::<BarState>();
        let alt = key.key == Key::Named(NamedKey::Alt);
        match key.state {
            ButtonState::Pressed if alt => {
                state.alt_alone = !key.repeat || state.alt_alone;
                false
            }
            ButtonState::Pressed => {
                state.alt_alone = false;
                key.key == Key::Named(NamedKey::F(10)) && key.modifiers == Modifiers::default()
            }
            ButtonState::Released if alt => std::mem::take(&mut state.alt_alone),
            ButtonState::Released => false,
        }
    }
}

/// A menu's title in the bar; its menu's popup is its child while open.
struct Title<'a, M> {
    text: Cow<'a, str>,
    open: bool,
    popup: Vec<Element<'a, M>>,
}

impl<'a, M: 'a> Widget<'a, M> for Title<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        for popup in &mut self.popup {
            popup.layout(cx, Constraints::loose(constraints.max));
        }
        constraints.min
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let hovered = cx.is_hovered();
        let style = TextStyle::new(theme.font_size);
        let painter = cx.painter();
        let text = if self.open {
            painter.fill_rounded_rect(rect, theme.radius, theme.accent);
            theme.on_accent
        } else {
            if hovered {
                painter.fill_rounded_rect(rect, theme.radius, theme.surface_hover);
            }
            theme.text
        };
        let h = theme.font_size * style.line_height;
        let at = Point::new(rect.x + TITLE_PAD_X, (rect.y + (rect.h - h) / 2.0).round());
        painter.text(at, &self.text, &style.with_color(text));
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        if matches!(event, WidgetEvent::PointerEnter | WidgetEvent::PointerLeave) {
            cx.request_repaint();
        }
        Handled::No
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.popup
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.popup
    }

    fn label(&self) -> Option<&str> {
        Some(&self.text)
    }

    fn cursor(&self) -> Cursor {
        Cursor::Pointer
    }

    fn kind(&self) -> &'static str {
        "menu title"
    }
}

impl<'a, M: Clone + 'a> From<MenuBar<'a, M>> for Element<'a, M> {
    fn from(bar: MenuBar<'a, M>) -> Self {
        Element::new(bar)
    }
}
