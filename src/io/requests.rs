//! Request bookkeeping and the `Cx` methods that issue requests.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;

use calloop::RegistrationToken;

use crate::app::Cx;
use crate::event::Lane;
use crate::io::fs::{self, DirEntry, FsError, Progress, ReadOptions};
use crate::io::pool::CancelToken;
use crate::io::process::{ProcessError, ProcessEvent, ProcessHandle, ProcessSource};
use crate::queue::IoPoster;
use crate::record::Ask;

/// Names one request so it can be cancelled and its results told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(u64);

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request #{}", self.0)
    }
}

/// Why blocking work produced no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Interrupted {
    /// The request was cancelled (by `cx.cancel`, a dropped task, or quit).
    #[error("cancelled")]
    Cancelled,
    /// The work panicked on its worker thread; the pool stays at full size.
    #[error("the work panicked: {0}")]
    Panicked(String),
}

type Finish<M> = Box<dyn FnOnce(bool) -> M + Send>;

/// What travels in the IO lane.
pub(crate) enum IoItem<M> {
    /// Progress of a request; dropped if the request was cancelled meanwhile.
    Progress(RequestId, M),
    /// A request's completion, mapped at dispatch (`true` = it was cancelled).
    Done(RequestId, Finish<M>),
    /// Output of a child process, already mapped.
    Ready(M),
}

impl<M> IoItem<M> {
    /// The request this item belongs to (none for process output).
    pub(crate) fn request(&self) -> Option<RequestId> {
        match self {
            IoItem::Progress(id, _) | IoItem::Done(id, _) => Some(*id),
            IoItem::Ready(_) => None,
        }
    }
}

/// Hashes request ids, which count up from zero: one multiply spreads
/// them (Fibonacci hashing). The default hasher's resistance to chosen keys
/// buys nothing here and cost a fifth of issuing a request.
#[derive(Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type IdMap<V> = HashMap<RequestId, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The loop's table of requests in flight.
#[derive(Default)]
pub(crate) struct Requests {
    live: IdMap<CancelToken>,
    /// What to do on `cx.cancel` for requests served on the loop thread (an
    /// HTTP request wakes its task so it drops its connection at once).
    on_cancel: IdMap<Box<dyn FnOnce()>>,
    next_id: u64,
    pub(crate) processes: usize,
}

impl Requests {
    pub(crate) fn is_empty(&self) -> bool {
        self.live.is_empty() && self.processes == 0
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.live.len()
    }

    /// Open a request that the loop thread serves itself: its id, counted in
    /// flight until its `IoItem::Done` is dispatched; `on_cancel` runs if
    /// `cx.cancel` is called first.
    pub(crate) fn open_local(&mut self, on_cancel: Box<dyn FnOnce()>) -> RequestId {
        let id = RequestId(self.next_id);
        self.next_id += 1;
        self.live.insert(id, CancelToken::new());
        self.on_cancel.insert(id, on_cancel);
        id
    }

    /// Turn an IO item into the message to dispatch, or `None` to drop it.
    pub(crate) fn resolve<M>(&mut self, item: IoItem<M>) -> Option<M> {
        match item {
            IoItem::Ready(m) => Some(m),
            IoItem::Progress(id, m) => self.live.get(&id).filter(|t| !t.is_cancelled()).map(|_| m),
            IoItem::Done(id, finish) => {
                if !self.on_cancel.is_empty() {
                    self.on_cancel.remove(&id);
                }
                let cancelled = self.live.remove(&id).is_none_or(|t| t.is_cancelled());
                Some(finish(cancelled))
            }
        }
    }

    /// Cancel everything (at quit).
    pub(crate) fn cancel_all(&mut self) {
        for token in self.live.values() {
            token.cancel();
        }
    }
}

/// What blocking work can see of its request while it runs on a worker.
pub struct Job<M> {
    id: RequestId,
    token: CancelToken,
    poster: IoPoster<M>,
}

impl<M> Job<M> {
    /// This request's id.
    #[must_use]
    pub fn id(&self) -> RequestId {
        self.id
    }

