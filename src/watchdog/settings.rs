//! When the watchdog warns, and the `ONELOOP_WATCHDOG` override.

use std::time::Duration;

/// When the blocked-loop watchdog warns. Set it as
/// [`Settings::watchdog`](crate::Settings::watchdog); `None` there turns the
/// watchdog off.
///
/// A handler (an event's `update`, building the view, polling an async
/// task) that holds the loop thread for `threshold` or longer is reported
/// with one `tracing` warning naming the event and how long it took; so is
/// a frame whose painting took longer than `frame_budget`. The counts are
/// in [`Stats::slow_handlers`](crate::Stats::slow_handlers) and
/// [`Stats::slow_frames`](crate::Stats::slow_frames).
///
/// ```
/// use std::time::Duration;
/// use oneloop::{Settings, WatchdogSettings};
///
/// let mut settings = Settings::headless();
/// settings.watchdog = Some(WatchdogSettings::default().threshold(Duration::from_millis(250)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchdogSettings {
    /// A handler that runs this long or longer is reported. Default 100 ms,
    /// about where a person notices that a click or a key went unanswered.
    pub threshold: Duration,
    /// A frame that takes longer than this to paint (and present, with a
    /// window) is reported. Default 50 ms: three refreshes of a 60 Hz
    /// display, a stutter anyone sees. One refresh (16.7 ms) would be the
    /// strict figure, but the watchdog is on in debug builds, where
    /// software rendering of a large window can take that long on every
    /// frame, and a warning per frame would drown the ones that matter.
    pub frame_budget: Duration,
}

impl Default for WatchdogSettings {
    fn default() -> Self {
        Self {
            threshold: Duration::from_millis(100),
            frame_budget: Duration::from_millis(50),
        }
    }
}

/// The variable that overrides the build's default.
const VARIABLE: &str = "ONELOOP_WATCHDOG";

impl WatchdogSettings {
    /// Report handlers that run `threshold` or longer.
    #[must_use]
    pub fn threshold(mut self, threshold: Duration) -> Self {
        self.threshold = threshold;
        self
    }

    /// Report frames that take longer than `budget`.
    #[must_use]
    pub fn frame_budget(mut self, budget: Duration) -> Self {
        self.frame_budget = budget;
        self
    }

    /// What [`Settings::default`](crate::Settings) uses: the defaults in
    /// debug builds, off in release builds, unless the `ONELOOP_WATCHDOG`
    /// environment variable says otherwise: `off`, `on`, a threshold in
    /// milliseconds (`250`), or a threshold and a frame budget (`250,40`).
    /// So a release build can be watched without rebuilding it.
    #[must_use]
    pub fn for_this_build() -> Option<Self> {
        let build_default = cfg!(debug_assertions).then(Self::default);
        let Some(value) = std::env::var_os(VARIABLE) else {
            return build_default;
        };
        match parse(&value.to_string_lossy()) {
            Ok(chosen) => chosen,
            Err(e) => {
                tracing::warn!("{VARIABLE}: {e}; using the build's default");
                build_default
            }
        }
    }
}

/// Reads an `ONELOOP_WATCHDOG` value.
pub(super) fn parse(value: &str) -> Result<Option<WatchdogSettings>, String> {
    let value = value.trim();
    match value.to_ascii_lowercase().as_str() {
        "off" | "0" | "false" | "no" => return Ok(None),
        "on" | "1" | "true" | "yes" => return Ok(Some(WatchdogSettings::default())),
        _ => {}
    }
    let millis = |text: &str| {
        text.trim()
            .parse::<u64>()
            .ok()
            .filter(|&ms| ms > 0)
            .map(Duration::from_millis)
            .ok_or_else(|| {
                format!("{value:?} is not off, on, or milliseconds such as 250 or 250,40")
            })
    };
    let mut settings = WatchdogSettings::default();
    match value.split_once(',') {
        Some((threshold, budget)) => {
            settings.threshold = millis(threshold)?;
            settings.frame_budget = millis(budget)?;
        }
        None => settings.threshold = millis(value)?,
    }
    Ok(Some(settings))
}
