//! Per-second rates, worked out from the loop's counters once a second.
//!
//! Counting a message is a plain increment; a rate needs a time too, and a
//! clock read per message would cost more than many handlers. So the loop
//! hands in the time it already reads at the end of each turn, and once at
//! least a second has passed since the window opened, the counts' growth
//! over that window becomes the rates.

use std::time::{Duration, Instant};

/// How long a window runs before its counts become rates.
pub(crate) const WINDOW: Duration = Duration::from_secs(1);

/// How often things happened over the last full second (or the longer
/// stretch since the loop last woke, if it slept through a second).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    /// Messages per second dispatched on each lane, in [`Lane::ALL`] order.
    ///
    /// [`Lane::ALL`]: crate::Lane::ALL
    pub per_lane: [f64; 5],
    /// Turns per second: how often the loop woke and drained its queue.
    pub turns: f64,
    /// Frames painted per second.
    pub frames: f64,
    /// The queue's greatest depth at the start of a turn in that window.
    pub queue_depth_peak: usize,
}

/// The counts at the start of the current window, and what it has seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RateWindow {
    opened: Option<Instant>,
    dispatched: [u64; 5],
    turns: u64,
    frames: u64,
    depth_peak: usize,
}

/// The counters a window turns into rates.
pub(crate) struct Counts {
    pub(crate) dispatched: [u64; 5],
    pub(crate) turns: u64,
    pub(crate) frames: u64,
}

impl RateWindow {
    /// Note the queue's depth at the start of a turn.
    pub(crate) fn saw_depth(&mut self, depth: usize) {
        self.depth_peak = self.depth_peak.max(depth);
    }

    /// At `now`, with the loop's counters at `counts`: the rates of the
    /// window that just closed, if a whole one has passed since it opened.
    pub(crate) fn close_if_due(&mut self, now: Instant, counts: &Counts) -> Option<Rates> {
        let Some(opened) = self.opened else {
            self.open(now, counts);
            return None;
        };
        let span = now.saturating_duration_since(opened);
        if span < WINDOW {
            return None;
        }
        let secs = span.as_secs_f64();
        let per_second = |now: u64, then: u64| now.saturating_sub(then) as f64 / secs;
        let mut rates = Rates {
            per_lane: [0.0; 5],
            turns: per_second(counts.turns, self.turns),
            frames: per_second(counts.frames, self.frames),
            queue_depth_peak: self.depth_peak,
        };
        for (rate, (&now, &then)) in rates
            .per_lane
            .iter_mut()
            .zip(counts.dispatched.iter().zip(&self.dispatched))
        {
            *rate = per_second(now, then);
        }
        self.open(now, counts);
        Some(rates)
    }

    fn open(&mut self, now: Instant, counts: &Counts) {
        self.opened = Some(now);
        self.dispatched = counts.dispatched;
        self.turns = counts.turns;
        self.frames = counts.frames;
        self.depth_peak = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(app: u64, turns: u64, frames: u64) -> Counts {
        Counts {
            dispatched: [0, 0, 0, app, 0],
            turns,
            frames,
        }
    }

    #[test]
    fn a_second_of_counts_becomes_rates_once_it_is_over() {
        let start = Instant::now();
        let mut window = RateWindow::default();
        assert_eq!(window.close_if_due(start, &counts(0, 0, 0)), None);
        window.saw_depth(40);
        window.saw_depth(7);
        let half = start + Duration::from_millis(500);
        assert_eq!(window.close_if_due(half, &counts(300, 5, 30)), None);
        let second = start + WINDOW;
        let rates = window.close_if_due(second, &counts(1000, 10, 60));
        let rates = rates.expect("a whole second passed");
        assert_eq!(rates.per_lane, [0.0, 0.0, 0.0, 1000.0, 0.0]);
        assert_eq!((rates.turns, rates.frames), (10.0, 60.0));
        assert_eq!(rates.queue_depth_peak, 40);
        // The next window starts from the counts where this one ended.
        let later = second + Duration::from_secs(2);
        let rates = window.close_if_due(later, &counts(1500, 12, 60));
        let rates = rates.expect("two more seconds passed");
        assert_eq!(rates.per_lane[3], 250.0);
        assert_eq!((rates.turns, rates.frames), (1.0, 0.0));
        assert_eq!(rates.queue_depth_peak, 0);
    }
}
