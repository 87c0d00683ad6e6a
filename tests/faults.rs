//! Faults: handlers that panic, blocking work that panics, child processes
//! killed mid-output, and files truncated, deleted, replaced or grown while
//! a read is under way. The loop must report each fault once, lose nothing
//! else, and go on.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
#[cfg(unix)]
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
#[cfg(unix)]
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use oneloop::fs::{FsError, Progress, ReadOptions};
#[cfg(unix)]
use oneloop::io::process::{ProcessEvent, ProcessHandle};
use oneloop::{App, Cx, Event, EventLoop, Interrupted, Lifecycle, PanicReport, Settings};

fn headless() -> Settings {
    let mut settings = Settings::headless();
    settings.system_fonts = false;
    settings
}

// ---- 1 handler in 1,000 panics over 100,000 messages -----------------------

const MESSAGES: u32 = 100_000;

#[derive(Default)]
struct Cursed {
    handled: u32,
    reports: Vec<PanicReport>,
}

impl App for Cursed {
    type Message = u32;
    fn update(&mut self, event: Event<u32>, cx: &mut Cx<u32>) {
        match event {
            Event::App(n) if n % 1000 == 500 => panic!("message {n} is cursed"),
            Event::App(n) => {
                self.handled += 1;
                if n == MESSAGES - 1 {
                    cx.quit();
                }
            }
            Event::Lifecycle(Lifecycle::Panicked(report)) => self.reports.push(report),
            _ => {}
        }
    }
}

#[test]
fn one_handler_in_a_thousand_panics_over_100k_messages() {
    let mut settings = headless();
    settings.describe_events = true;
    let event_loop = EventLoop::new(Cursed::default(), settings).unwrap();
    let poster = event_loop.poster();
    let producer = thread::spawn(move || (0..MESSAGES).all(|n| poster.post(n).is_ok()));
    let app = event_loop.run().unwrap();
    assert!(producer.join().unwrap());
    assert_eq!(app.handled, 99_900, "every other message is handled");
    assert_eq!(app.reports.len(), 100, "every panic is reported");
    // Once each: the reports name 100 distinct messages, the cursed ones.
    let named: BTreeSet<String> = app.reports.iter().map(|r| r.event.clone()).collect();
    assert_eq!(named.len(), 100, "a panic was reported twice");
    for (i, report) in app.reports.iter().enumerate() {
        let n = i * 1000 + 500;
        assert!(report.event.contains(&n.to_string()), "{report}");
        assert!(report.message.contains(&format!("message {n} is cursed")));
    }
    eprintln!("100,000 messages: 100 panics reported once each, 99,900 handled");
}

// ---- panicking blocking work: an error, and the pool keeps its size --------

const WORKERS: usize = 3;

#[derive(Default)]
struct PoolAfterPanics {
    panicked: usize,
    /// Thread ids of the jobs that had to run all at once.
    met: Vec<Result<Option<ThreadId>, Interrupted>>,
}

#[derive(Debug)]
enum PoolMsg {
    Panicked(Result<(), Interrupted>),
    Met(Result<Option<ThreadId>, Interrupted>),
}

