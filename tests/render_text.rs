//! Text measures, wraps, ellipsizes, places carets and draws as a user expects.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected None or error"
)]

use oneloop::render::{Color, Painter, Point, Rect, TextEngine, TextStyle};
use tiny_skia::Pixmap;

fn style() -> TextStyle {
    TextStyle::new(16.0)
}

/// Bounding box (x0, y0, x1, y1 inclusive) of pixels darker than the white
/// background, or `None` when nothing was drawn.
fn ink_bounds(p: &Pixmap) -> Option<(u32, u32, u32, u32)> {
    let mut b: Option<(u32, u32, u32, u32)> = None;
    for y in 0..p.height() {
        for x in 0..p.width() {
            if p.pixel(x, y).unwrap().red() < 250 {
                b = Some(match b {
                    None => (x, y, x, y),
                    Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
                });
            }
        }
    }
    b
}

fn draw_text(
    engine: &mut TextEngine,
    scale: f32,
    pos: Point,
    text: &str,
    style: &TextStyle,
) -> Pixmap {
    let mut pixmap = Pixmap::new((300.0 * scale) as u32, (80.0 * scale) as u32).unwrap();
    let mut painter = Painter::new(&mut pixmap, engine, scale);
    painter.clear(Color::WHITE);
    painter.text(pos, text, style);
    pixmap
}

#[test]
fn longer_text_measures_wider_and_bold_wider_still() {
    let mut engine = TextEngine::embedded_only();
    let hello = engine.measure("Hello", &style());
    let hi = engine.measure("Hi", &style());
    assert!(hello.w > hi.w, "{hello:?} vs {hi:?}");
    assert_eq!(hello.h, hi.h, "one line each");
    assert!(engine.measure("Hello", &style().bold()).w > hello.w);
    assert_eq!(
        engine.measure("", &style()).h,
        hello.h,
        "an empty line still has a height"
    );
}

#[test]
fn mono_text_gives_every_character_the_same_width() {
    let mut engine = TextEngine::embedded_only();
    let narrow = engine.measure("iiii", &style().mono());
    let wide = engine.measure("MMMM", &style().mono());
    assert!((narrow.w - wide.w).abs() < 0.01, "{narrow:?} vs {wide:?}");
}

#[test]
fn narrower_wrap_width_gives_more_lines_that_fit() {
    let mut engine = TextEngine::embedded_only();
    let text = "The quick brown fox jumps over the lazy dog near the river bank";
    let wide = engine.layout(text, &style(), Some(400.0));
    let narrow = engine.layout(text, &style(), Some(120.0));
    assert!(narrow.line_count() > wide.line_count());
    assert!(narrow.size().h > wide.size().h);
    assert!(
        narrow.size().w <= 120.0 + 0.5,
        "lines fit the width: {:?}",
        narrow.size()
    );
    assert_eq!(
        engine.layout("a\nb\n", &style(), None).line_count(),
        3,
        "line breaks count"
    );
}

#[test]
fn ellipsize_fits_and_ends_with_an_ellipsis() {
    let mut engine = TextEngine::embedded_only();
    let long = "A very long file name that cannot possibly fit in a narrow column.txt";
    let cut = engine.ellipsize(long, &style(), 150.0);
    assert!(cut.size().w <= 150.0, "{:?}", cut.size());
    assert!(cut.text().ends_with('…'), "{:?}", cut.text());
    assert!(
        cut.text().len() > "…".len(),
        "keeps as much as fits: {:?}",
        cut.text()
    );
    assert!(long.starts_with(cut.text().trim_end_matches('…').trim_end()));
    assert_eq!(engine.ellipsize("Short", &style(), 150.0).text(), "Short");
    // Never separates an accent from its letter.
    let accents = "e\u{301}".repeat(40);
    let cut = engine.ellipsize(&accents, &style(), 60.0);
    assert!(
        cut.text().trim_end_matches('…').ends_with("e\u{301}"),
        "{:?}",
        cut.text()
    );
}

