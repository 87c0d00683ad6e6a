//! Reading the `ONELOOP_TRACE` file of an example under test: which events
//! its loop dispatched and how long its handlers and frames took.

#![allow(dead_code, reason = "each test binary uses the part it needs")]

use std::path::{Path, PathBuf};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

/// The tests of one binary run on parallel threads. A window test that
/// asserts how long frames or handlers take holds [`alone`] for its whole
/// run, the other window tests hold [`shared`], so such a timing never
/// includes the work of another window test (a wine prefix starting, a
/// second example loading files) on a machine with two cores.
static MACHINE: RwLock<()> = RwLock::new(());

/// No other window test of this binary runs until the guard is dropped.
pub fn alone() -> RwLockWriteGuard<'static, ()> {
    MACHINE
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs beside other window tests, but never beside one that holds [`alone`].
pub fn shared() -> RwLockReadGuard<'static, ()> {
    MACHINE
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One `"type":"event"` line.
#[derive(Debug, Clone)]
pub struct TraceEvent {
    /// The lane it came through: "input", "app", "io", ...
    pub lane: String,
    /// Its `Debug` text, e.g. `App(Pressed("primary"))`.
    pub event: String,
    /// How long its handler ran.
    pub handler_us: u64,
}

/// A trace file that the example keeps appending to.
#[derive(Debug, Clone)]
pub struct Trace {
    path: PathBuf,
}

impl Trace {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
        }
    }

    /// The complete lines written so far.
    fn lines(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete.lines().map(str::to_owned).collect()
    }

    /// Every event dispatched so far, in order.
    pub fn events(&self) -> Vec<TraceEvent> {
        self.lines()
            .iter()
            .filter(|l| l.contains("\"type\":\"event\""))
            .map(|l| TraceEvent {
                lane: string_field(l, "lane"),
                event: string_field(l, "event"),
                handler_us: number_field(l, "handler_us"),
            })
            .collect()
    }

    /// How long each frame so far took to paint, in microseconds.
    pub fn paint_times(&self) -> Vec<u64> {
        self.lines()
            .iter()
            .filter(|l| l.contains("\"type\":\"frame\""))
            .map(|l| number_field(l, "paint_us"))
            .collect()
    }

    /// How many events so far have `needle` in their description.
    pub fn count(&self, needle: &str) -> usize {
        self.events()
            .iter()
            .filter(|e| e.event.contains(needle))
            .count()
    }

    /// The key events for the named key `key` (e.g. `"ArrowDown"`), as
    /// their descriptions, to show when a count is off.
    pub fn key_events(&self, key: &str) -> Vec<String> {
        let key = format!("key: Named({key})");
        self.events()
            .into_iter()
            .filter(|e| e.lane == "input" && e.event.contains(&key))
            .map(|e| e.event)
            .collect()
    }

    /// How many times the named key `key` was pressed and how many times
    /// released.
    pub fn key_presses(&self, key: &str) -> (usize, usize) {
        let events = self.key_events(key);
        let count = |state: &str| events.iter().filter(|e| e.contains(state)).count();
        (count("state: Pressed"), count("state: Released"))
    }

    /// Waits until one more frame than now has been painted (the listing,
    /// say, is on screen); panics after `timeout`.
    pub fn wait_for_next_frame(&self, timeout: Duration) {
        let frames = self.paint_times().len();
        let deadline = Instant::now() + timeout;
        while self.paint_times().len() <= frames {
            assert!(
                Instant::now() < deadline,
                "no frame was drawn within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until at least `n` events mention `needle`; panics naming
    /// `what` did not happen otherwise.
    pub fn wait_for_count(&self, needle: &str, n: usize, what: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let seen = self.count(needle);
            if seen >= n {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: {seen} of {n} events with {needle:?} within {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The string value of `"key":"..."` in a trace line, unescaped.
fn string_field(line: &str, key: &str) -> String {
    let start = format!("\"{key}\":\"");
    let Some(at) = line.find(&start) else {
        return String::new();
    };
    let mut out = String::new();
    let mut chars = line[at + start.len()..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let code = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

/// The number value of `"key":123` in a trace line.
fn number_field(line: &str, key: &str) -> u64 {
    let start = format!("\"{key}\":");
    line.find(&start)
        .map(|at| &line[at + start.len()..])
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("no number {key:?} in trace line {line}"))
}
