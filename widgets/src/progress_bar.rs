//! A horizontal bar that shows how much of a job is done, or, when that is
//! not known, that the job is still going.

use std::time::{Duration, Instant};

use oneloop::render::{Color, Painter, Rect, Size};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};

/// A rounded track filled with the accent color from the left.
#[derive(Debug, Clone, Copy, PartialEq)]
#[must_use]
pub struct ProgressBar {
    progress: Progress,
    height: f32,
}

/// What the bar shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Progress {
    /// This share of the job is done (already clamped to 0..=1).
    Done(f32),
    /// The job runs but how far it got is unknown.
    Unknown,
}

/// A bar with `fraction` of its track filled. `fraction` is clamped to
/// 0..=1; NaN shows as 0, so a division by a zero total cannot break it.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::progress_bar;
///
/// fn view<'a, M: 'a>(read: u64, total: u64) -> Element<'a, M> {
///     progress_bar(read as f32 / total as f32).into()
/// }
/// ```
pub fn progress_bar(fraction: f32) -> ProgressBar {
    ProgressBar {
        progress: Progress::Done(clamp_fraction(fraction)),
        height: DEFAULT_HEIGHT,
    }
}

/// A bar for a job of unknown length: a segment sweeps along the track
/// for as long as the bar is on screen.
pub fn progress_bar_indeterminate() -> ProgressBar {
    progress_bar(0.0).indeterminate()
}

impl ProgressBar {
    /// The thickness of the track in logical pixels (default 6).
    pub fn height(mut self, height: f32) -> Self {
        if height.is_finite() && height > 0.0 {
            self.height = height;
        }
        self
    }

    /// Show that work goes on without saying how far it got.
    pub fn indeterminate(mut self) -> Self {
        self.progress = Progress::Unknown;
        self
    }

    /// The share of the track that is filled, or `None` while indeterminate.
    #[must_use]
    pub fn fraction(&self) -> Option<f32> {
        match self.progress {
            Progress::Done(fraction) => Some(fraction),
            Progress::Unknown => None,
        }
    }
}

fn clamp_fraction(fraction: f32) -> f32 {
    if fraction.is_nan() {
        0.0
    } else {
        fraction.clamp(0.0, 1.0)
    }
}

const DEFAULT_HEIGHT: f32 = 6.0;
/// The width the bar asks for; a stretching parent makes it wider.
const NATURAL_WIDTH: f32 = 200.0;
/// One sweep of the indeterminate segment from the left end to the right.
const SWEEP: Duration = Duration::from_millis(1600);
/// The indeterminate segment's length as a share of the track.
const SEGMENT: f32 = 0.3;

/// When the indeterminate animation started, kept across view rebuilds.
#[derive(Default)]
struct AnimationStart(Option<Instant>);

impl<'a, M> Widget<'a, M> for ProgressBar {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        Size::new(NATURAL_WIDTH.min(constraints.max.w), self.height)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        let (track_color, accent) = (cx.theme().border, cx.theme().accent);
        // Centered across the bar's rect, on whole pixels so the flat top
        // and bottom edges stay crisp.
        let height = self.height.min(rect.h);
        let track = Rect::new(
            rect.x.round(),
            (rect.y + (rect.h - height) / 2.0).round(),
            rect.w.round(),
            height,
        );
        let span = match self.progress {
            Progress::Done(fraction) => Some((track.x, track.x + track.w * fraction)),
            Progress::Unknown => {
                let visible = cx.painter().clip_rect().intersect(&rect).is_some();
                if visible {
                    cx.animate();
                }
                let now = cx.now();
                let started = *cx.state::<AnimationStart>().0.get_or_insert(now);
                Some(sweep_span(track, now.saturating_duration_since(started)))
            }
        };
        let painter = cx.painter();
        painter.fill_rounded_rect(track, track.h / 2.0, track_color);
        if let Some((from, to)) = span {
            fill_span(painter, track, from, to, accent);
        }
    }

    fn kind(&self) -> &'static str {
        "progress_bar"
    }
}

/// Where the indeterminate segment is `elapsed` after the animation began:
/// it enters at the left end, eases across and leaves at the right end.
fn sweep_span(track: Rect, elapsed: Duration) -> (f32, f32) {
    let phase = (elapsed.as_secs_f32() / SWEEP.as_secs_f32()).fract();
    // Smoothstep: slow at the ends, quick in the middle.
    let eased = phase * phase * (3.0 - 2.0 * phase);
    let length = track.w * SEGMENT;
    let head = track.x - length + eased * (track.w + length);
    (head.max(track.x), (head + length).min(track.right()))
}

/// Fill `from..to` of `track` with round ends. A span shorter than the
/// track is thick shows the part of a full round cap that it covers, so
/// the fill never pokes out of the track's rounded ends.
fn fill_span(painter: &mut Painter<'_>, track: Rect, from: f32, to: f32, color: Color) {
    let width = to - from;
    if width.is_nan() || width <= 0.0 {
        return;
    }
    let radius = track.h / 2.0;
    if width >= track.h {
        painter.fill_rounded_rect(Rect::new(from, track.y, width, track.h), radius, color);
        return;
    }
    let cap_x = if from - track.x <= track.right() - to {
        track.x.max(to - track.h)
    } else {
        track.right().min(from + track.h) - track.h
    };
    let cap = Rect::new(cap_x, track.y, track.h, track.h);
    painter.with_clip(Rect::new(from, track.y, width, track.h), |p| {
        p.fill_rounded_rect(cap, radius, color);
    });
}

impl<'a, M: 'a> From<ProgressBar> for oneloop::Element<'a, M> {
    fn from(bar: ProgressBar) -> Self {
        oneloop::Element::new(bar)
    }
}
