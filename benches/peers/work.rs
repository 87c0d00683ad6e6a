//! The workloads every subject runs alike: producers of numbered messages, a
//! paced sender, a flood, busy work, and the tallies a consumer keeps.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::report::{quantile, Cell};

/// What a throughput consumer keeps: a sum that proves nothing was lost or
/// duplicated, and when the last message arrived.
#[derive(Debug)]
pub struct Tally {
    expected: u64,
    count: u64,
    sum: u64,
    /// When the last expected message was handled.
    pub done: Option<Instant>,
}

impl Tally {
    /// A tally waiting for the messages `0..expected`.
    pub fn new(expected: u64) -> Tally {
        Tally {
            expected,
            count: 0,
            sum: 0,
            done: None,
        }
    }

    /// Counts one message; `true` when it was the last one.
    pub fn add(&mut self, value: u64) -> bool {
        self.sum = self.sum.wrapping_add(value);
        self.count += 1;
        let last = self.count == self.expected;
        if last {
            self.done = Some(Instant::now());
        }
        last
    }

    /// Million messages per second since `start`, once every message arrived
    /// exactly once.
    pub fn throughput(&self, start: Instant) -> Result<f64, String> {
        let n = self.expected;
        let want = n.wrapping_mul(n.wrapping_sub(1)) / 2;
        if self.count != n || self.sum != want {
            return Err(format!(
                "lost or duplicated messages: {} of {n} arrived",
                self.count
            ));
        }
        let done = self.done.ok_or("the last message never arrived")?;
        Ok(n as f64 / done.duration_since(start).as_secs_f64() / 1e6)
    }
}

/// Starts `producers` threads that together send `0..n` (producer `k` sends
/// `k`, `k + producers`, ...) as soon as `start` releases them. `send`
/// returns `false` when the receiving side is gone.
pub fn spawn_producers<F>(
    producers: usize,
    n: u64,
    start: &Arc<Barrier>,
    send: F,
) -> Vec<JoinHandle<()>>
where
    F: Fn(u64) -> bool + Clone + Send + 'static,
{
    (0..producers as u64)
        .map(|first| {
            let (send, start) = (send.clone(), Arc::clone(start));
            let step = producers as u64;
            thread::spawn(move || {
                start.wait();
                let mut value = first;
                while value < n && send(value) {
                    value += step;
                }
            })
        })
        .collect()
}

/// Joins helper threads, turning a panic into an error for the cell.
pub fn join_all<T>(threads: Vec<JoinHandle<T>>) -> Result<Vec<T>, String> {
    threads
        .into_iter()
        .map(|t| t.join().map_err(|_| "a helper thread panicked".to_owned()))
        .collect()
}

/// Sleeps until `when` (returns at once if it has passed).
pub fn sleep_until(when: Instant) {
    if let Some(left) = when.checked_duration_since(Instant::now()) {
        thread::sleep(left);
    }
}

/// Sends `n` messages, the `i`-th at `start + (i + 1) * interval` on an
/// absolute schedule (a late message does not push the later ones back).
/// Each message is the instant it was sent.
pub fn spawn_paced<F>(n: usize, interval: Duration, mut send: F) -> JoinHandle<()>
where
    F: FnMut(Instant) -> bool + Send + 'static,
{
    thread::spawn(move || {
        let start = Instant::now();
        for i in 1..=n as u32 {
            sleep_until(start + interval * i);
            if !send(Instant::now()) {
                return;
            }
        }
    })
}

/// Sends `n` key presses numbered `0..n`, one every `interval`, and returns
/// when each was sent, indexed by its number.
pub fn spawn_keys<F>(n: usize, interval: Duration, mut send: F) -> JoinHandle<Vec<Instant>>
where
    F: FnMut(usize) -> bool + Send + 'static,
{
    thread::spawn(move || {
        let start = Instant::now();
        let mut sent = Vec::with_capacity(n);
        for seq in 0..n {
            sleep_until(start + interval * (seq as u32 + 1));
            sent.push(Instant::now());
            if !send(seq) {
                break;
            }
        }
        sent
    })
}

