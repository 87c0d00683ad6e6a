//! The stats overlay: F12 shows the loop's live [`Stats`] in a panel drawn
//! on top of the app, in any app with a window and in the test harness.
//!
//! The panel is drawn by the loop after the view and the app's own `draw`,
//! in fixed colours (light text on a dark, slightly see-through box), so it
//! reads the same over a light or a dark theme. While it is shown the loop
//! wakes a few times a second to refresh it even if the app is idle; while
//! it is hidden it costs nothing: no timer, no wake-up.

use std::time::{Duration, Instant};

use crate::geometry::{Point, Rect};
use crate::input::{ButtonState, Input, Key, NamedKey};
use crate::render::{Color, Painter, TextStyle};
use crate::stats::{Histogram, Stats};

mod text;

use self::text::{figures, Line};

/// How often a shown panel is repainted with fresh figures.
const REFRESH: Duration = Duration::from_millis(250);
/// Logical pixels between the panel and the window's edges.
const MARGIN: f32 = 8.0;
/// Logical pixels between the panel's edge and its content.
const PADDING: f32 = 10.0;
/// Text size of the figures, in logical pixels.
const FONT: f32 = 12.0;
/// Height of the frame-time chart's tallest bar.
const CHART_HEIGHT: f32 = 36.0;
/// Characters per line the panel is sized for.
const COLUMNS: usize = 44;

const BACKGROUND: Color = Color::rgba(18, 20, 26, 240);
const BORDER: Color = Color::rgba(255, 255, 255, 56);
const TEXT: Color = Color::from_rgb(232, 235, 242);
const MUTED: Color = Color::from_rgb(150, 157, 172);
const BAR: Color = Color::from_rgb(92, 172, 250);
/// Bars for frames slower than a 60 Hz display's refresh.
const LATE_BAR: Color = Color::from_rgb(246, 152, 64);

/// Whether the panel is shown, and when it next needs fresh figures.
#[derive(Debug)]
pub(crate) struct Overlay {
    enabled: bool,
    shown: bool,
    next_refresh: Option<Instant>,
}

impl Overlay {
    /// An overlay that F12 toggles, or one that never shows when not `enabled`.
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            shown: false,
            next_refresh: None,
        }
    }

    /// Whether the panel is on screen.
    pub(crate) fn is_shown(&self) -> bool {
        self.shown
    }

    /// Take `input` if it is the overlay's key (plain F12, pressed or
    /// released), toggling the panel on a press. Returns whether it was
    /// taken; input that is not taken goes on to the widgets and the app.
    pub(crate) fn take_key(&mut self, input: &Input, now: Instant) -> bool {
        let Input::Key(key) = input else { return false };
        let m = key.modifiers;
        let plain = !(m.ctrl || m.alt || m.logo || m.shift);
        if !self.enabled || !plain || key.key != Key::Named(NamedKey::F(12)) {
            return false;
        }
        if key.state == ButtonState::Pressed && !key.repeat {
            self.shown = !self.shown;
            self.next_refresh = self.shown.then(|| now + REFRESH);
            tracing::debug!(shown = self.shown, "stats overlay toggled");
        }
        true
    }

    /// When the loop must wake to refresh the panel; `None` while hidden.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.next_refresh
    }

    /// Whether the panel wants a repaint at `now`; schedules the next one.
    pub(crate) fn refresh_due(&mut self, now: Instant) -> bool {
        match self.next_refresh {
            Some(due) if now >= due => {
                // Keep the cadence, but after a long busy turn do not
                // refresh twice in a row to catch up.
                let next = due + REFRESH;
                self.next_refresh = Some(if next > now { next } else { now + REFRESH });
                true
            }
            _ => false,
        }
    }

    /// Draw the panel in the top right corner, if it is shown.
    pub(crate) fn paint(&self, painter: &mut Painter<'_>, stats: &Stats) {
        if self.shown {
            paint_panel(painter, stats);
        }
    }
}

