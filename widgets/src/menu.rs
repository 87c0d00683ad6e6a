//! Menu items and what the context menu, the menu bar and the dropdown
//! share: a panel of rows in a popup, submenus as popups inside it, which
//! row the pointer is over, and keyboard navigation.

use std::borrow::Cow;

use oneloop::popup::{popup, Popup};
use oneloop::render::{Point, Rect, Size, TextStyle};
use oneloop::widget::{Constraints, Cursor, LayoutCx, PaintCx, Widget};
use oneloop::{Element, Key, KeyEvent, Modifiers, NamedKey};

/// A key chord such as Ctrl+O that triggers a menu item anywhere in the
/// window, and the label it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accel {
    modifiers: Modifiers,
    key: Key,
    text: String,
}

impl Accel {
    /// Read a chord written as the user sees it: modifiers (`Ctrl`, `Shift`,
    /// `Alt`, `Super`) and one key (a character, `F1`..`F24`, `Enter`,
    /// `Delete`, `Escape`, `Space`, `Tab`), joined by `+`. `None` when it
    /// cannot be read.
    ///
    /// ```
    /// use oneloop_widgets::Accel;
    /// assert!(Accel::parse("Ctrl+Shift+S").is_some());
    /// assert!(Accel::parse("Ctrl+Nope").is_none());
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Accel> {
        let mut modifiers = Modifiers::default();
        let mut parts: Vec<&str> = text.split('+').map(str::trim).collect();
        let key = parts.pop()?;
        for part in parts {
            match part.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => modifiers.ctrl = true,
                "shift" => modifiers.shift = true,
                "alt" => modifiers.alt = true,
                "super" | "cmd" | "logo" => modifiers.logo = true,
                _ => return None,
            }
        }
        let named = |name: NamedKey| Some(Key::Named(name));
        let key = match key.to_ascii_lowercase().as_str() {
            "enter" => named(NamedKey::Enter),
            "delete" | "del" => named(NamedKey::Delete),
            "escape" | "esc" => named(NamedKey::Escape),
            "space" => named(NamedKey::Space),
            "tab" => named(NamedKey::Tab),
            k if k.len() > 1 && k.starts_with('f') => {
                let n: u8 = k[1..].parse().ok()?;
                (1..=24).contains(&n).then_some(Key::Named(NamedKey::F(n)))
            }
            k if k.chars().count() == 1 => Some(Key::Character(k.to_owned())),
            _ => None,
        }?;
        Some(Accel {
            modifiers,
            key,
            text: text.to_owned(),
        })
    }

    /// Whether `key` is a press of this chord (letters in either case).
    #[must_use]
    pub fn matches(&self, key: &KeyEvent) -> bool {
        if key.state != oneloop::ButtonState::Pressed || key.modifiers != self.modifiers {
            return false;
        }
        match (&self.key, &key.key) {
            (Key::Character(want), got) => want.chars().next().is_some_and(|c| got.is_char(c)),
            (want, got) => want == got,
        }
    }

    /// The chord as written, for the menu row.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// One entry of a menu: a command, or a submenu of more entries.
#[must_use]
pub struct MenuItem<'a, M> {
    pub(crate) label: Cow<'a, str>,
    pub(crate) accel: Option<Accel>,
    pub(crate) on_press: Option<M>,
    pub(crate) submenu: Vec<MenuItem<'a, M>>,
}

/// A menu entry labelled `label`. It is disabled (shown muted, never
/// triggered) until it gets [`MenuItem::on_press`].
pub fn menu_item<'a, M>(label: impl Into<Cow<'a, str>>) -> MenuItem<'a, M> {
    MenuItem {
        label: label.into(),
        accel: None,
        on_press: None,
        submenu: Vec::new(),
    }
}

/// An entry that opens `items` beside its menu.
pub fn submenu<'a, M>(
    label: impl Into<Cow<'a, str>>,
    items: impl IntoIterator<Item = MenuItem<'a, M>>,
) -> MenuItem<'a, M> {
    MenuItem {
        submenu: items.into_iter().collect(),
        ..menu_item(label)
    }
}

