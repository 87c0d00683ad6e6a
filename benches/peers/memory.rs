//! Memory: the resident set (`VmRSS`) of the release file loader under
//! Xvfb, idle with the shared 10,000 files listed, and again once it has
//! loaded them all (Ctrl+L, then idle after "batch done"). The peer is a
//! bare winit loop with one window it never draws: what any window costs
//! before an app puts anything in it.

use std::thread;
use std::time::Duration;

use crate::children;
use crate::launch::{resident_mib, Example, Keys, WAIT};
use crate::report::{Better, Cell, Clause, Row};
use crate::{interleave, Config, Run};

/// Time for frames and freed buffers to settle before a reading.
const SETTLE: Duration = Duration::from_millis(500);
/// How long a whole batch may take.
const BATCH_LIMIT: Duration = Duration::from_secs(120);

/// Idle after listing, and after loading, from the same runs.
pub fn rows(config: &Config) -> Vec<Row> {
    let mut subjects: Vec<(&'static str, Run<'_, (f64, f64)>)> = vec![
        ("oneloop", Box::new(move || loader(config))),
        (
            "winit",
            Box::new(move || winit(config).map(|mib| (mib, mib))),
        ),
    ];
    let runs = interleave("memory", config.repetitions, &mut subjects);
    let column = |subject: usize, pick: fn(&(f64, f64)) -> f64| {
        let outcomes = runs.get(subject).map_or_else(Vec::new, |r| {
            r.iter()
                .map(|o| o.as_ref().map(pick).map_err(Clone::clone))
                .collect()
        });
        Cell::from_outcomes(outcomes)
    };
    vec![
        Row::new(
            "memory: loader idle, 10k listed",
            "MiB",
            Better::Lower,
            column(0, |m| m.0),
        )
        .peer("winit", column(1, |m| m.0))
        .goal("<40 MiB", vec![Clause::Below(40.0)]),
        Row::new(
            "memory: loader after loading 1 GiB",
            "MiB",
            Better::Lower,
            column(0, |m| m.1),
        )
        .goal("<60 MiB", vec![Clause::Below(60.0)]),
    ]
}

/// The loader's resident set idle after listing, then after loading.
fn loader(config: &Config) -> Result<(f64, f64), String> {
    let data = config.dataset()?;
    let dir = data.dir();
    let dir = dir.to_str().ok_or("failed: the data path is not UTF-8")?;
    let trace = data.scratch().join("loader-memory.jsonl");
    let mut example = Example::start(&config.display, "file_loader", &[dir], &trace)?;
    let mut keys = Keys::focus(&config.display, example.process.pid(), "File loader")?;
    example.wait_stdout("listed", WAIT)?;
    thread::sleep(SETTLE);
    let idle = example.resident_mib()?;
    keys.press("ctrl+l")?;
    example.wait_stdout("batch done", BATCH_LIMIT)?;
    thread::sleep(SETTLE);
    let loaded = example.resident_mib()?;
    Ok((idle, loaded))
}

/// A bare winit loop with a window, once it is idle.
fn winit(config: &Config) -> Result<f64, String> {
    let mut child = children::spawn(Some(&config.display), &["winit-window-idle".to_owned()])?;
    let reading = children::wait_ready(&mut child, WAIT).and_then(|()| {
        thread::sleep(SETTLE);
        resident_mib(child.id())
    });
    let _ = child.kill();
    let _ = child.wait();
    reading
}
