//! Children on top of each other, each as large as the stack allows.

use oneloop::render::{Point, Rect, Size};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};
use oneloop::Element;

/// Layers: the first child at the bottom, the last on top.
#[must_use]
pub struct Stack<'a, M> {
    children: Vec<Element<'a, M>>,
}

/// An empty stack.
pub fn stack<'a, M>() -> Stack<'a, M> {
    Stack {
        children: Vec::new(),
    }
}

impl<'a, M> Stack<'a, M> {
    /// Add a layer on top.
    pub fn push(mut self, child: impl Into<Element<'a, M>>) -> Self {
        self.children.push(child.into());
        self
    }
}

impl<'a, M> Widget<'a, M> for Stack<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let mut size = constraints.min;
        for child in &mut self.children {
            let s = child.layout(cx, constraints);
            child.set_origin(Point::new(0.0, 0.0));
            size = Size::new(size.w.max(s.w), size.h.max(s.h));
        }
        size
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

    fn kind(&self) -> &'static str {
        "stack"
    }
}

impl<'a, M: 'a> From<Stack<'a, M>> for Element<'a, M> {
    fn from(stack: Stack<'a, M>) -> Self {
        Element::new(stack)
    }
}
