//! A rotating arc that says "busy" — and, because its angle comes from the
//! time each frame is painted at, shows at a glance whether the loop still
//! paints frames: a stalled loop is a stalled spinner.

use std::f32::consts::{FRAC_PI_2, TAU};
use std::time::{Duration, Instant};

use oneloop::render::{Rect, Size};
use oneloop::widget::{Constraints, LayoutCx, PaintCx, Widget};

/// A busy indicator: an accent arc turning on a faint ring.
#[derive(Debug, Clone, Copy, PartialEq)]
#[must_use]
pub struct Spinner {
    size: f32,
}

/// A 20-pixel spinner. While it is on screen the loop paints a frame per
/// display refresh; an app without one stays idle.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{label, row, spinner};
///
/// fn view<'a, M: 'a>(loading: bool) -> Element<'a, M> {
///     if loading {
///         row().push(spinner()).push(label("Loading…")).into()
///     } else {
///         label("Ready").into()
///     }
/// }
/// ```
pub fn spinner() -> Spinner {
    Spinner { size: DEFAULT_SIZE }
}

impl Spinner {
    /// The diameter in logical pixels (default 20).
    pub fn size(mut self, size: f32) -> Self {
        if size.is_finite() && size > 0.0 {
            self.size = size;
        }
        self
    }
}

const DEFAULT_SIZE: f32 = 20.0;
/// One full turn of the arc.
const TURN: Duration = Duration::from_millis(900);
/// How much of the ring the arc covers.
const ARC: f32 = 0.28 * TAU;

/// When the spinner first showed, kept across view rebuilds, so it starts
/// at the top and turns from there.
#[derive(Default)]
struct Shown(Option<Instant>);

impl<'a, M> Widget<'a, M> for Spinner {
    fn layout(&mut self, _cx: &mut LayoutCx<'_>, _constraints: Constraints) -> Size {
        Size::new(self.size, self.size)
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, rect: Rect) {
        // Ask for the next frame only while visible: a spinner scrolled or
        // clipped away must not keep the loop awake.
        if cx.painter().clip_rect().intersect(&rect).is_none() {
            return;
        }
        cx.animate();
        let now = cx.now();
        let shown = *cx.state::<Shown>().0.get_or_insert(now);
        let turns = now.saturating_duration_since(shown).as_secs_f32() / TURN.as_secs_f32();
        let start = -FRAC_PI_2 + turns.fract() * TAU;

        let (ring, accent) = (cx.theme().border, cx.theme().accent);
        let diameter = self.size.min(rect.w).min(rect.h);
        let width = (diameter / 8.0).max(1.5);
        let center = rect.center();
        let painter = cx.painter();
        painter.stroke_circle(center, diameter / 2.0, width, ring);
        painter.arc(center, (diameter - width) / 2.0, start, ARC, width, accent);
    }

    fn kind(&self) -> &'static str {
        "spinner"
    }
}

impl<'a, M: 'a> From<Spinner> for oneloop::Element<'a, M> {
    fn from(spinner: Spinner) -> Self {
        oneloop::Element::new(spinner)
    }
}
