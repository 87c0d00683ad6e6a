//! Shaped, laid-out text and its geometry: size, carets, hit-testing, selection.
//!
//! A [`TextLayout`] is plain data once made: asking where the caret goes or
//! which character was clicked needs no font system, so widgets can answer
//! pointer events without touching the text engine.

use std::ops::Range;
use std::sync::Arc;

use cosmic_text::{fontdb, Buffer, CacheKeyFlags, LayoutGlyph};
use unicode_segmentation::UnicodeSegmentation;

use super::{Rect, Size};

/// One glyph placed on a line, in logical units relative to the layout origin.
#[derive(Clone, Debug)]
pub(crate) struct PlacedGlyph {
    /// Bytes of the whole text this glyph's cluster covers.
    pub range: Range<usize>,
    /// Left edge and width of the cluster's hit box.
    pub x: f32,
    pub w: f32,
    /// Pen position: horizontal from the origin, vertical from the baseline.
    pub pen_x: f32,
    pub pen_y: f32,
    pub font_id: fontdb::ID,
    pub glyph_id: u16,
    pub font_size: f32,
    pub weight: fontdb::Weight,
    pub flags: CacheKeyFlags,
    pub rtl: bool,
}

impl PlacedGlyph {
    /// Our copy of a shaped glyph from a paragraph starting at byte `offset`.
    fn new(g: &LayoutGlyph, offset: usize) -> Self {
        PlacedGlyph {
            range: offset + g.start..offset + g.end,
            x: g.x,
            w: g.w,
            pen_x: g.x + g.x_offset * g.font_size,
            pen_y: g.y - g.y_offset * g.font_size,
            font_id: g.font_id,
            glyph_id: g.glyph_id,
            font_size: g.font_size,
            weight: g.font_weight,
            flags: g.cache_key_flags,
            rtl: g.level.is_rtl(),
        }
    }
}

/// One visual line (a paragraph becomes several when it wraps).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub top: f32,
    pub baseline: f32,
    pub height: f32,
    pub width: f32,
    /// Bytes of the whole text on this line, without the line break.
    pub range: Range<usize>,
    /// True when the line ends by wrapping rather than at a line break or the end.
    pub wrapped: bool,
    /// Glyphs in visual (left-to-right) order.
    pub glyphs: Vec<PlacedGlyph>,
}

#[derive(Debug)]
struct Inner {
    text: String,
    lines: Vec<Line>,
    size: Size,
    /// Unique per layout made (clones share it): a frame compares layouts by it.
    id: u64,
    /// The largest font size used: how far glyphs may reach past the line boxes.
    max_font_size: f32,
}

/// Where layout identities come from (see [`Inner::id`]).
static NEXT_LAYOUT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Shaped and laid-out text, ready to draw and to query.
///
/// Made by [`TextEngine::layout`](super::TextEngine::layout) and friends.
/// Coordinates are logical and relative to the layout's top-left corner; byte
/// indices refer to [`TextLayout::text`]. Cloning is cheap (shared data).
#[derive(Clone, Debug)]
pub struct TextLayout {
    inner: Arc<Inner>,
}

/// Where to draw a text caret, relative to the layout's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Caret {
    /// Horizontal position of the caret line.
    pub x: f32,
    /// Top of the caret (the top of its line).
    pub top: f32,
    /// Height of the caret (the height of its line).
    pub height: f32,
}

impl TextLayout {
    /// Our layout of `text` from the shaper's buffer holding it.
    pub(crate) fn from_buffer(text: String, buffer: &Buffer) -> Self {
        TextLayout::new(text, collect_lines(buffer))
    }

    fn new(text: String, lines: Vec<Line>) -> Self {
        let width = lines.iter().map(|l| l.width).fold(0.0, f32::max);
        let height = lines.last().map_or(0.0, |l| l.top + l.height);
        let max_font_size = lines
            .iter()
            .flat_map(|l| &l.glyphs)
            .map(|g| g.font_size)
            .fold(0.0, f32::max);
        TextLayout {
            inner: Arc::new(Inner {
                text,
                lines,
                size: Size::new(width, height),
                id: NEXT_LAYOUT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                max_font_size,
            }),
        }
    }

    /// This layout's identity: equal for clones, different for any two
    /// layouts made separately.
    pub(crate) fn id(&self) -> u64 {
        self.inner.id
    }

    /// A box, relative to the layout's top-left corner, that every glyph's
    /// pixels stay inside (the line boxes grown by the largest font size,
    /// for italic overhangs, accents and descenders).
    pub(crate) fn ink_bounds(&self) -> Rect {
        let reach = self.inner.max_font_size;
        Rect::new(0.0, 0.0, self.inner.size.w, self.inner.size.h).inset(-reach)
    }

