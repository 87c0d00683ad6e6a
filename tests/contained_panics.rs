//! Contract point 6 for every piece of app code the loop calls: a panic in a
//! handler, a task's poll, `view`, `draw`, a timer's closure, a source's
//! callback or a request's map function is caught, reported as
//! `Lifecycle::Panicked` naming what was running, and the loop goes on.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::time::Duration;

use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, EventLoop, Lane, Lifecycle, PanicReport, Settings};

fn headless() -> Settings {
    let mut settings = Settings::headless();
    settings.system_fonts = false;
    settings
}

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Start,
    Done(u32),
    Tick(u32),
    FromSource(u32),
    After,
}

/// Keeps every message and every panic report; `start` runs at `Msg::Start`.
struct Probe {
    start: fn(&mut Probe, &mut Cx<Msg>),
    seen: Vec<Msg>,
    reports: Vec<PanicReport>,
    task: Option<oneloop::TaskHandle>,
    view_breaks: bool,
    draw_breaks: bool,
}

impl Probe {
    fn new(start: fn(&mut Probe, &mut Cx<Msg>)) -> Self {
        Self {
            start,
            seen: Vec::new(),
            reports: Vec::new(),
            task: None,
            view_breaks: false,
            draw_breaks: false,
        }
    }

    /// The one report there must be, checked for its lane and its words.
    fn only_report(&self, lane: Lane, running: &str, message: &str) -> &PanicReport {
        assert_eq!(self.reports.len(), 1, "{:?}", self.reports);
        let report = &self.reports[0];
        assert_eq!(report.lane, lane, "{report}");
        assert!(report.event.contains(running), "names what ran: {report}");
        assert!(report.message.contains(message), "{report}");
        report
    }
}

impl App for Probe {
    type Message = Msg;
    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::App(Msg::Start) => (self.start)(self, cx),
            Event::Lifecycle(Lifecycle::Panicked(report)) => self.reports.push(report),
            Event::App(m) | Event::Timer(m) | Event::Io(m) => self.seen.push(m),
            _ => {}
        }
    }

    fn view(&self) -> Element<'_, Msg> {
        assert!(!self.view_breaks, "the view broke");
        Element::new(oneloop::widget::Empty)
    }

    fn draw(&self, _painter: &mut oneloop::render::Painter<'_>) {
        assert!(!self.draw_breaks, "the drawing broke");
    }
}

/// A loop that has handled `Msg::Start` and settled.
fn started(start: fn(&mut Probe, &mut Cx<Msg>)) -> EventLoop<Probe> {
    let mut event_loop = EventLoop::new(Probe::new(start), headless()).unwrap();
    event_loop.poster().post(Msg::Start).unwrap();
    assert!(event_loop
        .run_until_settled(Duration::from_secs(10))
        .unwrap());
    event_loop
}

/// The loop still goes on: a message posted now is handled.
fn goes_on(event_loop: &mut EventLoop<Probe>) {
    event_loop.poster().post(Msg::After).unwrap();
    assert!(event_loop
        .run_until_settled(Duration::from_secs(10))
        .unwrap());
    assert_eq!(event_loop.app().seen.last(), Some(&Msg::After));
}

#[test]
fn a_panicking_task_is_reported_dropped_and_its_handle_says_so() {
    let mut event_loop = started(|probe, cx| {
        let breaks = true;
        probe.task = Some(cx.spawn(async move {
            assert!(!breaks, "the task broke");
            Msg::Done(0)
        }));
        cx.spawn(async { Msg::Done(1) }).detach();
    });
    event_loop
        .app()
        .only_report(Lane::App, "task", "the task broke");
    assert_eq!(
        event_loop.app().seen,
        vec![Msg::Done(1)],
        "the other task ran"
    );
    assert_eq!(
        event_loop.cx().tasks_running(),
        0,
        "the panicked task was dropped"
    );
    let handle = event_loop.app().task.as_ref().unwrap();
    assert!(handle.is_finished());
    assert!(
        handle.panicked(),
        "the handle does not say the task panicked"
    );
    goes_on(&mut event_loop);
}

