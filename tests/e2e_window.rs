//! A real window under a private Xvfb: input reaches the app, and a frame
//! caused by a background message — not by input — reaches the screen.

// Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::net::UdpSocket;
use std::path::Path;
use std::time::Duration;

use oneloop::testing::xvfb::{self, Launched, Xdotool};

mod support;

const WAIT: Duration = Duration::from_secs(20);

/// The RGB of pixel (x, y) of a PNG screenshot.
fn pixel(path: &Path, x: u32, y: u32) -> [u8; 3] {
    let mut decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    // ImageMagick writes a palette image when few colours are used.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let at = (y as usize * info.width as usize + x as usize) * channels;
    [buf[at], buf[at + 1], buf[at + 2]]
}

#[test]
fn background_frames_reach_the_screen_and_keys_reach_the_app() {
    let Some(server) =
        xvfb::start_or_skip("background_frames_reach_the_screen_and_keys_reach_the_app")
    else {
        return;
    };
    let Some(xdo) = Xdotool::or_skip(
        &server,
        "background_frames_reach_the_screen_and_keys_reach_the_app",
    ) else {
        return;
    };
    let mut app = Launched::example(&server, "custom_event", &["--idle"], &[]).unwrap();
    background_frame_and_key(&mut app, &xdo);
}

/// The Windows build under wine, through the driver where winit's loop is
/// the master: the datagram wakes calloop's IO completion port, which only
/// the source watch can turn into a window-system wake-up.
#[test]
fn background_frames_reach_the_screen_under_wine() {
    const NAME: &str = "background_frames_reach_the_screen_under_wine";
    let Some((server, xdo)) = xvfb::wine_desktop_or_skip(NAME, &["custom_event"]) else {
        return;
    };
    let mut app = Launched::windows_example(&server, "custom_event", &["--idle"], &[]).unwrap();
    background_frame_and_key(&mut app, &xdo);
}

/// A datagram's frame reaches the screen with no input to flush it, and a
/// key reaches the app.
fn background_frame_and_key(app: &mut Launched, xdo: &Xdotool) {
    let address = app.stdout.wait_for_value("listening on ", WAIT).unwrap();
    app.stdout
        .wait_for(|l| l.starts_with("frame"), WAIT)
        .unwrap();
    let window = xdo.search_pid(app.pid(), "Custom events", WAIT).unwrap();

    // A datagram is a background message: no input event accompanies it.
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.send_to(b"rgb 200 40 40", &address).unwrap();
    app.stdout
        .wait_for(|l| l.starts_with("frame rgb 200 40 40"), WAIT)
        .unwrap();
    let shot = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    // Without a flush after present, the image stays in the client's buffer:
    // look for up to a second without sending the app any input.
    let mut seen = [0; 3];
    for _ in 0..20 {
        xdo.screenshot(window, shot.path()).unwrap();
        seen = pixel(shot.path(), 470, 132);
        if seen == [200, 40, 40] {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        seen,
        [200, 40, 40],
        "the frame drawn for a background message is not on screen"
    );

    xdo.focus(window).unwrap();
    xdo.key("a").unwrap();
    app.stdout
        .wait_for(|l| l == "key Character(\"a\")", WAIT)
        .unwrap();
}

#[test]
fn an_idle_window_uses_no_cpu() {
    let Some(server) = xvfb::start_or_skip("an_idle_window_uses_no_cpu") else {
        return;
    };
    let mut app = Launched::example(&server, "custom_event", &["--idle"], &[]).unwrap();
    app.stdout
        .wait_for(|l| l.starts_with("frame"), WAIT)
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let before = app.cpu_time().unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let used = app.cpu_time().unwrap() - before;
    // /proc counts in 10 ms ticks: a polling loop would burn hundreds.
    assert!(
        used <= Duration::from_millis(20),
        "idle window used {used:?} of CPU in 2 s"
    );
}

#[test]
fn a_key_held_while_the_window_gains_focus_is_not_pressed_again() {
    let name = "a_key_held_while_the_window_gains_focus_is_not_pressed_again";
    let Some((server, xdo)) = xvfb::desktop_or_skip(name) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace_path = dir.path().join("trace.jsonl");
    let envs = [("ONELOOP_TRACE", trace_path.to_str().unwrap())];
    let mut app = Launched::example(&server, "custom_event", &["--idle"], &envs).unwrap();
    let other = Launched::example(&server, "custom_event", &["--idle"], &[]).unwrap();
    let window = xdo.search_pid(app.pid(), "Custom events", WAIT).unwrap();
    let elsewhere = xdo.search_pid(other.pid(), "Custom events", WAIT).unwrap();

    // Down goes down in another window and comes up in this one.
    xdo.focus(elsewhere).unwrap();
    xdo.key_down("Down").unwrap();
    xdo.focus(window).unwrap();
    xdo.key_up("Down").unwrap();
    xdo.key("a").unwrap();
    app.stdout
        .wait_for(|l| l == "key Character(\"a\")", WAIT)
        .unwrap();
    app.stdout
        .wait_for(|l| l == "key Character(\"a\")", WAIT)
        .unwrap();

    // The press happened elsewhere: this app may see the release, never a press.
    let trace = support::Trace::new(&trace_path);
    trace.wait_for_count(
        "Character(\"a\"), state: Released",
        1,
        "the marker key",
        WAIT,
    );
    let (pressed, _) = trace.key_presses("ArrowDown");
    assert_eq!(pressed, 0, "{:#?}", trace.key_events("ArrowDown"));
}
