//! A socket as a calloop source whose interest follows what is waited for.
//!
//! A [`Watch`] is shared by a socket's handle and its [`SocketSource`] in the
//! loop. A future that meets `WouldBlock` leaves its waker there and asks for
//! read or write readiness; when the poller reports it, the source wakes that
//! waker and drops the interest again. So the loop watches a socket only while
//! somebody waits on it: level-triggered readiness with no interest left would
//! otherwise report a writable (or hung-up) socket on every turn.

use std::cell::{Cell, OnceCell};
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use calloop::generic::Generic;
use calloop::{
    EventSource, Interest, LoopHandle, Mode, PostAction, Readiness, RegistrationToken, Token,
    TokenFactory,
};
use socket2::Socket;

use crate::sys::net::Watched;

/// The direction an operation waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Read,
    Write,
}

/// What a socket's handle wants from the loop, and who to wake.
#[derive(Default)]
pub(crate) struct Watch {
    read: Cell<bool>,
    write: Cell<bool>,
    read_waker: Cell<Option<Waker>>,
    write_waker: Cell<Option<Waker>>,
    /// Whether the source is registered with the poller (not disabled).
    active: Cell<bool>,
    /// The loop side is finished with the socket: remove the source after
    /// the current dispatch (removing it from inside would be deferred).
    done: Cell<bool>,
    /// Disabled while the IO lane is full; the loop enables it again.
    paused: Cell<bool>,
}

impl Watch {
    pub(crate) fn interest(&self) -> Interest {
        Interest {
            readable: self.read.get(),
            writable: self.write.get(),
        }
    }

    /// Ask for readiness in `dir`, waking `waker` (if any) when it comes.
    /// Returns whether the interest changed.
    pub(crate) fn want(&self, dir: Dir, waker: Option<&Waker>) -> bool {
        let (flag, slot) = match dir {
            Dir::Read => (&self.read, &self.read_waker),
            Dir::Write => (&self.write, &self.write_waker),
        };
        if let Some(waker) = waker {
            let old = slot.take();
            slot.set(Some(match old {
                Some(old) if old.will_wake(waker) => old,
                _ => waker.clone(),
            }));
        }
        !flag.replace(true)
    }

    /// Stop asking for readiness in `dir`.
    pub(crate) fn drop_interest(&self, dir: Dir) {
        match dir {
            Dir::Read => self.read.set(false),
            Dir::Write => self.write.set(false),
        }
    }

    pub(crate) fn finish(&self) {
        self.done.set(true);
    }

    /// Stop watching until the loop enables the source again (after the
    /// IO lane has drained); interest is kept for then.
    pub(crate) fn pause(&self) {
        self.paused.set(true);
    }

    fn fired(&self, readiness: Readiness) {
        // An error or hang-up ends both directions: whoever waits must look.
        if readiness.readable || readiness.error {
            self.read.set(false);
            if let Some(w) = self.read_waker.take() {
                w.wake();
            }
        }
        if readiness.writable || readiness.error {
            self.write.set(false);
            if let Some(w) = self.write_waker.take() {
                w.wake();
            }
        }
    }
}

/// The loop's side of one socket.
pub(crate) struct SocketSource {
    generic: Generic<Watched>,
    watch: Rc<Watch>,
}

impl SocketSource {
    pub(crate) fn new(socket: Rc<Socket>, watch: Rc<Watch>) -> Self {
        Self {
            generic: Generic::new(Watched(socket), watch.interest(), Mode::Level),
            watch,
        }
    }
}

impl EventSource for SocketSource {
    type Event = Readiness;
    type Metadata = ();
    type Ret = ();
    type Error = io::Error;

    fn process_events<C>(
        &mut self,
        readiness: Readiness,
        token: Token,
        mut callback: C,
    ) -> io::Result<PostAction>
    where
        C: FnMut(Readiness, &mut ()),
    {
        let watch = &self.watch;
        self.generic.process_events(readiness, token, |r, _| {
            watch.fired(r);
            callback(r, &mut ());
            Ok(PostAction::Continue)
        })?;
        let want = watch.interest();
        let had = self.generic.interest;
        Ok(if watch.done.get() {
            PostAction::Remove
        } else if watch.paused.get() || !want.readable && !want.writable {
            PostAction::Disable
        } else if (want.readable, want.writable) != (had.readable, had.writable) {
            PostAction::Reregister
        } else {
            PostAction::Continue
        })
    }

    fn register(
        &mut self,
        poll: &mut calloop::Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        self.watch.paused.set(false);
        self.generic.interest = self.watch.interest();
        self.generic.register(poll, factory)?;
        self.watch.active.set(true);
        Ok(())
    }

