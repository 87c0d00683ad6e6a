//! oneloop side by side with its peers, measured in one run.
//!
//! The machine this runs on is shared and noisy, so no figure is compared
//! with one from another day: every row runs oneloop and its peers in the
//! same process run, interleaved repetition by repetition, and the verdict
//! is the ratio. Prints one table to stdout and writes the same figures as
//! JSON to `target/bench/peers.json` (or `$CARGO_TARGET_DIR/bench/peers.json`).
//!
//! `cargo bench --bench peers -- --quick` runs every row briefly (a smoke
//! test); other words select the row groups whose key contains them
//! (`throughput`, `latency`, `flood`, `idle`, `frames`, `loading`, `window`,
//! `memory`, `startup`, `watchdog`, `net`). Unknown flags are ignored.
//!
//! The window rows run the release examples under a private Xvfb; they are
//! built on first use (`cargo build --release --example ..`).
//!
//! On Windows (`--target x86_64-pc-windows-gnu`, run under wine by
//! `.ci/wine-run`) only the queue rows are built: throughput, idle wake
//! latency and key under flood. Their winit cells are skipped there, since
//! that peer runs under Xvfb.
//!
//! A row is one function returning a [`report::Row`] (or a group of rows that
//! share their runs); a new row is one more entry in [`GROUPS`].

#[cfg(target_os = "linux")]
use std::cell::OnceCell;
use std::process::ExitCode;
use std::time::Instant;

#[path = "peers/children.rs"]
mod children;
#[cfg(target_os = "linux")]
#[path = "peers/dataset.rs"]
mod dataset;
#[path = "peers/echo.rs"]
mod echo;
#[path = "peers/flood.rs"]
mod flood;
#[cfg(target_os = "linux")]
#[path = "peers/frames.rs"]
mod frames;
#[cfg(target_os = "linux")]
#[path = "peers/idle.rs"]
mod idle;
#[path = "peers/latency.rs"]
mod latency;
#[cfg(target_os = "linux")]
#[path = "peers/launch.rs"]
mod launch;
#[cfg(target_os = "linux")]
#[path = "peers/loader_window.rs"]
mod loader_window;
#[cfg(target_os = "linux")]
#[path = "peers/loading.rs"]
mod loading;
#[cfg(target_os = "linux")]
#[path = "peers/memory.rs"]
mod memory;
#[path = "peers/report.rs"]
mod report;
#[cfg(target_os = "linux")]
#[path = "peers/startup.rs"]
mod startup;
#[path = "peers/submit.rs"]
mod submit;
#[path = "peers/throughput.rs"]
mod throughput;
#[cfg(target_os = "linux")]
#[path = "peers/watchdog.rs"]
mod watchdog;
#[cfg(target_os = "linux")]
#[path = "peers/winit_peer.rs"]
mod winit_peer;
#[path = "peers/work.rs"]
mod work;

// The examples measured, compiled in: their items are `pub(crate)`.
#[cfg(target_os = "linux")]
#[path = "../examples/file_loader/main.rs"]
#[allow(
    dead_code,
    unused_imports,
    reason = "the example's main and its unit tests are not used here"
)]
mod file_loader;
#[cfg(target_os = "linux")]
#[path = "../examples/gallery.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod gallery;

#[cfg(target_os = "linux")]
use dataset::Dataset;
use report::Row;

/// What every row needs to know about this run.
pub struct Config {
    /// Run every row briefly, for a smoke test.
    pub quick: bool,
    /// How many times each subject runs.
    pub repetitions: usize,
    /// The X server for the subjects that need one.
    pub display: children::Display,
    /// The directory of files the loading rows share, made by the first row
    /// that asks for it.
    #[cfg(target_os = "linux")]
    dataset: OnceCell<Result<Dataset, String>>,
}

