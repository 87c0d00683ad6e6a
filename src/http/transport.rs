//! The byte stream a request runs over: a plain TCP stream or a TLS session
//! on one. The protocol engine is written against this small trait, so the
//! same code serves both (and an in-memory stream in unit tests).

use std::fmt;

/// Why a read or write on a connection failed, before it is put in terms of
/// the request (which host, which phase) by the caller.
#[derive(Debug)]
pub(crate) enum LinkError {
    /// The peer reset or closed the connection.
    Reset,
    /// The socket's own timeout fired.
    TimedOut,
    /// TLS failed; rustls's error says why.
    Tls(rustls::Error),
    /// Any other error, as the system worded it.
    Io(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Reset => f.write_str("connection reset"),
            LinkError::TimedOut => f.write_str("timed out"),
            LinkError::Tls(e) => write!(f, "TLS: {e}"),
            LinkError::Io(e) => f.write_str(e),
        }
    }
}

/// A connected byte stream. `async fn` in a crate-private trait: every user
/// is generic over it, so no boxing and no `Send` bound are needed.
pub(crate) trait Transport {
    /// Read some bytes into `buf`; `Ok(0)` means the peer finished sending.
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, LinkError>;

    /// Write all of `buf`.
    async fn write_all(&mut self, buf: &[u8]) -> Result<(), LinkError>;
}

#[cfg(test)]
pub(crate) mod memory {
    //! A scripted peer for protocol tests: what it will send, in pieces, and
    //! everything written to it.

    use std::collections::VecDeque;

    use super::{LinkError, Transport};

    /// One step of the peer's side.
    pub(crate) enum Step {
        /// These bytes arrive (as one read, or less if the buffer is small).
        Send(Vec<u8>),
        /// The peer resets the connection.
        Reset,
    }

    /// A stream whose peer follows a script, then closes.
    #[derive(Default)]
    pub(crate) struct Scripted {
        pub(crate) script: VecDeque<Step>,
        pub(crate) written: Vec<u8>,
    }

    impl Scripted {
        pub(crate) fn new(pieces: &[&[u8]]) -> Self {
            Self {
                script: pieces.iter().map(|p| Step::Send(p.to_vec())).collect(),
                written: Vec::new(),
            }
        }
    }

    impl Transport for Scripted {
        async fn read(&mut self, buf: &mut [u8]) -> Result<usize, LinkError> {
            match self.script.pop_front() {
                None => Ok(0),
                Some(Step::Reset) => Err(LinkError::Reset),
                Some(Step::Send(mut bytes)) => {
                    let n = bytes.len().min(buf.len());
                    buf[..n].copy_from_slice(&bytes[..n]);
                    if n < bytes.len() {
                        self.script.push_front(Step::Send(bytes.split_off(n)));
                    }
                    Ok(n)
                }
            }
        }

        async fn write_all(&mut self, buf: &[u8]) -> Result<(), LinkError> {
            self.written.extend_from_slice(buf);
            Ok(())
        }
    }

    /// Run a future that never waits (the scripted stream is always ready).
    pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }
}
