//! Rows and columns: children side by side or stacked, with spacing,
//! padding, cross-axis alignment and flexible sizes.

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};
use oneloop::Element;

/// Where children sit across the main axis (vertically in a row,
/// horizontally in a column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Top of a row, left of a column.
    #[default]
    Start,
    /// Centered.
    Center,
    /// Bottom of a row, right of a column.
    End,
    /// As wide (column) or tall (row) as the container.
    Stretch,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    Horizontal,
    Vertical,
}

/// A row or a column of children.
#[must_use]
pub struct Flex<'a, M> {
    axis: Axis,
    children: Vec<Element<'a, M>>,
    spacing: Option<f32>,
    padding: f32,
    align: Align,
    flex: f32,
}

/// Children left to right.
pub fn row<'a, M>() -> Flex<'a, M> {
    Flex::new(Axis::Horizontal)
}

/// Children top to bottom; children stretch to the column's width by default.
pub fn column<'a, M>() -> Flex<'a, M> {
    Flex::new(Axis::Vertical).align(Align::Stretch)
}

impl<'a, M> Flex<'a, M> {
    fn new(axis: Axis) -> Self {
        Self {
            axis,
            children: Vec::new(),
            spacing: None,
            padding: 0.0,
            align: Align::Start,
            flex: 0.0,
        }
    }

    /// Add a child.
    pub fn push(mut self, child: impl Into<Element<'a, M>>) -> Self {
        self.children.push(child.into());
        self
    }

    /// Add many children.
    pub fn extend<E: Into<Element<'a, M>>>(
        mut self,
        children: impl IntoIterator<Item = E>,
    ) -> Self {
        self.children.extend(children.into_iter().map(Into::into));
        self
    }

    /// Space between children (default: the theme's spacing).
    pub fn spacing(mut self, spacing: f32) -> Self {
        self.spacing = Some(spacing);
        self
    }

    /// Space inside the edges.
    pub fn padding(mut self, padding: f32) -> Self {
        self.padding = padding;
        self
    }

    /// Cross-axis alignment of the children.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }

    /// Take this share of the spare room in a parent row or column.
    pub fn flex(mut self, flex: f32) -> Self {
        self.flex = flex;
        self
    }
}

impl Axis {
    fn main(self, size: Size) -> f32 {
        match self {
            Axis::Horizontal => size.w,
            Axis::Vertical => size.h,
        }
    }

    fn cross(self, size: Size) -> f32 {
        match self {
            Axis::Horizontal => size.h,
            Axis::Vertical => size.w,
        }
    }

    fn size(self, main: f32, cross: f32) -> Size {
        match self {
            Axis::Horizontal => Size::new(main, cross),
            Axis::Vertical => Size::new(cross, main),
        }
    }

    /// Constraints for a child: `main` bounds along the axis, up to
    /// `cross_max` across (exactly that much when stretching).
    fn child_constraints(
        self,
        align: Align,
        main_min: f32,
        main_max: f32,
        cross_max: f32,
    ) -> Constraints {
        let cross_min = if align == Align::Stretch && cross_max.is_finite() {
            cross_max
        } else {
            0.0
        };
        Constraints {
            min: self.size(main_min, cross_min),
            max: self.size(main_max, cross_max),
        }
    }
}

impl<'a, M> Widget<'a, M> for Flex<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let spacing = self.spacing.unwrap_or(cx.theme().spacing);
        let (pad, axis, align) = (self.padding, self.axis, self.align);
        let inner = constraints.shrink(2.0 * pad, 2.0 * pad);
        let cross_max = axis.cross(inner.max);
        let gaps = spacing * self.children.len().saturating_sub(1) as f32;
        let main_max = axis.main(inner.max);

        // Fixed children first, then flexible ones share what is left.
        let mut used = gaps;
        let mut total_flex = 0.0;
        let mut sizes = vec![Size::ZERO; self.children.len()];
        for (i, child) in self.children.iter_mut().enumerate() {
            let flex = child.widget().flex();
            if flex > 0.0 {
                total_flex += flex;
                continue;
            }
            let c = axis.child_constraints(align, 0.0, (main_max - used).max(0.0), cross_max);
            sizes[i] = child.layout(cx, c);
            used += axis.main(sizes[i]);
        }
        let spare = (main_max - used).max(0.0);
        for (i, child) in self.children.iter_mut().enumerate() {
            let flex = child.widget().flex();
            if flex <= 0.0 {
                continue;
            }
            let share = if spare.is_finite() {
                spare * flex / total_flex
            } else {
                0.0
            };
            let c = axis.child_constraints(align, share, share, cross_max);
            sizes[i] = child.layout(cx, c);
            used += axis.main(sizes[i]);
        }

        let content_cross = sizes.iter().map(|s| axis.cross(*s)).fold(0.0, f32::max);
        let cross = if align == Align::Stretch && cross_max.is_finite() {
            cross_max
        } else {
            content_cross.max(axis.cross(inner.min))
        };
        let mut at = pad;
        for (child, size) in self.children.iter_mut().zip(&sizes) {
            let free = cross - axis.cross(*size);
            let offset = match align {
                Align::Start | Align::Stretch => 0.0,
                Align::Center => (free / 2.0).round(),
                Align::End => free,
            };
            let origin = match self.axis {
                Axis::Horizontal => Point::new(at, pad + offset),
                Axis::Vertical => Point::new(pad + offset, at),
            };
            child.set_origin(origin);
            at += axis.main(*size) + spacing;
        }
        let main = if total_flex > 0.0 && main_max.is_finite() {
            main_max
        } else {
            used
        };
        let size = axis.size(main + 2.0 * pad, cross + 2.0 * pad);
        constraints.constrain(size)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        for child in &self.children {
            child.paint(cx);
        }
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.children
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        match self.axis {
            Axis::Horizontal => "row",
            Axis::Vertical => "column",
        }
    }
}

impl<'a, M: 'a> From<Flex<'a, M>> for Element<'a, M> {
    fn from(flex: Flex<'a, M>) -> Self {
        Element::new(flex)
    }
}
