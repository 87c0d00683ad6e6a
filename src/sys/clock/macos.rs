//! The monotonic clock on macOS: `CLOCK_UPTIME_RAW`, which is what
//! `Instant` reads there (the same ticks as `mach_absolute_time`, in
//! nanoseconds). `CLOCK_MONOTONIC` would not line up: it keeps counting
//! while the machine sleeps.

/// Nanoseconds on `CLOCK_UPTIME_RAW`, or 0 if the clock cannot be read.
pub(crate) fn monotonic_ns() -> u128 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the duration of the
    // call, and CLOCK_UPTIME_RAW is a clock every supported macOS has.
    #[expect(unsafe_code, reason = "rustix offers no CLOCK_UPTIME_RAW on macOS")]
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_UPTIME_RAW, &mut now) };
    if rc != 0 {
        return 0;
    }
    u128::try_from(now.tv_sec).unwrap_or(0) * 1_000_000_000
        + u128::try_from(now.tv_nsec).unwrap_or(0)
}
