//! The timeouts of one request, kept by one watcher instead of a timer per
//! read.
//!
//! A slow body may arrive in thousands of reads; arming a fresh timer for
//! each would leave thousands of stale timers in the loop. The watcher
//! knows the current phase and when bytes last moved, computes the one
//! deadline that matters, and arms a loop timer only when that deadline is
//! earlier than the one already armed. When an armed timer fires early
//! (bytes moved meanwhile), it simply arms the next: about one timer per
//! read-timeout period, however many reads.

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};

use super::error::{HttpError, Phase, Timeout};
use super::request::Limits;
use crate::task::{self, TaskContext};

struct State {
    ctx: Rc<TaskContext>,
    limits: Limits,
    started: Instant,
    phase: Cell<Phase>,
    /// When the current connect began (connect and TLS share one limit).
    connecting_since: Cell<Instant>,
    /// When bytes last moved.
    active: Cell<Instant>,
    host: RefCell<String>,
}

/// The clock and timeouts of one request. Inert outside a task (the
/// protocol's unit tests), where nothing can time out.
#[derive(Clone)]
pub(crate) struct Watch(Option<Rc<State>>);

impl Watch {
    /// A watch on the loop of the current task.
    pub(crate) fn new(limits: Limits) -> Self {
        Watch(task::current().map(|ctx| {
            let now = ctx.clock.now();
            Rc::new(State {
                ctx,
                limits,
                started: now,
                phase: Cell::new(Phase::Connect),
                connecting_since: Cell::new(now),
                active: Cell::new(now),
                host: RefCell::new(String::new()),
            })
        }))
    }

    /// A watch that never fires.
    #[cfg(test)]
    pub(crate) fn inert() -> Self {
        Watch(None)
    }

    /// The request moves to `phase` (talking to `host`).
    pub(crate) fn enter(&self, phase: Phase, host: &str) {
        if let Some(s) = &self.0 {
            let now = s.ctx.clock.now();
            if phase == Phase::Connect {
                s.connecting_since.set(now);
            }
            s.phase.set(phase);
            s.active.set(now);
            if *s.host.borrow() != host {
                *s.host.borrow_mut() = host.to_owned();
            }
        }
    }

    /// Bytes moved: the read timeout starts again.
    pub(crate) fn touch(&self) {
        if let Some(s) = &self.0 {
            s.active.set(s.ctx.clock.now());
        }
    }

    /// Time since the request started.
    pub(crate) fn elapsed(&self) -> Duration {
        self.0
            .as_ref()
            .map_or(Duration::ZERO, |s| s.ctx.clock.now() - s.started)
    }

    /// The deadline in force and the limit it comes from.
    fn deadline(s: &State) -> (Instant, Timeout, Duration) {
        let phase = match s.phase.get() {
            Phase::Connect | Phase::Tls => (
                s.connecting_since.get() + s.limits.connect,
                Timeout::Connect,
                s.limits.connect,
            ),
            _ => (s.active.get() + s.limits.idle, Timeout::Idle, s.limits.idle),
        };
        match s.limits.total {
            Some(total) if s.started + total <= phase.0 => {
                (s.started + total, Timeout::Total, total)
            }
            _ => phase,
        }
    }

    /// Run `work` until it ends or a limit runs out, whichever is first.
    pub(crate) async fn run<T>(
        &self,
        work: impl Future<Output = Result<T, HttpError>>,
    ) -> Result<T, HttpError> {
        let mut work = pin!(work);
        let Some(s) = self.0.clone() else {
            return work.await;
        };
        let mut armed: Option<Instant> = None;
        poll_fn(move |cx| {
            if let Poll::Ready(done) = work.as_mut().poll(cx) {
                return Poll::Ready(done);
            }
            let (deadline, limit, after) = Self::deadline(&s);
            if s.ctx.clock.now() >= deadline {
                return Poll::Ready(Err(HttpError::TimedOut {
                    host: s.host.borrow().clone(),
                    phase: s.phase.get(),
                    limit,
                    after_ms: u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
                }));
            }
            // Only a deadline earlier than the armed timer needs a new one;
            // an armed timer that fired before the deadline (bytes moved
            // since) has done its job, and the next is armed in its place.
            let now = s.ctx.clock.now();
            if armed.is_none_or(|at| at > deadline || at <= now) {
                s.ctx
                    .sleeps
                    .borrow_mut()
                    .push((deadline, cx.waker().clone()));
                armed = Some(deadline);
            }
            Poll::Pending
        })
        .await
    }
}
