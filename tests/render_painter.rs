//! The painter covers the pixels a user expects, at any scale, inside clips.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly on any unexpected None or error"
)]

use oneloop::render::{Color, Image, Painter, Point, Rect, TextEngine};
use tiny_skia::Pixmap;

/// Paints on a transparent `w`×`h` pixmap at `scale` and returns it.
fn paint(w: u32, h: u32, scale: f32, draw: impl FnOnce(&mut Painter<'_>)) -> Pixmap {
    let mut pixmap = Pixmap::new(w, h).unwrap();
    let mut text = TextEngine::embedded_only();
    draw(&mut Painter::new(&mut pixmap, &mut text, scale));
    pixmap
}

fn alpha(p: &Pixmap, x: u32, y: u32) -> u8 {
    p.pixel(x, y).unwrap().alpha()
}

/// The set of pixels with any coverage, as (x, y) pairs.
fn painted(p: &Pixmap) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for y in 0..p.height() {
        for x in 0..p.width() {
            if alpha(p, x, y) > 0 {
                out.push((x, y));
            }
        }
    }
    out
}

fn bounds(points: &[(u32, u32)]) -> (u32, u32, u32, u32) {
    let x0 = points.iter().map(|p| p.0).min().unwrap();
    let y0 = points.iter().map(|p| p.1).min().unwrap();
    let x1 = points.iter().map(|p| p.0).max().unwrap();
    let y1 = points.iter().map(|p| p.1).max().unwrap();
    (x0, y0, x1, y1)
}

#[test]
fn fill_rect_covers_exactly_its_pixels_at_scale_1() {
    let p = paint(20, 20, 1.0, |p| {
        p.fill_rect(Rect::new(2.0, 3.0, 5.0, 4.0), Color::RED)
    });
    let px = painted(&p);
    assert_eq!(px.len(), 20);
    assert_eq!(bounds(&px), (2, 3, 6, 6));
    let c = p.pixel(2, 3).unwrap();
    assert_eq!((c.red(), c.green(), c.blue(), c.alpha()), (255, 0, 0, 255));
}

#[test]
fn fill_rect_covers_exactly_its_pixels_at_scale_2() {
    let p = paint(20, 20, 2.0, |p| {
        p.fill_rect(Rect::new(2.0, 3.0, 5.0, 4.0), Color::RED)
    });
    let px = painted(&p);
    assert_eq!(px.len(), 80, "a 5x4 logical rect is 10x8 physical pixels");
    assert_eq!(bounds(&px), (4, 6, 13, 13));
    assert!(
        px.iter().all(|&(x, y)| alpha(&p, x, y) == 255),
        "edges on the grid are crisp"
    );
}

#[test]
fn rounded_corners_are_antialiased_and_the_inside_is_solid() {
    let p = paint(40, 40, 1.0, |p| {
        p.fill_rounded_rect(Rect::new(0.0, 0.0, 40.0, 40.0), 12.0, Color::BLACK);
    });
    assert_eq!(alpha(&p, 0, 0), 0, "the corner is cut away");
    assert_eq!(alpha(&p, 20, 20), 255);
    assert_eq!(alpha(&p, 20, 0), 255, "straight edges stay crisp");
    let partial = (0..12)
        .flat_map(|y| (0..12).map(move |x| (x, y)))
        .filter(|&(x, y)| (1..255).contains(&alpha(&p, x, y)))
        .count();
    assert!(
        partial >= 8,
        "the arc has soft edge pixels, found {partial}"
    );
}

