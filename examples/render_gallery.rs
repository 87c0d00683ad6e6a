//! Renders a widget-gallery-like frame offscreen, saves it as PNG and times
//! repeated full repaints.
//!
//! ```text
//! cargo run --release --example render_gallery -- [out.png] [scale]
//! ```
//!
//! The frame has about 40 rounded rectangles and 60 text runs at 1280×800
//! logical pixels; the timing is the median of repeated full repaints with
//! warm caches, which is what every frame after the first costs.

use std::time::{Duration, Instant};

use oneloop::render::{save_png, Color, Painter, Point, Rect, TextEngine, TextStyle};

const FRAMES: usize = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "gallery.png".to_owned());
    let scale: f32 = args.next().map_or(Ok(1.0), |s| s.parse())?;
    let (w, h) = ((1280.0 * scale) as u32, (800.0 * scale) as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("bad size")?;
    let mut text = TextEngine::new();

    // The first frame shapes text and rasterises glyphs; later ones reuse both.
    let cold = Instant::now();
    draw_gallery(&mut Painter::new(&mut pixmap, &mut text, scale), 0);
    let cold = cold.elapsed();
    save_png(&pixmap, &out)?;

    let mut times: Vec<Duration> = (0..FRAMES)
        .map(|frame| {
            let started = Instant::now();
            draw_gallery(&mut Painter::new(&mut pixmap, &mut text, scale), frame);
            started.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    #[expect(clippy::print_stdout, reason = "the example reports its measurement")]
    {
        println!("wrote {out} ({w}x{h}, scale {scale})");
        println!(
            "first frame {:.2} ms; warm frames over {FRAMES}: median {:.2} ms, p90 {:.2} ms, min {:.2} ms",
            ms(cold),
            ms(times[FRAMES / 2]),
            ms(times[FRAMES * 9 / 10]),
            ms(times[0]),
        );
        println!("glyph cache: {:?}", text.glyph_cache_stats());
    }
    Ok(())
}

const ACCENT: Color = Color::from_rgb(37, 99, 235);
const INK: Color = Color::from_rgb(30, 32, 38);
const MUTED: Color = Color::from_rgb(100, 106, 120);
const PANEL: Color = Color::from_rgb(246, 247, 249);
const BORDER: Color = Color::from_rgb(214, 218, 225);

/// One frame of the gallery; `frame` animates the spinner and progress bar.
fn draw_gallery(p: &mut Painter<'_>, frame: usize) {
    p.clear(Color::WHITE);
    sidebar(p);
    header(p);
    buttons(p);
    checkboxes(p);
    progress(p, frame);
    text_input(p);
    specimen(p);
    table(p);
    tags(p);
    cards(p);
    status_bar(p);
}

/// Sidebar: a list of 14 items, one selected.
fn sidebar(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    let sidebar = Rect::new(0.0, 0.0, 240.0, 800.0);
    p.fill_rect(sidebar, PANEL);
    p.line(
        Point::new(240.5, 0.0),
        Point::new(240.5, 800.0),
        1.0,
        BORDER,
    );
    p.text(
        Point::new(20.0, 18.0),
        "oneloop gallery",
        &TextStyle::new(18.0).bold().with_color(INK),
    );
    for i in 0..14 {
        let row = Rect::new(8.0, 56.0 + i as f32 * 34.0, 224.0, 30.0);
        if i == 3 {
            p.fill_rounded_rect(row, 6.0, ACCENT.with_alpha(40));
        }
        let label = format!("Document {:02}.txt", i + 1);
        p.text(Point::new(20.0, row.y + 7.0), &label, &body);
    }
}

/// Header.
fn header(p: &mut Painter<'_>) {
    let small = TextStyle::new(12.0).with_color(MUTED);
    p.text(
        Point::new(272.0, 20.0),
        "Widgets",
        &TextStyle::new(28.0).bold().with_color(INK),
    );
    p.text(
        Point::new(272.0, 58.0),
        "Everything on this page is drawn by the software painter.",
        &small,
    );
}

/// Buttons.
fn buttons(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    let labels = ["Load", "Save", "Cancel", "Größe — 日本語 ✓", "Disabled"];
    let mut x = 272.0;
    for (i, label) in labels.iter().enumerate() {
        let size = p.text_engine().measure(label, &body);
        let button = Rect::new(x, 96.0, size.w + 32.0, 34.0);
        let (fill, ink) = match i {
            0 => (ACCENT, Color::WHITE),
            4 => (PANEL, MUTED),
            _ => (Color::WHITE, INK),
        };
        p.fill_rounded_rect(button, 8.0, fill);
        if i != 0 {
            p.stroke_rounded_rect(button, 8.0, 1.0, BORDER);
        }
        p.text(
            button.center_size(size).origin(),
            label,
            &body.with_color(ink),
        );
        x = button.right() + 12.0;
    }
}

/// Checkboxes.
fn checkboxes(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    for (i, label) in ["Watch folder", "Follow symlinks", "Show hidden files"]
        .iter()
        .enumerate()
    {
        let y = 156.0 + i as f32 * 30.0;
        let boxr = Rect::new(272.0, y, 18.0, 18.0);
        if i != 1 {
            p.fill_rounded_rect(boxr, 4.0, ACCENT);
            p.line(
                Point::new(276.0, y + 9.0),
                Point::new(280.0, y + 13.0),
                2.0,
                Color::WHITE,
            );
            p.line(
                Point::new(280.0, y + 13.0),
                Point::new(286.0, y + 5.0),
                2.0,
                Color::WHITE,
            );
        } else {
            p.stroke_rounded_rect(boxr, 4.0, 1.5, BORDER);
        }
        p.text(Point::new(300.0, y), label, &body);
    }
}

/// Progress bar and spinner.
fn progress(p: &mut Painter<'_>, frame: usize) {
    let small = TextStyle::new(12.0).with_color(MUTED);
    let track = Rect::new(272.0, 262.0, 420.0, 8.0);
    p.fill_rounded_rect(track, 4.0, BORDER);
    let done = ((frame % 100) as f32 + 40.0) / 140.0;
    p.fill_rounded_rect(
        Rect::new(track.x, track.y, track.w * done, track.h),
        4.0,
        ACCENT,
    );
    p.text(
        Point::new(704.0, 257.0),
        &format!("{:.0} %", done * 100.0),
        &small,
    );
    let center = Point::new(780.0, 266.0);
    p.stroke_circle(center, 12.0, 3.0, BORDER);
    p.arc(center, 10.5, frame as f32 * 0.2, 4.0, 3.0, ACCENT);
}

/// A text input with selection and caret.
fn text_input(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    let input = Rect::new(272.0, 296.0, 420.0, 36.0);
    p.fill_rounded_rect(input, 6.0, Color::WHITE);
    p.stroke_rounded_rect(input, 6.0, 2.0, ACCENT);
    let layout =
        p.text_engine()
            .layout("Ünïcödé input: e\u{301} a\u{308} — caret here", &body, None);
    let origin = Point::new(input.x + 12.0, input.y + (input.h - layout.size().h) / 2.0);
    for r in layout.selection_rects(17..24) {
        p.fill_rect(r.translate(origin.x, origin.y), ACCENT.with_alpha(60));
    }
    p.text_layout(origin, &layout, INK);
    let caret = layout.caret(layout.text().len());
    p.fill_rect(
        Rect::new(
            (origin.x + caret.x).round(),
            origin.y + caret.top,
            1.0,
            caret.height,
        ),
        INK,
    );
}

/// Type specimen in several sizes.
fn specimen(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    let mut y = 356.0;
    for size in [11.0, 13.0, 16.0, 20.0, 24.0] {
        let style = TextStyle::new(size).with_color(INK);
        p.text(
            Point::new(272.0, y),
            &format!("{size} px — Größe — 日本語 ✓ The quick brown fox"),
            &style,
        );
        y += size * 1.25 + 6.0;
    }
    p.text(
        Point::new(272.0, y),
        "fn main() { println!(\"mono 14 px\"); } // 0O 1lI",
        &body.mono(),
    );
    p.text(
        Point::new(272.0, y + 22.0),
        "Bold: Größe — ✓ — emoji fallback 😀 🚀",
        &body.bold(),
    );
}

/// A small table with zebra rows.
fn table(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    let small = TextStyle::new(12.0).with_color(MUTED);
    let columns = [("Name", 272.0), ("Size", 520.0), ("Lines", 640.0)];
    for row in 0..7 {
        let top = 560.0 + row as f32 * 28.0;
        if row % 2 == 1 {
            p.fill_rounded_rect(Rect::new(264.0, top - 5.0, 480.0, 26.0), 4.0, PANEL);
        }
        for (col, (title, x)) in columns.iter().enumerate() {
            let cell = match (row, col) {
                (0, _) => title.to_string(),
                (_, 0) => format!("src/module_{row}.rs"),
                (_, 1) => format!("{} KiB", row * 37 % 200 + 3),
                _ => format!("{}", row * 419 % 5000),
            };
            let style = if row == 0 { small.bold() } else { body };
            p.text(Point::new(*x, top), &cell, &style);
        }
    }
}

/// Tags.
fn tags(p: &mut Painter<'_>) {
    let small = TextStyle::new(12.0).with_color(MUTED);
    let mut x = 840.0;
    for tag in ["io", "render", "queue", "timers"] {
        let size = p.text_engine().measure(tag, &small);
        let chip = Rect::new(x, 420.0, size.w + 20.0, 24.0);
        p.fill_rounded_rect(chip, 12.0, ACCENT.with_alpha(30));
        p.text(
            chip.center_size(size).origin(),
            tag,
            &small.with_color(ACCENT),
        );
        x = chip.right() + 8.0;
    }
}

/// Cards with wrapped text on the right, clipped.
fn cards(p: &mut Painter<'_>) {
    let body = TextStyle::new(14.0).with_color(INK);
    let small = TextStyle::new(12.0).with_color(MUTED);
    let paragraph = "Text wraps at word boundaries to fit its box; the painter clips it to the card so nothing spills out, even when the card is too small.";
    for i in 0..4 {
        let card = Rect::new(
            840.0 + (i % 2) as f32 * 210.0,
            96.0 + (i / 2) as f32 * 150.0,
            196.0,
            136.0,
        );
        p.fill_rounded_rect(card.translate(0.0, 2.0), 10.0, Color::BLACK.with_alpha(18));
        p.fill_rounded_rect(card, 10.0, Color::WHITE);
        p.stroke_rounded_rect(card, 10.0, 1.0, BORDER);
        p.text(
            Point::new(card.x + 14.0, card.y + 12.0),
            &format!("Card {}", i + 1),
            &body.bold(),
        );
        let wrapped = p
            .text_engine()
            .layout(paragraph, &small, Some(card.w - 28.0));
        p.with_clip(card.inset(8.0), |p| {
            p.text_layout(Point::new(card.x + 14.0, card.y + 36.0), &wrapped, MUTED);
        });
    }
}

/// Status bar.
fn status_bar(p: &mut Painter<'_>) {
    let small = TextStyle::new(12.0).with_color(MUTED);
    let status = Rect::new(240.0, 772.0, 1040.0, 28.0);
    p.fill_rect(status, PANEL);
    p.line(
        Point::new(240.0, 771.5),
        Point::new(1280.0, 771.5),
        1.0,
        BORDER,
    );
    let long =
        "Loaded 1,204 files from /home/user/projects/oneloop/examples/file_loader/data in 84 ms";
    let clipped = p.text_engine().ellipsize(long, &small, 420.0);
    p.text_layout(Point::new(252.0, 778.0), &clipped, MUTED);
    p.text(Point::new(1120.0, 778.0), "Ready", &small);
}
