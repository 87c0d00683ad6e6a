//! Rasterised glyphs, cached, and the kernel that blends them into pixels.
//!
//! Rasterising an outline costs far more than copying its coverage mask, and
//! a UI draws the same few hundred glyphs every frame. Masks are therefore
//! cached by everything that changes their pixels: font, glyph, pixel size,
//! weight and the quarter-pixel horizontal offset (`CacheKey` from the shaper).

use cosmic_text::{CacheKey, FontSystem, SwashCache, SwashContent};

use super::cache::RecentCache;
use super::div255;

/// How many glyph masks stay cached; a few screens of mixed text fit.
const GLYPH_CAPACITY: usize = 4096;

/// Counters that tell whether the glyph cache is doing its job.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GlyphCacheStats {
    /// Glyphs drawn from an already rasterised mask.
    pub hits: u64,
    /// Glyphs that had to be rasterised.
    pub misses: u64,
    /// Masks currently held.
    pub entries: usize,
}

/// Integer pixel bounds `[x0, x1) × [y0, y1)` that drawing must stay inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ClipBox {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl ClipBox {
    /// Nothing.
    pub(crate) const EMPTY: ClipBox = ClipBox {
        x0: 0,
        y0: 0,
        x1: 0,
        y1: 0,
    };

    /// True when nothing can be drawn.
    pub(crate) fn is_empty(&self) -> bool {
        self.x1 <= self.x0 || self.y1 <= self.y0
    }

    /// The overlap of two boxes; an empty overlap has zero size, never a
    /// negative one, so widths can be computed without overflow.
    pub(crate) fn intersect(&self, other: &ClipBox) -> ClipBox {
        let x0 = self.x0.max(other.x0);
        let y0 = self.y0.max(other.y0);
        ClipBox {
            x0,
            y0,
            x1: self.x1.min(other.x1).max(x0),
            y1: self.y1.min(other.y1).max(y0),
        }
    }
}

/// The pixels of one rasterised glyph.
#[derive(Debug)]
enum GlyphPixels {
    /// Coverage, one byte per pixel, tinted with the text color when drawn.
    Alpha(Vec<u8>),
    /// Premultiplied RGBA for color emoji; the text color's alpha still applies.
    Color(Vec<[u8; 4]>),
}

/// One rasterised glyph and where it sits relative to its pen position.
#[derive(Debug)]
pub(crate) struct GlyphImage {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    pixels: GlyphPixels,
}

/// Where to blend glyphs: a premultiplied RGBA8 buffer, where its top-left
/// pixel lies in the frame, and the clip, in frame pixels (inside the buffer).
pub(crate) struct Target<'a> {
    pub data: &'a mut [u8],
    pub width: usize,
    pub origin: (i32, i32),
    pub clip: ClipBox,
}

impl GlyphImage {
    fn from_swash(image: &cosmic_text::SwashImage) -> Option<GlyphImage> {
        let width = image.placement.width as usize;
        let height = image.placement.height as usize;
        if width == 0 || height == 0 {
            return None;
        }
        let pixels = match image.content {
            SwashContent::Mask => GlyphPixels::Alpha(image.data.clone()),
            SwashContent::Color => GlyphPixels::Color(
                image
                    .data
                    .chunks_exact(4)
                    .map(|p| {
                        let a = u32::from(p[3]);
                        let m = |c: u8| div255(u32::from(c) * a) as u8;
                        [m(p[0]), m(p[1]), m(p[2]), p[3]]
                    })
                    .collect(),
            ),
            // Only produced for subpixel formats, which are never requested;
            // keep the green channel as plain coverage rather than failing.
            SwashContent::SubpixelMask => {
                GlyphPixels::Alpha(image.data.chunks_exact(4).map(|p| p[1]).collect())
            }
        };
        Some(GlyphImage {
            left: image.placement.left,
            top: image.placement.top,
            width,
            height,
            pixels,
        })
    }

