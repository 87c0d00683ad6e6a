//! How a loop runs: its window, its per-turn budget, its lane limits, and
//! the errors that stop it.

use std::path::PathBuf;
use std::time::Duration;

use crate::geometry::Size;
use crate::queue::LaneLimits;
use crate::watchdog::WatchdogSettings;

/// How much one turn may dispatch from the app and IO lanes before it goes
/// back to check input. Input and due timers are not limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// At most this many app/IO messages and task polls per turn, counted
    /// exactly (zero counts as one, so the lanes are never starved).
    pub messages: usize,
    /// At most this long per turn (checked every few messages).
    pub time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            messages: 1024,
            time: Duration::from_millis(4),
        }
    }
}

/// The main window's initial settings.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSettings {
    /// Title bar text.
    pub title: String,
    /// Inner size in logical pixels.
    pub size: Size,
    /// Whether the user may resize the window.
    pub resizable: bool,
}

impl WindowSettings {
    /// A resizable 800×600 window titled `title`.
    #[must_use]
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            size: Size::new(800.0, 600.0),
            resizable: true,
        }
    }

    /// Set the initial inner size in logical pixels.
    #[must_use]
    pub fn size(mut self, width: f32, height: f32) -> Self {
        self.size = Size::new(width, height);
        self
    }
}

/// How a loop runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The window to open; `None` runs without any window.
    pub window: Option<WindowSettings>,
    /// Per-turn budget for app and IO messages.
    pub budget: Budget,
    /// How many app / IO messages may be in flight before producers wait.
    pub limits: LaneLimits,
    /// Worker threads for blocking IO; 0 means one per core.
    pub io_threads: usize,
    /// Keep each message's `Debug` text while it is handled, so a panic report
    /// names the exact message. Costs a format per message; on by default in
    /// debug builds only.
    pub describe_events: bool,
    /// Quit when the user closes the window (after the app saw
    /// [`Input::CloseRequested`](crate::Input::CloseRequested)).
    pub quit_on_close: bool,
    /// Use the fonts installed on the system as fallbacks (the embedded
    /// fonts are always there). Off in the test harness, so pictures do not
    /// depend on the machine.
    pub system_fonts: bool,
    /// Record every event of this run to this file, to replay it later
    /// with [`testing::replay`](crate::testing::replay). The environment
    /// variable `ONELOOP_RECORD=FILE` sets this in [`Settings::default`], so
    /// any app can be recorded without a rebuild (and a value set in code
    /// still wins).
    pub record: Option<PathBuf>,
    /// Warn about a handler or a frame that holds the loop too long, naming
    /// it; `None` turns the watchdog off. By default on in debug builds
    /// and off in release builds; `ONELOOP_WATCHDOG` overrides that (see
    /// [`WatchdogSettings::for_this_build`]).
    pub watchdog: Option<WatchdogSettings>,
    /// Let F12 show and hide a panel of the loop's live [`Stats`](crate::Stats)
    /// (rates, queue depth, frame and turn times, the slowest handlers) on
    /// top of the app. On by default; while it is on, the app never sees
    /// plain F12. Turn it off to use F12 yourself.
    pub stats_overlay: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            window: None,
            budget: Budget::default(),
            limits: LaneLimits::default(),
            io_threads: 0,
            describe_events: cfg!(debug_assertions),
            quit_on_close: true,
            system_fonts: true,
            record: std::env::var_os("ONELOOP_RECORD")
                .filter(|path| !path.is_empty())
                .map(PathBuf::from),
            watchdog: WatchdogSettings::for_this_build(),
            stats_overlay: true,
        }
    }
}

impl Settings {
    /// Settings for an app with one window.
    #[must_use]
    pub fn window(window: WindowSettings) -> Self {
        Self {
            window: Some(window),
            ..Self::default()
        }
    }

    /// Settings for a loop without a window (tools, tests).
    #[must_use]
    pub fn headless() -> Self {
        Self::default()
    }
}

/// Why a loop could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The OS refused a resource the loop needs (epoll, eventfd, threads).
    #[error("the event loop could not be set up: {0}")]
    Os(#[from] std::io::Error),
    /// No window system was reachable.
    #[error(
        "no window system is reachable ({0}); set DISPLAY or WAYLAND_DISPLAY, or run headless"
    )]
    NoDisplay(String),
    /// The window or its drawing surface could not be created.
    #[error("the window could not be created: {0}")]
    Window(String),
}

impl From<calloop::Error> for RunError {
    fn from(e: calloop::Error) -> Self {
        RunError::Os(e.into())
    }
}
