//! The image widget: decoding happens on the worker pool, the result comes
//! back through the queue, and what shows is the picture's pixels, a
//! placeholder while it loads, or an error for a missing or corrupt file.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use oneloop::render::{Color, Rect};
use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, Point, Theme};
use oneloop_widgets::{button, column, image, load_image, row, Picture};

#[derive(Debug, Clone)]
enum Msg {
    Open,
    Loaded(usize, Picture),
}

struct Viewer {
    paths: Vec<PathBuf>,
    pictures: Vec<Picture>,
    /// Whether each completion arrived in the IO lane.
    via_io: Vec<bool>,
    actual: bool,
    theme: Theme,
}

impl Viewer {
    fn new(paths: Vec<PathBuf>) -> Self {
        Self {
            pictures: vec![Picture::Loading; paths.len()],
            paths,
            via_io: Vec::new(),
            actual: false,
            theme: Theme::light(),
        }
    }
}

impl App for Viewer {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        let via_io = matches!(event, Event::Io(_));
        match event.into_message() {
            Some(Msg::Open) => {
                for (i, path) in self.paths.iter().enumerate() {
                    load_image(cx, path, move |p| Msg::Loaded(i, p));
                }
            }
            Some(Msg::Loaded(i, picture)) => {
                self.via_io.push(via_io);
                self.pictures[i] = picture;
            }
            None => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let pictures = self.pictures.iter().fold(row().spacing(10.0), |r, p| {
            let view = image(p).size(200.0, 100.0);
            r.push(if self.actual {
                view.actual_size()
            } else {
                view
            })
        });
        column()
            .padding(10.0)
            .spacing(8.0)
            .push(button("Open").on_press(Msg::Open))
            .push(pictures)
            .into()
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

const RED: [u8; 3] = [220, 30, 30];
const BLUE: [u8; 3] = [30, 60, 220];

/// A `w`×`h` picture, red on its left half and blue on its right.
fn halves(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, _| image::Rgb(if x < w / 2 { RED } else { BLUE }))
}

fn write(dir: &Path, name: &str, format: image::ImageFormat, w: u32, h: u32) -> PathBuf {
    let mut bytes = Cursor::new(Vec::new());
    if let Err(e) = halves(w, h).write_to(&mut bytes, format) {
        panic!("cannot encode the test picture: {e}");
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes.into_inner()).expect("write the test picture");
    path
}

/// The image widgets' rects: a row of 200×100 boxes under the button.
fn boxes(ui: &mut Harness<Viewer>, count: usize) -> Vec<Rect> {
    let open = ui.find("Open");
    (0..count)
        .map(|i| Rect::new(10.0 + 210.0 * i as f32, open.bottom() + 8.0, 200.0, 100.0))
        .collect()
}

fn pixel(frame: &tiny_skia::Pixmap, at: Point) -> Color {
    let (x, y) = (at.x as u32, at.y as u32);
    let i = ((y * frame.width() + x) * 4) as usize;
    let p = &frame.data()[i..i + 4];
    Color::rgba(p[0], p[1], p[2], p[3])
}

fn near(c: Color, rgb: [u8; 3], tolerance: u8) -> bool {
    [c.r, c.g, c.b]
        .iter()
        .zip(rgb)
        .all(|(a, b)| a.abs_diff(b) <= tolerance)
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

#[test]
fn a_png_and_a_jpeg_show_their_pixels_fitted_after_a_placeholder() {
    let dir = tempdir();
    let png = write(dir.path(), "a.png", image::ImageFormat::Png, 40, 20);
    let jpeg = write(dir.path(), "b.jpg", image::ImageFormat::Jpeg, 64, 32);
    let mut ui = Harness::with_size(Viewer::new(vec![png, jpeg]), 440.0, 160.0);
    assert_eq!(ui.find_all("Loading image…").len(), 2, "placeholders first");
    ui.click("Open");
    assert_eq!(
        ui.app().via_io,
        [true, true],
        "completions come through the IO lane"
    );
    assert!(ui.find_all("Loading image…").is_empty());
    let frame = ui.render();
    for (rect, tolerance) in boxes(&mut ui, 2).into_iter().zip([0, 12]) {
        // 2:1 pictures fitted into a 2:1 box fill it: red left, blue right.
        let left = Point::new(rect.x + 40.0, rect.center().y);
        let right = Point::new(rect.right() - 40.0, rect.center().y);
        assert!(
            near(pixel(&frame, left), RED, tolerance),
            "{:?}",
            pixel(&frame, left)
        );
        assert!(
            near(pixel(&frame, right), BLUE, tolerance),
            "{:?}",
            pixel(&frame, right)
        );
    }
}

#[test]
fn fitting_keeps_the_aspect_and_actual_size_is_one_to_one() {
    let dir = tempdir();
    // A square picture in a 2:1 box: fitted, it is 100×100 in the middle.
    let square = write(dir.path(), "sq.png", image::ImageFormat::Png, 20, 20);
    let mut ui = Harness::with_size(Viewer::new(vec![square]), 240.0, 160.0);
    ui.click("Open");
    let rect = boxes(&mut ui, 1)[0];
    let background = Theme::light().background;
    let frame = ui.render();
    let y = rect.center().y;
    assert_eq!(pixel(&frame, Point::new(rect.x + 45.0, y)), background);
    assert!(near(pixel(&frame, Point::new(rect.x + 55.0, y)), RED, 0));
    assert!(near(pixel(&frame, Point::new(rect.x + 145.0, y)), BLUE, 0));
    assert_eq!(pixel(&frame, Point::new(rect.x + 155.0, y)), background);
    // At 1:1 the 20 px picture covers 20 px around the middle, sharp.
    ui.app_mut().actual = true;
    ui.cx().request_redraw();
    let frame = ui.render();
    let mid = rect.center().x;
    assert!(near(pixel(&frame, Point::new(mid - 9.5, y)), RED, 0));
    assert!(near(pixel(&frame, Point::new(mid + 9.5, y)), BLUE, 0));
    assert_eq!(pixel(&frame, Point::new(mid - 11.0, y)), background);
    assert_eq!(pixel(&frame, Point::new(mid + 11.0, y)), background);
}

#[test]
fn a_corrupt_file_and_a_missing_one_show_the_error_state() {
    let dir = tempdir();
    let good = write(dir.path(), "good.png", image::ImageFormat::Png, 40, 20);
    let bytes = std::fs::read(&good).expect("read back");
    // A real PNG signature and header, then the data cut off and garbled.
    let mut broken = bytes[..bytes.len() / 2].to_vec();
    broken.extend_from_slice(b"garbage garbage garbage");
    let corrupt = dir.path().join("corrupt.png");
    std::fs::write(&corrupt, broken).expect("write");
    let missing = dir.path().join("missing.jpg");
    let mut ui = Harness::with_size(Viewer::new(vec![corrupt, missing]), 440.0, 160.0);
    ui.click("Open");
    let texts = ui.texts();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[1].starts_with("Corrupt image"), "{}", texts[1]);
    assert!(
        texts[2].starts_with("Cannot read missing.jpg"),
        "{}",
        texts[2]
    );
    assert!(matches!(ui.app().pictures[0], Picture::Failed(_)));
    // The box is outlined in the danger color.
    let frame = ui.render();
    let rect = boxes(&mut ui, 1)[0];
    let edge = pixel(&frame, Point::new(rect.x, rect.center().y));
    assert_eq!(edge, Theme::light().danger);
}

/// Names of the threads that logged a decode.
fn decoding_threads() -> &'static Mutex<Vec<String>> {
    static THREADS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    THREADS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Records which thread each "decoded image" event was logged on.
struct ThreadRecorder;

impl tracing::Subscriber for ThreadRecorder {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("oneloop_widgets")
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if event.metadata().target() == "oneloop_widgets::image" {
            let name = std::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_owned();
            if let Ok(mut threads) = decoding_threads().lock() {
                threads.push(name);
            }
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn decoding_runs_on_a_pool_thread_not_the_loop_thread() {
    // Global: the decode logs on another thread.
    let _ = tracing::subscriber::set_global_default(Arc::new(ThreadRecorder));
    let dir = tempdir();
    let big = write(dir.path(), "big.png", image::ImageFormat::Png, 1200, 800);
    let mut ui = Harness::with_size(Viewer::new(vec![big]), 240.0, 160.0);
    ui.click("Open");
    assert!(ui.app().pictures[0].image().is_some());
    let loop_thread = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned();
    let threads = decoding_threads().lock().expect("not poisoned").clone();
    assert!(!threads.is_empty(), "the decode was logged");
    for name in &threads {
        assert_ne!(*name, loop_thread, "decoded on the loop thread");
        assert!(name.starts_with("oneloop-io"), "decoded on {name}");
    }
}

fn states(theme: Theme) -> Harness<Viewer> {
    let dir = tempdir();
    let good = write(dir.path(), "good.png", image::ImageFormat::Png, 64, 32);
    // Relative, so the message on screen is the same on every run.
    let missing = PathBuf::from("no-such-folder/gone.png");
    let mut app = Viewer::new(vec![good, missing]);
    app.theme = theme;
    app.pictures.push(Picture::Loading);
    app.paths.push(PathBuf::new());
    let mut ui = Harness::with_size(app, 650.0, 160.0);
    // Load the first two only; the third keeps its placeholder.
    let paths = ui.app().paths[..2].to_vec();
    for (i, path) in paths.into_iter().enumerate() {
        load_image(ui.cx(), path, move |p| Msg::Loaded(i, p));
    }
    ui.settle();
    ui
}

#[test]
fn snapshot_light() {
    states(Theme::light()).assert_snapshot("image_light");
}

#[test]
fn snapshot_dark() {
    states(Theme::dark()).assert_snapshot("image_dark");
}
