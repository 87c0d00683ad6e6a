//! Child processes observed through a plain calloop loop, as a user sees them.
//!
//! The tests that start `sh` and friends run on Unix; the ones that start
//! this test binary again as the child (see `child/mod.rs`) run everywhere,
//! and a few check what only Windows does (its job object).
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected error"
)]

mod child;

#[cfg(unix)]
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use calloop::EventLoop;
use oneloop::io::process::{ProcessError, ProcessEvent, ProcessSource, MAX_LINE};

#[cfg(unix)]
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
#[cfg(unix)]
fn assert_gone(pid: u32) {
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses.
        let state = stat.rsplit(')').next().unwrap().trim_start();
        assert!(!state.starts_with('Z'), "process {pid} is a zombie: {stat}");
        panic!("process {pid} still exists: {stat}");
    }
}

#[cfg(unix)]
#[test]
fn stdout_and_stderr_lines_then_exit_code() {
    let events = run(sh("echo a; echo b >&2; echo c; exit 3"));
    assert_eq!(stdout(&events), ["a", "c"]);
    assert_eq!(stderr(&events), ["b"]);
    assert_eq!(exit_status(&events).code(), Some(3));
}

#[cfg(unix)]
#[test]
fn many_lines_arrive_in_order() {
    let mut command = Command::new("seq");
    command.args(["1", "100000"]);
    let events = run(command);
    let expected: Vec<String> = (1..=100_000).map(|n| n.to_string()).collect();
    assert_eq!(stdout(&events), expected);
    assert!(exit_status(&events).success());
}

#[cfg(unix)]
#[test]
fn crlf_invalid_utf8_and_unterminated_last_line() {
    let events = run(sh(r"printf 'caf\303\251 \377\r\n\nlast'"));
    assert_eq!(stdout(&events), ["caf\u{e9} \u{fffd}", "", "last"]);
    assert!(exit_status(&events).success());
}

#[cfg(unix)]
#[test]
fn overlong_line_arrives_in_bounded_pieces() {
    let events = run(sh("head -c 204800 /dev/zero | tr '\\0' x"));
    let pieces = stdout(&events);
    assert!(pieces.len() >= 4, "{} pieces", pieces.len());
    assert!(pieces.iter().all(|piece| piece.len() <= MAX_LINE));
    assert_eq!(pieces.concat(), "x".repeat(204_800));
    assert!(exit_status(&events).success());
}

#[cfg(unix)]
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

#[cfg(unix)]
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

#[cfg(unix)]
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

#[cfg(unix)]
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

#[cfg(unix)]
#[test]
fn output_written_just_before_exit_is_not_lost_to_a_grandchild() {
    // The child's last words are in the pipe when it exits; the grandchild
    // keeps the pipe open, so EOF never comes.
    let events = run(sh("sleep 5 & seq 1 20000; printf tail"));
    let lines = stdout(&events);
    assert_eq!(lines.len(), 20_001);
    assert_eq!(lines.last().map(String::as_str), Some("tail"));
}

#[cfg(unix)]
#[test]
fn exited_child_is_reaped() {
    let (source, handle) = ProcessSource::spawn(sh("exit 0")).unwrap();
    let events = collect(source, Duration::from_secs(5));
    assert!(exit_status(&events).success());
    assert_gone(handle.pid());
}

#[cfg(unix)]
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

// ---- on every OS: this test binary as the child -----------------------------

/// Runs the child script and returns its events after the child's markers.
fn run_child(script: &str) -> Vec<ProcessEvent> {
    child::after_marker(run(child::command(script)))
}

/// How a child ended by `kill()` reads: SIGKILL on Unix; on Windows the
/// job's termination code.
fn was_killed(status: ExitStatus) -> bool {
    #[cfg(unix)]
    return status.signal() == Some(9);
    #[cfg(windows)]
    return status.code() == Some(1);
}

/// A fresh file path for a heartbeat or progress file.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("process-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn child_lines_on_both_streams_then_its_exit_code() {
    let events = run_child("out=a;err=b;out=c;exit=3");
    assert_eq!(stdout(&events), ["a", "c"]);
    assert_eq!(stderr(&events), ["b"]);
    assert_eq!(exit_status(&events).code(), Some(3));
}

#[test]
fn many_child_lines_arrive_in_order() {
    let events = run_child("count=100000");
    let expected: Vec<String> = (1..=100_000).map(|n| n.to_string()).collect();
    assert_eq!(stdout(&events), expected);
    assert!(exit_status(&events).success());
}

