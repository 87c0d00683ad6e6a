//! The loop's side of the connections it serves: readiness turned into
//! [`NetEvent`]s in the IO lane, the outbox written as room appears, and a
//! connection paused while the lane is full.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::rc::Rc;

use calloop::{LoopHandle, Readiness};
use socket2::Socket;

use super::{Conn, ConnId, Live, LoopNet, MapFn, NetEvent, ACCEPT_BUDGET, READ_BUDGET, READ_CHUNK};
use crate::app::Cx;
use crate::io::IoItem;
use crate::net::error::During;
use crate::net::listener::accept_one;
use crate::net::source::{Dir, Registration, SocketSource, Watch};
use crate::net::tcp_stream::address;
use crate::net::{NetError, TcpStream};

/// Put a connected stream under the loop's care as connection `id`.
pub(super) fn attach<M: fmt::Debug + Send + 'static>(
    net: &LoopNet,
    handle: &LoopHandle<'static, Cx<M>>,
    id: ConnId,
    stream: TcpStream,
    map: &MapFn<M>,
    announce: bool,
) -> Result<(), NetError> {
    let socket = Rc::new(
        stream
            .into_socket()
            .map_err(|e| NetError::from_io(e, During::Connect))?,
    );
    let watch = Rc::new(Watch::default());
    watch.want(Dir::Read, None);
    // A connected socket is writable at once: that first readiness reports
    // `Connected` from the loop, so it is queued before any `Data`.
    let pending_out = net
        .conns
        .borrow()
        .get(&id)
        .is_some_and(|c| !c.outbox.is_empty());
    if announce || pending_out {
        watch.want(Dir::Write, None);
    }
    let source = SocketSource::new(Rc::clone(&socket), Rc::clone(&watch));
    let map = Rc::clone(map);
    let token = handle
        .insert_source(source, move |readiness, (), cx: &mut Cx<M>| {
            serve(id, readiness, cx, &map);
        })
        .map_err(|e| NetError::from_io(e.error.into(), During::Connect))?;
    let registry = net.registry().ok_or(NetError::Cancelled)?;
    let live = Live {
        reg: Registration::new(token, registry),
        socket,
        watch,
        announce,
    };
    let mut conns = net.conns.borrow_mut();
    match conns.get_mut(&id) {
        Some(entry) => {
            entry.live = Some(live);
            // The task that opened it is finishing: let it end by itself.
            if let Some(task) = entry.opening.take() {
                task.detach();
            }
        }
        None => {
            conns.insert(
                id,
                Conn {
                    live: Some(live),
                    opening: None,
                    outbox: VecDeque::new(),
                    finish: false,
                    over: false,
                    waited: false,
                },
            );
        }
    }
    Ok(())
}

/// A listener is readable: take what connections wait, within a budget.
pub(super) fn accept_ready<M: fmt::Debug + Send + 'static>(
    listener: &Socket,
    watch: &Watch,
    map: &MapFn<M>,
    cx: &mut Cx<M>,
) {
    let ctx = Rc::clone(&cx.task_ctx);
    for _ in 0..ACCEPT_BUDGET {
        let (socket, peer) = match accept_one(listener) {
            Ok(accepted) => accepted,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // Out of descriptors, or the peer gave up before accept.
                tracing::warn!("accept failed: {e}");
                break;
            }
        };
        let id = ConnId(ctx.net.next_id());
        let stream = TcpStream::from_socket(socket);
        let addrs = (stream.peer_addr(), stream.local_addr());
        if let Err(e) = attach(&ctx.net, &cx.handle, id, stream, map, false) {
            tracing::warn!("could not serve an accepted connection: {e}");
            continue;
        }
        let event = match addrs {
            (Ok(peer), Ok(local)) => NetEvent::Accepted { peer, local },
            _ => {
                tracing::debug!(?peer, "accepted connection has no address");
                continue;
            }
        };
        let msg = (map.borrow_mut())(id, event);
        cx.io_local.push_back(IoItem::Ready(msg));
    }
    watch.want(Dir::Read, None);
    if cx.io_local.len() >= cx.poster.shared().io_admission.limit() {
        pause_listener(watch, cx, &ctx.net);
    }
}