#[test]
fn clip_keeps_every_shape_inside() {
    let p = paint(40, 40, 1.0, |p| {
        p.push_clip(Rect::new(10.0, 10.0, 10.0, 10.0));
        p.fill_rect(Rect::new(0.0, 0.0, 40.0, 40.0), Color::RED);
        p.fill_rounded_rect(Rect::new(5.0, 5.0, 30.0, 30.0), 6.0, Color::BLUE);
        p.fill_circle(Point::new(20.0, 20.0), 15.0, Color::GREEN);
        p.line(
            Point::new(0.0, 15.0),
            Point::new(40.0, 15.0),
            3.0,
            Color::BLACK,
        );
        p.text(Point::new(0.0, 8.0), "Clipped text", &Default::default());
        p.pop_clip();
    });
    let px = painted(&p);
    assert_eq!(bounds(&px), (10, 10, 19, 19));
    assert_eq!(px.len(), 100);
}

#[test]
fn nested_clips_intersect_and_pop_restores_the_outer_clip() {
    let p = paint(30, 30, 1.0, |p| {
        p.push_clip(Rect::new(0.0, 0.0, 10.0, 10.0));
        p.push_clip(Rect::new(5.0, 5.0, 20.0, 20.0));
        assert_eq!(p.clip_rect(), Rect::new(5.0, 5.0, 5.0, 5.0));
        p.fill_rect(Rect::new(0.0, 0.0, 30.0, 30.0), Color::RED);
        p.pop_clip();
        p.fill_rect(Rect::new(0.0, 0.0, 30.0, 2.0), Color::BLUE);
        p.pop_clip();
        p.pop_clip(); // unmatched: ignored, not a panic
    });
    let red = painted(&p)
        .into_iter()
        .filter(|&(x, y)| p.pixel(x, y).unwrap().red() == 255)
        .collect::<Vec<_>>();
    assert_eq!(red.len(), 25);
    assert_eq!(bounds(&red), (5, 5, 9, 9));
    assert_eq!(alpha(&p, 9, 0), 255, "the outer clip applies again");
    assert_eq!(alpha(&p, 10, 0), 0);
}

#[test]
fn clear_replaces_pixels_inside_the_clip_only() {
    let p = paint(10, 10, 1.0, |p| {
        p.clear(Color::WHITE);
        p.with_clip(Rect::new(0.0, 0.0, 5.0, 10.0), |p| {
            p.clear(Color::TRANSPARENT)
        });
    });
    assert_eq!(alpha(&p, 4, 5), 0);
    assert_eq!(alpha(&p, 5, 5), 255);
}

#[test]
fn stroke_rect_draws_a_crisp_border_inside_the_rect() {
    let p = paint(20, 20, 1.0, |p| {
        p.stroke_rect(Rect::new(2.0, 2.0, 10.0, 10.0), 1.0, Color::BLACK)
    });
    assert_eq!(bounds(&painted(&p)), (2, 2, 11, 11));
    assert_eq!(alpha(&p, 2, 6), 255);
    assert_eq!(alpha(&p, 11, 6), 255);
    assert_eq!(alpha(&p, 6, 6), 0, "the inside stays empty");
    assert_eq!(painted(&p).len(), 36);
}

#[test]
fn stroke_circle_is_a_ring_and_arc_covers_only_its_sweep() {
    let ring = paint(40, 40, 1.0, |p| {
        p.stroke_circle(Point::new(20.0, 20.0), 15.0, 3.0, Color::BLACK)
    });
    assert_eq!(alpha(&ring, 20, 20), 0);
    assert_eq!(alpha(&ring, 20, 6), 255);
    // Clockwise from 3 o'clock through 6 o'clock to 9 o'clock: the lower half.
    let arc = paint(40, 40, 1.0, |p| {
        p.arc(
            Point::new(20.0, 20.0),
            14.0,
            0.0,
            std::f32::consts::PI,
            3.0,
            Color::BLACK,
        );
    });
    assert_eq!(alpha(&arc, 20, 34), 255, "bottom of the circle is drawn");
    assert_eq!(alpha(&arc, 20, 6), 0, "top of the circle is not");
}

