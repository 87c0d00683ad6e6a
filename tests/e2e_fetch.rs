//! The fetch example as a real process under Xvfb, against a server the
//! test starts on loopback: URLs from the command line and typed into the
//! field are fetched concurrently, the spinner keeps frames coming while a
//! slow download streams, a click on Cancel stops it, and Ctrl+Q quits
//! cleanly. The checks read the example's stdout and trace; the screenshot
//! is for a person to look at.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]
#![allow(
    clippy::print_stdout,
    reason = "the test reports its frame counts (see --nocapture)"
)]

#[path = "../examples/fetch/main.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod fetch;

#[path = "support/http.rs"]
mod http_support;
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use http_support::{Reply, Server};
use oneloop::testing::xvfb::{self, Launched};
use oneloop::testing::Harness;
use support::Trace;

const WAIT: Duration = Duration::from_secs(20);
const NAME: &str = "fetch_downloads_concurrently_and_cancels_under_xvfb";

#[test]
fn fetch_downloads_concurrently_and_cancels_under_xvfb() {
    let Some((display, xdo)) = xvfb::desktop_or_skip(NAME) else {
        return;
    };
    let server = Server::start(|req| match req.path.as_str() {
        "/slow" => Reply::Trickle {
            head: b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n".to_vec(),
            body: vec![b's'; 100_000],
            every: Duration::from_millis(2),
        },
        "/big" => Reply::ok(&vec![b'b'; 4 << 20]),
        _ => Reply::with_status(
            200,
            &[("content-type", "text/plain")],
            b"hello from the test\n",
        ),
    });
    let (slow, hello, big) = (
        server.url("/slow"),
        server.url("/hello.txt"),
        server.url("/big"),
    );

    // Where the buttons are: the same layout, computed headless.
    let mut model = Harness::with_size(fetch::Fetcher::default(), 1000.0, 640.0);
    let cancel = model.find("Cancel").center();

    let logs = tempfile::tempdir().unwrap();
    let trace_path = logs.path().join("trace.jsonl");
    let trace = Trace::new(&trace_path);
    let envs = [("ONELOOP_TRACE", trace_path.to_str().unwrap())];
    let mut app = Launched::example(&display, "fetch", &[&slow, &hello], &envs).unwrap();
    let window = xdo.search_pid(app.pid(), "Fetch", WAIT).unwrap();
    app.stdout
        .wait_for(|l| l == format!("ok {hello}"), WAIT)
        .unwrap();
    trace.wait_for_next_frame(WAIT);

    // The slow one streams: the spinner keeps the frames coming.
    let frames_before = trace.paint_times().len();
    std::thread::sleep(Duration::from_secs(1));
    let frames_in_a_second = trace.paint_times().len() - frames_before;
    assert!(
        frames_in_a_second >= 20,
        "only {frames_in_a_second} frames in a second while a download ran"
    );

    // A URL typed into the field (Ctrl+L focuses it) and Enter.
    xdo.focus(window).unwrap();
    xdo.key("ctrl+l").unwrap();
    xdo.type_text(&big).unwrap();
    xdo.key("Return").unwrap();
    app.stdout
        .wait_for(|l| l == format!("ok {big}"), WAIT)
        .unwrap();

    // Cancel: the slow one is selected (the first in the list).
    let started = Instant::now();
    xdo.click(window, cancel.x as i32, cancel.y as i32).unwrap();
    app.stdout
        .wait_for(|l| l == format!("cancelled {slow}"), WAIT)
        .unwrap();
    let cancel_took = started.elapsed();

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e_fetch.png");
    std::thread::sleep(Duration::from_millis(200));
    xdo.screenshot(window, &shot).unwrap();
    let picture = oneloop::render::load_png(&shot).unwrap();
    assert_eq!((picture.width(), picture.height()), (1000, 640));

    xdo.key("ctrl+q").unwrap();
    let status = app.wait_exit(WAIT).unwrap().expect("the example quit");
    assert!(status.success(), "{status:?}");
    let slowest = trace
        .events()
        .iter()
        .map(|e| e.handler_us)
        .max()
        .unwrap_or(0);
    assert!(slowest < 100_000, "a handler ran {slowest} µs");
    println!(
        "{frames_in_a_second} frames/s while streaming; cancel took {cancel_took:?}; \
         slowest handler {slowest} µs; see {}",
        shot.display()
    );
}