    /// Whether the request was cancelled; long work should check between steps.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// The token to hand to cancellable helpers such as [`fs::read_chunks`].
    #[must_use]
    pub fn token(&self) -> &CancelToken {
        &self.token
    }

    /// Report progress; it arrives as [`Event::Io`](crate::Event::Io) unless the
    /// request was cancelled first. Waits while the IO lane is full.
    pub fn progress(&self, msg: M) {
        let _ = self.poster.post_io(IoItem::Progress(self.id, msg));
    }
}

impl<M: Send + 'static> Cx<M> {
    /// Run blocking `work` on the worker pool; `map` turns its result into a
    /// message delivered as [`Event::Io`](crate::Event::Io).
    ///
    /// `map` runs on the loop thread when the completion is dispatched. If the
    /// request was cancelled by then, `map` gets `Err(Interrupted::Cancelled)`
    /// whatever the work returned.
    pub fn blocking<R, W, F>(&mut self, work: W, map: F) -> RequestId
    where
        R: Send + 'static,
        W: FnOnce(&Job<M>) -> R + Send + 'static,
        F: FnOnce(Result<R, Interrupted>) -> M + Send + 'static,
    {
        let id = RequestId(self.requests.next_id);
        self.requests.next_id += 1;
        let token = CancelToken::new();
        self.requests.live.insert(id, token.clone());
        let job = Job {
            id,
            token,
            poster: self.poster.io_poster(),
        };
        let run = move || {
            let result = if job.is_cancelled() {
                Err(Interrupted::Cancelled)
            } else {
                catch_unwind(AssertUnwindSafe(|| work(&job)))
                    .map_err(|p| Interrupted::Panicked(crate::panic::describe(&*p)))
            };
            let finish: Finish<M> = Box::new(move |cancelled| {
                if cancelled {
                    map(Err(Interrupted::Cancelled))
                } else {
                    map(result)
                }
            });
            let _ = job.poster.post_io(IoItem::Done(job.id, finish));
        };
        if self.tape.is_replaying() {
            // A replay hands the app the recorded completion instead.
            drop(run);
        } else if self.task_ctx.pool.submit(Box::new(run)).is_err() {
            // The pool is shutting down: the loop is quitting, nothing will be dispatched.
            tracing::debug!(%id, "request issued while quitting; dropped");
        }
        id
    }

    /// Read a whole file (up to 64 MiB by default) on the worker pool.
    ///
    /// ```no_run
    /// # #[derive(Debug)] enum Msg { Loaded(Result<Vec<u8>, oneloop::fs::FsError>) }
    /// # fn demo(cx: &mut oneloop::Cx<Msg>) {
    /// cx.read_file("notes.txt", Msg::Loaded);
    /// # }
    /// ```
    pub fn read_file<F>(&mut self, path: impl Into<PathBuf>, map: F) -> RequestId
    where
        F: FnOnce(Result<Vec<u8>, FsError>) -> M + Send + 'static,
    {
        self.read_file_with(path, ReadOptions::default(), |_| None, map)
    }

    /// Read a file with options; `on_progress` may turn progress reports (sent
    /// every `options.progress_every` bytes) into messages.
    pub fn read_file_with<P, F>(
        &mut self,
        path: impl Into<PathBuf>,
        options: ReadOptions,
        on_progress: P,
        map: F,
    ) -> RequestId
    where
        P: Fn(Progress) -> Option<M> + Send + 'static,
        F: FnOnce(Result<Vec<u8>, FsError>) -> M + Send + 'static,
    {
        let path = path.into();
        let shown = path.clone();
        self.blocking(
            move |job| {
                let mut report = |p: Progress| {
                    if let Some(msg) = on_progress(p) {
                        job.progress(msg);
                    }
                };
                fs::read_file(&path, &options, job.token(), &mut report)
            },
            move |result| map(flatten(result, &shown)),
        )
    }

    /// List a directory (names, kinds, sizes; sorted by name) on the worker pool.
    pub fn read_dir<F>(&mut self, path: impl Into<PathBuf>, map: F) -> RequestId
    where
        F: FnOnce(Result<Vec<DirEntry>, FsError>) -> M + Send + 'static,
    {
        let path = path.into();
        let shown = path.clone();
        self.blocking(
            move |job| fs::read_dir(&path, job.token()),
            move |result| map(flatten(result, &shown)),
        )
    }

    /// Cancel a request. Its completion still arrives, exactly once, as a
    /// cancelled result; progress reports not yet handled are dropped.
    /// Returns `false` if the request already completed.
    pub fn cancel(&mut self, id: RequestId) -> bool {
        let live = self
            .requests
            .live
            .get(&id)
            .map(CancelToken::cancel)
            .is_some();
        if let Some(hook) = self.requests.on_cancel.remove(&id) {
            hook();
        }
        self.tape.answer(Ask::Cancel, u64::from(live)) != 0
    }

    /// How many requests are in flight, counting file operations that async
    /// tasks are awaiting.
    #[must_use]
    pub fn requests_in_flight(&self) -> usize {
        let live = self.requests.in_flight() + self.task_ctx.pending_io.get();
        crate::app::answer_count(&self.tape, Ask::RequestsInFlight, live)
    }

    /// Start a child process; each line of its stdout and stderr and finally
    /// its exit status arrive through `map` as [`Event::Io`](crate::Event::Io).
    /// On Unix the pipes are read by the loop itself; on Windows a reader
    /// thread per pipe feeds a bounded channel (see
    /// [`io::process`](crate::io::process)). Either way a process that
    /// prints faster than the app handles is paused, not buffered.
    /// A panic in `map` is reported as
    /// [`Lifecycle::Panicked`](crate::Lifecycle::Panicked) and costs only the
    /// event it was mapping.
    pub fn spawn_process<F>(
        &mut self,
        command: Command,
        mut map: F,
    ) -> Result<ProcessHandle, ProcessError>
    where
        F: FnMut(ProcessEvent) -> M + 'static,
    {
        if self.tape.is_replaying() {
            // The recorded output replays as IO events; nothing is started.
            return ProcessHandle::inert();
        }
        let (source, handle) = ProcessSource::spawn(command)?;
        let token_slot: Rc<Cell<Option<RegistrationToken>>> = Rc::new(Cell::new(None));
        let slot = Rc::clone(&token_slot);
        let inserted = self
            .handle
            .insert_source(source, move |event, _, cx: &mut Cx<M>| {
                if matches!(event, ProcessEvent::Exited(_)) {
                    cx.requests.processes = cx.requests.processes.saturating_sub(1);
                }
                // `map` is app code: a panic there costs this one event, and
                // the process's later output and exit are still delivered.
                match catch_unwind(AssertUnwindSafe(|| map(event))) {
                    Ok(msg) => cx.io_local.push_back(IoItem::Ready(msg)),
                    Err(payload) => {
                        let running = "the map function of a child process".to_owned();
                        cx.caught.push(Lane::Io, running, &*payload);
                    }
                }
                if cx.io_local.len() >= cx.poster.shared().io_admission.limit() {
                    if let Some(token) = slot.get() {
                        cx.handle.disable(&token).ok();
                        cx.paused_sources.push(token);
                    }
                }
            });
        match inserted {
            Ok(token) => {
                token_slot.set(Some(token));
                self.requests.processes += 1;
                Ok(handle)
            }
            Err(e) => Err(ProcessError::Other {
                program: "child process".into(),
                source: std::io::Error::other(e.error.to_string()),
            }),
        }
    }
}

/// Fold a pool result and a file result into one file result.
pub(crate) fn flatten<T>(
    result: Result<Result<T, FsError>, Interrupted>,
    path: &Path,
) -> Result<T, FsError> {
    match result {
        Ok(inner) => inner,
        Err(Interrupted::Cancelled) => Err(FsError::Cancelled),
        Err(Interrupted::Panicked(msg)) => Err(FsError::Other {
            path: path.to_owned(),
            source: Arc::new(std::io::Error::other(format!(
                "the read panicked on its worker: {msg}"
            ))),
        }),
    }
}
