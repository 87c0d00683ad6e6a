//! Admission credit: slots of a lane that a [`Poster`](super::Poster) took
//! ahead of time, so that most posts touch no shared counter at all.
//!
//! With one shared `in_flight` counter, every post from every producer is an
//! atomic add on the same cache line, and with eight producers that line
//! bounces between cores on every message. Instead a poster takes a *chunk*
//! of slots with one compare-and-swap and spends them one per post from a
//! counter of its own, which only its users touch.
//!
//! The lane's bound stays exact: credit is counted in `in_flight` from the
//! moment it is taken, so at most `limit` messages (plus the loop thread's
//! own, which never waits) are ever queued. What credit changes is who may
//! use the room: slots held by a poster that went quiet are not available to
//! the others. Three rules keep that small:
//! - a chunk is at most [`MOST`] slots and at most 1/[`SHARE`] of the free
//!   room, so chunks shrink as the lane fills and stop (single slots) when
//!   fewer than `2 × SHARE` slots are free;
//! - a dropped poster hands its credit back;
//! - a producer that would otherwise wait, or a `try_post` that would
//!   otherwise report `Full`, first takes back every poster's unspent credit
//!   (see [`Admission::reclaim`]). So a producer waits only while the lane
//!   holds `limit` slots that are messages or credit being spent right now.
//!
//! Lanes with a limit below `2 × SHARE` never hand out credit and behave
//! exactly as one shared counter would.

use std::sync::{Arc, Weak};

use super::{Admission, Padded};
use crate::sync::{AtomicBool, AtomicUsize, Mutex};
use std::sync::atomic::Ordering;

/// The most slots one poster takes at once.
#[cfg(not(all(loom, test)))]
pub(crate) const MOST: usize = 64;
/// A chunk is at most this fraction of the free room.
#[cfg(not(all(loom, test)))]
pub(crate) const SHARE: usize = 64;

// Small enough that the model checker sees chunks, leftovers and reclaims in
// a handful of posts.
#[cfg(all(loom, test))]
pub(crate) const MOST: usize = 2;
#[cfg(all(loom, test))]
pub(crate) const SHARE: usize = 2;

/// The registry of every credit counter handed out for one lane, so that a
/// producer about to wait can take unspent credit back.
#[derive(Default)]
pub(crate) struct Holders(Mutex<Vec<Weak<Held>>>);

/// One poster's counter, alone on its cache line: the counters of posters
/// cloned one after another are allocated side by side, and sharing a line
/// would make their producers contend after all.
type Held = Padded<AtomicUsize>;

/// One poster's unspent slots of one lane. Each clone of a poster has its own;
/// the counter is atomic only because one poster may be shared by reference
/// between threads, and it is uncontended in the common case.
pub(crate) struct Credit {
    held: Arc<Held>,
    /// Whether `held` is in the lane's registry. Registering waits for the
    /// first chunk, so the many clones that never post (the IO pool's, for
    /// one) never touch the registry's lock.
    registered: AtomicBool,
}

impl Default for Credit {
    fn default() -> Self {
        Self {
            held: Arc::new(Padded(AtomicUsize::new(0))),
            registered: AtomicBool::new(false),
        }
    }
}

impl Credit {
    /// Take one slot of `lane` for a post: from this poster's credit, else from
    /// a fresh chunk. `false` when the lane has no free slot.
    pub(crate) fn take(&self, lane: &Admission) -> bool {
        spend(&self.held) || self.keep(lane, lane.try_acquire_chunk())
    }

    /// One slot of `taken` pays for the current post; the rest become credit.
    /// `false` when nothing was taken.
    pub(crate) fn keep(&self, lane: &Admission, taken: usize) -> bool {
        if taken > 1 {
            lane.holders.register(&self.held, &self.registered);
            self.held.fetch_add(taken - 1, Ordering::Relaxed);
        }
        taken > 0
    }

    /// Hand every unspent slot back to `lane`.
    pub(crate) fn give_back(&self, lane: &Admission) {
        lane.release(self.held.swap(0, Ordering::Relaxed));
    }
}

/// Spend one slot of `held`; `false` if there was none. A compare-and-swap
/// rather than a subtraction, so the count never goes below zero when two
/// threads share a poster or a waiting producer reclaims it.
fn spend(held: &AtomicUsize) -> bool {
    let mut now = held.load(Ordering::Relaxed);
    while now > 0 {
        match held.compare_exchange_weak(now, now - 1, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return true,
            Err(seen) => now = seen,
        }
    }
    false
}

impl Holders {
    /// List `held` once, so that its credit can be taken back; `registered`
    /// is set only after, so credit is never added to an unlisted counter.
    fn register(&self, held: &Arc<Held>, registered: &AtomicBool) {
        if registered.load(Ordering::Acquire) {
            return;
        }
        let mut holders = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !registered.load(Ordering::Relaxed) {
            // Dropped posters gave their credit back; forget their counters
            // here, on the rare path, rather than in `Drop`.
            holders.retain(|h| h.strong_count() > 0);
            holders.push(Arc::downgrade(held));
            registered.store(true, Ordering::Release);
        }
    }

    /// Empty every live counter; returns how many slots that freed.
    fn take_all(&self) -> usize {
        let holders = self.0.lock().unwrap_or_else(|e| e.into_inner());
        holders
            .iter()
            .filter_map(Weak::upgrade)
            .map(|held| held.swap(0, Ordering::Relaxed))
            .sum()
    }
}

impl Admission {
    /// Take up to a chunk of slots in one step; returns how many (0: full).
    /// Compare-and-swap, so `in_flight` never passes the limit here and a
    /// racing `try_post` never sees a lane that is full only for a moment.
    pub(crate) fn try_acquire_chunk(&self) -> usize {
        if self.most == 1 {
            return usize::from(self.try_acquire());
        }
        let mut taken = self.in_flight.load(Ordering::Relaxed);
        loop {
            // The loop thread's forced posts may have pushed past the limit.
            let room = self.limit.saturating_sub(taken);
            if room == 0 {
                return 0;
            }
            let chunk = (room / SHARE).clamp(1, self.most);
            match self.in_flight.compare_exchange_weak(
                taken,
                taken + chunk,
                Ordering::SeqCst,
                Ordering::Relaxed,
            ) {
                Ok(_) => return chunk,
                Err(seen) => taken = seen,
            }
        }
    }

    /// Take back every poster's unspent credit of this lane; returns how many
    /// slots that freed. Called only on the way to waiting or to `Full`.
    pub(crate) fn reclaim(&self) -> usize {
        let freed = self.holders.take_all();
        if freed > 0 {
            tracing::trace!(freed, "took back unspent admission credit");
            self.release(freed);
        }
        freed
    }
}
