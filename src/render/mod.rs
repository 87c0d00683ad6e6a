//! Software rendering: one painter for the window and for offscreen PNGs.
//!
//! Everything is drawn on the CPU into a [`tiny_skia::Pixmap`]. The same
//! [`Painter`] fills the window's frame and the images that tests and docs
//! compare, so what a snapshot test sees is what a user sees.
//!
//! - [`painter`]: shapes, images, clipping and text drawing in logical
//!   coordinates, multiplied by a HiDPI scale factor.
//! - [`text`]: shaping, wrapping, ellipsizing, caret geometry and a glyph
//!   cache, with fonts embedded in the binary so text renders on a machine
//!   without any installed fonts.
//! - [`png`]: saving, loading and comparing images for snapshot tests.
//!
//! ```
//! use oneloop::render::{Color, Painter, Point, Rect, TextEngine, TextStyle};
//!
//! let mut pixmap = tiny_skia::Pixmap::new(200, 60).unwrap();
//! let mut text = TextEngine::embedded_only();
//! let mut painter = Painter::new(&mut pixmap, &mut text, 1.0);
//! painter.clear(Color::WHITE);
//! painter.fill_rounded_rect(Rect::new(10.0, 10.0, 120.0, 32.0), 6.0, Color::from_rgb(40, 110, 220));
//! painter.text(Point::new(22.0, 16.0), "Load", &TextStyle::new(14.0).with_color(Color::WHITE));
//! ```

pub mod painter;
pub mod png;
pub mod text;

mod cache;
pub(crate) mod damage;
pub(crate) mod glyph_cache;
mod image;
mod layout;

pub use self::glyph_cache::GlyphCacheStats;
pub use self::image::Image;
pub use self::layout::{Caret, TextLayout};
pub use self::painter::Painter;
pub use self::png::{compare, encode_png, load_png, save_png, Diff};
pub use self::text::{FontFamily, FontWeight, TextEngine, TextStyle};
pub use crate::geometry::{Point, Rect, Size};
/// tiny-skia, re-exported so code that draws on the pixmap directly uses
/// the same version as oneloop.
pub use tiny_skia;

use std::path::PathBuf;

/// A straight (not premultiplied) RGBA color with 8 bits per channel.
///
/// Widgets and themes speak in this type; the painter converts it to the
/// premultiplied form the pixel buffer stores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red channel.
    pub r: u8,
    /// Green channel.
    pub g: u8,
    /// Blue channel.
    pub b: u8,
    /// Opacity: 0 is fully transparent, 255 fully opaque.
    pub a: u8,
}

impl Color {
    /// Fully transparent black; drawing with it changes nothing.
    pub const TRANSPARENT: Color = Color::rgba(0, 0, 0, 0);
    /// Opaque black.
    pub const BLACK: Color = Color::from_rgb(0, 0, 0);
    /// Opaque white.
    pub const WHITE: Color = Color::from_rgb(255, 255, 255);
    /// Opaque pure red, mostly useful in tests and debug overlays.
    pub const RED: Color = Color::from_rgb(255, 0, 0);
    /// Opaque pure green, mostly useful in tests and debug overlays.
    pub const GREEN: Color = Color::from_rgb(0, 255, 0);
    /// Opaque pure blue, mostly useful in tests and debug overlays.
    pub const BLUE: Color = Color::from_rgb(0, 0, 255);
    /// Opaque mid gray.
    pub const GRAY: Color = Color::from_rgb(128, 128, 128);

    /// A color from its four channels.
    pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Self {
        Color { r, g, b, a }
    }

    /// An opaque color from red, green and blue.
    pub const fn from_rgb(r: u8, g: u8, b: u8) -> Self {
        Color::rgba(r, g, b, 255)
    }

    /// The same color with another opacity, e.g. for hover overlays.
    #[must_use]
    pub const fn with_alpha(self, a: u8) -> Self {
        Color::rgba(self.r, self.g, self.b, a)
    }

    /// True when drawing with this color fully hides what is below.
    pub const fn is_opaque(self) -> bool {
        self.a == 255
    }

    /// The tiny-skia form of this color, for code that drives tiny-skia directly.
    pub fn to_skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.r, self.g, self.b, self.a)
    }

    /// Premultiplied channels in pixel-buffer order (r, g, b, a).
    pub(crate) fn premultiplied(self) -> [u8; 4] {
        let a = u32::from(self.a);
        let mul = |c: u8| div255(u32::from(c) * a) as u8;
        [mul(self.r), mul(self.g), mul(self.b), self.a]
    }
}

/// `x / 255`, rounded, for `x` up to `255 * 255`: the blend kernels' hot divide.
#[inline]
pub(crate) fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

/// Everything that can go wrong while rendering to or from files.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A file could not be read or written.
    #[error("could not access {path}: {source}")]
    Io {
        /// The file that was being read or written.
        path: PathBuf,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The pixels could not be encoded as PNG.
    #[error("could not encode the image as PNG: {0}")]
    PngEncode(#[from] ::png::EncodingError),
    /// A file is not a PNG this renderer can read.
    #[error("{path} is not a readable PNG image: {source}")]
    PngDecode {
        /// The file that was being decoded.
        path: PathBuf,
        /// What the decoder reported.
        #[source]
        source: ::png::DecodingError,
    },
    /// An image was requested with a width or height of zero or beyond the limit.
    #[error("an image of {width}x{height} pixels cannot be created (zero or too large)")]
    InvalidSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// RGBA pixel data does not match the stated image size.
    #[error("RGBA data has {actual} bytes but a {width}x{height} image needs {expected}")]
    DataLength {
        /// Stated width in pixels.
        width: u32,
        /// Stated height in pixels.
        height: u32,
        /// `width * height * 4`.
        expected: usize,
        /// The number of bytes given.
        actual: usize,
    },
}
