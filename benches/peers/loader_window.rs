//! The file loader's window while it loads the shared 10,000 files: the
//! release example under Xvfb with `--load-all --quit-when-done` and
//! `ONELOOP_TRACE`. Frames per second come from the trace's frame lines
//! between the listing's arrival and the last file's completion, first to
//! last. Key
//! latency: arrow-down presses sent with xdotool at known moments of the
//! monotonic clock, matched in order to the key events in the trace.
//!
//! A key's time starts when its command is written to an xdotool that is
//! already running (the X server's and xdotool's share is in the figure:
//! 0.3 ms on an idle machine) and ends when the app's handler for it
//! returned. Keys the app handled after the batch ended are left out: they
//! did not meet a loading app.

use std::thread;
use std::time::Duration;

use crate::launch::{monotonic_ns, Example, Keys, Trace};
use crate::report::{Better, Cell, Clause, Row};
use crate::work::Percentiles;
use crate::{interleave, Config, Run};

/// Key presses sent per run.
const KEYS: usize = 20;
/// The pause between two presses.
const KEY_INTERVAL: Duration = Duration::from_millis(20);
/// How many presses must land while the batch runs for a run to count.
const KEYS_NEEDED: usize = KEYS / 2;
/// How long a whole batch may take in the window.
const BATCH_LIMIT: Duration = Duration::from_secs(120);

/// What one run of the window found.
#[derive(Debug, Clone, Copy)]
struct Observed {
    fps: f64,
    /// The longest time between two frames while loading.
    worst_gap_ms: f64,
    keys: Percentiles,
}

/// Frames per second, and key latency p50 and p99, from the same runs.
pub fn rows(config: &Config) -> Vec<Row> {
    let mut subjects: Vec<(&'static str, Run<'_, Observed>)> =
        vec![("oneloop", Box::new(move || observe(config)))];
    let runs = interleave("loader window", config.repetitions, &mut subjects);
    let column = |pick: fn(&Observed) -> f64| {
        let outcomes = runs.first().map_or_else(Vec::new, |r| {
            r.iter()
                .map(|o| o.as_ref().map(pick).map_err(Clone::clone))
                .collect()
        });
        Cell::from_outcomes(outcomes)
    };
    vec![
        Row::new(
            "loader window fps while loading",
            "fps",
            Better::Higher,
            column(|o| o.fps),
        )
        .goal("≥55 fps", vec![Clause::AtLeast(55.0)]),
        Row::new(
            "loader window worst frame gap while loading",
            "ms",
            Better::Lower,
            column(|o| o.worst_gap_ms),
        )
        .goal("≤17.5 ms", vec![Clause::Below(17.5)]),
        Row::new(
            "key while loading p50",
            "ms",
            Better::Lower,
            column(|o| o.keys.p50),
        ),
        Row::new(
            "key while loading p99",
            "ms",
            Better::Lower,
            column(|o| o.keys.p99),
        )
        .goal("≤16 ms", vec![Clause::Below(16.0)]),
    ]
}

/// One run of the example over the shared files.
fn observe(config: &Config) -> Result<Observed, String> {
    let data = config.dataset()?;
    let dir = data.dir();
    let dir = dir.to_str().ok_or("failed: the data path is not UTF-8")?;
    let trace_path = data.scratch().join("loader-window.jsonl");
    let args = [dir, "--load-all", "--quit-when-done"];
    let mut example = Example::start(&config.display, "file_loader", &args, &trace_path)?;
    let mut keys = Keys::focus(&config.display, example.process.pid(), "File loader")?;
    let mut sent = Vec::with_capacity(KEYS);
    let first = monotonic_ns();
    for k in 0..KEYS {
        let due = first + KEY_INTERVAL.as_nanos() * k as u128;
        if let Some(wait) = due.checked_sub(monotonic_ns()) {
            thread::sleep(Duration::from_nanos(u64::try_from(wait).unwrap_or(0)));
        }
        // A short batch may be over (and the app gone) before every key.
        if example
            .process
            .wait_exit(Duration::ZERO)
            .is_ok_and(|s| s.is_some())
        {
            break;
        }
        sent.push(monotonic_ns());
        keys.press("Down")?;
    }
    match example.process.wait_exit(BATCH_LIMIT) {
        Ok(Some(status)) if status.success() => {}
        Ok(Some(status)) => return Err(format!("failed: the loader exited with {status}")),
        Ok(None) => return Err(format!("failed: the batch took over {BATCH_LIMIT:?}")),
        Err(e) => return Err(format!("failed: lost the loader ({e})")),
    }
    let line = example.wait_stdout("batch done", Duration::from_secs(1))?;
    let trace = Trace::read(&example.trace)?;
    let observed = analyse(&trace, &sent)?;
    eprintln!(
        "  window: {line}; {:.1} fps; keys p50 {:.2} ms, p99 {:.2} ms",
        observed.fps, observed.keys.p50, observed.keys.p99
    );
    Ok(observed)
}

/// Frames per second over the batch, and the latency of the keys handled
/// during it.
fn analyse(trace: &Trace, sent: &[u128]) -> Result<Observed, String> {
    let listed = *trace
        .events("Listed(")
        .first()
        .ok_or("failed: no listing in the trace")?;
    let done = *trace
        .events("Scanned(")
        .last()
        .ok_or("failed: no file completed")?;
    let span_us = done.saturating_sub(listed);
    if span_us == 0 {
        return Err("failed: the batch took no time".to_owned());
    }
    // Frame to frame over the batch: counting frames over the batch's span
    // instead would be off by one frame (3 % of a half-second batch).
    let frames: Vec<u64> = trace
        .frames()
        .into_iter()
        .filter(|&t| t > listed && t <= done)
        .collect();
    let (Some(&first), Some(&last)) = (frames.first(), frames.last()) else {
        return Err("failed: no frame while loading".to_owned());
    };
    if last == first {
        return Err("failed: one frame while loading".to_owned());
    }
    let fps = (frames.len() - 1) as f64 / ((last - first) as f64 / 1e6);
    let worst_gap_ms = frames
        .windows(2)
        .map(|w| (w[1] - w[0]) as f64 / 1e3)
        .fold(0.0, f64::max);
    // Presses only, and no auto-repeats (which the X server adds when a
    // release comes late); descriptions are cut short, hence "repeat: t".
    let handled = trace.events_where(|e| {
        e.contains("key: Named(ArrowDown), state: Pressed") && !e.contains("repeat: t")
    });
    // Keys arrive in the order sent; only the last few can be missing, sent
    // while the app was quitting.
    if handled.len() > sent.len() {
        return Err(format!(
            "failed: {} keys reached the app, {} were sent",
            handled.len(),
            sent.len()
        ));
    }
    let mut millis = Vec::with_capacity(handled.len());
    for (&at, &t) in sent.iter().zip(&handled) {
        let ms = (trace.at_ns(t) as f64 - at as f64) / 1e6;
        if ms < 0.0 {
            return Err("failed: a key was handled before it was sent".to_owned());
        }
        if t > listed && t <= done {
            millis.push(ms);
        }
    }
    if millis.len() < KEYS_NEEDED {
        return Err(format!(
            "failed: only {} of {} keys met the batch ({:.0} ms long)",
            millis.len(),
            sent.len(),
            span_us as f64 / 1e3
        ));
    }
    Ok(Observed {
        fps,
        worst_gap_ms,
        keys: Percentiles::of(millis),
    })
}