impl App for PoolAfterPanics {
    type Message = PoolMsg;
    fn update(&mut self, event: Event<PoolMsg>, cx: &mut Cx<PoolMsg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for i in 0..30 {
                    cx.blocking(
                        move |_| panic!("job {i} failed on purpose"),
                        PoolMsg::Panicked,
                    );
                }
                // These can only finish if every worker runs one at once:
                // each waits until all of them have started.
                let arrived = Arc::new(AtomicUsize::new(0));
                for _ in 0..WORKERS {
                    let arrived = Arc::clone(&arrived);
                    cx.blocking(
                        move |_| {
                            arrived.fetch_add(1, Ordering::SeqCst);
                            let give_up = Instant::now() + Duration::from_secs(10);
                            while arrived.load(Ordering::SeqCst) < WORKERS {
                                if Instant::now() > give_up {
                                    return None;
                                }
                                thread::sleep(Duration::from_millis(1));
                            }
                            Some(thread::current().id())
                        },
                        PoolMsg::Met,
                    );
                }
            }
            Event::Io(PoolMsg::Panicked(result)) => {
                assert!(
                    matches!(&result, Err(Interrupted::Panicked(m)) if m.contains("failed on purpose")),
                    "{result:?}"
                );
                self.panicked += 1;
            }
            Event::Io(PoolMsg::Met(result)) => {
                self.met.push(result);
                if self.met.len() == WORKERS {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[test]
fn thirty_panicking_jobs_leave_every_worker_alive() {
    let mut settings = headless();
    settings.io_threads = WORKERS;
    let app = EventLoop::new(PoolAfterPanics::default(), settings)
        .unwrap()
        .run()
        .unwrap();
    assert_eq!(app.panicked, 30, "each panic came back as an error");
    let threads: HashSet<ThreadId> = app
        .met
        .iter()
        .map(|r| r.clone().unwrap().expect("the pool lost a worker"))
        .collect();
    assert_eq!(threads.len(), WORKERS, "the jobs ran on distinct workers");
}

// ---- child processes killed mid-output -------------------------------------

#[cfg(unix)]
#[derive(Default)]
struct Child {
    command: Option<Command>,
    handle: Option<ProcessHandle>,
    kill_after: usize,
    events: Vec<ProcessEvent>,
    after_exit: Vec<&'static str>,
}

#[cfg(unix)]
#[derive(Debug)]
enum ChildMsg {
    Process(ProcessEvent),
    Later(&'static str),
}

#[cfg(unix)]
impl App for Child {
    type Message = ChildMsg;
    fn update(&mut self, event: Event<ChildMsg>, cx: &mut Cx<ChildMsg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                let command = self.command.take().unwrap();
                self.handle = Some(cx.spawn_process(command, ChildMsg::Process).unwrap());
            }
            Event::Io(ChildMsg::Process(e)) => {
                let exited = matches!(e, ProcessEvent::Exited(_));
                self.events.push(e);
                if self.events.len() == self.kill_after {
                    self.handle.as_ref().unwrap().kill().unwrap();
                }
                if exited {
                    // The loop goes on after the child is gone.
                    cx.post(ChildMsg::Later("still serving"));
                }
            }
            Event::App(ChildMsg::Later(text)) => {
                self.after_exit.push(text);
                cx.quit();
            }
            _ => {}
        }
    }
}

#[cfg(unix)]
fn run_child(script: &str, kill_after: usize) -> Child {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    let app = Child {
        command: Some(command),
        kill_after,
        ..Child::default()
    };
    let started = Instant::now();
    let app = EventLoop::new(app, headless()).unwrap().run().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a kill was slow"
    );
    app
}

#[cfg(unix)]
fn stdout(events: &[ProcessEvent]) -> Vec<&str> {
    let lines = events.iter().filter_map(|e| match e {
        ProcessEvent::Stdout(l) => Some(l.as_str()),
        _ => None,
    });
    lines.collect()
}

#[cfg(unix)]
fn assert_killed_last(events: &[ProcessEvent]) {
    let exits = events
        .iter()
        .filter(|e| matches!(e, ProcessEvent::Exited(_)))
        .count();
    assert_eq!(exits, 1, "Exited must come exactly once");
    match events.last() {
        Some(ProcessEvent::Exited(status)) => assert_eq!(status.signal(), Some(9)),
        other => panic!("last event was {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_flooding_child_killed_mid_output_delivers_whole_lines_then_its_death() {
    let app = run_child("exec seq 1 100000000", 20_000);
    assert_killed_last(&app.events);
    let lines = stdout(&app.events);
    assert!(lines.len() >= 19_999, "{} lines", lines.len());
    // Every line before the kill arrived whole and in order; only the very
    // last one may have been cut by the kill.
    let (last, whole) = lines.split_last().unwrap();
    for (i, line) in whole.iter().enumerate() {
        assert_eq!(*line, (i + 1).to_string());
    }
    assert!((whole.len() + 1).to_string().starts_with(last), "{last}");
    assert_eq!(app.after_exit, ["still serving"]);
}

#[cfg(unix)]
#[test]
fn a_line_half_written_when_the_child_is_killed_still_arrives() {
    // One write puts "head\n" and "partial" in the pipe; the kill comes when
    // "head" is seen, so "partial" is already written and never finished.
    let app = run_child(r"printf 'head\npartial'; exec sleep 30", 1);
    assert_killed_last(&app.events);
    assert_eq!(stdout(&app.events), ["head", "partial"]);
    assert_eq!(app.after_exit, ["still serving"]);
}

// ---- files changed while being read ----------------------------------------

const SIZE: usize = 8 << 20;
const FAULT_AT: u64 = 1 << 20;

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

type Fault = Box<dyn Fn() + Send + Sync>;

/// Reads each file once, running its fault from the worker thread as soon
/// as the read has passed `FAULT_AT` bytes, so the fault always lands mid-read.
struct Tampered {
    reads: Vec<(&'static str, PathBuf, u64, Option<Fault>)>,
    results: HashMap<&'static str, Result<Vec<u8>, FsError>>,
}

#[derive(Debug)]
struct Done(&'static str, Result<Vec<u8>, FsError>);

impl App for Tampered {
    type Message = Done;
    fn update(&mut self, event: Event<Done>, cx: &mut Cx<Done>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for (name, path, max_bytes, fault) in self.reads.iter_mut() {
                    let options = ReadOptions::default()
                        .chunk_size(64 << 10)
                        .progress_every(Some(64 << 10))
                        .max_bytes(*max_bytes);
                    let fault = fault.take();
                    let fired = AtomicBool::new(false);
                    let name = *name;
                    cx.read_file_with(
                        path.clone(),
                        options,
                        move |p: Progress| {
                            if p.done >= FAULT_AT && !fired.swap(true, Ordering::SeqCst) {
                                if let Some(fault) = &fault {
                                    fault();
                                }
                            }
                            None
                        },
                        move |r| Done(name, r),
                    );
                }
            }
            Event::Io(Done(name, result)) => {
                self.results.insert(name, result);
                if self.results.len() == self.reads.len() {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[test]
fn files_truncated_deleted_replaced_or_grown_mid_read() {
    let dir = tempfile::tempdir().unwrap();
    let original = pattern(SIZE);
    let path = |name: &str| dir.path().join(name);
    for name in ["truncated", "deleted", "replaced", "grown"] {
        fs::write(path(name), &original).unwrap();
    }
    let truncated = path("truncated");
    let deleted = path("deleted");
    let (replaced, replacement) = (path("replaced"), path("replacement"));
    fs::write(&replacement, vec![0xee; 2 << 20]).unwrap();
    let grown = path("grown");
    let cap = SIZE as u64 + (1 << 20);
    let faults: Vec<(&'static str, PathBuf, u64, Option<Fault>)> = vec![
        ("truncated", truncated.clone(), cap, {
            let p = truncated.clone();
            Some(Box::new(move || {
                let file = fs::OpenOptions::new().write(true).open(&p).unwrap();
                file.set_len(4 << 20).unwrap();
            }))
        }),
        ("deleted", deleted.clone(), cap, {
            let p = deleted.clone();
            Some(Box::new(move || fs::remove_file(&p).unwrap()))
        }),
        ("replaced", replaced.clone(), cap, {
            let (from, to) = (replacement.clone(), replaced.clone());
            Some(Box::new(move || {
                let renamed = fs::rename(&from, &to);
                // Windows refuses to replace a file that is open (std opens
                // without FILE_SHARE_DELETE for renames over it); Unix swaps
                // the name and the reader keeps the old file.
                if cfg!(windows) {
                    assert!(renamed.is_err(), "Windows replaced an open file");
                } else {
                    renamed.unwrap();
                }
            }))
        }),
        ("grown", grown.clone(), cap, {
            let p = grown.clone();
            Some(Box::new(move || {
                use std::io::Write;
                let mut file = fs::OpenOptions::new().append(true).open(&p).unwrap();
                file.write_all(&vec![1u8; 2 << 20]).unwrap();
            }))
        }),
        ("untouched", path("untouched"), cap, None),
    ];
    fs::write(path("untouched"), &original).unwrap();
    let app = Tampered {
        reads: faults,
        results: HashMap::new(),
    };
    let app = EventLoop::new(app, headless()).unwrap().run().unwrap();
    let got = |name: &str| &app.results[name];

    // Shrunk under the reader: the read ends early, with the bytes that
    // were there, never garbage or a crash.
    let bytes = got("truncated").as_ref().unwrap();
    assert_eq!(bytes.len(), 4 << 20);
    assert!(
        bytes[..] == original[..4 << 20],
        "a truncated read returned wrong bytes"
    );
    // Deleted or replaced: the open file still reads whole and unchanged.
    assert!(got("deleted").as_ref().unwrap() == &original);
    assert!(!deleted.exists());
    assert!(got("replaced").as_ref().unwrap() == &original);
    if cfg!(windows) {
        // The replacement waits for the reader to let go of the file.
        fs::rename(&replacement, &replaced).unwrap();
    }
    assert_eq!(fs::read(&replaced).unwrap(), vec![0xee; 2 << 20]);
    // Grown past the cap mid-read: refused, not slurped.
    match got("grown") {
        Err(FsError::TooLarge { limit, size, .. }) => {
            assert_eq!(*limit, cap);
            assert!(*size > cap);
        }
        other => panic!("grown: {:?}", other.as_ref().map(Vec::len)),
    }
    assert!(got("untouched").as_ref().unwrap() == &original);
}

// ---- a panic in the turn that quits is still reported ----------------------

#[derive(Default)]
struct PanicThenQuit {
    reports: Vec<PanicReport>,
}

impl App for PanicThenQuit {
    type Message = &'static str;
    fn update(&mut self, event: Event<&'static str>, cx: &mut Cx<&'static str>) {
        match event {
            Event::App("panic") => panic!("the last straw"),
            Event::App("quit") => cx.quit(),
            Event::Lifecycle(Lifecycle::Panicked(report)) => self.reports.push(report),
            _ => {}
        }
    }
}

#[test]
fn a_panic_in_the_turn_that_quits_is_still_reported() {
    let event_loop = EventLoop::new(PanicThenQuit::default(), headless()).unwrap();
    let poster = event_loop.poster();
    // Both are queued before the loop runs, so one turn handles both.
    poster.post("panic").unwrap();
    poster.post("quit").unwrap();
    let app = event_loop.run().unwrap();
    assert_eq!(app.reports.len(), 1, "the report was dropped at quit");
    assert!(app.reports[0].message.contains("the last straw"));
}
