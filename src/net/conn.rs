//! Connections served by the loop for `update`: [`Cx::connect`],
//! [`Cx::listen`], [`Cx::send`], [`Cx::close`].
//!
//! The loop reads a connection when the poller says it is readable and turns
//! each chunk into a [`NetEvent::Data`] in the IO lane; while that lane is
//! full the connection's source is disabled (the kernel's buffers fill and
//! TCP flow control slows the peer), exactly as child processes are paused.
//! Bytes given to [`Cx::send`] go straight to the socket while it takes them;
//! what it does not take waits in the connection's outbox and is written as
//! room appears.

mod serve;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{self, Write};
use std::net::{Shutdown, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

use socket2::Socket;

use super::error::During;
use super::source::{Dir, Registration, Registry, SocketSource, Watch};
use super::{NetError, TcpListener, TcpStream};
use crate::app::Cx;
use crate::io::IoItem;
use crate::task::TaskHandle;
use serve::{accept_ready, attach};

/// The most bytes one [`NetEvent::Data`] carries.
pub const READ_CHUNK: usize = 16 * 1024;

/// The most bytes read from one connection per readiness, so one flooding
/// peer cannot hold a turn.
const READ_BUDGET: usize = 4 * READ_CHUNK;

/// How many connections a listener takes per readiness.
const ACCEPT_BUDGET: usize = 64;

/// Names a connection the loop serves for the app (see [`Cx::connect`] and
/// [`Cx::listen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection #{}", self.0)
    }
}

/// Names a listener the loop accepts on for the app (see [`Cx::listen`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListenerId(u64);

/// What happened on a connection served by the loop.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum NetEvent {
    /// A connection opened with [`Cx::connect`] is established.
    Connected {
        /// The peer's address.
        peer: SocketAddr,
        /// This end's address.
        local: SocketAddr,
    },
    /// A listener accepted this connection.
    Accepted {
        /// The peer's address.
        peer: SocketAddr,
        /// This end's address.
        local: SocketAddr,
    },
    /// Bytes from the peer, in order (at most [`READ_CHUNK`] per event).
    Data(Vec<u8>),
    /// Everything given to [`Cx::send`] so far has been handed to the OS
    /// (sent only after a send had to wait for room).
    Drained,
    /// The peer has finished sending. This is the connection's last event:
    /// bytes still in its outbox are sent, then the socket is closed.
    Closed,
    /// The connection failed; its last event, and the socket is closed.
    Failed(NetError),
}

type MapFn<M> = Rc<RefCell<dyn FnMut(ConnId, NetEvent) -> M>>;

/// One connection of the loop's table.
struct Conn {
    /// `None` while it is being opened (by the task in `opening`).
    live: Option<Live>,
    opening: Option<TaskHandle>,
    outbox: VecDeque<u8>,
    /// Shut down writing once the outbox is empty.
    finish: bool,
    /// The peer finished (or the connection failed): no more sends.
    over: bool,
    /// A send had to wait; say `Drained` when the outbox empties.
    waited: bool,
}

struct Live {
    // First, so the source leaves the loop before the socket closes.
    reg: Registration,
    socket: Rc<Socket>,
    watch: Rc<Watch>,
    /// `Connected` not yet reported (it is, on the first readiness).
    announce: bool,
}

/// The loop's sockets: the registry net futures use, and the connections
/// and listeners served for `update`.
#[derive(Default)]
pub(crate) struct LoopNet {
    registry: RefCell<Option<Rc<dyn Registry>>>,
    conns: RefCell<HashMap<ConnId, Conn>>,
    listeners: RefCell<HashMap<ListenerId, (Registration, Rc<Watch>)>>,
    next_id: Cell<u64>,
    scratch: RefCell<Vec<u8>>,
}

impl LoopNet {
    pub(crate) fn registry(&self) -> Option<Rc<dyn Registry>> {
        self.registry.borrow().clone()
    }

