//! The painter: shapes, images, text and clipping on a pixel buffer.
//!
//! Callers use logical coordinates; the painter multiplies by the HiDPI scale
//! factor, so a widget laid out for a 1.0 display is sharp on a 2.0 one.
//! Clips are integer pixel rectangles. A shape wholly inside the clip is
//! drawn directly; only a shape that crosses the clip's edge pays for a clip
//! mask, built once per clip level and only when first needed.

use tiny_skia::{
    BlendMode, FillRule, FilterQuality, LineCap, Mask, Paint, Path, PathBuilder, Pattern, Pixmap,
    PixmapMut, SpreadMode, Stroke, Transform,
};

use std::hash::Hasher;

use super::cache::FastHasher;
use super::glyph_cache::{ClipBox, Target};
use super::{Color, Image, Point, Rect, Size, TextEngine, TextLayout, TextStyle};

/// Control-point distance, as a fraction of the radius, for a cubic Bézier
/// that approximates a quarter circle.
const KAPPA: f32 = 0.552_284_8;

/// One level of the clip stack, with its mask made only when a shape needs it.
struct ClipLevel {
    bounds: ClipBox,
    mask: Option<Mask>,
}

/// Draws into a pixel buffer in logical coordinates.
///
/// ```
/// use oneloop::render::{Color, Painter, Point, Rect, TextEngine, TextStyle};
///
/// let mut pixmap = tiny_skia::Pixmap::new(100, 40).unwrap();
/// let mut text = TextEngine::embedded_only();
/// let mut painter = Painter::new(&mut pixmap, &mut text, 2.0); // a HiDPI display
/// painter.clear(Color::WHITE);
/// painter.with_clip(Rect::new(0.0, 0.0, 25.0, 20.0), |p| {
///     p.fill_rect(Rect::new(0.0, 0.0, 50.0, 20.0), Color::BLUE); // only the left half shows
/// });
/// ```
pub struct Painter<'a> {
    pixmap: &'a mut Pixmap,
    text: &'a mut TextEngine,
    scale: f32,
    clips: Vec<ClipLevel>,
    /// While a frame is recorded for damage tracking: the commands so far.
    /// `None` draws each command into the pixels at once.
    record: Option<DisplayList>,
    /// The whole frame, in frame pixels. Coordinates and clips are always in
    /// frame pixels, so a region repainted on its own makes the same choices
    /// (what to skip, where to use a clip mask) as the whole frame.
    frame: ClipBox,
    /// Where the pixmap's top-left pixel lies in the frame: not (0, 0) when
    /// it holds one region of the frame.
    origin: (i32, i32),
}

