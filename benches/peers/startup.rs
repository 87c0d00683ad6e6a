//! Start-up: from just before the process is spawned (after any build of
//! the example) to its first frame,
//! for release examples under Xvfb with `ONELOOP_TRACE`. The end is the
//! first frame line's time on the monotonic clock (the trace's start plus
//! the line's `t_us`), which is written once the frame is painted, just
//! before the pixels are copied to the window and presented.

use crate::launch::{Example, Line, Trace};
use crate::report::{Better, Cell, Clause, Row};
use crate::{interleave, Config, Run};

/// The examples timed, each a row of its own.
const EXAMPLES: [&str; 2] = ["counter", "gallery"];

/// One row per example, from interleaved runs.
pub fn rows(config: &Config) -> Vec<Row> {
    let scratch = tempfile::tempdir().map_err(|e| format!("failed: no temporary directory ({e})"));
    let scratch = &scratch;
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = EXAMPLES
        .iter()
        .map(|&name| -> (&'static str, Run<'_, f64>) {
            (
                name,
                Box::new(move || {
                    let dir = scratch.as_ref().map_err(Clone::clone)?;
                    first_frame(config, name, &dir.path().join(format!("{name}.jsonl")))
                }),
            )
        })
        .collect();
    let runs = interleave("start-up", config.repetitions, &mut subjects);
    EXAMPLES
        .iter()
        .zip(runs)
        .map(|(name, outcomes)| {
            Row::new(
                format!("start-up → first frame: {name}"),
                "ms",
                Better::Lower,
                Cell::from_outcomes(outcomes),
            )
            .goal("<150 ms", vec![Clause::Below(150.0)])
        })
        .collect()
}

/// Milliseconds from spawning example `name` to its first painted frame.
fn first_frame(config: &Config, name: &str, trace_path: &std::path::Path) -> Result<f64, String> {
    let example = Example::start(&config.display, name, &[], trace_path)?;
    let spawned = example.spawned_ns;
    example.wait_first_frame()?;
    let trace = Trace::read(&example.trace)?;
    drop(example);
    let painted = trace
        .lines
        .iter()
        .find_map(|l| match l {
            Line::Frame { t_us, .. } => Some(trace.at_ns(*t_us)),
            _ => None,
        })
        .ok_or("failed: no frame in the trace")?;
    Ok((painted as f64 - spawned as f64) / 1e6)
}
