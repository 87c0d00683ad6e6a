//! Input latency under an IO flood: a producer posts ~200,000 messages a
//! second, each costing its handler ~5 µs of work (more than one thread can
//! keep up with), while another thread presses a key every 10 ms. What does
//! the key wait?
//!
//! The naive peer is one FIFO carrying both kinds in arrival order: a key
//! waits behind the whole backlog, which grows for as long as the flood
//! lasts, so its figure depends on the run's length. oneloop serves input
//! before app messages and bounds each turn, so its figure should not.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use oneloop::{App, Cx, Event, EventLoop, Input, Key, Settings};

use crate::report::{Better, Clause, Row};
use crate::work::{join_all, spawn_flood, spawn_keys, spin, Percentiles};
use crate::{interleave, Config, Run};

const FLOOD_PER_SECOND: f64 = 200_000.0;
const WORK_PER_MESSAGE: Duration = Duration::from_micros(5);
const KEY_INTERVAL: Duration = Duration::from_millis(10);

/// Three rows (p50, p99, max of the key latency) from the same runs.
pub fn rows(config: &Config) -> Vec<Row> {
    let keys = if config.quick { 100 } else { 500 };
    let mut subjects: Vec<(&'static str, Run<'_, Percentiles>)> = vec![
        ("oneloop", Box::new(move || oneloop(keys))),
        ("naive_fifo", Box::new(move || naive_fifo(keys))),
    ];
    let runs = interleave("key latency under flood", config.repetitions, &mut subjects);
    let column = |subject, pick| Percentiles::cell(&runs, subject, pick);
    let row = |name: &str, pick: fn(&Percentiles) -> f64| {
        Row::new(name, "ms", Better::Lower, column(0, pick)).peer("naive_fifo", column(1, pick))
    };
    vec![
        row("key under flood p50", |p| p.p50),
        row("key under flood p99", |p| p.p99).goal("<5 ms", vec![Clause::Below(5.0)]),
        row("key under flood max", |p| p.max),
    ]
}

/// Milliseconds from each key's send to its handler, matched by number.
fn key_latencies(
    sent: &[Instant],
    handled: &[(usize, Instant)],
    keys: usize,
) -> Result<Percentiles, String> {
    if handled.len() != keys || sent.len() != keys {
        return Err(format!("failed: {} of {keys} keys handled", handled.len()));
    }
    let mut millis = Vec::with_capacity(keys);
    for &(seq, at) in handled {
        let sent = sent
            .get(seq)
            .ok_or("failed: a key number that was never sent")?;
        millis.push(at.duration_since(*sent).as_secs_f64() * 1e3);
    }
    Ok(Percentiles::of(millis))
}

/// Works through the flood; notes when each key arrives.
struct Flooded {
    keys: usize,
    handled: Vec<(usize, Instant)>,
}

impl App for Flooded {
    type Message = u64;

    fn update(&mut self, event: Event<u64>, cx: &mut Cx<u64>) {
        match event {
            Event::App(_) => spin(WORK_PER_MESSAGE),
            Event::Input(Input::Key(key)) => {
                let at = Instant::now();
                if let Key::Character(seq) = &key.key {
                    if let Ok(seq) = seq.parse() {
                        self.handled.push((seq, at));
                    }
                }
                if self.handled.len() >= self.keys {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

fn oneloop(keys: usize) -> Result<Percentiles, String> {
    let app = Flooded {
        keys,
        handled: Vec::with_capacity(keys),
    };
    let event_loop = EventLoop::new(app, Settings::headless()).map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    let poster = event_loop.poster();
    let flood = spawn_flood(FLOOD_PER_SECOND, Arc::clone(&stop), move |v| {
        poster.post(v).is_ok()
    });
    let poster = event_loop.poster();
    let keys_sent = spawn_keys(keys, KEY_INTERVAL, move |seq| {
        poster
            .post_input(Input::key_press(Key::Character(seq.to_string())))
            .is_ok()
    });
    let outcome = event_loop.run().map_err(|e| e.to_string());
    stop.store(true, Ordering::Relaxed);
    let sent = join_all(vec![keys_sent])?.concat();
    join_all(vec![flood])?;
    key_latencies(&sent, &outcome?.handled, keys)
}

/// What the naive FIFO carries: both kinds in one channel.
enum Item {
    Io,
    Key(usize),
}

/// One unbounded crossbeam channel, one consumer, strict arrival order.
fn naive_fifo(keys: usize) -> Result<Percentiles, String> {
    let (tx, rx) = crossbeam_channel::unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let io_tx = tx.clone();
    let flood = spawn_flood(FLOOD_PER_SECOND, Arc::clone(&stop), move |_| {
        io_tx.send(Item::Io).is_ok()
    });
    let keys_sent = spawn_keys(keys, KEY_INTERVAL, move |seq| {
        tx.send(Item::Key(seq)).is_ok()
    });
    let mut handled = Vec::with_capacity(keys);
    while handled.len() < keys {
        match rx.recv() {
            Ok(Item::Io) => spin(WORK_PER_MESSAGE),
            Ok(Item::Key(seq)) => handled.push((seq, Instant::now())),
            Err(_) => break,
        }
    }
    stop.store(true, Ordering::Relaxed);
    drop(rx);
    let sent = join_all(vec![keys_sent])?.concat();
    join_all(vec![flood])?;
    key_latencies(&sent, &handled, keys)
}