    pub(crate) fn lines(&self) -> &[Line] {
        &self.inner.lines
    }

    /// True when some character has no glyph in any loaded font and shows
    /// as a box, e.g. to warn that a file name cannot be displayed faithfully.
    pub fn has_missing_glyphs(&self) -> bool {
        self.lines()
            .iter()
            .any(|l| l.glyphs.iter().any(|g| g.glyph_id == 0))
    }

    /// The text this layout shows (for an ellipsized layout, with the "…").
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// Width of the widest line and total height of all lines.
    pub fn size(&self) -> Size {
        self.inner.size
    }

    /// Number of visual lines, counting wrapped continuations.
    pub fn line_count(&self) -> usize {
        self.inner.lines.len()
    }

    /// Distance from the top to the first line's baseline, for aligning text
    /// with other content.
    pub fn baseline(&self) -> f32 {
        self.inner.lines.first().map_or(0.0, |l| l.baseline)
    }

    /// Every byte index a caret can stand at: the grapheme boundaries, so an
    /// accent typed as a combining mark never gets a caret stop of its own.
    pub fn caret_stops(&self) -> Vec<usize> {
        let text = self.text();
        let mut stops: Vec<usize> = text.grapheme_indices(true).map(|(i, _)| i).collect();
        stops.push(text.len());
        stops
    }

    /// The caret stop at or before `index` (clamped to the text).
    pub fn snap_to_stop(&self, index: usize) -> usize {
        let text = self.text();
        if index >= text.len() {
            return text.len();
        }
        text.grapheme_indices(true)
            .map(|(i, _)| i)
            .take_while(|&i| i <= index)
            .last()
            .unwrap_or(0)
    }

    /// The caret stop after `index`, for the Right arrow key.
    pub fn next_stop(&self, index: usize) -> usize {
        let text = self.text();
        text.grapheme_indices(true)
            .map(|(i, g)| i + g.len())
            .find(|&end| end > index)
            .unwrap_or(text.len())
    }

    /// The caret stop before `index`, for the Left arrow key.
    pub fn prev_stop(&self, index: usize) -> usize {
        self.text()
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .take_while(|&i| i < index)
            .last()
            .unwrap_or(0)
    }

    fn line_of(&self, index: usize) -> Option<&Line> {
        let lines = &self.inner.lines;
        // A stop at a wrap belongs to the next line, where typing continues.
        let i = lines.partition_point(|l| l.range.start <= index);
        lines.get(i.saturating_sub(1))
    }

    /// Caret geometry for the stop at or before byte `index`.
    pub fn caret(&self, index: usize) -> Caret {
        let index = self.snap_to_stop(index);
        match self.line_of(index) {
            Some(line) => Caret {
                x: self.x_in_line(line, index),
                top: line.top,
                height: line.height,
            },
            None => Caret {
                x: 0.0,
                top: 0.0,
                height: 0.0,
            },
        }
    }

    /// Horizontal caret position for the stop at or before byte `index`.
    pub fn caret_x(&self, index: usize) -> f32 {
        self.caret(index).x
    }

    /// The caret stop nearest to the point (`x`, `y`), e.g. under a click.
    /// Points above or below the text pick the first or last line.
    pub fn hit(&self, x: f32, y: f32) -> usize {
        let lines = &self.inner.lines;
        let Some(line) = lines.iter().find(|l| y < l.top + l.height).or(lines.last()) else {
            return 0;
        };
        let text = self.text();
        let mut best = (line.range.start, f32::INFINITY);
        let starts = text[line.range.clone()]
            .grapheme_indices(true)
            .map(|(i, _)| line.range.start + i);
        // The end of a wrapped line is the next line's start; it is offered there.
        let end = (!line.wrapped).then_some(line.range.end);
        for stop in starts.chain(end) {
            let distance = (self.x_in_line(line, stop) - x).abs();
            if distance < best.1 {
                best = (stop, distance);
            }
        }
        best.0
    }

