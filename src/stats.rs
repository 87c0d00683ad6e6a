//! Live counters of one loop: what it dispatched and how fast, how deep its
//! queue got, how long turns, frames and handlers took.

mod histogram;
mod rates;
#[cfg(test)]
mod tests;

use std::time::{Duration, Instant};

use crate::event::Lane;
use crate::task::Clock;

pub use self::histogram::Histogram;
pub use self::rates::Rates;
use self::rates::{Counts, RateWindow};

/// How many of the slowest handlers [`Stats::slowest`] keeps.
pub const SLOWEST_KEPT: usize = 5;

/// Counters kept by the loop as it runs, read with `cx.stats()`; any app
/// with a window shows them when the user presses F12 (see
/// [`Settings::stats_overlay`](crate::Settings::stats_overlay)).
///
/// Counting costs an increment per message. Handler times cost a clock read,
/// so input, timer and lifecycle handlers are all timed but app and IO
/// handlers only one in 16. Rates, turn times and the queue depth come from
/// clock reads the loop makes once per turn, never per message.
///
/// On a virtual clock ([`EventLoop::with_virtual_time`], the test
/// [`Harness`]) every duration is measured on that clock, where a handler or
/// a frame takes no time: figures and pictures then repeat exactly.
///
/// ```
/// # fn status(stats: &oneloop::Stats) -> String {
/// use oneloop::Lane;
/// format!(
///     "{:.0} IO messages/s, frames p99 {:?}, queue {}",
///     stats.rate(Lane::Io),
///     stats.frame_times.percentile(0.99),
///     stats.queue_depth,
/// )
/// # }
/// ```
///
/// [`EventLoop::with_virtual_time`]: crate::EventLoop::with_virtual_time
/// [`Harness`]: crate::testing::Harness
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
    /// Per-second rates over the last full second, updated once a second
    /// by the loop (so they go stale while it sleeps).
    pub rates: Rates,
    /// Messages waiting in the queue when the latest turn began (what
    /// [`Cx::queue_depth`](crate::Cx::queue_depth) said then).
    pub queue_depth: usize,
    /// How long each turn took to dispatch what it drained, since the start.
    pub turn_times: Histogram,
    /// How long each frame took to paint and present, since the start.
    pub frame_times: Histogram,
    /// The [`SLOWEST_KEPT`] slowest timed handlers so far, slowest first.
    pub slowest: Vec<SlowHandler>,
    window: RateWindow,
    virtual_clock: bool,
}

/// One of the slowest handlers: how long it took and what it handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlowHandler {
    /// How long the handler ran.
    pub took: Duration,
    /// The lane of the event it handled.
    pub lane: Lane,
    /// The event: its description (`Debug` text, cut short) when the loop
    /// made one, else its lane and the message type's name.
    pub kind: String,
}

impl Stats {
    /// Empty stats for a loop on `clock`.
    pub(crate) fn for_clock(clock: &Clock) -> Self {
        Self {
            virtual_clock: clock.is_virtual(),
            ..Self::default()
        }
    }

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

    /// Messages per second dispatched from `lane` over the last full second.
    #[must_use]
    pub fn rate(&self, lane: Lane) -> f64 {
        self.rates.per_lane[lane_index(lane)]
    }

    /// Count one dispatched event; `took` is its handler's time when it was
    /// timed, and `kind` describes the event, asked only if the handler
    /// joins the slowest.
    #[inline]
    pub(crate) fn record(
        &mut self,
        lane: Lane,
        took: Option<Duration>,
        kind: impl FnOnce() -> String,
    ) {
        self.dispatched[lane_index(lane)] += 1;
        if let Some(took) = took {
            self.record_time(lane, took, kind);
        }
    }

    /// The slow path of [`Stats::record`]: a timed handler (one in 16 of
    /// the app and IO lanes), kept out of line.
    #[inline(never)]
    fn record_time(&mut self, lane: Lane, took: Duration, kind: impl FnOnce() -> String) {
        let took = if self.virtual_clock {
            Duration::ZERO
        } else {
            took
        };
        if self
            .longest_handler
            .is_none_or(|(longest, _)| took > longest)
        {
            self.longest_handler = Some((took, lane));
        }
        let full = self.slowest.len() >= SLOWEST_KEPT;
        if full && self.slowest.last().is_some_and(|s| took <= s.took) {
            return;
        }
        // Behind equals, so the first of several equally slow ones stays.
        let at = self.slowest.partition_point(|s| s.took >= took);
        let kind = kind();
        self.slowest.insert(at, SlowHandler { took, lane, kind });
        self.slowest.truncate(SLOWEST_KEPT);
    }

    /// A turn begins with `queue_depth` messages waiting.
    pub(crate) fn begin_turn(&mut self, queue_depth: usize) {
        self.turns += 1;
        self.queue_depth = queue_depth;
        self.window.saw_depth(queue_depth);
    }

    /// The turn that began at `started` ended at `now` (loop clock); once a
    /// second this also works out the rates.
    pub(crate) fn end_turn(&mut self, started: Instant, now: Instant) {
        self.turn_times
            .record(now.saturating_duration_since(started));
        let counts = Counts {
            dispatched: self.dispatched,
            turns: self.turns,
            frames: self.frames,
        };
        if let Some(rates) = self.window.close_if_due(now, &counts) {
            self.rates = rates;
        }
    }

    /// A frame was painted in `took`.
    /// Show handlers what a recording says they read, keeping the loop's
    /// own bookkeeping (replays).
    pub(crate) fn show_recorded(&mut self, recorded: Stats) {
        let (window, virtual_clock) = (self.window.clone(), self.virtual_clock);
        *self = Stats {
            window,
            virtual_clock,
            ..recorded
        };
    }

    pub(crate) fn record_frame(&mut self, took: Duration) {
        self.frames += 1;
        self.last_frame = took;
        self.frame_times.record(took);
    }

    /// The frame just recorded took `took` in all, presenting included: the
    /// window measures that after the loop recorded the painting alone.
    pub(crate) fn frame_presented(&mut self, took: Duration) {
        self.frame_times.forget(self.last_frame);
        self.frame_times.record(took);
        self.last_frame = took;
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
