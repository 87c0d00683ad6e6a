//! Async tasks (coroutines) that run on the loop thread.
//!
//! A task is polled by the loop, between messages, never on another thread,
//! so it may hold `Rc`s and borrow nothing across threads. Its waker does not
//! poll anything itself: it posts the task's id into the queue's task lane and
//! rings the same wake-up as every other message. So an `.await` on a file read
//! is "issue the request, resume when its completion comes through the queue".

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use crate::io::pool::Pool;

/// Names a spawned task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub(crate) u64);

type WakeFn = Arc<dyn Fn(TaskId) + Send + Sync>;

struct TaskState {
    id: TaskId,
    cancelled: AtomicBool,
    finished: AtomicBool,
    /// The future panicked while polled and was dropped.
    panicked: AtomicBool,
    /// Set while the id sits in the task lane, so a hundred wakes queue it once.
    queued: AtomicBool,
    wake: WakeFn,
}

impl Wake for TaskState {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            (self.wake)(self.id);
        }
    }
}

/// The handle of a spawned task. Dropping it cancels the task — its future is
/// dropped at the loop's next turn, which cancels any IO it was awaiting — so
/// keep it in your state while the task should run, or call
/// [`TaskHandle::detach`] to let the task run to completion on its own.
#[must_use = "dropping a TaskHandle cancels the task; call .detach() to let it run"]
pub struct TaskHandle {
    state: Arc<TaskState>,
    detached: bool,
}

impl TaskHandle {
    /// This task's id.
    #[must_use]
    pub fn id(&self) -> TaskId {
        self.state.id
    }

    /// Whether the task has delivered its result, was cancelled, or panicked.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.state.finished.load(Ordering::Acquire)
    }

    /// Whether the task panicked while the loop polled it. The loop caught
    /// the panic, reported it as
    /// [`Lifecycle::Panicked`](crate::Lifecycle::Panicked) and dropped the
    /// task, so it never delivers a result; [`TaskHandle::is_finished`] is
    /// true as well.
    #[must_use]
    pub fn panicked(&self) -> bool {
        self.state.panicked.load(Ordering::Acquire)
    }

    /// Cancel the task now (the same as dropping the handle).
    pub fn cancel(self) {}

    /// Let the task run to completion without keeping the handle.
    pub fn detach(mut self) {
        self.detached = true;
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        if !self.detached && !self.state.finished.load(Ordering::Acquire) {
            self.state.cancelled.store(true, Ordering::Release);
            // Queue the task so the loop notices and drops its future.
            Waker::from(Arc::clone(&self.state)).wake();
        }
    }
}

impl fmt::Debug for TaskHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("id", &self.state.id)
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// A task's future. App tasks always end in a message; the loop's own
/// tasks (a connection opened for `cx.connect`) may end in none.
pub(crate) type TaskFuture<M> = Pin<Box<dyn Future<Output = Option<M>>>>;

struct Task<M> {
    future: TaskFuture<M>,
    state: Arc<TaskState>,
    waker: Waker,
}

/// The tasks of one loop.
pub(crate) struct Executor<M> {
    tasks: HashMap<TaskId, Task<M>>,
    next_id: u64,
    wake: WakeFn,
}

impl<M> Executor<M> {
    pub(crate) fn new(wake: WakeFn) -> Self {
        Self {
            tasks: HashMap::new(),
            next_id: 0,
            wake,
        }
    }

    pub(crate) fn spawn(&mut self, future: TaskFuture<M>) -> TaskHandle {
        let id = TaskId(self.next_id);
        self.next_id += 1;
        let state = Arc::new(TaskState {
            id,
            cancelled: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            panicked: AtomicBool::new(false),
            queued: AtomicBool::new(false),
            wake: Arc::clone(&self.wake),
        });
        let waker = Waker::from(Arc::clone(&state));
        waker.wake_by_ref();
        self.tasks.insert(
            id,
            Task {
                future,
                state: Arc::clone(&state),
                waker,
            },
        );
        TaskHandle {
            state,
            detached: false,
        }
    }

    /// Poll task `id` once, if it still exists. Returns its output when
    /// done, or what it panicked with: a panicked task is dropped, and its
    /// handle says so.
    pub(crate) fn poll(&mut self, id: TaskId) -> Result<Option<M>, Box<dyn Any + Send>> {
        let Some(task) = self.tasks.get_mut(&id) else {
            return Ok(None);
        };
        task.state.queued.store(false, Ordering::Release);
        if task.state.cancelled.load(Ordering::Acquire) {
            self.finish(id);
            return Ok(None);
        }
        let mut cx = Context::from_waker(&task.waker);
        let future = &mut task.future;
        // The future is dropped right after a panic and never polled again,
        // so whatever state the unwind left in it is never observed.
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
            Ok(Poll::Ready(out)) => {
                self.finish(id);
                Ok(out)
            }
            Ok(Poll::Pending) => Ok(None),
            Err(payload) => {
                if let Some(task) = self.tasks.get(&id) {
                    task.state.panicked.store(true, Ordering::Release);
                }
                self.finish(id);
                Err(payload)
            }
        }
    }

    fn finish(&mut self, id: TaskId) {
        if let Some(task) = self.tasks.remove(&id) {
            task.state.finished.store(true, Ordering::Release);
        }
    }

    pub(crate) fn running(&self) -> usize {
        self.tasks.len()
    }

    /// Drop every task (and so cancel their IO). Used at quit.
    pub(crate) fn clear(&mut self) {
        for (_, task) in self.tasks.drain() {
            task.state.finished.store(true, Ordering::Release);
        }
    }
}

