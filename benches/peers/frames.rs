//! Frame time, rendered headless in this process at 1280×800 (the same
//! painter a window uses, without the copy to the window).
//!
//! Whole repaints of the widget gallery and of the file loader with 10,000
//! entries listed, and a 100,000-row list after one wheel step; the peer is
//! the floor, a tiny-skia pixmap of the same size allocated and filled,
//! which is what any frame costs before it draws anything.
//!
//! Then what damage tracking saves: the file loader's frames while it loads
//! the 10,000 files and while it sits idle with its spinner turning, each
//! repainting only what changed, beside the same frames painted whole.

use std::time::Instant;

use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, Point};
use oneloop_widgets::{button, column, label, list, row_item};

use crate::file_loader::{Loader, Msg};
use crate::gallery::Gallery;
use crate::report::{median, Better, Cell, Clause, Row};
use crate::{interleave, Config, Run};

const WIDTH: f32 = 1280.0;
const HEIGHT: f32 = 800.0;
/// Untimed frames first: the first frame shapes text and fills caches.
const WARM_UP: usize = 5;

/// One row per subject, each with the fill floor beside it.
pub fn rows(config: &Config) -> Vec<Row> {
    let frames = if config.quick { 15 } else { 60 };
    let mut gallery_ui = None;
    let mut loader_ui = None;
    let mut list_ui = None;
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = vec![
        (
            "gallery",
            Box::new(move || {
                let ui = gallery_ui
                    .get_or_insert_with(|| Harness::with_size(Gallery::default(), WIDTH, HEIGHT));
                Ok(median_frame(ui, frames, |_| {}, whole))
            }),
        ),
        (
            "file loader",
            Box::new(move || {
                if loader_ui.is_none() {
                    let dir = config.dataset()?.dir();
                    let ui = Harness::with_size(Loader::new(&dir), WIDTH, HEIGHT);
                    if ui.app().entries.len() != crate::dataset::FILES {
                        return Err("failed: the listing is incomplete".to_owned());
                    }
                    loader_ui = Some(ui);
                }
                let ui = loader_ui.as_mut().ok_or("failed: no loader")?;
                Ok(median_frame(ui, frames, |_| {}, whole))
            }),
        ),
        (
            "list scroll step",
            Box::new(move || {
                let ui = list_ui.get_or_insert_with(|| Harness::with_size(Rows, WIDTH, HEIGHT));
                let step = |ui: &mut Harness<Rows>| {
                    ui.scroll_at(Point::new(WIDTH / 2.0, HEIGHT / 2.0), -1.0);
                };
                Ok(median_frame(ui, frames, step, Harness::render))
            }),
        ),
        ("tiny-skia fill", Box::new(move || Ok(fill_frame(frames)))),
    ];
    let runs = interleave("frame time", config.repetitions, &mut subjects);
    let mut cells = runs.into_iter().map(Cell::from_outcomes);
    let mut next = || {
        cells
            .next()
            .unwrap_or(Cell::Skipped("failed: not run".to_owned()))
    };
    let (gallery, loader, scroll, floor) = (next(), next(), next(), next());
    let row = |name: &str, cell: Cell| {
        Row::new(name, "ms", Better::Lower, cell)
            .peer("tiny-skia fill", floor.clone())
            .goal("≤4 ms", vec![Clause::Below(4.0)])
    };
    let mut rows = vec![
        row("frame: gallery 1280×800, whole", gallery),
        row("frame: file loader, 10k listed, whole", loader),
        row("frame: 100k-row list, wheel step", scroll),
    ];
    rows.extend(damage_rows(config, frames));
    rows
}

