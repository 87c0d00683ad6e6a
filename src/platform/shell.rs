//! The window side of a running app, the same on every OS: the window and
//! its surface, painting, frame cadence, the cursor, window commands and
//! input conversion. A driver (`linux.rs`, `pumped.rs`) decides only how the
//! loop waits and when winit is pumped; everything a user sees is here.

use std::num::NonZeroU32;
use std::rc::Rc;
use std::time::{Duration, Instant};

use tiny_skia::Pixmap;
use winit::application::ApplicationHandler;
use winit::dpi::LogicalSize;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop as WinitLoop};
use winit::platform::pump_events::{EventLoopExtPumpEvents, PumpStatus};
use winit::window::{Window, WindowId};

use super::convert::{cursor_icon, Converter};
use crate::app::{App, WindowCommand};
use crate::event_loop::EventLoop;
use crate::geometry::Size;
use crate::queue::push_input;
use crate::render::glyph_cache::ClipBox;
use crate::settings::{RunError, WindowSettings};
use crate::widget::Cursor;

type Surface = softbuffer::Surface<Rc<Window>, Rc<Window>>;

/// The display refresh assumed until the monitor says otherwise (as under
/// Xvfb, which reports none).
const DEFAULT_FRAME_INTERVAL: Duration = Duration::from_micros(16_667);

/// The window side of a running app; winit calls into it while pumped.
pub(super) struct Shell<A: App> {
    pub(super) core: EventLoop<A>,
    settings: WindowSettings,
    window: Option<Rc<Window>>,
    surface: Option<Surface>,
    pixmap: Option<Pixmap>,
    converter: Converter,
    frame_interval: Duration,
    next_frame: Instant,
    /// Set when a frame was presented since the driver last cleared it.
    painted: bool,
    /// The shell asked for the redraw that is coming; one it did not ask for
    /// comes from the window system (an expose, a resize), which may have
    /// lost what the window showed, so that frame is presented whole.
    asked_redraw: bool,
    /// Off (`ONELOOP_DAMAGE=off`): every frame is painted and presented
    /// whole, to tell a damage-tracking fault from an app's own.
    damage_tracking: bool,
    /// The cursor last shown, so the window is told only about changes.
    cursor: Cursor,
    /// A failure inside a winit callback, returned by the driver.
    pub(super) error: Option<RunError>,
}

impl<A: App> Shell<A> {
    pub(super) fn new(core: EventLoop<A>, settings: WindowSettings) -> Self {
        Self {
            core,
            settings,
            window: None,
            surface: None,
            pixmap: None,
            converter: Converter::default(),
            frame_interval: DEFAULT_FRAME_INTERVAL,
            next_frame: Instant::now(),
            painted: false,
            asked_redraw: false,
            damage_tracking: std::env::var_os("ONELOOP_DAMAGE").is_none_or(|v| v != "off"),
            cursor: Cursor::Default,
            error: None,
        }
    }

    /// The core's timeout, shortened to the next frame when one is wanted.
    pub(super) fn timeout(&mut self) -> Option<Duration> {
        let core = self.core.timeout();
        if !self.core.cx.window.redraw || self.window.is_none() {
            return core;
        }
        let until_frame = self.next_frame.saturating_duration_since(Instant::now());
        Some(core.map_or(until_frame, |t| t.min(until_frame)))
    }

    /// Let winit wait for at most `timeout` and handle what arrived, then
    /// pump once more without waiting if that painted: softbuffer's X11
    /// `present` queues the image without flushing the connection, and the
    /// second pump flushes it (elsewhere it costs one empty pump). Returns
    /// whether winit has exited.
    pub(super) fn pump(
        &mut self,
        winit_loop: &mut WinitLoop<()>,
        timeout: Option<Duration>,
    ) -> bool {
        self.painted = false;
        if let PumpStatus::Exit(_) = winit_loop.pump_app_events(timeout, self) {
            return true;
        }
        if self.painted {
            self.painted = false;
            if let PumpStatus::Exit(_) = winit_loop.pump_app_events(Some(Duration::ZERO), self) {
                return true;
            }
        }
        false
    }

    /// What follows every turn: the app's window commands, the cursor the
    /// widgets want, and a frame if one is due.
    pub(super) fn after_turn(&mut self) {
        self.apply_window_commands();
        self.apply_cursor();
        self.schedule_frame();
    }

    /// Close the window and shut the core down; the app comes back.
    pub(super) fn finish(mut self) -> A {
        // The surface must go before the window it draws into.
        self.surface = None;
        self.window = None;
        self.core.shutdown()
    }

