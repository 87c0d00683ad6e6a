//! Rectangles slice space the way layout code expects.

use oneloop::render::{Color, Point, Rect, Size};

#[test]
fn contains_includes_the_top_left_edge_but_not_the_bottom_right() {
    let r = Rect::new(10.0, 10.0, 20.0, 10.0);
    assert!(r.contains(Point::new(10.0, 10.0)));
    assert!(r.contains(Point::new(29.9, 19.9)));
    assert!(
        !r.contains(Point::new(30.0, 15.0)),
        "a neighbour starting at 30 owns it"
    );
    assert!(!r.contains(Point::new(15.0, 20.0)));
}

#[test]
fn splits_return_both_parts_and_clamp() {
    let r = Rect::new(0.0, 0.0, 100.0, 40.0);
    let (left, rest) = r.split_left(30.0);
    assert_eq!(
        (left, rest),
        (
            Rect::new(0.0, 0.0, 30.0, 40.0),
            Rect::new(30.0, 0.0, 70.0, 40.0)
        )
    );
    let (rest, right) = r.split_right(30.0);
    assert_eq!((rest.w, right.x, right.w), (70.0, 70.0, 30.0));
    let (top, rest) = r.split_top(10.0);
    assert_eq!((top.h, rest.y, rest.h), (10.0, 10.0, 30.0));
    let (rest, bottom) = r.split_bottom(10.0);
    assert_eq!((rest.h, bottom.y), (30.0, 30.0));
    let (all, none) = r.split_left(500.0);
    assert_eq!((all, none.w), (r, 0.0));
}

#[test]
fn inset_shrinks_every_side_but_never_below_zero() {
    let r = Rect::new(0.0, 0.0, 20.0, 10.0);
    assert_eq!(r.inset(2.0), Rect::new(2.0, 2.0, 16.0, 6.0));
    assert_eq!(r.inset(-1.0), Rect::new(-1.0, -1.0, 22.0, 12.0));
    assert!(r.inset(8.0).is_empty());
    assert_eq!(r.inset(8.0).h, 0.0);
}

#[test]
fn intersect_and_union() {
    let a = Rect::new(0.0, 0.0, 10.0, 10.0);
    let b = Rect::new(5.0, 5.0, 10.0, 10.0);
    assert_eq!(a.intersect(&b), Some(Rect::new(5.0, 5.0, 5.0, 5.0)));
    assert_eq!(
        a.intersect(&Rect::new(10.0, 0.0, 5.0, 5.0)),
        None,
        "touching is not overlapping"
    );
    assert_eq!(a.intersect(&Rect::new(f32::NAN, 0.0, 5.0, 5.0)), None);
    assert_eq!(a.union(&b), Rect::new(0.0, 0.0, 15.0, 15.0));
}

#[test]
fn center_size_centers_content() {
    let button = Rect::new(10.0, 10.0, 100.0, 30.0);
    let label = button.center_size(Size::new(40.0, 20.0));
    assert_eq!(label, Rect::new(40.0, 15.0, 40.0, 20.0));
    assert_eq!(label.center(), button.center());
}

#[test]
fn colors_keep_their_channels() {
    let c = Color::from_rgb(1, 2, 3);
    assert!(c.is_opaque());
    assert_eq!(c.with_alpha(7), Color::rgba(1, 2, 3, 7));
}