#[test]
fn caret_moves_right_through_the_text_and_hit_finds_it_again() {
    let mut engine = TextEngine::embedded_only();
    let layout = engine.layout("Hello, wörld — ok", &style(), None);
    let stops = layout.caret_stops();
    assert_eq!(stops.len(), "Hello, wörld — ok".chars().count() + 1);
    let mid_y = layout.size().h / 2.0;
    let mut last = -1.0;
    for &i in &stops {
        let x = layout.caret_x(i);
        assert!(x > last, "caret_x({i}) = {x} not right of {last}");
        last = x;
        assert_eq!(layout.hit(x, mid_y), i, "hit at caret_x({i})");
    }
    assert_eq!(layout.hit(-50.0, mid_y), 0);
    assert_eq!(layout.hit(10_000.0, mid_y), layout.text().len());
}

#[test]
fn a_combining_mark_gets_no_caret_stop_of_its_own() {
    let mut engine = TextEngine::embedded_only();
    let layout = engine.layout("e\u{301}x", &style(), None);
    assert_eq!(layout.caret_stops(), vec![0, 3, 4]);
    assert_eq!(layout.next_stop(0), 3);
    assert_eq!(layout.prev_stop(3), 0);
    assert_eq!(
        layout.caret_x(1),
        layout.caret_x(0),
        "inside a grapheme snaps back"
    );
    assert!(layout.caret_x(3) > layout.caret_x(0));
    assert!(!layout.has_missing_glyphs());
}

#[test]
fn right_to_left_text_starts_its_caret_at_the_right() {
    let mut engine = TextEngine::embedded_only();
    let layout = engine.layout("שלום", &style(), None);
    assert!(!layout.has_missing_glyphs());
    assert!(layout.caret_x(0) > layout.caret_x(layout.text().len()));
}

#[test]
fn carets_and_selections_follow_wrapped_lines() {
    let mut engine = TextEngine::embedded_only();
    let layout = engine.layout("first line\nsecond", &style(), None);
    let second = layout.caret(11);
    assert_eq!(second.x, 0.0);
    assert!(second.top > 0.0 && second.height > 0.0);
    let rects = layout.selection_rects(6..14);
    assert_eq!(rects.len(), 2, "one rectangle per line: {rects:?}");
    assert_eq!(rects[1].x, 0.0);
    assert!((rects[1].w - layout.caret_x(14)).abs() < 0.01);
    let one = engine
        .layout("Hello world", &style(), None)
        .selection_rects(0..5);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].x, 0.0);
}

#[test]
fn drawn_text_stays_inside_its_measured_box() {
    let mut engine = TextEngine::embedded_only();
    for scale in [1.0, 2.0] {
        let pos = Point::new(10.0, 10.0);
        let size = engine.measure("Hello", &style());
        let p = draw_text(&mut engine, scale, pos, "Hello", &style());
        let (x0, y0, x1, y1) = ink_bounds(&p).expect("text drew something");
        let b = Rect::from_origin_size(pos, size).scale(scale);
        assert!(
            x0 as f32 >= b.x.floor() && y0 as f32 >= b.y.floor(),
            "scale {scale}: ink {x0},{y0} box {b:?}"
        );
        assert!(
            (x1 as f32) < b.right().ceil() && (y1 as f32) < b.bottom().ceil(),
            "scale {scale}: ink {x1},{y1} box {b:?}"
        );
        assert!(
            (x1 - x0) as f32 > b.w * 0.8,
            "ink spans the text, not a speck"
        );
        let darkest = (0..p.height())
            .flat_map(|y| (0..p.width()).map(move |x| (x, y)))
            .map(|(x, y)| p.pixel(x, y).unwrap().red())
            .min();
        assert_eq!(
            darkest,
            Some(0),
            "stems reach full black: crisp, not smeared"
        );
    }
}