    /// Turn a redraw wish into a real redraw request once a frame is due, so
    /// many messages between two display refreshes make one frame.
    fn schedule_frame(&mut self) {
        let Some(window) = &self.window else { return };
        let now = Instant::now();
        if self.core.cx.window.redraw && now >= self.next_frame {
            self.core.cx.window.redraw = false;
            self.next_frame = next_frame(self.next_frame, now, self.frame_interval);
            self.asked_redraw = true;
            window.request_redraw();
        }
    }

    fn apply_window_commands(&mut self) {
        let Some(window) = &self.window else { return };
        for command in self.core.cx.window.commands.drain(..) {
            match command {
                WindowCommand::SetTitle(title) => window.set_title(&title),
                WindowCommand::SetSize(size) => {
                    let _ = window.request_inner_size(LogicalSize::new(size.w, size.h));
                }
            }
        }
    }

    /// Show the cursor the widget under the pointer asks for, when it changed.
    fn apply_cursor(&mut self) {
        let Some(window) = &self.window else { return };
        let wanted = self.core.ui.cursor;
        if wanted != self.cursor {
            self.cursor = wanted;
            window.set_cursor(cursor_icon(wanted));
        }
    }

    fn create_window(&mut self, event_loop: &ActiveEventLoop) -> Result<(), RunError> {
        let size = self.settings.size;
        let attributes = Window::default_attributes()
            .with_title(self.settings.title.clone())
            .with_inner_size(LogicalSize::new(size.w, size.h))
            .with_resizable(self.settings.resizable);
        let window = Rc::new(
            event_loop
                .create_window(attributes)
                .map_err(|e| RunError::Window(e.to_string()))?,
        );
        let context = softbuffer::Context::new(Rc::clone(&window))
            .map_err(|e| RunError::Window(e.to_string()))?;
        let surface = Surface::new(&context, Rc::clone(&window))
            .map_err(|e| RunError::Window(e.to_string()))?;
        let scale = window.scale_factor();
        let inner = window.inner_size();
        let state = &mut self.core.cx.window;
        state.scale = scale;
        state.size = Size::new(
            (f64::from(inner.width) / scale) as f32,
            (f64::from(inner.height) / scale) as f32,
        );
        state.redraw = true;
        if let Some(mhz) = window
            .current_monitor()
            .and_then(|m| m.refresh_rate_millihertz())
        {
            if mhz > 0 {
                self.frame_interval = Duration::from_secs_f64(1000.0 / f64::from(mhz));
            }
        }
        tracing::debug!(
            scale,
            width = inner.width,
            height = inner.height,
            "window created"
        );
        self.window = Some(window);
        self.surface = Some(surface);
        // Widgets copy and paste through the desktop once there is a window.
        self.core.ui.clipboard = super::clipboard::system_or_private();
        Ok(())
    }

    /// Paint a frame: the app draws into the pixmap, which is copied into the
    /// window's buffer and presented.
    fn paint(&mut self) -> Result<(), String> {
        let (Some(window), Some(surface)) = (&self.window, &mut self.surface) else {
            return Ok(());
        };
        let started = Instant::now();
        let inner = window.inner_size();
        let (Some(width), Some(height)) =
            (NonZeroU32::new(inner.width), NonZeroU32::new(inner.height))
        else {
            return Ok(()); // minimised
        };
        surface.resize(width, height).map_err(|e| e.to_string())?;
        let kept = self.damage_tracking
            && matches!(&self.pixmap, Some(p) if p.width() == width.get() && p.height() == height.get());
        if !kept {
            self.pixmap =
                Some(Pixmap::new(width.get(), height.get()).ok_or("window too large to paint")?);
        }
        let Some(pixmap) = &mut self.pixmap else {
            return Ok(());
        };
        let scale = window.scale_factor() as f32;
        let regions = self.core.paint_unchecked(pixmap, scale, kept);
        let mut buffer = surface.buffer_mut().map_err(|e| e.to_string())?;
        let whole = [ClipBox {
            x0: 0,
            y0: 0,
            x1: width.get() as i32,
            y1: height.get() as i32,
        }];
        // A buffer that holds the previous frame needs only what changed;
        // any other (new, or one of a swap chain) gets every pixel.
        let copy: &[ClipBox] = if buffer.age() == 1 { &regions } else { &whole };
        copy_regions(pixmap, &mut buffer, copy);
        let asked = std::mem::take(&mut self.asked_redraw);
        if asked && buffer.age() == 1 {
            let damage: Vec<_> = regions.iter().filter_map(to_softbuffer).collect();
            buffer
                .present_with_damage(&damage)
                .map_err(|e| e.to_string())?;
        } else {
            buffer.present().map_err(|e| e.to_string())?;
        }
        let took = started.elapsed();
        self.core.cx.stats.frame_presented(took);
        let stats = &mut self.core.cx.stats;
        self.core.watchdog.frame_done(took, stats);
        self.painted = true;
        Ok(())
    }
}

