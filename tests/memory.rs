//! Bounded memory under floods: a pointer storm, a million timer
//! insert/cancel cycles, and a child printing a gibibyte to a slow app.
//!
//! Memory is the process's resident set (`VmRSS`), so this file is a test
//! binary of its own and its tests take turns: nothing else allocates while
//! one measures. The soak versions (`cargo test --release -- --ignored
//! soak`) run the storm for 10 s and push the whole gibibyte through.

// The resident set is read from Linux's /proc, and the child is `sh`.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use oneloop::io::process::{ProcessEvent, ProcessHandle};
use oneloop::{App, Cx, Event, EventLoop, Input, Lifecycle, Point, Settings};

/// One measurement at a time.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn vm_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kib: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib / 1024.0
}

fn headless() -> Settings {
    let mut settings = Settings::headless();
    settings.system_fonts = false;
    settings.io_threads = 1;
    settings
}

// ---- pointer storm ----------------------------------------------------------

/// Spends a little time on every move, so the storm outpaces it: without
/// coalescing, moves would pile up.
#[derive(Default)]
struct SlowPointer {
    moves: u64,
    max_depth: usize,
}

impl App for SlowPointer {
    type Message = ();
    fn update(&mut self, event: Event<()>, cx: &mut Cx<()>) {
        if let Event::Input(Input::PointerMoved { .. }) = event {
            self.moves += 1;
            self.max_depth = self.max_depth.max(cx.queue_depth());
            let until = Instant::now() + Duration::from_micros(250);
            while Instant::now() < until {
                std::hint::spin_loop();
            }
        }
    }
}

