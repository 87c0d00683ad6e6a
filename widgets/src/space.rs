//! Empty room: a fixed gap, or a spring that pushes siblings apart.

use oneloop::render::Size;
use oneloop::widget::{Constraints, LayoutCx, Widget};
use oneloop::Element;

/// Empty space.
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Space {
    size: Size,
    flex: f32,
}

/// A spring: takes all spare room in a row or column (flex 1).
pub fn space() -> Space {
    Space {
        size: Size::ZERO,
        flex: 1.0,
    }
}

impl Space {
    /// A fixed gap of `width` × `height` instead of a spring.
    pub fn fixed(width: f32, height: f32) -> Self {
        Self {
            size: Size::new(width, height),
            flex: 0.0,
        }
    }
}

impl<M> Widget<'_, M> for Space {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        constraints.constrain(self.size)
    }

    fn flex(&self) -> f32 {
        self.flex
    }

    fn kind(&self) -> &'static str {
        "space"
    }
}

impl<'a, M> From<Space> for Element<'a, M> {
    fn from(space: Space) -> Self {
        Element::new(space)
    }
}
