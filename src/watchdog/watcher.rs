//! The watcher thread: polls the loop's heartbeat, flags a slow handler,
//! warns about one that stays blocked, and parks while the loop idles.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::{is_inside, Activity, Shared, Shown, WatchdogSettings};

/// The watcher warns on its own once a handler has been blocked this long,
/// then each time that doubles.
const FIRST_ALARM: Duration = Duration::from_secs(1);

/// With no heartbeat for this long the loop is idle and the watcher parks.
/// Long enough that a loop drawing frames or ticking a timer a few times a
/// second never parks it between turns; short enough that an idle spell
/// costs some twenty polls. Waking it costs the next turn one futex call,
/// cheaper than the polls it saves.
const PARK_AFTER: Duration = Duration::from_millis(250);

/// Polls are never closer than this, however small the threshold.
const MIN_POLL: Duration = Duration::from_millis(1);

/// Start the watcher. Its warnings go to the subscriber of the thread that
/// starts it, as the loop's own do.
pub(super) fn spawn(
    shared: Arc<Shared>,
    settings: WatchdogSettings,
    message_type: &'static str,
) -> std::io::Result<JoinHandle<()>> {
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    thread::Builder::new()
        .name("oneloop-watchdog".to_owned())
        .spawn(move || {
            tracing::dispatcher::with_default(&dispatch, || {
                Watcher::new(&shared, settings, message_type).run();
            });
        })
}

/// The watcher's view of the heartbeat.
struct Watcher<'a> {
    shared: &'a Shared,
    threshold: Duration,
    message_type: &'static str,
    /// The heartbeat word last seen, when it was first seen, and the poll
    /// before that (when something else was still there).
    seen: u64,
    seen_at: Instant,
    not_before: Instant,
    last_poll: Instant,
    /// Whether the handler now seen has been flagged, and when the next
    /// "still blocked" warning is due.
    flagged: bool,
    alarm: Duration,
}

impl<'a> Watcher<'a> {
    fn new(shared: &'a Shared, settings: WatchdogSettings, message_type: &'static str) -> Self {
        let now = Instant::now();
        Self {
            shared,
            threshold: settings.threshold,
            message_type,
            seen: shared.hot.heart.load(Ordering::Relaxed),
            seen_at: now,
            // This thread may start late, with the loop already inside a
            // handler: all that is known is that it began after the epoch.
            not_before: shared.epoch,
            last_poll: shared.epoch,
            flagged: false,
            alarm: FIRST_ALARM,
        }
    }

    fn run(&mut self) {
        // Half the threshold. Each poll is a timer wake-up of this thread,
        // and at an eighth or a quarter of the threshold those measurably
        // slowed the loop's own wake-ups on a two-core machine (0.3 to 2 µs
        // at the median); at a half they cost nothing measurable. A handler
        // is still flagged before 1.5× the threshold (exactly when the loop
        // timed it), with untimed bounds half a threshold apart.
        let poll = (self.threshold / 2).max(MIN_POLL);
        while !self.shared.stop.load(Ordering::SeqCst) {
            // An unpark (a new turn, or stop) may end the wait early; that
            // only adds a poll.
            thread::park_timeout(poll);
            let now = Instant::now();
            let word = self.shared.hot.heart.load(Ordering::Relaxed);
            if word != self.seen {
                self.saw_change(word, now);
                continue;
            }
            self.last_poll = now;
            let still = now.saturating_duration_since(self.seen_at);
            if is_inside(word) {
                self.still_inside(word, still);
            } else if still >= PARK_AFTER {
                self.park();
            }
        }
    }

    fn saw_change(&mut self, word: u64, now: Instant) {
        self.seen = word;
        self.not_before = self.last_poll;
        self.seen_at = now;
        self.last_poll = now;
        self.flagged = false;
        self.alarm = FIRST_ALARM;
    }

    /// The same handler is still running after `still`.
    fn still_inside(&mut self, word: u64, still: Duration) {
        if !self.flagged && still >= self.threshold {
            self.flagged = true;
            let shared = self.shared;
            shared
                .seen_at
                .store(shared.nanos(self.seen_at), Ordering::Relaxed);
            shared
                .not_before
                .store(shared.nanos(self.not_before), Ordering::Relaxed);
            // After the bounds: the loop reads them once it sees the flag.
            shared.hot.slow.store(word, Ordering::Release);
        }
        if still >= self.alarm {
            self.alarm *= 2;
            let activity = Activity::from_code(word >> 1);
            tracing::warn!(
                blocked_ms = super::millis(still),
                "the loop has been blocked for {} and counting, in {}",
                Shown(still),
                activity.name(self.message_type),
            );
        }
    }

    /// Sleep until the loop's next turn wakes this thread (or stop does).
    fn park(&mut self) {
        let hot = &self.shared.hot;
        hot.parked.store(true, Ordering::SeqCst);
        // A turn that began just now may have missed `parked`; it changed
        // the heartbeat first, so that shows here.
        if hot.heart.load(Ordering::SeqCst) != self.seen && hot.parked.swap(false, Ordering::SeqCst)
        {
            return;
        }
        tracing::trace!("the loop is idle; the watchdog parks");
        while hot.parked.load(Ordering::SeqCst) && !self.shared.stop.load(Ordering::SeqCst) {
            thread::park();
        }
        // The turn that woke this thread began after `woken_at`, and so did
        // whatever runs now.
        let woken_at = self.shared.woken_at.load(Ordering::Relaxed);
        self.last_poll = self.shared.instant(woken_at);
        self.saw_change(hot.heart.load(Ordering::Relaxed), Instant::now());
    }
}
