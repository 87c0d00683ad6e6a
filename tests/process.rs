//! Child processes observed through a plain calloop loop, as a user sees them.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected error"
)]

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use calloop::EventLoop;
use oneloop::io::process::{ProcessError, ProcessEvent, ProcessSource, MAX_LINE};

fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.arg("-c").arg(script);
    command
}

/// Drives `source` on its own loop until it reports `Exited`.
fn collect(source: ProcessSource, timeout: Duration) -> Vec<ProcessEvent> {
    let mut event_loop = EventLoop::<Vec<ProcessEvent>>::try_new().unwrap();
    event_loop
        .handle()
        .insert_source(source, |event, _, events| events.push(event))
        .unwrap();
    let deadline = Instant::now() + timeout;
    let mut events = Vec::new();
    while !events.iter().any(|e| matches!(e, ProcessEvent::Exited(_))) {
        assert!(Instant::now() < deadline, "no Exited within {timeout:?}");
        event_loop
            .dispatch(Duration::from_millis(50), &mut events)
            .unwrap();
    }
    // A few more turns: nothing may follow Exited.
    for _ in 0..3 {
        event_loop
            .dispatch(Duration::from_millis(10), &mut events)
            .unwrap();
    }
    events
}

fn run(command: Command) -> Vec<ProcessEvent> {
    let (source, _handle) = ProcessSource::spawn(command).unwrap();
    collect(source, Duration::from_secs(10))
}

fn stdout(events: &[ProcessEvent]) -> Vec<String> {
    let lines = events.iter().filter_map(|e| match e {
        ProcessEvent::Stdout(line) => Some(line.clone()),
        _ => None,
    });
    lines.collect()
}

fn stderr(events: &[ProcessEvent]) -> Vec<String> {
    let lines = events.iter().filter_map(|e| match e {
        ProcessEvent::Stderr(line) => Some(line.clone()),
        _ => None,
    });
    lines.collect()
}

/// The exit status, checking that it came exactly once and last.
fn exit_status(events: &[ProcessEvent]) -> ExitStatus {
    let exits = events
        .iter()
        .filter(|e| matches!(e, ProcessEvent::Exited(_)))
        .count();
    assert_eq!(exits, 1, "Exited must be delivered exactly once");
    match events.last() {
        Some(ProcessEvent::Exited(status)) => *status,
        other => panic!("Exited must be last, got {other:?}"),
    }
}

/// A process that is neither running nor a zombie has left no trace.
fn assert_gone(pid: u32) {
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses.
        let state = stat.rsplit(')').next().unwrap().trim_start();
        assert!(!state.starts_with('Z'), "process {pid} is a zombie: {stat}");
        panic!("process {pid} still exists: {stat}");
    }
}

#[test]
fn stdout_and_stderr_lines_then_exit_code() {
    let events = run(sh("echo a; echo b >&2; echo c; exit 3"));
    assert_eq!(stdout(&events), ["a", "c"]);
    assert_eq!(stderr(&events), ["b"]);
    assert_eq!(exit_status(&events).code(), Some(3));
}

#[test]
fn many_lines_arrive_in_order() {
    let mut command = Command::new("seq");
    command.args(["1", "100000"]);
    let events = run(command);
    let expected: Vec<String> = (1..=100_000).map(|n| n.to_string()).collect();
    assert_eq!(stdout(&events), expected);
    assert!(exit_status(&events).success());
}

#[test]
fn crlf_invalid_utf8_and_unterminated_last_line() {
    let events = run(sh(r"printf 'caf\303\251 \377\r\n\nlast'"));
    assert_eq!(stdout(&events), ["caf\u{e9} \u{fffd}", "", "last"]);
    assert!(exit_status(&events).success());
}

#[test]
fn overlong_line_arrives_in_bounded_pieces() {
    let events = run(sh("head -c 204800 /dev/zero | tr '\\0' x"));
    let pieces = stdout(&events);
    assert!(pieces.len() >= 4, "{} pieces", pieces.len());
    assert!(pieces.iter().all(|piece| piece.len() <= MAX_LINE));
    assert_eq!(pieces.concat(), "x".repeat(204_800));
    assert!(exit_status(&events).success());
}

#[test]
fn killed_child_reports_signal_promptly() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let (source, handle) = ProcessSource::spawn(command).unwrap();
    let started = Instant::now();
    handle.kill().unwrap();
    let events = collect(source, Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(exit_status(&events).signal(), Some(9));
    assert_gone(handle.pid());
    // Signalling a child that is gone is a harmless no-op.
    handle.kill().unwrap();
    handle.terminate().unwrap();
}

#[test]
fn terminate_sends_sigterm() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let (source, handle) = ProcessSource::spawn(command).unwrap();
    handle.terminate().unwrap();
    let events = collect(source, Duration::from_secs(5));
    assert_eq!(exit_status(&events).signal(), Some(15));
}

#[test]
fn missing_program_is_not_found_by_name() {
    let err = ProcessSource::spawn(Command::new("oneloop-no-such-program")).unwrap_err();
    match &err {
        ProcessError::NotFound { program } => assert_eq!(program, "oneloop-no-such-program"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert!(err.to_string().contains("oneloop-no-such-program"));
}

#[test]
fn non_executable_file_is_permission_denied() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("not-executable");
    std::fs::write(&path, "echo never\n").unwrap();
    let err = ProcessSource::spawn(Command::new(&path)).unwrap_err();
    let expected = path.to_string_lossy();
    assert!(
        matches!(&err, ProcessError::PermissionDenied { program } if *program == expected),
        "{err:?}"
    );
}

#[test]
fn exit_is_reported_while_a_grandchild_holds_the_pipes() {
    let started = Instant::now();
    let events = run(sh("sleep 5 & echo hi"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(stdout(&events), ["hi"]);
    assert!(exit_status(&events).success());
}

#[test]
fn output_written_just_before_exit_is_not_lost_to_a_grandchild() {
    // The child's last words are in the pipe when it exits; the grandchild
    // keeps the pipe open, so EOF never comes.
    let events = run(sh("sleep 5 & seq 1 20000; printf tail"));
    let lines = stdout(&events);
    assert_eq!(lines.len(), 20_001);
    assert_eq!(lines.last().map(String::as_str), Some("tail"));
}

#[test]
fn exited_child_is_reaped() {
    let (source, handle) = ProcessSource::spawn(sh("exit 0")).unwrap();
    let events = collect(source, Duration::from_secs(5));
    assert!(exit_status(&events).success());
    assert_gone(handle.pid());
}

#[test]
fn dropping_the_source_kills_and_reaps_the_child() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let (source, handle) = ProcessSource::spawn(command).unwrap();
    let mut event_loop = EventLoop::<()>::try_new().unwrap();
    event_loop
        .handle()
        .insert_source(source, |_, _, _| {})
        .unwrap();
    event_loop
        .dispatch(Duration::from_millis(10), &mut ())
        .unwrap();
    assert!(std::path::Path::new(&format!("/proc/{}", handle.pid())).exists());
    drop(event_loop);
    assert_gone(handle.pid());
    handle.kill().unwrap();
}