impl std::fmt::Debug for Painter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Painter")
            .field("size", &(self.pixmap.width(), self.pixmap.height()))
            .field("scale", &self.scale)
            .field("clip_depth", &self.clips.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Painter<'a> {
    /// A painter over `pixmap` whose logical units are `scale` physical
    /// pixels (1.0 on a standard display, 2.0 on a HiDPI one; anything not
    /// finite and positive is treated as 1.0).
    pub fn new(pixmap: &'a mut Pixmap, text: &'a mut TextEngine, scale: f32) -> Self {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            tracing::warn!(scale, "invalid scale factor; using 1.0");
            1.0
        };
        let frame = ClipBox {
            x0: 0,
            y0: 0,
            x1: pixmap.width() as i32,
            y1: pixmap.height() as i32,
        };
        Painter {
            pixmap,
            text,
            scale,
            clips: Vec::new(),
            record: None,
            frame,
            origin: (0, 0),
        }
    }

    /// A painter for the region of a `frame`-sized frame whose top-left
    /// pixel is `origin`, held by `pixmap` (which is the region's size).
    pub(crate) fn for_region(
        pixmap: &'a mut Pixmap,
        text: &'a mut TextEngine,
        scale: f32,
        frame: ClipBox,
        origin: (i32, i32),
    ) -> Self {
        let mut painter = Painter::new(pixmap, text, scale);
        painter.frame = frame;
        painter.origin = origin;
        painter
    }

    /// A painter that records what is drawn instead of drawing it, so the
    /// frame can be compared with the previous one and only what changed
    /// is rasterised ([`Painter::finish_recording`], [`Painter::replay`]).
    pub(crate) fn recording(pixmap: &'a mut Pixmap, text: &'a mut TextEngine, scale: f32) -> Self {
        let mut painter = Painter::new(pixmap, text, scale);
        painter.record = Some(DisplayList::default());
        painter
    }

    /// The recorded frame; `None` when drawing went straight to the pixels
    /// part way through (see [`Painter::pixmap`]) and the frame is already
    /// painted whole.
    pub(crate) fn finish_recording(self) -> Option<DisplayList> {
        self.record
    }

    /// Rasterises the commands of `list` that reach the pixels this painter
    /// holds: the whole frame, or the region of [`Painter::for_region`].
    pub(crate) fn replay(&mut self, list: &DisplayList) {
        let area = self.area();
        let base = self.clips.len();
        for item in &list.items {
            match &item.op {
                Op::PushClip(requested) => self.push_clip_box(*requested),
                Op::PopClip if self.clips.len() > base => {
                    self.clips.pop();
                }
                Op::PopClip => {}
                op if !item.bounds.intersect(&area).is_empty() => self.draw(op),
                _ => {}
            }
        }
        self.clips.truncate(base);
    }

    /// Physical pixels per logical unit.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// The drawing area in logical units.
    pub fn size(&self) -> Size {
        Size::new(
            self.pixmap.width() as f32 / self.scale,
            self.pixmap.height() as f32 / self.scale,
        )
    }

    /// The text engine, e.g. to measure a label before placing it.
    pub fn text_engine(&mut self) -> &mut TextEngine {
        self.text
    }

    /// The underlying pixels, for drawing with tiny-skia directly (in
    /// physical pixels, ignoring the clip stack).
    ///
    /// Pixels drawn here cannot be compared with the previous frame, so a
    /// frame that uses this is painted whole, as is the one after it.
    pub fn pixmap(&mut self) -> tiny_skia::PixmapMut<'_> {
        if let Some(list) = self.record.take() {
            // What was recorded so far goes to the pixels first, in order.
            let clips = std::mem::take(&mut self.clips);
            self.replay(&list);
            self.clips = clips;
        }
        self.pixmap.as_mut()
    }

    /// Replaces every pixel inside the current clip with `color` (no blending).
    pub fn clear(&mut self, color: Color) {
        self.emit(Op::Clear(color));
    }

    fn draw_clear(&mut self, color: Color) {
        if self.clips.is_empty() {
            self.pixmap.fill(color.to_skia());
            return;
        }
        let clip = self.clip().intersect(&self.area());
        if let Some(rect) = to_skia_rect(&self.to_pixmap(box_to_rect(&clip))) {
            let mut paint = solid(color);
            paint.blend_mode = BlendMode::Source;
            self.pixmap
                .fill_rect(rect, &paint, Transform::identity(), None);
        }
    }

    /// Fills an axis-aligned rectangle. Edges on whole physical pixels are crisp.
    pub fn fill_rect(&mut self, rect: Rect, color: Color) {
        self.emit(Op::FillRect(rect.scale(self.scale), color));
    }

    fn draw_rect(&mut self, rect: Rect, color: Color) {
        let clip = self.clip();
        let Some(visible) = rect.intersect(&box_to_rect(&clip)) else {
            return;
        };
        if let Some(r) = to_skia_rect(&self.to_pixmap(visible)) {
            self.pixmap
                .fill_rect(r, &solid(color), Transform::identity(), None);
        }
    }

    /// Fills a rectangle with corners rounded to `radius` (clamped to half
    /// the shorter side), anti-aliased.
    pub fn fill_rounded_rect(&mut self, rect: Rect, radius: f32, color: Color) {
        if radius <= 0.0 {
            return self.fill_rect(rect, color);
        }
        let r = rect.scale(self.scale);
        if let Some(path) = rounded_rect_path(&r, radius * self.scale) {
            self.fill_shape(path, r, color);
        }
    }

    /// Outlines a rectangle with a border `width` wide drawn inside `rect`, so
    /// a bordered box covers exactly the same pixels as a filled one.
    pub fn stroke_rect(&mut self, rect: Rect, width: f32, color: Color) {
        if rect.is_empty() || !width.is_finite() || width <= 0.0 {
            return;
        }
        // Four non-overlapping bars: axis-aligned fills are the fastest path
        // and a translucent border gets no darker corners.
        let w = width.min(rect.w / 2.0).min(rect.h / 2.0);
        let (top, rest) = rect.split_top(w);
        let (middle, bottom) = rest.split_bottom(w);
        let (left, middle) = middle.split_left(w);
        let (_, right) = middle.split_right(w);
        for bar in [top, bottom, left, right] {
            self.fill_rect(bar, color);
        }
    }

    /// Outlines a rounded rectangle with a border `width` wide drawn inside `rect`.
    pub fn stroke_rounded_rect(&mut self, rect: Rect, radius: f32, width: f32, color: Color) {
        if radius <= 0.0 {
            return self.stroke_rect(rect, width, color);
        }
        let w = width * self.scale;
        if !w.is_finite() || w <= 0.0 {
            return;
        }
        let outer = rect.scale(self.scale);
        let centerline = outer.inset(w / 2.0);
        let radius = (radius * self.scale - w / 2.0).max(0.0);
        let path = if radius > 0.0 {
            rounded_rect_path(&centerline, radius)
        } else {
            to_skia_rect(&centerline).map(PathBuilder::from_rect)
        };
        if let Some(path) = path {
            self.stroke_shape(path, outer, w, LineCap::Butt, color);
        }
    }

    /// A straight line `width` wide with flat ends exactly at the end points.
    pub fn line(&mut self, from: Point, to: Point, width: f32, color: Color) {
        let s = self.scale;
        let mut pb = PathBuilder::new();
        pb.move_to(from.x * s, from.y * s);
        pb.line_to(to.x * s, to.y * s);
        if let Some(path) = pb.finish() {
            let bounds = Rect::new(from.x.min(to.x), from.y.min(to.y), 0.0, 0.0)
                .union(&Rect::new(to.x.max(from.x), to.y.max(from.y), 0.0, 0.0))
                .scale(s)
                .inset(-width * s);
            self.stroke_shape(path, bounds, width * s, LineCap::Butt, color);
        }
    }

    /// A filled disc.
    pub fn fill_circle(&mut self, center: Point, radius: f32, color: Color) {
        let (s, r) = (self.scale, radius * self.scale);
        if let Some(path) = PathBuilder::from_circle(center.x * s, center.y * s, r) {
            let bounds = Rect::new(center.x * s - r, center.y * s - r, 2.0 * r, 2.0 * r);
            self.fill_shape(path, bounds, color);
        }
    }

    /// A ring `width` wide whose outer edge has the given radius.
    pub fn stroke_circle(&mut self, center: Point, radius: f32, width: f32, color: Color) {
        let (s, w) = (self.scale, width * self.scale);
        let r = radius * s - w / 2.0;
        if r <= 0.0 {
            return self.fill_circle(center, radius, color);
        }
        if let Some(path) = PathBuilder::from_circle(center.x * s, center.y * s, r) {
            let outer = radius * s;
            let bounds = Rect::new(
                center.x * s - outer,
                center.y * s - outer,
                2.0 * outer,
                2.0 * outer,
            );
            self.stroke_shape(path, bounds, w, LineCap::Butt, color);
        }
    }

    /// A circular arc with round ends, e.g. a busy spinner. Angles are in
    /// radians, 0 pointing right and growing clockwise; `radius` is the
    /// centerline of the stroke.
    pub fn arc(
        &mut self,
        center: Point,
        radius: f32,
        start: f32,
        sweep: f32,
        width: f32,
        color: Color,
    ) {
        let s = self.scale;
        let c = Point::new(center.x * s, center.y * s);
        if let Some(path) = arc_path(c, radius * s, start, sweep) {
            let outer = (radius + width) * s;
            let bounds = Rect::new(c.x - outer, c.y - outer, 2.0 * outer, 2.0 * outer);
            self.stroke_shape(path, bounds, width * s, LineCap::Round, color);
        }
    }

    /// Draws `image` scaled to fill `rect` (bilinear filtering when resized).
    pub fn image(&mut self, rect: Rect, image: &Image) {
        self.emit(Op::Image(rect.scale(self.scale), image.clone()));
    }

    fn draw_image(&mut self, dst: Rect, image: &Image) {
        let clip = self.clip();
        let Some(visible) = dst
            .intersect(&box_to_rect(&clip))
            .and_then(|v| to_skia_rect(&self.to_pixmap(v)))
        else {
            return;
        };
        let at = self.to_pixmap(dst);
        let sx = dst.w / image.width() as f32;
        let sy = dst.h / image.height() as f32;
        // An unscaled image on the pixel grid is copied exactly, without blur.
        let exact = (sx - 1.0).abs() < 1e-4
            && (sy - 1.0).abs() < 1e-4
            && dst.x.fract() == 0.0
            && dst.y.fract() == 0.0;
        let quality = if exact {
            FilterQuality::Nearest
        } else {
            FilterQuality::Bilinear
        };
        let paint = Paint {
            shader: Pattern::new(
                image.pixmap().as_ref(),
                SpreadMode::Pad,
                quality,
                1.0,
                Transform::from_row(sx, 0.0, 0.0, sy, at.x, at.y),
            ),
            ..Paint::default()
        };
        self.pixmap
            .fill_rect(visible, &paint, Transform::identity(), None);
    }

    /// Draws `text` on one line per line break with its top-left corner at `pos`.
    pub fn text(&mut self, pos: Point, text: &str, style: &TextStyle) {
        let layout = self.text.layout(text, style, None);
        self.text_layout(pos, &layout, style.color);
    }

    /// Draws a layout made by the text engine with its top-left corner at `pos`.
    pub fn text_layout(&mut self, pos: Point, layout: &TextLayout, color: Color) {
        if color.a == 0 {
            return;
        }
        self.emit(Op::Text(pos, layout.clone(), color));
    }

    fn draw_text(&mut self, pos: Point, layout: &TextLayout, color: Color) {
        let clip = self.clip().intersect(&self.area());
        if clip.is_empty() || color.a == 0 {
            return;
        }
        let (width, origin) = (self.pixmap.width() as usize, self.origin);
        let mut target = Target {
            data: self.pixmap.data_mut(),
            width,
            origin,
            clip,
        };
        self.text
            .draw_layout(&mut target, layout, pos, self.scale, color);
    }

    /// Restricts drawing to `rect` (intersected with the current clip) until
    /// the matching [`Painter::pop_clip`]. Edges snap to whole pixels.
    pub fn push_clip(&mut self, rect: Rect) {
        let r = rect.scale(self.scale);
        let requested = ClipBox {
            x0: r.x.round() as i32,
            y0: r.y.round() as i32,
            x1: r.right().round() as i32,
            y1: r.bottom().round() as i32,
        };
        if let Some(list) = &mut self.record {
            list.push(Op::PushClip(requested), ClipBox::EMPTY);
        }
        self.push_clip_box(requested);
    }

    fn push_clip_box(&mut self, requested: ClipBox) {
        let bounds = self.clip().intersect(&requested);
        self.clips.push(ClipLevel { bounds, mask: None });
    }

    /// Undoes the latest [`Painter::push_clip`]; an unmatched pop is ignored.
    pub fn pop_clip(&mut self) {
        if self.clips.pop().is_none() {
            tracing::warn!("pop_clip without a matching push_clip; ignored");
        } else if let Some(list) = &mut self.record {
            list.push(Op::PopClip, ClipBox::EMPTY);
        }
    }

    /// Runs `draw` with `rect` pushed as a clip, and pops it afterwards.
    pub fn with_clip<R>(&mut self, rect: Rect, draw: impl FnOnce(&mut Self) -> R) -> R {
        self.push_clip(rect);
        let result = draw(self);
        self.pop_clip();
        result
    }

    /// The current clip in logical units (the whole area when none is set).
    pub fn clip_rect(&self) -> Rect {
        box_to_rect(&self.clip()).scale(1.0 / self.scale)
    }

    fn clip(&self) -> ClipBox {
        self.clips.last().map_or(self.full_box(), |c| c.bounds)
    }

    /// The whole frame as a clip box.
    fn full_box(&self) -> ClipBox {
        self.frame
    }

    /// The frame pixels the pixmap holds.
    fn area(&self) -> ClipBox {
        let (x, y) = self.origin;
        ClipBox {
            x0: x,
            y0: y,
            x1: x + self.pixmap.width() as i32,
            y1: y + self.pixmap.height() as i32,
        }
    }

    /// `r`, in frame pixels, moved to the pixmap's own pixels.
    fn to_pixmap(&self, r: Rect) -> Rect {
        Rect::new(
            r.x - self.origin.0 as f32,
            r.y - self.origin.1 as f32,
            r.w,
            r.h,
        )
    }

    /// What moves frame pixels to the pixmap's pixels.
    fn transform(&self) -> Transform {
        Transform::from_translate(-self.origin.0 as f32, -self.origin.1 as f32)
    }

    /// Records `op` with the pixels it can touch, or draws it now.
    fn emit(&mut self, op: Op) {
        let clip = self.clip();
        match &mut self.record {
            Some(list) => {
                let reach = op
                    .reach(self.scale)
                    .map_or(clip, |r| clip.intersect(&outward(&r)));
                if !reach.is_empty() {
                    list.push(op, reach);
                }
            }
            None => self.draw(&op),
        }
    }

    fn fill_shape(&mut self, path: Path, bounds: Rect, color: Color) {
        self.emit(Op::FillPath(path, bounds, color));
    }

    fn stroke_shape(&mut self, path: Path, bounds: Rect, width: f32, cap: LineCap, color: Color) {
        self.emit(Op::StrokePath(Box::new(StrokeOp {
            path,
            bounds,
            width,
            cap,
            color,
        })));
    }

    /// Rasterises one drawing command under the current clip.
    fn draw(&mut self, op: &Op) {
        match op {
            Op::Clear(color) => self.draw_clear(*color),
            Op::FillRect(rect, color) => self.draw_rect(*rect, *color),
            Op::FillPath(path, bounds, color) => self.fill_path(path, *bounds, *color),
            Op::StrokePath(stroke) => self.stroke_path(
                &stroke.path,
                stroke.bounds,
                stroke.width,
                stroke.cap,
                stroke.color,
            ),
            Op::Image(dst, image) => self.draw_image(*dst, image),
            Op::Text(pos, layout, color) => self.draw_text(*pos, layout, *color),
            Op::PushClip(_) | Op::PopClip => {}
        }
    }

    fn fill_path(&mut self, path: &Path, bounds: Rect, color: Color) {
        self.raster(bounds, |pixmap, transform, mask| {
            pixmap.fill_path(path, &solid(color), FillRule::Winding, transform, mask);
        });
    }

    fn stroke_path(&mut self, path: &Path, bounds: Rect, width: f32, cap: LineCap, color: Color) {
        let stroke = Stroke {
            width,
            line_cap: cap,
            ..Stroke::default()
        };
        self.raster(bounds, |pixmap, transform, mask| {
            pixmap.stroke_path(path, &solid(color), &stroke, transform, mask);
        });
    }

    /// Runs `draw` (a tiny-skia path fill or stroke in frame pixels) for a
    /// shape within physical `bounds`, with the transform to the pixels it
    /// gets and the clip mask when the shape crosses the clip's edge.
    ///
    /// The rasteriser cuts a path's edges where they leave the pixmap, and
    /// a cut edge steps through its rows from a different start, which can
    /// shift an anti-aliased pixel by one level. So a shape that reaches
    /// past a repainted region is drawn into a scratch pixmap holding all of
    /// it (as the whole frame would hold it), and the region's part is
    /// copied back: a region comes out exactly as the whole frame does.
    fn raster(
        &mut self,
        bounds: Rect,
        draw: impl FnOnce(&mut PixmapMut<'_>, Transform, Option<&Mask>),
    ) {
        let masked = match self.prepare_clip(bounds) {
            ClipTest::Outside => return,
            ClipTest::Inside => false,
            ClipTest::Crossing => true,
        };
        let reach = outward(&bounds.inset(-2.0)).intersect(&self.frame);
        let area = self.area();
        if reach.intersect(&area) == reach || reach.is_empty() {
            let transform = self.transform();
            let mask = self
                .clips
                .last()
                .and_then(|c| c.mask.as_ref())
                .filter(|_| masked);
            draw(&mut self.pixmap.as_mut(), transform, mask);
            return;
        }
        let visible = reach.intersect(&area);
        if visible.is_empty() {
            return;
        }
        let (w, h) = ((reach.x1 - reach.x0) as u32, (reach.y1 - reach.y0) as u32);
        let Some(mut scratch) = Pixmap::new(w, h) else {
            return;
        };
        let mine = self.area();
        copy_box(
            self.pixmap,
            (mine.x0, mine.y0),
            &mut scratch,
            (reach.x0, reach.y0),
            &visible,
        );
        let mask = match self.clips.last() {
            Some(level) if masked => clip_mask(&shift(&level.bounds, reach.x0, reach.y0), w, h),
            _ => None,
        };
        let transform = Transform::from_translate(-reach.x0 as f32, -reach.y0 as f32);
        draw(&mut scratch.as_mut(), transform, mask.as_ref());
        copy_box(
            &scratch,
            (reach.x0, reach.y0),
            self.pixmap,
            (mine.x0, mine.y0),
            &visible,
        );
    }

    /// How a shape with physical `bounds` meets the clip; builds the clip
    /// mask the first time a shape crosses its edge.
    fn prepare_clip(&mut self, bounds: Rect) -> ClipTest {
        let clip = box_to_rect(&self.clip());
        // One pixel of slack for anti-aliased edges.
        let b = bounds.inset(-1.0);
        match b.intersect(&clip) {
            None => return ClipTest::Outside,
            Some(overlap) if self.clips.is_empty() || overlap == b => return ClipTest::Inside,
            Some(_) => {}
        }
        let (w, h, (ox, oy)) = (self.pixmap.width(), self.pixmap.height(), self.origin);
        if let Some(level) = self.clips.last_mut() {
            if level.mask.is_none() {
                level.mask = clip_mask(&shift(&level.bounds, ox, oy), w, h);
            }
        }
        ClipTest::Crossing
    }
}

