//! The counter example as a Wayland client of a private weston, with no
//! `DISPLAY` to fall back to: its window opens and paints, it sleeps while
//! idle, and it quits cleanly when the user closes its window.
//!
//! Weston's headless backend offers no input device (no `wl_seat`), so
//! nothing can ask a window there to close. The quit test therefore runs
//! weston on its X11 backend inside a private Xvfb and clicks the close
//! button of the window's title bar through weston's own X window; the
//! app still sees only the Wayland socket.

// weston, Xvfb and xdotool are Unix programs.
#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::path::Path;
use std::time::{Duration, Instant};

use oneloop::testing::wayland::{self, Backend};
use oneloop::testing::xvfb::{self, wait_for_line_in_file, Launched, WindowId, Xdotool};

mod support;

const WAIT: Duration = Duration::from_secs(20);

/// Whether a trace line is a painted frame.
fn is_frame(line: &str) -> bool {
    line.contains("\"type\":\"frame\"")
}

#[test]
fn counter_on_headless_weston_opens_paints_and_then_sleeps() {
    let name = "counter_on_headless_weston_opens_paints_and_then_sleeps";
    let Some(weston) = wayland::weston_or_skip(name, Backend::Headless) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace_path = dir.path().join("trace.jsonl");
    let envs = [("ONELOOP_TRACE", trace_path.to_str().unwrap())];
    let mut app = Launched::example_on_wayland(&weston, "counter", &[], &envs).unwrap();
    wait_for_line_in_file(&trace_path, is_frame, WAIT)
        .unwrap_or_else(|e| panic!("no frame was painted on Wayland: {e}"));
    let trace = support::Trace::new(&trace_path);
    // The compositor configured the window: it exists on its side too.
    trace.wait_for_count("Resized", 1, "the compositor's configure", WAIT);

    // Let the first frames settle, then watch it do nothing.
    std::thread::sleep(Duration::from_millis(300));
    let frames = trace.paint_times().len();
    let before = app.cpu_time().unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let used = app.cpu_time().unwrap() - before;
    // /proc counts in 10 ms ticks: a loop that polls or redraws would burn
    // hundreds in 2 s.
    assert!(
        used <= Duration::from_millis(20),
        "the idle Wayland window used {used:?} of CPU in 2 s"
    );
    let painted = trace.paint_times().len() - frames;
    assert_eq!(painted, 0, "the idle window painted {painted} frames");
    assert_eq!(
        app.wait_exit(Duration::ZERO).unwrap(),
        None,
        "the app exited by itself"
    );
}

#[test]
fn counter_on_wayland_quits_cleanly_when_its_window_is_closed() {
    let name = "counter_on_wayland_quits_cleanly_when_its_window_is_closed";
    let Some((server, xdo)) = xvfb::desktop_or_skip(name) else {
        return;
    };
    let Some(mut weston) = wayland::weston_or_skip(name, Backend::X11(&server)) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let trace_path = dir.path().join("trace.jsonl");
    let envs = [("ONELOOP_TRACE", trace_path.to_str().unwrap())];
    let mut app = Launched::example_on_wayland(&weston, "counter", &[], &envs).unwrap();
    wait_for_line_in_file(&trace_path, is_frame, WAIT)
        .unwrap_or_else(|e| panic!("no frame was painted on Wayland: {e}"));

    let output = xdo.search_class("Weston Compositor", WAIT).unwrap();
    let shot = dir.path().join("output.png");
    let (x, y) = wait_for_close_button(&xdo, output, &shot);
    // Bring the pointer into weston's X window from outside, hover, then
    // click a pixel further on, as a hand would. A pointer that starts
    // inside that window (Xvfb puts it mid-screen) gives weston no enter
    // event, and weston then sometimes routed the click to the desktop.
    xdo.move_pointer(output, OUTSIDE.0, OUTSIDE.1).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    xdo.move_pointer(output, x - 2, y).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    xdo.click(output, x, y).unwrap();

    let status = app.wait_exit(WAIT).unwrap().unwrap_or_else(|| {
        panic!(
            "the app did not quit after its close button at ({x}, {y}) was clicked; see {}",
            shot.display()
        )
    });
    assert!(status.success(), "the app quit with {status}");
    let trace = support::Trace::new(&trace_path);
    assert_eq!(
        trace.count("CloseRequested"),
        1,
        "the app quit without seeing the close request"
    );
    assert!(
        weston.is_running(),
        "the compositor went away; that is not the app quitting"
    );
}

