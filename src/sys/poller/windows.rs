//! calloop's poller on Windows is an IO completion port, and a port is a
//! waitable kernel object: signalled while it holds completion packets.
//! Waiting on it does not take the packets, so the loop thread still finds
//! them when it dispatches. An event object carries the stop request.

use std::io;
use std::os::windows::io::{AsHandle, AsRawHandle, FromRawHandle, OwnedHandle};
use std::ptr;

use windows_sys::Win32::Foundation::{WAIT_FAILED, WAIT_OBJECT_0};
use windows_sys::Win32::System::Threading::{
    CreateEventW, SetEvent, WaitForMultipleObjects, INFINITE,
};

/// The watcher's side: a duplicate of the port's handle and the stop event.
pub(crate) struct Watch {
    port: OwnedHandle,
    stop: std::sync::Arc<OwnedHandle>,
}

/// Ends a [`Watch::wait`], now or the next time it is called.
pub(crate) struct Stop(std::sync::Arc<OwnedHandle>);

/// Watch the poller of `event_loop` from another thread.
pub(crate) fn watch<D>(event_loop: &calloop::EventLoop<'_, D>) -> io::Result<(Watch, Stop)> {
    let port = event_loop.as_handle().try_clone_to_owned()?;
    let stop = std::sync::Arc::new(manual_reset_event()?);
    Ok((
        Watch {
            port,
            stop: std::sync::Arc::clone(&stop),
        },
        Stop(stop),
    ))
}

#[allow(unsafe_code)]
fn manual_reset_event() -> io::Result<OwnedHandle> {
    // SAFETY: no security attributes and no name are passed (null is
    // allowed for both); the handle returned is checked and then owned.
    let raw = unsafe { CreateEventW(ptr::null(), 1, 0, ptr::null()) };
    if raw.is_null() {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `raw` is a fresh, valid event handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(raw) })
}

impl Watch {
    /// Block until the port holds packets (`true`) or a stop was asked for
    /// (`false`).
    #[allow(unsafe_code)]
    pub(crate) fn wait(&self) -> io::Result<bool> {
        let handles = [self.port.as_raw_handle(), self.stop.as_raw_handle()];
        // SAFETY: both handles are owned by `self` and stay open for the
        // whole call; the array outlives it.
        let woke = unsafe { WaitForMultipleObjects(2, handles.as_ptr(), 0, INFINITE) };
        match woke {
            WAIT_FAILED => Err(io::Error::last_os_error()),
            w if w == WAIT_OBJECT_0 => Ok(true),
            _ => Ok(false),
        }
    }
}

impl Stop {
    /// Ask the watcher to return.
    #[allow(unsafe_code)]
    pub(crate) fn stop(&self) {
        // SAFETY: the event handle is owned by `self` and open.
        unsafe { SetEvent(self.0.as_raw_handle()) };
    }
}
