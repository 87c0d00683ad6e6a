//! Drive an app with no window: click widgets by their visible label, type,
//! press keys, scroll, move virtual time, wait for IO, and compare frames
//! with stored PNG snapshots.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::app::{App, Cx};
use crate::event_loop::EventLoop;
use crate::geometry::{Point, Rect, Size};
use crate::input::{
    ButtonState, Input, Key, KeyEvent, Modifiers, NamedKey, PointerButton, ScrollDelta,
};
use crate::overlay::Overlay;
use crate::queue::Poster;
use crate::render::{compare, load_png, save_png};
use crate::settings::Settings;
use crate::ui::{all_labels, find_labels};

/// How long [`Harness::settle`] waits for IO before it gives up.
const SETTLE_LIMIT: Duration = Duration::from_secs(30);

/// A windowless app under test. Time is virtual: timers fire only when the
/// test moves time with [`Harness::advance`], so tests are fast and exact.
/// Fonts are the embedded ones only, so pictures match on every machine.
pub struct Harness<A: App> {
    event_loop: EventLoop<A>,
    scale: f32,
    /// The last frame, kept so the next one repaints only what changed, as
    /// in a window.
    frame: Option<tiny_skia::Pixmap>,
    /// What the last render repainted, in physical pixels.
    damage: Vec<Rect>,
}

impl<A: App> Harness<A> {
    /// An 800×600 harness at scale 1, started (the app has seen
    /// `Lifecycle::Started` and everything that followed has settled).
    pub fn new(app: A) -> Self {
        Self::with_size(app, 800.0, 600.0)
    }

    /// A harness whose window has `width` × `height` logical pixels.
    pub fn with_size(app: A, width: f32, height: f32) -> Self {
        Self::with_fonts(app, width, height, false)
    }

    /// Like [`Harness::with_size`], but with the system's fonts as fallbacks
    /// too (for pictures of scripts the embedded fonts lack, such as CJK).
    /// Snapshot tests should not use this: their pixels would depend on the
    /// fonts installed.
    pub fn with_fonts(app: A, width: f32, height: f32, system_fonts: bool) -> Self {
        let mut settings = Settings::headless();
        settings.system_fonts = system_fonts;
        // A test records only when it asks to (`Harness::recording`), even
        // if the environment says to record the app under test.
        settings.record = None;
        Self::with_settings(app, width, height, settings)
    }

    /// A harness that records everything the app handles to `path`, to
    /// replay with [`replay`](crate::testing::replay). Call
    /// [`Harness::finish`] to close the recording.
    pub fn recording(app: A, width: f32, height: f32, path: impl AsRef<Path>) -> Self {
        let mut settings = Settings::headless();
        settings.system_fonts = false;
        settings.record = Some(path.as_ref().to_owned());
        Self::with_settings(app, width, height, settings)
    }

    fn with_settings(app: A, width: f32, height: f32, mut settings: Settings) -> Self {
        settings.describe_events = true;
        let event_loop = match EventLoop::with_virtual_time(app, settings) {
            Ok(event_loop) => event_loop,
            Err(e) => panic!("the test harness could not start a loop: {e}"),
        };
        let mut harness = Self {
            event_loop,
            scale: 1.0,
            frame: None,
            damage: Vec::new(),
        };
        harness.input(Input::Resized(Size::new(width, height)));
        harness
    }

    /// Render at `scale` physical pixels per logical pixel (HiDPI).
    #[must_use]
    pub fn scale(mut self, scale: f32) -> Self {
        self.scale = scale;
        self.input(Input::ScaleFactorChanged(f64::from(scale)));
        self
    }

    /// Let F12 show the stats overlay (the default) or, with `false`, pass
    /// F12 to the app like any key, as [`Settings::stats_overlay`] does.
    #[must_use]
    pub fn stats_overlay(mut self, enabled: bool) -> Self {
        self.event_loop.settings.stats_overlay = enabled;
        self.event_loop.overlay = Overlay::new(enabled);
        self
    }

    /// The app, to check its state.
    pub fn app(&self) -> &A {
        self.event_loop.app()
    }

    /// The app, to change its state.
    pub fn app_mut(&mut self) -> &mut A {
        self.event_loop.app_mut()
    }

