//! The blocked-loop detector: notices a handler or a frame that holds the
//! loop thread too long, and says which one and for how long.
//!
//! One thread is the whole loop, so a handler that blocks freezes input,
//! timers and painting alike; the watchdog turns "the window froze" into a
//! warning that names the culprit.
//!
//! It must cost nothing measurable while the loop is healthy (tens of
//! millions of messages a second, about 45 ns each), so the loop thread
//! never reads the clock for it. Around each handler the loop stores a
//! heartbeat word, in a cache line of its own: "inside handler n, of this
//! kind" on the way in, "between handlers" on the way out. A watcher thread
//! ([`watcher`]) polls that word every threshold / 2; a word still "inside"
//! after the threshold marks handler n as slow. After each handler the loop
//! loads one flag and goes the slow way only when it changed, or when the
//! handler happened to be timed anyway and ran past the threshold: then it
//! logs one warning, naming the event, and counts it in [`Stats`].
//!
//! A handler that never returns is still seen: the watcher itself warns
//! after one second, then after two, four and so on. When the loop has
//! been idle for a quarter of a second the watcher parks, so an idle loop
//! stays idle; the next turn wakes it. Each turn costs one store and one
//! load for this, each handler two stores and one load.

use std::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::event::Lane;
use crate::stats::Stats;

mod settings;
mod watcher;

pub use settings::WatchdogSettings;

/// What the loop thread is doing inside a heartbeat: an event's handler,
/// building the view to route input, polling an async task, or painting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    Handler(Lane),
    View,
    Task,
    Frame,
}

impl Activity {
    /// A 3-bit code, so the heartbeat word carries it.
    fn code(self) -> u64 {
        match self {
            Activity::Handler(Lane::Lifecycle) => 0,
            Activity::Handler(Lane::Input) => 1,
            Activity::Handler(Lane::Timer) => 2,
            Activity::Handler(Lane::App) => 3,
            Activity::Handler(Lane::Io) => 4,
            Activity::View => 5,
            Activity::Task => 6,
            Activity::Frame => 7,
        }
    }

    fn from_code(code: u64) -> Activity {
        match code & 7 {
            0 => Activity::Handler(Lane::Lifecycle),
            1 => Activity::Handler(Lane::Input),
            2 => Activity::Handler(Lane::Timer),
            3 => Activity::Handler(Lane::App),
            4 => Activity::Handler(Lane::Io),
            5 => Activity::View,
            6 => Activity::Task,
            _ => Activity::Frame,
        }
    }

    /// How a warning names this activity when it has no event description.
    fn name(self, message_type: &str) -> String {
        match self {
            Activity::Handler(Lane::Lifecycle) => "the handler of a lifecycle event".to_owned(),
            Activity::Handler(Lane::Input) => "the handler of an input event".to_owned(),
            Activity::Handler(Lane::Timer) => format!("the handler of a timer ({message_type})"),
            Activity::Handler(Lane::App) => {
                format!("the handler of an app message ({message_type})")
            }
            Activity::Handler(Lane::Io) => {
                format!("the handler of an IO completion ({message_type})")
            }
            Activity::View => "building the view".to_owned(),
            Activity::Task => "polling an async task".to_owned(),
            Activity::Frame => "painting a frame".to_owned(),
        }
    }
}

/// The heartbeat word: `beat << 4 | code << 1 | inside`. Every store makes
/// a word never stored before, so the watcher sees each change.
fn word(beat: u64, activity: Activity, inside: bool) -> u64 {
    beat << 4 | activity.code() << 1 | u64::from(inside)
}

fn is_inside(word: u64) -> bool {
    word & 1 == 1
}

/// What the loop and the watcher share. The loop touches `hot` on every
/// handler; it sits in a cache line of its own so that nothing else the
/// watcher writes slows those stores down.
struct Shared {
    hot: Hot,
    /// The instant the nanosecond counts below start from.
    epoch: Instant,
    /// When the watcher first saw the flagged handler running, and when it
    /// last saw something else before that (nanoseconds since `epoch`):
    /// the handler started between the two.
    seen_at: AtomicU64,
    not_before: AtomicU64,
    /// When the loop last woke the parked watcher.
    woken_at: AtomicU64,
    stop: AtomicBool,
}

#[repr(align(128))]
struct Hot {
    /// The heartbeat word, stored by the loop thread.
    heart: AtomicU64,
    /// The heartbeat word of the last handler the watcher found slow.
    slow: AtomicU64,
    /// Set by the watcher when it parks; the loop clears it and wakes it.
    parked: AtomicBool,
}

