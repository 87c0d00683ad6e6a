//! A fixed-size pool of worker threads for blocking file work.
//!
//! The loop thread must never block, so every blocking call (open, read,
//! list a directory) runs here and the job itself posts its result back to
//! the loop. The pool knows nothing about messages: a job is just a closure.
//!
//! Shutdown is built for quitting with thousands of reads in flight: jobs
//! that have not started are dropped unrun, running jobs are expected to
//! notice their [`CancelToken`] between chunks, and the threads are joined
//! against a deadline so quitting never hangs on a stuck disk.

use std::io;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

/// A unit of blocking work handed to the [`Pool`].
///
/// It reports its own result (typically by posting a message to the loop),
/// which is why it returns nothing.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// How long dropping a [`Pool`] that was never shut down waits for its
/// running jobs before leaving them behind.
const DROP_DEADLINE: Duration = Duration::from_secs(1);

/// A cheap, shareable flag that asks a running job to stop.
///
/// Blocking readers check it between chunks, so cancelling a multi-gigabyte
/// read takes effect within one chunk. Clones share the same flag.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// Creates a token that is not cancelled.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every holder of this token (and its clones) to stop. Idempotent.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether [`cancel`](Self::cancel) has been called on this token or a clone.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Returned by [`Pool::submit`] once the pool is shut down; it hands the
/// job back so the caller can run it elsewhere or report it as cancelled.
#[derive(thiserror::Error)]
#[error("the IO pool is shut down, so the job was not run; the job is handed back")]
pub struct Closed(pub Job);

impl Closed {
    /// Takes back the job that could not be submitted.
    #[must_use]
    pub fn into_inner(self) -> Job {
        self.0
    }
}

impl std::fmt::Debug for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The job is an opaque closure; naming the type is all we can show.
        f.write_str("Closed(..)")
    }
}

/// What [`Pool::shutdown`] did, so the caller can log an unclean quit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Jobs that were queued but never started; they were dropped unrun.
    pub dropped: usize,
    /// Worker threads that finished and were joined before the deadline.
    pub joined: usize,
    /// Worker threads still busy with a job at the deadline. They were
    /// detached and end on their own once that job returns.
    pub still_running: usize,
}

impl ShutdownReport {
    /// True when every worker thread was joined before the deadline.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.still_running == 0
    }
}

/// State shared between the pool handle and its workers.
struct Shared {
    /// Set first on shutdown; a worker that dequeues a job after this drops it.
    closed: AtomicBool,
    /// Jobs dropped unrun by workers (the rest are drained by `shutdown`).
    dropped_by_workers: AtomicUsize,
}

/// A fixed number of worker threads, named `oneloop-io-N`, running [`Job`]s
/// in submission order.
///
/// The pool never shrinks: a job that panics is caught and logged and its
/// worker moves on to the next job.
pub struct Pool {
    /// `None` once shut down. A read lock on submit lets many threads submit
    /// at once while guaranteeing no job slips in after shutdown has drained.
    sender: RwLock<Option<Sender<Job>>>,
    receiver: Receiver<Job>,
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    /// Each worker sends its index here as it exits; lets shutdown wait with a deadline.
    exited: Receiver<usize>,
    threads: usize,
}

