//! Damage: which pixels of a frame differ from the previous one.
//!
//! A frame is recorded as a display list before anything is rasterised.
//! Comparing it with the previous frame's list gives the regions to repaint:
//! the bounds of every command that is new, gone, or drawn in a different
//! order relative to the others. Outside those regions the same commands
//! draw the same pixels in the same order over the same background, so the
//! pixels kept from the previous frame are already right. No widget has to
//! report what it changed, so none can forget to.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::cache::FastHasher;
use super::glyph_cache::ClipBox;
use super::painter::DisplayList;

/// At most this many separate regions are repainted; more are merged.
const MAX_REGIONS: usize = 8;

/// Past this share of the frame, repainting it whole is as cheap.
const WHOLE_FRAME_SHARE: f64 = 0.6;

/// The regions of a `width`×`height` frame that differ between `old` and
/// `new`, at most [`MAX_REGIONS`], each inside the frame. Empty when the
/// frames are the same.
pub(crate) fn damage(
    old: &DisplayList,
    new: &DisplayList,
    width: u32,
    height: u32,
) -> Vec<ClipBox> {
    let frame = ClipBox {
        x0: 0,
        y0: 0,
        x1: width as i32,
        y1: height as i32,
    };
    // Where each command of the old frame stands, by key, in order.
    let mut at: HashMap<u64, Vec<usize>, BuildHasherDefault<FastHasher>> = HashMap::default();
    for (i, item) in old.items.iter().enumerate() {
        if !item.bounds.is_empty() {
            at.entry(item.key).or_default().push(i);
        }
    }
    let mut matched = vec![false; old.items.len()];
    let mut regions = Regions::default();
    // Walk the new frame matching commands to old ones at increasing
    // positions only: whatever is matched keeps its relative order.
    let mut last = None::<usize>;
    for item in new.items.iter().filter(|i| !i.bounds.is_empty()) {
        let found = at.get_mut(&item.key).and_then(|places| {
            let after = places.partition_point(|&i| last.is_some_and(|l| i <= l));
            let pick = places[after..]
                .iter()
                .position(|&i| old.items[i].same(item))
                .map(|k| after + k)?;
            Some(places.remove(pick))
        });
        match found {
            Some(i) => {
                matched[i] = true;
                last = Some(i);
            }
            None => regions.add(item.bounds.intersect(&frame)),
        }
    }
    for (item, _) in old.items.iter().zip(&matched).filter(|(_, m)| !**m) {
        regions.add(item.bounds.intersect(&frame));
    }
    regions.finish(frame)
}

/// Damaged regions as they are found: overlapping ones merged at once, the
/// closest pair merged while there are too many.
#[derive(Default)]
struct Regions {
    boxes: Vec<ClipBox>,
}

impl Regions {
    fn add(&mut self, mut b: ClipBox) {
        if b.is_empty() {
            return;
        }
        // Swallow every region this one touches, until none does.
        while let Some(k) = self.boxes.iter().position(|o| touches(o, &b)) {
            b = union(&b, &self.boxes.swap_remove(k));
        }
        self.boxes.push(b);
        while self.boxes.len() > MAX_REGIONS {
            self.merge_closest();
        }
    }

    /// Merges the two regions whose union adds the fewest pixels.
    fn merge_closest(&mut self) {
        let mut best = (u64::MAX, 0, 1);
        for i in 0..self.boxes.len() {
            for j in i + 1..self.boxes.len() {
                let (a, b) = (&self.boxes[i], &self.boxes[j]);
                let waste = area(&union(a, b)).saturating_sub(area(a) + area(b));
                if waste < best.0 {
                    best = (waste, i, j);
                }
            }
        }
        let (_, i, j) = best;
        let b = self.boxes.swap_remove(j);
        let a = self.boxes.swap_remove(i);
        self.add(union(&a, &b));
    }

    fn finish(self, frame: ClipBox) -> Vec<ClipBox> {
        let total: u64 = self.boxes.iter().map(area).sum();
        if total as f64 > area(&frame) as f64 * WHOLE_FRAME_SHARE {
            return vec![frame];
        }
        self.boxes
    }
}

/// Whether two boxes overlap or share an edge.
fn touches(a: &ClipBox, b: &ClipBox) -> bool {
    a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1
}

