//! Frames survive a PNG round trip, and comparison finds what changed.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected None or error"
)]

use std::path::PathBuf;

use oneloop::render::{
    compare, load_png, save_png, Color, Painter, Point, Rect, RenderError, TextEngine, TextStyle,
};
use tiny_skia::Pixmap;

/// A path in the temp dir unique to this test process.
fn temp_png(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("oneloop-render-{}-{name}.png", std::process::id()))
}

/// A small scene with every kind of content: fills, strokes, arcs and text.
fn sample_scene() -> Pixmap {
    let mut pixmap = Pixmap::new(240, 120).unwrap();
    let mut text = TextEngine::embedded_only();
    let mut p = Painter::new(&mut pixmap, &mut text, 1.0);
    p.clear(Color::WHITE);
    let button = Rect::new(10.0, 10.0, 110.0, 36.0);
    p.fill_rounded_rect(button, 8.0, Color::from_rgb(37, 99, 235));
    p.text(
        Point::new(24.0, 19.0),
        "Größe ✓",
        &TextStyle::new(14.0).bold().with_color(Color::WHITE),
    );
    p.stroke_rounded_rect(Rect::new(130.0, 10.0, 100.0, 36.0), 8.0, 1.0, Color::GRAY);
    p.arc(Point::new(40.0, 85.0), 16.0, 0.0, 4.0, 4.0, Color::BLACK);
    p.text(Point::new(70.0, 75.0), "snapshot", &TextStyle::new(18.0));
    pixmap
}

#[test]
fn a_saved_frame_loads_back_identical() {
    let scene = sample_scene();
    let path = temp_png("roundtrip");
    save_png(&scene, &path).unwrap();
    let loaded = load_png(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let diff = compare(&scene, &loaded, 0);
    assert!(diff.matches(), "{} pixels differ", diff.differing_pixels);
    assert_eq!(diff.max_delta, 0);
}

#[test]
fn rendering_is_deterministic_with_embedded_fonts() {
    let diff = compare(&sample_scene(), &sample_scene(), 0);
    assert!(diff.matches());
}

#[test]
fn compare_reports_and_marks_a_changed_region() {
    let scene = sample_scene();
    let mut changed = scene.clone();
    {
        let mut text = TextEngine::embedded_only();
        let mut p = Painter::new(&mut changed, &mut text, 1.0);
        p.fill_rect(
            Rect::new(200.0, 100.0, 4.0, 2.0),
            Color::from_rgb(250, 250, 250),
        );
        p.fill_rect(Rect::new(0.0, 0.0, 1.0, 1.0), Color::BLACK);
    }
    let strict = compare(&scene, &changed, 0);
    assert_eq!(strict.differing_pixels, 9);
    assert_eq!(strict.max_delta, 255);
    let red = strict.diff_image.pixel(0, 0).unwrap();
    assert_eq!((red.red(), red.green(), red.alpha()), (255, 0, 255));
    let same = strict.diff_image.pixel(100, 60).unwrap();
    assert_eq!(same.red(), same.green(), "unchanged pixels are gray");
    // A tolerance absorbs the faint change but not the black pixel.
    assert_eq!(compare(&scene, &changed, 8).differing_pixels, 1);
}

#[test]
fn compare_counts_pixels_outside_a_smaller_image_as_different() {
    let a = Pixmap::new(4, 4).unwrap();
    let b = Pixmap::new(4, 3).unwrap();
    let diff = compare(&a, &b, 0);
    assert_eq!(diff.differing_pixels, 4);
    assert_eq!((diff.diff_image.width(), diff.diff_image.height()), (4, 4));
}

#[test]
fn loading_a_missing_or_broken_file_names_it_in_the_error() {
    let missing = temp_png("missing");
    let err = load_png(&missing).unwrap_err();
    assert!(matches!(err, RenderError::Io { .. }));
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );

    let broken = temp_png("broken");
    std::fs::write(&broken, b"not a png").unwrap();
    let err = load_png(&broken).unwrap_err();
    std::fs::remove_file(&broken).unwrap();
    assert!(matches!(err, RenderError::PngDecode { .. }), "{err}");
}