#[test]
fn horizontal_line_on_the_grid_is_crisp() {
    let p = paint(12, 12, 1.0, |p| {
        p.line(
            Point::new(1.0, 5.0),
            Point::new(11.0, 5.0),
            2.0,
            Color::BLACK,
        )
    });
    assert_eq!(bounds(&painted(&p)), (1, 4, 10, 5));
    assert!(painted(&p).iter().all(|&(x, y)| alpha(&p, x, y) == 255));
}

#[test]
fn images_copy_exactly_unscaled_and_stretch_when_scaled() {
    let data = [
        255, 0, 0, 255, 0, 0, 255, 255, 0, 255, 0, 255, 255, 255, 255, 128,
    ]
    .to_vec();
    let image = Image::from_rgba8(2, 2, data).unwrap();
    let p = paint(10, 10, 1.0, |p| {
        p.image(Rect::new(3.0, 4.0, 2.0, 2.0), &image)
    });
    let c = p.pixel(4, 4).unwrap();
    assert_eq!((c.red(), c.green(), c.blue(), c.alpha()), (0, 0, 255, 255));
    let c = p.pixel(4, 5).unwrap();
    assert_eq!((c.alpha(), c.red()), (128, 128), "stored premultiplied");
    assert_eq!(painted(&p).len(), 4);

    let red = Image::from_rgba8(1, 1, vec![255, 0, 0, 255]).unwrap();
    let p = paint(10, 10, 2.0, |p| {
        p.image(Rect::new(1.0, 1.0, 3.0, 3.0), &red)
    });
    assert_eq!(bounds(&painted(&p)), (2, 2, 7, 7));
    assert!(painted(&p)
        .iter()
        .all(|&(x, y)| p.pixel(x, y).unwrap().red() == 255));
}

#[test]
fn image_data_of_the_wrong_length_is_an_error() {
    let err = Image::from_rgba8(2, 2, vec![0; 15]).unwrap_err();
    assert!(err.to_string().contains("needs 16"), "{err}");
}

#[test]
fn translucent_fill_blends_over_what_is_below() {
    let p = paint(4, 4, 1.0, |p| {
        p.clear(Color::WHITE);
        p.fill_rect(Rect::new(0.0, 0.0, 4.0, 4.0), Color::BLACK.with_alpha(128));
    });
    let c = p.pixel(1, 1).unwrap();
    assert!(
        (126..=128).contains(&c.red()),
        "half black over white is mid gray, got {}",
        c.red()
    );
    assert_eq!(c.alpha(), 255);
}

#[test]
fn absurd_geometry_draws_nothing_and_does_not_panic() {
    let nan = f32::NAN;
    let p = paint(20, 20, 1.0, |p| {
        for v in [nan, 1e12, -1e12, f32::INFINITY] {
            let r = Rect::new(v, 2.0, 5.0, v);
            p.fill_rect(r, Color::RED);
            p.fill_rounded_rect(r, 3.0, Color::RED);
            p.stroke_rounded_rect(r, 3.0, v, Color::RED);
            p.fill_circle(Point::new(v, 5.0), 3.0, Color::RED);
            p.arc(Point::new(5.0, 5.0), v, 0.0, v, 2.0, Color::RED);
            p.line(Point::new(v, 0.0), Point::new(v, 10.0), 1.0, Color::RED);
            p.push_clip(r);
            p.fill_rect(Rect::new(0.0, 0.0, 20.0, 20.0), Color::RED);
            p.pop_clip();
        }
    });
    assert!(painted(&p).is_empty());
}

#[test]
fn translucent_border_has_even_coverage_including_corners() {
    let p = paint(20, 20, 1.0, |p| {
        p.stroke_rect(
            Rect::new(2.0, 2.0, 10.0, 10.0),
            2.0,
            Color::BLACK.with_alpha(100),
        );
    });
    assert_eq!(painted(&p).len(), 64);
    assert!(painted(&p).iter().all(|&(x, y)| alpha(&p, x, y) == 100));
}
