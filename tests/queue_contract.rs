//! The queue contract, end to end through a real (windowless) loop:
//! nothing lost, order per producer, input first, coalescing, idle is idle,
//! panics contained.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::thread;
use std::time::{Duration, Instant};

use oneloop::{
    App, ButtonState, Cx, Event, EventLoop, Input, Key, LaneLimits, Lifecycle, NamedKey, Point,
    PointerButton, Settings,
};

fn headless() -> Settings {
    Settings::headless()
}

/// Collects (producer, sequence) pairs and quits when it has `expected`.
struct Collector {
    expected: usize,
    seen: Vec<Vec<u64>>,
    total: usize,
}

impl App for Collector {
    type Message = (usize, u64);
    fn update(&mut self, event: Event<(usize, u64)>, cx: &mut Cx<(usize, u64)>) {
        if let Event::App((producer, seq)) = event {
            self.seen[producer].push(seq);
            self.total += 1;
            if self.total == self.expected {
                cx.quit();
            }
        }
    }
}

#[test]
fn eight_producers_times_100k_all_arrive_once_in_order() {
    const PRODUCERS: usize = 8;
    const EACH: u64 = 100_000;
    let app = Collector {
        expected: PRODUCERS * EACH as usize,
        seen: vec![Vec::new(); PRODUCERS],
        total: 0,
    };
    let event_loop = EventLoop::new(app, headless()).unwrap();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let poster = event_loop.poster();
            thread::spawn(move || {
                for seq in 0..EACH {
                    poster.post((p, seq)).unwrap();
                }
            })
        })
        .collect();
    let app = event_loop.run().unwrap();
    for producer in producers {
        producer.join().unwrap();
    }
    for (p, seqs) in app.seen.iter().enumerate() {
        assert_eq!(
            seqs.len(),
            EACH as usize,
            "producer {p} lost or duplicated messages"
        );
        assert!(
            seqs.windows(2).all(|w| w[0] + 1 == w[1]),
            "producer {p} out of order"
        );
    }
}

/// Records the lanes it sees, and issues 100k blocking requests at start.
#[derive(Default)]
struct Flooded {
    log: Vec<&'static str>,
}

#[derive(Debug)]
enum FloodMsg {
    Done,
}

impl App for Flooded {
    type Message = FloodMsg;
    fn update(&mut self, event: Event<FloodMsg>, cx: &mut Cx<FloodMsg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for _ in 0..100_000 {
                    cx.blocking(|_| (), |_| FloodMsg::Done);
                }
            }
            Event::Input(Input::Key(_)) => self.log.push("key"),
            Event::Io(FloodMsg::Done) => self.log.push("io"),
            _ => {}
        }
    }
}

#[test]
fn a_key_press_behind_100k_io_completions_is_handled_first() {
    let mut settings = headless();
    settings.limits = LaneLimits {
        app: 1 << 16,
        io: 200_000,
    };
    let mut event_loop = EventLoop::new(Flooded::default(), settings).unwrap();
    event_loop.turn(Duration::ZERO).unwrap(); // Started: issues the requests
    let deadline = Instant::now() + Duration::from_secs(30);
    // Wait until every request's completion sits in the queue.
    while event_loop.cx().queue_depth() < event_loop.cx().requests_in_flight() {
        assert!(
            Instant::now() < deadline,
            "workers did not complete the requests: {} queued, {} in flight",
            event_loop.cx().queue_depth(),
            event_loop.cx().requests_in_flight()
        );
        thread::sleep(Duration::from_millis(5));
    }
    let before = event_loop.app().log.len();
    event_loop
        .poster()
        .post_input(Input::key_press(Key::Named(NamedKey::Enter)))
        .unwrap();
    event_loop.turn(Duration::ZERO).unwrap();
    let log = &event_loop.app().log;
    let queued_before = 100_000 - before;
    assert!(
        queued_before > 90_000,
        "the flood was not queued: {queued_before}"
    );
    let log = &log[before..];
    assert_eq!(
        log.first(),
        Some(&"key"),
        "input is served before queued IO"
    );
    let io_in_turn = log.iter().filter(|e| **e == "io").count();
    assert!(
        io_in_turn <= 1024,
        "one turn handled {io_in_turn} completions, over the budget"
    );
    assert!(event_loop
        .run_until_settled(Duration::from_secs(30))
        .unwrap());
    assert_eq!(
        event_loop.app().log.len(),
        100_001,
        "every completion arrives"
    );
}

#[derive(Default)]
struct InputLog(Vec<Input>);

