//! PNG files: saving frames, loading snapshots, and comparing the two.
//!
//! Snapshot tests render a frame, load the stored picture and [`compare`]
//! them with a small tolerance; on a mismatch the diff image shows where.

use std::path::Path;

use tiny_skia::Pixmap;

use super::RenderError;

/// The result of comparing two images with [`compare`].
#[derive(Clone, Debug)]
pub struct Diff {
    /// Pixels where some channel differs by more than the tolerance (pixels
    /// present in only one image, when sizes differ, count too).
    pub differing_pixels: usize,
    /// The largest difference in any channel of any pixel (0–255).
    pub max_delta: u8,
    /// The first image faded to gray with differing pixels in solid red:
    /// save it next to a failing snapshot to see what changed.
    pub diff_image: Pixmap,
}

impl Diff {
    /// True when no pixel differs beyond the tolerance.
    pub fn matches(&self) -> bool {
        self.differing_pixels == 0
    }
}

/// Encodes the pixmap as an RGBA PNG (un-premultiplying its colors).
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    Ok(pixmap.encode_png()?)
}

/// Writes the pixmap to `path` as PNG, creating missing parent directories.
pub fn save_png(pixmap: &Pixmap, path: impl AsRef<Path>) -> Result<(), RenderError> {
    let path = path.as_ref();
    let io_error = |source| RenderError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bytes = encode_png(pixmap)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_error)?;
    }
    std::fs::write(path, bytes).map_err(io_error)
}

/// Reads a PNG (any bit depth or color type) into a premultiplied pixmap.
pub fn load_png(path: impl AsRef<Path>) -> Result<Pixmap, RenderError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| RenderError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Pixmap::decode_png(&bytes).map_err(|source| RenderError::PngDecode {
        path: path.to_path_buf(),
        source,
    })
}

/// Compares two images pixel by pixel; a pixel differs when any channel
/// differs by more than `tolerance`, which absorbs the last-bit rounding
/// that anti-aliasing can vary in.
pub fn compare(a: &Pixmap, b: &Pixmap, tolerance: u8) -> Diff {
    let width = a.width().max(b.width());
    let height = a.height().max(b.height());
    let mut diff_pixels = vec![0u8; width as usize * height as usize * 4];
    let mut differing_pixels = 0;
    let mut max_delta = 0u8;
    for y in 0..height {
        for x in 0..width {
            let delta = pixel_delta(a, b, x, y);
            max_delta = max_delta.max(delta);
            let out = &mut diff_pixels[(y as usize * width as usize + x as usize) * 4..][..4];
            if delta > tolerance {
                differing_pixels += 1;
                out.copy_from_slice(&[255, 0, 0, 255]);
            } else {
                // A light gray ghost of the image keeps the red marks in context.
                let ghost = 192 + luma(a, x, y) / 4;
                out.copy_from_slice(&[ghost, ghost, ghost, 255]);
            }
        }
    }
    // Both inputs are non-empty pixmaps, so their bounding size is valid.
    let diff_image = tiny_skia::IntSize::from_wh(width, height)
        .and_then(|size| Pixmap::from_vec(diff_pixels, size))
        .expect("the bounding size of two pixmaps is a valid pixmap size");
    Diff {
        differing_pixels,
        max_delta,
        diff_image,
    }
}

/// The largest channel difference at (`x`, `y`); 255 where only one image has the pixel.
fn pixel_delta(a: &Pixmap, b: &Pixmap, x: u32, y: u32) -> u8 {
    match (a.pixel(x, y), b.pixel(x, y)) {
        (Some(pa), Some(pb)) => pa
            .red()
            .abs_diff(pb.red())
            .max(pa.green().abs_diff(pb.green()))
            .max(pa.blue().abs_diff(pb.blue()))
            .max(pa.alpha().abs_diff(pb.alpha())),
        _ => u8::MAX,
    }
}

/// Approximate brightness of a pixel of `p` (white where it has none).
fn luma(p: &Pixmap, x: u32, y: u32) -> u8 {
    p.pixel(x, y).map_or(255, |px| {
        let c = px.demultiply();
        let sum = u32::from(c.red()) * 3 + u32::from(c.green()) * 6 + u32::from(c.blue());
        (sum / 10) as u8
    })
}
