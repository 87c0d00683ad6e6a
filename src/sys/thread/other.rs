//! Thread priority where oneloop knows no per-thread call.

use std::io;

/// Does nothing: no per-thread priority call is known here, and lowering
/// the whole process would slow the loop thread too.
pub(crate) fn lower_current_thread_priority() -> io::Result<()> {
    Ok(())
}
