//! The system clock that `std::time::Instant` reads, as a number another
//! process can read too: the trace's first line gives its own start on it,
//! so key-latency measurements in another process line up with the trace.

#[cfg(all(unix, not(target_os = "macos")))]
mod unix;
#[cfg(all(unix, not(target_os = "macos")))]
use unix as imp;

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
use macos as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub(crate) use imp::monotonic_ns;

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    #[test]
    fn the_clock_moves_with_instant() {
        let (a, start) = (super::monotonic_ns(), Instant::now());
        std::thread::sleep(Duration::from_millis(30));
        let (b, took) = (super::monotonic_ns(), start.elapsed());
        let moved = b.saturating_sub(a);
        // Same clock, so the two spans agree to well within a millisecond
        // or two of scheduling noise.
        let diff = moved.abs_diff(took.as_nanos());
        assert!(moved >= 30_000_000, "moved {moved} ns over a 30 ms sleep");
        assert!(diff < 5_000_000, "clock moved {moved} ns, Instant {took:?}");
    }
}
