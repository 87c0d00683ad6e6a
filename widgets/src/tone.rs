//! Small color helpers the newer controls share.

use oneloop::render::Color;

/// `from` moved a share `t` (0..1) of the way to `to`. Shifting the accent
/// towards the text color darkens it on a light theme and lightens it on a
/// dark one, so a hover or press shade is visible on both.
pub(crate) fn mix(from: Color, to: Color, t: f32) -> Color {
    let channel = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
    Color::rgba(
        channel(from.r, to.r),
        channel(from.g, to.g),
        channel(from.b, to.b),
        channel(from.a, to.a),
    )
}
