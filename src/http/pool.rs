//! Idle keep-alive connections, kept per target on the loop thread.

use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::{Duration, Instant};

use super::conn::{Conn, Target};
use crate::task::TaskContext;

/// How long an idle connection is kept. Servers commonly close theirs
/// after 5 to 60 s; a connection they closed is detected on its next use
/// and the request is sent again on a fresh one.
const IDLE_FOR: Duration = Duration::from_secs(30);

struct Idle {
    conn: Conn,
    since: Instant,
    /// The loop whose poller the socket belongs to: a connection is only
    /// ever reused on the loop that opened it.
    owner: Weak<TaskContext>,
}

/// The idle connections of one client.
pub(crate) struct Pool {
    idle: HashMap<Target, Vec<Idle>>,
    per_target: usize,
}

impl Pool {
    pub(crate) fn new(per_target: usize) -> Self {
        Self {
            idle: HashMap::new(),
            per_target,
        }
    }

    pub(crate) fn set_per_target(&mut self, n: usize) {
        self.per_target = n;
        for list in self.idle.values_mut() {
            let excess = list.len().saturating_sub(n);
            list.drain(..excess);
        }
        self.idle.retain(|_, list| !list.is_empty());
    }

    /// The most recently used idle connection to `target` on this loop.
    pub(crate) fn take(
        &mut self,
        target: &Target,
        ctx: &Rc<TaskContext>,
        now: Instant,
    ) -> Option<Conn> {
        self.prune(now);
        let list = self.idle.get_mut(target)?;
        let found = loop {
            let idle = list.pop()?;
            if idle.owner.upgrade().is_some_and(|o| Rc::ptr_eq(&o, ctx)) {
                break idle.conn;
            }
        };
        if list.is_empty() {
            self.idle.remove(target);
        }
        Some(found)
    }

    /// Keep `conn` for the next request to `target`; the oldest goes when
    /// the target has its fill.
    pub(crate) fn put(&mut self, target: Target, conn: Conn, ctx: &Rc<TaskContext>, now: Instant) {
        if self.per_target == 0 {
            return;
        }
        self.prune(now);
        let list = self.idle.entry(target).or_default();
        if list.len() >= self.per_target {
            list.remove(0);
        }
        list.push(Idle {
            conn,
            since: now,
            owner: Rc::downgrade(ctx),
        });
    }

    /// Close connections idle for too long or whose loop is gone.
    fn prune(&mut self, now: Instant) {
        for list in self.idle.values_mut() {
            list.retain(|i| now.duration_since(i.since) < IDLE_FOR && i.owner.strong_count() > 0);
        }
        self.idle.retain(|_, list| !list.is_empty());
    }

    pub(crate) fn len(&self) -> usize {
        self.idle.values().map(Vec::len).sum()
    }
}
