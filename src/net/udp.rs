//! [`UdpSocket`]: datagrams from an async task.

use std::fmt;
use std::future::poll_fn;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, Socket, Type};

use super::error::During;
use super::source::{Dir, Io};
use super::tcp_stream::address;
use super::NetError;

/// A UDP socket whose sends and receives are futures, for tasks spawned
/// with [`Cx::spawn`](crate::Cx::spawn). Dropping it closes the socket.
pub struct UdpSocket {
    io: Io,
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("local", &self.local_addr().ok())
            .finish()
    }
}

impl UdpSocket {
    /// Bind to `addr`; port 0 picks a free port.
    pub fn bind(addr: impl Into<SocketAddr>) -> Result<Self, NetError> {
        let addr = addr.into();
        let fail = |e| NetError::at(e, addr);
        let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))
            .map_err(fail)?;
        socket.bind(&addr.into()).map_err(fail)?;
        socket.set_nonblocking(true).map_err(fail)?;
        Ok(Self {
            io: Io::new(socket),
        })
    }

    /// The address it is bound to.
    pub fn local_addr(&self) -> Result<SocketAddr, NetError> {
        address(self.io.socket().local_addr())
    }

    /// Send one datagram to `target`.
    pub async fn send_to(&mut self, buf: &[u8], target: SocketAddr) -> Result<usize, NetError> {
        let io = &self.io;
        let to = target.into();
        poll_fn(|cx| io.poll_io(cx, Dir::Write, |s| s.send_to(buf, &to)))
            .await
            .map_err(|e| NetError::from_io(e, During::Write))
    }

    /// Receive one datagram into `buf`: its length and sender. A datagram
    /// longer than `buf` is reported as [`NetError::DatagramTooLarge`] (and
    /// is gone), never silently cut.
    pub async fn recv_from(&mut self, buf: &mut [u8]) -> Result<(usize, SocketAddr), NetError> {
        let io = &self.io;
        let capacity = buf.len();
        let got = poll_fn(|cx| io.poll_io(cx, Dir::Read, |s| crate::sys::net::recv_from(s, buf)))
            .await
            .map_err(|e| NetError::from_io(e, During::Read))?;
        if got.truncated {
            return Err(NetError::DatagramTooLarge {
                capacity,
                from: got.from,
            });
        }
        let from = got
            .from
            .ok_or_else(|| NetError::other("a datagram arrived with no sender address"))?;
        Ok((got.len, from))
    }
}
