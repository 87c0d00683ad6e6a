//! A subtree under its own theme: a dark panel in a light window, or both
//! themes side by side in a gallery.

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};
use oneloop::{Element, Theme};

/// Paints its child with another theme, over that theme's background.
#[must_use]
pub struct Themed<'a, M> {
    theme: Theme,
    child: [Element<'a, M>; 1],
    flex: f32,
}

/// `child`, painted with `theme`.
pub fn themed<'a, M>(theme: Theme, child: impl Into<Element<'a, M>>) -> Themed<'a, M> {
    Themed {
        theme,
        child: [child.into()],
        flex: 0.0,
    }
}

impl<M> Themed<'_, M> {
    /// Take this share of the spare room in a parent row or column.
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }
}

impl<'a, M> Widget<'a, M> for Themed<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let child = &mut self.child[0];
        let size = cx.with_theme(&self.theme, |cx| child.layout(cx, constraints));
        child.set_origin(Point::new(0.0, 0.0));
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        cx.with_theme(&self.theme, |cx| {
            let background = cx.theme().background;
            cx.painter().fill_rect(rect, background);
            self.child[0].paint(cx);
        });
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.child
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.child
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "themed"
    }
}

impl<'a, M: 'a> From<Themed<'a, M>> for Element<'a, M> {
    fn from(themed: Themed<'a, M>) -> Self {
        Element::new(themed)
    }
}
