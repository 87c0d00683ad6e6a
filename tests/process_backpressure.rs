//! Backpressure: a disabled source reads nothing, so a flooding child blocks
//! on its full pipe and memory stays flat.
//!
//! This file is its own test binary so that no other test allocates in the
//! process while its memory is measured.
//!
//! The Linux test floods with `yes` and measures the resident set; the
//! other runs on every OS with this test binary as a numbered flooder (see
//! `child/mod.rs`), and checks that the child stops writing while the
//! source is disabled and that no line is lost or repeated once it is
//! enabled again.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected error"
)]

mod child;

#[cfg(target_os = "linux")]
use std::os::unix::process::ExitStatusExt;
#[cfg(target_os = "linux")]
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use calloop::{EventLoop, LoopHandle, RegistrationToken};
#[cfg(target_os = "linux")]
use oneloop::io::process::READ_BUDGET;
use oneloop::io::process::{ProcessEvent, ProcessSource};

/// What a core's queue would do: store messages, and stop the source when full.
struct Queue {
    lines: Vec<String>,
    exited: Option<std::process::ExitStatus>,
    limit: usize,
    loop_handle: LoopHandle<'static, Queue>,
    token: Option<RegistrationToken>,
    paused: bool,
}

/// One test at a time: the Linux one measures this process's memory.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(target_os = "linux")]
fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[cfg(target_os = "linux")]
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim_start().chars().next()
}

fn dispatch_for(event_loop: &mut EventLoop<'static, Queue>, queue: &mut Queue, time: Duration) {
    let end = Instant::now() + time;
    while Instant::now() < end {
        event_loop
            .dispatch(Duration::from_millis(20), queue)
            .unwrap();
    }
}

