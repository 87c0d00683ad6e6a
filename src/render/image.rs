//! Pictures to draw: RGBA pixels kept premultiplied, ready for blending.

use tiny_skia::Pixmap;

use super::RenderError;

/// An RGBA picture that [`Painter::image`](super::Painter::image) can draw
/// scaled into a rectangle.
#[derive(Clone, Debug)]
pub struct Image {
    pixmap: Pixmap,
}

impl Image {
    /// An image from straight (not premultiplied) RGBA8 rows, top to bottom,
    /// as decoders produce them.
    pub fn from_rgba8(width: u32, height: u32, mut data: Vec<u8>) -> Result<Image, RenderError> {
        let expected = width as usize * height as usize * 4;
        if data.len() != expected {
            return Err(RenderError::DataLength {
                width,
                height,
                expected,
                actual: data.len(),
            });
        }
        for px in data.chunks_exact_mut(4) {
            let a = u32::from(px[3]);
            for c in &mut px[..3] {
                *c = super::div255(u32::from(*c) * a) as u8;
            }
        }
        let size = tiny_skia::IntSize::from_wh(width, height)
            .ok_or(RenderError::InvalidSize { width, height })?;
        let pixmap =
            Pixmap::from_vec(data, size).ok_or(RenderError::InvalidSize { width, height })?;
        Ok(Image { pixmap })
    }

    /// An image that shares the pixels of an already premultiplied pixmap,
    /// e.g. one loaded with [`load_png`](super::load_png).
    pub fn from_pixmap(pixmap: Pixmap) -> Image {
        Image { pixmap }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.pixmap.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.pixmap.height()
    }

    pub(crate) fn pixmap(&self) -> &Pixmap {
        &self.pixmap
    }
}