#[test]
fn a_panicking_timer_closure_is_reported_and_the_timer_ticks_on() {
    let mut event_loop = EventLoop::with_virtual_time(
        Probe::new(|_, cx| {
            let mut n = 0;
            cx.every(Duration::from_millis(10), move || {
                n += 1;
                assert!(n != 2, "tick 2 broke");
                Msg::Tick(n)
            });
        }),
        headless(),
    )
    .unwrap();
    event_loop.poster().post(Msg::Start).unwrap();
    event_loop.turn(Duration::ZERO).unwrap();
    for _ in 0..4 {
        event_loop.advance(Duration::from_millis(10));
    }
    event_loop.turn(Duration::ZERO).unwrap();
    event_loop
        .app()
        .only_report(Lane::Timer, "timer", "tick 2 broke");
    assert_eq!(
        event_loop.app().seen,
        vec![Msg::Tick(1), Msg::Tick(3), Msg::Tick(4)]
    );
    goes_on(&mut event_loop);
}

#[test]
fn a_panicking_source_callback_is_reported_and_the_source_removed() {
    let mut event_loop = EventLoop::new(Probe::new(|_, _| {}), headless()).unwrap();
    let (sender, channel) = oneloop::calloop::channel::channel::<u32>();
    event_loop
        .cx()
        .insert_source(channel, |event, _, cx| {
            if let oneloop::calloop::channel::Event::Msg(n) = event {
                assert!(n != 2, "message 2 broke the source");
                cx.post(Msg::FromSource(n));
            }
        })
        .unwrap();
    for n in 1..=2 {
        sender.send(n).unwrap();
    }
    assert!(event_loop
        .run_until_settled(Duration::from_secs(10))
        .unwrap());
    event_loop
        .app()
        .only_report(Lane::App, "source", "message 2 broke the source");
    assert_eq!(event_loop.app().seen, vec![Msg::FromSource(1)]);
    // A source whose callback panicked is gone: its sender learns it.
    assert!(sender.send(3).is_err(), "the panicked source was kept");
    goes_on(&mut event_loop);
}

#[test]
fn a_panicking_request_map_is_reported_and_other_completions_arrive() {
    let mut event_loop = started(|_, cx| {
        cx.blocking(|_| 1, |_| -> Msg { panic!("the map broke") });
        cx.blocking(|_| 2, |result| Msg::Done(result.unwrap()));
    });
    event_loop
        .app()
        .only_report(Lane::Io, "request", "the map broke");
    assert_eq!(event_loop.app().seen, vec![Msg::Done(2)]);
    assert_eq!(event_loop.cx().requests_in_flight(), 0);
    goes_on(&mut event_loop);
}

#[test]
fn a_panicking_process_map_is_reported_and_later_lines_arrive() {
    let mut event_loop = started(|_, cx| {
        // This test binary lists its tests: a child that prints on every OS.
        let mut command = std::process::Command::new(std::env::current_exe().unwrap());
        command.arg("--list");
        let mut lines = 0;
        let handle = cx
            .spawn_process(command, move |event| match event {
                oneloop::io::process::ProcessEvent::Exited(_) => Msg::Done(lines),
                _ => {
                    lines += 1;
                    assert!(lines != 1, "line 1 broke the map");
                    Msg::Tick(lines)
                }
            })
            .unwrap();
        drop(handle);
    });
    event_loop
        .app()
        .only_report(Lane::Io, "process", "line 1 broke the map");
    let seen = &event_loop.app().seen;
    assert!(
        seen.contains(&Msg::Tick(2)),
        "later lines were lost: {seen:?}"
    );
    assert!(
        matches!(seen.last(), Some(Msg::Done(n)) if *n > 2),
        "the exit was lost: {seen:?}"
    );
    goes_on(&mut event_loop);
}

#[test]
fn a_panicking_view_is_reported_and_input_still_reaches_the_app() {
    let mut harness = Harness::new(Probe::new(|_, _| {}));
    harness.settle();
    harness.app_mut().view_breaks = true;
    harness
        .input(oneloop::Input::key_press(oneloop::Key::Named(
            oneloop::NamedKey::Enter,
        )))
        .settle();
    harness
        .app()
        .only_report(Lane::Input, "view", "the view broke");
    harness.app_mut().view_breaks = false;
    harness.poster().post(Msg::After).unwrap();
    harness.settle();
    assert_eq!(harness.app().seen.last(), Some(&Msg::After));
}

#[test]
fn a_panicking_draw_is_reported_and_the_next_frame_is_painted() {
    let mut harness = Harness::new(Probe::new(|_, _| {}));
    harness.settle();
    harness.app_mut().draw_breaks = true;
    harness.render();
    harness.settle();
    harness
        .app()
        .only_report(Lane::Lifecycle, "draw", "the drawing broke");
    harness.app_mut().draw_breaks = false;
    harness.render();
    harness.settle();
    assert_eq!(harness.app().reports.len(), 1, "a sound frame was reported");
}
