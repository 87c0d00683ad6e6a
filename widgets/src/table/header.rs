//! The table's header row: a cell per column that shows its title and the
//! sort arrow, and a grip on each column's right edge for resizing.

use std::borrow::Cow;

use oneloop::render::{Point, Rect, Size, TextLayout, TextStyle};
use oneloop::widget::{Constraints, Cursor, LayoutCx, PaintCx, Widget};

use super::SortOrder;

/// Room left and right of a cell's text.
pub(super) const CELL_PAD: f32 = 8.0;
/// Room the sort arrow takes after a title.
pub(super) const ARROW_ROOM: f32 = 16.0;
/// The width of the strip around a column edge that resizes it.
pub(super) const GRIP: f32 = 8.0;

/// One column's title in the header; clickable when the table sorts.
pub(super) struct HeaderCell<'a> {
    pub(super) title: Cow<'a, str>,
    pub(super) arrow: Option<SortOrder>,
    pub(super) sortable: bool,
    pub(super) layout: Option<TextLayout>,
}

impl<'a, M> Widget<'a, M> for HeaderCell<'a> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let style = TextStyle::new(cx.theme().font_size).bold();
        let room = (constraints.max.w - 2.0 * CELL_PAD - ARROW_ROOM).max(0.0);
        self.layout = Some(cx.text().ellipsize(&self.title, &style, room));
        constraints.max
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let hovered = self.sortable && cx.is_hovered();
        let pressed = self.sortable && cx.is_pressed();
        let painter = cx.painter();
        if pressed {
            painter.fill_rect(rect, theme.surface_pressed);
        } else if hovered {
            painter.fill_rect(rect, theme.surface_hover);
        }
        let Some(layout) = &self.layout else {
            return;
        };
        let text = layout.size();
        let at = Point::new(
            (rect.x + CELL_PAD).round(),
            (rect.y + (rect.h - text.h) / 2.0).round(),
        );
        painter.with_clip(rect, |p| {
            p.text_layout(at, layout, theme.text);
            if let Some(order) = self.arrow {
                let x = at.x + text.w + 6.0;
                draw_arrow(p, Point::new(x, rect.center().y), order, theme.accent);
            }
        });
    }

    fn label(&self) -> Option<&str> {
        Some(&self.title)
    }

    fn cursor(&self) -> Cursor {
        if self.sortable {
            Cursor::Pointer
        } else {
            Cursor::Default
        }
    }

    fn kind(&self) -> &'static str {
        "table_header"
    }
}

/// A small filled triangle: up for ascending, down for descending.
fn draw_arrow(
    p: &mut oneloop::render::Painter<'_>,
    left_mid: Point,
    order: SortOrder,
    color: oneloop::render::Color,
) {
    let (w, h) = (8.0, 5.0);
    let (tip_y, base_y) = match order {
        SortOrder::Ascending => (left_mid.y - h / 2.0, left_mid.y + h / 2.0),
        SortOrder::Descending => (left_mid.y + h / 2.0, left_mid.y - h / 2.0),
    };
    let tip = Point::new(left_mid.x + w / 2.0, tip_y);
    let left = Point::new(left_mid.x, base_y);
    let right = Point::new(left_mid.x + w, base_y);
    // Two strokes meeting at the tip, thick enough to read as a solid mark.
    p.line(left, tip, 2.0, color);
    p.line(tip, right, 2.0, color);
    p.fill_circle(tip, 1.0, color);
}

/// The strip over a column's right edge: shows the resize cursor.
pub(super) struct Grip;

impl<M> Widget<'_, M> for Grip {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        constraints.max
    }

    fn cursor(&self) -> Cursor {
        Cursor::ResizeColumn
    }

    fn kind(&self) -> &'static str {
        "table_grip"
    }
}