impl App for InputLog {
    type Message = ();
    fn update(&mut self, event: Event<()>, _: &mut Cx<()>) {
        if let Event::Input(input) = event {
            self.0.push(input);
        }
    }
}

fn moved(x: f32) -> Input {
    Input::PointerMoved {
        position: Point::new(x, 1.0),
    }
}

#[test]
fn pointer_moves_coalesce_only_when_adjacent() {
    let mut event_loop = EventLoop::new(InputLog::default(), headless()).unwrap();
    let poster = event_loop.poster();
    let press = Input::PointerButton {
        button: PointerButton::Primary,
        state: ButtonState::Pressed,
        position: Point::new(3.0, 1.0),
    };
    for input in [
        moved(1.0),
        moved(2.0),
        moved(3.0),
        press.clone(),
        moved(4.0),
        moved(5.0),
    ] {
        poster.post_input(input).unwrap();
    }
    event_loop.turn(Duration::ZERO).unwrap();
    assert_eq!(event_loop.app().0, vec![moved(3.0), press, moved(5.0)]);
}

#[derive(Default)]
struct Panicky {
    handled: Vec<u32>,
    reports: Vec<oneloop::PanicReport>,
}

impl App for Panicky {
    type Message = u32;
    fn update(&mut self, event: Event<u32>, cx: &mut Cx<u32>) {
        match event {
            Event::App(n) if n % 1000 == 999 => panic!("message {n} is cursed"),
            Event::App(n) => {
                self.handled.push(n);
                if n == 9_998 {
                    cx.quit();
                }
            }
            Event::Lifecycle(Lifecycle::Panicked(report)) => self.reports.push(report),
            _ => {}
        }
    }
}

#[test]
fn panicking_handlers_are_reported_once_each_and_the_loop_goes_on() {
    let mut settings = headless();
    settings.describe_events = true;
    let event_loop = EventLoop::new(Panicky::default(), settings).unwrap();
    let poster = event_loop.poster();
    for n in 0..10_000 {
        poster.post(n).unwrap();
    }
    let app = event_loop.run().unwrap();
    assert_eq!(
        app.handled.len(),
        9_990,
        "every message but the cursed ones was handled"
    );
    assert_eq!(app.reports.len(), 9, "each panic reported once");
    let first = &app.reports[0];
    assert!(first.message.contains("message 999 is cursed"), "{first}");
    assert!(
        first.event.contains("999"),
        "the report names the event: {first}"
    );
    assert_eq!(first.lane, oneloop::Lane::App);
}

#[derive(Default)]
struct Idle {
    quit_seen: bool,
}

impl App for Idle {
    type Message = &'static str;
    fn update(&mut self, event: Event<&'static str>, cx: &mut Cx<&'static str>) {
        if let Event::App("quit") = event {
            self.quit_seen = true;
            cx.quit();
        }
    }
}

#[test]
fn an_idle_loop_sleeps_instead_of_polling() {
    let mut event_loop = EventLoop::new(Idle::default(), headless()).unwrap();
    let poster = event_loop.poster();
    event_loop.turn(Duration::ZERO).unwrap(); // the Started event
    let started = Instant::now();
    // A turn with nothing to do blocks in the OS for the whole wait.
    event_loop.turn(Duration::from_millis(300)).unwrap();
    let turns_before = event_loop.cx().stats().turns;
    event_loop.turn(Duration::from_millis(300)).unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "the loop returned early while idle"
    );
    assert_eq!(event_loop.cx().stats().turns, turns_before + 1);
    // And a post from another thread wakes it at once.
    let waker = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        poster.post("quit").unwrap();
    });
    let woke = Instant::now();
    let app = event_loop.run().unwrap();
    assert!(app.quit_seen);
    assert!(
        woke.elapsed() < Duration::from_secs(2),
        "the wake-up was lost or slow"
    );
    waker.join().unwrap();
}

#[test]
fn posts_after_quit_hand_the_message_back() {
    let event_loop = EventLoop::new(Idle::default(), headless()).unwrap();
    let poster = event_loop.poster();
    poster.post("quit").unwrap();
    event_loop.run().unwrap();
    assert!(poster.is_closed());
    assert_eq!(poster.post("late"), Err(oneloop::PostError::Closed("late")));
    assert_eq!(
        poster.try_post("late"),
        Err(oneloop::PostError::Closed("late"))
    );
}

/// Quits at the fifth message and counts what it sees after that.
#[derive(Default)]
struct QuitsEarly {
    seen: Vec<u32>,
}

