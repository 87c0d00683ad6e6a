// A test that cannot set up should fail loudly at that line, so unwrap is the point here.
#![allow(clippy::unwrap_used)]

use super::*;
use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

const WAIT: Duration = Duration::from_secs(10);

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("oneloop-xvfb-{}-{name}", std::process::id()))
}

#[test]
fn two_servers_at_once_get_their_own_displays() {
    let name = "two_servers_at_once_get_their_own_displays";
    let Some(first) = start_or_skip(name) else {
        return;
    };
    let Some(second) = start_or_skip(name) else {
        return;
    };
    if !tools_or_skip(name, &["xdpyinfo"], require_e2e()) {
        return;
    }
    assert_ne!(first.display(), second.display());
    for xvfb in [&first, &second] {
        let info = Command::new("xdpyinfo")
            .args(["-display", &xvfb.display()])
            .output()
            .unwrap();
        assert!(info.status.success(), "{}: {info:?}", xvfb.display());
        let text = String::from_utf8_lossy(&info.stdout);
        assert!(text.contains("1280x800 pixels"), "{text}");
    }
}

/// Whether the server answering on `display` is the one whose root window
/// carries `token`. Display numbers are reused at once by parallel tests, so
/// "someone answers" does not mean "the same server answers".
fn answers_with(display: &str, token: &str) -> bool {
    let out = Command::new("xprop")
        .args(["-display", display, "-root", "ONELOOP_PROBE"])
        .output()
        .unwrap();
    out.status.success() && String::from_utf8_lossy(&out.stdout).contains(token)
}

#[test]
fn dropping_a_server_makes_its_display_unreachable() {
    let name = "dropping_a_server_makes_its_display_unreachable";
    let Some(xvfb) = start_or_skip(name) else {
        return;
    };
    if !tools_or_skip(name, &["xprop"], require_e2e()) {
        return;
    }
    let (display, pid) = (xvfb.display(), xvfb.pid());
    let token = format!("probe-{}-{pid}", std::process::id());
    let marked = Command::new("xprop")
        .args(["-display", &display, "-root", "-f", "ONELOOP_PROBE", "8s"])
        .args(["-set", "ONELOOP_PROBE", &token])
        .status()
        .unwrap();
    assert!(marked.success());
    assert!(answers_with(&display, &token));
    drop(xvfb);
    assert!(!answers_with(&display, &token), "{display} still answers");
    // Reaped, not left as a zombie or an orphan.
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "Xvfb {pid} lives on"
    );
}

