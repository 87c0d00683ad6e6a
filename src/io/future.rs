//! File IO as futures for async tasks: the read runs on the worker pool and
//! its completion wakes the task through the loop's queue.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::io::fs::{self, DirEntry, FsError, ReadOptions};
use crate::io::pool::CancelToken;
use crate::task::{self, TaskContext};

type Work<T> = Box<dyn FnOnce(&CancelToken) -> Result<T, FsError> + Send>;

/// The result, once the worker has it, and the waker of the awaiting task.
type SlotState<T> = (Option<Result<T, FsError>>, Option<Waker>);

/// Where a worker leaves its result and finds the waker to ring.
struct Slot<T> {
    state: Mutex<SlotState<T>>,
}

enum State<T> {
    Start(PathBuf, Work<T>),
    Waiting {
        slot: Arc<Slot<T>>,
        token: CancelToken,
        ctx: Rc<TaskContext>,
    },
    Done,
}

/// A file operation running on the worker pool. Dropping it cancels the work.
#[must_use = "futures do nothing unless awaited"]
pub struct PoolFuture<T> {
    state: State<T>,
}

impl<T> fmt::Debug for PoolFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Start(..) => "not started",
            State::Waiting { .. } => "waiting",
            State::Done => "done",
        };
        f.debug_struct("PoolFuture").field("state", &state).finish()
    }
}

/// Read a whole file (up to 64 MiB) inside a task spawned with `cx.spawn`.
///
/// ```no_run
/// # async fn demo() -> Result<(), oneloop::fs::FsError> {
/// let bytes = oneloop::fs::read("Cargo.toml").await?;
/// # Ok(()) }
/// ```
pub fn read(path: impl Into<PathBuf>) -> PoolFuture<Vec<u8>> {
    read_with(path, ReadOptions::default())
}

/// Read a file with options inside a task.
pub fn read_with(path: impl Into<PathBuf>, options: ReadOptions) -> PoolFuture<Vec<u8>> {
    let path = path.into();
    let target = path.clone();
    PoolFuture::new(
        path,
        Box::new(move |token| fs::read_file(&target, &options, token, &mut |_| {})),
    )
}

/// List a directory inside a task.
pub fn read_dir(path: impl Into<PathBuf>) -> PoolFuture<Vec<DirEntry>> {
    let path = path.into();
    let target = path.clone();
    PoolFuture::new(path, Box::new(move |token| fs::read_dir(&target, token)))
}

impl<T: Send + 'static> PoolFuture<T> {
    fn new(path: PathBuf, work: Work<T>) -> Self {
        Self {
            state: State::Start(path, work),
        }
    }

    fn start(ctx: Rc<TaskContext>, work: Work<T>, waker: &Waker) -> State<T> {
        let slot = Arc::new(Slot {
            state: Mutex::new((None, Some(waker.clone()))),
        });
        let token = CancelToken::new();
        let (job_slot, job_token) = (Arc::clone(&slot), token.clone());
        let job = Box::new(move || {
            let result = if job_token.is_cancelled() {
                Err(FsError::Cancelled)
            } else {
                work(&job_token)
            };
            let waker = {
                let mut state = job_slot.state.lock().unwrap_or_else(|e| e.into_inner());
                state.0 = Some(result);
                state.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        ctx.pending_io.set(ctx.pending_io.get() + 1);
        if ctx.pool.submit(job).is_err() {
            let mut state = slot.state.lock().unwrap_or_else(|e| e.into_inner());
            state.0 = Some(Err(FsError::Cancelled));
        }
        State::Waiting { slot, token, ctx }
    }
}

fn outside_task(path: &Path) -> FsError {
    FsError::Other {
        path: path.to_owned(),
        source: Arc::new(std::io::Error::other(
            "oneloop::fs futures run only inside a task spawned with cx.spawn",
        )),
    }
}

impl<T: Send + 'static> Future for PoolFuture<T> {
    type Output = Result<T, FsError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let State::Start(..) = self.state {
            if let State::Start(path, work) = std::mem::replace(&mut self.state, State::Done) {
                let Some(ctx) = task::current() else {
                    tracing::error!(
                        "oneloop::fs futures must run inside a task spawned with cx.spawn"
                    );
                    return Poll::Ready(Err(outside_task(&path)));
                };
                self.state = Self::start(ctx, work, cx.waker());
            }
        }
        let State::Waiting { slot, .. } = &self.state else {
            return Poll::Ready(Err(FsError::Cancelled));
        };
        let result = {
            let mut state = slot.state.lock().unwrap_or_else(|e| e.into_inner());
            match state.0.take() {
                Some(result) => result,
                None => {
                    state.1 = Some(cx.waker().clone());
                    return Poll::Pending;
                }
            }
        };
        if let State::Waiting { ctx, .. } = std::mem::replace(&mut self.state, State::Done) {
            ctx.pending_io.set(ctx.pending_io.get().saturating_sub(1));
        }
        Poll::Ready(result)
    }
}

impl<T> Drop for PoolFuture<T> {
    fn drop(&mut self) {
        if let State::Waiting { token, ctx, .. } = &self.state {
            token.cancel();
            ctx.pending_io.set(ctx.pending_io.get().saturating_sub(1));
        }
    }
}
