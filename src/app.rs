//! The [`App`] trait and [`Cx`], the handle every handler gets.

use std::collections::VecDeque;
use std::fmt::Debug;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use calloop::{EventSource, LoopHandle, RegistrationToken};

use crate::event::{Event, Lifecycle};
use crate::geometry::Size;
use crate::input::Input;
use crate::io::{IoItem, Requests};
use crate::panic::{Caught, Contained};
use crate::queue::{Poster, Receivers};
use crate::record::{Ask, Codec, Tape};
use crate::render::Painter;
use crate::stats::Stats;
use crate::task::{Clock, Executor, TaskContext, TaskHandle};
use crate::theme::Theme;
use crate::timer::{TimerId, Timers};
use crate::widget::Element;

/// A oneloop application: state plus a handler for every event.
///
/// ```no_run
/// use oneloop::{App, Cx, Event, Input};
///
/// #[derive(Default)]
/// struct Ticks(u32);
///
/// #[derive(Debug)]
/// enum Msg { Tick }
///
/// impl App for Ticks {
///     type Message = Msg;
///     fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
///         match event {
///             Event::Lifecycle(_) => { cx.every(std::time::Duration::from_secs(1), || Msg::Tick); }
///             Event::Timer(Msg::Tick) => { self.0 += 1; cx.request_redraw(); }
///             Event::Input(Input::CloseRequested) => cx.quit(),
///             _ => {}
///         }
///     }
/// }
/// ```
pub trait App: 'static {
    /// The app's own message type. It must be `Send` because any thread may post
    /// one, and `Debug` so a panic report can say which message was handled.
    type Message: Debug + Send + 'static;

    /// Handle one event. Never block here: issue requests through `cx` and
    /// handle their completions when they arrive.
    fn update(&mut self, event: Event<Self::Message>, cx: &mut Cx<Self::Message>);

    /// The widgets to show, built from the app's state. Called again only
    /// after the app asked for a redraw (or when input needs a fresh tree), so
    /// a handler that changes what is shown calls [`Cx::request_redraw`].
    fn view(&self) -> Element<'_, Self::Message> {
        Element::new(crate::widget::Empty)
    }

    /// The colors and sizes the widgets use.
    fn theme(&self) -> Theme {
        Theme::light()
    }

    /// Paint on top of the view: for apps that draw something of their own.
    /// Called when a frame is due, at most once per display refresh.
    fn draw(&self, _painter: &mut Painter<'_>) {}

    /// How to write and read this app's messages, so its runs can be
    /// recorded and replayed (see [`crate::record`]). `None` (the default)
    /// records messages as text only, which cannot be replayed.
    fn codec() -> Option<Codec<Self::Message>>
    where
        Self: Sized,
    {
        None
    }
}

/// A window command queued by a handler and applied by the platform after the turn.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WindowCommand {
    SetTitle(String),
    SetSize(Size),
}

/// The window as the loop knows it (also meaningful headless, for tests).
#[derive(Debug, Clone)]
pub(crate) struct WindowState {
    pub(crate) size: Size,
    pub(crate) scale: f64,
    pub(crate) title: String,
    pub(crate) commands: Vec<WindowCommand>,
    pub(crate) redraw: bool,
}

/// The handle a handler gets: post messages, issue requests, start timers and
/// tasks, and talk to the window. Everything it starts reports back through
/// the same queue.
pub struct Cx<M: 'static> {
    pub(crate) poster: Poster<M>,
    pub(crate) rx: Receivers<M>,
    pub(crate) handle: LoopHandle<'static, Cx<M>>,
    pub(crate) lifecycle: VecDeque<Lifecycle>,
    pub(crate) input: VecDeque<Input>,
    pub(crate) app_local: VecDeque<M>,
    pub(crate) io_local: VecDeque<IoItem<M>>,
    pub(crate) timers: Timers<M>,
    pub(crate) executor: Executor<M>,
    pub(crate) task_ctx: Rc<TaskContext>,
    pub(crate) requests: Requests,
    pub(crate) paused_sources: Vec<RegistrationToken>,
    pub(crate) window: WindowState,
    pub(crate) stats: Stats,
    pub(crate) focus_request: Option<String>,
    pub(crate) quit: bool,
    pub(crate) tape: Tape<M>,
    /// Panics of app code that calloop ran, waiting to be reported.
    pub(crate) caught: Caught,
}

