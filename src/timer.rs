//! Timers: one-shot and repeating, cancellable, delivered as messages.
//!
//! Timers live in a heap owned by the loop, not in calloop: the loop turns the
//! nearest deadline into its wait timeout, and the test harness can run the
//! same timers on a virtual clock. Repeating timers are rescheduled from their
//! *scheduled* deadline, so drift never accumulates; ticks missed while the
//! loop was busy are skipped rather than delivered in a burst.

use std::any::Any;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::task::Waker;
use std::time::{Duration, Instant};

use crate::widget::{WidgetId, WidgetTimer};

/// Names a timer so it can be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerId(u64);

enum Action<M> {
    Once(M),
    Every {
        period: Duration,
        make: Box<dyn FnMut() -> M>,
    },
    /// Wakes an async task (`oneloop::time::sleep`).
    Wake(Waker),
    /// Tells a widget its timer is due (`EventCx::start_timer`).
    Widget(WidgetId, WidgetTimer),
}

struct Entry<M> {
    deadline: Instant,
    action: Action<M>,
}

/// What a due timer produced.
pub(crate) enum Fired<M> {
    Message(M),
    Woke,
    /// A widget's timer is due.
    Widget(WidgetId, WidgetTimer),
    /// A repeating timer's closure panicked; the timer stays scheduled, like
    /// a lane whose handler panicked keeps being served.
    Panicked(Box<dyn Any + Send>),
}

/// The loop's timers. Cancelled entries stay in the heap until popped or until
/// they outnumber the live ones, when the heap is rebuilt: memory stays flat
/// under any number of insert/cancel cycles.
pub(crate) struct Timers<M> {
    heap: BinaryHeap<Reverse<(Instant, TimerId)>>,
    live: HashMap<TimerId, Entry<M>>,
    next_id: u64,
    stale: usize,
}

impl<M> Default for Timers<M> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            live: HashMap::new(),
            next_id: 0,
            stale: 0,
        }
    }
}

impl<M> fmt::Debug for Timers<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timers")
            .field("live", &self.live.len())
            .finish()
    }
}

impl<M> Timers<M> {
    fn insert(&mut self, deadline: Instant, action: Action<M>) -> TimerId {
        let id = TimerId(self.next_id);
        self.next_id += 1;
        self.heap.push(Reverse((deadline, id)));
        self.live.insert(id, Entry { deadline, action });
        id
    }

    pub(crate) fn once(&mut self, deadline: Instant, msg: M) -> TimerId {
        self.insert(deadline, Action::Once(msg))
    }

    pub(crate) fn every(
        &mut self,
        first: Instant,
        period: Duration,
        make: Box<dyn FnMut() -> M>,
    ) -> TimerId {
        // A zero period would spin the loop; one microsecond is the floor.
        let period = period.max(Duration::from_micros(1));
        self.insert(first, Action::Every { period, make })
    }

    pub(crate) fn widget(
        &mut self,
        deadline: Instant,
        id: WidgetId,
        timer: WidgetTimer,
    ) -> TimerId {
        self.insert(deadline, Action::Widget(id, timer))
    }

    pub(crate) fn wake_at(&mut self, deadline: Instant, waker: Waker) -> TimerId {
        self.insert(deadline, Action::Wake(waker))
    }

    /// Cancel a timer; `false` if it had already fired (one-shot) or was cancelled.
    pub(crate) fn cancel(&mut self, id: TimerId) -> bool {
        if self.live.remove(&id).is_none() {
            return false;
        }
        self.stale += 1;
        if self.stale > 64 && self.stale > self.live.len() {
            let live = &self.live;
            self.heap.retain(|Reverse((deadline, id))| {
                live.get(id).is_some_and(|e| e.deadline == *deadline)
            });
            self.stale = 0;
        }
        true
    }

    /// Drop heap entries for cancelled or rescheduled timers sitting on top.
    fn skip_stale(&mut self) {
        while let Some(Reverse((deadline, id))) = self.heap.peek() {
            match self.live.get(id) {
                Some(entry) if entry.deadline == *deadline => return,
                _ => {
                    self.heap.pop();
                    self.stale = self.stale.saturating_sub(1);
                }
            }
        }
    }

    /// The nearest live deadline.
    pub(crate) fn next_deadline(&mut self) -> Option<Instant> {
        self.skip_stale();
        self.heap.peek().map(|Reverse((deadline, _))| *deadline)
    }