    fn reregister(
        &mut self,
        poll: &mut calloop::Poll,
        factory: &mut TokenFactory,
    ) -> calloop::Result<()> {
        self.generic.interest = self.watch.interest();
        self.generic.reregister(poll, factory)
    }

    fn unregister(&mut self, poll: &mut calloop::Poll) -> calloop::Result<()> {
        self.watch.active.set(false);
        self.generic.unregister(poll)
    }
}

/// Where sockets are registered: the loop's handle, whatever its data type.
pub(crate) trait Registry {
    /// Put a source into the loop; its readiness only wakes wakers.
    fn insert(&self, source: SocketSource) -> io::Result<RegistrationToken>;
    /// Bring the poller in line with the watch's interest.
    fn refresh(&self, token: &RegistrationToken, watch: &Watch);
    /// Take the source out of the loop (closing the socket if it was the
    /// last owner).
    fn remove(&self, token: RegistrationToken);
}

impl<D: 'static> Registry for LoopHandle<'static, D> {
    fn insert(&self, source: SocketSource) -> io::Result<RegistrationToken> {
        self.insert_source(source, |_, (), _| {})
            .map_err(|e| e.error.into())
    }

    fn refresh(&self, token: &RegistrationToken, watch: &Watch) {
        if watch.paused.get() {
            // The loop enables it again, with the interest it has by then.
            return;
        }
        let done = if watch.active.get() {
            self.update(token)
        } else {
            self.enable(token)
        };
        if let Err(e) = done {
            tracing::warn!("could not update a socket's registration: {e}");
        }
    }

    fn remove(&self, token: RegistrationToken) {
        LoopHandle::remove(self, token);
    }
}

/// A registered source; dropping it takes the source out of the loop.
pub(crate) struct Registration {
    pub(crate) token: RegistrationToken,
    registry: Rc<dyn Registry>,
    /// Cleared when the source removes itself instead.
    owned: bool,
}

impl Registration {
    pub(crate) fn new(token: RegistrationToken, registry: Rc<dyn Registry>) -> Self {
        Self {
            token,
            registry,
            owned: true,
        }
    }

    /// Bring the poller in line with `watch`.
    pub(crate) fn refresh(&self, watch: &Watch) {
        self.registry.refresh(&self.token, watch);
    }

    /// Forget the source without removing it: it is removing itself (a
    /// source's own callback must not remove it, calloop would defer that).
    pub(crate) fn detach(mut self) {
        self.owned = false;
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        if self.owned {
            self.registry.remove(self.token);
        }
    }
}

/// A socket owned by a future-style handle, registered with the loop the
/// first time an operation has to wait.
pub(crate) struct Io {
    // Declared first so it is dropped first: the poller must forget the
    // socket before the socket is closed.
    reg: OnceCell<Registration>,
    watch: Rc<Watch>,
    socket: Rc<Socket>,
}

impl Io {
    pub(crate) fn new(socket: Socket) -> Self {
        Self {
            reg: OnceCell::new(),
            watch: Rc::new(Watch::default()),
            socket: Rc::new(socket),
        }
    }

    pub(crate) fn socket(&self) -> &Socket {
        &self.socket
    }

    /// Run `op`; if it would block, arrange for this task to be woken when
    /// the socket is ready in `dir`, and return `Pending`.
    pub(crate) fn poll_io<T>(
        &self,
        cx: &mut Context<'_>,
        dir: Dir,
        mut op: impl FnMut(&Socket) -> io::Result<T>,
    ) -> Poll<io::Result<T>> {
        loop {
            match op(&self.socket) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                done => return Poll::Ready(done),
            }
            return match self.arm(dir, cx.waker()) {
                Ok(()) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            };
        }
    }

    fn arm(&self, dir: Dir, waker: &Waker) -> io::Result<()> {
        let changed = self.watch.want(dir, Some(waker));
        if let Some(reg) = self.reg.get() {
            if changed || !self.watch.active.get() {
                reg.refresh(&self.watch);
            }
            return Ok(());
        }
        let registry = crate::net::current_registry()?;
        let source = SocketSource::new(Rc::clone(&self.socket), Rc::clone(&self.watch));
        let token = registry.insert(source)?;
        let _ = self.reg.set(Registration::new(token, registry));
        Ok(())
    }

    /// Take the socket back, out of the loop (to hand it to another owner).
    pub(crate) fn into_socket(self) -> io::Result<Socket> {
        let Io { reg, socket, .. } = self;
        drop(reg);
        Rc::try_unwrap(socket).map_err(|_| io::Error::other("the socket is still shared"))
    }
}