    /// Rectangles covering the text in `range` (byte indices, snapped to
    /// caret stops), one or more per line, for drawing a selection.
    pub fn selection_rects(&self, range: Range<usize>) -> Vec<Rect> {
        let start = self.snap_to_stop(range.start);
        let end = self.snap_to_stop(range.end);
        let (start, end) = (start.min(end), start.max(end));
        let mut rects = Vec::new();
        for line in &self.inner.lines {
            let lo = start.max(line.range.start);
            let hi = end.min(line.range.end);
            if lo >= hi {
                continue;
            }
            let mut spans = self.spans_in_line(line, lo..hi);
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut merged: Vec<(f32, f32)> = Vec::new();
            for (x0, x1) in spans {
                match merged.last_mut() {
                    Some(last) if x0 <= last.1 + 0.01 => last.1 = last.1.max(x1),
                    _ => merged.push((x0, x1)),
                }
            }
            rects.extend(
                merged
                    .into_iter()
                    .map(|(x0, x1)| Rect::new(x0, line.top, x1 - x0, line.height)),
            );
        }
        rects
    }

    /// Horizontal extents of the graphemes of `line` that lie in `sel`.
    fn spans_in_line(&self, line: &Line, sel: Range<usize>) -> Vec<(f32, f32)> {
        let text = self.text();
        let mut spans = Vec::new();
        for g in &line.glyphs {
            if g.range.end <= sel.start || g.range.start >= sel.end || g.w <= 0.0 {
                continue;
            }
            let cluster = &text[g.range.clone()];
            let count = cluster.graphemes(true).count().max(1) as f32;
            for (n, (i, grapheme)) in cluster.grapheme_indices(true).enumerate() {
                let (gs, ge) = (g.range.start + i, g.range.start + i + grapheme.len());
                if gs >= sel.start && ge <= sel.end {
                    let (a, b) = (n as f32 / count, (n + 1) as f32 / count);
                    let (a, b) = if g.rtl { (1.0 - b, 1.0 - a) } else { (a, b) };
                    spans.push((g.x + g.w * a, g.x + g.w * b));
                }
            }
        }
        spans
    }

    /// Caret x for a stop known to lie on `line`.
    fn x_in_line(&self, line: &Line, index: usize) -> f32 {
        let text = self.text();
        // A cluster may be several glyphs (a base and its marks); use its full extent.
        let extent = |range: &Range<usize>| {
            line.glyphs
                .iter()
                .filter(|g| g.range == *range)
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), g| {
                    (a.min(g.x), b.max(g.x + g.w))
                })
        };
        if let Some(g) = line.glyphs.iter().find(|g| g.range.contains(&index)) {
            let (x0, x1) = extent(&g.range);
            let cluster = &text[g.range.clone()];
            let total = cluster.graphemes(true).count().max(1) as f32;
            let before = cluster
                .grapheme_indices(true)
                .filter(|(i, _)| g.range.start + i < index)
                .count() as f32;
            let frac = before / total;
            return if g.rtl {
                x1 - (x1 - x0) * frac
            } else {
                x0 + (x1 - x0) * frac
            };
        }
        // After the last character of the line.
        match line.glyphs.iter().find(|g| g.range.end == index) {
            Some(g) => {
                let (x0, x1) = extent(&g.range);
                if g.rtl {
                    x0
                } else {
                    x1
                }
            }
            None => line.glyphs.iter().map(|g| g.x + g.w).fold(0.0, f32::max),
        }
    }
}

/// Turns the shaper's visual lines into ours, with byte ranges into the whole text.
fn collect_lines(buffer: &Buffer) -> Vec<Line> {
    let mut paragraphs = Vec::with_capacity(buffer.lines.len());
    let mut offset = 0;
    for line in &buffer.lines {
        paragraphs.push((offset, offset + line.text().len()));
        offset += line.text().len() + line.ending().as_str().len();
    }
    let runs: Vec<_> = buffer.layout_runs().collect();
    let mut lines: Vec<Line> = Vec::with_capacity(runs.len());
    for (i, run) in runs.iter().enumerate() {
        let Some(&(para_start, para_end)) = paragraphs.get(run.line_i) else {
            continue;
        };
        let next_in_paragraph = runs.get(i + 1).filter(|next| next.line_i == run.line_i);
        let start = match lines.last() {
            Some(prev) if i > 0 && runs[i - 1].line_i == run.line_i => prev.range.end,
            _ => para_start,
        };
        let end = next_in_paragraph
            .and_then(|next| next.glyphs.iter().map(|g| para_start + g.start).min())
            .unwrap_or(para_end)
            .max(start);
        let glyphs = run
            .glyphs
            .iter()
            .map(|g| PlacedGlyph::new(g, para_start))
            .collect();
        lines.push(Line {
            top: run.line_top,
            baseline: run.line_y,
            height: run.line_height,
            width: run.line_w,
            range: start..end,
            wrapped: next_in_paragraph.is_some(),
            glyphs,
        });
    }
    lines
}
