//! The end of a loop: refuse posts, cancel what is in flight, join workers.

use std::time::Duration;

use super::EventLoop;
use crate::app::App;
use crate::event::{Event, Lifecycle};

impl<A: App> EventLoop<A> {
    /// Stop: refuse new posts, cancel requests, drop tasks, join the workers.
    /// Returns the app with its final state.
    pub fn shutdown(mut self) -> A {
        self.close();
        self.app
    }

    fn close(&mut self) {
        self.deliver_last_panic_reports();
        let shared = self.cx.poster.shared();
        shared.close();
        self.cx.requests.cancel_all();
        self.cx.executor.clear();
        self.cx.task_ctx.net.close_all();
        if let Some(trace) = &mut self.trace {
            trace.flush();
        }
        self.cx.tape.finish();
        self.watchdog.stop();
        let report = self.cx.task_ctx.pool.shutdown(Duration::from_secs(1));
        tracing::debug!(?report, "worker pool stopped");
        let dropped = self.cx.rx.app.len()
            + self.cx.rx.io.len()
            + self.cx.app_local.len()
            + self.cx.io_local.len();
        if dropped > 0 {
            tracing::debug!(dropped, "messages still queued at quit were dropped");
        }
    }

    /// A handler that panicked in the turn that quit has its report still
    /// queued: hand it over now, so every caught panic reaches the app once.
    fn deliver_last_panic_reports(&mut self) {
        self.report_caught();
        let queued: Vec<Lifecycle> = self.cx.lifecycle.drain(..).collect();
        for news in queued {
            if matches!(news, Lifecycle::Panicked(_)) {
                self.dispatch(Event::Lifecycle(news));
            }
        }
    }
}
