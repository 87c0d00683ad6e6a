//! Requests issued through `Cx`: file reads and their typed errors,
//! cancellation, blocking work that panics, quitting with reads in flight,
//! child processes and custom event sources.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::collections::HashMap;
use std::fs;
#[cfg(unix)]
use std::path::Path;
use std::path::PathBuf;
#[cfg(unix)]
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use oneloop::fs::{FsError, ReadOptions};
#[cfg(unix)]
use oneloop::io::process::ProcessEvent;
use oneloop::{App, Cx, Event, EventLoop, Interrupted, Lifecycle, RequestId, Settings};

type Outcome = Result<usize, FsError>;

/// Reads each path once at start and records how each read ended.
struct Batch {
    reads: Vec<(PathBuf, ReadOptions)>,
    outcomes: HashMap<PathBuf, Outcome>,
}

#[derive(Debug)]
enum Msg {
    Read(PathBuf, Outcome),
}

impl App for Batch {
    type Message = Msg;
    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for (path, options) in self.reads.clone() {
                    let key = path.clone();
                    cx.read_file_with(
                        path,
                        options,
                        |_| None,
                        move |r| Msg::Read(key, r.map(|b| b.len())),
                    );
                }
            }
            Event::Io(Msg::Read(path, outcome)) => {
                self.outcomes.insert(path, outcome);
                if self.outcomes.len() == self.reads.len() {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

fn run_batch(reads: Vec<(PathBuf, ReadOptions)>) -> HashMap<PathBuf, Outcome> {
    let app = Batch {
        reads,
        outcomes: HashMap::new(),
    };
    let event_loop = EventLoop::new(app, Settings::headless()).unwrap();
    event_loop.run().unwrap().outcomes
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn every_bad_file_ends_in_its_typed_error_and_good_ones_load() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(p("ok.txt"), b"hello\n").unwrap();
    fs::write(p("empty"), b"").unwrap();
    fs::create_dir(p("subdir")).unwrap();
    mkfifo(&p("fifo"));
    fs::File::create(p("sparse"))
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    std::os::unix::fs::symlink(p("nowhere"), p("dangling")).unwrap();
    std::os::unix::fs::symlink(p("loop_b"), p("loop_a")).unwrap();
    std::os::unix::fs::symlink(p("loop_a"), p("loop_b")).unwrap();
    let default = ReadOptions::default;
    let outcomes = run_batch(vec![
        (p("ok.txt"), default()),
        (p("empty"), default()),
        (p("missing"), default()),
        (p("subdir"), default()),
        (p("fifo"), default()),
        (p("sparse"), default()),
        (p("dangling"), default()),
        (p("loop_a"), default()),
        ("/dev/zero".into(), default().max_bytes(1 << 20)),
    ]);
    let got = |name: &str| &outcomes[&p(name)];
    assert!(matches!(got("ok.txt"), Ok(6)), "{:?}", got("ok.txt"));
    assert!(matches!(got("empty"), Ok(0)));
    assert!(matches!(got("missing"), Err(FsError::NotFound { .. })));
    assert!(matches!(got("subdir"), Err(FsError::IsADirectory { .. })));
    assert!(matches!(got("fifo"), Err(FsError::NotARegularFile { .. })));
    assert!(matches!(got("sparse"), Err(FsError::TooLarge { size, .. }) if *size == 2 << 30));
    assert!(matches!(got("dangling"), Err(FsError::NotFound { .. })));
    assert!(matches!(got("loop_a"), Err(FsError::SymlinkLoop { .. })));
    assert!(matches!(
        &outcomes[Path::new("/dev/zero")],
        Err(FsError::NotARegularFile { .. })
    ));
    // The messages name the file, so a user knows which one to fix.
    let message = got("subdir").as_ref().unwrap_err().to_string();
    assert!(message.contains("subdir"), "{message}");
}

/// The same through the loop on Windows: what Windows can make, plus a
/// file another program holds, device names and a path over 260 characters.
#[cfg(windows)]
#[test]
fn every_bad_file_ends_in_its_typed_error_and_good_ones_load() {
    use std::os::windows::fs::OpenOptionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    fs::write(p("ok.txt"), b"hello\n").unwrap();
    fs::write(p("empty"), b"").unwrap();
    fs::create_dir(p("subdir")).unwrap();
    fs::File::create(p("sparse"))
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    fs::write(p("held.txt"), b"busy").unwrap();
    let _held = fs::OpenOptions::new()
        .read(true)
        .share_mode(0)
        .open(p("held.txt"))
        .unwrap();
    let mut deep = dir.path().to_path_buf();
    while deep.as_os_str().len() <= 280 {
        deep.push("a-directory-name-of-forty-characters-xx");
    }
    fs::create_dir_all(&deep).unwrap();
    let long = deep.join("long.txt");
    fs::write(&long, b"far\n").unwrap();
    let default = ReadOptions::default;
    let outcomes = run_batch(vec![
        (p("ok.txt"), default()),
        (p("empty"), default()),
        (p("missing"), default()),
        (p("subdir"), default()),
        (p("sparse"), default()),
        (p("held.txt"), default()),
        (p("CON"), default()),
        (p("aux.txt"), default()),
        (long.clone(), default()),
    ]);
    let got = |name: &str| &outcomes[&p(name)];
    assert!(matches!(got("ok.txt"), Ok(6)), "{:?}", got("ok.txt"));
    assert!(matches!(got("empty"), Ok(0)));
    assert!(matches!(got("missing"), Err(FsError::NotFound { .. })));
    assert!(matches!(got("subdir"), Err(FsError::IsADirectory { .. })));
    assert!(matches!(got("sparse"), Err(FsError::TooLarge { size, .. }) if *size == 2 << 30));
    assert!(
        matches!(got("held.txt"), Err(FsError::InUse { .. })),
        "{:?}",
        got("held.txt")
    );
    assert!(matches!(got("CON"), Err(FsError::NotARegularFile { .. })));
    assert!(matches!(
        got("aux.txt"),
        Err(FsError::NotARegularFile { .. })
    ));
    assert!(matches!(&outcomes[&long], Ok(4)), "{:?}", outcomes[&long]);
    let message = got("held.txt").as_ref().unwrap_err().to_string();
    assert!(
        message.contains("held.txt") && message.contains("another program"),
        "{message}"
    );
}

/// Issues reads, cancels some, and counts how each ended.
#[derive(Default)]
struct Cancelling {
    path: PathBuf,
    ids: Vec<RequestId>,
    ok: usize,
    cancelled: usize,
    other: usize,
    total: usize,
}

#[derive(Debug)]
enum CancelMsg {
    Issue,
    Done(Result<Vec<u8>, FsError>),
}

impl App for Cancelling {
    type Message = CancelMsg;
    fn update(&mut self, event: Event<CancelMsg>, cx: &mut Cx<CancelMsg>) {
        match event {
            Event::App(CancelMsg::Issue) => {
                for _ in 0..2_000 {
                    self.ids
                        .push(cx.read_file(self.path.clone(), CancelMsg::Done));
                }
                // Cancel every other request straight away, in the same handler.
                for id in self.ids.iter().step_by(2) {
                    assert!(cx.cancel(*id));
                }
            }
            Event::Io(CancelMsg::Done(result)) => {
                match result {
                    Ok(_) => self.ok += 1,
                    Err(FsError::Cancelled) => self.cancelled += 1,
                    Err(_) => self.other += 1,
                }
                self.total += 1;
                if self.total == self.ids.len() {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[test]
fn a_cancelled_request_completes_exactly_once_as_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data");
    fs::write(&path, vec![7u8; 64 * 1024]).unwrap();
    let event_loop = EventLoop::new(
        Cancelling {
            path,
            ..Cancelling::default()
        },
        Settings::headless(),
    )
    .unwrap();
    event_loop.poster().post(CancelMsg::Issue).unwrap();
    let app = event_loop.run().unwrap();
    assert_eq!(app.total, 2_000, "every request completed once");
    assert_eq!(
        app.cancelled, 1_000,
        "each cancelled request reports Cancelled, never a stale success"
    );
    assert_eq!(app.ok, 1_000);
    assert_eq!(app.other, 0);
}

#[derive(Default)]
struct Panics {
    results: Vec<Result<u32, Interrupted>>,
}

impl App for Panics {
    type Message = Result<u32, Interrupted>;
    fn update(&mut self, event: Event<Self::Message>, cx: &mut Cx<Self::Message>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for i in 0..10u32 {
                    cx.blocking(
                        move |_| {
                            assert!(i % 3 != 0, "job {i} failed on purpose");
                            i
                        },
                        |r| r,
                    );
                }
            }
            Event::Io(result) => {
                self.results.push(result);
                if self.results.len() == 10 {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[test]
fn blocking_work_that_panics_becomes_an_error_and_the_pool_keeps_working() {
    let mut settings = Settings::headless();
    settings.io_threads = 2;
    let app = EventLoop::new(Panics::default(), settings)
        .unwrap()
        .run()
        .unwrap();
    let panicked = app
        .results
        .iter()
        .filter(|r| matches!(r, Err(Interrupted::Panicked(m)) if m.contains("failed on purpose")))
        .count();
    let succeeded = app.results.iter().filter(|r| r.is_ok()).count();
    assert_eq!((panicked, succeeded), (4, 6), "{:?}", app.results);
}

/// The kernel's id of the calling thread, from `/proc/thread-self`, so
/// the test can see that the thread is gone later.
#[cfg(target_os = "linux")]
fn thread_id() -> u64 {
    let link = fs::read_link("/proc/thread-self").unwrap();
    link.file_name().unwrap().to_str().unwrap().parse().unwrap()
}

/// The ids of `tids` whose threads still run.
#[cfg(target_os = "linux")]
fn still_running(tids: &[u64]) -> Option<Vec<u64>> {
    let alive = |tid: &&u64| Path::new(&format!("/proc/self/task/{tid}")).exists();
    Some(tids.iter().filter(alive).copied().collect())
}

/// No `/proc` here: thread ids are not looked up, and not checked.
#[cfg(not(target_os = "linux"))]
fn thread_id() -> u64 {
    0
}

/// Without `/proc`, whether the threads ended is not checked (`None`).
#[cfg(not(target_os = "linux"))]
fn still_running(_tids: &[u64]) -> Option<Vec<u64>> {
    None
}

/// Learns its own loop's worker threads, issues 10,000 reads and quits at
/// the first completion.
#[derive(Default)]
struct Quitter {
    path: PathBuf,
    workers: Vec<u64>,
    quit_at: Option<Instant>,
}

#[derive(Debug)]
enum QuitMsg {
    Worker(Result<u64, Interrupted>),
    Read,
}

const QUIT_WORKERS: usize = 2;

impl App for Quitter {
    type Message = QuitMsg;
    fn update(&mut self, event: Event<QuitMsg>, cx: &mut Cx<QuitMsg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                // One job per worker, each waiting for the others, so each
                // reports a different thread of this loop's pool.
                let arrived = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
                for _ in 0..QUIT_WORKERS {
                    let arrived = std::sync::Arc::clone(&arrived);
                    cx.blocking(
                        move |_| {
                            use std::sync::atomic::Ordering::SeqCst;
                            arrived.fetch_add(1, SeqCst);
                            while arrived.load(SeqCst) < QUIT_WORKERS {
                                thread::sleep(Duration::from_millis(1));
                            }
                            thread_id()
                        },
                        QuitMsg::Worker,
                    );
                }
            }
            Event::Io(QuitMsg::Worker(id)) => {
                self.workers.push(id.unwrap());
                if self.workers.len() < QUIT_WORKERS {
                    return;
                }
                for _ in 0..10_000 {
                    let options = ReadOptions::default().chunk_size(4096).max_bytes(1 << 30);
                    cx.read_file_with(self.path.clone(), options, |_| None, |_| QuitMsg::Read);
                }
            }
            Event::Io(QuitMsg::Read) => {
                // Quit at the first completion, 9,999 still in flight.
                self.quit_at.get_or_insert_with(Instant::now);
                cx.quit();
            }
            _ => {}
        }
    }
}

#[test]
fn quit_with_ten_thousand_reads_in_flight_returns_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big");
    fs::write(&path, vec![1u8; 8 << 20]).unwrap();
    let mut settings = Settings::headless();
    settings.io_threads = QUIT_WORKERS;
    let app = Quitter {
        path,
        ..Quitter::default()
    };
    let started = Instant::now();
    let app = EventLoop::new(app, settings).unwrap().run().unwrap();
    let took = app.quit_at.unwrap().elapsed();
    assert!(took < Duration::from_secs(1), "quitting took {took:?}");
    assert!(started.elapsed() < Duration::from_secs(30));
    // This loop's own workers, by thread id: other tests in this binary run
    // loops of their own, whose threads must not count.
    assert_eq!(app.workers.len(), QUIT_WORKERS);
    match still_running(&app.workers) {
        Some(left) => {
            assert!(left.is_empty(), "worker threads {left:?} outlived the loop");
            eprintln!(
                "quit with 9,999 reads in flight took {took:?}; its {QUIT_WORKERS} workers are gone"
            );
        }
        None => eprintln!(
            "quit with 9,999 reads in flight took {took:?} (worker exit not checked on this OS)"
        ),
    }
}

#[cfg(unix)]
/// Runs a command and records its events.
#[derive(Default)]
struct Processes {
    events: Vec<ProcessEvent>,
    max_depth: usize,
    handle: Option<oneloop::io::process::ProcessHandle>,
    command: Option<Command>,
    kill_after_first: bool,
}

#[cfg(unix)]
impl App for Processes {
    type Message = ProcessEvent;
    fn update(&mut self, event: Event<ProcessEvent>, cx: &mut Cx<ProcessEvent>) {
        self.max_depth = self.max_depth.max(cx.queue_depth());
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                let command = self.command.take().unwrap();
                self.handle = Some(cx.spawn_process(command, |e| e).unwrap());
            }
            Event::Io(e) => {
                let exited = matches!(e, ProcessEvent::Exited(_));
                if self.kill_after_first && self.events.is_empty() {
                    self.handle.as_ref().unwrap().kill().unwrap();
                }
                self.events.push(e);
                if exited {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[cfg(unix)]
fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

// These run `sh`; tests/process*.rs cover processes on every OS.
#[cfg(unix)]
#[test]
fn process_output_lines_and_exit_status_arrive_as_io_events() {
    let app = Processes {
        command: Some(sh("echo one; echo two >&2; echo three; exit 3")),
        ..Processes::default()
    };
    let app = EventLoop::new(app, Settings::headless())
        .unwrap()
        .run()
        .unwrap();
    let stdout: Vec<_> = app
        .events
        .iter()
        .filter_map(|e| match e {
            ProcessEvent::Stdout(l) => Some(l.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(stdout, ["one", "three"]);
    assert!(app.events.contains(&ProcessEvent::Stderr("two".into())));
    match app.events.last() {
        Some(ProcessEvent::Exited(status)) => assert_eq!(status.code(), Some(3)),
        other => panic!("last event was {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_flooding_process_is_paused_not_buffered_and_nothing_is_lost() {
    let mut settings = Settings::headless();
    settings.limits.io = 512;
    let app = Processes {
        command: Some(sh("seq 1 200000")),
        ..Processes::default()
    };
    let app = EventLoop::new(app, settings).unwrap().run().unwrap();
    let lines: Vec<u64> = app
        .events
        .iter()
        .filter_map(|e| match e {
            ProcessEvent::Stdout(l) => l.parse().ok(),
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), 200_000);
    assert!(
        lines.iter().enumerate().all(|(i, n)| *n == i as u64 + 1),
        "lines out of order"
    );
    // Bounded: the lane's limit plus at most one read's worth of lines.
    assert!(
        app.max_depth < 512 + 20_000,
        "queue grew to {}",
        app.max_depth
    );
}

#[cfg(unix)]
#[test]
fn killing_a_process_mid_output_ends_it_with_the_signal() {
    use std::os::unix::process::ExitStatusExt;
    let app = Processes {
        command: Some(sh("while true; do echo tick; sleep 0.01; done")),
        kill_after_first: true,
        ..Processes::default()
    };
    let started = Instant::now();
    let app = EventLoop::new(app, Settings::headless())
        .unwrap()
        .run()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    match app.events.last() {
        Some(ProcessEvent::Exited(status)) => assert_eq!(status.signal(), Some(9)),
        other => panic!("last event was {other:?}"),
    }
}

#[derive(Default)]
struct Pinged(Vec<u32>);

impl App for Pinged {
    type Message = u32;
    fn update(&mut self, event: Event<u32>, cx: &mut Cx<u32>) {
        if let Event::App(n) = event {
            self.0.push(n);
            if self.0.len() == 3 {
                cx.quit();
            }
        }
    }
}

#[test]
fn a_custom_calloop_source_feeds_the_apps_own_messages() {
    let mut event_loop = EventLoop::new(Pinged::default(), Settings::headless()).unwrap();
    let (sender, channel) = oneloop::calloop::channel::channel::<u32>();
    event_loop
        .cx()
        .insert_source(channel, |event, _, cx| {
            if let oneloop::calloop::channel::Event::Msg(n) = event {
                cx.post(n * 10);
            }
        })
        .unwrap();
    let feeder = thread::spawn(move || {
        for n in 1..=3 {
            sender.send(n).unwrap();
            thread::sleep(Duration::from_millis(5));
        }
    });
    let app = event_loop.run().unwrap();
    feeder.join().unwrap();
    assert_eq!(app.0, vec![10, 20, 30]);
}