/// The file loader's frames repainting only what changed, beside the same
/// frames painted whole: while it loads 10,000 files, and idle.
fn damage_rows(config: &Config, frames: usize) -> Vec<Row> {
    let mut loaders: [Option<Harness<Loader>>; 2] = [None, None];
    let mut idle: [Option<Harness<Loader>>; 2] = [None, None];
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = Vec::new();
    for (i, (slot, idle_slot)) in loaders.iter_mut().zip(idle.iter_mut()).enumerate() {
        let partial = i == 0;
        let name = if partial {
            "loading, damage"
        } else {
            "loading, whole"
        };
        subjects.push((
            name,
            Box::new(move || {
                let dir = config.dataset()?.dir();
                // A fresh loader each repetition: the load starts anew.
                let mut ui = Harness::with_size(Loader::new(&dir), WIDTH, HEIGHT);
                ui.render();
                // Not settled: the frames are painted while the reads run.
                let lp = ui.event_loop();
                lp.poster()
                    .post(Msg::LoadAll)
                    .map_err(|e| format!("failed: {e}"))?;
                let step = |ui: &mut Harness<Loader>| {
                    let lp = ui.event_loop();
                    lp.advance(FRAME_INTERVAL);
                    if let Err(e) = lp.turn(std::time::Duration::ZERO) {
                        panic!("the loop failed: {e}");
                    }
                };
                let took = if partial {
                    median_frame(&mut ui, frames, step, Harness::render)
                } else {
                    median_frame(&mut ui, frames, step, whole)
                };
                *slot = Some(ui);
                Ok(took)
            }),
        ));
        let name = if partial {
            "idle, damage"
        } else {
            "idle, whole"
        };
        subjects.push((
            name,
            Box::new(move || {
                if idle_slot.is_none() {
                    let dir = config.dataset()?.dir();
                    let mut ui = Harness::with_size(Loader::new(&dir), WIDTH, HEIGHT);
                    ui.render();
                    *idle_slot = Some(ui);
                }
                let ui = idle_slot.as_mut().ok_or("failed: no loader")?;
                let step = |ui: &mut Harness<Loader>| {
                    ui.advance(FRAME_INTERVAL);
                };
                Ok(if partial {
                    median_frame(ui, frames, step, Harness::render)
                } else {
                    median_frame(ui, frames, step, whole)
                })
            }),
        ));
    }
    let runs = interleave("frame damage", config.repetitions, &mut subjects);
    let mut cells = runs.into_iter().map(Cell::from_outcomes);
    let mut next = || {
        cells
            .next()
            .unwrap_or(Cell::Skipped("failed: not run".to_owned()))
    };
    let (loading, idle, loading_whole, idle_whole) = (next(), next(), next(), next());
    vec![
        Row::new(
            "frame: file loader while loading, damage",
            "ms",
            Better::Lower,
            loading,
        )
        .peer("painted whole", loading_whole),
        Row::new("frame: idle spinner, damage", "ms", Better::Lower, idle)
            .peer("painted whole", idle_whole),
    ]
}

/// The time between frames at 60 Hz.
const FRAME_INTERVAL: std::time::Duration = std::time::Duration::from_micros(16_667);

/// A frame painted whole into a new pixmap, as before damage tracking.
fn whole<A: App>(ui: &mut Harness<A>) -> tiny_skia::Pixmap {
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH as u32, HEIGHT as u32)
        .unwrap_or_else(|| unreachable!("1280×800 is a valid size"));
    ui.event_loop().paint(&mut pixmap, 1.0);
    pixmap
}

/// The median time, in milliseconds, of `frames` calls of `render` on
/// `subject`, each after an untimed `change`.
fn median_frame<S, T>(
    subject: &mut S,
    frames: usize,
    change: impl Fn(&mut S),
    render: impl Fn(&mut S) -> T,
) -> f64 {
    for _ in 0..WARM_UP {
        change(subject);
        std::hint::black_box(render(subject));
    }
    let times: Vec<f64> = (0..frames)
        .map(|_| {
            change(subject);
            let started = Instant::now();
            std::hint::black_box(render(subject));
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    median(&times)
}

/// The floor: a frame-sized pixmap allocated and filled, as the harness
/// allocates one per frame before the widgets paint into it.
fn fill_frame(frames: usize) -> f64 {
    let paint = |_: &mut ()| {
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH as u32, HEIGHT as u32);
        if let Some(p) = &mut pixmap {
            p.fill(tiny_skia::Color::from_rgba8(250, 250, 250, 255));
        }
        pixmap
    };
    median_frame(&mut (), frames, |_| {}, paint)
}

/// A header button above a 100,000-row striped list, as in the list
/// widget's own frame-time test.
struct Rows;

const ROWS: usize = 100_000;
const ROW_HEIGHT: f32 = 32.0;

impl App for Rows {
    type Message = usize;

    fn update(&mut self, _: Event<usize>, _: &mut Cx<usize>) {}

    fn view(&self) -> Element<'_, usize> {
        let rows = list(ROWS, ROW_HEIGHT, |i| {
            row_item(label(format!("Row {i}")))
                .selected(i == 3)
                .on_press(i)
                .into()
        })
        .striped(true);
        column()
            .spacing(0.0)
            .push(button("Header").on_press(ROWS))
            .push(rows)
            .into()
    }
}