impl App for QuitsEarly {
    type Message = u32;
    fn update(&mut self, event: Event<u32>, cx: &mut Cx<u32>) {
        if let Event::App(n) = event {
            self.seen.push(n);
            if n == 4 {
                cx.quit();
            }
        }
    }
}

#[test]
fn no_message_is_dispatched_after_the_handler_that_quit() {
    let event_loop = EventLoop::new(QuitsEarly::default(), headless()).unwrap();
    let poster = event_loop.poster();
    // All queued before the loop runs, so one turn could take them all.
    for n in 0..100 {
        poster.post(n).unwrap();
    }
    let app = event_loop.run().unwrap();
    assert_eq!(app.seen, vec![0, 1, 2, 3, 4], "messages arrived after quit");
}

/// Spends a little time on each message and remembers the deepest queue it saw.
struct SlowCounter {
    expected: usize,
    handled: usize,
    deepest: usize,
}

impl App for SlowCounter {
    type Message = u64;
    fn update(&mut self, event: Event<u64>, cx: &mut Cx<u64>) {
        if let Event::App(_) = event {
            self.handled += 1;
            self.deepest = self.deepest.max(cx.queue_depth());
            let until = Instant::now() + Duration::from_micros(2);
            while Instant::now() < until {
                std::hint::spin_loop();
            }
            if self.handled == self.expected {
                cx.quit();
            }
        }
    }
}

#[test]
fn eight_flooding_producers_never_queue_more_than_the_lane_limit() {
    const PRODUCERS: usize = 8;
    const EACH: u64 = 20_000;
    const LIMIT: usize = 1024;
    let mut settings = headless();
    settings.limits = LaneLimits {
        app: LIMIT,
        io: 4096,
    };
    let app = SlowCounter {
        expected: PRODUCERS * EACH as usize,
        handled: 0,
        deepest: 0,
    };
    let event_loop = EventLoop::new(app, settings).unwrap();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|_| {
            let poster = event_loop.poster();
            thread::spawn(move || (0..EACH).all(|i| poster.post(i).is_ok()))
        })
        .collect();
    let app = event_loop.run().unwrap();
    for producer in producers {
        assert!(producer.join().unwrap(), "a post was handed back");
    }
    assert_eq!(app.handled, PRODUCERS * EACH as usize);
    // Posters take slots in chunks, but a chunk counts against the limit
    // from the moment it is taken, so the bound is the limit itself.
    assert!(
        app.deepest <= LIMIT,
        "{} messages queued, limit {LIMIT}",
        app.deepest
    );
    assert!(app.deepest > LIMIT / 2, "the flood never filled the lane");
}

#[test]
fn try_post_is_full_only_when_the_lane_is_full_of_messages() {
    const LIMIT: usize = 4096;
    let mut settings = headless();
    settings.limits = LaneLimits {
        app: LIMIT,
        io: 4096,
    };
    let idle = SlowCounter {
        expected: usize::MAX,
        handled: 0,
        deepest: 0,
    };
    // The loop never turns: whatever is posted stays queued.
    let mut event_loop = EventLoop::new(idle, settings).unwrap();
    // A hundred posters post once and stay alive, each holding the rest of
    // the chunk it took as credit.
    let quiet: Vec<_> = (0..100).map(|_| event_loop.poster()).collect();
    for poster in &quiet {
        poster.try_post(0).unwrap();
    }
    let flooder = event_loop.poster();
    let mut accepted = 0;
    while flooder.try_post(1).is_ok() {
        accepted += 1;
    }
    assert_eq!(
        accepted,
        LIMIT - quiet.len(),
        "the quiet posters' unspent credit kept room from the flooder"
    );
    assert_eq!(event_loop.cx().queue_depth(), LIMIT);
}

/// Issues, at start, a blocking job that ignores cancellation and tells the
/// test when it runs; quits at the message "quit". So `run()` spends the
/// job's length winding down its worker pool after the loop has quit.
struct SlowToStop {
    job_started: Option<std::sync::mpsc::Sender<()>>,
}

impl App for SlowToStop {
    type Message = &'static str;
    fn update(&mut self, event: Event<&'static str>, cx: &mut Cx<&'static str>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                if let Some(started) = self.job_started.take() {
                    cx.blocking(
                        move |_| {
                            let _ = started.send(());
                            thread::sleep(Duration::from_millis(700));
                        },
                        |_| "job done",
                    );
                }
            }
            Event::App("quit") => cx.quit(),
            _ => {}
        }
    }
}

