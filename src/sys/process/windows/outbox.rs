//! A bounded channel from a child's threads to the loop thread.
//!
//! The threads send through [`Outbox`]es; the loop drains the [`Inbox`],
//! which is registered with calloop through a ping (on Windows a completion
//! packet posted to the loop's IOCP). The ping is rung once per burst: a
//! sender rings it only when no wake is pending yet, and the inbox clears
//! that flag before it drains, so a burst of lines costs one wake and no
//! line is left behind without one. A full channel blocks the sender: that
//! is the backpressure that reaches the child through its pipe.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::sync::Arc;

use calloop::ping::{make_ping, Ping, PingSource};
use calloop::{EventSource, Poll, Readiness, Token, TokenFactory};

use crate::io::process::ProcessEvent;

/// How many events wait in the channel at most, and how many one loop turn
/// takes out of it: one call empties a full channel, as one call empties a
/// full pipe on Linux. With lines of at most `MAX_LINE` bytes this bounds
/// what waits here; typical lines take far less.
pub(super) const CAPACITY: usize = 256;

/// The receiving side went away: the source was dropped.
#[derive(Debug)]
pub(super) struct Closed;

/// The sending side, one clone per thread.
#[derive(Debug, Clone)]
pub(super) struct Outbox {
    events: SyncSender<ProcessEvent>,
    ping: Ping,
    wake_pending: Arc<AtomicBool>,
}

impl Outbox {
    /// Sends `event`, waiting while the channel is full.
    pub(super) fn send(&self, event: ProcessEvent) -> Result<(), Closed> {
        self.events.send(event).map_err(|_| Closed)?;
        if !self.wake_pending.swap(true, Ordering::AcqRel) {
            self.ping.ping();
        }
        Ok(())
    }
}

/// What [`Inbox::drain`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Drained {
    /// Everything sent so far was handed out.
    Empty,
    /// The budget ran out first; the inbox has woken itself to go on.
    More,
    /// Every sender is gone and everything was handed out.
    Closed,
}

/// The receiving side, a calloop source on the loop thread.
#[derive(Debug)]
pub(super) struct Inbox {
    events: Receiver<ProcessEvent>,
    source: PingSource,
    /// Rings the inbox itself when a drain stopped at its budget.
    ping: Ping,
    wake_pending: Arc<AtomicBool>,
}

/// A new channel holding at most [`CAPACITY`] events.
pub(super) fn channel() -> io::Result<(Outbox, Inbox)> {
    let (sender, receiver) = mpsc::sync_channel(CAPACITY);
    let (ping, source) = make_ping()?;
    let wake_pending = Arc::new(AtomicBool::new(false));
    let outbox = Outbox {
        events: sender,
        ping: ping.clone(),
        wake_pending: Arc::clone(&wake_pending),
    };
    let inbox = Inbox {
        events: receiver,
        source,
        ping,
        wake_pending,
    };
    Ok((outbox, inbox))
}

impl Inbox {
    /// Hands out at most [`CAPACITY`] events if `token` is this inbox's.
    pub(super) fn drain(
        &mut self,
        readiness: Readiness,
        token: Token,
        emit: &mut impl FnMut(ProcessEvent),
    ) -> io::Result<Option<Drained>> {
        let mut woken = false;
        self.source
            .process_events(readiness, token, |(), &mut ()| woken = true)
            .map_err(io::Error::other)?;
        if !woken {
            return Ok(None);
        }
        // Cleared before looking, so that a send after the last look rings
        // again. A swap, not a store: reading a sender's `true` makes its
        // event visible to the looks below.
        self.wake_pending.swap(false, Ordering::AcqRel);
        for _ in 0..CAPACITY {
            match self.events.try_recv() {
                Ok(event) => emit(event),
                Err(TryRecvError::Empty) => return Ok(Some(Drained::Empty)),
                Err(TryRecvError::Disconnected) => return Ok(Some(Drained::Closed)),
            }
        }
        self.wake_pending.store(true, Ordering::Release);
        self.ping.ping();
        Ok(Some(Drained::More))
    }

    /// Registers the inbox's ping.
    pub(super) fn register(
        &mut self,
        poll: &mut Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        self.source.register(poll, factory)
    }

    /// Registers the ping again with a new token.
    pub(super) fn reregister(
        &mut self,
        poll: &mut Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        self.source.reregister(poll, factory)
    }

    /// Removes the ping from the loop.
    pub(super) fn unregister(&mut self, poll: &mut Poll) -> calloop::Result<()> {
        self.source.unregister(poll)
    }
}
