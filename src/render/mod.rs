//! Software rendering: a tiny-skia pixmap that becomes the window's buffer or
//! a PNG file.

use crate::geometry::Size;

/// An RGBA color with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha (255 = opaque).
    pub a: u8,
}

impl Color {
    /// Opaque white.
    pub const WHITE: Color = Color::rgb(255, 255, 255);
    /// Opaque black.
    pub const BLACK: Color = Color::rgb(0, 0, 0);

    /// An opaque color.
    #[must_use]
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b, a: 255 }
    }

    pub(crate) fn to_skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.r, self.g, self.b, self.a)
    }
}

/// One frame being painted: a pixmap in physical pixels and the scale factor
/// that maps the app's logical pixels onto it.
pub struct Frame<'a> {
    pixmap: &'a mut tiny_skia::Pixmap,
    scale: f32,
}

impl<'a> Frame<'a> {
    /// A frame over `pixmap` at `scale` physical pixels per logical pixel.
    pub fn new(pixmap: &'a mut tiny_skia::Pixmap, scale: f32) -> Self {
        Self { pixmap, scale }
    }

    /// Fill the whole frame with `color`.
    pub fn clear(&mut self, color: Color) {
        self.pixmap.fill(color.to_skia());
    }

    /// The frame's size in logical pixels.
    #[must_use]
    pub fn size(&self) -> Size {
        Size::new(
            self.pixmap.width() as f32 / self.scale,
            self.pixmap.height() as f32 / self.scale,
        )
    }

    /// Physical pixels per logical pixel.
    #[must_use]
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// The pixmap itself, for drawing with tiny-skia directly.
    pub fn pixmap(&mut self) -> &mut tiny_skia::Pixmap {
        self.pixmap
    }
}
