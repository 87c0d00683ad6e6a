//! Timers and async tasks on the loop thread.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use oneloop::{App, Cx, Event, EventLoop, Lifecycle, Settings, TaskHandle, TimerId};

#[derive(Default)]
struct Clockwork {
    fired: Vec<&'static str>,
    ticks: u32,
    cancelled: Option<TimerId>,
    repeating: Option<TimerId>,
}

#[derive(Debug)]
enum Tick {
    Named(&'static str),
    Repeat,
}

impl App for Clockwork {
    type Message = Tick;
    fn update(&mut self, event: Event<Tick>, cx: &mut Cx<Tick>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                cx.after(Duration::from_millis(30), Tick::Named("c"));
                cx.after(Duration::from_millis(10), Tick::Named("a"));
                self.cancelled = Some(cx.after(Duration::from_millis(15), Tick::Named("never")));
                cx.after(Duration::from_millis(20), Tick::Named("b"));
                self.repeating = Some(cx.every(Duration::from_millis(100), || Tick::Repeat));
                cx.after(Duration::from_millis(1_050), Tick::Named("end"));
            }
            Event::Timer(Tick::Named("a")) => {
                self.fired.push("a");
                // Cancelling a timer that has not fired yet: it never does.
                let id = self.cancelled.take();
                assert!(id.is_some_and(|id| cx.cancel_timer(id)));
            }
            Event::Timer(Tick::Named("end")) => {
                self.fired.push("end");
                if let Some(id) = self.repeating {
                    cx.cancel_timer(id);
                }
                cx.quit();
            }
            Event::Timer(Tick::Named(name)) => self.fired.push(name),
            Event::Timer(Tick::Repeat) => self.ticks += 1,
            _ => {}
        }
    }
}

#[test]
fn timers_fire_in_order_cancelled_ones_never_on_a_virtual_clock() {
    let started = Instant::now();
    let event_loop =
        EventLoop::with_virtual_time(Clockwork::default(), Settings::headless()).unwrap();
    let app = event_loop.run().unwrap();
    assert_eq!(app.fired, vec!["a", "b", "c", "end"]);
    assert_eq!(app.ticks, 10, "a 100 ms timer ticks ten times in 1.05 s");
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "virtual time should not sleep"
    );
}

#[test]
fn timers_fire_in_order_on_the_real_clock() {
    let started = Instant::now();
    let event_loop = EventLoop::new(Clockwork::default(), Settings::headless()).unwrap();
    let app = event_loop.run().unwrap();
    let took = started.elapsed();
    assert_eq!(app.fired, vec!["a", "b", "c", "end"]);
    assert!(
        took >= Duration::from_millis(1_050),
        "fired early: {took:?}"
    );
    // The repeating timer stays on its grid; a busy machine may skip a tick, never add one.
    assert!((8..=10).contains(&app.ticks), "{} ticks", app.ticks);
}

fn temp_files(contents: &[&[u8]]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let paths = contents
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let path = dir.path().join(format!("file{i}"));
            fs::write(&path, bytes).unwrap();
            path
        })
        .collect();
    (dir, paths)
}

#[derive(Debug)]
enum Read {
    Sequential(Vec<Vec<u8>>),
    Concurrent(Vec<Vec<u8>>),
    GateOpened,
}

struct Reader {
    paths: Vec<PathBuf>,
    results: Vec<Read>,
    handles: Vec<TaskHandle>,
    /// Holds the only worker until the test opens it, so the reads the tasks
    /// issue are all still in flight when the test counts them.
    gate: Option<std::sync::mpsc::Receiver<()>>,
}