    /// The app's context.
    pub fn cx(&mut self) -> &mut Cx<A::Message> {
        self.event_loop.cx()
    }

    /// A poster, to send messages as another thread would.
    pub fn poster(&self) -> Poster<A::Message> {
        self.event_loop.poster()
    }

    /// The loop itself.
    pub fn event_loop(&mut self) -> &mut EventLoop<A> {
        &mut self.event_loop
    }

    /// Run until nothing is queued or in flight (timers aside). Panics if IO
    /// does not settle within 30 s.
    pub fn settle(&mut self) -> &mut Self {
        match self.event_loop.run_until_settled(SETTLE_LIMIT) {
            Ok(true) => self,
            Ok(false) => panic!("the app did not settle within {SETTLE_LIMIT:?}"),
            Err(e) => panic!("the loop failed: {e}"),
        }
    }

    /// Move virtual time forward by `by`, firing due timers, then settle.
    pub fn advance(&mut self, by: Duration) -> &mut Self {
        // Step through timer deadlines so repeating timers tick at each period.
        let step = Duration::from_millis(1).max(by / 1000);
        let mut left = by;
        while !left.is_zero() {
            let now = step.min(left);
            self.event_loop.advance(now);
            left -= now;
        }
        self.settle()
    }

    /// Deliver one input and settle.
    pub fn input(&mut self, input: Input) -> &mut Self {
        if let Err(e) = self.event_loop.poster().post_input(input) {
            panic!("the loop has quit: {e}");
        }
        self.settle()
    }

    /// Where the widget labelled `label` is: the part of it on screen, when a
    /// scroll view shows only some of it. Panics, listing what is on screen,
    /// if no widget or more than one shows it (widgets scrolled out of sight
    /// do not count).
    pub fn find(&mut self, label: &str) -> Rect {
        let found = self.find_all(label);
        match found.as_slice() {
            [rect] => *rect,
            [] => panic!(
                "no widget labelled {label:?}; on screen: {:?}",
                self.texts()
            ),
            _ => panic!("{} widgets are labelled {label:?}", found.len()),
        }
    }

    /// Where every widget labelled `label` is, in tree order, for screens
    /// that show the same label more than once (a list of similar rows, the
    /// same panel in two themes). Empty when none is on screen.
    pub fn find_all(&mut self, label: &str) -> Vec<Rect> {
        let mut found = Vec::new();
        self.with_view(|tree| find_labels(tree, label, &mut found));
        found
    }

    /// Click the widget labelled `label` in its middle.
    pub fn click(&mut self, label: &str) -> &mut Self {
        let center = self.find(label).center();
        self.click_at(center)
    }

    /// Move the pointer to `point`, press and release the primary button.
    pub fn click_at(&mut self, point: Point) -> &mut Self {
        self.move_pointer(point);
        for state in [ButtonState::Pressed, ButtonState::Released] {
            self.input(Input::PointerButton {
                button: PointerButton::Primary,
                state,
                position: point,
            });
        }
        self
    }

    /// Press the primary button at `from`, move to `to` and release there:
    /// a drag (a scrollbar thumb, a text selection).
    pub fn drag(&mut self, from: Point, to: Point) -> &mut Self {
        self.move_pointer(from);
        self.input(Input::PointerButton {
            button: PointerButton::Primary,
            state: ButtonState::Pressed,
            position: from,
        });
        self.move_pointer(to);
        self.input(Input::PointerButton {
            button: PointerButton::Primary,
            state: ButtonState::Released,
            position: to,
        })
    }

    /// Move the pointer to `point`.
    pub fn move_pointer(&mut self, point: Point) -> &mut Self {
        self.input(Input::PointerMoved { position: point })
    }

    /// Turn the wheel by `lines` at `point`: negative lines move on towards
    /// the end of a scroll view, positive lines back towards its top.
    pub fn scroll_at(&mut self, point: Point, lines: f32) -> &mut Self {
        self.move_pointer(point);
        self.input(Input::Wheel {
            delta: ScrollDelta::Lines { x: 0.0, y: lines },
            position: point,
        })
    }

