//! The budgeted part of a turn: app messages, task polls and IO
//! completions, and the bookkeeping after them.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::time::Instant;

use super::EventLoop;
use crate::app::App;
use crate::event::{Event, Lane};
use crate::task::with_context;
use crate::watchdog::Activity;

impl<A: App> EventLoop<A> {
    /// App messages, task polls and IO completions, interleaved in short
    /// runs, until the lanes are empty or the budget is spent. The message
    /// count is exact; the clock is read only every `CHECK_EVERY` messages,
    /// and then the turn also stops early if input arrived, so a key never
    /// waits behind a whole budget of completions.
    pub(super) fn dispatch_budgeted(&mut self) {
        const RUN: usize = 16;
        const CHECK_EVERY: usize = 32;
        let budget = self.settings.budget;
        // A budget of nothing would starve the lanes forever.
        let most = budget.messages.max(1);
        let started = Instant::now();
        let mut lanes = Drained::default();
        let (mut next_check, mut spent) = (CHECK_EVERY, false);
        while !self.cx.quit {
            if lanes.handled >= most {
                spent = true;
                break;
            }
            let before = lanes.handled;
            self.poll_one_task(&mut lanes);
            self.dispatch_app_run(RUN.min(most - lanes.handled), &mut lanes);
            self.dispatch_io_run(RUN.min(most - lanes.handled), &mut lanes);
            if lanes.handled == before {
                break;
            }
            if lanes.handled >= next_check {
                next_check = lanes.handled + CHECK_EVERY;
                if started.elapsed() >= budget.time {
                    spent = true;
                    break;
                }
                if !self.cx.rx.input.is_empty() {
                    break;
                }
            }
        }
        if spent && self.has_pending() {
            self.cx.stats.budget_exhausted += 1;
        }
        let shared = self.cx.poster.shared();
        shared.app_admission.release(lanes.from_app);
        shared.io_admission.release(lanes.from_io);
    }

    /// Poll the next woken task, if one is queued.
    fn poll_one_task(&mut self, lanes: &mut Drained) {
        let Ok(id) = self.cx.rx.tasks.try_recv() else {
            return;
        };
        lanes.handled += 1;
        let ctx = Rc::clone(&self.cx.task_ctx);
        let executor = &mut self.cx.executor;
        let beat = self.watchdog.enter(Activity::Task);
        let polled = with_context(&ctx, || executor.poll(id));
        if let Some(slow) = self.watchdog.leave(beat, None, &mut self.cx.stats) {
            slow.warn(None);
        }
        match polled {
            Ok(Some(out)) => self.dispatch(Event::App(out)),
            Ok(None) => {}
            Err(payload) => {
                self.report_panic(Lane::App, format!("polling async task {id:?}"), &*payload);
            }
        }
    }

    /// Up to `most` app messages: the loop's own posts first, then the lane.
    fn dispatch_app_run(&mut self, most: usize, lanes: &mut Drained) {
        for _ in 0..most {
            // A handler that quit is the last one to run.
            if self.cx.quit {
                return;
            }
            let msg = match self.cx.app_local.pop_front() {
                Some(m) => m,
                None => match self.cx.rx.app.try_recv() {
                    Ok(m) => {
                        lanes.from_app += 1;
                        m
                    }
                    Err(_) => return,
                },
            };
            lanes.handled += 1;
            self.dispatch(Event::App(msg));
        }
    }

    /// Up to `most` IO items, each mapped to its message (a request's map
    /// function is app code: a panic there is caught and reported).
    fn dispatch_io_run(&mut self, most: usize, lanes: &mut Drained) {
        for _ in 0..most {
            if self.cx.quit {
                return;
            }
            let item = match self.cx.io_local.pop_front() {
                Some(item) => item,
                None => match self.cx.rx.io.try_recv() {
                    Ok(item) => {
                        lanes.from_io += 1;
                        item
                    }
                    Err(_) => return,
                },
            };
            lanes.handled += 1;
            let request = item.request();
            let requests = &mut self.cx.requests;
            match catch_unwind(AssertUnwindSafe(|| requests.resolve(item))) {
                Ok(Some(msg)) => self.dispatch(Event::Io(msg)),
                Ok(None) => {}
                Err(payload) => {
                    let running = request.map_or_else(
                        || "mapping an IO result".to_owned(),
                        |id| format!("the map function of {id}"),
                    );
                    self.report_panic(Lane::Io, running, &*payload);
                }
            }
        }
    }

    /// Bookkeeping after dispatching: hand task sleeps to the timers and
    /// resume paused sources once the IO lane has room again.
    pub(super) fn after_turn(&mut self) {
        for (deadline, waker) in self.cx.task_ctx.sleeps.borrow_mut().drain(..) {
            self.cx.timers.wake_at(deadline, waker);
        }
        let limit = self.cx.poster.shared().io_admission.limit();
        if !self.cx.paused_sources.is_empty() && self.cx.io_local.len() < limit / 2 {
            for token in self.cx.paused_sources.drain(..) {
                if let Err(e) = self.cx.handle.enable(&token) {
                    tracing::warn!("could not resume a paused source: {e}");
                }
            }
        }
    }
}

/// What one turn's budgeted part took from the lanes.
#[derive(Default)]
struct Drained {
    /// Messages and task polls handled, counted against the budget.
    handled: usize,
    /// Taken from the app lane's channel: admission slots to release.
    from_app: usize,
    /// Taken from the IO lane's channel: admission slots to release.
    from_io: usize,
}