/// What a task's futures can reach while the loop polls them.
pub(crate) struct TaskContext {
    pub(crate) pool: Arc<Pool>,
    pub(crate) clock: Clock,
    /// `sleep` deadlines registered during this poll; the loop moves them into
    /// its timers afterwards.
    pub(crate) sleeps: RefCell<Vec<(Instant, Waker)>>,
    /// File operations that tasks are awaiting.
    pub(crate) pending_io: Cell<usize>,
    /// The loop's sockets: where tasks register them, and the connections
    /// it serves for `update`.
    pub(crate) net: crate::net::LoopNet,
}

impl TaskContext {
    pub(crate) fn new(pool: Arc<Pool>, clock: Clock) -> Self {
        Self {
            pool,
            clock,
            sleeps: RefCell::new(Vec::new()),
            pending_io: Cell::new(0),
            net: crate::net::LoopNet::default(),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<TaskContext>>> = const { RefCell::new(None) };
}

/// Make `ctx` reachable by futures polled inside `f`.
pub(crate) fn with_context<R>(ctx: &Rc<TaskContext>, f: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(Some(Rc::clone(ctx))));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    out
}

/// The context of the loop polling the current task, if any.
pub(crate) fn current() -> Option<Rc<TaskContext>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// The loop's clock: real time, or virtual time that tests advance by hand.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    virtual_offset: Option<Rc<Cell<Duration>>>,
    origin: Instant,
}

impl Clock {
    pub(crate) fn real() -> Self {
        Self {
            virtual_offset: None,
            origin: Instant::now(),
        }
    }

    pub(crate) fn virtual_time() -> Self {
        Self {
            virtual_offset: Some(Rc::new(Cell::new(Duration::ZERO))),
            origin: Instant::now(),
        }
    }

    pub(crate) fn now(&self) -> Instant {
        match &self.virtual_offset {
            Some(offset) => self.origin + offset.get(),
            None => Instant::now(),
        }
    }

    pub(crate) fn is_virtual(&self) -> bool {
        self.virtual_offset.is_some()
    }

    /// When the clock started: recordings count time from here.
    pub(crate) fn origin(&self) -> Instant {
        self.origin
    }

    /// Set virtual time to `at` after the origin (replays jump to the
    /// recorded times); real time cannot be moved.
    pub(crate) fn set_since_origin(&self, at: Duration) {
        if let Some(offset) = &self.virtual_offset {
            offset.set(at);
        }
    }

    /// Move virtual time forward; real time cannot be moved.
    pub(crate) fn advance(&self, by: Duration) {
        if let Some(offset) = &self.virtual_offset {
            offset.set(offset.get() + by);
        }
    }
}

/// Wait for `duration` inside a task spawned with `cx.spawn`.
///
/// The wait is a timer on the loop, so it costs no thread and follows the
/// test harness's virtual clock.
///
/// ```no_run
/// # async fn demo() {
/// oneloop::time::sleep(std::time::Duration::from_millis(250)).await;
/// # }
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        duration,
        deadline: None,
    }
}

/// The future returned by [`sleep`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    duration: Duration,
    deadline: Option<Instant>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(ctx) = current() else {
            tracing::error!(
                "oneloop::time::sleep polled outside a oneloop task; it will never finish"
            );
            return Poll::Pending;
        };
        let now = ctx.clock.now();
        let duration = self.duration;
        let deadline = *self.deadline.get_or_insert(now + duration);
        if now >= deadline {
            return Poll::Ready(());
        }
        ctx.sleeps.borrow_mut().push((deadline, cx.waker().clone()));
        Poll::Pending
    }
}

/// Await several futures at once; resolves to their outputs in order.
///
/// ```no_run
/// # async fn demo() {
/// let (a, b) = ("a.txt", "b.txt");
/// let both = oneloop::join_all(vec![oneloop::fs::read(a), oneloop::fs::read(b)]).await;
/// # }
/// ```
pub fn join_all<F: Future>(futures: Vec<F>) -> JoinAll<F> {
    JoinAll {
        pending: futures.into_iter().map(|f| Some(Box::pin(f))).collect(),
        outputs: Vec::new(),
    }
}

/// The future returned by [`join_all`].
#[must_use = "futures do nothing unless awaited"]
pub struct JoinAll<F: Future> {
    pending: Vec<Option<Pin<Box<F>>>>,
    outputs: Vec<Option<F::Output>>,
}

impl<F: Future> fmt::Debug for JoinAll<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let left = self.pending.iter().filter(|p| p.is_some()).count();
        f.debug_struct("JoinAll").field("pending", &left).finish()
    }
}

// Every field lives behind a Box or in a Vec's heap buffer, so moving a
// `JoinAll` never moves a pinned future.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.outputs.len() < this.pending.len() {
            this.outputs.resize_with(this.pending.len(), || None);
        }
        let mut done = true;
        for (slot, out) in this.pending.iter_mut().zip(this.outputs.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => {
                        *out = Some(value);
                        *slot = None;
                    }
                    Poll::Pending => done = false,
                }
            }
        }
        if !done {
            return Poll::Pending;
        }
        Poll::Ready(this.outputs.drain(..).flatten().collect())
    }
}