/// One drawing command in physical pixels, as recorded for a frame.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Clear(Color),
    FillRect(Rect, Color),
    FillPath(Path, Rect, Color),
    StrokePath(Box<StrokeOp>),
    Image(Rect, Image),
    /// Text at a logical position (the layout is in logical units).
    Text(Point, TextLayout, Color),
    PushClip(ClipBox),
    PopClip,
}

/// A stroked outline, boxed to keep [`Op`] small.
#[derive(Debug, Clone)]
pub(crate) struct StrokeOp {
    path: Path,
    bounds: Rect,
    width: f32,
    cap: LineCap,
    color: Color,
}

impl Op {
    /// The physical pixels the command can touch, before clipping; `None`
    /// for the whole clip.
    fn reach(&self, scale: f32) -> Option<Rect> {
        match self {
            Op::Clear(_) | Op::PushClip(_) | Op::PopClip => None,
            Op::FillRect(rect, _) | Op::Image(rect, _) => Some(*rect),
            // One pixel of slack for anti-aliased edges.
            Op::FillPath(_, bounds, _) => Some(bounds.inset(-1.0)),
            Op::StrokePath(stroke) => Some(stroke.bounds.inset(-1.0 - stroke.width)),
            Op::Text(pos, layout, _) => {
                let ink = layout.ink_bounds();
                Some(Rect::new(pos.x + ink.x, pos.y + ink.y, ink.w, ink.h).scale(scale))
            }
        }
    }