    /// Take the earliest timer that is due at `now`, if any.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<(TimerId, Fired<M>)> {
        let deadline = self.next_deadline()?;
        if deadline > now {
            return None;
        }
        let Reverse((_, id)) = self.heap.pop()?;
        let entry = self.live.remove(&id)?;
        let fired = match entry.action {
            Action::Once(msg) => Fired::Message(msg),
            Action::Wake(waker) => {
                waker.wake();
                Fired::Woke
            }
            Action::Widget(widget, timer) => Fired::Widget(widget, timer),
            Action::Every { period, mut make } => {
                let made = catch_unwind(AssertUnwindSafe(&mut make));
                let deadline = next_tick(entry.deadline, period, now);
                self.heap.push(Reverse((deadline, id)));
                let action = Action::Every { period, make };
                self.live.insert(id, Entry { deadline, action });
                match made {
                    Ok(msg) => Fired::Message(msg),
                    Err(payload) => Fired::Panicked(payload),
                }
            }
        };
        Some((id, fired))
    }

    pub(crate) fn len(&self) -> usize {
        self.live.len()
    }

    #[cfg(test)]
    fn heap_len(&self) -> usize {
        self.heap.len()
    }
}

/// The first tick after `now` on the grid `scheduled + k * period`.
fn next_tick(scheduled: Instant, period: Duration, now: Instant) -> Instant {
    let next = scheduled + period;
    if next > now {
        return next;
    }
    let behind = now.duration_since(scheduled).as_nanos();
    let periods = behind / period.as_nanos() + 1;
    let skip = u32::try_from(periods).unwrap_or(u32::MAX);
    scheduled + period.saturating_mul(skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(timers: &mut Timers<&'static str>, now: Instant) -> Vec<&'static str> {
        let mut out = Vec::new();
        while let Some((_, Fired::Message(m))) = timers.pop_due(now) {
            out.push(m);
        }
        out
    }

    #[test]
    fn timers_fire_in_deadline_order_and_not_before() {
        let t0 = Instant::now();
        let mut timers = Timers::default();
        timers.once(t0 + Duration::from_millis(30), "c");
        timers.once(t0 + Duration::from_millis(10), "a");
        timers.once(t0 + Duration::from_millis(20), "b");
        assert!(drain(&mut timers, t0 + Duration::from_millis(5)).is_empty());
        assert_eq!(timers.next_deadline(), Some(t0 + Duration::from_millis(10)));
        assert_eq!(
            drain(&mut timers, t0 + Duration::from_millis(30)),
            vec!["a", "b", "c"]
        );
        assert_eq!(timers.len(), 0);
    }

    #[test]
    fn a_cancelled_timer_never_fires() {
        let t0 = Instant::now();
        let mut timers = Timers::default();
        let a = timers.once(t0, "a");
        timers.once(t0, "b");
        assert!(timers.cancel(a));
        assert!(!timers.cancel(a), "cancelling twice reports false");
        assert_eq!(drain(&mut timers, t0 + Duration::from_secs(1)), vec!["b"]);
    }

    #[test]
    fn repeating_timers_keep_their_grid_and_skip_missed_ticks() {
        let t0 = Instant::now();
        let period = Duration::from_millis(10);
        let mut timers: Timers<&str> = Timers::default();
        timers.every(t0 + period, period, Box::new(|| "tick"));
        // Served 3 ms late: the next deadline stays on the 10 ms grid.
        assert_eq!(
            drain(&mut timers, t0 + Duration::from_millis(13)),
            vec!["tick"]
        );
        assert_eq!(timers.next_deadline(), Some(t0 + Duration::from_millis(20)));
        // Served 35 ms late: one tick, then back on the grid at 60 ms.
        assert_eq!(
            drain(&mut timers, t0 + Duration::from_millis(55)),
            vec!["tick"]
        );
        assert_eq!(timers.next_deadline(), Some(t0 + Duration::from_millis(60)));
    }

    #[test]
    fn insert_cancel_cycles_keep_memory_flat() {
        let t0 = Instant::now();
        let mut timers: Timers<u32> = Timers::default();
        for i in 0..100_000 {
            let id = timers.once(t0 + Duration::from_secs(3600), i);
            timers.cancel(id);
        }
        assert_eq!(timers.len(), 0);
        assert!(
            timers.heap_len() < 200,
            "heap holds {} stale entries",
            timers.heap_len()
        );
    }
}