impl<M> MenuItem<'_, M> {
    /// Send `msg` when the entry is chosen.
    pub fn on_press(mut self, msg: M) -> Self {
        self.on_press = Some(msg);
        self
    }

    /// Show `chord` (such as `"Ctrl+O"`) and trigger the entry when it is
    /// pressed anywhere in the window. A chord that cannot be read (see
    /// [`Accel::parse`]) is left out; check it with [`Accel::parse`] in a
    /// test.
    pub fn accel(mut self, chord: &str) -> Self {
        self.accel = Accel::parse(chord);
        self
    }

    pub(crate) fn enabled(&self) -> bool {
        self.on_press.is_some() || !self.submenu.is_empty()
    }
}

/// The leaf at `path` in `items`.
pub(crate) fn item_at<'i, 'a, M>(
    items: &'i [MenuItem<'a, M>],
    path: &[usize],
) -> Option<&'i MenuItem<'a, M>> {
    let (&first, rest) = path.split_first()?;
    let item = items.get(first)?;
    if rest.is_empty() {
        Some(item)
    } else {
        item_at(&item.submenu, rest)
    }
}

/// The enabled entry whose accelerator `key` is, as a path, searching
/// submenus too.
pub(crate) fn accel_path<M>(items: &[MenuItem<'_, M>], key: &KeyEvent) -> Option<Vec<usize>> {
    for (i, item) in items.iter().enumerate() {
        if item.on_press.is_some() && item.accel.as_ref().is_some_and(|a| a.matches(key)) {
            return Some(vec![i]);
        }
        if let Some(mut rest) = accel_path(&item.submenu, key) {
            rest.insert(0, i);
            return Some(rest);
        }
    }
    None
}

/// Which entries of an open menu are highlighted: one level per open
/// panel, the menu first, then each open submenu. A submenu is open when
/// the level after its entry's exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Nav {
    pub(crate) levels: Vec<Option<usize>>,
}

/// What a key meant to an open menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NavKey {
    /// The highlight moved or a submenu opened or closed.
    Moved,
    /// Choose the entry at this path.
    Choose(Vec<usize>),
    /// Close the whole menu.
    Close,
    /// Left or Right in the first level: the menu bar moves to its neighbour.
    Sideways(bool),
    /// Not a menu key.
    Ignored,
}