fn union(a: &ClipBox, b: &ClipBox) -> ClipBox {
    ClipBox {
        x0: a.x0.min(b.x0),
        y0: a.y0.min(b.y0),
        x1: a.x1.max(b.x1),
        y1: a.y1.max(b.y1),
    }
}

fn area(b: &ClipBox) -> u64 {
    if b.is_empty() {
        0
    } else {
        (b.x1 - b.x0) as u64 * (b.y1 - b.y0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Color, Painter, Rect, TextEngine};

    const RED: Color = Color::rgba(200, 0, 0, 255);
    const BLUE: Color = Color::rgba(0, 0, 200, 255);

    /// The display list of a 100×100 frame drawn by `draw`.
    fn list(draw: impl FnOnce(&mut Painter<'_>)) -> DisplayList {
        let mut pixmap = tiny_skia::Pixmap::new(100, 100).unwrap();
        let mut text = TextEngine::embedded_only();
        let mut painter = Painter::recording(&mut pixmap, &mut text, 1.0);
        painter.clear(Color::WHITE);
        draw(&mut painter);
        painter.finish_recording().unwrap()
    }

    fn boxed(x0: i32, y0: i32, x1: i32, y1: i32) -> ClipBox {
        ClipBox { x0, y0, x1, y1 }
    }

    #[test]
    fn the_same_frame_has_no_damage() {
        let draw = |p: &mut Painter<'_>| p.fill_rect(Rect::new(10.0, 10.0, 20.0, 20.0), RED);
        assert_eq!(damage(&list(draw), &list(draw), 100, 100), []);
    }

    #[test]
    fn a_moved_box_damages_where_it_was_and_where_it_is() {
        let old = list(|p| p.fill_rect(Rect::new(10.0, 10.0, 10.0, 10.0), RED));
        let new = list(|p| p.fill_rect(Rect::new(60.0, 60.0, 10.0, 10.0), RED));
        let mut got = damage(&old, &new, 100, 100);
        got.sort_by_key(|b| b.x0);
        assert_eq!(got, [boxed(10, 10, 20, 20), boxed(60, 60, 70, 70)]);
    }

    #[test]
    fn overlapping_boxes_drawn_in_the_other_order_are_damage() {
        let a = |p: &mut Painter<'_>| p.fill_rect(Rect::new(10.0, 10.0, 30.0, 30.0), RED);
        let b = |p: &mut Painter<'_>| p.fill_rect(Rect::new(20.0, 20.0, 30.0, 30.0), BLUE);
        let old = list(|p| {
            a(p);
            b(p);
        });
        let new = list(|p| {
            b(p);
            a(p);
        });
        let got = damage(&old, &new, 100, 100);
        assert!(
            got.iter()
                .any(|r| r.x0 <= 20 && r.x1 >= 40 && r.y0 <= 20 && r.y1 >= 40),
            "the overlap must be repainted: {got:?}"
        );
    }

    #[test]
    fn a_new_colour_or_clip_is_damage_but_only_there() {
        let old = list(|p| p.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), RED));
        let new = list(|p| p.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), BLUE));
        assert_eq!(damage(&old, &new, 100, 100), [boxed(0, 0, 10, 10)]);
        let clipped = list(|p| {
            p.with_clip(Rect::new(0.0, 0.0, 5.0, 10.0), |p| {
                p.fill_rect(Rect::new(0.0, 0.0, 10.0, 10.0), RED);
            });
        });
        assert_eq!(damage(&old, &clipped, 100, 100), [boxed(0, 0, 10, 10)]);
    }

    #[test]
    fn many_small_changes_merge_and_most_of_the_frame_means_all_of_it() {
        let dots = |colour: Color| {
            list(move |p| {
                for i in 0..20 {
                    p.fill_rect(Rect::new(i as f32 * 5.0, i as f32 * 5.0, 2.0, 2.0), colour);
                }
            })
        };
        let got = damage(&dots(RED), &dots(BLUE), 100, 100);
        assert!(got.len() <= MAX_REGIONS, "{got:?}");
        let big = list(|p| p.fill_rect(Rect::new(0.0, 0.0, 90.0, 90.0), RED));
        assert_eq!(damage(&dots(RED), &big, 100, 100), [boxed(0, 0, 100, 100)]);
    }
}
