//! [`TcpListener`]: accepting connections from an async task.

use std::fmt;
use std::future::poll_fn;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, Socket, Type};

use super::error::During;
use super::source::{Dir, Io};
use super::tcp_stream::address;
use super::{NetError, TcpStream};

/// How many connections the OS queues before `accept` takes them.
const BACKLOG: i32 = 1024;

/// A listening TCP socket. Accept in a task with [`TcpListener::accept`], or
/// hand it to the loop with [`Cx::listen`](crate::Cx::listen) to get each
/// connection as messages. Dropping it closes the socket.
pub struct TcpListener {
    io: Io,
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local", &self.local_addr().ok())
            .finish()
    }
}

impl TcpListener {
    /// Listen on `addr`; port 0 picks a free port (see
    /// [`TcpListener::local_addr`]). Binding does not block, so it may be
    /// called anywhere.
    ///
    /// ```no_run
    /// let listener = oneloop::net::TcpListener::bind(([127, 0, 0, 1], 0))?;
    /// let port = listener.local_addr()?.port();
    /// # Ok::<(), oneloop::net::NetError>(())
    /// ```
    pub fn bind(addr: impl Into<SocketAddr>) -> Result<Self, NetError> {
        let addr = addr.into();
        let fail = |e| NetError::at(e, addr);
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
            .map_err(fail)?;
        crate::sys::net::prepare_listener(&socket).map_err(fail)?;
        socket.bind(&addr.into()).map_err(fail)?;
        socket.listen(BACKLOG).map_err(fail)?;
        socket.set_nonblocking(true).map_err(fail)?;
        Ok(Self {
            io: Io::new(socket),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr, NetError> {
        address(self.io.socket().local_addr())
    }

    /// Wait for the next connection.
    pub async fn accept(&mut self) -> Result<(TcpStream, SocketAddr), NetError> {
        let io = &self.io;
        let (socket, peer) = poll_fn(|cx| io.poll_io(cx, Dir::Read, accept_one))
            .await
            .map_err(|e| NetError::from_io(e, During::Read))?;
        let peer = peer
            .as_socket()
            .ok_or_else(|| NetError::other("accepted a connection with no IP address"))?;
        Ok((TcpStream::from_socket(socket), peer))
    }

    pub(crate) fn into_socket(self) -> std::io::Result<Socket> {
        self.io.into_socket()
    }
}

/// Accept one connection and make it non-blocking (Linux does not pass
/// that on from the listener; Windows does).
pub(crate) fn accept_one(listener: &Socket) -> std::io::Result<(Socket, socket2::SockAddr)> {
    let (socket, peer) = listener.accept()?;
    socket.set_nonblocking(true)?;
    socket.set_tcp_nodelay(true)?;
    Ok((socket, peer))
}