    /// Whether two commands put the same pixels in the same places (given the
    /// same clip). Pictures and layouts compare by identity, not content.
    fn same(&self, other: &Op) -> bool {
        match (self, other) {
            (Op::Clear(a), Op::Clear(b)) => a == b,
            (Op::FillRect(r, a), Op::FillRect(q, b)) => r == q && a == b,
            (Op::FillPath(p, r, a), Op::FillPath(q, s, b)) => p == q && r == s && a == b,
            (Op::StrokePath(a), Op::StrokePath(b)) => {
                a.path == b.path
                    && a.bounds == b.bounds
                    && a.width.to_bits() == b.width.to_bits()
                    && a.cap == b.cap
                    && a.color == b.color
            }
            (Op::Image(r, a), Op::Image(q, b)) => r == q && a.id() == b.id(),
            (Op::Text(p, l, a), Op::Text(q, m, b)) => p == q && l.id() == m.id() && a == b,
            (Op::PushClip(a), Op::PushClip(b)) => a == b,
            (Op::PopClip, Op::PopClip) => true,
            _ => false,
        }
    }

    /// A hash consistent with [`Op::same`].
    fn key(&self, reach: &ClipBox) -> u64 {
        let mut h = FastHasher::default();
        let rect = |h: &mut FastHasher, r: &Rect| {
            for v in [r.x, r.y, r.w, r.h] {
                h.write_u32(v.to_bits());
            }
        };
        let color = |h: &mut FastHasher, c: &Color| h.write(&[c.r, c.g, c.b, c.a]);
        for v in [reach.x0, reach.y0, reach.x1, reach.y1] {
            h.write_i32(v);
        }
        match self {
            Op::Clear(c) => {
                h.write_u8(1);
                color(&mut h, c);
            }
            Op::FillRect(r, c) => {
                h.write_u8(2);
                rect(&mut h, r);
                color(&mut h, c);
            }
            Op::FillPath(p, r, c) => {
                h.write_u8(3);
                rect(&mut h, r);
                color(&mut h, c);
                h.write_usize(p.len());
            }
            Op::StrokePath(s) => {
                h.write_u8(4);
                rect(&mut h, &s.bounds);
                color(&mut h, &s.color);
                h.write_u32(s.width.to_bits());
            }
            Op::Image(r, i) => {
                h.write_u8(5);
                rect(&mut h, r);
                h.write_u64(i.id());
            }
            Op::Text(p, l, c) => {
                h.write_u8(6);
                h.write_u32(p.x.to_bits());
                h.write_u32(p.y.to_bits());
                h.write_u64(l.id());
                color(&mut h, c);
            }
            Op::PushClip(_) | Op::PopClip => h.write_u8(7),
        }
        h.finish()
    }
}

