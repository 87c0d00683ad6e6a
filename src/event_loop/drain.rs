//! The budgeted part of a turn: app messages, task polls and IO
//! completions, and the bookkeeping after them.

use std::rc::Rc;
use std::time::Instant;

use super::EventLoop;
use crate::app::App;
use crate::event::Event;
use crate::task::with_context;
use crate::watchdog::Activity;

impl<A: App> EventLoop<A> {
    /// App messages, task polls and IO completions, interleaved in short
    /// runs, until the lanes are empty or the budget is spent. Every
    /// `CHECK_EVERY` messages the turn also stops early if input arrived, so
    /// a key never waits behind a whole budget of completions.
    pub(super) fn dispatch_budgeted(&mut self) {
        const RUN: usize = 16;
        const CHECK_EVERY: usize = 32;
        let budget = self.settings.budget;
        let started = Instant::now();
        let (mut from_app, mut from_io) = (0usize, 0usize);
        let (mut handled, mut next_check) = (0usize, CHECK_EVERY);
        while !self.cx.quit {
            let before = handled;
            if let Ok(id) = self.cx.rx.tasks.try_recv() {
                handled += 1;
                let ctx = Rc::clone(&self.cx.task_ctx);
                let executor = &mut self.cx.executor;
                let beat = self.watchdog.enter(Activity::Task);
                let polled = with_context(&ctx, || executor.poll(id));
                if let Some(slow) = self.watchdog.leave(beat, None, &mut self.cx.stats) {
                    slow.warn(None);
                }
                if let Some(out) = polled {
                    self.dispatch(Event::App(out));
                }
            }
            for _ in 0..RUN {
                // A handler that quit is the last one to run.
                if self.cx.quit {
                    break;
                }
                let msg = match self.cx.app_local.pop_front() {
                    Some(m) => m,
                    None => match self.cx.rx.app.try_recv() {
                        Ok(m) => {
                            from_app += 1;
                            m
                        }
                        Err(_) => break,
                    },
                };
                handled += 1;
                self.dispatch(Event::App(msg));
            }
            for _ in 0..RUN {
                if self.cx.quit {
                    break;
                }
                let item = match self.cx.io_local.pop_front() {
                    Some(item) => item,
                    None => match self.cx.rx.io.try_recv() {
                        Ok(item) => {
                            from_io += 1;
                            item
                        }
                        Err(_) => break,
                    },
                };
                handled += 1;
                if let Some(msg) = self.cx.requests.resolve(item) {
                    self.dispatch(Event::Io(msg));
                }
            }
            if handled == before {
                break;
            }
            if handled >= next_check {
                next_check = handled + CHECK_EVERY;
                let spent = handled >= budget.messages || started.elapsed() >= budget.time;
                if spent || !self.cx.rx.input.is_empty() {
                    if spent && self.has_pending() {
                        self.cx.stats.budget_exhausted += 1;
                    }
                    break;
                }
            }
        }
        let shared = self.cx.poster.shared();
        shared.app_admission.release(from_app);
        shared.io_admission.release(from_io);
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
