//! A child process for the process tests that runs on every OS: the test
//! binary starts itself again, running only [`entry`], with a script that
//! says what to do.
//!
//! A script is a `;`-separated list of steps:
//! - `out=TEXT`, `err=TEXT`: one line to stdout or stderr;
//! - `raw=HEX`: bytes to stdout, as they are (no line ending added);
//! - `xs=N`: N bytes `x` to stdout, no line ending;
//! - `count=N`: the lines `1` to `N` to stdout;
//! - `flood=PATH`: the lines `1`, `2`, … to stdout without end; every
//!   1024 lines the count so far replaces the contents of PATH;
//! - `beat=PATH`: a byte appended to PATH every 20 ms, without end;
//! - `spawn=STEPS`: starts a grandchild running STEPS (separated by `,`),
//!   sharing this child's stderr (its stdout goes to the null device, so
//!   that its own test harness header stays out), and does not wait for it;
//! - `sleep=MS`;
//! - `exit=CODE` (the default at the end is 0);
//! - `nomark` (first): no markers; a grandchild's script starts with it.
//!
//! The test harness prints a header to stdout before the entry runs, so
//! the child first writes [`MARKER`] to both streams, and [`after_marker`]
//! drops everything up to it.

#![allow(dead_code, reason = "each test binary uses the part it needs")]
#![allow(clippy::unwrap_used, reason = "a test child fails loudly")]

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use oneloop::io::process::ProcessEvent;

/// The first line the child writes to each stream.
pub const MARKER: &str = "--oneloop-test-child--";

/// The argument that carries the script; the harness takes it for a test
/// name filter that matches nothing, which is harmless.
const SCRIPT_ARG: &str = "oneloop-child-script=";

/// The arguments that make the test binary run only [`entry`] with `script`.
pub fn args(script: &str) -> Vec<String> {
    let fixed = ["child::entry", "--exact", "--ignored", "--nocapture", "-q"];
    let mut args: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    args.push(format!("{SCRIPT_ARG}{script}"));
    args
}

/// A command running this test binary as a child with `script`.
pub fn command(script: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(args(script));
    command
}

/// `events` without what came before the child's markers.
pub fn after_marker(events: Vec<ProcessEvent>) -> Vec<ProcessEvent> {
    let (mut out_seen, mut err_seen) = (false, false);
    events
        .into_iter()
        .filter(|event| match event {
            ProcessEvent::Stdout(line) if !out_seen => {
                out_seen = line == MARKER;
                false
            }
            ProcessEvent::Stderr(line) if !err_seen => {
                err_seen = line == MARKER;
                false
            }
            _ => true,
        })
        .collect()
}

/// The child's entry point: runs the script it was given, then exits.
/// Without a script (a plain `cargo test -- --ignored`) it does nothing.
#[test]
#[ignore = "the child process of the process tests; they start it themselves"]
fn entry() {
    let Some(script) = std::env::args().find_map(|a| a.strip_prefix(SCRIPT_ARG).map(str::to_owned))
    else {
        return;
    };
    // Buffered: under wine every unbuffered line would be a slow write call.
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let mut err = std::io::stderr().lock();
    // A grandchild's steps start with `nomark`: its parent wrote the markers.
    if !script.starts_with("nomark") {
        writeln!(out, "\n{MARKER}").unwrap();
        writeln!(err, "{MARKER}").unwrap();
        out.flush().unwrap();
    }
    let separator = if script.contains(';') { ';' } else { ',' };
    for step in script.split(separator).filter(|s| !s.is_empty()) {
        let (name, value) = step.split_once('=').unwrap_or((step, ""));
        match name {
            "nomark" => {}
            "out" => writeln!(out, "{value}").unwrap(),
            "err" => writeln!(err, "{value}").unwrap(),
            "raw" => out.write_all(&hex(value)).unwrap(),
            "xs" => out.write_all(&vec![b'x'; value.parse().unwrap()]).unwrap(),
            "count" => {
                for n in 1..=value.parse::<u64>().unwrap() {
                    writeln!(out, "{n}").unwrap();
                }
            }
            "flood" => flood(&mut out, Path::new(value)),
            "beat" => beat(Path::new(value)),
            "spawn" => {
                let mut grandchild = command(&format!("nomark,{}", value.replace(';', ",")));
                grandchild.stdin(Stdio::null()).stdout(Stdio::null());
                // Left running on purpose: it is the daemon that outlives
                // its parent and holds the pipe.
                let daemon = grandchild.spawn().unwrap();
                drop(daemon);
            }
            "sleep" => {
                out.flush().unwrap();
                std::thread::sleep(Duration::from_millis(value.parse().unwrap()));
            }
            "exit" => {
                out.flush().unwrap();
                std::process::exit(value.parse().unwrap());
            }
            other => panic!("unknown child step {other:?}"),
        }
    }
    out.flush().unwrap();
    // Exits before the harness would print its summary to stdout.
    std::process::exit(0);
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn flood(out: &mut impl Write, progress: &Path) -> ! {
    for n in 1u64.. {
        // A reader that went away ends the flood.
        if writeln!(out, "{n}").is_err() {
            std::process::exit(1);
        }
        if n % 1024 == 0 {
            std::fs::write(progress, n.to_string()).unwrap();
        }
    }
    unreachable!("the flood outlasted u64")
}

fn beat(path: &Path) -> ! {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    loop {
        file.write_all(b".").unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The size of a heartbeat file, 0 if it does not exist yet.
pub fn beats(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Waits until the process writing `path` has beaten a few times.
pub fn wait_for_beats(path: &Path) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while beats(path) < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "no heartbeat in {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts that nothing beats in `path` any more: its writer has ended.
pub fn assert_no_more_beats(path: &Path) {
    // Termination is asynchronous; give it a moment first.
    std::thread::sleep(Duration::from_millis(200));
    let before = beats(path);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(beats(path), before, "{} is still beating", path.display());
}
