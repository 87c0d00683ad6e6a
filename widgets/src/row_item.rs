//! A clickable, selectable row for lists: highlights under the pointer,
//! shows whether it is selected, and sends a message when clicked.

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{
    Constraints, Cursor, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent,
};
use oneloop::Element;

use crate::press::{self, Press};

/// Space between a row's edges and its content.
const PAD_X: f32 = 10.0;

/// A row around any content (a label, a row of labels) that fills the
/// room it is given.
#[must_use]
pub struct RowItem<'a, M> {
    child: [Element<'a, M>; 1],
    selected: bool,
    on_press: Option<M>,
}

/// A row showing `child`. It reacts to clicks once it has
/// [`RowItem::on_press`]; whether it is selected is up to the app.
pub fn row_item<'a, M>(child: impl Into<Element<'a, M>>) -> RowItem<'a, M> {
    RowItem {
        child: [child.into()],
        selected: false,
        on_press: None,
    }
}

impl<M> RowItem<'_, M> {
    /// Show the row as selected (filled with the theme's selection color).
    pub fn selected(mut self, selected: bool) -> Self {
        self.selected = selected;
        self
    }

    /// Send `msg` when the row is clicked.
    pub fn on_press(mut self, msg: M) -> Self {
        self.on_press = Some(msg);
        self
    }
}

impl<'a, M: Clone> Widget<'a, M> for RowItem<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let inner = constraints.shrink(2.0 * PAD_X, 0.0).loosen();
        let child = self.child[0].layout(cx, inner);
        let fill = |max: f32, content: f32| if max.is_finite() { max } else { content };
        let size = constraints.constrain(Size::new(
            fill(constraints.max.w, child.w + 2.0 * PAD_X),
            fill(constraints.max.h, child.h),
        ));
        let y = ((size.h - child.h) / 2.0).max(0.0).round();
        self.child[0].set_origin(Point::new(PAD_X, y));
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme();
        let active = self.on_press.is_some();
        let fill = if self.selected {
            Some(theme.selection)
        } else if active && cx.is_pressed() {
            Some(theme.surface_pressed)
        } else if active && cx.is_hovered_within() {
            Some(theme.surface_hover)
        } else {
            None
        };
        if let Some(color) = fill {
            cx.painter().fill_rect(rect, color);
        }
        self.child[0].paint(cx);
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, rect: Rect) -> Handled {
        let Some(msg) = &self.on_press else {
            return Handled::No;
        };
        // Rows are chosen with the pointer; the app handles keys (arrows, Enter).
        let press = press::press(cx, event, rect, &[]);
        if press == Press::Activate {
            cx.emit(msg.clone());
        }
        press.handled()
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.child
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.child
    }

    fn cursor(&self) -> Cursor {
        press::cursor(self.on_press.is_some())
    }

    fn kind(&self) -> &'static str {
        "row-item"
    }
}

impl<'a, M: Clone + 'a> From<RowItem<'a, M>> for Element<'a, M> {
    fn from(item: RowItem<'a, M>) -> Self {
        Element::new(item)
    }
}
