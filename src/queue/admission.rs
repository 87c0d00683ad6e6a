//! Admission counters: how many messages of a lane are in flight, and where
//! producer threads wait while that is over the limit.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::credit::Holders;
use crate::sync::{fence, AtomicBool, AtomicUsize, Condvar, Mutex};

/// An admission counter: how many messages of a lane are in flight, and a
/// place for producer threads to wait while that is over the limit.
pub(crate) struct Admission {
    /// Queued messages plus the posters' unspent credit ([`super::credit`]).
    pub(super) in_flight: AtomicUsize,
    pub(super) limit: usize,
    /// The largest chunk a poster may take (1: no credit, one slot per post).
    pub(super) most: usize,
    pub(super) holders: Holders,
    waiters: AtomicUsize,
    lock: Mutex<()>,
    space: Condvar,
}

impl Admission {
    /// A lane of `limit` slots whose posters take up to `most` at once.
    pub(crate) fn new(limit: usize, most: usize) -> Self {
        Self {
            in_flight: AtomicUsize::new(0),
            limit: limit.max(1),
            most: most.max(1),
            holders: Holders::default(),
            waiters: AtomicUsize::new(0),
            lock: Mutex::new(()),
            space: Condvar::new(),
        }
    }

    /// Take a slot if one is free.
    pub(super) fn try_acquire(&self) -> bool {
        if self.in_flight.fetch_add(1, Ordering::SeqCst) < self.limit {
            true
        } else {
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            false
        }
    }

    /// Take a slot regardless of the limit (for the loop thread itself).
    pub(super) fn force_acquire(&self) {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
    }

    /// Take a slot or a chunk of them, waiting while the lane is full. Returns
    /// how many, or 0 if `closed` became true while waiting.
    pub(super) fn acquire(&self, closed: &AtomicBool) -> usize {
        loop {
            if closed.load(Ordering::SeqCst) {
                return 0;
            }
            let taken = self.try_acquire_chunk();
            if taken > 0 {
                return taken;
            }
            if self.reclaim() > 0 {
                continue; // quiet posters were sitting on the room
            }
            self.waiters.fetch_add(1, Ordering::SeqCst);
            // Pairs with the fence in `release`: either the check below sees
            // the loop's release, or the loop sees this waiter and notifies.
            // (A locked RMW already orders this on x86; the fence states it in
            // the terms the model checker understands, on a slow path.)
            fence(Ordering::SeqCst);
            let guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            if self.in_flight.load(Ordering::SeqCst) >= self.limit && !closed.load(Ordering::SeqCst)
            {
                // The timeout is only a safety net; `release` notifies.
                let _ = self.space.wait_timeout(guard, Duration::from_millis(50));
            }
            self.waiters.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// The loop handled `n` messages of this lane.
    pub(crate) fn release(&self, n: usize) {
        if n == 0 {
            return;
        }
        let before = self.in_flight.fetch_sub(n, Ordering::SeqCst);
        let now = before.saturating_sub(n);
        fence(Ordering::SeqCst);
        // Wake waiters in batches (below three quarters) rather than per message.
        if self.waiters.load(Ordering::SeqCst) > 0 && now < self.limit - self.limit / 4 {
            let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.space.notify_all();
        }
    }

    pub(super) fn wake_all(&self) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.space.notify_all();
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    pub(crate) fn limit(&self) -> usize {
        self.limit
    }
}
