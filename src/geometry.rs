//! Plain geometry in logical pixels (physical pixels divided by the scale
//! factor), shared by input, layout and painting.

/// A position in logical coordinates (before the HiDPI scale is applied).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Horizontal position, growing to the right.
    pub x: f32,
    /// Vertical position, growing downwards.
    pub y: f32,
}

impl Point {
    /// A point from its coordinates.
    pub const fn new(x: f32, y: f32) -> Self {
        Point { x, y }
    }

    /// This point moved by `dx`, `dy`.
    #[must_use]
    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Point::new(self.x + dx, self.y + dy)
    }
}

/// A width and height in logical coordinates.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    /// Horizontal extent.
    pub w: f32,
    /// Vertical extent.
    pub h: f32,
}

impl Size {
    /// No size at all.
    pub const ZERO: Size = Size::new(0.0, 0.0);

    /// A size from its extents.
    pub const fn new(w: f32, h: f32) -> Self {
        Size { w, h }
    }
}

/// An axis-aligned rectangle in logical coordinates: top-left corner plus size.
///
/// Layout code slices space with the `split_*` methods, which is why they
/// return both halves.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width; never negative for rectangles made by the methods here.
    pub w: f32,
    /// Height; never negative for rectangles made by the methods here.
    pub h: f32,
}

impl Rect {
    /// The empty rectangle at the origin.
    pub const ZERO: Rect = Rect::new(0.0, 0.0, 0.0, 0.0);

    /// A rectangle from its top-left corner and size.
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Rect { x, y, w, h }
    }

    /// A rectangle at `origin` with `size`.
    pub const fn from_origin_size(origin: Point, size: Size) -> Self {
        Rect::new(origin.x, origin.y, size.w, size.h)
    }

    /// The top-left corner.
    pub const fn origin(&self) -> Point {
        Point::new(self.x, self.y)
    }

    /// The width and height.
    pub const fn size(&self) -> Size {
        Size::new(self.w, self.h)
    }

    /// The right edge (`x + w`).
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    /// The bottom edge (`y + h`).
    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// The center point.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// True when the rectangle covers no area (or has a NaN coordinate).
    pub fn is_empty(&self) -> bool {
        let [x, y, w, h] = [self.x, self.y, self.w, self.h];
        x.is_nan() || y.is_nan() || w.is_nan() || h.is_nan() || w <= 0.0 || h <= 0.0
    }

    /// True when `p` lies inside; the right and bottom edges are outside, so
    /// two rectangles that touch never both claim a pointer position.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x < self.right() && p.y >= self.y && p.y < self.bottom()
    }

    /// The overlap of two rectangles, or `None` when they do not overlap.
    pub fn intersect(&self, other: &Rect) -> Option<Rect> {
        // Checked first: min and max would quietly drop a NaN coordinate.
        if self.is_empty() || other.is_empty() {
            return None;
        }
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = self.right().min(other.right());
        let y1 = self.bottom().min(other.bottom());
        (x1 > x0 && y1 > y0).then(|| Rect::new(x0, y0, x1 - x0, y1 - y0))
    }

    /// The smallest rectangle containing both.
    #[must_use]
    pub fn union(&self, other: &Rect) -> Rect {
        let x0 = self.x.min(other.x);
        let y0 = self.y.min(other.y);
        Rect::new(
            x0,
            y0,
            self.right().max(other.right()) - x0,
            self.bottom().max(other.bottom()) - y0,
        )
    }

    /// Shrunk by `d` on every side (grown when `d` is negative); never below zero size.
    #[must_use]
    pub fn inset(&self, d: f32) -> Rect {
        self.inset_xy(d, d)
    }

    /// Shrunk by `dx` left and right and `dy` top and bottom; never below zero size.
    #[must_use]
    pub fn inset_xy(&self, dx: f32, dy: f32) -> Rect {
        let w = (self.w - 2.0 * dx).max(0.0);
        let h = (self.h - 2.0 * dy).max(0.0);
        Rect::new(self.x + dx, self.y + dy, w, h)
    }

    /// Moved by `dx`, `dy`.
    #[must_use]
    pub fn translate(&self, dx: f32, dy: f32) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }

    /// Splits off a column of width `w` (clamped) on the left: `(left, rest)`.
    pub fn split_left(&self, w: f32) -> (Rect, Rect) {
        let w = w.clamp(0.0, self.w);
        (
            Rect::new(self.x, self.y, w, self.h),
            Rect::new(self.x + w, self.y, self.w - w, self.h),
        )
    }

    /// Splits off a column of width `w` (clamped) on the right: `(rest, right)`.
    pub fn split_right(&self, w: f32) -> (Rect, Rect) {
        let (rest, right) = self.split_left(self.w - w.clamp(0.0, self.w));
        (rest, right)
    }

    /// Splits off a row of height `h` (clamped) at the top: `(top, rest)`.
    pub fn split_top(&self, h: f32) -> (Rect, Rect) {
        let h = h.clamp(0.0, self.h);
        (
            Rect::new(self.x, self.y, self.w, h),
            Rect::new(self.x, self.y + h, self.w, self.h - h),
        )
    }

    /// Splits off a row of height `h` (clamped) at the bottom: `(rest, bottom)`.
    pub fn split_bottom(&self, h: f32) -> (Rect, Rect) {
        self.split_top(self.h - h.clamp(0.0, self.h))
    }

    /// A rectangle of `size` centered inside this one, e.g. to center a label.
    pub fn center_size(&self, size: Size) -> Rect {
        Rect::new(
            self.x + (self.w - size.w) / 2.0,
            self.y + (self.h - size.h) / 2.0,
            size.w,
            size.h,
        )
    }

    /// Every coordinate multiplied by `s`: logical to physical pixels.
    #[must_use]
    pub fn scale(&self, s: f32) -> Rect {
        Rect::new(self.x * s, self.y * s, self.w * s, self.h * s)
    }
}