    /// Type `text`, one key press and release per character.
    pub fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            let key = Key::Character(c.to_string());
            self.key_event(
                key.clone(),
                Some(c.to_string()),
                Modifiers::default(),
                ButtonState::Pressed,
            );
            self.key_event(key, None, Modifiers::default(), ButtonState::Released);
        }
        self
    }

    /// Press and release a named key.
    pub fn press(&mut self, key: NamedKey) -> &mut Self {
        self.chord(Key::Named(key), Modifiers::default())
    }

    /// Press and release `key` with `modifiers` held, e.g. Ctrl+O.
    pub fn chord(&mut self, key: Key, modifiers: Modifiers) -> &mut Self {
        let text = match (&key, modifiers.ctrl || modifiers.alt || modifiers.logo) {
            (Key::Character(c), false) => Some(c.clone()),
            (Key::Named(NamedKey::Space), false) => Some(" ".to_owned()),
            _ => None,
        };
        self.input(Input::ModifiersChanged(modifiers));
        self.key_event(key.clone(), text, modifiers, ButtonState::Pressed);
        self.key_event(key, None, modifiers, ButtonState::Released);
        self.input(Input::ModifiersChanged(Modifiers::default()))
    }

    fn key_event(
        &mut self,
        key: Key,
        text: Option<String>,
        modifiers: Modifiers,
        state: ButtonState,
    ) {
        self.input(Input::Key(KeyEvent {
            key,
            state,
            text,
            modifiers,
            repeat: false,
        }));
    }

    /// Every label on screen, in tree order; labels a scroll view has moved
    /// out of sight are left out.
    pub fn texts(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        self.with_view(|tree| all_labels(tree, &mut out));
        out
    }

    /// Whether some widget shows exactly `text`.
    pub fn has_text(&mut self, text: &str) -> bool {
        self.texts().iter().any(|t| t == text)
    }

    fn with_view<R>(&mut self, f: impl FnOnce(&crate::widget::Element<'_, A::Message>) -> R) -> R {
        let event_loop = &mut self.event_loop;
        let theme = event_loop.app.theme();
        let mut tree = event_loop.app.view();
        event_loop.ui.prepare(&mut tree, &theme);
        f(&tree)
    }

    /// Stop the loop as quitting would (closing a recording) and hand the
    /// app back.
    pub fn finish(self) -> A {
        self.event_loop.shutdown()
    }

    /// Paint a frame and return it. Like a window's frame, it answers any
    /// pending redraw request (see [`Harness::wants_frame`]), and repaints
    /// only what changed since the previous render.
    ///
    /// In a debug build each render also checks that repaint: it panics,
    /// naming the pixels, if the frame differs from the same frame painted
    /// whole, i.e. if some change escaped damage tracking. (Release builds,
    /// e.g. benchmarks, skip the check and its cost.)
    pub fn render(&mut self) -> tiny_skia::Pixmap {
        let size = self.event_loop.ui.size;
        let width = (size.w * self.scale).round().max(1.0) as u32;
        let height = (size.h * self.scale).round().max(1.0) as u32;
        let kept = matches!(&self.frame, Some(p) if p.width() == width && p.height() == height);
        if !kept {
            let Some(pixmap) = tiny_skia::Pixmap::new(width, height) else {
                panic!("cannot render a {width}×{height} frame");
            };
            self.frame = Some(pixmap);
        }
        let Some(frame) = &mut self.frame else {
            unreachable!("a frame was just made");
        };
        self.event_loop.cx.window.redraw = false;
        let regions = self.event_loop.paint_kept(frame, self.scale, kept);
        self.damage = regions
            .iter()
            .map(|r| {
                Rect::new(
                    r.x0 as f32,
                    r.y0 as f32,
                    (r.x1 - r.x0) as f32,
                    (r.y1 - r.y0) as f32,
                )
            })
            .collect();
        if kept && cfg!(debug_assertions) {
            let whole = self
                .event_loop
                .ui
                .paint_last_frame_whole(width, height, self.scale);
            if let Some(whole) = whole {
                assert_same_frame(frame, &whole, &self.damage);
            }
        }
        frame.clone()
    }

    /// The regions the last [`Harness::render`] repainted, in physical
    /// pixels: empty when the frame was the same as the one before, one
    /// region covering the frame when it was painted whole.
    pub fn last_damage(&self) -> &[Rect] {
        &self.damage
    }

    /// Whether the loop wants another frame: the app asked for a redraw or
    /// a widget is animating since the last [`Harness::render`]. An idle app
    /// must answer `false` after a render.
    pub fn wants_frame(&self) -> bool {
        self.event_loop.cx.window.redraw
    }

    /// The cursor the window would show now: the one the widget under the
    /// pointer asks for.
    pub fn cursor(&self) -> crate::widget::Cursor {
        self.event_loop.ui.cursor
    }

    /// Whether the stats overlay is on screen (F12 toggles it; see
    /// [`Settings::stats_overlay`]).
    pub fn overlay_shown(&self) -> bool {
        self.event_loop.overlay.is_shown()
    }

    /// Paint a frame into a PNG file.
    pub fn save_png(&mut self, path: impl AsRef<Path>) {
        let pixmap = self.render();
        if let Err(e) = save_png(&pixmap, path.as_ref()) {
            panic!("could not write {}: {e}", path.as_ref().display());
        }
    }

    /// Compare a fresh frame with `tests/snapshots/<name>.png` of the crate
    /// under test. `ONELOOP_BLESS=1` writes the snapshot instead. On a
    /// mismatch the frame and a diff image are written next to the snapshot
    /// (`<name>.actual.png`, `<name>.diff.png`) and the test fails.
    pub fn assert_snapshot(&mut self, name: &str) {
        let dir = snapshot_dir();
        let expected_path = dir.join(format!("{name}.png"));
        let actual = self.render();
        let bless = std::env::var_os("ONELOOP_BLESS").is_some_and(|v| v == "1");
        if bless || !expected_path.exists() {
            if let Err(e) = std::fs::create_dir_all(&dir)
                .map_err(|e| e.to_string())
                .and_then(|()| save_png(&actual, &expected_path).map_err(|e| e.to_string()))
            {
                panic!("could not write snapshot {}: {e}", expected_path.display());
            }
            if !bless {
                panic!(
                    "snapshot {} did not exist and was written; check it and run again",
                    expected_path.display()
                );
            }
            return;
        }
        let expected = match load_png(&expected_path) {
            Ok(pixmap) => pixmap,
            Err(e) => panic!("could not read snapshot {}: {e}", expected_path.display()),
        };
        let diff = compare(&expected, &actual, 24);
        // Tolerate a sprinkling of anti-aliasing differences, nothing more.
        let allowed = (actual.width() * actual.height()) as usize / 1000;
        if diff.differing_pixels <= allowed
            && expected.width() == actual.width()
            && expected.height() == actual.height()
        {
            return;
        }
        let actual_path = dir.join(format!("{name}.actual.png"));
        let diff_path = dir.join(format!("{name}.diff.png"));
        let _ = save_png(&actual, &actual_path);
        let _ = save_png(&diff.diff_image, &diff_path);
        panic!(
            "frame differs from snapshot {} in {} pixels (max channel delta {}); see {} and {}; \
             ONELOOP_BLESS=1 accepts the new frame",
            expected_path.display(),
            diff.differing_pixels,
            diff.max_delta,
            actual_path.display(),
            diff_path.display()
        );
    }
}

/// `tests/snapshots` of the crate whose tests are running.
fn snapshot_dir() -> PathBuf {
    let root =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from("."), PathBuf::from);
    root.join("tests").join("snapshots")
}

/// Panics unless a frame repainted in `damage` equals the same frame
/// painted whole.
fn assert_same_frame(partial: &tiny_skia::Pixmap, whole: &tiny_skia::Pixmap, damage: &[Rect]) {
    let width = partial.width() as usize;
    let mut wrong: Option<(usize, usize, usize, usize)> = None;
    let pairs = partial.pixels().iter().zip(whole.pixels());
    for (i, _) in pairs.enumerate().filter(|(_, (a, b))| a != b) {
        let (x, y) = (i % width, i / width);
        wrong = Some(match wrong {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    }
    if let Some((x0, y0, x1, y1)) = wrong {
        panic!(
            "damage tracking missed a change: pixels ({x0}, {y0})–({x1}, {y1}) differ from \
             the frame painted whole; repainted only {damage:?}"
        );
    }
}
