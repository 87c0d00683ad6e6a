//! The queue: lanes, [`Poster`], wake coalescing and backpressure.
//!
//! Other threads post through crossbeam channels (one per lane) and ring the
//! loop's calloop [`Ping`] only when an atomic "wake pending" flag was clear, so
//! a burst of a million messages costs one wake-up, never zero. Lanes that can
//! flood (app and IO) are bounded by admission counters rather than bounded
//! channels: the channel stays unbounded and fast, and a producer thread parks
//! only while its lane holds more than its limit. Code on the loop thread is
//! never parked, so a handler can never deadlock on its own queue. Posters
//! take app-lane slots in chunks and spend them privately ([`credit`]), so
//! producers do not all write one shared counter on every post.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};
use std::thread::{self, ThreadId};

use calloop::ping::Ping;
use crossbeam_channel::{Receiver, Sender, TryRecvError};

use crate::input::Input;
use crate::io::IoItem;
use crate::sync::{fence, AtomicBool};
use crate::task::TaskId;
use admission::Admission;
use credit::Credit;

/// Why a post did not go through. Like crossbeam's errors, it hands the value
/// back so nothing is lost.
#[derive(PartialEq, Eq)]
pub enum PostError<T> {
    /// The loop has quit (or was dropped); the message will never be handled.
    Closed(T),
    /// The lane is over its limit (only from `try_post`, which never waits).
    Full(T),
}

impl<T> PostError<T> {
    /// The message that was not posted.
    pub fn into_inner(self) -> T {
        match self {
            PostError::Closed(t) | PostError::Full(t) => t,
        }
    }
}

impl<T> fmt::Debug for PostError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostError::Closed(_) => f.write_str("Closed(..)"),
            PostError::Full(_) => f.write_str("Full(..)"),
        }
    }
}

impl<T> fmt::Display for PostError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostError::Closed(_) => {
                f.write_str("the event loop has quit; the message was handed back")
            }
            PostError::Full(_) => {
                f.write_str("the lane is full; retry later or use post(), which waits")
            }
        }
    }
}

impl<T> std::error::Error for PostError<T> {}

/// Something that can wake the loop thread from its OS wait.
pub(crate) trait Notify: Send + Sync {
    fn notify(&self);
}

impl Notify for Box<dyn Notify> {
    fn notify(&self) {
        (**self).notify();
    }
}

impl Notify for Ping {
    fn notify(&self) {
        self.ping();
    }
}

/// Wake coalescing: at most one wake-up in flight per burst, never a lost one.
///
/// Protocol: a producer makes its message visible, then swaps the flag to
/// `true` and rings only if it was `false`. The loop clears the flag *before*
/// it drains, so a message sent after the drain looked is either seen by the
/// drain or finds the flag clear and rings again.
pub(crate) struct Wake<N> {
    /// On a cache line of its own: producers read it on every post, and it
    /// must not share a line with the admission counters they write.
    flags: Padded<Flags>,
    notifier: N,
}

/// The two flags every post reads, on one line.
pub(crate) struct Flags {
    /// A wake-up is on its way to the loop.
    pending: AtomicBool,
    /// The loop has quit: posts hand their message back. It lives here
    /// because every post reads this line anyway, so checking it on the fast
    /// path costs one load of a line already in the poster's cache, and its
    /// single write (at quit) never bounces a line that producers write.
    closed: AtomicBool,
}

/// A value alone on its cache line (128 bytes covers adjacent-line prefetch).
#[repr(align(128))]
pub(crate) struct Padded<T>(pub(crate) T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<N: Notify> Wake<N> {
    pub(crate) fn new(notifier: N) -> Self {
        Self {
            flags: Padded(Flags {
                pending: AtomicBool::new(false),
                closed: AtomicBool::new(false),
            }),
            notifier,
        }
    }

    /// Called by producers after their message is in the channel.
    pub(crate) fn wake(&self) {
        // Pairs with the fence in `clear`: either this load sees the loop's
        // clear (and rings), or the loop's drain sees this message.
        fence(Ordering::SeqCst);
        let pending = &self.flags.pending;
        if pending.load(Ordering::Relaxed) {
            return; // a wake-up is already on its way; the common case in a burst
        }
        if !pending.swap(true, Ordering::AcqRel) {
            self.notifier.notify();
        }
    }

    /// Called by the loop before it drains the channels.
    pub(crate) fn clear(&self) {
        self.flags.pending.swap(false, Ordering::SeqCst);
        // Keep the channel reads that follow from moving before the clear.
        fence(Ordering::SeqCst);
    }

    /// The flag that says the loop has quit.
    pub(crate) fn closed(&self) -> &AtomicBool {
        &self.flags.closed
    }
}

/// The state shared by every [`Poster`] and the loop.
pub(crate) struct Shared<M> {
    input: Sender<Input>,
    app: Sender<M>,
    io: Sender<IoItem<M>>,
    tasks: Sender<TaskId>,
    pub(crate) app_admission: Admission,
    pub(crate) io_admission: Admission,
    wake: Wake<Box<dyn Notify>>,
    loop_thread: OnceLock<ThreadId>,
}

/// The loop's ends of the lanes. Dropping them closes the queue: nothing
/// could ever drain it again, so producers waiting for room are released
/// with their message, whichever way the loop ended (a `run` that returned
/// early, an `EventLoop` dropped without `shutdown`).
pub(crate) struct Receivers<M> {
    pub(crate) input: Receiver<Input>,
    pub(crate) app: Receiver<M>,
    pub(crate) io: Receiver<IoItem<M>>,
    pub(crate) tasks: Receiver<TaskId>,
    shared: Arc<Shared<M>>,
}

impl<M> Drop for Receivers<M> {
    fn drop(&mut self) {
        self.shared.close();
    }
}

/// Lane limits: how many messages may be in flight before producers wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneLimits {
    /// App messages posted from other threads.
    pub app: usize,
    /// IO completions and progress from worker threads.
    pub io: usize,
}