/// Floods `send` at `per_second` messages on average, in small bursts, until
/// `send` fails or `stop` is set. Returns how many it sent.
pub fn spawn_flood<F>(per_second: f64, stop: Arc<AtomicBool>, mut send: F) -> JoinHandle<u64>
where
    F: FnMut(u64) -> bool + Send + 'static,
{
    thread::spawn(move || {
        let start = Instant::now();
        let mut sent = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let due = (start.elapsed().as_secs_f64() * per_second) as u64;
            if sent >= due {
                thread::sleep(Duration::from_micros(50));
                continue;
            }
            // Cap a burst so a producer that was held back still checks `stop`.
            let burst_end = due.min(sent + 1024);
            while sent < burst_end {
                if !send(sent) {
                    return sent;
                }
                sent += 1;
            }
        }
        sent
    })
}

/// Busy work standing in for a handler that parses a chunk or updates a
/// model: it keeps the thread on the CPU for `time`.
pub fn spin(time: Duration) {
    let start = Instant::now();
    while start.elapsed() < time {
        std::hint::spin_loop();
    }
}

/// Latency samples in microseconds, and how many to expect.
#[derive(Debug)]
pub struct Samples {
    expected: usize,
    micros: Vec<f64>,
}

impl Samples {
    /// Room for `expected` samples.
    pub fn new(expected: usize) -> Samples {
        Samples {
            expected,
            micros: Vec::with_capacity(expected),
        }
    }

    /// Records the time since `sent`; `true` when that was the last one.
    pub fn add_since(&mut self, sent: Instant) -> bool {
        self.micros.push(sent.elapsed().as_secs_f64() * 1e6);
        self.micros.len() >= self.expected
    }

    /// The distribution, once every sample arrived.
    pub fn percentiles(self) -> Result<Percentiles, String> {
        if self.micros.len() != self.expected {
            return Err(format!(
                "{} of {} samples arrived",
                self.micros.len(),
                self.expected
            ));
        }
        Ok(Percentiles::of(self.micros))
    }
}

/// The three figures a latency row reports, in one unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    /// The median.
    pub p50: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The worst sample.
    pub max: f64,
}

impl Percentiles {
    /// One figure (`pick`) of each repetition of subject `subject`, as a
    /// table cell; `runs` is what `interleave` returned.
    pub fn cell(
        runs: &[Vec<Result<Percentiles, String>>],
        subject: usize,
        pick: fn(&Percentiles) -> f64,
    ) -> Cell {
        let outcomes = runs.get(subject).map_or_else(Vec::new, |r| {
            r.iter()
                .map(|o| o.as_ref().map(pick).map_err(Clone::clone))
                .collect()
        });
        Cell::from_outcomes(outcomes)
    }

    /// The percentiles of `samples`.
    pub fn of(mut samples: Vec<f64>) -> Percentiles {
        samples.sort_by(f64::total_cmp);
        Percentiles {
            p50: quantile(&samples, 0.50),
            p99: quantile(&samples, 0.99),
            max: quantile(&samples, 1.0),
        }
    }

    /// One line for a child process to print.
    #[cfg_attr(
        not(target_os = "linux"),
        allow(dead_code, reason = "only Linux rows use it")
    )]
    pub fn to_line(self) -> String {
        format!("{} {} {}", self.p50, self.p99, self.max)
    }

    /// Reads what [`Percentiles::to_line`] printed.
    pub fn parse(line: &str) -> Result<Percentiles, String> {
        let values: Vec<f64> = line
            .split_whitespace()
            .filter_map(|v| v.parse().ok())
            .collect();
        match values[..] {
            [p50, p99, max] => Ok(Percentiles { p50, p99, max }),
            _ => Err(format!("unreadable percentiles {line:?}")),
        }
    }
}