impl<A: App> ApplicationHandler for Shell<A> {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        event_loop.set_control_flow(ControlFlow::Wait);
        if self.window.is_none() {
            if let Err(e) = self.create_window(event_loop) {
                self.error = Some(e);
                event_loop.exit();
            }
        }
    }

    fn window_event(&mut self, _event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        if let WindowEvent::RedrawRequested = event {
            if let Err(e) = self.paint() {
                tracing::error!("could not present a frame: {e}");
            }
            return;
        }
        let scale = self.core.cx.window.scale;
        if let Some(input) = self.converter.convert(&event, scale) {
            push_input(&mut self.core.cx.input, input);
        }
    }

    // A user event is only ever the queue's wake-up (see `pumped.rs`): its
    // job is done once the pump returns, and the messages are drained by the
    // turn that follows. The trait's default does nothing, which is right.
}

/// Copies `regions` of `pixmap` into a window buffer of the same size.
/// Frames are opaque, so premultiplied RGBA is plain RGB: packed as 0RGB.
fn copy_regions(pixmap: &Pixmap, buffer: &mut [u32], regions: &[ClipBox]) {
    let width = pixmap.width() as usize;
    let data = pixmap.data();
    for r in regions {
        let (x0, x1) = (r.x0.max(0) as usize, (r.x1.max(0) as usize).min(width));
        for y in r.y0.max(0) as usize..(r.y1.max(0) as usize).min(pixmap.height() as usize) {
            let row = y * width;
            let (Some(dst), Some(src)) = (
                buffer.get_mut(row + x0..row + x1),
                data.get((row + x0) * 4..(row + x1) * 4),
            ) else {
                continue;
            };
            for (dst, src) in dst.iter_mut().zip(src.chunks_exact(4)) {
                *dst = (u32::from(src[0]) << 16) | (u32::from(src[1]) << 8) | u32::from(src[2]);
            }
        }
    }
}

/// A repainted region as the window system's damage rectangle.
fn to_softbuffer(r: &ClipBox) -> Option<softbuffer::Rect> {
    Some(softbuffer::Rect {
        x: u32::try_from(r.x0).ok()?,
        y: u32::try_from(r.y0).ok()?,
        width: NonZeroU32::new(u32::try_from(r.x1 - r.x0).ok()?)?,
        height: NonZeroU32::new(u32::try_from(r.y1 - r.y0).ok()?)?,
    })
}

/// When the frame after one that was due at `due` and starts `now` is due.
///
/// Frames keep the display's cadence: a frame that starts late must not push
/// the next one back, or the lateness adds up (1.5 ms late each time makes
/// 55 frames a second instead of 60 on a busy machine). A frame more than
/// half an interval late starts the cadence afresh, so two frames never come
/// back to back, and neither does a burst after an idle spell.
fn next_frame(due: Instant, now: Instant, interval: Duration) -> Instant {
    let on_cadence = due + interval;
    if on_cadence >= now + interval / 2 {
        on_cadence
    } else {
        now + interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERVAL: Duration = Duration::from_micros(16_667);

    #[test]
    fn frames_that_start_a_little_late_still_come_sixty_a_second() {
        let start = Instant::now();
        let (mut due, mut now) = (start, start);
        for _ in 0..60 {
            // Every frame starts 3 ms after it was due.
            now = now.max(due) + Duration::from_millis(3);
            due = next_frame(due, now, INTERVAL);
        }
        let second = due.duration_since(start);
        assert!(second <= INTERVAL * 61, "60 late frames took {second:?}");
    }

    #[test]
    fn after_an_idle_spell_the_next_frame_waits_a_whole_interval() {
        let due = Instant::now();
        let now = due + Duration::from_secs(5);
        assert_eq!(next_frame(due, now, INTERVAL), now + INTERVAL);
    }

    #[test]
    fn a_frame_late_by_most_of_an_interval_is_not_followed_at_once() {
        let due = Instant::now();
        let now = due + Duration::from_millis(12);
        assert!(next_frame(due, now, INTERVAL) >= now + INTERVAL / 2);
    }
}
