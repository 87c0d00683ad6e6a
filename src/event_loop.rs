//! The turn: wait → drain by priority within a budget → dispatch.
//!
//! [`EventLoop`] owns the calloop loop, the app and its [`Cx`]. Windowless it
//! runs by itself ([`EventLoop::run`]) or is stepped by tests
//! ([`EventLoop::turn`], [`EventLoop::run_until_settled`]); with a window, the
//! platform layer drives the same turn between pumps of the window system.

mod close;
mod describe;
mod dispatch;
mod drain;
mod paint;

pub(crate) use describe::describe;

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use calloop::ping::make_ping;

use crate::app::{App, Cx, WindowState};
use crate::event::{Event, Lane, Lifecycle};
use crate::geometry::Size;
use crate::input::Input;
use crate::io::pool::Pool;
use crate::io::Requests;
use crate::overlay::Overlay;
use crate::panic::Caught;
use crate::queue::{self, Poster, WakeTarget};
use crate::record::Tape;
use crate::render::TextEngine;
use crate::settings::{RunError, Settings};
use crate::stats::Stats;
use crate::task::{Clock, Executor, TaskContext};
use crate::timer::{Fired, Timers};
use crate::trace::Trace;
use crate::ui::Ui;
use crate::watchdog::{Activity, Watchdog};
use crate::widget::Handled;

/// One app, its queue and its loop.
pub struct EventLoop<A: App> {
    pub(crate) calloop: calloop::EventLoop<'static, Cx<A::Message>>,
    pub(crate) cx: Cx<A::Message>,
    pub(crate) app: A,
    pub(crate) settings: Settings,
    pub(crate) ui: Ui,
    pub(crate) overlay: Overlay,
    trace: Option<Trace>,
    sequence: u64,
    /// The message being dispatched came from a widget (recordings keep
    /// those apart: a replay's widgets make them again).
    from_widget: bool,
    pub(crate) watchdog: Watchdog,
    /// Where the queue's wake-ups go; a window driver may redirect it.
    pub(crate) wake: Arc<WakeTarget>,
}

impl<A: App> EventLoop<A> {
    /// Set up a loop for `app` on this thread (which becomes the loop thread).
    pub fn new(app: A, settings: Settings) -> Result<Self, RunError> {
        Self::with_clock(app, settings, Clock::real())
    }

    /// Set up a loop whose timers run on a virtual clock: time moves only
    /// through [`EventLoop::advance`], or, in [`EventLoop::run`], jumps to the
    /// next timer whenever nothing else is left to do. Tests with long timers
    /// then run instantly and deterministically.
    pub fn with_virtual_time(app: A, settings: Settings) -> Result<Self, RunError> {
        Self::with_clock(app, settings, Clock::virtual_time())
    }

    pub(crate) fn with_clock(app: A, settings: Settings, clock: Clock) -> Result<Self, RunError> {
        crate::panic::install_hook();
        let calloop = calloop::EventLoop::try_new()?;
        let (ping, ping_source) = make_ping()?;
        calloop
            .handle()
            .insert_source(ping_source, |(), (), _| {})
            .map_err(|e| RunError::Os(e.error.into()))?;
        let wake = WakeTarget::new(ping);
        let (poster, rx) = queue::new_queue(Box::new(Arc::clone(&wake)), settings.limits);
        poster.shared().set_loop_thread();
        let threads = match settings.io_threads {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => n,
        };
        let pool = Arc::new(Pool::new(threads)?);
        let waker_poster: Poster<A::Message> = poster.clone();
        let executor = Executor::new(Arc::new(move |id| waker_poster.wake_task(id)));
        let size = settings
            .window
            .as_ref()
            .map_or(Size::new(800.0, 600.0), |w| w.size);
        let title = settings
            .window
            .as_ref()
            .map_or_else(String::new, |w| w.title.clone());
        let clock_origin = clock.origin();
        let stats = Stats::for_clock(&clock);
        let cx = Cx {
            poster,
            rx,
            handle: calloop.handle(),
            lifecycle: VecDeque::from([Lifecycle::Started]),
            input: VecDeque::new(),
            app_local: VecDeque::new(),
            io_local: VecDeque::new(),
            timers: Timers::default(),
            executor,
            task_ctx: Rc::new(TaskContext::new(pool, clock)),
            requests: Requests::default(),
            paused_sources: Vec::new(),
            window: WindowState {
                size,
                scale: 1.0,
                title,
                commands: Vec::new(),
                redraw: true,
            },
            stats,
            focus_request: None,
            quit: false,
            tape: Tape::start::<A>(&settings, clock_origin),
            caught: Caught::default(),
        };
        let text = if settings.system_fonts {
            TextEngine::new()
        } else {
            TextEngine::embedded_only()
        };
        let mut ui = Ui::new(text);
        ui.size = size;
        let watchdog = Watchdog::start(settings.watchdog, std::any::type_name::<A::Message>());
        Ok(Self {
            calloop,
            cx,
            app,
            overlay: Overlay::new(settings.stats_overlay),
            settings,
            ui,
            trace: Trace::from_env(),
            sequence: 0,
            from_widget: false,
            watchdog,
            wake,
        })
    }

