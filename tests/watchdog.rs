//! The blocked-loop watchdog: a slow handler or frame is reported once, by
//! name; fast ones never; a handler that stays blocked is reported while it
//! is; an idle loop lets the watchdog's thread sleep.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use oneloop::render::Painter;
use oneloop::widget::Empty;
use oneloop::{App, Cx, Element, Event, EventLoop, Input, Settings, Stats, WatchdogSettings};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Level, Metadata, Subscriber};

/// One warning the watchdog logged.
#[derive(Debug, Clone)]
struct Warning {
    message: String,
    thread: Option<String>,
    millis: HashMap<&'static str, u64>,
}

type Log = Arc<Mutex<Vec<Warning>>>;

/// A subscriber that keeps the watchdog's warnings. Installed per test for
/// the test's thread; the watchdog's thread inherits it.
struct Capture(Log);

impl Visit for Warning {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.millis.insert(field.name(), value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        }
    }
}

impl Subscriber for Capture {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let meta = event.metadata();
        if *meta.level() != Level::WARN || !meta.target().starts_with("oneloop::watchdog") {
            return;
        }
        let mut warning = Warning {
            message: String::new(),
            thread: thread::current().name().map(str::to_owned),
            millis: HashMap::new(),
        };
        event.record(&mut warning);
        self.0.lock().unwrap().push(warning);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[derive(Debug, Clone)]
enum Msg {
    Fast(u32),
    /// Sleep this many milliseconds.
    Sleep(u64),
    /// Stay blocked until the watchdog's own thread has warned (at most 20 s).
    BlockUntilWarned,
}

/// Handles messages; builds its view or draws slowly while `slow_view` or
/// `slow_draw` is set.
struct Worker {
    log: Log,
    sum: u64,
    slow_view: Cell<Option<Duration>>,
    slow_draw: Cell<Option<Duration>>,
    warned_while_blocked: bool,
}

impl App for Worker {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, _: &mut Cx<Msg>) {
        match event.into_message() {
            Some(Msg::Fast(n)) => self.sum += u64::from(n),
            Some(Msg::Sleep(ms)) => thread::sleep(Duration::from_millis(ms)),
            Some(Msg::BlockUntilWarned) => {
                let give_up = Instant::now() + Duration::from_secs(20);
                while Instant::now() < give_up && self.log.lock().unwrap().is_empty() {
                    thread::sleep(Duration::from_millis(5));
                }
                self.warned_while_blocked = !self.log.lock().unwrap().is_empty();
            }
            None => {}
        }
    }

    fn view(&self) -> Element<'_, Msg> {
        if let Some(pause) = self.slow_view.get() {
            thread::sleep(pause);
        }
        Element::new(Empty)
    }

    fn draw(&self, _: &mut Painter<'_>) {
        if let Some(pause) = self.slow_draw.get() {
            thread::sleep(pause);
        }
    }
}

impl Worker {
    fn new(log: &Log) -> Self {
        Self {
            log: Arc::clone(log),
            sum: 0,
            slow_view: Cell::new(None),
            slow_draw: Cell::new(None),
            warned_while_blocked: false,
        }
    }
}

fn watched(watchdog: Option<WatchdogSettings>, describe_events: bool) -> Settings {
    let mut settings = Settings::headless();
    settings.watchdog = watchdog;
    settings.describe_events = describe_events;
    settings
}

/// Runs `messages` through a loop with `settings`, capturing the warnings.
fn run(settings: Settings, messages: Vec<Msg>) -> (Stats, Vec<Warning>, Worker) {
    let log = Log::default();
    let subscriber = Capture(Arc::clone(&log));
    let (stats, worker) = tracing::subscriber::with_default(subscriber, || {
        let worker = Worker::new(&log);
        let mut event_loop = EventLoop::new(worker, settings).unwrap();
        for msg in messages {
            event_loop.cx().post(msg);
        }
        assert!(event_loop
            .run_until_settled(Duration::from_secs(60))
            .unwrap());
        let stats = event_loop.cx().stats().clone();
        (stats, event_loop.shutdown())
    });
    let warnings = log.lock().unwrap().clone();
    (stats, warnings, worker)
}