impl App for Reader {
    type Message = Read;
    fn update(&mut self, event: Event<Read>, cx: &mut Cx<Read>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                if let Some(gate) = self.gate.take() {
                    cx.blocking(move |_| gate.recv().is_ok(), |_| Read::GateOpened);
                }
                let paths = self.paths.clone();
                self.handles.push(cx.spawn(async move {
                    let mut out = Vec::new();
                    for path in paths {
                        out.push(oneloop::fs::read(path).await.unwrap());
                    }
                    Read::Sequential(out)
                }));
                let reads = self.paths.iter().cloned().map(oneloop::fs::read).collect();
                self.handles.push(cx.spawn(async move {
                    let out = oneloop::join_all(reads).await;
                    Read::Concurrent(out.into_iter().map(Result::unwrap).collect())
                }));
            }
            Event::App(read) => {
                self.results.push(read);
                if self.results.len() == 2 {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[test]
fn an_async_task_reads_three_files_sequentially_and_concurrently() {
    let contents: [&[u8]; 3] = [b"first file", b"", &[0xff; 300_000]];
    let (_dir, paths) = temp_files(&contents);
    let (open, gate) = std::sync::mpsc::channel();
    let app = Reader {
        paths,
        results: Vec::new(),
        handles: Vec::new(),
        gate: Some(gate),
    };
    let mut settings = Settings::headless();
    settings.io_threads = 1;
    let mut event_loop = EventLoop::new(app, settings).unwrap();
    // The first turn polls both tasks once: one read in flight for the
    // sequential task, three for the concurrent one, and the gate.
    event_loop.turn(Duration::ZERO).unwrap();
    assert_eq!(event_loop.cx().requests_in_flight(), 1 + 1 + 3);
    open.send(()).unwrap();
    let app = event_loop.run().unwrap();
    let expected: Vec<Vec<u8>> = contents.iter().map(|c| c.to_vec()).collect();
    for result in &app.results {
        match result {
            Read::Sequential(got) | Read::Concurrent(got) => assert_eq!(got, &expected),
            Read::GateOpened => panic!("the gate completes as an IO event, not a task result"),
        }
    }
    assert_eq!(app.results.len(), 2);
}

#[derive(Default)]
struct Canceller {
    task: Option<TaskHandle>,
    delivered: bool,
}

impl App for Canceller {
    type Message = &'static str;
    fn update(&mut self, event: Event<&'static str>, cx: &mut Cx<&'static str>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                self.task = Some(cx.spawn(async {
                    oneloop::time::sleep(Duration::from_secs(3600)).await;
                    "finished"
                }));
            }
            Event::App(_) => self.delivered = true,
            _ => {}
        }
    }
}

#[test]
fn dropping_a_task_handle_cancels_the_task() {
    let mut event_loop =
        EventLoop::with_virtual_time(Canceller::default(), Settings::headless()).unwrap();
    event_loop.turn(Duration::ZERO).unwrap();
    assert_eq!(event_loop.cx().tasks_running(), 1);
    drop(event_loop.app_mut().task.take());
    event_loop.turn(Duration::ZERO).unwrap();
    assert_eq!(
        event_loop.cx().tasks_running(),
        0,
        "the dropped task's future is gone"
    );
    event_loop.advance(Duration::from_secs(7200));
    event_loop.turn(Duration::ZERO).unwrap();
    assert!(
        !event_loop.app().delivered,
        "a cancelled task never delivers"
    );
}

#[derive(Default)]
struct Sleeper {
    woke_after: Option<Duration>,
    started: Option<Instant>,
}

impl App for Sleeper {
    type Message = ();
    fn update(&mut self, event: Event<()>, cx: &mut Cx<()>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                self.started = Some(Instant::now());
                cx.spawn(oneloop::time::sleep(Duration::from_millis(120)))
                    .detach();
            }
            Event::App(()) => {
                self.woke_after = self.started.map(|s| s.elapsed());
                cx.quit();
            }
            _ => {}
        }
    }
}

#[test]
fn sleep_in_a_task_wakes_through_the_loop() {
    let app = EventLoop::new(Sleeper::default(), Settings::headless())
        .unwrap()
        .run()
        .unwrap();
    let woke = app.woke_after.unwrap();
    assert!(woke >= Duration::from_millis(120), "woke early: {woke:?}");
    assert!(woke < Duration::from_secs(2), "woke late: {woke:?}");
}
