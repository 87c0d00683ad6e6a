//! Thread priority on macOS.

use std::io;

/// Does nothing, and says so. `setpriority` on macOS changes the whole
/// process, which would slow the loop thread along with the workers; the
/// per-thread way is a QoS class (`pthread_set_qos_class_self_np`), which
/// also moves threads between performance and efficiency cores. That is a
/// bigger change than a few points of niceness and is not measured here
/// (macOS is compile-checked, not run), so workers keep the loop's priority.
pub(crate) fn lower_current_thread_priority() -> io::Result<()> {
    Ok(())
}