/// A point of the X screen beyond weston's output window.
const OUTSIDE: (i32, i32) = (1000, 700);

/// The title bar winit draws on weston (which leaves decorations to
/// clients): a dark bar whose close button, the rightmost, is a light
/// filled square.
const TITLE_BAR: [u8; 3] = [0x3a, 0x3a, 0x3a];
const BUTTON: [u8; 3] = [0xcc, 0xcc, 0xcc];
/// The counter's window is 320 logical pixels wide; a shorter dark run is
/// something else.
const MIN_BAR: usize = 300;

/// Takes screenshots of weston's output until the counter's close button
/// shows, and returns its centre in output coordinates.
fn wait_for_close_button(xdo: &Xdotool, output: WindowId, shot: &Path) -> (i32, i32) {
    let deadline = Instant::now() + WAIT;
    loop {
        xdo.screenshot(output, shot).unwrap();
        if let Some(at) = close_button(&Rgb::load(shot)) {
            return at;
        }
        assert!(
            Instant::now() < deadline,
            "no window title bar with a close button on screen; see {}",
            shot.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The centre of the close button in the topmost title bar of `image`.
fn close_button(image: &Rgb) -> Option<(i32, i32)> {
    let (top, left, right) = (0..image.height).find_map(|y| {
        let run = longest_run(image, y, 0, image.width, TITLE_BAR)?;
        (run.1 - run.0 >= MIN_BAR).then_some((y, run.0, run.1))
    })?;
    // The button is the rightmost light run in the bar; the row where it is
    // widest crosses the filled square rather than a corner.
    let bar = top..(top + 40).min(image.height);
    let rows: Vec<(usize, (usize, usize))> = bar
        .filter_map(|y| last_run(image, y, left, right, BUTTON).map(|run| (y, run)))
        .collect();
    let widest = rows.iter().map(|(_, (a, b))| b - a).max()?;
    let square: Vec<&(usize, (usize, usize))> =
        rows.iter().filter(|(_, (a, b))| b - a == widest).collect();
    let (y, (a, b)) = square[square.len() / 2];
    let x = (a + b) / 2;
    Some((i32::try_from(x).ok()?, i32::try_from(*y).ok()?))
}

/// The longest run of `colour` in row `y` between `from` and `to`, as
/// `(start, end)`.
fn longest_run(
    image: &Rgb,
    y: usize,
    from: usize,
    to: usize,
    colour: [u8; 3],
) -> Option<(usize, usize)> {
    runs(image, y, from, to, colour).max_by_key(|(a, b)| b - a)
}

/// The rightmost run of `colour` in row `y` between `from` and `to`.
fn last_run(
    image: &Rgb,
    y: usize,
    from: usize,
    to: usize,
    colour: [u8; 3],
) -> Option<(usize, usize)> {
    runs(image, y, from, to, colour).last()
}

/// The runs of `colour` in row `y` between `from` and `to`, left to right.
fn runs(
    image: &Rgb,
    y: usize,
    from: usize,
    to: usize,
    colour: [u8; 3],
) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut x = from;
    std::iter::from_fn(move || {
        while x < to && image.at(x, y) != colour {
            x += 1;
        }
        if x >= to {
            return None;
        }
        let start = x;
        while x < to && image.at(x, y) == colour {
            x += 1;
        }
        Some((start, x))
    })
}

/// A screenshot as plain RGB pixels.
struct Rgb {
    width: usize,
    height: usize,
    channels: usize,
    pixels: Vec<u8>,
}

impl Rgb {
    fn load(path: &Path) -> Rgb {
        let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
        let mut decoder = png::Decoder::new(file);
        // ImageMagick writes a palette image when few colours are used.
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        Rgb {
            width: info.width as usize,
            height: info.height as usize,
            channels: info.color_type.samples(),
            pixels,
        }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.width + x) * self.channels;
        match self.channels {
            // Grey, with or without alpha, when the capture has no colour.
            1 | 2 => [self.pixels[i]; 3],
            _ => [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]],
        }
    }
}