/// One recorded command with the clipped pixels it can touch.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) op: Op,
    /// Where the command can change pixels: its reach within its clip
    /// (empty for clip changes).
    pub(crate) bounds: ClipBox,
    /// A hash of the command and its bounds, for matching across frames.
    pub(crate) key: u64,
}

impl Item {
    /// Whether `other` draws the same pixels in the same place.
    pub(crate) fn same(&self, other: &Item) -> bool {
        self.key == other.key && self.bounds == other.bounds && self.op.same(&other.op)
    }
}

/// A frame as drawing commands, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct DisplayList {
    pub(crate) items: Vec<Item>,
}

impl DisplayList {
    fn push(&mut self, op: Op, bounds: ClipBox) {
        let key = op.key(&bounds);
        self.items.push(Item { op, bounds, key });
    }
}

/// `b` moved so that frame pixel (`x`, `y`) becomes (0, 0).
fn shift(b: &ClipBox, x: i32, y: i32) -> ClipBox {
    ClipBox {
        x0: b.x0 - x,
        y0: b.y0 - y,
        x1: b.x1 - x,
        y1: b.y1 - y,
    }
}

/// Copies the frame pixels `part` from `src`, whose top-left pixel is frame
/// pixel `src_at`, into `dst`, whose top-left is `dst_at`. `part` must lie
/// inside both.
fn copy_box(
    src: &Pixmap,
    src_at: (i32, i32),
    dst: &mut Pixmap,
    dst_at: (i32, i32),
    part: &ClipBox,
) {
    let row_len = (part.x1 - part.x0) as usize * 4;
    let (src_w, dst_w) = (src.width() as usize * 4, dst.width() as usize * 4);
    let data = src.data();
    let out = dst.data_mut();
    for y in part.y0..part.y1 {
        let from = (y - src_at.1) as usize * src_w + (part.x0 - src_at.0) as usize * 4;
        let to = (y - dst_at.1) as usize * dst_w + (part.x0 - dst_at.0) as usize * 4;
        out[to..to + row_len].copy_from_slice(&data[from..from + row_len]);
    }
}