    /// Blends the glyph with its pen at pixel (`pen_x`, `pen_y`), tinted by
    /// `color` (premultiplied), staying inside the target's clip.
    pub(crate) fn draw(&self, target: &mut Target<'_>, pen_x: i32, pen_y: i32, color: [u8; 4]) {
        // Saturating: text placed absurdly far away must be skipped, not overflow.
        let x = pen_x.saturating_add(self.left);
        let y = pen_y.saturating_sub(self.top);
        let visible = target.clip.intersect(&ClipBox {
            x0: x,
            y0: y,
            x1: x.saturating_add(self.width as i32),
            y1: y.saturating_add(self.height as i32),
        });
        if visible.is_empty() {
            return;
        }
        // All non-negative: `visible` lies inside both the glyph and the
        // target's clip, which lies inside its buffer.
        let cols = (visible.x0 - x) as usize..(visible.x1 - x) as usize;
        for target_y in visible.y0..visible.y1 {
            let row = (target_y - y) as usize;
            let (buf_x, buf_y) = (visible.x0 - target.origin.0, target_y - target.origin.1);
            let dst_start = (buf_y as usize * target.width + buf_x as usize) * 4;
            let dst = &mut target.data[dst_start..dst_start + cols.len() * 4];
            let src = row * self.width + cols.start..row * self.width + cols.end;
            match &self.pixels {
                GlyphPixels::Alpha(mask) => blend_mask_row(dst, &mask[src], color),
                GlyphPixels::Color(rgba) => blend_color_row(dst, &rgba[src], color[3]),
            }
        }
    }
}

/// `dst = color * coverage + dst * (1 - color.a * coverage)`, all premultiplied.
fn blend_mask_row(dst: &mut [u8], mask: &[u8], color: [u8; 4]) {
    for (px, &coverage) in dst.chunks_exact_mut(4).zip(mask) {
        if coverage == 0 {
            continue;
        }
        let c = u32::from(coverage);
        if coverage == 255 && color[3] == 255 {
            px.copy_from_slice(&color);
            continue;
        }
        let inv = 255 - div255(u32::from(color[3]) * c);
        for i in 0..4 {
            let src = div255(u32::from(color[i]) * c);
            px[i] = (src + div255(u32::from(px[i]) * inv)) as u8;
        }
    }
}

/// Source-over of premultiplied color pixels scaled by `alpha`.
fn blend_color_row(dst: &mut [u8], src: &[[u8; 4]], alpha: u8) {
    let alpha = u32::from(alpha);
    for (px, s) in dst.chunks_exact_mut(4).zip(src) {
        let sa = div255(u32::from(s[3]) * alpha);
        if sa == 0 {
            continue;
        }
        let inv = 255 - sa;
        for i in 0..4 {
            let sc = div255(u32::from(s[i]) * alpha);
            px[i] = (sc + div255(u32::from(px[i]) * inv)).min(255) as u8;
        }
    }
}

/// Rasterised glyph masks keyed by the shaper's cache key.
pub(crate) struct GlyphCache {
    rasterizer: SwashCache,
    // `None` records glyphs with no pixels (spaces) so they are not retried.
    entries: RecentCache<CacheKey, Option<GlyphImage>>,
    hits: u64,
    misses: u64,
}

impl std::fmt::Debug for GlyphCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlyphCache")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl GlyphCache {
    pub(crate) fn new() -> Self {
        GlyphCache {
            rasterizer: SwashCache::new(),
            entries: RecentCache::new(GLYPH_CAPACITY),
            hits: 0,
            misses: 0,
        }
    }

    /// The mask for `key`, rasterising it on first use.
    pub(crate) fn get(&mut self, fonts: &mut FontSystem, key: CacheKey) -> Option<&GlyphImage> {
        let rasterizer = &mut self.rasterizer;
        let (image, cached) = self.entries.get_or_insert_with(key, || {
            rasterizer
                .get_image_uncached(fonts, key)
                .and_then(|image| GlyphImage::from_swash(&image))
        });
        if cached {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        image.as_ref()
    }

    pub(crate) fn stats(&self) -> GlyphCacheStats {
        GlyphCacheStats {
            hits: self.hits,
            misses: self.misses,
            entries: self.entries.len(),
        }
    }
}
