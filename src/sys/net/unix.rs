//! Sockets on Linux and macOS: descriptors, errno values, and `recvmsg`,
//! whose `MSG_TRUNC` flag is the only way to learn that a datagram did not
//! fit (plain `recvfrom` cuts it silently).

use std::io::{self, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd};
use std::rc::Rc;

use rustix::io::Errno;
use rustix::net::{recvmsg, RecvAncillaryBuffer, RecvFlags, ReturnFlags};
use socket2::Socket;

use super::Datagram;

/// A socket shared between its handle and its loop source, as calloop's
/// `Generic` takes it here: a descriptor.
#[derive(Debug)]
pub(crate) struct Watched(pub(crate) Rc<Socket>);

impl AsFd for Watched {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

/// Whether a non-blocking `connect` has started rather than failed.
pub(crate) fn connect_in_progress(err: &io::Error) -> bool {
    err.raw_os_error() == Some(Errno::INPROGRESS.raw_os_error())
}

/// Options a listening socket needs before `bind`.
pub(crate) fn prepare_listener(socket: &Socket) -> io::Result<()> {
    // A restarted server must be able to bind the port its predecessor's
    // connections still hold in TIME_WAIT. On unix SO_REUSEADDR allows only
    // that, never two live listeners on one port (std sets it too).
    socket.set_reuse_address(true)
}

/// Receive one datagram, telling whether it was cut to fit `buf`.
pub(crate) fn recv_from(socket: &Socket, buf: &mut [u8]) -> io::Result<Datagram> {
    let capacity = buf.len();
    let mut iov = [IoSliceMut::new(buf)];
    let mut control = RecvAncillaryBuffer::default();
    let msg = recvmsg(socket, &mut iov, &mut control, RecvFlags::empty())?;
    Ok(Datagram {
        len: msg.bytes.min(capacity),
        truncated: msg.flags.contains(ReturnFlags::TRUNC),
        from: msg.address.and_then(|a| SocketAddr::try_from(a).ok()),
    })
}
