//! How the table answers the pointer and the keyboard.

use oneloop::render::{Point, Rect};
use oneloop::widget::{EventCx, Handled, WidgetEvent};
use oneloop::PointerButton;

use super::header::GRIP;
use super::{key_target, Resize, SortOrder, Table, TableState, DOUBLE_CLICK, HEADER_HEIGHT};

fn part(state: &mut TableState) -> &mut super::ScrollState {
    &mut state.scroll
}

impl<'a, M: 'a> Table<'a, M> {
    pub(super) fn handle(
        &self,
        cx: &mut EventCx<'_, M>,
        event: &WidgetEvent,
        rect: Rect,
    ) -> Handled {
        let body = self.body(rect);
        match event {
            WidgetEvent::PointerDown(PointerButton::Primary, at) => self.press(cx, rect, *at),
            WidgetEvent::PointerMove(at) => {
                if let Some(resize) = cx.state::<TableState>().resizing {
                    self.resize_to(cx, resize, at.x);
                    return Handled::Yes;
                }
                let scrolled = self.scrollbar.handle(cx, event, body, part);
                self.hover(cx, body, *at);
                scrolled
            }
            WidgetEvent::PointerUp(PointerButton::Primary, at) => self.release(cx, rect, *at),
            WidgetEvent::PointerLeave => {
                cx.state::<TableState>().hover_row = None;
                cx.request_repaint();
                self.scrollbar.handle(cx, event, body, part)
            }
            WidgetEvent::Wheel(..) => self.scrollbar.handle(cx, event, body, part),
            WidgetEvent::Key(key) => {
                let page = ((body.h / self.row_height).floor() as usize)
                    .saturating_sub(1)
                    .max(1);
                let cursor = self.selection.cursor();
                let Some(row) = key_target(key, cursor, self.rows, page) else {
                    return Handled::No;
                };
                if let Some(to_message) = &self.on_select {
                    let next = self
                        .selection
                        .within(self.rows)
                        .move_to(row, key.modifiers.shift);
                    if next != *self.selection {
                        cx.emit(to_message(next));
                    }
                }
                self.scroll_to_row(cx, body, row);
                Handled::Yes
            }
            WidgetEvent::FocusGained | WidgetEvent::FocusLost => {
                cx.request_repaint();
                Handled::No
            }
            _ => Handled::No,
        }
    }

    /// The column whose right edge is near `x` (window coordinates).
    fn edge_at(&self, rect: Rect, x: f32) -> Option<usize> {
        let mut edge = rect.x;
        for (index, width) in self.widths.iter().enumerate() {
            edge += width;
            if (x - edge).abs() <= GRIP / 2.0 {
                return Some(index);
            }
        }
        None
    }

    fn column_at(&self, rect: Rect, x: f32) -> Option<usize> {
        let mut left = rect.x;
        for (index, width) in self.widths.iter().enumerate() {
            if x >= left && x < left + width {
                return Some(index);
            }
            left += width;
        }
        None
    }

    fn press(&self, cx: &mut EventCx<'_, M>, rect: Rect, at: Point) -> Handled {
        if at.y < rect.y + HEADER_HEIGHT {
            if let Some(column) = self.edge_at(rect, at.x) {
                self.press_edge(cx, rect, column, at.x);
            } else {
                cx.state::<TableState>().header_press = self.column_at(rect, at.x);
            }
            cx.request_repaint();
            return Handled::Yes;
        }
        let body = self.body(rect);
        let event = WidgetEvent::PointerDown(PointerButton::Primary, at);
        if self.scrollbar.handle(cx, &event, body, part) == Handled::Yes {
            return Handled::Yes;
        }
        let offset = cx.state::<TableState>().scroll.offset;
        let row = ((f64::from(at.y - body.y) + offset) / f64::from(self.row_height)).floor();
        if row < 0.0 || row as usize >= self.rows {
            return Handled::Yes;
        }
        let row = row as usize;
        if let Some(to_message) = &self.on_select {
            let held = cx.modifiers();
            let next =
                self.selection
                    .within(self.rows)
                    .click(row, held.ctrl || held.logo, held.shift);
            if next != *self.selection {
                cx.emit(to_message(next));
            }
        }
        cx.request_repaint();
        Handled::Yes
    }

    /// A press on a column's right edge: a drag begins, or, the second
    /// time in a short while, the column fits its content.
    fn press_edge(&self, cx: &mut EventCx<'_, M>, rect: Rect, column: usize, x: f32) {
        let now = cx.now();
        let state = cx.state::<TableState>();
        let double = state.last_edge_press.is_some_and(|(when, c)| {
            c == column && now.saturating_duration_since(when) < DOUBLE_CLICK
        });
        if double {
            state.last_edge_press = None;
            let offset = state.scroll.offset;
            let width = self.fitted_width(cx, column, rect, offset);
            cx.state::<TableState>().resized[column] = Some(width);
            cx.request_layout();
            return;
        }
        state.last_edge_press = Some((now, column));
        state.resizing = Some(Resize {
            column,
            start_x: x,
            start_width: self.widths[column],
        });
        cx.capture_pointer();
    }

    fn resize_to(&self, cx: &mut EventCx<'_, M>, resize: Resize, x: f32) {
        let min = self.columns[resize.column].min_width;
        let width = (resize.start_width + x - resize.start_x).max(min);
        let state = cx.state::<TableState>();
        if state.resized[resize.column] != Some(width) {
            // A press that dragged is not the first half of a double click.
            state.last_edge_press = None;
            state.resized[resize.column] = Some(width);
            cx.request_layout();
        }
    }

    fn release(&self, cx: &mut EventCx<'_, M>, rect: Rect, at: Point) -> Handled {
        let state = cx.state::<TableState>();
        if state.resizing.take().is_some() {
            cx.request_repaint();
            return Handled::Yes;
        }
        if let Some(column) = state.header_press.take() {
            let over_it = at.y >= rect.y
                && at.y < rect.y + HEADER_HEIGHT
                && self.column_at(rect, at.x) == Some(column);
            if let (true, Some(to_message)) = (over_it, &self.on_sort) {
                let order = match self.sort {
                    Some((sorted, order)) if sorted == column => order.reversed(),
                    _ => SortOrder::Ascending,
                };
                cx.emit(to_message(column, order));
            }
            cx.request_repaint();
            return Handled::Yes;
        }
        let event = WidgetEvent::PointerUp(PointerButton::Primary, at);
        self.scrollbar.handle(cx, &event, self.body(rect), part);
        Handled::Yes
    }

    fn hover(&self, cx: &mut EventCx<'_, M>, body: Rect, at: Point) {
        let state = cx.state::<TableState>();
        let row = if body.contains(at) && at.x < body.right() - super::GUTTER {
            let row = (f64::from(at.y - body.y) + state.scroll.offset) / f64::from(self.row_height);
            Some(row.floor() as usize).filter(|r| *r < self.rows)
        } else {
            None
        };
        if state.hover_row != row {
            state.hover_row = row;
            cx.request_repaint();
        }
    }

    /// Scroll so that `row` is wholly in view.
    fn scroll_to_row(&self, cx: &mut EventCx<'_, M>, body: Rect, row: usize) {
        let h = f64::from(self.row_height);
        let top = row as f64 * h;
        let state = cx.state::<TableState>();
        let offset = state.scroll.offset;
        let wanted = if top < offset {
            top
        } else if top + h > offset + f64::from(body.h) {
            top + h - f64::from(body.h)
        } else {
            offset
        };
        let wanted = self.scrollbar.clamp(wanted);
        state.scroll.offset = wanted;
        if (wanted - offset).abs() > f64::EPSILON {
            cx.request_layout();
        } else {
            cx.request_repaint();
        }
    }
}
