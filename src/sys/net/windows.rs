//! Sockets on Windows: `SOCKET` handles, WinSock error codes, and the
//! `WSAEMSGSIZE` error by which `recvfrom` reports a datagram cut to fit.

use std::io;
use std::mem::MaybeUninit;
use std::os::windows::io::{AsSocket, BorrowedSocket};
use std::rc::Rc;

use socket2::Socket;
use windows_sys::Win32::Networking::WinSock::{WSAEMSGSIZE, WSAEWOULDBLOCK};

use super::Datagram;

/// A socket shared between its handle and its loop source, as calloop's
/// `Generic` takes it here: a `SOCKET` (its IOCP poller serves sockets only).
#[derive(Debug)]
pub(crate) struct Watched(pub(crate) Rc<Socket>);

impl AsSocket for Watched {
    fn as_socket(&self) -> BorrowedSocket<'_> {
        self.0.as_socket()
    }
}

/// Whether a non-blocking `connect` has started rather than failed
/// (WinSock says "would block" where unix says "in progress").
pub(crate) fn connect_in_progress(err: &io::Error) -> bool {
    err.raw_os_error() == Some(WSAEWOULDBLOCK)
}

/// Options a listening socket needs before `bind`: none. SO_REUSEADDR means
/// something else on Windows — another process could bind the same port and
/// steal connections — and Windows already lets a restarted server bind a
/// port held in TIME_WAIT.
pub(crate) fn prepare_listener(_socket: &Socket) -> io::Result<()> {
    Ok(())
}

/// Receive one datagram, telling whether it was cut to fit `buf`.
pub(crate) fn recv_from(socket: &Socket, buf: &mut [u8]) -> io::Result<Datagram> {
    let capacity = buf.len();
    match socket.recv_from(as_uninit(buf)) {
        Ok((len, from)) => Ok(Datagram {
            len,
            truncated: false,
            from: from.as_socket(),
        }),
        // The buffer holds the first `capacity` bytes; the sender is not
        // reported with this error.
        Err(e) if e.raw_os_error() == Some(WSAEMSGSIZE) => Ok(Datagram {
            len: capacity,
            truncated: true,
            from: None,
        }),
        Err(e) => Err(e),
    }
}

#[expect(unsafe_code, reason = "socket2 takes receive buffers as MaybeUninit")]
fn as_uninit(buf: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: MaybeUninit<u8> has the layout of u8, and `recvfrom` only
    // ever stores initialised bytes into the slice, so it is still fully
    // initialised when it is read back as `[u8]`.
    unsafe { &mut *(std::ptr::from_mut(buf) as *mut [MaybeUninit<u8>]) }
}
