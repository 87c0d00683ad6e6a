//! Idle CPU: a loop with nothing to do should sleep in the OS and cost
//! nothing. Each subject is a child process that says `ready` once it is
//! about to wait (a windowed example: once its first frame is painted); the
//! parent then reads the CPU time of all its threads at
//! the start and the end of the window, from `/proc/<pid>/task/*/schedstat`
//! (nanoseconds; `/proc/<pid>/stat` counts in 10 ms ticks, too coarse for a
//! goal of 1 ms).

use std::process::Child;
use std::thread;
use std::time::Duration;

use oneloop::{App, Cx, Event, EventLoop, Lifecycle, Settings, WatchdogSettings};

use crate::children::{self, Display};
use crate::launch::Example;
use crate::report::{Better, Cell, Clause, Row};
use crate::Config;

/// Time for a child to start, connect to the X server and settle.
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// A pause between `ready` and the first reading, so start-up work that
/// trails the announcement (thread start, X replies) is not counted.
const SETTLE: Duration = Duration::from_millis(300);

/// How a subject of the idle rows runs.
enum Kind {
    /// This binary in child mode `mode`, which prints `ready` once idle;
    /// on the X server if `needs_display`.
    Child {
        mode: &'static str,
        needs_display: bool,
    },
    /// A release example in its window on the X server, idle once its first
    /// frame is painted.
    Example(&'static str),
}

/// The subjects, all measured over the same window: the headless row
/// (oneloop, then winit with no window) and the window row (the counter
/// example, then winit with a window it never draws).
const SUBJECTS: [Kind; 4] = [
    Kind::Child {
        mode: "oneloop-idle",
        needs_display: false,
    },
    Kind::Child {
        mode: "winit-idle",
        needs_display: true,
    },
    Kind::Example("counter"),
    Kind::Child {
        mode: "winit-window-idle",
        needs_display: true,
    },
];

/// CPU milliseconds per 10 s of waiting: a headless loop, and an app with a
/// window, each against winit.
pub fn rows(config: &Config) -> Vec<Row> {
    let mut cells = cpu_cells(config, "idle CPU", &SUBJECTS).into_iter();
    let mut next = || {
        cells
            .next()
            .unwrap_or(Cell::Skipped("failed: not run".to_owned()))
    };
    let row = |name: &str, oneloop: Cell, winit: Cell| {
        Row::new(name, "ms/10 s", Better::Lower, oneloop)
            .peer("winit", winit)
            // schedstat counts nanoseconds; below a microsecond is nothing.
            .floor(0.001)
            .goal("<1 ms per 10 s", vec![Clause::Below(1.0)])
    };
    let (headless, winit) = (next(), next());
    let (window, winit_window) = (next(), next());
    vec![
        row("idle CPU", headless, winit),
        row("idle CPU, window (counter)", window, winit_window),
    ]
}

/// CPU milliseconds per 10 s of waiting of headless children in `modes`
/// (this binary's child modes), measured together; one cell per mode.
pub fn headless_cells(config: &Config, label: &str, modes: &[&'static str]) -> Vec<Cell> {
    let subjects: Vec<Kind> = modes
        .iter()
        .map(|&mode| Kind::Child {
            mode,
            needs_display: false,
        })
        .collect();
    cpu_cells(config, label, &subjects)
}

/// Each subject's CPU milliseconds per 10 s, all measured over the same
/// window in each repetition; one cell per subject.
fn cpu_cells(config: &Config, label: &str, subjects: &[Kind]) -> Vec<Cell> {
    let window = if config.quick {
        Duration::from_secs(2)
    } else {
        Duration::from_secs(10)
    };
    let scratch = tempfile::tempdir().map_err(|e| format!("failed: no temporary directory ({e})"));
    let mut outcomes: Vec<Vec<Result<f64, String>>> = subjects.iter().map(|_| Vec::new()).collect();
    for repetition in 1..=config.repetitions {
        eprintln!("[{label}] repetition {repetition}/{}", config.repetitions);
        let figures = match &scratch {
            Ok(dir) => measure_together(subjects, &config.display, window, dir.path()),
            Err(e) => subjects.iter().map(|_| Err(e.clone())).collect(),
        };
        for (column, figure) in outcomes.iter_mut().zip(figures) {
            column.push(figure);
        }
    }
    outcomes.into_iter().map(Cell::from_outcomes).collect()
}

/// A subject process, killed when dropped.
enum Running {
    Child(Child),
    Example(Example),
}

impl Running {
    fn pid(&self) -> u32 {
        match self {
            Running::Child(child) => child.id(),
            Running::Example(example) => example.process.pid(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Running::Child(child) = self {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `kind` and waits until it is idle.
fn start(kind: &Kind, display: &Display, scratch: &std::path::Path) -> Result<Running, String> {
    match kind {
        Kind::Child {
            mode,
            needs_display,
        } => {
            let mut child =
                children::spawn(needs_display.then_some(display), &[(*mode).to_owned()])?;
            match children::wait_ready(&mut child, READY_TIMEOUT) {
                Ok(()) => Ok(Running::Child(child)),
                Err(e) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    Err(e)
                }
            }
        }
        Kind::Example(name) => {
            let trace = scratch.join(format!("{name}-idle.jsonl"));
            let example = Example::start(display, name, &[], &trace)?;
            example.wait_first_frame()?;
            Ok(Running::Example(example))
        }
    }
}

/// Starts every subject, waits until all are idle, and measures them over
/// the same `window`.
fn measure_together(
    subjects: &[Kind],
    display: &Display,
    window: Duration,
    scratch: &std::path::Path,
) -> Vec<Result<f64, String>> {
    let running: Vec<Result<Running, String>> = subjects
        .iter()
        .map(|kind| start(kind, display, scratch))
        .collect();
    thread::sleep(SETTLE);
    let before: Vec<Result<u64, String>> = running.iter().map(cpu_of).collect();
    thread::sleep(window);
    let after: Vec<Result<u64, String>> = running.iter().map(cpu_of).collect();
    drop(running);
    let per_ten_seconds = 10.0 / window.as_secs_f64();
    before
        .into_iter()
        .zip(after)
        .map(|(b, a)| Ok(a?.saturating_sub(b?) as f64 / 1e6 * per_ten_seconds))
        .collect()
}

/// The CPU nanoseconds all threads of the child used so far.
fn cpu_of(subject: &Result<Running, String>) -> Result<u64, String> {
    let pid = subject.as_ref().map_err(Clone::clone)?.pid();
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

/// The oneloop subject: a headless loop with nothing to do; runs until
/// killed. `watchdog` overrides the build's default for the watchdog.
pub fn oneloop_child(watchdog: Option<bool>) -> Result<String, String> {
    let mut settings = Settings::headless();
    if let Some(on) = watchdog {
        settings.watchdog = on.then(WatchdogSettings::default);
    }
    let event_loop = EventLoop::new(Waiting, settings).map_err(|e| e.to_string())?;
    event_loop.run().map_err(|e| e.to_string())?;
    Ok(String::new())
}
