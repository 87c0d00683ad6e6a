//! Thread priority on Windows.

use std::io;

use windows_sys::Win32::System::Threading::{
    GetCurrentThread, SetThreadPriority, THREAD_PRIORITY_BELOW_NORMAL,
};

/// Puts the calling thread one step below normal priority, the nearest
/// Windows has to the few points of niceness workers get on Linux.
pub(crate) fn lower_current_thread_priority() -> io::Result<()> {
    // SAFETY: `GetCurrentThread` returns a pseudo-handle that always names
    // the calling thread, needs no closing and cannot be invalid;
    // `SetThreadPriority` only reads its two arguments.
    #[expect(unsafe_code, reason = "Win32 call with no safe wrapper")]
    let ok = unsafe { SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL) };
    if ok == 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// The calling thread's priority level (0 normal, -1 below normal), for tests.
#[cfg(test)]
pub(crate) fn current_thread_priority() -> io::Result<i32> {
    use windows_sys::Win32::System::Threading::GetThreadPriority;
    /// What `GetThreadPriority` returns on failure (`MAXLONG`).
    const THREAD_PRIORITY_ERROR_RETURN: i32 = i32::MAX;
    // SAFETY: as above, the pseudo-handle always names the calling thread.
    #[expect(unsafe_code, reason = "Win32 call with no safe wrapper")]
    let level = unsafe { GetThreadPriority(GetCurrentThread()) };
    if level == THREAD_PRIORITY_ERROR_RETURN {
        Err(io::Error::last_os_error())
    } else {
        Ok(level)
    }
}