/// The smallest whole-pixel box around `r`.
fn outward(r: &Rect) -> ClipBox {
    let (x0, y0, x1, y1) = (
        r.x.floor(),
        r.y.floor(),
        r.right().ceil(),
        r.bottom().ceil(),
    );
    // Not-a-number and huge values end as an empty or a whole-screen box.
    let clamp = |v: f32| v.clamp(-1.0e9, 1.0e9) as i32;
    ClipBox {
        x0: clamp(x0),
        y0: clamp(y0),
        x1: clamp(x1),
        y1: clamp(y1),
    }
}

/// Where a shape lies relative to the current clip.
enum ClipTest {
    /// Entirely outside: skip it.
    Outside,
    /// Entirely inside: draw it without a mask (the fast path).
    Inside,
    /// Across the clip's edge: draw through the clip mask.
    Crossing,
}

fn solid(color: Color) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(color.r, color.g, color.b, color.a);
    paint
}

fn box_to_rect(b: &ClipBox) -> Rect {
    Rect::new(
        b.x0 as f32,
        b.y0 as f32,
        (b.x1 - b.x0) as f32,
        (b.y1 - b.y0) as f32,
    )
}

fn to_skia_rect(r: &Rect) -> Option<tiny_skia::Rect> {
    tiny_skia::Rect::from_xywh(r.x, r.y, r.w, r.h)
}