impl Nav {
    /// A menu just opened, with its first enabled entry highlighted when
    /// `highlight` is set (opened from the keyboard).
    pub(crate) fn open<M>(items: &[MenuItem<'_, M>], highlight: bool) -> Self {
        let first = highlight.then(|| step(items, None, true)).flatten();
        Nav {
            levels: vec![first],
        }
    }

    fn items<'i, 'a, M>(
        &self,
        items: &'i [MenuItem<'a, M>],
        depth: usize,
    ) -> &'i [MenuItem<'a, M>] {
        let mut current = items;
        for level in &self.levels[..depth] {
            match level.and_then(|i| current.get(i)) {
                Some(item) => current = &item.submenu,
                None => return &[],
            }
        }
        current
    }

    fn path(&self) -> Vec<usize> {
        self.levels.iter().map_while(|l| *l).collect()
    }

    /// Follow a key press through the menu.
    pub(crate) fn key<M>(&mut self, items: &[MenuItem<'_, M>], key: &KeyEvent) -> NavKey {
        let Some(depth) = self.levels.len().checked_sub(1) else {
            return NavKey::Ignored;
        };
        let here = self.items(items, depth);
        let current = self.levels[depth];
        let entry = current.and_then(|i| here.get(i));
        let Key::Named(named) = &key.key else {
            return NavKey::Ignored;
        };
        match named {
            NamedKey::ArrowDown | NamedKey::ArrowUp => {
                self.levels[depth] = step(here, current, *named == NamedKey::ArrowDown);
                NavKey::Moved
            }
            NamedKey::Home | NamedKey::End => {
                let first = *named == NamedKey::Home;
                self.levels[depth] = step(here, None, first);
                NavKey::Moved
            }
            NamedKey::ArrowRight | NamedKey::Enter | NamedKey::Space
                if entry.is_some_and(|e| !e.submenu.is_empty()) =>
            {
                let inner = entry.map_or(&[][..], |e| &e.submenu[..]);
                self.levels.push(step(inner, None, true));
                NavKey::Moved
            }
            NamedKey::Enter | NamedKey::Space => match entry {
                Some(e) if e.on_press.is_some() => NavKey::Choose(self.path()),
                _ => NavKey::Moved,
            },
            NamedKey::ArrowLeft if depth > 0 => {
                self.levels.pop();
                NavKey::Moved
            }
            NamedKey::ArrowLeft | NamedKey::ArrowRight => {
                NavKey::Sideways(*named == NamedKey::ArrowRight)
            }
            NamedKey::Escape if depth > 0 => {
                self.levels.pop();
                NavKey::Moved
            }
            NamedKey::Escape => NavKey::Close,
            _ => NavKey::Ignored,
        }
    }

    /// The pointer is over entry `index` of level `depth`: highlight it
    /// and open its submenu, closing deeper ones.
    pub(crate) fn hover<M>(&mut self, items: &[MenuItem<'_, M>], depth: usize, index: usize) {
        self.levels.truncate(depth + 1);
        let here = self.items(items, depth);
        let enabled = here.get(index).is_some_and(MenuItem::enabled);
        if let Some(level) = self.levels.get_mut(depth) {
            *level = enabled.then_some(index);
        }
        if here.get(index).is_some_and(|e| !e.submenu.is_empty()) {
            self.levels.push(None);
        }
    }

    /// The path of entry `index` at level `depth`.
    pub(crate) fn path_to(&self, depth: usize, index: usize) -> Vec<usize> {
        let mut path: Vec<usize> = self.levels[..depth.min(self.levels.len())]
            .iter()
            .map(|l| l.unwrap_or(0))
            .collect();
        path.push(index);
        path
    }
}

/// The next enabled entry after `from` (or the first, when `from` is
/// `None`) going down (`forward`) or up, wrapping around.
pub(crate) fn step<M>(
    items: &[MenuItem<'_, M>],
    from: Option<usize>,
    forward: bool,
) -> Option<usize> {
    let n = items.len();
    if n == 0 {
        return None;
    }
    let start = match (from, forward) {
        (None, true) => n - 1,
        (None, false) => 0,
        (Some(i), _) => i,
    };
    (1..=n)
        .map(|k| {
            if forward {
                (start + k) % n
            } else {
                (start + n - k) % n
            }
        })
        .find(|&i| items[i].enabled())
}

/// Height of a menu row.
pub(crate) const ROW_HEIGHT: f32 = 28.0;
/// Space around the rows inside the panel.
const PANEL_PAD: f32 = 4.0;
const ROW_PAD_X: f32 = 12.0;
/// Space between a label and its accelerator.
const ACCEL_GAP: f32 = 28.0;
const MIN_WIDTH: f32 = 140.0;

/// How one row looks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RowLook {
    pub(crate) enabled: bool,
    pub(crate) highlighted: bool,
    /// A check mark in front (the dropdown's chosen value).
    pub(crate) checked: bool,
}

/// Build a panel of rows in a popup: `rows` as (label, accelerator, has a
/// submenu, look), and a submenu popup for the row that has one open.
pub(crate) fn panel<'a, M: Clone + 'a>(
    rows: Vec<(Cow<'a, str>, Option<String>, bool, RowLook)>,
    open_submenu: Option<(usize, Element<'a, M>)>,
) -> Panel<'a, M> {
    let mut open_submenu = open_submenu;
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, accel, arrow, look))| {
            let sub = match open_submenu.take() {
                Some((at, el)) if at == i => Some(el),
                other => {
                    open_submenu = other;
                    None
                }
            };
            Element::new(Row {
                label,
                accel,
                arrow,
                look,
                submenu: sub.into_iter().collect(),
                label_w: 0.0,
            })
        })
        .collect();
    Panel {
        rows,
        min_width: MIN_WIDTH,
    }
}

