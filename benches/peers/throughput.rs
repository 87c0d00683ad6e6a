//! Throughput: small messages from 1 or 8 producer threads into a handler on
//! the consuming thread that sums them, until the last one arrived.

use std::sync::{Arc, Barrier};
use std::time::Instant;

use oneloop::{App, Cx, Event, EventLoop, Settings};

use crate::report::{Better, Cell, Clause, Row};
use crate::work::{join_all, spawn_producers, Tally};
use crate::{children, interleave, Config, Run};

/// How many messages a run sends.
pub fn messages(config: &Config) -> u64 {
    if config.quick {
        200_000
    } else {
        1_000_000
    }
}

/// One row: every subject with `producers` producer threads.
pub fn row(config: &Config, producers: usize) -> Row {
    let n = messages(config);
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = vec![
        (
            "oneloop",
            Box::new(move || oneloop(n, producers, Settings::headless())),
        ),
        ("crossbeam", Box::new(move || crossbeam(n, producers))),
        ("mpsc", Box::new(move || mpsc(n, producers))),
        ("calloop", Box::new(move || calloop(n, producers))),
        (
            "winit",
            Box::new(move || winit(&config.display, n, producers)),
        ),
    ];
    let name = format!(
        "throughput, {producers} producer{}",
        if producers == 1 { "" } else { "s" }
    );
    let mut cells = interleave(&name, config.repetitions, &mut subjects).into_iter();
    let mut next = || Cell::from_outcomes(cells.next().unwrap_or_default());
    let row = Row::new(name, "M msg/s", Better::Higher, next())
        .peer("crossbeam", next())
        .peer("mpsc", next())
        .peer("calloop", next())
        .peer("winit", next());
    let ten_times = [
        Clause::RatioAtLeast("calloop", 10.0),
        Clause::RatioAtLeast("winit", 10.0),
    ];
    if producers >= 8 {
        let mut clauses = vec![Clause::RatioAtLeast("crossbeam", 0.9)];
        clauses.extend(ten_times);
        row.goal("≥0.9× crossbeam, ≥10× calloop & winit", clauses)
    } else {
        row.goal("≥10× calloop & winit", ten_times.to_vec())
    }
}

/// Sums the messages; quits after the last.
struct Summer(Tally);

impl App for Summer {
    type Message = u64;

    fn update(&mut self, event: Event<u64>, cx: &mut Cx<u64>) {
        if let Event::App(value) = event {
            if self.0.add(value) {
                cx.quit();
            }
        }
    }
}

/// `Poster::post` into a headless `EventLoop::run` with `settings`.
pub fn oneloop(n: u64, producers: usize, settings: Settings) -> Result<f64, String> {
    let event_loop = EventLoop::new(Summer(Tally::new(n)), settings).map_err(|e| e.to_string())?;
    let poster = event_loop.poster();
    let start = Arc::new(Barrier::new(producers + 1));
    let threads = spawn_producers(producers, n, &start, move |v| poster.post(v).is_ok());
    start.wait();
    let started = Instant::now();
    let app = event_loop.run().map_err(|e| e.to_string())?;
    join_all(threads)?;
    app.0.throughput(started)
}

/// A raw unbounded crossbeam channel: send + recv, no loop at all. The
/// floor that any loop built on it can only approach.
fn crossbeam(n: u64, producers: usize) -> Result<f64, String> {
    let (tx, rx) = crossbeam_channel::unbounded();
    bare_channel(
        n,
        producers,
        move |v| tx.send(v).is_ok(),
        move || rx.recv().ok(),
    )
}

/// `std::sync::mpsc`, the channel everyone has.
fn mpsc(n: u64, producers: usize) -> Result<f64, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    bare_channel(
        n,
        producers,
        move |v| tx.send(v).is_ok(),
        move || rx.recv().ok(),
    )
}

/// `producers` threads `send` n values in all; this thread `recv`s them.
fn bare_channel<S>(
    n: u64,
    producers: usize,
    send: S,
    mut recv: impl FnMut() -> Option<u64>,
) -> Result<f64, String>
where
    S: Fn(u64) -> bool + Clone + Send + 'static,
{
    let start = Arc::new(Barrier::new(producers + 1));
    let threads = spawn_producers(producers, n, &start, send);
    start.wait();
    let started = Instant::now();
    let mut tally = Tally::new(n);
    while let Some(value) = recv() {
        if tally.add(value) {
            break;
        }
    }
    join_all(threads)?;
    tally.throughput(started)
}

/// A calloop `EventLoop` dispatching a `calloop::channel` source (which
/// rings its ping on every send).
fn calloop(n: u64, producers: usize) -> Result<f64, String> {
    let mut event_loop: calloop::EventLoop<'_, Tally> =
        calloop::EventLoop::try_new().map_err(|e| e.to_string())?;
    let (tx, channel) = calloop::channel::channel::<u64>();
    event_loop
        .handle()
        .insert_source(channel, |event, _, tally: &mut Tally| {
            if let calloop::channel::Event::Msg(value) = event {
                tally.add(value);
            }
        })
        .map_err(|e| e.error.to_string())?;
    let start = Arc::new(Barrier::new(producers + 1));
    let threads = spawn_producers(producers, n, &start, move |v| tx.send(v).is_ok());
    start.wait();
    let started = Instant::now();
    let mut tally = Tally::new(n);
    while tally.done.is_none() {
        event_loop
            .dispatch(None, &mut tally)
            .map_err(|e| e.to_string())?;
    }
    join_all(threads)?;
    tally.throughput(started)
}

/// winit's `EventLoopProxy::send_event` → `user_event`, in a child process.
fn winit(display: &children::Display, n: u64, producers: usize) -> Result<f64, String> {
    let args = [
        "winit-throughput".to_owned(),
        n.to_string(),
        producers.to_string(),
    ];
    let line = children::run(Some(display), &args)?;
    line.trim()
        .parse()
        .map_err(|_| format!("failed: unreadable figure {line:?}"))
}
