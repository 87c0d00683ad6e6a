//! File loading: the shared 10,000 files (1 GiB, in the page cache) read
//! whole, lines counted and checksummed,
//! - by the file loader's engine: a headless oneloop loop issuing one
//!   `cx.blocking(scan)` per file, exactly as the example's "Load all"
//!   does, with its progress reports, each completion a message handled on
//!   the loop thread;
//! - by a bare pool of as many threads (one per core, like oneloop's pool)
//!   doing the same per-file work with `std::fs::read`, no loop at all;
//! - by `xargs cat` into `/dev/null` in a child, the cost of reading alone
//!   on one core.
//!
//! Every subject must reproduce the files' line count and checksums, so a
//! fast wrong answer does not count.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use oneloop::fs::Progress;
use oneloop::{App, Cx, Event, EventLoop, Interrupted, Lifecycle, RequestId, Settings};

use crate::dataset::{Dataset, Totals};
use crate::file_loader::model::Reason;
use crate::file_loader::scan::{scan, Summary};
use crate::file_loader::Msg;
use crate::report::{Better, Cell, Clause, Row};
use crate::{interleave, Config, Run};

/// MB/s and files/s, from the same runs.
pub fn rows(config: &Config) -> Vec<Row> {
    let data = config.dataset();
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let with_data = |run: fn(&Dataset, usize) -> Result<f64, String>| -> Run<'_, f64> {
        let data = data.clone();
        Box::new(move || {
            let data = data.clone()?;
            run(data, threads)
        })
    };
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = vec![
        ("oneloop", with_data(engine)),
        ("bare pool", with_data(bare_pool)),
        ("cat", with_data(|data, _| cat(data))),
    ];
    let runs = interleave("file loading", config.repetitions, &mut subjects);
    let (files, bytes) = match &data {
        Ok(data) => (data.expected.files as f64, data.expected.bytes as f64),
        Err(_) => (f64::NAN, f64::NAN),
    };
    // Each run's figure is its time in seconds; the rows are rates.
    let column = |subject: usize, amount: f64| {
        let outcomes = runs.get(subject).map_or_else(Vec::new, |r| {
            r.iter()
                .map(|o| o.as_ref().map(|secs| amount / secs).map_err(Clone::clone))
                .collect()
        });
        Cell::from_outcomes(outcomes)
    };
    let row = |name: &str, unit: &'static str, amount: f64| {
        Row::new(name, unit, Better::Higher, column(0, amount))
            .peer("bare pool", column(1, amount))
            .peer("cat", column(2, amount))
    };
    let goal = "≥0.6× bare pool";
    vec![
        row("load 10k files, 1 GiB", "MB/s", bytes / 1e6)
            .goal(goal, vec![Clause::RatioAtLeast("bare pool", 0.6)]),
        row("load 10k files, files/s", "files/s", files)
            .goal(goal, vec![Clause::RatioAtLeast("bare pool", 0.6)]),
    ]
}

/// What the engine's app keeps: the loader's bookkeeping, reduced to the
/// totals.
struct Engine {
    files: Vec<PathBuf>,
    requests: Vec<RequestId>,
    left: usize,
    totals: Totals,
    failed: Option<String>,
    started: Option<Instant>,
    finished: Option<Instant>,
}

impl App for Engine {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                self.started = Some(Instant::now());
                self.load_all(cx);
            }
            Event::Io(Msg::Scanned(_, result)) => {
                match result {
                    Ok(summary) => self
                        .totals
                        .add(summary.bytes, summary.lines, summary.checksum),
                    Err(reason) => self.failed = Some(reason.text()),
                }
                self.left -= 1;
                if self.left == 0 {
                    self.finished = Some(Instant::now());
                    cx.quit();
                }
            }
            // The loader shows these in the file's row; nothing to keep here.
            _ => {}
        }
    }
}

impl Engine {
    /// The example's `load_all`: one blocking request per file, progress
    /// reported as it goes.
    fn load_all(&mut self, cx: &mut Cx<Msg>) {
        for (index, path) in self.files.iter().enumerate() {
            let path = path.clone();
            self.requests.push(cx.blocking(
                move |job| {
                    let mut report = |p: Progress| job.progress(Msg::Progress(index, p));
                    scan(&path, job.token(), &mut report)
                },
                move |result| Msg::Scanned(index, outcome(result)),
            ));
        }
    }
}

fn outcome(
    result: Result<Result<Summary, oneloop::fs::FsError>, Interrupted>,
) -> Result<Summary, Reason> {
    match result {
        Ok(Ok(summary)) if summary.binary => Err(Reason::Binary),
        Ok(Ok(summary)) => Ok(summary),
        Ok(Err(_)) | Err(_) => Err(Reason::Other),
    }
}

/// Seconds from the loop's start to the last completion handled.
fn engine(data: &Dataset, threads: usize) -> Result<f64, String> {
    let app = Engine {
        files: data.files.clone(),
        requests: Vec::with_capacity(data.files.len()),
        left: data.files.len(),
        totals: Totals::default(),
        failed: None,
        started: None,
        finished: None,
    };
    let mut settings = Settings::headless();
    settings.io_threads = threads;
    let event_loop = EventLoop::new(app, settings).map_err(|e| e.to_string())?;
    let app = event_loop.run().map_err(|e| e.to_string())?;
    if let Some(reason) = app.failed {
        return Err(format!("failed: a file did not load ({reason})"));
    }
    data.check(app.totals)?;
    match (app.started, app.finished) {
        (Some(started), Some(finished)) => Ok(finished.duration_since(started).as_secs_f64()),
        _ => Err("failed: the batch did not finish".to_owned()),
    }
}

/// `threads` threads taking the next file from a shared counter.
fn bare_pool(data: &Dataset, threads: usize) -> Result<f64, String> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let parts: Vec<Result<Totals, String>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut totals = Totals::default();
                    loop {
                        let Some(path) = data.files.get(next.fetch_add(1, Ordering::Relaxed))
                        else {
                            return Ok(totals);
                        };
                        let contents = std::fs::read(path)
                            .map_err(|e| format!("failed: {}: {e}", path.display()))?;
                        totals.add_contents(&contents);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or(Err("failed: a worker panicked".to_owned()))
            })
            .collect()
    });
    let secs = started.elapsed().as_secs_f64();
    let mut totals = Totals::default();
    for part in parts {
        totals.merge(part?);
    }
    data.check(totals)?;
    Ok(secs)
}

/// `xargs -0 -a LIST cat` with its output to `/dev/null`.
fn cat(data: &Dataset) -> Result<f64, String> {
    let list = data.scratch().join("files.list");
    if !list.exists() {
        let mut names = Vec::new();
        for path in &data.files {
            names.extend_from_slice(path.as_os_str().as_encoded_bytes());
            names.push(0);
        }
        std::fs::write(&list, names).map_err(|e| format!("failed: {e}"))?;
    }
    let started = Instant::now();
    let status = Command::new("xargs")
        .arg("-0")
        .arg("-a")
        .arg(&list)
        .arg("cat")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("skipped: cannot run xargs ({e})"))?;
    let secs = started.elapsed().as_secs_f64();
    if status.success() {
        Ok(secs)
    } else {
        Err(format!("failed: xargs cat ({status})"))
    }
}