    /// A poster for other threads.
    #[must_use]
    pub fn poster(&self) -> Poster<A::Message> {
        self.cx.poster.clone()
    }

    /// The app, to inspect its state.
    pub fn app(&self) -> &A {
        &self.app
    }

    /// The app, to change its state between turns (tests, tools).
    pub fn app_mut(&mut self) -> &mut A {
        &mut self.app
    }

    /// The app's context (what a handler would see).
    pub fn cx(&mut self) -> &mut Cx<A::Message> {
        &mut self.cx
    }

    /// Whether the app asked to quit.
    #[must_use]
    pub fn is_quitting(&self) -> bool {
        self.cx.quit
    }

    /// Run until the app quits, then shut down and hand the app back. If the
    /// OS wait fails, the loop is shut down all the same (producers waiting
    /// for room get their message back) and the error is returned.
    pub fn run(mut self) -> Result<A, RunError> {
        let ran = self.run_turns();
        let app = self.shutdown();
        ran.map(|()| app)
    }

    fn run_turns(&mut self) -> Result<(), RunError> {
        while !self.cx.quit {
            let timeout = self.timeout();
            if timeout.is_none() && self.cx.clock().is_virtual() {
                if !self.advance_to_next_timer() {
                    tracing::warn!("nothing left that could ever wake the loop; stopping");
                    break;
                }
                continue;
            }
            if timeout != Some(Duration::ZERO) {
                self.before_wait();
            }
            self.calloop.dispatch(timeout, &mut self.cx)?;
            self.dispatch_pending();
        }
        Ok(())
    }

    /// Wait at most `wait` for something to happen, then take one turn.
    pub fn turn(&mut self, wait: Duration) -> Result<(), RunError> {
        let timeout = self.timeout().map_or(wait, |t| t.min(wait));
        self.calloop.dispatch(Some(timeout), &mut self.cx)?;
        self.dispatch_pending();
        Ok(())
    }

    /// Take turns until nothing is queued or in flight (timers aside), the app
    /// quits, or `limit` passes. Returns whether it settled.
    pub fn run_until_settled(&mut self, limit: Duration) -> Result<bool, RunError> {
        let deadline = Instant::now() + limit;
        loop {
            self.turn(Duration::from_millis(10))?;
            if self.cx.quit || (self.cx.live_is_settled() && !self.has_pending()) {
                return Ok(true);
            }
            if Instant::now() >= deadline {
                return Ok(false);
            }
        }
    }

    /// Move a virtual clock forward by `by` and fire what became due.
    /// A loop on the real clock ignores this.
    pub fn advance(&mut self, by: Duration) {
        self.cx.clock().advance(by);
        self.dispatch_pending();
    }

    fn advance_to_next_timer(&mut self) -> bool {
        match self.cx.timers.next_deadline() {
            Some(deadline) => {
                let now = self.cx.clock().now();
                self.cx
                    .clock()
                    .advance(deadline.saturating_duration_since(now));
                self.dispatch_pending();
                true
            }
            None => false,
        }
    }