/// A menu's panel as a popup below (or, for a submenu, beside) its parent.
pub(crate) fn menu_popup<'a, M: Clone + 'a>(
    items: &[MenuItem<'a, M>],
    nav: &Nav,
    depth: usize,
) -> Popup<'a, M> {
    let highlighted = nav.levels.get(depth).copied().flatten();
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let look = RowLook {
                enabled: item.enabled(),
                highlighted: highlighted == Some(i),
                checked: false,
            };
            let accel = item.accel.as_ref().map(|a| a.text().to_owned());
            (item.label.clone(), accel, !item.submenu.is_empty(), look)
        })
        .collect();
    let open = nav.levels.len() > depth + 1;
    let sub = highlighted
        .filter(|_| open)
        .and_then(|i| items.get(i).map(|item| (i, item)))
        .filter(|(_, item)| !item.submenu.is_empty())
        .map(|(i, item)| (i, menu_popup(&item.submenu, nav, depth + 1).into()));
    let popup = popup(panel(rows, sub));
    if depth > 0 {
        popup.right()
    } else {
        popup
    }
}

/// Which row of the panels inside `popup` the pointer at `point` is over,
/// as (level, row); a submenu is checked before the menu it opened from.
pub(crate) fn row_at<M>(popup: &Element<'_, M>, point: Point) -> Option<(usize, usize)> {
    let panel = popup.widget().children().first()?;
    for row in panel.widget().children() {
        if let Some(sub) = row.widget().children().first() {
            if let Some((depth, index)) = row_at(sub, point) {
                return Some((depth + 1, index));
            }
        }
    }
    if !panel.rect().contains(point) {
        return None;
    }
    panel
        .widget()
        .children()
        .iter()
        .position(|row| row.rect().contains(point))
        .map(|index| (0, index))
}

/// A column of rows, all as wide as the widest.
pub(crate) struct Panel<'a, M> {
    rows: Vec<Element<'a, M>>,
    min_width: f32,
}

impl<M> Panel<'_, M> {
    /// Make the panel at least `width` wide (a dropdown's list is as wide
    /// as the dropdown).
    pub(crate) fn min_width(mut self, width: f32) -> Self {
        self.min_width = self.min_width.max(width);
        self
    }
}

impl<'a, M: 'a> Widget<'a, M> for Panel<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let mut width = self.min_width.min(constraints.max.w);
        for row in &mut self.rows {
            width = width.max(row.layout(cx, Constraints::loose(constraints.max)).w);
        }
        let width = width.min(constraints.max.w);
        let mut y = PANEL_PAD;
        for row in &mut self.rows {
            let h = row
                .layout(cx, Constraints::tight(Size::new(width, ROW_HEIGHT)))
                .h;
            row.set_origin(Point::new(0.0, y));
            y += h;
        }
        Size::new(width, y + PANEL_PAD)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        for row in &self.rows {
            row.paint(cx);
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.rows
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.rows
    }

    fn kind(&self) -> &'static str {
        "menu panel"
    }
}

impl<'a, M: 'a> From<Panel<'a, M>> for Element<'a, M> {
    fn from(panel: Panel<'a, M>) -> Self {
        Element::new(panel)
    }
}

/// One entry of a panel; events go on to the panel's owner.
struct Row<'a, M> {
    label: Cow<'a, str>,
    accel: Option<String>,
    arrow: bool,
    look: RowLook,
    /// The open submenu's popup, if this row opened one.
    submenu: Vec<Element<'a, M>>,
    label_w: f32,
}

/// Room in front of a label for a check mark.
const CHECK_W: f32 = 18.0;

