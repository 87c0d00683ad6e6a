//! Where the queue's one wake-up per burst goes.
//!
//! A loop starts with calloop's ping as the target: it wakes calloop's wait,
//! which is the loop thread's only sleep when calloop is the master (always
//! windowless, and on Linux with a window). A driver in which the window
//! system is the master (Windows, macOS) redirects the wake-up to the window
//! system's own (winit's `EventLoopProxy`) before the first turn, because
//! there the thread sleeps inside the window system and a ping would go
//! unheard. The redirect is set once and read on every wake-up with one
//! acquire load, so the coalescing in `Wake` keeps its cost.

use std::sync::{Arc, OnceLock};

use calloop::ping::Ping;

use super::Notify;

/// The loop's wake-up target: calloop's ping, or the window system's.
pub(crate) struct WakeTarget {
    ping: Ping,
    window: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl WakeTarget {
    pub(crate) fn new(ping: Ping) -> Arc<Self> {
        Arc::new(Self {
            ping,
            window: OnceLock::new(),
        })
    }

    /// From now on, wake the loop through `wake` instead of the ping.
    /// Returns `false` (and changes nothing) if a redirect was already set.
    pub(crate) fn redirect(&self, wake: Box<dyn Fn() + Send + Sync>) -> bool {
        self.window.set(wake).is_ok()
    }

    /// Wake the loop thread wherever it sleeps.
    pub(crate) fn ring(&self) {
        match self.window.get() {
            Some(wake) => wake(),
            None => self.ping.ping(),
        }
    }
}

impl Notify for Arc<WakeTarget> {
    fn notify(&self) {
        self.ring();
    }
}
