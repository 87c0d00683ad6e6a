//! [`NetError`]: why a network operation failed, in terms a user can act on.

use std::fmt;
use std::io;
use std::sync::Arc;

/// Which step of a connection ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum During {
    /// Resolving the name and opening the connection.
    Connect,
    /// Waiting for bytes from the peer.
    Read,
    /// Waiting for room to send bytes to the peer.
    Write,
}

impl fmt::Display for During {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            During::Connect => "connecting",
            During::Read => "waiting for data",
            During::Write => "waiting to send",
        })
    }
}

/// Why a network operation failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// The host name did not resolve to any address.
    #[error("`{host}` did not resolve ({reason}); check the name and the network's DNS")]
    Resolve {
        /// The name as given.
        host: String,
        /// What the resolver said.
        reason: String,
    },
    /// The address is not of the form `host:port`.
    #[error(
        "`{given}` is not an address; write it as host:port, e.g. example.com:80 or [::1]:8080"
    )]
    BadAddress {
        /// What was given.
        given: String,
    },
    /// Nothing listens at the address (the peer answered with a reset).
    #[error("connection to {addr} refused; check that the server runs and listens on that port")]
    Refused {
        /// The address last tried.
        addr: String,
    },
    /// A step took longer than its timeout.
    #[error("timed out {during}; the peer may be down or slow — retry or raise the timeout")]
    TimedOut {
        /// The step that ran out of time.
        during: During,
    },
    /// The peer reset or aborted the connection.
    #[error("the connection was reset by the peer; it may have crashed or dropped the connection")]
    Reset,
    /// The connection is closed: the peer stopped reading, or it was shut
    /// down or closed on this side.
    #[error("the connection is closed; open a new one to send more")]
    Closed,
    /// The local address is taken by another socket.
    #[error("{addr} is already in use; pick another port or stop the program holding it")]
    AddrInUse {
        /// The address asked for.
        addr: String,
    },
    /// A datagram was longer than the receive buffer; it was discarded.
    #[error(
        "a datagram did not fit in the {capacity}-byte buffer and was discarded; \
         receive into a larger buffer (a UDP datagram holds at most 65,507 bytes)"
    )]
    DatagramTooLarge {
        /// The size of the buffer it was received into.
        capacity: usize,
        /// The sender, if the OS reported it.
        from: Option<std::net::SocketAddr>,
    },
    /// The operation was cancelled (its connection was closed by the app, or
    /// the app quit).
    #[error("cancelled")]
    Cancelled,
    /// Any other OS error, kept whole for the log.
    #[error("network error: {source}")]
    Other {
        /// What the OS reported, shared so the error stays `Clone`.
        source: Arc<io::Error>,
    },
}

impl NetError {
    /// Map an OS error from a connection's `during` step.
    pub(crate) fn from_io(err: io::Error, during: During) -> Self {
        use io::ErrorKind as K;
        match err.kind() {
            K::ConnectionReset | K::ConnectionAborted => NetError::Reset,
            K::BrokenPipe | K::NotConnected => NetError::Closed,
            K::TimedOut => NetError::TimedOut { during },
            _ => NetError::Other {
                source: Arc::new(err),
            },
        }
    }

    /// Map an OS error from connecting to or binding `addr`.
    pub(crate) fn at(err: io::Error, addr: impl fmt::Display) -> Self {
        match err.kind() {
            io::ErrorKind::ConnectionRefused => NetError::Refused {
                addr: addr.to_string(),
            },
            io::ErrorKind::AddrInUse => NetError::AddrInUse {
                addr: addr.to_string(),
            },
            _ => NetError::from_io(err, During::Connect),
        }
    }

    /// A failure that is no OS error: a bug or a misuse, explained.
    pub(crate) fn other(message: &str) -> Self {
        NetError::Other {
            source: Arc::new(io::Error::other(message.to_owned())),
        }
    }
}