#[cfg(target_os = "linux")]
impl Config {
    /// The shared directory of files, made on first use; an error is the
    /// text for the cells that needed it.
    pub fn dataset(&self) -> Result<&Dataset, String> {
        self.dataset
            .get_or_init(Dataset::create)
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// One subject's run: its figure, or why there is none.
pub type Run<'a, T> = Box<dyn FnMut() -> Result<T, String> + 'a>;

/// Runs every subject once per repetition, in turn, so that a noisy moment
/// of the machine falls on all of them alike. Returns each subject's
/// outcomes in repetition order.
pub fn interleave<T>(
    label: &str,
    repetitions: usize,
    subjects: &mut [(&str, Run<'_, T>)],
) -> Vec<Vec<Result<T, String>>> {
    let mut outcomes: Vec<Vec<Result<T, String>>> = subjects.iter().map(|_| Vec::new()).collect();
    for repetition in 1..=repetitions {
        eprintln!("[{label}] repetition {repetition}/{repetitions}");
        for ((name, run), column) in subjects.iter_mut().zip(&mut outcomes) {
            let outcome = run();
            if let Err(e) = &outcome {
                eprintln!("  {name}: {e}");
            }
            column.push(outcome);
        }
    }
    outcomes
}

/// A group of rows measured together, and the key that selects it.
type Group = (&'static str, fn(&Config) -> Vec<Row>);

/// Every row, in table order.
#[cfg(target_os = "linux")]
const GROUPS: [Group; 12] = [
    QUEUE_GROUPS[0],
    QUEUE_GROUPS[1],
    QUEUE_GROUPS[2],
    QUEUE_GROUPS[3],
    ("idle", idle::rows),
    ("frames", frames::rows),
    ("loading", loading::rows),
    ("loading window", loader_window::rows),
    ("memory", memory::rows),
    ("startup", startup::rows),
    ("watchdog cost", watchdog::rows),
    ("net echo", echo::rows),
];

/// Every row, in table order. The other rows read `/proc`, run examples
/// under Xvfb or use Unix-only peers; only the queue's own rows and the
/// loopback echo row run here.
#[cfg(not(target_os = "linux"))]
const GROUPS: [Group; 5] = [
    QUEUE_GROUPS[0],
    QUEUE_GROUPS[1],
    QUEUE_GROUPS[2],
    QUEUE_GROUPS[3],
    ("net echo", echo::rows),
];

/// The rows that measure the queue itself, which run on every OS.
const QUEUE_GROUPS: [Group; 4] = [
    ("throughput", |c| {
        vec![throughput::row(c, 1), throughput::row(c, 8)]
    }),
    ("latency", latency::rows),
    ("flood", flood::rows),
    ("submit", submit::rows),
];

#[expect(clippy::print_stdout, reason = "the table is the benchmark's output")]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == children::CHILD_FLAG) {
        return children::child_main(&args[at + 1..]);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let selected = |key: &str| words.iter().any(|w| key.contains(w));
    let run_all = !GROUPS.iter().any(|(key, _)| selected(key));

    let repetitions = if quick { 3 } else { 5 };
    let config = Config {
        quick,
        repetitions,
        display: children::Display::start(),
        #[cfg(target_os = "linux")]
        dataset: OnceCell::new(),
    };
    let started = Instant::now();
    let rows: Vec<Row> = GROUPS
        .iter()
        .filter(|(key, _)| run_all || selected(key))
        .flat_map(|(_, rows)| rows(&config))
        .collect();
    // The generated files go as soon as no row needs them.
    #[cfg_attr(
        not(target_os = "linux"),
        allow(clippy::drop_non_drop, reason = "only Linux rows generate files")
    )]
    drop(config);
    print!("{}", report::table(&rows, repetitions));
    eprintln!("took {:.1} s", started.elapsed().as_secs_f64());
    match report::write_json(&rows) {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("could not write {}: {e}", report::json_path().display());
            ExitCode::FAILURE
        }
    }
}