impl<'a, M: 'a> Widget<'a, M> for Row<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let size = cx.theme().font_size;
        let label = cx.text().measure(&self.label, &TextStyle::new(size)).w;
        let accel = self.accel.as_deref().map_or(0.0, |a| {
            ACCEL_GAP + cx.text().measure(a, &TextStyle::new(size)).w
        });
        let arrow = if self.arrow { ACCEL_GAP } else { 0.0 };
        self.label_w = label;
        for sub in &mut self.submenu {
            sub.layout(cx, Constraints::loose(constraints.max));
        }
        Size::new(
            2.0 * ROW_PAD_X + CHECK_W + label + accel + arrow,
            ROW_HEIGHT,
        )
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let inner = rect.inset_xy(PANEL_PAD, 0.0);
        let look = self.look;
        let open = !self.submenu.is_empty();
        let (fill, text, muted) = if look.highlighted && look.enabled {
            (Some(theme.accent), theme.on_accent, theme.on_accent)
        } else if open {
            (Some(theme.surface_hover), theme.text, theme.text_muted)
        } else if look.enabled {
            (None, theme.text, theme.text_muted)
        } else {
            (None, theme.text_muted, theme.text_muted)
        };
        let style = TextStyle::new(theme.font_size);
        let painter = cx.painter();
        if let Some(fill) = fill {
            painter.fill_rounded_rect(inner, (theme.radius - 1.0).max(2.0), fill);
        }
        let line_h = theme.font_size * style.line_height;
        let y = (rect.y + (rect.h - line_h) / 2.0).round();
        let x = rect.x + ROW_PAD_X;
        if look.checked {
            painter.text(Point::new(x, y), "✓", &style.with_color(text));
        }
        painter.text(
            Point::new(x + CHECK_W, y),
            &self.label,
            &style.with_color(text),
        );
        if let Some(accel) = &self.accel {
            let w = painter.text_engine().measure(accel, &style).w;
            let right = rect.right() - ROW_PAD_X - if self.arrow { ACCEL_GAP } else { 0.0 };
            painter.text(Point::new(right - w, y), accel, &style.with_color(muted));
        }
        if self.arrow {
            let w = painter.text_engine().measure("›", &style).w;
            let at = Point::new(rect.right() - ROW_PAD_X - w, y);
            painter.text(at, "›", &style.with_color(muted));
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.submenu
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.submenu
    }

    fn label(&self) -> Option<&str> {
        Some(&self.label)
    }

    fn cursor(&self) -> Cursor {
        if self.look.enabled {
            Cursor::Pointer
        } else {
            Cursor::Default
        }
    }

    fn kind(&self) -> &'static str {
        "menu row"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oneloop::ButtonState;

    fn press(key: Key, modifiers: Modifiers) -> KeyEvent {
        KeyEvent {
            key,
            state: ButtonState::Pressed,
            text: None,
            modifiers,
            repeat: false,
        }
    }

    #[test]
    fn accelerators_match_their_chord_only() {
        let open = Accel::parse("Ctrl+O").unwrap_or_else(|| panic!("Ctrl+O"));
        assert!(open.matches(&press(Key::Character("o".into()), Modifiers::CTRL)));
        assert!(open.matches(&press(Key::Character("O".into()), Modifiers::CTRL)));
        assert!(!open.matches(&press(Key::Character("o".into()), Modifiers::default())));
        let both = Modifiers {
            shift: true,
            ..Modifiers::CTRL
        };
        assert!(!open.matches(&press(Key::Character("o".into()), both)));
        let f5 = Accel::parse("F5").unwrap_or_else(|| panic!("F5"));
        assert!(f5.matches(&press(Key::Named(NamedKey::F(5)), Modifiers::default())));
        assert_eq!(Accel::parse("Hyper+X"), None);
        assert_eq!(Accel::parse("F99"), None);
    }

    #[test]
    fn arrows_skip_disabled_entries_and_wrap() {
        let items: Vec<MenuItem<'_, u8>> = vec![
            menu_item("New").on_press(1),
            menu_item("Gone"),
            menu_item("Quit").on_press(2),
        ];
        let mut nav = Nav::open(&items, true);
        assert_eq!(nav.levels, [Some(0)]);
        let down = press(Key::Named(NamedKey::ArrowDown), Modifiers::default());
        nav.key(&items, &down);
        assert_eq!(nav.levels, [Some(2)]);
        nav.key(&items, &down);
        assert_eq!(nav.levels, [Some(0)]);
    }
}
