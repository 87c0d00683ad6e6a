//! Handing an event to the app, and reporting what panicked on the way.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use super::{describe, EventLoop};
use crate::app::App;
use crate::event::{Event, Lane, Lifecycle, PanicReport};
use crate::watchdog::Activity;

impl<A: App> EventLoop<A> {
    /// Report a panic of app code that ran outside a handler (a view, a
    /// frame, a task's poll, a timer's closure, a request's map function).
    pub(super) fn report_panic(
        &mut self,
        lane: Lane,
        running: String,
        payload: &(dyn std::any::Any + Send),
    ) {
        let message = crate::panic::describe(payload);
        self.report(lane, running, message);
    }

    /// Report the panics that event sources' callbacks had while calloop
    /// ran them.
    pub(super) fn report_caught(&mut self) {
        for caught in self.cx.caught.take() {
            self.report(caught.lane, caught.running, caught.message);
        }
    }

    fn report(&mut self, lane: Lane, event: String, message: String) {
        self.cx.stats.panics += 1;
        let report = PanicReport {
            lane,
            event,
            message,
            sequence: self.sequence,
        };
        tracing::error!("{report}");
        self.cx.lifecycle.push_back(Lifecycle::Panicked(report));
    }

    /// Hand one event to the app, catching a panic and reporting it.
    pub(crate) fn dispatch(&mut self, event: Event<A::Message>) {
        let lane = event.lane();
        let described = (self.settings.describe_events
            || self.trace.is_some()
            || matches!(lane, Lane::Input | Lane::Lifecycle))
        .then(|| describe(&event));
        let recursive = matches!(event, Event::Lifecycle(Lifecycle::Panicked(_)));
        let sequence = self.sequence;
        self.sequence += 1;
        if self.cx.tape.is_on() {
            let window = (self.cx.window.size, self.cx.window.scale);
            let from_widget = self.from_widget;
            self.cx
                .tape
                .on_dispatch(sequence, &event, from_widget, window, &mut self.cx.stats);
        }
        // A clock read costs as much as a small handler, so app and IO
        // handlers are timed one in 16 (all of them while tracing).
        let timed = self.trace.is_some()
            || !matches!(lane, Lane::App | Lane::Io)
            || sequence.is_multiple_of(16);
        let started = timed.then(Instant::now);
        let beat = self.watchdog.enter(Activity::Handler(lane));
        let (app, cx) = (&mut self.app, &mut self.cx);
        let outcome = catch_unwind(AssertUnwindSafe(|| app.update(event, cx)));
        let took = started.map(|s| s.elapsed());
        if let Some(slow) = self.watchdog.leave(beat, took, &mut self.cx.stats) {
            slow.warn(described.as_deref());
        }
        self.cx.stats.record(lane, took, || {
            described
                .clone()
                .unwrap_or_else(|| format!("{lane}: {}", std::any::type_name::<A::Message>()))
        });
        if let (Some(trace), Some(took)) = (&mut self.trace, took) {
            trace.event(sequence, lane, described.as_deref().unwrap_or(""), took);
        }
        if let Some(key) = self.cx.focus_request.take() {
            self.ui.focus_key(key);
            self.cx.window.redraw = true;
        }
        if let Err(payload) = outcome {
            self.cx.stats.panics += 1;
            let report = PanicReport {
                lane,
                event: described.unwrap_or_else(|| {
                    format!(
                        "a {} message ({})",
                        lane,
                        std::any::type_name::<A::Message>()
                    )
                }),
                message: crate::panic::describe(&*payload),
                sequence,
            };
            tracing::error!("{report}");
            if !recursive {
                self.cx.lifecycle.push_back(Lifecycle::Panicked(report));
            }
        }
    }
}