fn dispatch_until(
    event_loop: &mut EventLoop<'static, Queue>,
    queue: &mut Queue,
    what: &str,
    mut done: impl FnMut(&Queue) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(queue) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        event_loop
            .dispatch(Duration::from_millis(20), queue)
            .unwrap();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn disabled_source_blocks_a_flooding_child_and_resumes_when_enabled() {
    let _serial = serial();
    let fds_before = open_fds();
    let mut event_loop = EventLoop::<Queue>::try_new().unwrap();
    let (source, handle) = ProcessSource::spawn(Command::new("yes")).unwrap();
    let mut queue = Queue {
        lines: Vec::new(),
        exited: None,
        limit: 1000,
        loop_handle: event_loop.handle(),
        token: None,
        paused: false,
    };
    let token = event_loop
        .handle()
        .insert_source(source, |event, _, queue: &mut Queue| match event {
            ProcessEvent::Stdout(line) => {
                queue.lines.push(line);
                // The queue is full: pause the source from inside its callback,
                // as a core would.
                if queue.lines.len() >= queue.limit && !queue.paused {
                    let token = queue.token.unwrap();
                    queue.loop_handle.disable(&token).unwrap();
                    queue.paused = true;
                }
            }
            ProcessEvent::Stderr(line) => panic!("unexpected stderr {line}"),
            ProcessEvent::Exited(status) => queue.exited = Some(status),
        })
        .unwrap();
    queue.token = Some(token);

    dispatch_until(&mut event_loop, &mut queue, "the queue to fill", |q| {
        q.paused
    });
    // The call that paused may finish its read budget; nothing more after it.
    event_loop
        .dispatch(Duration::from_millis(20), &mut queue)
        .unwrap();
    let received = queue.lines.len();
    assert!(
        received <= queue.limit + READ_BUDGET / 2,
        "{received} lines"
    );
    assert!(queue.lines.iter().all(|line| line == "y"));

    let rss_before = vm_rss_kib();
    dispatch_for(&mut event_loop, &mut queue, Duration::from_secs(1));
    let rss_growth = vm_rss_kib().saturating_sub(rss_before);
    assert_eq!(queue.lines.len(), received, "read while disabled");
    assert!(rss_growth < 4 * 1024, "memory grew by {rss_growth} KiB");
    // Alive and blocked writing to its full pipe.
    assert_eq!(process_state(handle.pid()), Some('S'));

    event_loop.handle().enable(&token).unwrap();
    queue.paused = true; // keep the callback from pausing again
    dispatch_until(&mut event_loop, &mut queue, "more output", |q| {
        q.lines.len() > received + 10_000
    });

    handle.kill().unwrap();
    dispatch_until(&mut event_loop, &mut queue, "the exit", |q| {
        q.exited.is_some()
    });
    assert_eq!(queue.exited.and_then(|s| s.signal()), Some(9));
    assert_eq!(process_state(handle.pid()), None, "child not reaped");

    drop(handle);
    drop(queue);
    drop(event_loop);
    assert_eq!(open_fds(), fds_before, "file descriptors leaked");
}

/// The count of lines the flooding child has written so far (to within
/// its 1024-line reporting step).
fn progress(path: &std::path::Path) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_paused_source_stops_a_numbered_flood_and_loses_no_line() {
    let _serial = serial();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let progress_file = dir.join(format!("flood-progress-{}", std::process::id()));
    let _ = std::fs::remove_file(&progress_file);
    let script = format!("flood={}", progress_file.display());

    let mut event_loop = EventLoop::<Queue>::try_new().unwrap();
    let (source, handle) = ProcessSource::spawn(child::command(&script)).unwrap();
    let mut queue = Queue {
        lines: Vec::new(),
        exited: None,
        limit: 1000,
        loop_handle: event_loop.handle(),
        token: None,
        paused: false,
    };
    let token = event_loop
        .handle()
        .insert_source(source, |event, _, queue: &mut Queue| match event {
            ProcessEvent::Stdout(line) => {
                queue.lines.push(line);
                if queue.lines.len() >= queue.limit && !queue.paused {
                    let token = queue.token.unwrap();
                    queue.loop_handle.disable(&token).unwrap();
                    queue.paused = true;
                }
            }
            // The child's harness header and marker, before the flood.
            ProcessEvent::Stderr(_) => {}
            ProcessEvent::Exited(status) => queue.exited = Some(status),
        })
        .unwrap();
    queue.token = Some(token);

    dispatch_until(&mut event_loop, &mut queue, "the queue to fill", |q| {
        q.paused
    });
    event_loop
        .dispatch(Duration::from_millis(20), &mut queue)
        .unwrap();
    let received = queue.lines.len();

    // Paused: nothing arrives, and the child soon stops getting anywhere.
    dispatch_for(&mut event_loop, &mut queue, Duration::from_millis(500));
    let written_early = progress(&progress_file);
    dispatch_for(&mut event_loop, &mut queue, Duration::from_millis(700));
    let written = progress(&progress_file);
    assert_eq!(queue.lines.len(), received, "read while disabled");
    assert_eq!(
        written, written_early,
        "the child kept writing while paused"
    );
    // What it wrote is held in the pipe and in the source's small buffers,
    // nowhere near what a second of flooding would have produced.
    let held = written.saturating_sub(received as u64);
    assert!(held < 100_000, "{held} lines written but not delivered");

    event_loop.handle().enable(&token).unwrap();
    queue.paused = true;
    let target = written as usize + 10_000;
    dispatch_until(
        &mut event_loop,
        &mut queue,
        "the held lines and more",
        |q| q.lines.len() > target,
    );
    handle.kill().unwrap();
    dispatch_until(&mut event_loop, &mut queue, "the exit", |q| {
        q.exited.is_some()
    });

    let numbers = child::after_marker(
        queue
            .lines
            .iter()
            .cloned()
            .map(ProcessEvent::Stdout)
            .collect(),
    );
    for (i, event) in numbers.iter().enumerate() {
        let expected = (i + 1).to_string();
        assert_eq!(
            event,
            &ProcessEvent::Stdout(expected),
            "line {i} lost, repeated or out of order"
        );
    }
    assert!(numbers.len() > target - 10, "{} lines", numbers.len());
    assert!(!queue.exited.unwrap().success());
}