#[test]
fn env_points_children_at_the_display_with_unit_scale() {
    let Some(xvfb) = start_or_skip("env_points_children_at_the_display") else {
        return;
    };
    let out = Command::new("sh")
        .args(["-c", "echo \"$DISPLAY $WINIT_X11_SCALE_FACTOR\""])
        .envs(xvfb.env())
        .output()
        .unwrap();
    let expected = format!("{} 1\n", xvfb.display());
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn missing_server_binary_says_how_to_install_it() {
    let err = Xvfb::start_program("oneloop-no-such-xvfb").unwrap_err();
    assert!(matches!(err, XvfbError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains(INSTALL_HINT), "{err}");
}

#[test]
fn server_that_exits_without_a_display_is_reported_with_its_stderr() {
    // `sh` rejects Xvfb's options on stderr and exits, as a broken server would.
    let err = Xvfb::start_program("sh").unwrap_err();
    match &err {
        XvfbError::Exited { status, stderr } => {
            assert!(status.contains('2'), "{status}");
            assert!(stderr.contains("-d"), "{stderr:?}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("Illegal option"), "{err}");
}

#[test]
fn server_that_reports_no_number_is_reported() {
    // `echo` prints its arguments where a display number should be.
    let err = Xvfb::start_program("echo").unwrap_err();
    match err {
        XvfbError::BadDisplay { output } => assert!(output.contains("-displayfd"), "{output}"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn missing_tool_skips_when_not_required() {
    assert!(!tools_or_skip("t", &["sh", "oneloop-no-such-tool"], false));
}

#[test]
#[should_panic(expected = "oneloop-no-such-tool is not on PATH; install it with `apt-get install")]
fn missing_tool_fails_the_test_when_required() {
    tools_or_skip("t", &["oneloop-no-such-tool"], true);
}

#[test]
fn present_tools_let_the_test_run() {
    assert!(tools_or_skip("t", &["sh"], true));
    assert!(tools_or_skip("t", &[], false));
}

#[test]
fn only_one_makes_end_to_end_tests_required() {
    assert!(required_by(Some("1")));
    assert!(required_by(Some(" 1\n")));
    for value in [None, Some(""), Some("0"), Some("yes")] {
        assert!(!required_by(value), "{value:?}");
    }
}

#[test]
fn xdotool_drives_a_real_window_and_captures_it() {
    let name = "xdotool_drives_a_real_window_and_captures_it";
    let Some(xvfb) = start_or_skip(name) else {
        return;
    };
    let Some(xdo) = Xdotool::or_skip(&xvfb, name) else {
        return;
    };
    if !tools_or_skip(name, &["xev", "xprop"], require_e2e()) {
        return;
    }
    // xev prints every event its window gets: a stand-in for an app's log.
    let mut app = Command::new("xev")
        .args(["-geometry", "200x150+0+0"])
        .envs(xvfb.env())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut events = LineWatcher::new(app.stdout.take().unwrap());
    events
        .wait_for(|l| l.starts_with("Expose event"), WAIT)
        .unwrap();

    // xev does not set _NET_WM_PID (winit does), so set it as winit would.
    let found = Command::new("xdotool")
        .args(["search", "--name", "^Event Tester$"])
        .env("DISPLAY", xvfb.display())
        .output()
        .unwrap();
    let id = String::from_utf8_lossy(&found.stdout).trim().to_owned();
    let pid = app.id().to_string();
    let set = Command::new("xprop")
        .args([
            "-id",
            &id,
            "-f",
            "_NET_WM_PID",
            "32c",
            "-set",
            "_NET_WM_PID",
            &pid,
        ])
        .env("DISPLAY", xvfb.display())
        .status()
        .unwrap();
    assert!(set.success());
    let window = xdo.search_pid(app.id(), "^Event Tester$", WAIT).unwrap();
    assert_eq!(window.to_string(), id);

    xdo.focus(window).unwrap();
    events
        .wait_for(|l| l.starts_with("FocusIn event"), WAIT)
        .unwrap();
    xdo.click(window, 50, 40).unwrap();
    events
        .wait_for(|l| l.starts_with("ButtonPress event"), WAIT)
        .unwrap();
    events.wait_for(|l| l.contains("button 1,"), WAIT).unwrap();
    xdo.type_text("hi").unwrap();
    events
        .wait_for(|l| l.contains("(keysym 0x68, h)"), WAIT)
        .unwrap();
    events
        .wait_for(|l| l.contains("(keysym 0x69, i)"), WAIT)
        .unwrap();
    xdo.key("Return").unwrap();
    events
        .wait_for(|l| l.contains("(keysym 0xff0d, Return)"), WAIT)
        .unwrap();

    assert_png_of_size(&temp_path("shot.png"), |path| xdo.screenshot(window, path));
    if tools_or_skip(name, &["xwd", "convert"], require_e2e()) {
        let xwd = |path: &Path| xdo.screenshot_with_xwd(window, path);
        assert_png_of_size(&temp_path("shot-xwd.png"), xwd);
    }

    app.kill().unwrap();
    app.wait().unwrap();
}

/// Takes a screenshot of the 200x150 test window with `take` and checks that
/// a PNG of that size came out.
fn assert_png_of_size(path: &Path, take: impl FnOnce(&Path) -> Result<(), XdotoolError>) {
    take(path).unwrap();
    let png = std::fs::read(path).unwrap();
    std::fs::remove_file(path).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (200, 150), "PNG width x height");
}

#[test]
fn search_for_a_window_that_never_comes_times_out() {
    let name = "search_for_a_window_that_never_comes_times_out";
    let Some(xvfb) = start_or_skip(name) else {
        return;
    };
    let Some(xdo) = Xdotool::or_skip(&xvfb, name) else {
        return;
    };
    let started = Instant::now();
    let waited = Duration::from_millis(300);
    let err = xdo.search_pid(std::process::id(), "x", waited).unwrap_err();
    assert!(
        matches!(err, XdotoolError::WindowNotFound { .. }),
        "{err:?}"
    );
    assert!(started.elapsed() >= waited);
}

#[test]
fn driving_a_stopped_server_fails_at_once_with_the_cause() {
    let name = "driving_a_stopped_server_fails_at_once_with_the_cause";
    let Some(xvfb) = start_or_skip(name) else {
        return;
    };
    let Some(xdo) = Xdotool::or_skip(&xvfb, name) else {
        return;
    };
    drop(xvfb);
    let started = Instant::now();
    let err = xdo.search_pid(1, "x", WAIT).unwrap_err();
    assert!(matches!(err, XdotoolError::Failed { .. }), "{err:?}");
    assert!(started.elapsed() < WAIT / 2, "waited for the timeout");
}

#[test]
fn wait_for_line_returns_the_first_matching_line() {
    let mut child = Command::new("sh")
        .args([
            "-c",
            "echo starting; sleep 0.1; echo ready on 3; echo ready on 4",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let line = wait_for_line(out, |l| l.starts_with("ready"), WAIT).unwrap();
    assert_eq!(line, "ready on 3");
    child.wait().unwrap();
}

#[test]
fn watcher_hands_out_later_lines_to_later_waits() {
    let mut log = LineWatcher::new(Cursor::new("a\nb\r\nc\n"));
    assert_eq!(log.wait_for(|l| l == "b", WAIT).unwrap(), "b");
    assert_eq!(log.wait_for(|_| true, WAIT).unwrap(), "c");
    match log.wait_for(|_| true, WAIT).unwrap_err() {
        WaitError::Closed { recent } => assert_eq!(recent, ["a", "b", "c"]),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn wait_gives_up_in_time_and_shows_what_it_saw() {
    let mut child = Command::new("sh")
        .args(["-c", "echo hello; exec sleep 30"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let out = child.stdout.take().unwrap();
    let err = wait_for_line(out, |l| l == "never", Duration::from_millis(300)).unwrap_err();
    let elapsed = started.elapsed();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < WAIT,
        "{elapsed:?}"
    );
    assert!(matches!(&err, WaitError::Timeout { recent, .. } if recent == &["hello"]));
    assert!(err.to_string().contains("hello"), "{err}");
}

#[test]
fn file_lines_count_only_once_complete() {
    let path = temp_path("log.txt");
    let _ = std::fs::remove_file(&path);
    let writer_path = path.clone();
    let writer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        let mut file = std::fs::File::create(&writer_path).unwrap();
        file.write_all(b"booting\nrea").unwrap();
        thread::sleep(Duration::from_millis(100));
        file.write_all(b"dy now\n").unwrap();
    });
    let line = wait_for_line_in_file(&path, |l| l.starts_with("rea"), WAIT).unwrap();
    writer.join().unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(line, "ready now");
}

#[test]
fn file_that_never_appears_times_out() {
    let path = temp_path("never.txt");
    let err = wait_for_line_in_file(&path, |_| true, Duration::from_millis(100)).unwrap_err();
    assert!(matches!(err, WaitError::Timeout { .. }), "{err:?}");
}