#[test]
fn redrawing_the_same_text_hits_the_glyph_cache() {
    let mut engine = TextEngine::embedded_only();
    draw_text(
        &mut engine,
        1.0,
        Point::new(5.0, 5.0),
        "Cached text",
        &style(),
    );
    let first = engine.glyph_cache_stats();
    assert!(first.misses > 0);
    draw_text(
        &mut engine,
        1.0,
        Point::new(5.0, 5.0),
        "Cached text",
        &style(),
    );
    let second = engine.glyph_cache_stats();
    assert_eq!(second.misses, first.misses, "nothing rasterised twice");
    assert!(second.hits > first.hits);
}

#[test]
fn mixed_scripts_and_symbols_render_with_embedded_fonts_alone() {
    let mut engine = TextEngine::embedded_only();
    for text in ["Größe — ✓", "Ελληνικά Кириллица", "q\u{301} 😀 🚀"] {
        let layout = engine.layout(text, &style(), None);
        assert!(
            !layout.has_missing_glyphs(),
            "{text:?} has a glyph in some embedded font"
        );
        let p = draw_text(&mut engine, 1.0, Point::new(5.0, 5.0), text, &style());
        assert!(ink_bounds(&p).is_some());
    }
    // CJK is not embedded: it needs system fonts (see the next test).
    assert!(engine.layout("日本語", &style(), None).has_missing_glyphs());
}

#[test]
fn cjk_falls_back_to_installed_system_fonts() {
    let mut engine = TextEngine::new();
    engine.load_system_fonts();
    let families = [
        "Noto Sans CJK JP",
        "Noto Sans CJK SC",
        "Source Han Sans",
        "WenQuanYi Zen Hei",
        "Droid Sans Fallback",
    ];
    if !families.iter().any(|f| engine.has_family(f)) {
        eprintln!("SKIPPED the CJK glyph check: no CJK font installed (e.g. apt-get install fonts-noto-cjk)");
        return;
    }
    let layout = engine.layout("Größe — 日本語 ✓", &style(), None);
    assert!(!layout.has_missing_glyphs());
    let p = draw_text(&mut engine, 1.0, Point::new(5.0, 5.0), "日本語", &style());
    assert!(ink_bounds(&p).is_some());
}

#[test]
fn system_fonts_load_on_demand_only_when_needed() {
    let mut engine = TextEngine::new();
    engine.layout("Plain Latin text — ✓", &style(), None);
    assert!(!engine.system_fonts_loaded(), "embedded fonts cover it");
    engine.layout("日本語", &style(), None);
    assert!(engine.system_fonts_loaded());
    assert!(!TextEngine::embedded_only().system_fonts_loaded());
}

#[test]
fn text_crossing_the_edges_is_cut_off_cleanly() {
    let mut engine = TextEngine::embedded_only();
    let style = TextStyle::new(24.0);
    // Top-left and bottom-right corners: glyphs hang off both sides.
    let p = draw_text(&mut engine, 1.0, Point::new(-7.0, -9.0), "Edge", &style);
    assert_eq!(ink_bounds(&p).map(|b| (b.0, b.1)), Some((0, 0)));
    let p = draw_text(&mut engine, 1.0, Point::new(280.0, 65.0), "Edge", &style);
    assert_eq!(ink_bounds(&p).map(|b| (b.2, b.3)), Some((299, 79)));
}

#[test]
fn text_placed_absurdly_far_away_draws_nothing() {
    let mut engine = TextEngine::embedded_only();
    for pos in [
        Point::new(1e12, 1e12),
        Point::new(-1e12, 5.0),
        Point::new(f32::NAN, 5.0),
    ] {
        let p = draw_text(&mut engine, 1.0, pos, "Far", &style());
        assert_eq!(ink_bounds(&p), None, "at {pos:?}");
    }
}

#[test]
fn engines_and_layouts_can_move_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<TextEngine>();
    assert_send::<oneloop::render::TextLayout>();
}