/// A mask covering `bounds` of a `w`×`h` pixmap, for shapes crossing the clip edge.
fn clip_mask(bounds: &ClipBox, w: u32, h: u32) -> Option<Mask> {
    let mut mask = Mask::new(w, h)?;
    let stride = w as usize;
    let bounds = bounds.intersect(&ClipBox {
        x0: 0,
        y0: 0,
        x1: w as i32,
        y1: h as i32,
    });
    let (x0, x1) = (bounds.x0.max(0) as usize, bounds.x1.max(0) as usize);
    for y in bounds.y0.max(0)..bounds.y1.max(0) {
        let row = y as usize * stride;
        mask.data_mut()[row + x0..row + x1].fill(255);
    }
    Some(mask)
}

/// A rounded rectangle outline in physical pixels.
fn rounded_rect_path(r: &Rect, radius: f32) -> Option<Path> {
    let rad = radius.min(r.w / 2.0).min(r.h / 2.0).max(0.0);
    let (x0, y0, x1, y1) = (r.x, r.y, r.right(), r.bottom());
    let c = rad * (1.0 - KAPPA);
    let mut pb = PathBuilder::new();
    pb.move_to(x0 + rad, y0);
    pb.line_to(x1 - rad, y0);
    pb.cubic_to(x1 - c, y0, x1, y0 + c, x1, y0 + rad);
    pb.line_to(x1, y1 - rad);
    pb.cubic_to(x1, y1 - c, x1 - c, y1, x1 - rad, y1);
    pb.line_to(x0 + rad, y1);
    pb.cubic_to(x0 + c, y1, x0, y1 - c, x0, y1 - rad);
    pb.line_to(x0, y0 + rad);
    pb.cubic_to(x0, y0 + c, x0 + c, y0, x0 + rad, y0);
    pb.close();
    pb.finish()
}

