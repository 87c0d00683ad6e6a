//! Idle CPU: a loop with nothing to do should sleep in the OS and cost
//! nothing. Each subject is a child process that says `ready` once it is
//! about to wait; the parent then reads the CPU time of all its threads at
//! the start and the end of the window, from `/proc/<pid>/task/*/schedstat`
//! (nanoseconds; `/proc/<pid>/stat` counts in 10 ms ticks, too coarse for a
//! goal of 1 ms).

use std::process::Child;
use std::thread;
use std::time::Duration;

use oneloop::{App, Cx, Event, EventLoop, Lifecycle, Settings};

use crate::children::{self, Display};
use crate::report::{Better, Cell, Clause, Row};
use crate::Config;

/// Time for a child to start, connect to the X server and settle.
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// A pause between `ready` and the first reading, so start-up work that
/// trails the announcement (thread start, X replies) is not counted.
const SETTLE: Duration = Duration::from_millis(300);

/// A subject of the idle row: its column, its child mode, whether it needs
/// the X server.
struct Subject {
    column: &'static str,
    mode: &'static str,
    needs_display: bool,
}

/// oneloop first, then its peers. The windowed oneloop figure joins this
/// list as one more subject (`oneloop_window`) once a child mode opens a
/// oneloop window under the X server; the subjects run side by side, so it
/// costs no extra time.
const SUBJECTS: [Subject; 2] = [
    Subject {
        column: "oneloop",
        mode: "oneloop-idle",
        needs_display: false,
    },
    Subject {
        column: "winit",
        mode: "winit-idle",
        needs_display: true,
    },
];

/// CPU milliseconds per 10 s of waiting, every subject in the same window.
pub fn row(config: &Config) -> Row {
    let window = if config.quick {
        Duration::from_secs(2)
    } else {
        Duration::from_secs(10)
    };
    let mut outcomes: Vec<Vec<Result<f64, String>>> = SUBJECTS.iter().map(|_| Vec::new()).collect();
    for repetition in 1..=config.repetitions {
        eprintln!("[idle CPU] repetition {repetition}/{}", config.repetitions);
        for (column, figure) in outcomes
            .iter_mut()
            .zip(measure_together(&config.display, window))
        {
            column.push(figure);
        }
    }
    let mut cells = outcomes.into_iter().map(Cell::from_outcomes);
    let oneloop = cells
        .next()
        .unwrap_or(Cell::Skipped("failed: not run".to_owned()));
    let mut row = Row::new("idle CPU", "ms/10 s", Better::Lower, oneloop)
        // schedstat counts nanoseconds; below a microsecond is nothing.
        .floor(0.001)
        .goal("<1 ms per 10 s", vec![Clause::Below(1.0)]);
    for (subject, cell) in SUBJECTS.iter().skip(1).zip(cells) {
        row = row.peer(subject.column, cell);
    }
    row
}

/// Starts every subject, waits until all are idle, and measures them over
/// the same `window`.
fn measure_together(display: &Display, window: Duration) -> Vec<Result<f64, String>> {
    let mut children: Vec<Result<Child, String>> = SUBJECTS
        .iter()
        .map(|s| {
            let mut child =
                children::spawn(s.needs_display.then_some(display), &[s.mode.to_owned()])?;
            match children::wait_ready(&mut child, READY_TIMEOUT) {
                Ok(()) => Ok(child),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    Err(e)
                }
            }
        })
        .collect();
    thread::sleep(SETTLE);
    let before: Vec<Result<u64, String>> = children.iter().map(cpu_of).collect();
    thread::sleep(window);
    let after: Vec<Result<u64, String>> = children.iter().map(cpu_of).collect();
    for child in children.iter_mut().flatten() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let per_ten_seconds = 10.0 / window.as_secs_f64();
    before
        .into_iter()
        .zip(after)
        .map(|(b, a)| Ok(a?.saturating_sub(b?) as f64 / 1e6 * per_ten_seconds))
        .collect()
}

/// The CPU nanoseconds all threads of the child used so far.
fn cpu_of(child: &Result<Child, String>) -> Result<u64, String> {
    let pid = child.as_ref().map_err(Clone::clone)?.id();
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
        .map_err(|e| format!("failed: no /proc ({e})"))?;
    let mut total = 0;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat"))
            .map_err(|e| format!("failed: no schedstat ({e})"))?;
        let on_cpu: u64 = stat
            .split_whitespace()
            .next()
            .and_then(|ns| ns.parse().ok())
            .ok_or_else(|| format!("failed: unreadable schedstat {stat:?}"))?;
        total += on_cpu;
    }
    Ok(total)
}

/// Says `ready` once started, then waits for nothing.
struct Waiting;

impl App for Waiting {
    type Message = ();

    #[expect(
        clippy::print_stdout,
        reason = "the parent waits for this line before it measures"
    )]
    fn update(&mut self, event: Event<()>, _: &mut Cx<()>) {
        if let Event::Lifecycle(Lifecycle::Started) = event {
            println!("ready");
        }
    }
}

/// The oneloop subject: a headless loop with nothing to do; runs until killed.
pub fn oneloop_child() -> Result<String, String> {
    let event_loop = EventLoop::new(Waiting, Settings::headless()).map_err(|e| e.to_string())?;
    event_loop.run().map_err(|e| e.to_string())?;
    Ok(String::new())
}
