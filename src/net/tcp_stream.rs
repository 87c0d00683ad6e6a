//! [`TcpStream`]: a connection, opened and used from an async task.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

use super::error::During;
use super::source::{Dir, Io};
use super::{deadline_in, resolve, within, NetError};

/// A TCP connection whose reads and writes are futures, for tasks spawned
/// with [`Cx::spawn`](crate::Cx::spawn). Dropping it closes the socket.
///
/// One read and one write may wait at a time (each takes `&mut self`).
/// Read and write timeouts bound each wait for progress, like std's: a read
/// that sees no byte for that long fails with
/// [`NetError::TimedOut`], and the stream stays usable.
pub struct TcpStream {
    io: Io,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local", &self.local_addr().ok())
            .field("peer", &self.peer_addr().ok())
            .finish()
    }
}

impl TcpStream {
    /// Connect to `addr` (`host:port`, or a literal address such as
    /// `127.0.0.1:80` or `[::1]:80`) within `timeout`, name resolution
    /// included. Every address the name resolves to is tried in turn, in the
    /// system's order of preference, until one accepts.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), oneloop::net::NetError> {
    /// use std::time::Duration;
    /// let stream = oneloop::net::TcpStream::connect("localhost:8080", Duration::from_secs(3)).await?;
    /// # Ok(()) }
    /// ```
    pub fn connect(
        addr: impl Into<String>,
        timeout: Duration,
    ) -> impl Future<Output = Result<TcpStream, NetError>> {
        let addr = addr.into();
        async move {
            let deadline = deadline_in(Some(timeout))?;
            let addrs = within(deadline, During::Connect, resolve(addr)).await?;
            let mut last = None;
            for addr in addrs {
                match within(deadline, During::Connect, connect_one(addr)).await {
                    Ok(stream) => return Ok(stream),
                    Err(e @ NetError::TimedOut { .. }) => return Err(e),
                    Err(e) => {
                        tracing::debug!(%addr, %e, "connect failed; trying the next address");
                        last = Some(e);
                    }
                }
            }
            Err(last.unwrap_or(NetError::Cancelled))
        }
    }

    /// Wrap a connected, non-blocking socket.
    pub(crate) fn from_socket(socket: Socket) -> Self {
        Self {
            io: Io::new(socket),
            read_timeout: None,
            write_timeout: None,
        }
    }

    pub(crate) fn into_socket(self) -> io::Result<Socket> {
        self.io.into_socket()
    }

    /// Read some bytes into `buf`; `Ok(0)` means the peer has finished
    /// sending (or `buf` is empty).
    pub async fn read(&mut self, buf: &mut [u8]) -> Result<usize, NetError> {
        let deadline = deadline_in(self.read_timeout)?;
        let io = &self.io;
        let wait = poll_fn(|cx| {
            io.poll_io(cx, Dir::Read, |mut s: &Socket| s.read(buf))
                .map_err(|e| NetError::from_io(e, During::Read))
        });
        within(deadline, During::Read, wait).await
    }

    /// Write some of `buf`, returning how much was taken.
    pub async fn write(&mut self, buf: &[u8]) -> Result<usize, NetError> {
        let deadline = deadline_in(self.write_timeout)?;
        let io = &self.io;
        let wait = poll_fn(|cx| {
            io.poll_io(cx, Dir::Write, |mut s: &Socket| s.write(buf))
                .map_err(|e| NetError::from_io(e, During::Write))
        });
        within(deadline, During::Write, wait).await
    }

    /// Write all of `buf`. The write timeout applies to each wait for room.
    pub async fn write_all(&mut self, mut buf: &[u8]) -> Result<(), NetError> {
        while !buf.is_empty() {
            match self.write(buf).await? {
                0 => return Err(NetError::Closed),
                n => buf = &buf[n..],
            }
        }
        Ok(())
    }

    /// Shut down reading, writing or both. Shutting down writing tells the
    /// peer that nothing more will come (it reads end-of-stream).
    pub fn shutdown(&self, how: Shutdown) -> Result<(), NetError> {
        self.io
            .socket()
            .shutdown(how)
            .map_err(|e| NetError::from_io(e, During::Write))
    }

    /// The peer's address.
    pub fn peer_addr(&self) -> Result<SocketAddr, NetError> {
        address(self.io.socket().peer_addr())
    }

    /// This end's address.
    pub fn local_addr(&self) -> Result<SocketAddr, NetError> {
        address(self.io.socket().local_addr())
    }

    /// Bound each wait of a read (`None`: wait as long as it takes, the default).
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    /// Bound each wait of a write for room (`None`, the default: no bound).
    pub fn set_write_timeout(&mut self, timeout: Option<Duration>) {
        self.write_timeout = timeout;
    }

    /// The read timeout in force.
    #[must_use]
    pub fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    /// The write timeout in force.
    #[must_use]
    pub fn write_timeout(&self) -> Option<Duration> {
        self.write_timeout
    }
}

/// A std address from socket2's, or a clear error.
pub(crate) fn address(addr: io::Result<socket2::SockAddr>) -> Result<SocketAddr, NetError> {
    addr.map_err(|e| NetError::from_io(e, During::Read))?
        .as_socket()
        .ok_or_else(|| NetError::other("the socket has no IP address"))
}

/// Start a connection to one address and wait until it is established.
async fn connect_one(addr: SocketAddr) -> Result<TcpStream, NetError> {
    let fail = |e: io::Error| NetError::at(e, addr);
    let socket =
        Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP)).map_err(fail)?;
    socket.set_nonblocking(true).map_err(fail)?;
    // Small apps send small requests; waiting for Nagle's timer would add
    // tens of milliseconds to each.
    socket.set_tcp_nodelay(true).map_err(fail)?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if crate::sys::net::connect_in_progress(&e) => {}
        Err(e) => return Err(fail(e)),
    }
    let stream = TcpStream::from_socket(socket);
    poll_fn(|cx| {
        stream.io.poll_io(cx, Dir::Write, |s| {
            if let Some(e) = s.take_error()? {
                return Err(e);
            }
            match s.peer_addr() {
                Ok(_) => Ok(()),
                // Not connected yet: writable came early, or not at all yet.
                Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                    Err(io::ErrorKind::WouldBlock.into())
                }
                Err(e) => Err(e),
            }
        })
    })
    .await
    .map_err(fail)?;
    Ok(stream)
}