#[test]
fn child_crlf_invalid_utf8_and_unterminated_last_line() {
    // "café \xff\r\n\nlast"
    let events = run_child("raw=636166c3a920ff0d0a0a6c617374");
    assert_eq!(stdout(&events), ["caf\u{e9} \u{fffd}", "", "last"]);
    assert!(exit_status(&events).success());
}

#[test]
fn child_overlong_line_arrives_in_bounded_pieces() {
    let events = run_child("xs=204800");
    let pieces = stdout(&events);
    assert!(pieces.len() >= 4, "{} pieces", pieces.len());
    assert!(pieces.iter().all(|piece| piece.len() <= MAX_LINE));
    assert_eq!(pieces.concat(), "x".repeat(204_800));
    assert!(exit_status(&events).success());
}

#[test]
fn killed_child_ends_promptly_and_kill_again_is_harmless() {
    let (source, handle) = ProcessSource::spawn(child::command("sleep=30000")).unwrap();
    let started = Instant::now();
    handle.kill().unwrap();
    let events = collect(source, Duration::from_secs(10));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let status = exit_status(&events);
    assert!(was_killed(status), "{status}");
    handle.kill().unwrap();
    handle.terminate().unwrap();
}

#[test]
fn terminated_child_ends() {
    let (source, handle) = ProcessSource::spawn(child::command("sleep=30000")).unwrap();
    handle.terminate().unwrap();
    let status = exit_status(&collect(source, Duration::from_secs(10)));
    #[cfg(unix)]
    assert_eq!(status.signal(), Some(15));
    // No SIGTERM on Windows: terminate ends the job like kill.
    #[cfg(windows)]
    assert_eq!(status.code(), Some(1));
}

#[test]
fn exit_is_reported_while_a_grandchild_holds_a_pipe() {
    let started = Instant::now();
    let events = run_child("spawn=sleep=8000;out=hi");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(stdout(&events), ["hi"]);
    assert!(exit_status(&events).success());
}

#[test]
fn last_words_are_not_lost_to_a_grandchild_holding_a_pipe() {
    let events = run_child("spawn=sleep=8000;count=20000;err=bye;raw=7461696c");
    let lines = stdout(&events);
    assert_eq!(lines.len(), 20_001);
    assert_eq!(lines.last().map(String::as_str), Some("tail"));
    assert_eq!(stderr(&events), ["bye"]);
}

#[test]
fn dropping_the_source_kills_the_child() {
    let beat = scratch("drop-beat");
    let script = format!("beat={}", beat.display());
    let (source, handle) = ProcessSource::spawn(child::command(&script)).unwrap();
    let mut event_loop = EventLoop::<()>::try_new().unwrap();
    event_loop
        .handle()
        .insert_source(source, |_, _, _| {})
        .unwrap();
    event_loop
        .dispatch(Duration::from_millis(10), &mut ())
        .unwrap();
    child::wait_for_beats(&beat);
    drop(event_loop);
    child::assert_no_more_beats(&beat);
    #[cfg(unix)]
    assert_gone(handle.pid());
    handle.kill().unwrap();
}

#[test]
fn missing_program_is_not_found_on_every_os() {
    let err = ProcessSource::spawn(Command::new("oneloop-no-such-program-either")).unwrap_err();
    assert!(
        matches!(&err, ProcessError::NotFound { program } if program == "oneloop-no-such-program-either"),
        "{err:?}"
    );
}

// ---- Windows: the job object -----------------------------------------------

#[cfg(windows)]
#[test]
fn kill_ends_the_grandchildren_too() {
    let beat = scratch("kill-beat");
    let script = format!("spawn=beat={};sleep=30000", beat.display());
    let (source, handle) = ProcessSource::spawn(child::command(&script)).unwrap();
    child::wait_for_beats(&beat);
    handle.kill().unwrap();
    let status = exit_status(&collect(source, Duration::from_secs(10)));
    assert!(was_killed(status), "{status}");
    child::assert_no_more_beats(&beat);
}

#[cfg(windows)]
#[test]
fn dropping_the_source_ends_the_grandchildren_too() {
    let beat = scratch("drop-tree-beat");
    let script = format!("spawn=beat={};sleep=30000", beat.display());
    let (source, _handle) = ProcessSource::spawn(child::command(&script)).unwrap();
    child::wait_for_beats(&beat);
    drop(source);
    child::assert_no_more_beats(&beat);
}

#[cfg(windows)]
#[test]
fn a_grandchild_holding_the_pipes_ends_with_the_child() {
    let beat = scratch("exit-beat");
    let script = format!("spawn=beat={};sleep=300;out=hi", beat.display());
    let events = run_child(&script);
    assert_eq!(stdout(&events), ["hi"]);
    assert!(exit_status(&events).success());
    child::assert_no_more_beats(&beat);
}