/// Posts 8 moves every millisecond (8,000 Hz) for `length`; returns how many.
fn storm(poster: oneloop::Poster<()>, length: Duration) -> u64 {
    let started = Instant::now();
    let mut posted = 0u64;
    let mut tick = 0u32;
    while started.elapsed() < length {
        for _ in 0..8 {
            let position = Point::new((posted % 800) as f32, 300.0);
            poster.post_input(Input::PointerMoved { position }).unwrap();
            posted += 1;
        }
        tick += 1;
        let next = started + Duration::from_millis(1) * tick;
        thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    posted
}

fn pointer_storm(length: Duration) {
    let _serial = serial();
    let mut event_loop = EventLoop::new(SlowPointer::default(), headless()).unwrap();
    let poster = event_loop.poster();
    let storming = thread::spawn(move || storm(poster, length));
    // Warm up: the first moves bring the loop's working set in.
    let warm = Instant::now() + Duration::from_millis(300);
    while Instant::now() < warm {
        event_loop.turn(Duration::from_millis(5)).unwrap();
    }
    let baseline = vm_rss_mib();
    let mut peak = baseline;
    while !storming.is_finished() {
        event_loop.turn(Duration::from_millis(5)).unwrap();
        peak = peak.max(vm_rss_mib());
    }
    let posted = storming.join().unwrap();
    assert!(event_loop
        .run_until_settled(Duration::from_secs(5))
        .unwrap());
    let app = event_loop.app();
    let growth = peak - baseline;
    eprintln!(
        "pointer storm {length:?}: {posted} moves posted, {} handled, deepest queue {}, RSS {growth:+.2} MiB",
        app.moves, app.max_depth
    );
    assert!(
        posted as f64 >= 8000.0 * length.as_secs_f64() * 0.5,
        "the storm was too weak: {posted}"
    );
    assert!(growth < 10.0, "memory grew by {growth:.1} MiB");
    assert!(
        app.max_depth < 1000,
        "moves piled up: {} queued",
        app.max_depth
    );
    assert!(app.moves < posted, "nothing was coalesced");
}

#[test]
fn an_8000_hz_pointer_storm_for_3_s_keeps_memory_flat() {
    pointer_storm(Duration::from_secs(3));
}

#[test]
#[ignore = "a soak; run with `cargo test --release -- --ignored soak`"]
fn soak_pointer_storm_for_10_s() {
    pointer_storm(Duration::from_secs(10));
}

// ---- timers -----------------------------------------------------------------

struct Idle;

impl App for Idle {
    type Message = u32;
    fn update(&mut self, _: Event<u32>, _: &mut Cx<u32>) {}
}

#[test]
fn a_million_timer_insert_cancel_cycles_leave_memory_flat() {
    let _serial = serial();
    let mut event_loop = EventLoop::new(Idle, headless()).unwrap();
    // A live timer due before the cancelled ones, as an app's clock tick
    // would be: cancelled entries behind it cannot simply fall off the top.
    event_loop.cx().after(Duration::from_secs(60), 0);
    let cycles = |n: u32, event_loop: &mut EventLoop<Idle>| {
        for batch in 0..n / 10_000 {
            let cx = event_loop.cx();
            for i in 0..10_000 {
                let id = cx.after(Duration::from_secs(3600), batch * 10_000 + i);
                assert!(cx.cancel_timer(id));
            }
            event_loop.turn(Duration::ZERO).unwrap();
        }
    };
    cycles(100_000, &mut event_loop);
    let baseline = vm_rss_mib();
    cycles(900_000, &mut event_loop);
    let growth = vm_rss_mib() - baseline;
    eprintln!("1,000,000 timer insert/cancel cycles: RSS {growth:+.2} MiB after the first 100,000");
    assert_eq!(
        event_loop.cx().timers_pending(),
        1,
        "only the live timer is left"
    );
    assert!(growth < 2.0, "memory grew by {growth:.1} MiB");
}

// ---- a gibibyte of child output ---------------------------------------------

const GIB_SCRIPT: &str = r"head -c 1G /dev/zero | tr '\0' x | fold -w 100";

/// Takes `per_line` for every line (a slow app when nonzero), and kills the
/// child after `kill_after` if given.
struct Reader {
    per_line: Duration,
    kill_after: Option<Duration>,
    started: Option<Instant>,
    handle: Option<ProcessHandle>,
    lines: u64,
    bytes: u64,
    max_depth: usize,
    exited: Option<std::process::ExitStatus>,
    killed: Arc<AtomicBool>,
}

impl Reader {
    fn new(per_line: Duration, kill_after: Option<Duration>) -> Self {
        Self {
            per_line,
            kill_after,
            started: None,
            handle: None,
            lines: 0,
            bytes: 0,
            max_depth: 0,
            exited: None,
            killed: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl App for Reader {
    type Message = ProcessEvent;
    fn update(&mut self, event: Event<ProcessEvent>, cx: &mut Cx<ProcessEvent>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                let mut command = Command::new("sh");
                command.args(["-c", GIB_SCRIPT]);
                self.handle = Some(cx.spawn_process(command, |e| e).unwrap());
                self.started = Some(Instant::now());
            }
            Event::Io(ProcessEvent::Stdout(line)) => {
                self.lines += 1;
                self.bytes += line.len() as u64;
                self.max_depth = self.max_depth.max(cx.queue_depth());
                if !self.per_line.is_zero() {
                    thread::sleep(self.per_line);
                }
                let due = self.kill_after.zip(self.started);
                if due.is_some_and(|(after, at)| at.elapsed() >= after)
                    && !self.killed.swap(true, Ordering::SeqCst)
                {
                    self.handle.as_ref().unwrap().kill().unwrap();
                }
            }
            Event::Io(ProcessEvent::Exited(status)) => {
                self.exited = Some(status);
                cx.quit();
            }
            _ => {}
        }
    }
}

/// Runs `app`, sampling memory each turn; returns the app and the growth in
/// MiB over the first half second.
fn run_sampled(app: Reader, limit: Duration) -> (Reader, f64) {
    let mut event_loop = EventLoop::new(app, headless()).unwrap();
    let started = Instant::now();
    let mut baseline = None;
    let mut peak = 0.0f64;
    while !event_loop.is_quitting() {
        assert!(started.elapsed() < limit, "the child did not finish");
        event_loop.turn(Duration::from_millis(10)).unwrap();
        let rss = vm_rss_mib();
        if started.elapsed() >= Duration::from_millis(500) {
            baseline.get_or_insert(rss);
        }
        peak = peak.max(rss);
    }
    let growth = peak - baseline.unwrap_or(peak);
    (event_loop.shutdown(), growth)
}

#[test]
fn a_gibibyte_printed_to_a_slow_app_is_paused_not_buffered() {
    let _serial = serial();
    // About 20,000 lines a second at most, against a child that could print
    // hundreds of megabytes a second: for 3 s, then the child is killed.
    let app = Reader::new(Duration::from_micros(50), Some(Duration::from_secs(3)));
    let (app, growth) = run_sampled(app, Duration::from_secs(30));
    eprintln!(
        "slow reader: {} lines ({:.1} MiB) in 3 s, deepest queue {}, RSS {growth:+.2} MiB",
        app.lines,
        app.bytes as f64 / (1 << 20) as f64,
        app.max_depth
    );
    assert!(app.lines > 1_000, "the reader hardly read: {}", app.lines);
    assert!(growth < 10.0, "memory grew by {growth:.1} MiB");
    // The IO lane's limit (4,096) plus what one read may bring in.
    assert!(
        app.max_depth < 4_096 + 2_000,
        "the queue grew to {}",
        app.max_depth
    );
    assert!(app.exited.is_some());
}

#[test]
#[ignore = "a soak; run with `cargo test --release -- --ignored soak`"]
fn soak_a_gibibyte_of_child_output_read_whole() {
    let _serial = serial();
    let app = Reader::new(Duration::ZERO, None);
    let started = Instant::now();
    let (app, growth) = run_sampled(app, Duration::from_secs(600));
    eprintln!(
        "whole gibibyte: {} lines in {:.1} s, deepest queue {}, RSS {growth:+.2} MiB",
        app.lines,
        started.elapsed().as_secs_f64(),
        app.max_depth
    );
    // fold breaks 1 GiB of x into lines of 100 (and a last one of 24).
    assert_eq!(app.bytes, 1 << 30, "bytes lost or added");
    assert_eq!(app.lines, (1 << 30) / 100 + 1);
    assert!(app.exited.unwrap().success());
    assert!(growth < 10.0, "memory grew by {growth:.1} MiB");
}