    fn next_id(&self) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        id
    }

    /// Close every connection and listener (at quit).
    pub(crate) fn close_all(&self) {
        let conns = std::mem::take(&mut *self.conns.borrow_mut());
        let listeners = std::mem::take(&mut *self.listeners.borrow_mut());
        if !conns.is_empty() || !listeners.is_empty() {
            tracing::debug!(
                connections = conns.len(),
                listeners = listeners.len(),
                "closing sockets at quit"
            );
        }
    }
}

impl<M: fmt::Debug + Send + 'static> Cx<M> {
    /// Make this loop's handle reachable by net futures.
    pub(crate) fn install_net(&self) {
        let mut slot = self.task_ctx.net.registry.borrow_mut();
        if slot.is_none() {
            *slot = Some(Rc::new(self.handle.clone()));
        }
    }

    /// Open a connection to `addr` (`host:port` or a literal address) within
    /// `timeout`, resolving on the worker pool; what happens on it arrives
    /// through `map` as [`Event::Io`](crate::Event::Io): first
    /// [`NetEvent::Connected`] or [`NetEvent::Failed`], then the peer's
    /// [`NetEvent::Data`] until [`NetEvent::Closed`] or `Failed`.
    /// [`Cx::send`] may be called at once; the bytes wait until connected.
    ///
    /// ```no_run
    /// # use oneloop::net::{ConnId, NetEvent};
    /// # #[derive(Debug)] enum Msg { Net(ConnId, NetEvent) }
    /// # fn demo(cx: &mut oneloop::Cx<Msg>) {
    /// let conn = cx.connect("127.0.0.1:7000", std::time::Duration::from_secs(3), Msg::Net);
    /// let _ = cx.send(conn, b"hello\n".to_vec());
    /// # }
    /// ```
    pub fn connect<F>(&mut self, addr: impl Into<String>, timeout: Duration, map: F) -> ConnId
    where
        F: FnMut(ConnId, NetEvent) -> M + 'static,
    {
        self.install_net();
        let id = ConnId(self.task_ctx.net.next_id());
        if self.tape.is_replaying() {
            // The recorded events replay as IO events; nothing is opened.
            return id;
        }
        let map: MapFn<M> = Rc::new(RefCell::new(map));
        let handle = self.handle.clone();
        let poster = self.poster.clone();
        let addr = addr.into();
        let opening = async move {
            let failed = match TcpStream::connect(addr, timeout).await {
                Ok(stream) => match super::current_task() {
                    Ok(ctx) => attach(&ctx.net, &handle, id, stream, &map, true).err(),
                    Err(e) => Some(e),
                },
                Err(e) => Some(e),
            };
            if let Some(e) = failed {
                if let Ok(ctx) = super::current_task() {
                    ctx.net.conns.borrow_mut().remove(&id);
                }
                let msg = (map.borrow_mut())(id, NetEvent::Failed(e));
                // On the loop thread this never waits.
                let _ = poster.post_io(IoItem::Ready(msg));
            }
            None
        };
        let task = self.executor.spawn(Box::pin(opening));
        self.task_ctx.net.conns.borrow_mut().insert(
            id,
            Conn {
                live: None,
                opening: Some(task),
                outbox: VecDeque::new(),
                finish: false,
                over: false,
                waited: false,
            },
        );
        id
    }

    /// Accept connections on `listener` from the loop; each one arrives as
    /// [`NetEvent::Accepted`] with a fresh [`ConnId`], followed by its
    /// [`NetEvent::Data`] and so on, all through `map`.
    pub fn listen<F>(&mut self, listener: TcpListener, map: F) -> Result<ListenerId, NetError>
    where
        F: FnMut(ConnId, NetEvent) -> M + 'static,
    {
        self.install_net();
        let id = ListenerId(self.task_ctx.net.next_id());
        if self.tape.is_replaying() {
            // The recorded connections replay as IO events.
            return Ok(id);
        }
        let socket = Rc::new(
            listener
                .into_socket()
                .map_err(|e| NetError::from_io(e, During::Read))?,
        );
        let map: MapFn<M> = Rc::new(RefCell::new(map));
        let watch = Rc::new(Watch::default());
        watch.want(Dir::Read, None);
        let source = SocketSource::new(Rc::clone(&socket), Rc::clone(&watch));
        let listening = Rc::clone(&socket);
        let source_watch = Rc::clone(&watch);
        let token = self
            .handle
            .insert_source(source, move |_, (), cx: &mut Cx<M>| {
                accept_ready(&listening, &source_watch, &map, cx);
            })
            .map_err(|e| NetError::from_io(e.error.into(), During::Read))?;
        let registry = self.task_ctx.net.registry().ok_or(NetError::Cancelled)?;
        watch.want(Dir::Read, None);
        self.task_ctx
            .net
            .listeners
            .borrow_mut()
            .insert(id, (Registration::new(token, registry), watch));
        Ok(id)
    }

    /// Send `data` on a connection. What the socket does not take at once
    /// waits in the connection's outbox (see [`Cx::unsent`]) and is written
    /// as the peer reads; [`NetEvent::Drained`] says when it is all out.
    pub fn send(&mut self, conn: ConnId, data: impl Into<Vec<u8>>) -> Result<(), NetError> {
        if self.tape.is_replaying() {
            return Ok(());
        }
        let data = data.into();
        let mut conns = self.task_ctx.net.conns.borrow_mut();
        let entry = conns.get_mut(&conn).ok_or(NetError::Closed)?;
        if entry.over || entry.finish {
            return Err(NetError::Closed);
        }
        let mut rest = &data[..];
        if let (Some(live), true) = (&entry.live, entry.outbox.is_empty()) {
            let mut socket: &Socket = &live.socket;
            while !rest.is_empty() {
                match socket.write(rest) {
                    Ok(n) => rest = &rest[n..],
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(NetError::from_io(e, During::Write)),
                }
            }
        }
        if !rest.is_empty() {
            entry.outbox.extend(rest);
            entry.waited = true;
            if let Some(live) = &entry.live {
                if live.watch.want(Dir::Write, None) {
                    live.reg.refresh(&live.watch);
                }
            }
        }
        Ok(())
    }

    /// Send what is queued, then shut down writing: the peer reads
    /// end-of-stream. Reading goes on until the peer closes too.
    pub fn finish(&mut self, conn: ConnId) -> Result<(), NetError> {
        if self.tape.is_replaying() {
            return Ok(());
        }
        let mut conns = self.task_ctx.net.conns.borrow_mut();
        let entry = conns.get_mut(&conn).ok_or(NetError::Closed)?;
        entry.finish = true;
        if let (Some(live), true) = (&entry.live, entry.outbox.is_empty()) {
            live.socket
                .shutdown(Shutdown::Write)
                .map_err(|e| NetError::from_io(e, During::Write))?;
        }
        Ok(())
    }

    /// How many bytes given to [`Cx::send`] wait for the peer to read.
    #[must_use]
    pub fn unsent(&self, conn: ConnId) -> usize {
        self.task_ctx
            .net
            .conns
            .borrow()
            .get(&conn)
            .map_or(0, |c| c.outbox.len())
    }

    /// Close a connection now (an opening one is abandoned), dropping any
    /// unsent bytes. No event of it is read after this; events already
    /// queued are still delivered. Returns `false` if it was already gone.
    pub fn close(&mut self, conn: ConnId) -> bool {
        let removed = self.task_ctx.net.conns.borrow_mut().remove(&conn);
        match removed {
            Some(entry) => {
                if let Some(live) = &entry.live {
                    let token = live.reg.token;
                    self.paused_sources.retain(|t| *t != token);
                }
                true
            }
            None => false,
        }
    }

    /// Stop listening and close the listener (its accepted connections stay).
    pub fn close_listener(&mut self, listener: ListenerId) -> bool {
        let removed = self.task_ctx.net.listeners.borrow_mut().remove(&listener);
        match removed {
            Some((reg, _)) => {
                let token = reg.token;
                self.paused_sources.retain(|t| *t != token);
                true
            }
            None => false,
        }
    }

    /// How many connections the loop serves for the app (opening or open).
    #[must_use]
    pub fn connections(&self) -> usize {
        self.task_ctx.net.conns.borrow().len()
    }
}
