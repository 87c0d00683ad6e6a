//! Turning caught panics into readable reports, and containing the panics
//! of app code that calloop runs (event sources' callbacks).

use std::any::{type_name, Any};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Once;

use calloop::{EventIterator, EventSource, Poll, PostAction, Readiness, Token, TokenFactory};

use crate::event::Lane;

thread_local! {
    static LAST_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Chain a panic hook that remembers where the last panic on each thread
/// happened, so a report can say `at src/main.rs:42`. The previous hook (which
/// prints the panic) still runs.
pub(crate) fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            LAST_LOCATION.with(|cell| *cell.borrow_mut() = location);
            previous(info);
        }));
    });
}

/// The panic's message, with its location when known.
pub(crate) fn describe(payload: &(dyn Any + Send)) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a text message".to_owned()
    };
    match LAST_LOCATION.with(|cell| cell.borrow_mut().take()) {
        Some(location) => format!("{text} (at {location})"),
        None => text,
    }
}

/// A panic caught where the loop cannot report it at once: inside calloop's
/// dispatch, which holds the loop's state while it runs a source.
pub(crate) struct CaughtPanic {
    pub(crate) lane: Lane,
    /// What was running, as the report names it.
    pub(crate) running: String,
    /// The panic's message, described when it was caught (the location the
    /// hook kept is per thread and taken by the next description).
    pub(crate) message: String,
}

/// Panics caught inside calloop's dispatch, waiting for the turn that turns
/// them into [`Lifecycle::Panicked`](crate::Lifecycle::Panicked) reports.
/// Shared by the loop and the sources it wraps; all on the loop thread.
#[derive(Clone, Default)]
pub(crate) struct Caught(Rc<RefCell<Vec<CaughtPanic>>>);

impl Caught {
    pub(crate) fn push(&self, lane: Lane, running: String, payload: &(dyn Any + Send)) {
        let message = describe(payload);
        self.0.borrow_mut().push(CaughtPanic {
            lane,
            running,
            message,
        });
    }

    /// Everything caught since the last call.
    pub(crate) fn take(&self) -> Vec<CaughtPanic> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// An app's event source, with its callback's panics contained. A panic
/// unwinds out of the callback and through the source's own
/// `process_events` (so the source never needs a value to stand in for the
/// callback's), and stops here, short of calloop: the panic is kept for a
/// report and the source is removed, since neither it nor its callback can
/// be trusted to be in a sound state after an unwind.
pub(crate) struct Contained<S> {
    inner: S,
    caught: Caught,
}

impl<S> Contained<S> {
    pub(crate) fn new(inner: S, caught: Caught) -> Self {
        Self { inner, caught }
    }
}

impl<S: EventSource> EventSource for Contained<S> {
    type Event = S::Event;
    type Metadata = S::Metadata;
    type Ret = S::Ret;
    type Error = S::Error;

    const NEEDS_EXTRA_LIFECYCLE_EVENTS: bool = S::NEEDS_EXTRA_LIFECYCLE_EVENTS;

    fn process_events<F>(
        &mut self,
        readiness: Readiness,
        token: Token,
        callback: F,
    ) -> Result<PostAction, Self::Error>
    where
        F: FnMut(Self::Event, &mut Self::Metadata) -> Self::Ret,
    {
        let inner = &mut self.inner;
        match catch_unwind(AssertUnwindSafe(|| {
            inner.process_events(readiness, token, callback)
        })) {
            Ok(result) => result,
            Err(payload) => {
                let running = format!("the callback of event source {}", type_name::<S>());
                self.caught.push(Lane::App, running, &*payload);
                Ok(PostAction::Remove)
            }
        }
    }

    fn register(&mut self, poll: &mut Poll, factory: &mut TokenFactory) -> calloop::Result<()> {
        self.inner.register(poll, factory)
    }

    fn reregister(&mut self, poll: &mut Poll, factory: &mut TokenFactory) -> calloop::Result<()> {
        self.inner.reregister(poll, factory)
    }

    fn unregister(&mut self, poll: &mut Poll) -> calloop::Result<()> {
        self.inner.unregister(poll)
    }

    fn before_sleep(&mut self) -> calloop::Result<Option<(Readiness, Token)>> {
        self.inner.before_sleep()
    }

    fn before_handle_events(&mut self, events: EventIterator<'_>) {
        self.inner.before_handle_events(events);
    }
}