impl Shared {
    fn nanos(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    fn instant(&self, nanos: u64) -> Instant {
        self.epoch + Duration::from_nanos(nanos)
    }
}

/// The loop thread's half of the watchdog; does nothing when it is off.
pub(crate) struct Watchdog {
    on: Option<On>,
}

struct On {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    settings: WatchdogSettings,
    message_type: &'static str,
    beat: u64,
    /// The last `slow` flag the loop has looked at.
    acknowledged: u64,
    /// The last heartbeat word reported, so nothing is reported twice.
    reported: u64,
}

/// The heartbeat word a handler ran under, handed from `enter` to `leave`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Beat(u64);

impl Watchdog {
    /// A watchdog per `settings`, watching a loop whose messages are of type
    /// `message_type`; off when `settings` is `None` or its thread cannot start.
    pub(crate) fn start(settings: Option<WatchdogSettings>, message_type: &'static str) -> Self {
        let Some(settings) = settings else {
            return Self { on: None };
        };
        let shared = Arc::new(Shared {
            hot: Hot {
                heart: AtomicU64::new(0),
                slow: AtomicU64::new(0),
                parked: AtomicBool::new(false),
            },
            epoch: Instant::now(),
            seen_at: AtomicU64::new(0),
            not_before: AtomicU64::new(0),
            woken_at: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        });
        match watcher::spawn(Arc::clone(&shared), settings, message_type) {
            Ok(thread) => Self {
                on: Some(On {
                    shared,
                    thread: Some(thread),
                    settings,
                    message_type,
                    beat: 0,
                    acknowledged: 0,
                    reported: 0,
                }),
            },
            Err(e) => {
                tracing::warn!("the watchdog thread could not start ({e}); running without it");
                Self { on: None }
            }
        }
    }

    /// A new turn begins: wake the watcher if it parked while the loop idled.
    pub(crate) fn turn_started(&mut self, stats: &mut Stats) {
        let Some(on) = &mut self.on else { return };
        on.beat += 1;
        let hot = &on.shared.hot;
        // Sequentially consistent on both sides: either the watcher sees this
        // store before it parks, or this turn sees that it parked.
        hot.heart.store(on.beat << 4, Ordering::SeqCst);
        if hot.parked.load(Ordering::SeqCst) {
            on.shared
                .woken_at
                .store(on.shared.nanos(Instant::now()), Ordering::SeqCst);
            if !hot.parked.swap(false, Ordering::SeqCst) {
                return;
            }
            stats.watchdog_parks += 1;
            if let Some(thread) = &on.thread {
                thread.thread().unpark();
            }
        }
    }

    /// The loop thread starts `activity`.
    #[inline]
    pub(crate) fn enter(&mut self, activity: Activity) -> Beat {
        let Some(on) = &mut self.on else {
            return Beat(0);
        };
        on.beat += 1;
        let word = word(on.beat, activity, true);
        on.shared.hot.heart.store(word, Ordering::Relaxed);
        Beat(word)
    }

    /// The loop thread finished what it entered as `beat`; `took` is its
    /// time if it was timed. Returns the report to give when it was slow
    /// (already counted in `stats`).
    #[inline]
    pub(crate) fn leave(
        &mut self,
        beat: Beat,
        took: Option<Duration>,
        stats: &mut Stats,
    ) -> Option<Slow> {
        let on = self.on.as_mut()?;
        on.shared.hot.heart.store(beat.0 & !1, Ordering::Relaxed);
        let flag = on.shared.hot.slow.load(Ordering::Relaxed);
        if flag == on.acknowledged && took.is_none_or(|t| t < on.settings.threshold) {
            return None;
        }
        on.slow_handler(beat.0, flag, took, stats)
    }

    /// Painting finished; the frame's time is checked by [`Watchdog::frame_done`].
    pub(crate) fn leave_frame(&mut self, beat: Beat) {
        let Some(on) = &mut self.on else { return };
        on.shared.hot.heart.store(beat.0 & !1, Ordering::Relaxed);
        // The watcher may have flagged a long paint; the frame's own exact
        // time reports it, so the flag is only acknowledged.
        if on.shared.hot.slow.load(Ordering::Relaxed) == beat.0 {
            on.acknowledged = beat.0;
        }
    }