impl Pool {
    /// Starts a pool of `threads` workers.
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] for zero threads, or with
    /// the OS error if a thread cannot be spawned (threads already started
    /// are shut down first).
    pub fn new(threads: usize) -> io::Result<Pool> {
        if threads == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an IO pool needs at least one thread",
            ));
        }
        let (sender, receiver) = crossbeam_channel::unbounded::<Job>();
        let (exit_tx, exited) = crossbeam_channel::unbounded();
        let shared = Arc::new(Shared {
            closed: AtomicBool::new(false),
            dropped_by_workers: AtomicUsize::new(0),
        });
        let pool = Pool {
            sender: RwLock::new(Some(sender)),
            receiver,
            shared,
            workers: Mutex::new(Vec::with_capacity(threads)),
            exited,
            threads,
        };
        for index in 0..threads {
            let worker = Worker {
                index,
                jobs: pool.receiver.clone(),
                shared: Arc::clone(&pool.shared),
                exited: exit_tx.clone(),
            };
            let spawned = thread::Builder::new()
                .name(format!("oneloop-io-{index}"))
                .spawn(move || worker.run());
            match spawned {
                Ok(handle) => pool.lock_workers().push(handle),
                Err(err) => {
                    // `pool` drops here, which joins the workers already started.
                    tracing::error!(%err, index, "could not start an IO worker thread");
                    return Err(err);
                }
            }
        }
        tracing::debug!(threads, "IO pool started");
        Ok(pool)
    }

    /// Starts a pool with [`default_threads`](Self::default_threads) workers.
    pub fn with_default_threads() -> io::Result<Pool> {
        Self::new(Self::default_threads())
    }

    /// One thread per available core (as libuv does), or one if the OS
    /// cannot say.
    #[must_use]
    pub fn default_threads() -> usize {
        thread::available_parallelism().map_or(1, NonZeroUsize::get)
    }

    /// Queues a job. Jobs start in submission order on the first free worker.
    ///
    /// After [`shutdown`](Self::shutdown) the job is handed back in [`Closed`].
    pub fn submit(&self, job: Job) -> Result<(), Closed> {
        let sender = self.sender.read().unwrap_or_else(PoisonError::into_inner);
        match sender.as_ref() {
            // The receiver lives in `self`, so a send can only fail if the
            // pool is gone; hand the job back all the same.
            Some(tx) => tx.send(job).map_err(|err| Closed(err.into_inner())),
            None => Err(Closed(job)),
        }
    }

    /// The number of worker threads (constant for the life of the pool).
    #[must_use]
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Jobs waiting for a worker (approximate: workers take jobs concurrently).
    #[must_use]
    pub fn queued(&self) -> usize {
        self.receiver.len()
    }

    /// Whether [`shutdown`](Self::shutdown) has been called.
    #[must_use]
    pub fn is_shut_down(&self) -> bool {
        self.shared.closed.load(Ordering::Acquire)
    }

    /// Stops the pool: refuses new jobs, drops queued jobs without running
    /// them, waits at most `deadline` for running jobs to return, and joins
    /// the threads that did.
    ///
    /// Running jobs are not interrupted: cancel their [`CancelToken`]s first
    /// so they return within a chunk. Threads still busy at the deadline are
    /// detached and counted in [`ShutdownReport::still_running`]. Dropped
    /// jobs run their captures' destructors on this thread or a worker.
    /// Calling this again returns an empty report.
    pub fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        let started = Instant::now();
        self.shared.closed.store(true, Ordering::Release);
        // Taking the sender under the write lock waits out any submit in
        // progress; afterwards no job can enter the queue.
        let sender = self
            .sender
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // Dropping the last sender lets idle workers' `recv` fail and exit.
        drop(sender);
        let drained = self.receiver.try_iter().count();
        // `Duration::MAX` means "wait as long as it takes"; a day stands in
        // for it because an `Instant` that far out does not exist.
        let until = started
            .checked_add(deadline)
            .unwrap_or_else(|| started + Duration::from_secs(24 * 60 * 60));
        let (joined, still_running) = self.join_workers(until);
        let dropped = drained + self.shared.dropped_by_workers.swap(0, Ordering::AcqRel);
        let report = ShutdownReport {
            dropped,
            joined,
            still_running,
        };
        if still_running > 0 {
            tracing::warn!(
                ?report,
                ?deadline,
                "IO workers still busy after the deadline were left running"
            );
        } else {
            tracing::debug!(?report, elapsed = ?started.elapsed(), "IO pool shut down");
        }
        report
    }

    /// Joins every worker that exits before `deadline`; detaches the rest.
    fn join_workers(&self, deadline: Instant) -> (usize, usize) {
        let mut handles: Vec<Option<JoinHandle<()>>> =
            self.lock_workers().drain(..).map(Some).collect();
        // A job holding the last handle to its own pool shuts it down from a
        // worker, which cannot wait for itself: leave that one to end on its own.
        let me = thread::current().id();
        let own = handles
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|h| h.thread().id() == me))
            .and_then(Option::take);
        let mut waiting = handles.iter().flatten().count();
        let mut joined = 0;
        while waiting > 0 {
            let Ok(index) = self.exited.recv_deadline(deadline) else {
                break;
            };
            if let Some(handle) = handles.get_mut(index).and_then(Option::take) {
                waiting -= 1;
                // The worker has announced its exit, so this join is immediate.
                // Job panics are caught inside the worker, so an Err is not expected.
                if handle.join().is_err() {
                    tracing::error!(index, "IO worker thread ended with a panic");
                }
                joined += 1;
            }
        }
        (joined, waiting + usize::from(own.is_some()))
    }

    fn lock_workers(&self) -> std::sync::MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.workers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Pool {
    /// Shuts the pool down if that was not done explicitly, waiting a short
    /// while for running jobs so a dropped pool does not leak busy threads.
    fn drop(&mut self) {
        if !self.is_shut_down() {
            let _report = self.shutdown(DROP_DEADLINE);
        }
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("threads", &self.threads)
            .field("queued", &self.queued())
            .field("shut_down", &self.is_shut_down())
            .finish()
    }
}

/// What each worker thread owns.
struct Worker {
    index: usize,
    jobs: Receiver<Job>,
    shared: Arc<Shared>,
    exited: Sender<usize>,
}

/// Lower this worker thread's priority below the loop thread's, so on a
/// busy machine input and frames get a core first (see `sys::thread` for
/// what each OS does). A failure only costs smoothness under load, so it
/// is logged, not fatal.
fn yield_to_the_loop() {
    if let Err(e) = crate::sys::thread::lower_current_thread_priority() {
        tracing::debug!("could not lower an IO worker's priority: {e}");
    }
}

impl Worker {
    fn run(self) {
        // Announced from a destructor so the pool hears of the exit even if
        // the thread unwinds outside a job (say, a dropped job's destructor panics).
        let _notice = ExitNotice {
            index: self.index,
            exited: self.exited,
        };
        yield_to_the_loop();
        // `recv` fails only once the pool dropped its sender and the queue is empty.
        while let Ok(job) = self.jobs.recv() {
            if self.shared.closed.load(Ordering::Acquire) {
                drop(job);
                self.shared
                    .dropped_by_workers
                    .fetch_add(1, Ordering::AcqRel);
                continue;
            }
            // The job owns all its state and is gone after the call, so no
            // broken invariant can be observed after a panic.
            if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(job)) {
                tracing::error!(
                    worker = self.index,
                    panic = panic_message(payload.as_ref()),
                    "an IO job panicked; the worker carries on"
                );
            }
        }
    }
}

/// Tells the pool that a worker thread is ending.
struct ExitNotice {
    index: usize,
    exited: Sender<usize>,
}

impl Drop for ExitNotice {
    fn drop(&mut self) {
        // The pool may already be gone (a detached worker); nobody to tell then.
        let _ = self.exited.send(self.index);
    }
}

/// The text of a panic payload, for the log.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "(a panic without a message)"
    }
}

#[cfg(test)]
mod tests;
