//! Painting a frame: the view, the app's own drawing, the stats overlay.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use super::EventLoop;
use crate::app::App;
use crate::event::Lane;
use crate::render::glyph_cache::ClipBox;
use crate::watchdog::Activity;

impl<A: App> EventLoop<A> {
    /// Paint a frame: the view's widgets, then the app's own drawing, then
    /// the stats overlay when F12 has shown it.
    pub fn paint(&mut self, pixmap: &mut tiny_skia::Pixmap, scale: f32) {
        self.paint_kept(pixmap, scale, false);
    }

    /// [`EventLoop::paint`] into a pixmap that, when `kept`, still holds
    /// the last frame: only what changed is repainted. Returns the regions
    /// repainted.
    pub(crate) fn paint_kept(
        &mut self,
        pixmap: &mut tiny_skia::Pixmap,
        scale: f32,
        kept: bool,
    ) -> Vec<ClipBox> {
        let started = Instant::now();
        let regions = self.paint_unchecked(pixmap, scale, kept);
        self.watchdog
            .frame_done(started.elapsed(), &mut self.cx.stats);
        regions
    }

    /// [`EventLoop::paint`] without the watchdog's frame check, for a
    /// window that checks the frame once it is also presented.
    ///
    /// When `kept` says `pixmap` holds the frame this loop painted last, only
    /// what changed is repainted; the regions repainted are returned, in
    /// physical pixels (empty when the frame is the same as the last one).
    pub(crate) fn paint_unchecked(
        &mut self,
        pixmap: &mut tiny_skia::Pixmap,
        scale: f32,
        kept: bool,
    ) -> Vec<ClipBox> {
        self.watchdog.turn_started(&mut self.cx.stats);
        let beat = self.watchdog.enter(Activity::Frame);
        // Animations read the loop's clock, so a virtual clock drives them too.
        let now = self.cx.clock().now();
        let (app, ui) = (&self.app, &mut self.ui);
        let (overlay, stats) = (&self.overlay, &self.cx.stats);
        // The app's drawing is caught on its own, so a report can tell it
        // from the view, and the stats overlay is still painted over it.
        if !kept {
            ui.forget_last_frame();
        }
        let mut drawn = Ok(());
        let painted = catch_unwind(AssertUnwindSafe(|| {
            let theme = app.theme();
            let mut tree = app.view();
            ui.prepare(&mut tree, &theme);
            ui.paint(&tree, &theme, pixmap, scale, now, |painter| {
                drawn = catch_unwind(AssertUnwindSafe(|| app.draw(painter)));
                overlay.paint(painter, stats);
            })
        }));
        self.watchdog.leave_frame(beat);
        // A view that panicked painted nothing: the pixels are the last frame's.
        let regions = painted.unwrap_or_else(|payload| {
            let running = "building the view for a frame (App::view)".to_owned();
            self.report_panic(Lane::Lifecycle, running, &*payload);
            Vec::new()
        });
        if let Err(payload) = drawn {
            let running = "painting a frame (App::draw)".to_owned();
            self.report_panic(Lane::Lifecycle, running, &*payload);
        }
        self.ui.repaint = false;
        if self.ui.animating {
            self.cx.window.redraw = true;
        }
        let painted_at = self.cx.clock().now();
        self.cx
            .stats
            .record_frame(painted_at.saturating_duration_since(now));
        let window = (self.cx.window.size, self.cx.window.scale);
        let overlay = self.overlay.is_shown();
        self.cx.tape.on_frame(now, pixmap, scale, overlay, window);
        if let Some(trace) = &mut self.trace {
            trace.frame(self.cx.stats.frames, self.cx.stats.last_frame);
        }
        regions
    }
}