impl<M: Debug + Send + 'static> Cx<M> {
    /// Post a message to yourself; it arrives as [`Event::App`] later in this
    /// turn or the next, after any pending input.
    pub fn post(&mut self, msg: M) {
        self.app_local.push_back(msg);
    }

    /// A [`Poster`] for other threads to send messages into this loop.
    #[must_use]
    pub fn poster(&self) -> Poster<M> {
        self.poster.clone()
    }

    /// Ask for a frame. Many requests before the next frame make one frame.
    pub fn request_redraw(&mut self) {
        self.window.redraw = true;
    }

    /// Quit after this handler returns: in-flight requests are cancelled,
    /// tasks dropped, child processes killed and workers joined. From now
    /// on posts from other threads hand their message back
    /// ([`PostError::Closed`](crate::PostError::Closed)).
    pub fn quit(&mut self) {
        self.quit = true;
        // Closed before the loop stops draining, so a message accepted after
        // this point cannot sit in a lane that nobody will look at again.
        self.poster.shared().close();
    }

    /// Whether [`Cx::quit`] was called.
    #[must_use]
    pub fn is_quitting(&self) -> bool {
        self.quit
    }

    /// Give keyboard focus to the widget whose key is `key` (see
    /// `Widget::key`), e.g. the path field on Ctrl+O.
    pub fn focus(&mut self, key: impl Into<String>) {
        self.focus_request = Some(key.into());
    }

    /// Set the window's title.
    pub fn set_title(&mut self, title: impl Into<String>) {
        let title = title.into();
        self.window.title.clone_from(&title);
        self.window.commands.push(WindowCommand::SetTitle(title));
    }

    /// Ask for a new inner window size, in logical pixels.
    pub fn set_window_size(&mut self, size: Size) {
        self.window.commands.push(WindowCommand::SetSize(size));
    }

    /// The window's inner size in logical pixels.
    #[must_use]
    pub fn window_size(&self) -> Size {
        self.window.size
    }

    /// The window's scale factor (physical pixels per logical pixel).
    #[must_use]
    pub fn scale_factor(&self) -> f64 {
        self.window.scale
    }

    /// The window's title.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.window.title
    }

    /// Deliver `msg` as [`Event::Timer`] after `delay`.
    pub fn after(&mut self, delay: Duration, msg: M) -> TimerId {
        let deadline = self.task_ctx.clock.now() + delay;
        self.timers.once(deadline, msg)
    }

    /// Deliver `make()` as [`Event::Timer`] every `period`, first after one
    /// period. Ticks stay on the `start + k * period` grid; ticks missed while
    /// the loop was busy are skipped, not bunched.
    pub fn every(&mut self, period: Duration, make: impl FnMut() -> M + 'static) -> TimerId {
        let first = self.task_ctx.clock.now() + period;
        self.timers.every(first, period, Box::new(make))
    }

    /// Cancel a timer. A cancelled timer never fires, even if it was already
    /// due in this turn. Returns `false` if it had fired or was cancelled.
    pub fn cancel_timer(&mut self, id: TimerId) -> bool {
        let live = self.timers.cancel(id);
        self.tape.answer(Ask::CancelTimer, u64::from(live)) != 0
    }

    /// Run `future` on the loop thread; its output arrives as [`Event::App`].
    /// Keep the returned handle: dropping it cancels the task.
    pub fn spawn(&mut self, future: impl Future<Output = M> + 'static) -> TaskHandle {
        self.install_net();
        self.executor
            .spawn(Box::pin(async move { Some(future.await) }))
    }

    /// Plug in any calloop event source. `on_event` runs on the loop thread
    /// with this `Cx`, so it can `post` messages (they arrive as
    /// [`Event::App`]), start timers, and so on.
    ///
    /// If `on_event` (or the source itself) panics, the panic is caught and
    /// reported as [`Lifecycle::Panicked`], and the source is removed: after
    /// an unwind neither its state nor the callback's can be trusted. Its
    /// other end sees it gone (a calloop channel's sender gets an error).
    pub fn insert_source<S, F>(
        &mut self,
        source: S,
        mut on_event: F,
    ) -> Result<SourceId, SourceError>
    where
        S: EventSource + 'static,
        F: FnMut(S::Event, &mut S::Metadata, &mut Cx<M>) -> S::Ret + 'static,
    {
        let source = Contained::new(source, self.caught.clone());
        self.handle
            .insert_source(source, move |event, meta, cx| on_event(event, meta, cx))
            .map(SourceId)
            .map_err(|e| SourceError(e.error.to_string()))
    }

    /// Plug in a calloop event source whose events each map to one message.
    pub fn insert_source_map<S, F>(
        &mut self,
        source: S,
        mut map: F,
    ) -> Result<SourceId, SourceError>
    where
        S: EventSource + 'static,
        S::Ret: Default,
        F: FnMut(S::Event) -> M + 'static,
    {
        self.insert_source(source, move |event, _, cx| {
            cx.post(map(event));
            S::Ret::default()
        })
    }

    /// Remove a source added with [`Cx::insert_source`].
    pub fn remove_source(&mut self, id: SourceId) {
        self.handle.remove(id.0);
    }

    /// How many async tasks are running (spawned and not yet finished).
    #[must_use]
    pub fn tasks_running(&self) -> usize {
        answer_count(&self.tape, Ask::TasksRunning, self.executor.running())
    }

    /// How many timers are pending.
    #[must_use]
    pub fn timers_pending(&self) -> usize {
        answer_count(&self.tape, Ask::TimersPending, self.timers.len())
    }

    /// Live counters of this loop.
    #[must_use]
    pub fn stats(&self) -> &Stats {
        self.tape.stats(&self.stats);
        &self.stats
    }

    /// The loop's clock. Read time here rather than with `Instant::now()`:
    /// it follows the test harness's virtual clock, and a recorded run
    /// replays with the same readings.
    #[must_use]
    pub fn now(&self) -> std::time::Instant {
        self.tape.now(self.task_ctx.clock.now())
    }

    /// How many messages wait in the queue right now, over all lanes.
    #[must_use]
    pub fn queue_depth(&self) -> usize {
        self.tape.depth(self.live_queue_depth())
    }

    pub(crate) fn live_queue_depth(&self) -> usize {
        self.input.len()
            + self.app_local.len()
            + self.io_local.len()
            + self.rx.input.len()
            + self.rx.app.len()
            + self.rx.io.len()
    }

    /// Whether nothing is queued, no request or process is in flight and no
    /// task is ready to run. Timers and sleeping tasks do not count.
    #[must_use]
    pub fn is_settled(&self) -> bool {
        let live = self.live_is_settled();
        self.tape.answer(Ask::Settled, u64::from(live)) != 0
    }

    /// [`Cx::is_settled`] as the loop itself asks it (never recorded).
    pub(crate) fn live_is_settled(&self) -> bool {
        self.live_queue_depth() == 0
            && self.rx.tasks.is_empty()
            && self.requests.is_empty()
            && self.lifecycle.is_empty()
            && self.task_ctx.pending_io.get() == 0
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.task_ctx.clock
    }
}

/// A count as a handler sees it: live, recorded, or replayed.
pub(crate) fn answer_count<M>(tape: &Tape<M>, ask: Ask, live: usize) -> usize {
    usize::try_from(tape.answer(ask, live as u64)).unwrap_or(usize::MAX)
}

/// Names a source added with [`Cx::insert_source`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceId(RegistrationToken);

/// Why an event source could not be added (calloop's own error, as text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not register the event source: {0}")]
pub struct SourceError(String);
