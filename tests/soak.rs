//! Many producers, millions of messages: nothing lost, nothing doubled, each
//! producer's order kept, whether a producer waits (`post`) or retries what
//! a full lane handed back (`try_post`).
//!
//! The short run is part of every `cargo test`. The soak repeats rounds of
//! 8 × 1,000,000 messages through one loop for `ONELOOP_SOAK_SECS` seconds
//! (default 120): `cargo test --release -- --ignored soak`.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::thread;
use std::time::{Duration, Instant};

use oneloop::{App, Cx, Event, EventLoop, LaneLimits, PostError, Poster, Settings};

const PRODUCERS: usize = 8;

/// Checks order on the fly instead of storing millions of messages.
struct Tally {
    next: Vec<u64>,
    total: u64,
    out_of_order: u64,
}

impl Tally {
    fn new() -> Self {
        Self {
            next: vec![0; PRODUCERS],
            total: 0,
            out_of_order: 0,
        }
    }
}

impl App for Tally {
    type Message = (usize, u64);
    fn update(&mut self, event: Event<(usize, u64)>, _: &mut Cx<(usize, u64)>) {
        if let Event::App((producer, seq)) = event {
            if self.next[producer] != seq {
                self.out_of_order += 1;
            }
            self.next[producer] = seq + 1;
            self.total += 1;
        }
    }
}

/// What the producers of one round saw.
#[derive(Debug, Default, Clone, Copy)]
struct Handbacks {
    /// `try_post` found the lane full and handed the message back.
    full: u64,
}

/// Even producers use `post` (waiting while the lane is full); odd ones use
/// `try_post` and post again what was handed back. Sequence numbers
/// continue from `first` so every round checks order afresh.
fn spawn_producers(
    poster: &Poster<(usize, u64)>,
    first: u64,
    each: u64,
) -> Vec<thread::JoinHandle<Handbacks>> {
    (0..PRODUCERS)
        .map(|p| {
            let poster = poster.clone();
            thread::spawn(move || {
                let mut seen = Handbacks::default();
                for seq in first..first + each {
                    if p % 2 == 0 {
                        poster.post((p, seq)).unwrap();
                        continue;
                    }
                    let mut msg = (p, seq);
                    loop {
                        match poster.try_post(msg) {
                            Ok(()) => break,
                            Err(PostError::Full(back)) => {
                                seen.full += 1;
                                msg = back;
                                thread::yield_now();
                            }
                            Err(PostError::Closed(_)) => panic!("the loop closed mid-run"),
                        }
                    }
                }
                seen
            })
        })
        .collect()
}

/// Turn the loop until `target` messages arrived; panics if it stalls.
fn drive(event_loop: &mut EventLoop<Tally>, target: u64, stall: Duration) {
    let mut last_total = event_loop.app().total;
    let mut last_progress = Instant::now();
    while event_loop.app().total < target {
        event_loop.turn(Duration::from_millis(10)).unwrap();
        let total = event_loop.app().total;
        if total != last_total {
            (last_total, last_progress) = (total, Instant::now());
        }
        assert!(
            last_progress.elapsed() < stall,
            "stalled at {total} of {target} messages"
        );
    }
}

fn settings(app_limit: usize) -> Settings {
    let mut settings = Settings::headless();
    settings.system_fonts = false;
    settings.limits = LaneLimits {
        app: app_limit,
        io: 4096,
    };
    settings
}

fn vm_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kib: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib / 1024.0
}

/// Run rounds until `rounds` are done or `until` passes (whichever first,
/// at least one round), checking each round. Returns rounds run and hand-backs.
fn run_rounds(
    event_loop: &mut EventLoop<Tally>,
    each: u64,
    rounds: u64,
    until: Instant,
) -> (u64, u64) {
    let poster = event_loop.poster();
    let (mut done, mut full) = (0, 0);
    while done < rounds && (done == 0 || Instant::now() < until) {
        // Sequence numbers go on from where the last round ended.
        let first = event_loop.app().next[0];
        let producers = spawn_producers(&poster, first, each);
        let target = event_loop.app().total + each * PRODUCERS as u64;
        drive(event_loop, target, Duration::from_secs(30));
        for producer in producers {
            full += producer.join().unwrap().full;
        }
        let app = event_loop.app();
        assert_eq!(app.total, target, "messages lost or doubled");
        assert_eq!(app.out_of_order, 0, "a producer's order was broken");
        assert!(app.next.iter().all(|n| *n == first + each));
        done += 1;
    }
    // Nothing may trail in after the count was reached.
    let total = event_loop.app().total;
    event_loop.turn(Duration::from_millis(20)).unwrap();
    assert_eq!(event_loop.app().total, total, "messages arrived twice");
    assert_eq!(event_loop.cx().queue_depth(), 0);
    (done, full)
}

#[test]
fn eight_producers_times_200k_mixing_post_and_try_post_lose_nothing() {
    // A small lane limit, so producers really wait and really get hand-backs.
    let mut event_loop = EventLoop::new(Tally::new(), settings(1024)).unwrap();
    let far = Instant::now() + Duration::from_secs(3600);
    let (rounds, full) = run_rounds(&mut event_loop, 200_000, 1, far);
    assert_eq!(rounds, 1);
    eprintln!("1,600,000 messages delivered once and in order; {full} try_post hand-backs");
}

#[test]
#[ignore = "a soak: minutes long; run with `cargo test --release -- --ignored soak`"]
fn soak_eight_producers_times_a_million_repeated() {
    let secs: u64 = std::env::var("ONELOOP_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    let mut event_loop = EventLoop::new(Tally::new(), settings(1 << 16)).unwrap();
    // One round first, so the memory baseline includes the channels' working set.
    run_rounds(&mut event_loop, 1_000_000, 1, until);
    let rss_after_first = vm_rss_mib();
    let (rounds, full) = run_rounds(&mut event_loop, 1_000_000, u64::MAX, until);
    let growth = vm_rss_mib() - rss_after_first;
    let messages = (rounds + 1) * 8_000_000;
    eprintln!(
        "soak: {messages} messages in {:.0} s, all delivered once and in order; \
         {full} try_post hand-backs; RSS {growth:+.1} MiB after the first round",
        started.elapsed().as_secs_f64()
    );
    assert!(
        growth < 64.0,
        "memory grew by {growth:.1} MiB over the soak"
    );
}
