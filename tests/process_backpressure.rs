//! Backpressure: a disabled source reads nothing, so a flooding child blocks
//! on its full pipe and memory stays flat.
//!
//! This file is its own test binary so that no other test allocates in the
//! process while its memory is measured.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected error"
)]

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::time::{Duration, Instant};

use calloop::{EventLoop, LoopHandle, RegistrationToken};
use oneloop::io::process::{ProcessEvent, ProcessSource, READ_BUDGET};

/// What a core's queue would do: store messages, and stop the source when full.
struct Queue {
    lines: Vec<String>,
    exited: Option<std::process::ExitStatus>,
    limit: usize,
    loop_handle: LoopHandle<'static, Queue>,
    token: Option<RegistrationToken>,
    paused: bool,
}

fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

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

#[test]
fn disabled_source_blocks_a_flooding_child_and_resumes_when_enabled() {
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