impl Default for LaneLimits {
    fn default() -> Self {
        Self {
            app: 1 << 16,
            io: 4096,
        }
    }
}

pub(crate) fn new_queue<M>(
    notifier: Box<dyn Notify>,
    limits: LaneLimits,
) -> (Poster<M>, Receivers<M>) {
    let (input, input_rx) = crossbeam_channel::unbounded();
    let (app, app_rx) = crossbeam_channel::unbounded();
    let (io, io_rx) = crossbeam_channel::unbounded();
    let (tasks, tasks_rx) = crossbeam_channel::unbounded();
    let shared = Arc::new(Shared {
        input,
        app,
        io,
        tasks,
        app_admission: Admission::new(limits.app, credit::MOST),
        // IO completions come from a few pool threads: one slot at a time.
        io_admission: Admission::new(limits.io, 1),
        wake: Wake::new(notifier),
        loop_thread: OnceLock::new(),
    });
    let receivers = Receivers {
        input: input_rx,
        app: app_rx,
        io: io_rx,
        tasks: tasks_rx,
        shared: Arc::clone(&shared),
    };
    (Poster::new(shared), receivers)
}

/// A handle for posting messages into the loop from any thread.
///
/// `Poster` is cheap to clone and `Send`. Each producer's messages arrive in
/// the order it posted them. [`Poster::post`] waits while the app lane is over
/// its limit (except on the loop thread, which never waits);
/// [`Poster::try_post`] never waits and hands the message back instead.
///
/// Each `Poster` (each clone) reserves app-lane slots a few dozen at a time
/// and spends them without touching state shared with other producers. The
/// reserved slots count against the limit, so the lane never holds more than
/// its limit of messages; a producer about to wait, or a `try_post` about to
/// report `Full`, first takes back the slots other posters reserved but did
/// not use, and dropping a `Poster` hands its slots back.
///
/// ```no_run
/// # #[derive(Debug)] enum Msg { Tick(u32) }
/// # fn demo(poster: oneloop::Poster<Msg>) {
/// std::thread::spawn(move || {
///     for i in 0..10 {
///         if poster.post(Msg::Tick(i)).is_err() {
///             break; // the loop has quit
///         }
///     }
/// });
/// # }
/// ```
pub struct Poster<M> {
    shared: Arc<Shared<M>>,
    /// App-lane slots this handle took ahead; each clone has its own.
    credit: Credit,
}

impl<M> Clone for Poster<M> {
    fn clone(&self) -> Self {
        Self::new(Arc::clone(&self.shared))
    }
}

impl<M> Drop for Poster<M> {
    fn drop(&mut self) {
        self.credit.give_back(&self.shared.app_admission);
    }
}

impl<M> fmt::Debug for Poster<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poster")
            .field("closed", &self.is_closed())
            .field("app_in_flight", &self.shared.app_admission.in_flight())
            .finish()
    }
}

impl<M> Poster<M> {
    fn new(shared: Arc<Shared<M>>) -> Self {
        Self {
            shared,
            credit: Credit::default(),
        }
    }

    fn on_loop_thread(&self) -> bool {
        self.shared.on_loop_thread()
    }

    /// Post an app message; it arrives as [`Event::App`](crate::Event::App).
    /// Waits while the app lane is full, unless called on the loop thread.
    pub fn post(&self, msg: M) -> Result<(), PostError<M>> {
        let shared = &self.shared;
        // Relaxed is enough: the loop sets the flag before it stops
        // draining (see `Shared::close`), and a thread that learned of the
        // quit in any way (`is_closed`, `run` returning) is ordered after
        // that store, so this load sees it. A post racing the quit may read
        // `false`; its message is then one of those queued at quit.
        if shared.wake.closed().load(Ordering::Relaxed) {
            return Err(PostError::Closed(msg));
        }
        let lane = &shared.app_admission;
        // The thread check costs more than the common case, so it runs only
        // when the lane is full.
        if !self.credit.take(lane) {
            if self.on_loop_thread() {
                lane.force_acquire();
            } else if !self.credit.keep(lane, lane.acquire(shared.wake.closed())) {
                return Err(PostError::Closed(msg));
            }
        }
        shared.send_counted(&shared.app, lane, msg)
    }