/// A circular arc as cubic segments of at most a quarter turn each.
fn arc_path(c: Point, radius: f32, start: f32, sweep: f32) -> Option<Path> {
    if !radius.is_finite() || radius <= 0.0 || !sweep.is_finite() || sweep == 0.0 {
        return None;
    }
    let sweep = sweep.clamp(-std::f32::consts::TAU, std::f32::consts::TAU);
    let segments = (sweep.abs() / std::f32::consts::FRAC_PI_2).ceil().max(1.0) as usize;
    let step = sweep / segments as f32;
    let handle = 4.0 / 3.0 * (step / 4.0).tan() * radius;
    let at = |a: f32| Point::new(c.x + radius * a.cos(), c.y + radius * a.sin());
    let mut pb = PathBuilder::new();
    let p0 = at(start);
    pb.move_to(p0.x, p0.y);
    for i in 0..segments {
        let (a0, a1) = (start + step * i as f32, start + step * (i + 1) as f32);
        let (p0, p1) = (at(a0), at(a1));
        pb.cubic_to(
            p0.x - handle * a0.sin(),
            p0.y + handle * a0.cos(),
            p1.x + handle * a1.sin(),
            p1.y - handle * a1.cos(),
            p1.x,
            p1.y,
        );
    }
    pb.finish()
}
