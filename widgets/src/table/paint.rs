//! How the table draws itself: the header, the rows in view, the
//! selection, the keyboard's row and the scrollbar.

use oneloop::render::{Point, Rect};
use oneloop::widget::PaintCx;

use super::header::CELL_PAD;
use super::{Table, TableState, HEADER_HEIGHT};
use crate::tone::mix;

impl<'a, M: 'a> Table<'a, M> {
    pub(super) fn paint_table(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let theme = cx.theme().clone();
        let focused = cx.is_focused();
        let state = cx.state::<TableState>();
        let (offset, hover_row) = (state.scroll.offset, state.hover_row);
        let scroll = state.scroll;
        let body = self.body(rect);
        cx.painter().push_clip(rect);
        cx.painter().fill_rect(rect, theme.surface);
        // The header: a raised band with a line under it and between columns.
        let header = Rect::new(rect.x, rect.y, rect.w, HEADER_HEIGHT);
        cx.painter()
            .fill_rect(header, mix(theme.surface, theme.background, 0.6));
        for child in &self.children {
            child.paint(cx);
        }
        let painter = cx.painter();
        let line = Rect::new(rect.x, (header.bottom() - 1.0).round(), rect.w, 1.0);
        painter.fill_rect(line, theme.border);
        let mut x = rect.x;
        for width in &self.widths {
            x += width;
            let edge = Rect::new(x.round() - 1.0, header.y + 6.0, 1.0, HEADER_HEIGHT - 12.0);
            painter.fill_rect(edge, theme.border);
        }
        painter.push_clip(body);
        let (first, last) = self.visible_rows(body, offset);
        let style = Self::cell_style(&theme);
        let row_w = rect.w
            - if self.scrollbar.needed() {
                super::GUTTER
            } else {
                0.0
            };
        for row in first..last {
            let y = body.y + (row as f64 * f64::from(self.row_height) - offset) as f32;
            let band = Rect::new(rect.x, y, row_w, self.row_height);
            let selected = self.selection.contains(row);
            let fill = match (selected, hover_row == Some(row)) {
                (true, _) => Some(theme.selection),
                (false, true) => Some(theme.surface_hover),
                (false, false) => None,
            };
            if let Some(fill) = fill {
                painter.fill_rect(band, fill);
            }
            let mut left = rect.x;
            for (column, width) in self.widths.iter().enumerate() {
                let text = (self.cell)(row, column);
                let room = (width - 2.0 * CELL_PAD).max(0.0);
                let layout = painter.text_engine().ellipsize(&text, &style, room);
                let at = Point::new(
                    (left + CELL_PAD).round(),
                    (y + (self.row_height - layout.size().h) / 2.0).round(),
                );
                let cell = Rect::new(left, y, *width, self.row_height);
                let color = self
                    .cell_color
                    .as_ref()
                    .and_then(|color| color(row, column))
                    .unwrap_or(theme.text);
                painter.with_clip(cell, |p| p.text_layout(at, &layout, color));
                left += width;
            }
            if focused && self.selection.cursor() == Some(row) {
                painter.stroke_rect(band.inset(1.0), 2.0, theme.focus);
            }
        }
        painter.pop_clip();
        if focused && self.selection.cursor().is_none() {
            painter.stroke_rect(rect, 2.0, theme.focus);
        }
        self.scrollbar.paint(cx, body, &scroll);
        cx.painter().pop_clip();
    }
}