    /// Called just before the loop may sleep: make the trace readable.
    pub(crate) fn before_wait(&mut self) {
        if let Some(trace) = &mut self.trace {
            trace.flush_if_dirty();
        }
        self.cx.tape.flush();
    }

    /// Whether anything waits to be dispatched right now.
    pub(crate) fn has_pending(&self) -> bool {
        let cx = &self.cx;
        !cx.lifecycle.is_empty()
            || !cx.input.is_empty()
            || !cx.app_local.is_empty()
            || !cx.io_local.is_empty()
            || !cx.rx.input.is_empty()
            || !cx.rx.app.is_empty()
            || !cx.rx.io.is_empty()
            || !cx.rx.tasks.is_empty()
    }

    /// How long the loop may sleep: zero with work pending, else until the
    /// next timer, else forever (`None`). A virtual clock never sleeps on timers.
    pub(crate) fn timeout(&mut self) -> Option<Duration> {
        if self.has_pending() || self.cx.quit {
            return Some(Duration::ZERO);
        }
        if self.cx.clock().is_virtual() {
            return None;
        }
        let now = self.cx.clock().now();
        let timer = self.cx.timers.next_deadline();
        let next = match (timer, self.overlay.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        next.map(|d| d.saturating_duration_since(now))
    }

    /// One turn's dispatching: lifecycle, all input, due timers, then app
    /// messages, task polls and IO completions interleaved within the budget.
    pub(crate) fn dispatch_pending(&mut self) {
        self.cx.poster.shared().clear_wake();
        self.watchdog.turn_started(&mut self.cx.stats);
        let depth = self.cx.live_queue_depth();
        self.cx.stats.begin_turn(depth);
        let turn_started = self.cx.clock().now();
        self.report_caught();
        while let Some(news) = self.cx.lifecycle.pop_front() {
            self.dispatch(Event::Lifecycle(news));
        }
        queue::drain_input(&self.cx.rx.input, &mut self.cx.input);
        while let Some(input) = self.cx.input.pop_front() {
            if self.cx.quit {
                return;
            }
            self.dispatch_input(input);
        }
        let now = self.cx.clock().now();
        if self.overlay.refresh_due(now) {
            self.cx.window.redraw = true;
        }
        while let Some((id, fired)) = self.cx.timers.pop_due(now) {
            if self.cx.quit {
                return;
            }
            match fired {
                Fired::Message(msg) => self.dispatch(Event::Timer(msg)),
                Fired::Woke => {}
                Fired::Widget(widget, timer) => {
                    self.route(Routed::Timer(widget, timer));
                }
                Fired::Panicked(payload) => {
                    let running = format!("the closure of repeating timer {id:?}");
                    self.report_panic(Lane::Timer, running, &*payload);
                }
            }
        }
        self.dispatch_budgeted();
        self.after_turn();
        let turn_ended = self.cx.clock().now();
        self.cx.stats.end_turn(turn_started, turn_ended);
        if let Some(trace) = &mut self.trace {
            trace.maybe_flush();
        }
    }

    pub(crate) fn dispatch_input(&mut self, input: Input) {
        if let Tape::Recording(rec) = &self.cx.tape {
            let mut rec = rec.borrow_mut();
            rec.window(self.cx.window.size, self.cx.window.scale);
            rec.input(&input);
        }
        if self.overlay.take_key(&input, self.cx.clock().now()) {
            self.cx.window.redraw = true;
            return;
        }
        match &input {
            Input::Resized(size) => {
                self.cx.window.size = *size;
                self.ui.size = *size;
                self.cx.window.redraw = true;
            }
            Input::ScaleFactorChanged(scale) => {
                self.cx.window.scale = *scale;
                self.cx.window.redraw = true;
            }
            // Widgets read them with the pointer (Shift+click extends a
            // selection); the app still gets the change itself.
            Input::ModifiersChanged(modifiers) => self.ui.modifiers = *modifiers,
            _ => {}
        }
        self.ui.now = self.cx.clock().now();
        if self.route(Routed::Input(&input)) == Handled::Yes {
            return;
        }
        let close = matches!(input, Input::CloseRequested);
        self.dispatch(Event::Input(input));
        if close && self.settings.quit_on_close {
            self.cx.quit();
        }
    }

    /// Offer input (or a widget's due timer) to the view's widgets; their
    /// messages join the app lane.
    fn route(&mut self, routed: Routed<'_>) -> Handled {
        if let Routed::Input(input) = routed {
            if !routes_to_widgets(input) {
                return Handled::No;
            }
        }
        let started = self.trace.is_some().then(Instant::now);
        let mut messages = Vec::new();
        let beat = self.watchdog.enter(Activity::View);
        let (app, ui) = (&self.app, &mut self.ui);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let theme = app.theme();
            let mut tree = app.view();
            ui.prepare(&mut tree, &theme);
            match routed {
                Routed::Input(input) => ui.route(&mut tree, &theme, input, &mut messages),
                Routed::Timer(id, timer) => {
                    ui.timer(&mut tree, &theme, (id, timer), &mut messages);
                    Handled::Yes
                }
            }
        }));
        let took = started.map(|s| s.elapsed());
        if let Some(slow) = self.watchdog.leave(beat, took, &mut self.cx.stats) {
            slow.warn(Some(&format!("{routed:?}")));
        }
        let handled = match outcome {
            Ok(handled) => handled,
            Err(payload) => {
                self.report_panic(
                    Lane::Input,
                    format!("building the view for {routed:?}"),
                    &*payload,
                );
                Handled::No
            }
        };
        if std::mem::take(&mut self.ui.repaint) {
            self.cx.window.redraw = true;
        }
        let now = self.cx.clock().now();
        for (id, timer, delay) in self.ui.timers.requested.drain(..) {
            self.cx.timers.widget(now + delay, id, timer);
        }
        if let (Handled::Yes, Routed::Input(input)) = (handled, routed) {
            self.trace_widget_input(input, started);
        }
        // A widget's messages are the app's reading of this input: the app
        // handles them before the next input is routed, so that input meets
        // a view built from the updated state (two keys typed in one turn
        // both land in the text).
        self.from_widget = true;
        for msg in messages {
            self.dispatch(Event::App(msg));
        }
        self.from_widget = false;
        handled
    }

    /// Count input a widget took as dispatched, and trace it: the app never
    /// sees it, but the user did it, and building the view to route it
    /// takes time like any handler.
    fn trace_widget_input(&mut self, input: &Input, started: Option<Instant>) {
        let sequence = self.sequence;
        self.sequence += 1;
        if let (Some(trace), Some(started)) = (&mut self.trace, started) {
            let described = format!("Input({input:?})");
            trace.event(sequence, Lane::Input, &described, started.elapsed());
        }
    }
}