fn pause_listener<M>(watch: &Watch, cx: &mut Cx<M>, net: &LoopNet) {
    let listeners = net.listeners.borrow();
    if let Some((reg, _)) = listeners.values().find(|(_, w)| std::ptr::eq(&**w, watch)) {
        watch.pause();
        cx.paused_sources.push(reg.token);
    }
}

/// A connection is ready: announce it, read what came, write what waits.
fn serve<M: fmt::Debug + Send + 'static>(
    id: ConnId,
    readiness: Readiness,
    cx: &mut Cx<M>,
    map: &MapFn<M>,
) {
    let ctx = Rc::clone(&cx.task_ctx);
    let mut conns = ctx.net.conns.borrow_mut();
    let Some(entry) = conns.get_mut(&id) else {
        return;
    };
    let Some(live) = &mut entry.live else {
        return;
    };
    let mut map = map.borrow_mut();
    let mut emit = |event| cx.io_local.push_back(IoItem::Ready((map)(id, event)));
    let mut ended = false;
    if live.announce {
        live.announce = false;
        match (
            address(live.socket.peer_addr()),
            address(live.socket.local_addr()),
        ) {
            (Ok(peer), Ok(local)) => emit(NetEvent::Connected { peer, local }),
            (Err(e), _) | (_, Err(e)) => {
                emit(NetEvent::Failed(e));
                ended = true;
            }
        }
    }
    if !ended && (readiness.readable || readiness.error) {
        let mut scratch = ctx.net.scratch.borrow_mut();
        scratch.resize(READ_CHUNK, 0);
        let mut socket: &Socket = &live.socket;
        let mut budget = READ_BUDGET;
        while budget > 0 {
            match socket.read(&mut scratch[..]) {
                Ok(0) => {
                    emit(NetEvent::Closed);
                    entry.over = true;
                    break;
                }
                Ok(n) => {
                    budget = budget.saturating_sub(n);
                    emit(NetEvent::Data(scratch[..n].to_vec()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    emit(NetEvent::Failed(NetError::from_io(e, During::Read)));
                    ended = true;
                    break;
                }
            }
        }
    }
    if !ended && !entry.outbox.is_empty() && (readiness.writable || readiness.error) {
        if let Err(e) = flush(&live.socket, &mut entry.outbox) {
            emit(NetEvent::Failed(e));
            ended = true;
        }
    }
    if !ended && entry.outbox.is_empty() {
        if entry.waited {
            entry.waited = false;
            if !entry.over {
                emit(NetEvent::Drained);
            }
        }
        if entry.finish && live.socket.shutdown(Shutdown::Write).is_err() {
            tracing::debug!(%id, "shutdown after the last send failed; the peer is gone");
        }
    }
    // Finished: the peer is done and nothing is left to send, or it failed.
    if ended || (entry.over && entry.outbox.is_empty()) {
        live.watch.finish();
        if let Some(entry) = conns.remove(&id) {
            if let Some(live) = entry.live {
                // The source removes itself after this call returns.
                live.reg.detach();
            }
        }
        return;
    }
    if !entry.over {
        live.watch.want(Dir::Read, None);
    }
    if !entry.outbox.is_empty() {
        live.watch.want(Dir::Write, None);
    } else {
        live.watch.drop_interest(Dir::Write);
    }
    if cx.io_local.len() >= cx.poster.shared().io_admission.limit() {
        live.watch.pause();
        cx.paused_sources.push(live.reg.token);
    }
}

/// Write from the outbox until it is empty or the socket is full.
fn flush(socket: &Socket, outbox: &mut VecDeque<u8>) -> Result<(), NetError> {
    let mut socket: &Socket = socket;
    while !outbox.is_empty() {
        let (front, _) = outbox.as_slices();
        match socket.write(front) {
            Ok(n) => {
                outbox.drain(..n);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(NetError::from_io(e, During::Write)),
        }
    }
    Ok(())
}
