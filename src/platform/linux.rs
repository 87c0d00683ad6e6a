//! The Linux driver (X11 and Wayland): calloop is the master loop; winit's
//! own fd is one of its sources, drained with zero-timeout pumps. The loop
//! thread sleeps in calloop's epoll, so the queue's ping, timers, child
//! processes, sockets and the window system all wake the same wait.
//!
//! Two things learned the hard way shape `pump`:
//! - winit must be pumped right before the loop blocks: Xlib may already hold
//!   events read during an earlier round trip, and no fd readiness announces
//!   those. Without that pump a key press sat undelivered until the next mouse move.
//! - softbuffer's X11 `present` queues the image without flushing the X
//!   connection, so a frame caused by a background message stayed invisible
//!   until unrelated input arrived. A second pump after any pump that painted
//!   flushes it.

use std::os::fd::AsFd;
use std::time::Duration;

use calloop::generic::Generic;
use calloop::{Interest, Mode, PostAction};
use winit::event_loop::EventLoop as WinitLoop;

use super::shell::Shell;
use crate::app::App;
use crate::event_loop::EventLoop;
use crate::settings::{RunError, WindowSettings};

pub(super) fn run<A: App>(core: EventLoop<A>, settings: WindowSettings) -> Result<A, RunError> {
    let mut winit_loop = WinitLoop::new().map_err(|e| RunError::NoDisplay(e.to_string()))?;
    let fd = winit_loop.as_fd().try_clone_to_owned()?;
    core.calloop
        .handle()
        .insert_source(Generic::new(fd, Interest::READ, Mode::Level), |_, _, _| {
            // Readiness only wakes the loop; the pump below does the reading.
            Ok(PostAction::Continue)
        })
        .map_err(|e| RunError::Os(e.error.into()))?;
    let mut shell = Shell::new(core, settings);
    loop {
        let exited = shell.pump(&mut winit_loop, Some(Duration::ZERO));
        if let Some(error) = shell.error.take() {
            return Err(error);
        }
        if exited || shell.core.is_quitting() {
            break;
        }
        let timeout = shell.timeout();
        if timeout != Some(Duration::ZERO) {
            shell.core.before_wait();
        }
        shell.core.calloop.dispatch(timeout, &mut shell.core.cx)?;
        shell.core.dispatch_pending();
        if shell.core.is_quitting() {
            break;
        }
        shell.after_turn();
    }
    Ok(shell.finish())
}
