//! Pictures to draw: RGBA pixels kept premultiplied, ready for blending.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tiny_skia::Pixmap;

use super::RenderError;

/// Where image identities come from: each new picture gets the next number,
/// so a frame can tell "the same picture" from "different pixels" without
/// comparing them. Clones share the number and the pixels.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// An RGBA picture that [`Painter::image`](super::Painter::image) can draw
/// scaled into a rectangle. Cloning is cheap: clones share the pixels.
#[derive(Clone, Debug)]
pub struct Image {
    pixmap: Arc<Pixmap>,
    id: u64,
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
        Ok(Image::from_pixmap(pixmap))
    }

    /// An image that shares the pixels of an already premultiplied pixmap,
    /// e.g. one loaded with [`load_png`](super::load_png).
    pub fn from_pixmap(pixmap: Pixmap) -> Image {
        Image {
            pixmap: Arc::new(pixmap),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
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

    /// This picture's identity: equal for clones, different for any two
    /// pictures made separately, even with the same pixels.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }
}
