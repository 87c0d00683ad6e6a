//! One child with padding, an optional background and border, a fixed or
//! flexible size, and alignment inside the space it gets.

use oneloop::render::{Color, Point, Rect, Size};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};
use oneloop::Element;

use crate::Align;

/// A box around one child.
#[must_use]
pub struct Container<'a, M> {
    child: [Element<'a, M>; 1],
    padding: f32,
    background: Option<Color>,
    border: Option<Color>,
    outlined: bool,
    radius: Option<f32>,
    width: Option<f32>,
    height: Option<f32>,
    fill: bool,
    flex: f32,
    align_x: Align,
    align_y: Align,
}

/// A container around `child`.
pub fn container<'a, M>(child: impl Into<Element<'a, M>>) -> Container<'a, M> {
    Container {
        child: [child.into()],
        padding: 0.0,
        background: None,
        border: None,
        outlined: false,
        radius: None,
        width: None,
        height: None,
        fill: false,
        flex: 0.0,
        align_x: Align::Start,
        align_y: Align::Start,
    }
}

impl<M> Container<'_, M> {
    /// Space inside the edges.
    pub fn padding(mut self, padding: f32) -> Self {
        self.padding = padding;
        self
    }

    /// Fill behind the child.
    pub fn background(mut self, color: Color) -> Self {
        self.background = Some(color);
        self
    }

    /// A one-pixel outline.
    pub fn border(mut self, color: Color) -> Self {
        self.border = Some(color);
        self
    }

    /// A one-pixel outline in the theme's border color, so it follows a
    /// change of theme.
    pub fn outlined(mut self) -> Self {
        self.outlined = true;
        self
    }

    /// Rounded corners (default: the theme's radius when there is a background).
    pub fn radius(mut self, radius: f32) -> Self {
        self.radius = Some(radius);
        self
    }

    /// A fixed width.
    pub fn width(mut self, width: f32) -> Self {
        self.width = Some(width);
        self
    }

    /// A fixed height.
    pub fn height(mut self, height: f32) -> Self {
        self.height = Some(height);
        self
    }

    /// Take all the room offered instead of hugging the child.
    pub fn fill(mut self) -> Self {
        self.fill = true;
        self
    }

    /// Take this share of the spare room in a parent row or column.
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }

    /// Center the child both ways.
    pub fn center(mut self) -> Self {
        self.align_x = Align::Center;
        self.align_y = Align::Center;
        self
    }

    /// Place the child horizontally (Stretch makes it as wide as the container).
    pub fn align_x(mut self, align: Align) -> Self {
        self.align_x = align;
        self
    }

    /// Place the child vertically.
    pub fn align_y(mut self, align: Align) -> Self {
        self.align_y = align;
        self
    }
}

fn offset(align: Align, free: f32) -> f32 {
    match align {
        Align::Start | Align::Stretch => 0.0,
        Align::Center => (free / 2.0).max(0.0).round(),
        Align::End => free.max(0.0),
    }
}

impl<'a, M> Widget<'a, M> for Container<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let pad = 2.0 * self.padding;
        let mut outer = constraints;
        if let Some(w) = self.width {
            let w = w.clamp(constraints.min.w, constraints.max.w);
            outer.min.w = w;
            outer.max.w = w;
        }
        if let Some(h) = self.height {
            let h = h.clamp(constraints.min.h, constraints.max.h);
            outer.min.h = h;
            outer.max.h = h;
        }
        let inner = outer.shrink(pad, pad);
        let mut child_constraints = inner.loosen();
        if self.align_x == Align::Stretch && inner.max.w.is_finite() {
            child_constraints.min.w = inner.max.w;
        }
        if self.align_y == Align::Stretch && inner.max.h.is_finite() {
            child_constraints.min.h = inner.max.h;
        }
        let child = self.child[0].layout(cx, child_constraints);
        let mut size = Size::new(child.w + pad, child.h + pad);
        if self.fill || self.flex > 0.0 {
            if outer.max.w.is_finite() {
                size.w = outer.max.w;
            }
            if outer.max.h.is_finite() {
                size.h = outer.max.h;
            }
        }
        let size = outer.constrain(size);
        let free = Size::new(size.w - pad - child.w, size.h - pad - child.h);
        self.child[0].set_origin(Point::new(
            self.padding + offset(self.align_x, free.w),
            self.padding + offset(self.align_y, free.h),
        ));
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let radius = self.radius.unwrap_or(cx.theme().radius);
        if let Some(color) = self.background {
            cx.painter().fill_rounded_rect(rect, radius, color);
        }
        let border = self
            .border
            .or_else(|| self.outlined.then(|| cx.theme().border));
        if let Some(color) = border {
            cx.painter()
                .stroke_rounded_rect(rect.inset(0.5), radius, 1.0, color);
        }
        self.child[0].paint(cx);
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
        "container"
    }
}

impl<'a, M: 'a> From<Container<'a, M>> for Element<'a, M> {
    fn from(container: Container<'a, M>) -> Self {
        Element::new(container)
    }
}
