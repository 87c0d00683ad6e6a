//! The monotonic clock on Windows: the performance counter, which is what
//! `Instant` reads there.

use windows_sys::Win32::System::Performance::{QueryPerformanceCounter, QueryPerformanceFrequency};

/// Nanoseconds on the performance counter (`QueryPerformanceCounter`
/// scaled by its frequency), or 0 if it cannot be read. Another process
/// converts its own counter readings the same way to line up with a trace.
pub(crate) fn monotonic_ns() -> u128 {
    let (mut ticks, mut per_second) = (0i64, 0i64);
    // SAFETY: both calls only write one i64 through a pointer to a live
    // local; they cannot fail on Windows XP and later, but are checked anyway.
    #[expect(unsafe_code, reason = "Win32 calls with no safe wrapper")]
    let ok = unsafe {
        QueryPerformanceCounter(&mut ticks) != 0 && QueryPerformanceFrequency(&mut per_second) != 0
    };
    let (Ok(ticks), Ok(per_second)) = (u128::try_from(ticks), u128::try_from(per_second)) else {
        return 0;
    };
    if !ok || per_second == 0 {
        return 0;
    }
    ticks * 1_000_000_000 / per_second
}