/// Ten thousand fast messages with `slow` in the middle.
fn fast_around(slow: Option<Msg>) -> Vec<Msg> {
    let fast = (0..5_000).map(Msg::Fast);
    fast.clone().chain(slow).chain(fast).collect()
}

fn on() -> Option<WatchdogSettings> {
    Some(WatchdogSettings::default())
}

#[test]
fn a_300_ms_handler_among_ten_thousand_fast_ones_is_reported_once_by_name() {
    let settings = watched(on(), true);
    let (stats, warnings, worker) = run(settings, fast_around(Some(Msg::Sleep(300))));
    assert_eq!(worker.sum, 2 * (0..5_000u64).sum::<u64>());
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let warning = &warnings[0];
    assert!(warning.message.contains("App(Sleep(300))"), "{warning:?}");
    // Exact when the handler happened to be timed, else the watchdog's
    // bounds: either way the upper figure covers the whole 300 ms.
    assert!(warning.millis["at_most_ms"] >= 300, "{warning:?}");
    assert!(warning.millis["at_least_ms"] >= 100, "{warning:?}");
    assert_eq!(stats.slow_handlers, 1);
}

#[test]
fn a_slow_timed_handler_is_reported_once_with_its_exact_time() {
    // Timer handlers are always timed; the watchdog's thread flags this
    // one as well, and it is still reported once.
    let log = Log::default();
    let stats = tracing::subscriber::with_default(Capture(Arc::clone(&log)), || {
        let mut event_loop = EventLoop::new(Worker::new(&log), watched(on(), true)).unwrap();
        event_loop.cx().after(Duration::ZERO, Msg::Sleep(300));
        assert!(event_loop
            .run_until_settled(Duration::from_secs(10))
            .unwrap());
        event_loop.cx().stats().clone()
    });
    let warnings = log.lock().unwrap().clone();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let warning = &warnings[0];
    assert!(warning.message.contains("Timer(Sleep(300))"), "{warning:?}");
    assert!(!warning.message.contains("not timed"), "{warning:?}");
    assert_eq!(warning.millis["at_least_ms"], warning.millis["at_most_ms"]);
    assert!(warning.millis["at_least_ms"] >= 300, "{warning:?}");
    assert_eq!(stats.slow_handlers, 1);
}

#[test]
fn without_descriptions_the_warning_names_the_lane_and_message_type() {
    let settings = watched(on(), false);
    let (stats, warnings, _) = run(settings, fast_around(Some(Msg::Sleep(300))));
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let message = &warnings[0].message;
    assert!(
        message.contains("an app message (watchdog::Msg)"),
        "{message}"
    );
    assert!(message.contains("describe_events"), "{message}");
    assert!(warnings[0].millis["at_most_ms"] >= 300, "{message}");
    assert_eq!(stats.slow_handlers, 1);
}

#[test]
fn fast_handlers_are_not_reported() {
    let (stats, warnings, _) = run(watched(on(), true), fast_around(None));
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(stats.slow_handlers, 0);
}

#[test]
fn with_the_watchdog_off_nothing_is_reported() {
    let (stats, warnings, _) = run(watched(None, true), fast_around(Some(Msg::Sleep(300))));
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(stats.slow_handlers, 0);
}

