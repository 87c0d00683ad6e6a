//! The driver where the window system is the master (Windows and macOS; on
//! Linux too with `ONELOOP_DRIVER=pumped`, which is how it is tested beside
//! the calloop driver).
//!
//! Windows and macOS give winit no descriptor that calloop could wait on, so
//! the loop thread sleeps inside winit instead: `pump_app_events` with the
//! loop's own deadline (the next timer or frame) as its timeout. Everything
//! else that must end that sleep is turned into a window-system wake-up:
//! - the queue's coalesced wake-up (one per burst of posts, as with the
//!   ping) is redirected to winit's `EventLoopProxy`;
//! - calloop sources (child processes' channels, sockets, the app's own
//!   sources) are watched by [`SourceWatch`], a thread that waits on
//!   calloop's poller and rings the same proxy; the loop thread then
//!   dispatches calloop with a zero timeout.
//!
//! Every message is still drained by this one thread, in the same turn as on
//! Linux, so the queue contract does not depend on the driver.

use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use winit::event_loop::{EventLoop as WinitLoop, EventLoopProxy};

use super::shell::Shell;
use crate::app::App;
use crate::event_loop::EventLoop;
use crate::settings::{RunError, WindowSettings};
use crate::sys::poller;

pub(super) fn run<A: App>(core: EventLoop<A>, settings: WindowSettings) -> Result<A, RunError> {
    let mut winit_loop = WinitLoop::new().map_err(|e| RunError::NoDisplay(e.to_string()))?;
    let proxy = winit_loop.create_proxy();
    let wake_proxy = proxy.clone();
    core.wake.redirect(Box::new(move || {
        // Fails only once winit's loop is gone, when nobody needs waking.
        let _ = wake_proxy.send_event(());
    }));
    let watch = SourceWatch::start(&core.calloop, proxy)?;
    let mut shell = Shell::new(core, settings);
    let result = turns(&mut shell, &mut winit_loop, &watch);
    // The watcher holds a copy of calloop's poller handle: stop it first.
    drop(watch);
    result.map(|()| shell.finish())
}

/// Pump, dispatch and paint until the app quits or the window system ends.
fn turns<A: App>(
    shell: &mut Shell<A>,
    winit_loop: &mut WinitLoop<()>,
    watch: &SourceWatch,
) -> Result<(), RunError> {
    loop {
        let timeout = shell.timeout();
        if timeout != Some(Duration::ZERO) {
            shell.core.before_wait();
        }
        let exited = shell.pump(winit_loop, timeout);
        if let Some(error) = shell.error.take() {
            return Err(error);
        }
        if exited || shell.core.is_quitting() {
            return Ok(());
        }
        shell
            .core
            .calloop
            .dispatch(Some(Duration::ZERO), &mut shell.core.cx)?;
        watch.dispatched();
        shell.core.dispatch_pending();
        if shell.core.is_quitting() {
            return Ok(());
        }
        shell.after_turn();
    }
}

/// A thread that rings the window system's wake-up whenever calloop's poller
/// has events, then waits until the loop thread has dispatched them before
/// it looks again, so a source that stays ready costs one wake-up per turn,
/// not a spin.
struct SourceWatch {
    stop: poller::Stop,
    /// `None` once dropping: a watcher waiting for a turn then returns.
    dispatched: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SourceWatch {
    fn start<D>(
        calloop: &calloop::EventLoop<'_, D>,
        proxy: EventLoopProxy<()>,
    ) -> Result<Self, RunError> {
        let (watch, stop) = poller::watch(calloop)?;
        let (dispatched, turns) = crossbeam_channel::bounded(1);
        let thread = std::thread::Builder::new()
            .name("oneloop-source-watch".into())
            .spawn(move || watch_sources(&watch, &proxy, &turns))?;
        Ok(Self {
            stop,
            dispatched: Some(dispatched),
            thread: Some(thread),
        })
    }

    /// The loop thread has dispatched calloop: the watcher may look again.
    fn dispatched(&self) {
        // A full slot means the watcher has not asked yet; one is enough.
        if let Some(dispatched) = &self.dispatched {
            let _ = dispatched.try_send(());
        }
    }
}

fn watch_sources(watch: &poller::Watch, proxy: &EventLoopProxy<()>, turns: &Receiver<()>) {
    loop {
        match watch.wait() {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                tracing::error!("cannot watch the loop's event sources: {e}");
                return;
            }
        }
        if proxy.send_event(()).is_err() || turns.recv().is_err() {
            return; // the loop is gone
        }
    }
}

impl Drop for SourceWatch {
    fn drop(&mut self) {
        self.dispatched = None;
        self.stop.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