    /// Post an app message without ever waiting.
    pub fn try_post(&self, msg: M) -> Result<(), PostError<M>> {
        let shared = &self.shared;
        if self.is_closed() {
            return Err(PostError::Closed(msg));
        }
        let lane = &shared.app_admission;
        // Before reporting `Full`, take back what quiet posters sit on.
        if !self.credit.take(lane) && (lane.reclaim() == 0 || !self.credit.take(lane)) {
            return Err(PostError::Full(msg));
        }
        shared.send_counted(&shared.app, lane, msg)
    }

    /// Post input as if it came from the window system (automation, tests,
    /// remote control). Input is never limited: consecutive pointer moves are
    /// coalesced on the loop side.
    pub fn post_input(&self, input: Input) -> Result<(), PostError<Input>> {
        if self.is_closed() {
            return Err(PostError::Closed(input));
        }
        self.shared
            .input
            .send(input)
            .map_err(|e| PostError::Closed(e.into_inner()))?;
        self.shared.wake.wake();
        Ok(())
    }

    /// Post an IO completion from a worker thread, waiting while the IO lane is
    /// full: backpressure, never a drop.
    pub(crate) fn post_io(&self, msg: IoItem<M>) -> Result<(), PostError<IoItem<M>>> {
        self.shared.post_io(msg)
    }

    /// A handle that can only post IO items: what blocking work holds. It
    /// takes no app-lane credit, so making one costs a reference count.
    pub(crate) fn io_poster(&self) -> IoPoster<M> {
        IoPoster {
            shared: Arc::clone(&self.shared),
        }
    }

    pub(crate) fn wake_task(&self, id: TaskId) {
        if self.shared.tasks.send(id).is_ok() {
            self.shared.wake.wake();
        }
    }

    /// Whether the loop has quit; posts after that hand their message back.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.shared.wake.closed().load(Ordering::SeqCst)
    }

    pub(crate) fn shared(&self) -> &Shared<M> {
        &self.shared
    }
}

/// Posts IO items only (see [`Poster::io_poster`]).
pub(crate) struct IoPoster<M> {
    shared: Arc<Shared<M>>,
}

impl<M> IoPoster<M> {
    /// As [`Poster::post_io`].
    pub(crate) fn post_io(&self, msg: IoItem<M>) -> Result<(), PostError<IoItem<M>>> {
        self.shared.post_io(msg)
    }
}

impl<M> Shared<M> {
    fn on_loop_thread(&self) -> bool {
        self.loop_thread.get() == Some(&thread::current().id())
    }

    /// Post an IO item: waits while the IO lane is full, except on the loop
    /// thread, which must never wait for itself.
    fn post_io(&self, msg: IoItem<M>) -> Result<(), PostError<IoItem<M>>> {
        if !self.io_admission.try_acquire() {
            if self.on_loop_thread() {
                self.io_admission.force_acquire();
            } else if self.io_admission.acquire(self.wake.closed()) == 0 {
                return Err(PostError::Closed(msg));
            }
        }
        self.send_counted(&self.io, &self.io_admission, msg)
    }

    fn send_counted<T>(
        &self,
        tx: &Sender<T>,
        admission: &Admission,
        msg: T,
    ) -> Result<(), PostError<T>> {
        match tx.send(msg) {
            Ok(()) => {
                self.wake.wake();
                Ok(())
            }
            Err(e) => {
                admission.release(1);
                Err(PostError::Closed(e.into_inner()))
            }
        }
    }

    pub(crate) fn set_loop_thread(&self) {
        let _ = self.loop_thread.set(thread::current().id());
    }

    pub(crate) fn clear_wake(&self) {
        self.wake.clear();
    }

    /// Refuse new posts and release every waiting producer. The loop calls
    /// this as soon as a handler quits, before it stops draining, so there
    /// is no moment when posts are accepted that no drain will ever see
    /// and no quit could explain; dropping the loop's receivers calls it too.
    pub(crate) fn close(&self) {
        self.wake.closed().store(true, Ordering::SeqCst);
        self.app_admission.wake_all();
        self.io_admission.wake_all();
    }
}

/// Drain a channel into the input deque, coalescing as it goes.
pub(crate) fn drain_input(rx: &Receiver<Input>, into: &mut VecDeque<Input>) {
    loop {
        match rx.try_recv() {
            Ok(input) => push_input(into, input),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
        }
    }
}

/// Queue one input, merging it into the previous one when both are pointer
/// moves. Only *adjacent* moves merge, so a move before a click is still
/// delivered before the click, at its own position.
pub(crate) fn push_input(queue: &mut VecDeque<Input>, input: Input) {
    if input.is_pointer_move() {
        if let Some(last) = queue.back_mut() {
            if last.is_pointer_move() {
                *last = input;
                return;
            }
        }
    }
    queue.push_back(input);
}

mod admission;
mod credit;
mod target;

pub(crate) use target::WakeTarget;

#[cfg(all(loom, test))]
mod loom_model;

#[cfg(all(test, not(loom)))]
mod tests;
