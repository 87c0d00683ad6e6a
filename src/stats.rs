//! Live counters of one loop: what it dispatched, how long handlers took.

use std::time::Duration;

use crate::event::Lane;

/// Counters kept by the loop as it runs, read with `cx.stats()`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Events dispatched per lane, indexed in [`Lane::ALL`] order.
    pub dispatched: [u64; 5],
    /// Turns taken (one wait, then one drain).
    pub turns: u64,
    /// Frames painted.
    pub frames: u64,
    /// Handlers that panicked (and were caught).
    pub panics: u64,
    /// Turns that stopped at the budget with messages still queued.
    pub budget_exhausted: u64,
    /// The slowest handler so far and the lane of its event. Input, timer
    /// and lifecycle handlers are all timed; app and IO handlers one in 16. Input, timer
    /// and lifecycle handlers are all timed; app and IO handlers one in 16.
    pub longest_handler: Option<(Duration, Lane)>,
    /// How long the last frame took to paint and present.
    pub last_frame: Duration,
    /// Handlers, view builds and task polls the watchdog found holding the
    /// loop for its threshold or longer (each also logged as a warning).
    pub slow_handlers: u64,
    /// Frames over the watchdog's frame budget (each also logged).
    pub slow_frames: u64,
    /// How often the watchdog's thread went to sleep while the loop was
    /// idle and was woken by the next turn.
    pub watchdog_parks: u64,
}

impl Stats {
    /// Events dispatched from `lane`.
    #[must_use]
    pub fn count(&self, lane: Lane) -> u64 {
        self.dispatched[lane_index(lane)]
    }

    /// Events dispatched from every lane together.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.dispatched.iter().sum()
    }

    pub(crate) fn record(&mut self, lane: Lane, took: Option<Duration>) {
        self.dispatched[lane_index(lane)] += 1;
        if let Some(took) = took {
            if self
                .longest_handler
                .is_none_or(|(longest, _)| took > longest)
            {
                self.longest_handler = Some((took, lane));
            }
        }
    }
}

fn lane_index(lane: Lane) -> usize {
    match lane {
        Lane::Lifecycle => 0,
        Lane::Input => 1,
        Lane::Timer => 2,
        Lane::App => 3,
        Lane::Io => 4,
    }
}