    /// A frame took `took` to paint (and present): warn once if that is
    /// over the frame budget.
    pub(crate) fn frame_done(&mut self, took: Duration, stats: &mut Stats) {
        let Some(on) = &self.on else { return };
        let budget = on.settings.frame_budget;
        if took > budget {
            stats.slow_frames += 1;
            tracing::warn!(
                at_least_ms = millis(took),
                at_most_ms = millis(took),
                "slow frame: painting a frame took {} (the frame budget is {})",
                Shown(took),
                Shown(budget),
            );
        }
    }

    /// Stop the watcher and wait for it to end.
    pub(crate) fn stop(&mut self) {
        let Some(mut on) = self.on.take() else { return };
        on.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = on.thread.take() {
            thread.thread().unpark();
            if thread.join().is_err() {
                tracing::warn!("the watchdog thread panicked");
            }
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop();
    }
}

impl On {
    /// The flag changed or a timed handler ran long: decide what to report.
    #[cold]
    fn slow_handler(
        &mut self,
        word: u64,
        flag: u64,
        took: Option<Duration>,
        stats: &mut Stats,
    ) -> Option<Slow> {
        // The watcher wrote the bounds before the flag.
        fence(Ordering::Acquire);
        let flag_is_new = flag != self.acknowledged;
        self.acknowledged = flag;
        let earlier = Activity::from_code(flag >> 1);
        // Frames are always timed and checked against their own budget.
        if flag_is_new && flag != word && flag != self.reported && earlier != Activity::Frame {
            // The watcher flagged an earlier handler just as it returned, too
            // late for its own check: report it now, with what is known.
            self.reported = flag;
            stats.slow_handlers += 1;
            tracing::warn!(
                at_least_ms = millis(self.settings.threshold),
                "slow handler: {} blocked the loop for at least {}",
                earlier.name(self.message_type),
                Shown(self.settings.threshold),
            );
        }
        let timed_slow = took.is_some_and(|t| t >= self.settings.threshold);
        if (flag != word && !timed_slow) || self.reported == word {
            return None;
        }
        self.reported = word;
        stats.slow_handlers += 1;
        let (at_least, at_most) = match took {
            Some(took) => (took, took),
            None => {
                let now = Instant::now();
                let shared = &self.shared;
                let seen = shared.instant(shared.seen_at.load(Ordering::Relaxed));
                let not_before = shared.instant(shared.not_before.load(Ordering::Relaxed));
                (now - seen, now - not_before)
            }
        };
        Some(Slow {
            activity: Activity::from_code(word >> 1),
            message_type: self.message_type,
            at_least,
            at_most,
            exact: took.is_some(),
            threshold: self.settings.threshold,
        })
    }
}

/// A handler that held the loop past the threshold, to be reported once.
#[derive(Debug, Clone)]
pub(crate) struct Slow {
    activity: Activity,
    message_type: &'static str,
    at_least: Duration,
    at_most: Duration,
    exact: bool,
    threshold: Duration,
}

impl Slow {
    /// Log the warning. `described` is the event's description when the
    /// loop made one (then the warning names the exact message).
    #[cold]
    pub(crate) fn warn(&self, described: Option<&str>) {
        let what = match (described, self.activity) {
            (Some(text), Activity::View) => format!("building the view for {text}"),
            (Some(text), _) => format!("the handler of {text}"),
            (None, activity) => activity.name(self.message_type),
        };
        let how_long = if self.exact {
            Shown(self.at_most).to_string()
        } else {
            let (least, most) = (Shown(self.at_least), Shown(self.at_most));
            let span = if least.to_string() == most.to_string() {
                format!("about {most}")
            } else {
                format!("{least} to {most}")
            };
            format!("{span} (not timed: bounds from the watchdog's polls)")
        };
        let hint = match (described, self.activity) {
            (None, Activity::Handler(Lane::App | Lane::Io | Lane::Timer)) => {
                "; set Settings::describe_events to name the exact message"
            }
            _ => "",
        };
        tracing::warn!(
            at_least_ms = millis(self.at_least),
            at_most_ms = millis(self.at_most),
            "slow handler: {what} blocked the loop for {how_long}, over the {} threshold{hint}",
            Shown(self.threshold),
        );
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// A duration as a person reads it: "312 ms", "2.0 s".
struct Shown(Duration);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 < Duration::from_secs(1) {
            write!(f, "{} ms", self.0.as_millis())
        } else {
            write!(f, "{:.1} s", self.0.as_secs_f64())
        }
    }
}

#[cfg(test)]
mod tests;