#[test]
fn a_post_while_run_winds_down_hands_the_message_back() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let app = SlowToStop {
        job_started: Some(started_tx),
    };
    let event_loop = EventLoop::new(app, headless()).unwrap();
    let poster = event_loop.poster();
    let returned = Arc::new(AtomicBool::new(false));
    let late = {
        let returned = Arc::clone(&returned);
        thread::spawn(move || {
            started_rx.recv_timeout(Duration::from_secs(10)).unwrap();
            // This post takes a chunk of admission credit, so the next one
            // spends credit without touching the shared counter.
            poster.post("quit").unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            while !poster.is_closed() {
                assert!(Instant::now() < deadline, "the loop never closed");
                thread::sleep(Duration::from_millis(1));
            }
            let result = poster.post("late");
            (result, returned.load(Ordering::SeqCst))
        })
    };
    event_loop.run().unwrap();
    returned.store(true, Ordering::SeqCst);
    let (result, run_had_returned) = late.join().unwrap();
    assert!(
        !run_had_returned,
        "run() returned before the late post, so it did not post during shutdown"
    );
    assert_eq!(result, Err(oneloop::PostError::Closed("late")));
}

/// Starts a producer that posts 0, 1, 2, .. until a post fails, and sends
/// back the error; waits until it fills the lane (the loop never turns).
fn park_a_producer<A: App<Message = u32>>(
    event_loop: &mut EventLoop<A>,
    limit: usize,
) -> std::sync::mpsc::Receiver<oneloop::PostError<u32>> {
    let poster = event_loop.poster();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for n in 0.. {
            if let Err(e) = poster.post(n) {
                let _ = tx.send(e);
                return;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while event_loop.cx().queue_depth() < limit {
        assert!(
            Instant::now() < deadline,
            "the producer never filled the lane"
        );
        thread::sleep(Duration::from_millis(1));
    }
    // Long enough for the producer to go from a failed admission to waiting.
    thread::sleep(Duration::from_millis(100));
    rx
}

fn small_lanes() -> Settings {
    let mut settings = headless();
    settings.limits = LaneLimits { app: 4, io: 64 };
    settings
}

#[test]
fn dropping_the_loop_hands_a_parked_post_back() {
    let mut event_loop = EventLoop::new(QuitsEarly::default(), small_lanes()).unwrap();
    let handed_back = park_a_producer(&mut event_loop, 4);
    drop(event_loop);
    assert_eq!(
        handed_back.recv_timeout(Duration::from_secs(2)),
        Ok(oneloop::PostError::Closed(4)),
        "the producer was still waiting after the loop was dropped"
    );
}

#[test]
fn a_run_that_fails_hands_a_parked_post_back() {
    use oneloop::calloop::generic::Generic;
    use oneloop::calloop::{Interest, Mode};
    let mut event_loop = EventLoop::new(QuitsEarly::default(), small_lanes()).unwrap();
    // A source that is ready at once and fails: `run()` returns its error.
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.send_to(b"x", socket.local_addr().unwrap()).unwrap();
    let source = Generic::new(socket, Interest::READ, Mode::Level);
    event_loop
        .cx()
        .insert_source(source, |_, _, _| {
            Err(std::io::Error::other("this source always fails"))
        })
        .unwrap();
    let handed_back = park_a_producer(&mut event_loop, 4);
    assert!(
        event_loop.run().is_err(),
        "the failing source did not stop run()"
    );
    assert_eq!(
        handed_back.recv_timeout(Duration::from_secs(2)),
        Ok(oneloop::PostError::Closed(4)),
        "the producer was still waiting after run() failed"
    );
}

/// Counts the app messages it handles.
#[derive(Default)]
struct Counts(usize);

impl App for Counts {
    type Message = u32;
    fn update(&mut self, event: Event<u32>, _: &mut Cx<u32>) {
        if let Event::App(_) = event {
            self.0 += 1;
        }
    }
}

#[test]
fn a_turn_handles_exactly_the_message_budget() {
    let mut settings = headless();
    settings.budget = oneloop::Budget {
        messages: 100,
        time: Duration::from_secs(60),
    };
    let mut event_loop = EventLoop::new(Counts::default(), settings).unwrap();
    let poster = event_loop.poster();
    for n in 0..1000 {
        poster.post(n).unwrap();
    }
    for turn in 1..=10 {
        event_loop.turn(Duration::ZERO).unwrap();
        assert_eq!(
            event_loop.app().0,
            turn * 100,
            "turn {turn} overshot or fell short"
        );
    }
}
