//! A context menu: a right click on its child opens a menu at the pointer,
//! the Menu key (or Shift+F10) at the widget. Arrows move, Right and Left
//! open and close submenus, Enter chooses, Escape closes; disabled entries
//! are skipped.

use oneloop::popup::Anchor;
use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{Constraints, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent};
use oneloop::{ButtonState, Element, Key, KeyEvent, NamedKey, PointerButton};

use crate::menu::{self, MenuItem, Nav, NavKey};

/// `child` with a menu of `items` on right click and the Menu key.
#[must_use]
pub struct ContextMenu<'a, M> {
    items: Vec<MenuItem<'a, M>>,
    /// The child, then the open menu's popup.
    children: Vec<Element<'a, M>>,
}

/// Give `child` a context menu of `items`.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{context_menu, label, menu_item};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Copy }
///
/// fn view<'a>() -> Element<'a, Msg> {
///     context_menu(label("Right-click me"), [
///         menu_item("Copy").on_press(Msg::Copy).accel("Ctrl+C"),
///         menu_item("Paste"), // disabled
///     ])
///     .into()
/// }
/// ```
pub fn context_menu<'a, M>(
    child: impl Into<Element<'a, M>>,
    items: impl IntoIterator<Item = MenuItem<'a, M>>,
) -> ContextMenu<'a, M> {
    ContextMenu {
        items: items.into_iter().collect(),
        children: vec![child.into()],
    }
}

/// The open menu, if any, and where it opened.
#[derive(Debug, Default)]
struct MenuState {
    nav: Option<Nav>,
    at: Point,
}

impl<'a, M: Clone + 'a> Widget<'a, M> for ContextMenu<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        self.children.truncate(1);
        let size = self.children[0].layout(cx, constraints);
        self.children[0].set_origin(Point::new(0.0, 0.0));
        let state = cx.state::<MenuState>();
        if let Some(nav) = state.nav.clone() {
            let at = state.at;
            let mut open: Element<'a, M> = menu::menu_popup(&self.items, &nav, 0)
                .anchor(Anchor::Point(at))
                .into();
            cx.adopt(1, &mut open);
            open.layout(cx, Constraints::loose(size));
            self.children.push(open);
        }
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        self.children[0].paint(cx);
        if cx.is_focused() {
            let theme = cx.theme().clone();
            let ring = rect.inset(-2.0);
            cx.painter()
                .stroke_rounded_rect(ring, theme.radius + 2.0, 2.0, theme.focus);
        }
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        let open = cx.state::<MenuState>().nav.is_some();
        match event {
            WidgetEvent::PointerDown(PointerButton::Secondary, at) if !open => {
                self.open(cx, *at, false);
                Handled::Yes
            }
            WidgetEvent::Key(key) if !open && opens_menu(key) => {
                self.open(cx, rect.center(), true);
                Handled::Yes
            }
            WidgetEvent::Key(key) if open && key.state == ButtonState::Pressed => self.key(cx, key),
            WidgetEvent::PointerMove(at) if open => self.hover(cx, *at),
            WidgetEvent::PointerDown(_, at) if open && self.row_at(*at).is_some() => Handled::Yes,
            WidgetEvent::PointerUp(PointerButton::Primary, at) if open => {
                if let Some((depth, index)) = self.row_at(*at) {
                    self.click(cx, depth, index);
                }
                Handled::Yes
            }
            WidgetEvent::Dismiss if open => {
                self.close(cx);
                Handled::Yes
            }
            WidgetEvent::Shortcut(key) => match menu::accel_path(&self.items, key) {
                Some(path) => {
                    self.choose(cx, &path);
                    Handled::Yes
                }
                None => Handled::No,
            },
            _ => Handled::No,
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.children
    }

    fn focusable(&self) -> bool {
        true
    }

    fn kind(&self) -> &'static str {
        "context menu"
    }
}

/// The Menu key, or Shift+F10.
fn opens_menu(key: &KeyEvent) -> bool {
    key.state == ButtonState::Pressed
        && match key.key {
            Key::Named(NamedKey::ContextMenu) => true,
            Key::Named(NamedKey::F(10)) => key.modifiers.shift,
            _ => false,
        }
}

impl<M: Clone> ContextMenu<'_, M> {
    fn open(&self, cx: &mut EventCx<'_, M>, at: Point, from_keyboard: bool) {
        let nav = Nav::open(&self.items, from_keyboard);
        let state = cx.state::<MenuState>();
        state.nav = Some(nav);
        state.at = at;
        cx.request_layout();
    }

    fn close(&self, cx: &mut EventCx<'_, M>) {
        cx.state::<MenuState>().nav = None;
        cx.request_layout();
    }

    fn choose(&self, cx: &mut EventCx<'_, M>, path: &[usize]) {
        self.close(cx);
        if let Some(msg) = menu::item_at(&self.items, path).and_then(|i| i.on_press.clone()) {
            cx.emit(msg);
        }
    }

    fn row_at(&self, at: Point) -> Option<(usize, usize)> {
        menu::row_at(self.children.get(1)?, at)
    }

    fn hover(&self, cx: &mut EventCx<'_, M>, at: Point) -> Handled {
        let Some((depth, index)) = self.row_at(at) else {
            return Handled::No;
        };
        let state = cx.state::<MenuState>();
        if let Some(nav) = &mut state.nav {
            let before = nav.clone();
            nav.hover(&self.items, depth, index);
            if *nav != before {
                cx.request_layout();
            }
        }
        Handled::Yes
    }

    fn click(&self, cx: &mut EventCx<'_, M>, depth: usize, index: usize) {
        let Some(nav) = cx.state::<MenuState>().nav.clone() else {
            return;
        };
        let path = nav.path_to(depth, index);
        if menu::item_at(&self.items, &path).is_some_and(|i| i.on_press.is_some()) {
            self.choose(cx, &path);
        }
    }

    fn key(&self, cx: &mut EventCx<'_, M>, key: &KeyEvent) -> Handled {
        let state = cx.state::<MenuState>();
        let Some(nav) = &mut state.nav else {
            return Handled::No;
        };
        match nav.key(&self.items, key) {
            NavKey::Moved | NavKey::Sideways(_) => cx.request_layout(),
            NavKey::Choose(path) => self.choose(cx, &path),
            NavKey::Close => self.close(cx),
            NavKey::Ignored => return Handled::No,
        }
        Handled::Yes
    }
}

impl<'a, M: Clone + 'a> From<ContextMenu<'a, M>> for Element<'a, M> {
    fn from(menu: ContextMenu<'a, M>) -> Self {
        Element::new(menu)
    }
}
