//! `ONELOOP_TRACE=FILE`: one JSON line per dispatched event and per frame,
//! so a test (or a person) can see what the loop did and how long it took.
//! Input that a widget took counts as dispatched too (its `handler_us` is
//! the time to build the view and route it); the messages the widget emitted
//! for it follow on lines of their own.
//!
//! Lines look like
//! `{"t_us":1234,"type":"event","seq":7,"lane":"input","event":"Key(..)","handler_us":15}`
//! and `{"t_us":1300,"type":"frame","frame":3,"paint_us":2100}`; `t_us` counts
//! from the loop's start. The first line,
//! `{"t_us":0,"type":"start","monotonic_ns":..,"pid":..}`, says when that was
//! on the system's monotonic clock, so other processes can line up their own
//! timestamps (key-latency measurements do).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

use crate::event::Lane;

mod json;

use json::{cut_at_char_boundary, push_json_string};

/// The longest event description written; longer ones are cut.
const MAX_DESCRIPTION: usize = 160;

pub(crate) struct Trace {
    out: BufWriter<File>,
    start: Instant,
    last_flush: Instant,
    line: String,
    dirty: bool,
}

impl Trace {
    /// A trace writing to the file named by `ONELOOP_TRACE`, if set.
    pub(crate) fn from_env() -> Option<Trace> {
        let path = std::env::var_os("ONELOOP_TRACE")?;
        match File::create(&path) {
            Ok(file) => {
                let mut trace = Trace {
                    out: BufWriter::new(file),
                    start: Instant::now(),
                    last_flush: Instant::now(),
                    line: String::new(),
                    dirty: false,
                };
                trace.header();
                Some(trace)
            }
            Err(e) => {
                tracing::warn!(
                    "ONELOOP_TRACE: cannot create {}: {e}",
                    path.to_string_lossy()
                );
                None
            }
        }
    }

    /// The first line: when `t_us` zero was on the system's monotonic clock
    /// (the clock `Instant` reads), so another process can line its own
    /// timestamps up with this trace.
    fn header(&mut self) {
        let ns = crate::sys::clock::monotonic_ns();
        self.begin("start");
        let _ = write!(
            self.line,
            ",\"monotonic_ns\":{ns},\"pid\":{}",
            std::process::id()
        );
        self.end();
    }

    fn begin(&mut self, kind: &str) {
        self.line.clear();
        let t = self.start.elapsed().as_micros();
        let _ = write!(self.line, "{{\"t_us\":{t},\"type\":\"{kind}\"");
    }

    fn end(&mut self) {
        self.line.push_str("}\n");
        if let Err(e) = self.out.write_all(self.line.as_bytes()) {
            tracing::warn!("ONELOOP_TRACE: write failed: {e}");
        }
        self.dirty = true;
    }

    pub(crate) fn event(
        &mut self,
        sequence: u64,
        lane: Lane,
        description: &str,
        handler: Duration,
    ) {
        self.begin("event");
        let _ = write!(
            self.line,
            ",\"seq\":{sequence},\"lane\":\"{}\",\"event\":",
            lane.name()
        );
        let cut = cut_at_char_boundary(description, MAX_DESCRIPTION);
        push_json_string(&mut self.line, cut);
        let _ = write!(self.line, ",\"handler_us\":{}", handler.as_micros());
        self.end();
    }

    pub(crate) fn frame(&mut self, number: u64, paint: Duration) {
        self.begin("frame");
        let _ = write!(
            self.line,
            ",\"frame\":{number},\"paint_us\":{}",
            paint.as_micros()
        );
        self.end();
    }

    /// Flush at most every 50 ms, so readers see lines while the app runs.
    pub(crate) fn maybe_flush(&mut self) {
        if self.last_flush.elapsed() >= Duration::from_millis(50) {
            self.flush();
        }
    }

    /// Flush what is pending, e.g. before the loop goes to sleep.
    pub(crate) fn flush_if_dirty(&mut self) {
        if self.dirty {
            self.flush();
        }
    }

    pub(crate) fn flush(&mut self) {
        self.dirty = false;
        self.last_flush = Instant::now();
        if let Err(e) = self.out.flush() {
            tracing::warn!("ONELOOP_TRACE: flush failed: {e}");
        }
    }
}
