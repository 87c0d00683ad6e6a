//! Sockets: what a readiness source, a failed connect, a listener's options
//! and a truncated datagram look like on each OS family.
//!
//! Everything else about sockets is portable through `socket2` and std; the
//! portable side is `crate::net`.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::{connect_in_progress, prepare_listener, recv_from, Watched};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::{connect_in_progress, prepare_listener, recv_from, Watched};

/// One datagram taken off a socket.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Datagram {
    /// Bytes placed in the buffer.
    pub(crate) len: usize,
    /// The datagram was longer than the buffer; the rest is lost.
    pub(crate) truncated: bool,
    /// The sender, when the OS reported one.
    pub(crate) from: Option<std::net::SocketAddr>,
}