#[test]
fn a_handler_blocked_for_over_a_second_is_reported_while_it_still_is() {
    let (stats, warnings, worker) = run(watched(on(), false), vec![Msg::BlockUntilWarned]);
    assert!(worker.warned_while_blocked, "no warning while blocked");
    let from_watchdog = &warnings[0];
    assert_eq!(from_watchdog.thread.as_deref(), Some("oneloop-watchdog"));
    assert!(
        from_watchdog
            .message
            .contains("blocked for 1.0 s and counting")
            && from_watchdog
                .message
                .contains("an app message (watchdog::Msg)"),
        "{from_watchdog:?}"
    );
    // Once it returned, the loop reports it like any slow handler.
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[1].millis["at_most_ms"] >= 1_000, "{warnings:#?}");
    assert_eq!(stats.slow_handlers, 1);
}

#[test]
fn a_slow_frame_is_reported_once() {
    let watchdog = WatchdogSettings::default()
        .threshold(Duration::from_millis(100))
        .frame_budget(Duration::from_millis(50));
    let log = Log::default();
    let stats = tracing::subscriber::with_default(Capture(Arc::clone(&log)), || {
        let worker = Worker::new(&log);
        let mut event_loop = EventLoop::new(worker, watched(Some(watchdog), true)).unwrap();
        let mut pixmap = oneloop::render::tiny_skia::Pixmap::new(64, 64).unwrap();
        event_loop.paint(&mut pixmap, 1.0);
        // Over the frame budget and the handler threshold alike: the
        // watchdog's thread notices the paint too, and still one warning.
        event_loop
            .app()
            .slow_draw
            .set(Some(Duration::from_millis(150)));
        event_loop.paint(&mut pixmap, 1.0);
        event_loop.app().slow_draw.set(None);
        event_loop.paint(&mut pixmap, 1.0);
        event_loop.cx().post(Msg::Fast(1));
        assert!(event_loop
            .run_until_settled(Duration::from_secs(10))
            .unwrap());
        event_loop.cx().stats().clone()
    });
    let warnings = log.lock().unwrap().clone();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].message.contains("painting a frame took"),
        "{warnings:?}"
    );
    assert!(warnings[0].millis["at_least_ms"] >= 150, "{warnings:?}");
    assert_eq!((stats.slow_frames, stats.slow_handlers), (1, 0));
}

#[test]
fn building_the_view_slowly_to_route_input_is_reported_once() {
    let log = Log::default();
    let stats = tracing::subscriber::with_default(Capture(Arc::clone(&log)), || {
        let mut event_loop = EventLoop::new(Worker::new(&log), watched(on(), true)).unwrap();
        event_loop
            .app()
            .slow_view
            .set(Some(Duration::from_millis(300)));
        event_loop.poster().post_input(Input::PointerLeft).unwrap();
        assert!(event_loop
            .run_until_settled(Duration::from_secs(10))
            .unwrap());
        event_loop.cx().stats().clone()
    });
    let warnings = log.lock().unwrap().clone();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let warning = &warnings[0];
    assert!(
        warning
            .message
            .contains("building the view for PointerLeft"),
        "{warning:?}"
    );
    assert!(warning.millis["at_most_ms"] >= 300, "{warning:?}");
    assert_eq!(stats.slow_handlers, 1);
}

#[test]
fn an_idle_loop_lets_the_watchdog_thread_sleep_until_the_next_turn() {
    let log = Log::default();
    let stats = tracing::subscriber::with_default(Capture(Arc::clone(&log)), || {
        let worker = Worker::new(&log);
        let mut event_loop = EventLoop::new(worker, watched(on(), true)).unwrap();
        event_loop.turn(Duration::ZERO).unwrap();
        // Nothing to do for two seconds: the watchdog parks long before.
        event_loop.turn(Duration::from_secs(2)).unwrap();
        // Woken by this turn, it still watches.
        event_loop.cx().post(Msg::Sleep(300));
        assert!(event_loop
            .run_until_settled(Duration::from_secs(10))
            .unwrap());
        event_loop.cx().stats().clone()
    });
    assert!(stats.watchdog_parks >= 1, "{stats:?}");
    assert_eq!(stats.slow_handlers, 1, "{:#?}", log.lock().unwrap());
}