impl<A: App> EventLoop<A> {
    /// The sequence number the next dispatched event gets.
    pub(crate) fn sequence(&self) -> u64 {
        self.sequence
    }

    /// Set the window's size and scale as the platform would (replays).
    pub(crate) fn set_window(&mut self, size: Size, scale: f64) {
        self.cx.window.size = size;
        self.cx.window.scale = scale;
        self.ui.size = size;
    }
}

/// What the widgets are handed.
#[derive(Clone, Copy)]
enum Routed<'i> {
    /// Input from the window.
    Input(&'i Input),
    /// A timer a widget started is due.
    Timer(crate::widget::WidgetId, crate::widget::WidgetTimer),
}

/// Reports name the input itself, as they did before timers were routed.
impl std::fmt::Debug for Routed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Routed::Input(input) => write!(f, "{input:?}"),
            Routed::Timer(id, timer) => write!(f, "{timer:?} of widget {id:?}"),
        }
    }
}

/// Input that widgets can use; window-level news goes straight to the app.
fn routes_to_widgets(input: &Input) -> bool {
    matches!(
        input,
        Input::Key(_)
            | Input::PointerMoved { .. }
            | Input::PointerLeft
            | Input::PointerButton { .. }
            | Input::Wheel { .. }
            | Input::Focused(false)
    )
}