/// The panel: figures as lines of monospaced text, then a bar chart of the
/// frame times.
fn paint_panel(painter: &mut Painter<'_>, stats: &Stats) {
    let style = TextStyle::new(FONT).mono().with_color(TEXT);
    let advance = painter.text_engine().measure("0", &style).w;
    let line_height = FONT * style.line_height;
    let mut lines = figures(stats);
    let area = painter.size();
    // In a small window the panel narrows (long lines end in "…"), and
    // gives up the chart, then its last lines, rather than spill over.
    let room_w = area.w - 2.0 * (MARGIN + PADDING);
    let content_w = (advance * COLUMNS as f32).ceil().min(room_w.max(advance));
    let room_h = area.h - 2.0 * (MARGIN + PADDING);
    let mut chart_h = line_height + CHART_HEIGHT + FONT;
    if lines.len() as f32 * line_height + chart_h > room_h {
        chart_h = 0.0;
        let fit = (room_h / line_height).floor().max(1.0) as usize;
        lines.truncate(fit);
    }
    let width = content_w + 2.0 * PADDING;
    let height = lines.len() as f32 * line_height + chart_h + 2.0 * PADDING;
    let x = (area.w - width - MARGIN).max(0.0);
    let panel = Rect::new(x, MARGIN, width, height);
    painter.fill_rounded_rect(panel, 8.0, BACKGROUND);
    painter.stroke_rounded_rect(panel.inset(0.5), 7.5, 1.0, BORDER);
    let left = panel.x + PADDING;
    let mut y = panel.y + PADDING;
    for line in &lines {
        paint_line(painter, line, Point::new(left, y), content_w, &style);
        y += line_height;
    }
    if chart_h > 0.0 {
        let chart = Rect::new(left, y, content_w, chart_h);
        paint_chart(painter, &stats.frame_times, chart, &style);
    }
}

fn paint_line(painter: &mut Painter<'_>, line: &Line, at: Point, width: f32, style: &TextStyle) {
    let (left, right, color) = match line {
        Line::Title(left, right) => (left, right.as_str(), TEXT),
        Line::Heading(left) => (left, "", MUTED),
        Line::Figures(left) => (left, "", TEXT),
    };
    let style = match line {
        Line::Title(..) => style.bold(),
        _ => *style,
    };
    let layout = painter.text_engine().ellipsize(left, &style, width);
    painter.text_layout(at, &layout, color);
    if !right.is_empty() {
        let muted = style.with_color(MUTED);
        let w = painter.text_engine().measure(right, &muted).w;
        painter.text(Point::new(at.x + width - w, at.y), right, &muted);
    }
}

/// Bars of the frame-time histogram from 1 ms to 64 ms, a quarter doubling
/// each, with everything quicker in the first bar and slower in the last.
/// Heights are logarithmic, so a handful of slow frames still shows next to
/// thousands of quick ones.
fn paint_chart(painter: &mut Painter<'_>, frames: &Histogram, area: Rect, style: &TextStyle) {
    let heading = style.with_color(MUTED);
    let line_height = FONT * style.line_height;
    let title = format!("frame times, {} frames", frames.count());
    painter.text(Point::new(area.x, area.y), &title, &heading);
    let counts = chart_bars(frames);
    let tallest = counts.iter().copied().max().unwrap_or(0);
    let base = area.y + line_height + CHART_HEIGHT;
    let slot = area.w / BARS as f32;
    painter.line(
        Point::new(area.x, base + 0.5),
        Point::new(area.right(), base + 0.5),
        1.0,
        BORDER,
    );
    for (index, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let share = ((1 + count) as f32).ln() / ((1 + tallest) as f32).ln();
        let h = (share * CHART_HEIGHT).max(1.0);
        let bar = Rect::new(area.x + index as f32 * slot + 1.0, base - h, slot - 2.0, h);
        let color = if index >= LATE_FROM { LATE_BAR } else { BAR };
        painter.fill_rect(bar, color);
    }
    let small = TextStyle::new(FONT - 2.0).mono().with_color(MUTED);
    for (index, label) in [(1, "1ms"), (9, "4"), (17, "16"), (BARS - 1, "64+")] {
        let w = painter.text_engine().measure(label, &small).w;
        let x = (area.x + index as f32 * slot).min(area.right() - w);
        painter.text(Point::new(x, base + 2.0), label, &small);
    }
}

