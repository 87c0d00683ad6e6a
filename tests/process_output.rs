//! The process_output example, driven headless: a child's stdout and stderr
//! lines show up in the list, the status line shows how it exited, and Kill
//! ends a child that would run for long.
//!
//! The harness counts a running child as work in flight: `settle` (and so
//! every click) waits for it to exit.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

mod child;

#[path = "../examples/process_output.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod process_output;

use std::time::{Duration, Instant};

use oneloop::testing::Harness;
use oneloop::{ButtonState, Input, PointerButton};
use process_output::{Msg, Runner};

#[cfg(unix)]
fn runner(argv: &[&str]) -> Harness<Runner> {
    let argv = argv.iter().map(|s| (*s).to_owned()).collect();
    Harness::with_size(Runner::new(argv), 720.0, 480.0)
}

#[cfg(unix)]
#[test]
fn output_lines_and_the_exit_status_appear_on_screen() {
    let mut ui = runner(&["sh", "-c", "echo one; echo two >&2; exit 4"]);
    assert!(ui.has_text("one"), "{:?}", ui.texts());
    assert!(ui.has_text("two"), "{:?}", ui.texts());
    assert!(
        ui.has_text("2 lines · exited: exit status: 4"),
        "{:?}",
        ui.texts()
    );
    assert_eq!(
        ui.app().lines,
        [(false, "one".to_owned()), (true, "two".to_owned())],
        "stdout and stderr lines, stderr marked"
    );
    // "Run again" starts the command afresh: the same lines, not twice as many.
    ui.click("Run again");
    assert_eq!(ui.app().lines.len(), 2, "{:?}", ui.texts());
    assert!(
        ui.has_text("2 lines · exited: exit status: 4"),
        "{:?}",
        ui.texts()
    );
}

/// The argv that runs this test binary as a child with `script`.
fn child_argv(script: &str) -> Vec<String> {
    let exe = std::env::current_exe().unwrap();
    let mut argv = vec![exe.to_string_lossy().into_owned()];
    argv.extend(child::args(script));
    argv
}

#[test]
fn child_lines_and_its_exit_status_appear_on_screen() {
    let argv = child_argv("out=one;err=two;exit=4");
    let mut ui = Harness::with_size(Runner::new(argv), 720.0, 480.0);
    let lines: Vec<(bool, String)> = ui.app().lines.clone();
    // The child's own test harness prints a header before its markers.
    let after_marker = |stderr: bool| -> Vec<String> {
        let stream = lines.iter().filter(|(is_err, _)| *is_err == stderr);
        let mut after = stream.skip_while(|(_, line)| line != child::MARKER).skip(1);
        after.by_ref().map(|(_, line)| line.clone()).collect()
    };
    assert_eq!(after_marker(false), ["one"]);
    assert_eq!(after_marker(true), ["two"]);
    assert!(ui.has_text("one"), "{:?}", ui.texts());
    let status = format!("{} lines · exited: {}", lines.len(), exit_text(4));
    assert!(ui.has_text(&status), "{status:?} in {:?}", ui.texts());
}

/// How `std` shows exit code `code`.
fn exit_text(code: i32) -> String {
    if cfg!(windows) {
        format!("exit code: {code}")
    } else {
        format!("exit status: {code}")
    }
}

#[test]
fn kill_ends_a_long_running_child_at_once() {
    // Start with a child that exits at once, so the harness can settle.
    let mut ui = Harness::with_size(Runner::new(child_argv("exit=0")), 720.0, 480.0);
    ui.app_mut().argv = child_argv("sleep=30000");
    ui.poster().post(Msg::Run).unwrap();
    let settled = ui
        .event_loop()
        .run_until_settled(Duration::from_millis(300))
        .unwrap();
    assert!(!settled, "sleep 30 ended by itself");
    let running = ui
        .texts()
        .iter()
        .any(|t| t.starts_with("running ") && t.ends_with("sleep=30000"));
    assert!(running, "{:?}", ui.texts());

    // A click without settling first: `Harness::click` would wait for the
    // child to exit before the pointer even moved.
    let kill = ui.find("Kill").center();
    let poster = ui.poster();
    let started = Instant::now();
    poster
        .post_input(Input::PointerMoved { position: kill })
        .unwrap();
    for state in [ButtonState::Pressed, ButtonState::Released] {
        let button = PointerButton::Primary;
        let position = kill;
        poster
            .post_input(Input::PointerButton {
                button,
                state,
                position,
            })
            .unwrap();
    }
    ui.settle();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "Kill took {:?}",
        started.elapsed()
    );
    assert!(ui.app().process.is_none());
    let killed = if cfg!(windows) {
        "exit code: 1"
    } else {
        "signal: 9 (SIGKILL)"
    };
    let status = format!("{} lines · exited: {killed}", ui.app().lines.len());
    assert!(ui.has_text(&status), "{status:?} in {:?}", ui.texts());
}