/// Bars in the chart: one for under 1 ms, 24 up to 64 ms, one for the rest.
const BARS: usize = 26;
/// The first bar of frames slower than 16 ms (a 60 Hz refresh).
const LATE_FROM: usize = 17;

/// How many frames fall in each bar. The histogram's buckets start at
/// 1.024 ms on a bar's boundary, so each bucket in range is one bar.
fn chart_bars(frames: &Histogram) -> [u64; BARS] {
    let mut bars = [0u64; BARS];
    let first = Duration::from_micros(1024);
    for (low, _, count) in frames.buckets() {
        let index = if low < first {
            0
        } else {
            let quarters = (low.as_secs_f64() / first.as_secs_f64()).log2() * 4.0;
            (quarters.round() as usize + 1).min(BARS - 1)
        };
        bars[index] += count;
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{KeyEvent, Modifiers};

    fn f12(state: ButtonState, modifiers: Modifiers) -> Input {
        Input::Key(KeyEvent {
            key: Key::Named(NamedKey::F(12)),
            state,
            text: None,
            modifiers,
            repeat: false,
        })
    }

    #[test]
    fn f12_toggles_and_only_a_shown_panel_wakes_the_loop() {
        let now = Instant::now();
        let mut overlay = Overlay::new(true);
        assert_eq!(overlay.deadline(), None);
        assert!(overlay.take_key(&f12(ButtonState::Pressed, Modifiers::default()), now));
        assert!(overlay.take_key(&f12(ButtonState::Released, Modifiers::default()), now));
        assert!(overlay.is_shown());
        assert_eq!(overlay.deadline(), Some(now + REFRESH));
        assert!(!overlay.refresh_due(now));
        assert!(overlay.refresh_due(now + REFRESH));
        // Late by three periods: one refresh, then the next a period on.
        let late = now + REFRESH * 4;
        assert!(overlay.refresh_due(late));
        assert!(!overlay.refresh_due(late));
        assert_eq!(overlay.deadline(), Some(late + REFRESH));
        overlay.take_key(&f12(ButtonState::Pressed, Modifiers::default()), late);
        assert!(!overlay.is_shown());
        assert_eq!(overlay.deadline(), None);
    }

    #[test]
    fn other_keys_ctrl_f12_and_a_disabled_overlay_leave_f12_to_the_app() {
        let now = Instant::now();
        let ctrl = Modifiers {
            ctrl: true,
            ..Modifiers::default()
        };
        let mut overlay = Overlay::new(true);
        assert!(!overlay.take_key(&f12(ButtonState::Pressed, ctrl), now));
        assert!(!overlay.take_key(&Input::Focused(true), now));
        let mut disabled = Overlay::new(false);
        assert!(!disabled.take_key(&f12(ButtonState::Pressed, Modifiers::default()), now));
        assert!(!overlay.is_shown() && !disabled.is_shown());
    }

    #[test]
    fn the_chart_puts_each_frame_in_its_bar() {
        let mut h = Histogram::default();
        for (ms, times) in [(0.2, 3), (1.1, 1), (5.0, 2), (17.0, 4), (900.0, 1)] {
            for _ in 0..times {
                h.record(Duration::from_secs_f64(ms / 1000.0));
            }
        }
        let bars = chart_bars(&h);
        assert_eq!(bars[0], 3);
        assert_eq!(bars[1], 1);
        // 5 ms is a little over two doublings of 1.024 ms: bar 1 + 9.
        assert_eq!(bars[9], 2);
        assert_eq!(bars[LATE_FROM], 4);
        assert_eq!(bars[BARS - 1], 1);
        assert_eq!(bars.iter().sum::<u64>(), 11);
    }
}
