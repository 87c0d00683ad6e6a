//! The loader's state and how each message changes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oneloop::fs::{DirEntry, EntryKind, FsError, Progress};
use oneloop::{
    ButtonState, Cx, Event, Input, Interrupted, Key, KeyEvent, Lane, Lifecycle, NamedKey,
    RequestId, Size,
};
use oneloop_widgets::{FilePicker, PickMode, Picked, PickerMsg, Selection, SortOrder};

use super::order::{sorted, SortKey};

use super::preview::Preview;
use super::scan::{scan, Summary};

/// How much of a selected file the preview reads.
pub(crate) const PREVIEW_BYTES: usize = 16 * 1024;

/// Where one file stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Status {
    /// Listed, not asked for.
    Idle,
    /// Asked for, waiting for a worker.
    Queued,
    /// A worker is reading it.
    Loading { done: u64, total: Option<u64> },
    /// Read whole.
    Loaded(Summary),
    /// It could not be loaded, for this reason.
    Failed(Reason),
}

/// Why a file did not load, in words a user reads in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    NotFound,
    PermissionDenied,
    Directory,
    NotRegular(EntryKind),
    TooLarge,
    Binary,
    SymlinkLoop,
    InUse,
    Cancelled,
    Other,
}

impl Reason {
    pub(crate) fn text(self) -> String {
        match self {
            Reason::NotFound => "not found".into(),
            Reason::PermissionDenied => "permission denied".into(),
            Reason::Directory => "a directory".into(),
            Reason::NotRegular(kind) => format!("not a regular file ({kind})"),
            Reason::TooLarge => "too large".into(),
            Reason::Binary => "binary".into(),
            Reason::SymlinkLoop => "symlink loop".into(),
            Reason::InUse => "open in another program".into(),
            Reason::Cancelled => "cancelled".into(),
            Reason::Other => "read error".into(),
        }
    }

    fn of(error: &FsError) -> Reason {
        match error {
            FsError::NotFound { .. } => Reason::NotFound,
            FsError::PermissionDenied { .. } => Reason::PermissionDenied,
            FsError::IsADirectory { .. } => Reason::Directory,
            FsError::NotARegularFile { kind, .. } => Reason::NotRegular(*kind),
            FsError::TooLarge { .. } => Reason::TooLarge,
            FsError::SymlinkLoop { .. } => Reason::SymlinkLoop,
            FsError::InUse { .. } => Reason::InUse,
            FsError::Cancelled => Reason::Cancelled,
            _ => Reason::Other,
        }
    }
}

/// One directory entry and how loading it went.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) kind: EntryKind,
    pub(crate) size: u64,
    pub(crate) status: Status,
}

/// A "Load all" in progress (or finished).
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    pub(crate) started: Instant,
    pub(crate) finished: Option<Instant>,
    /// When the latest file finished (the loop's clock, so replays agree).
    pub(crate) latest: Instant,
    pub(crate) requests: Vec<RequestId>,
    pub(crate) total: usize,
    pub(crate) done: usize,
    /// Failed ones, cancelled ones included.
    pub(crate) failed: usize,
    /// Ended as cancelled.
    pub(crate) cancelled_files: usize,
    /// The user cancelled the batch.
    pub(crate) cancelled: bool,
    pub(crate) bytes: u64,
}

impl Batch {
    pub(crate) fn is_running(&self) -> bool {
        self.finished.is_none()
    }

    /// Time from the start to the end of the batch, or to the latest
    /// file finished while it runs.
    pub(crate) fn elapsed(&self) -> Duration {
        self.finished
            .unwrap_or(self.latest)
            .duration_since(self.started)
    }
}

/// What the directory listing is doing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Listing {
    Empty,
    Loading(PathBuf),
    Ready(PathBuf),
    Failed(String),
}

/// Messages per second per lane, sampled once a second.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rates {
    pub(crate) per_lane: [u64; 5],
    last_counts: [u64; 5],
    last_frames: u64,
    last_at: Option<Instant>,
}

#[derive(Debug, Clone)]
pub(crate) enum Msg {
    PathChanged(String),
    Open,
    Listed(PathBuf, Result<Vec<DirEntry>, FsError>),
    LoadAll,
    Cancel,
    Progress(usize, Progress),
    Scanned(usize, Result<Summary, Reason>),
    Select(usize),
    PreviewLoaded(usize, Result<Vec<u8>, String>),
    Tick,
    /// "Open…": choose a folder in the picker.
    Browse,
    Picker(PickerMsg),
    Sort(SortKey, SortOrder),
}

/// The whole app.
pub(crate) struct Loader {
    pub(crate) path_text: String,
    pub(crate) listing: Listing,
    pub(crate) entries: Vec<Entry>,
    /// The entries' indexes in the order the table shows them.
    pub(crate) order: Vec<usize>,
    pub(crate) sort: Option<(SortKey, SortOrder)>,
    /// The selected entry (an index into `entries`)...
    pub(crate) selected: Option<usize>,
    /// ...and the table's selection: the row it is on.
    pub(crate) selection: Selection,
    /// The folder picker, while it is open.
    pub(crate) picker: Option<FilePicker>,
    /// What is being dragged over the window.
    pub(crate) hovering: Option<PathBuf>,
    pub(crate) window: Size,
    pub(crate) preview: Preview,
    pub(crate) batch: Option<Batch>,
    pub(crate) rates: Rates,
    pub(crate) queue_depth: usize,
    pub(crate) frame_time: Duration,
    pub(crate) longest: Option<(Duration, Lane)>,
    pub(crate) dark: bool,
    /// Start "Load all" as soon as the listing arrives (`--load-all`).
    pub(crate) auto_load: bool,
    /// Quit once a batch has finished (`--quit-when-done`).
    pub(crate) quit_when_done: bool,
}

impl Loader {
    pub(crate) fn new(dir: &Path) -> Self {
        Self {
            path_text: dir.display().to_string(),
            listing: Listing::Empty,
            entries: Vec::new(),
            order: Vec::new(),
            sort: None,
            selected: None,
            selection: Selection::new(),
            picker: None,
            hovering: None,
            window: Size::new(1100.0, 700.0),
            preview: Preview::None,
            batch: None,
            rates: Rates::default(),
            queue_depth: 0,
            frame_time: Duration::ZERO,
            longest: None,
            dark: false,
            auto_load: false,
            quit_when_done: false,
        }
    }

    pub(crate) fn is_loading(&self) -> bool {
        self.batch.as_ref().is_some_and(Batch::is_running)
    }

    pub(crate) fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                cx.every(Duration::from_secs(1), || Msg::Tick);
                self.open(cx);
            }
            Event::Lifecycle(Lifecycle::Panicked(report)) => eprintln!("{report}"),
            // The picker's dialog takes the keys while it is open.
            Event::Input(Input::Key(_)) if self.picker.is_some() => return,
            Event::Input(Input::Key(key)) => self.shortcut(&key, cx),
            Event::Input(Input::Resized(size)) => self.window = size,
            Event::Input(Input::FileHovered(path)) => self.hovering = Some(path),
            Event::Input(Input::FileHoverCancelled) => self.hovering = None,
            // A folder dropped on the window is listed, as if typed.
            Event::Input(Input::FileDropped(path)) => {
                self.hovering = None;
                self.picker = None;
                self.path_text = path.display().to_string();
                self.open(cx);
            }
            Event::Input(_) => return,
            // The status bar's once-a-second sample repaints only when a figure
            // changed, so an idle window stays idle.
            Event::Timer(Msg::Tick) => {
                if self.sample(cx) {
                    cx.request_redraw();
                }
                return;
            }
            Event::Timer(msg) | Event::Io(msg) | Event::App(msg) => self.handle(msg, cx),
        }
        cx.request_redraw();
    }

    fn shortcut(&mut self, key: &KeyEvent, cx: &mut Cx<Msg>) {
        if key.state != ButtonState::Pressed {
            return;
        }
        let ctrl = key.modifiers.ctrl;
        match &key.key {
            k if ctrl && k.is_char('o') => cx.focus("path"),
            k if ctrl && k.is_char('q') => cx.quit(),
            k if ctrl && k.is_char('l') => self.load_all(cx),
            k if ctrl && k.is_char('d') => self.dark = !self.dark,
            Key::Named(NamedKey::Escape) => self.cancel(cx),
            Key::Named(NamedKey::ArrowDown) => self.move_selection(1, cx),
            Key::Named(NamedKey::ArrowUp) => self.move_selection(-1, cx),
            Key::Named(NamedKey::PageDown) => self.move_selection(20, cx),
            Key::Named(NamedKey::PageUp) => self.move_selection(-20, cx),
            Key::Named(NamedKey::Enter) => {
                if let Some(index) = self.selected {
                    self.select(index, cx);
                }
            }
            _ => {}
        }
    }

    fn handle(&mut self, msg: Msg, cx: &mut Cx<Msg>) {
        match msg {
            Msg::PathChanged(text) => self.path_text = text,
            Msg::Open => self.open(cx),
            Msg::Listed(dir, result) => {
                self.listed(dir, result);
                if std::mem::take(&mut self.auto_load) {
                    self.load_all(cx);
                }
            }
            Msg::LoadAll => self.load_all(cx),
            Msg::Cancel => self.cancel(cx),
            Msg::Progress(index, progress) => {
                if let Some(entry) = self.entries.get_mut(index) {
                    if matches!(entry.status, Status::Queued | Status::Loading { .. }) {
                        entry.status = Status::Loading {
                            done: progress.done,
                            total: progress.total,
                        };
                    }
                }
            }
            Msg::Scanned(index, result) => {
                self.scanned(index, result, cx.now());
                if self.quit_when_done && !self.is_loading() {
                    cx.quit();
                }
            }
            Msg::Select(index) => self.select(index, cx),
            Msg::PreviewLoaded(index, result) => {
                if self.selected == Some(index) {
                    self.preview = Preview::from_result(result);
                }
            }
            Msg::Tick => {
                self.sample(cx);
            }
            Msg::Browse => {
                let start = match &self.listing {
                    Listing::Ready(dir) => dir.clone(),
                    _ => PathBuf::from(self.path_text.trim()),
                };
                let mut picker = FilePicker::new(PickMode::Folder, start).title("Open a folder");
                picker.open(cx, Msg::Picker);
                self.picker = Some(picker);
            }
            Msg::Picker(msg) => {
                let Some(picker) = &mut self.picker else {
                    return;
                };
                match picker.update(msg, cx, Msg::Picker) {
                    Some(Picked::Path(dir)) => {
                        self.picker = None;
                        self.path_text = dir.display().to_string();
                        self.open(cx);
                    }
                    Some(Picked::Cancelled) => self.picker = None,
                    None => {}
                }
            }
            Msg::Sort(key, order) => {
                self.sort = Some((key, order));
                self.order = sorted(&self.entries, self.sort);
                self.selection = self.selected.map_or_else(Selection::new, |index| {
                    Selection::single(self.row_of(index))
                });
            }
        }
    }

    /// The table row showing entry `index`.
    pub(crate) fn row_of(&self, index: usize) -> usize {
        self.order.iter().position(|&i| i == index).unwrap_or(index)
    }

    fn open(&mut self, cx: &mut Cx<Msg>) {
        self.cancel(cx);
        let dir = PathBuf::from(self.path_text.trim());
        self.listing = Listing::Loading(dir.clone());
        self.entries.clear();
        self.order.clear();
        self.selected = None;
        self.selection = Selection::new();
        self.preview = Preview::None;
        self.batch = None;
        let key = dir.clone();
        cx.read_dir(dir, move |result| Msg::Listed(key, result));
    }

    fn listed(&mut self, dir: PathBuf, result: Result<Vec<DirEntry>, FsError>) {
        if self.listing != Listing::Loading(dir.clone()) {
            return; // a listing the user has since moved away from
        }
        match result {
            Ok(list) => {
                self.entries = list
                    .into_iter()
                    .map(|e| Entry {
                        name: e.name.to_string_lossy().into_owned(),
                        path: e.path,
                        kind: e.kind,
                        size: e.size,
                        status: Status::Idle,
                    })
                    .collect();
                self.order = sorted(&self.entries, self.sort);
                println!("listed {} entries in {}", self.entries.len(), dir.display());
                self.listing = Listing::Ready(dir);
            }
            Err(e) => {
                println!("listing failed: {e}");
                self.listing = Listing::Failed(e.to_string());
            }
        }
    }

    fn load_all(&mut self, cx: &mut Cx<Msg>) {
        if self.is_loading() || self.entries.is_empty() {
            return;
        }
        let mut requests = Vec::with_capacity(self.entries.len());
        for (index, entry) in self.entries.iter_mut().enumerate() {
            entry.status = Status::Queued;
            let path = entry.path.clone();
            requests.push(cx.blocking(
                move |job| {
                    let mut report = |p: Progress| job.progress(Msg::Progress(index, p));
                    scan(&path, job.token(), &mut report)
                },
                move |result| Msg::Scanned(index, outcome(result)),
            ));
        }
        let now = cx.now();
        self.batch = Some(Batch {
            started: now,
            finished: None,
            latest: now,
            total: requests.len(),
            requests,
            done: 0,
            failed: 0,
            cancelled_files: 0,
            cancelled: false,
            bytes: 0,
        });
    }

    fn cancel(&mut self, cx: &mut Cx<Msg>) {
        if let Some(batch) = self.batch.as_mut().filter(|b| b.is_running()) {
            batch.cancelled = true;
            for id in &batch.requests {
                cx.cancel(*id);
            }
        }
    }

    fn scanned(&mut self, index: usize, result: Result<Summary, Reason>, now: Instant) {
        let Some(entry) = self.entries.get_mut(index) else {
            return;
        };
        let Some(batch) = &mut self.batch else { return };
        entry.status = match result {
            Ok(summary) if summary.binary => Status::Failed(Reason::Binary),
            Ok(summary) => {
                batch.bytes += summary.bytes;
                Status::Loaded(summary)
            }
            Err(reason) => Status::Failed(reason),
        };
        batch.done += 1;
        batch.latest = now;
        if matches!(entry.status, Status::Failed(_)) {
            batch.failed += 1;
        }
        if entry.status == Status::Failed(Reason::Cancelled) {
            batch.cancelled_files += 1;
        }
        if batch.done == batch.total {
            batch.finished = Some(now);
            println!(
                "batch done: {} files, {} failed, {} bytes in {} ms",
                batch.total,
                batch.failed,
                batch.bytes,
                batch.elapsed().as_millis()
            );
            // One line a script can check without reading pixels.
            let counts: Vec<String> = status_counts(&self.entries)
                .iter()
                .map(|(status, count)| format!("{status}={count}"))
                .collect();
            println!("statuses: {}", counts.join(", "));
        }
    }

    fn move_selection(&mut self, by: isize, cx: &mut Cx<Msg>) {
        if self.entries.is_empty() {
            return;
        }
        // In the order the table shows.
        let last = self.entries.len() - 1;
        let next = match self.selected {
            None => 0,
            Some(i) => self.row_of(i).saturating_add_signed(by).min(last),
        };
        let index = self.order.get(next).copied().unwrap_or(next);
        self.select(index, cx);
    }

    fn select(&mut self, index: usize, cx: &mut Cx<Msg>) {
        let Some(entry) = self.entries.get(index) else {
            return;
        };
        self.selected = Some(index);
        self.selection = Selection::single(self.row_of(index));
        self.preview = Preview::Loading(entry.name.clone());
        let path = entry.path.clone();
        cx.blocking(
            move |job| oneloop::fs::read_prefix(&path, PREVIEW_BYTES, job.token()),
            move |result| {
                let bytes = match result {
                    Ok(Ok(bytes)) => Ok(bytes),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                Msg::PreviewLoaded(index, bytes)
            },
        );
    }

    /// Sample the loop's counters for the status bar; `true` if anything shown changed.
    fn sample(&mut self, cx: &mut Cx<Msg>) -> bool {
        let before = (
            self.rates.per_lane,
            self.frame_time,
            self.longest,
            self.queue_depth,
        );
        let now = cx.now();
        let stats = cx.stats();
        if let Some(at) = self.rates.last_at {
            let secs = now.duration_since(at).as_secs_f64().max(1e-3);
            for lane in 0..5 {
                let delta = stats.dispatched[lane] - self.rates.last_counts[lane];
                self.rates.per_lane[lane] = (delta as f64 / secs).round() as u64;
            }
        }
        self.rates.last_counts = stats.dispatched;
        self.rates.last_at = Some(now);
        // Our own repaint for the previous sample is one frame: only frames
        // beyond that count as news (or an idle window would repaint forever).
        if stats.frames > self.rates.last_frames + 1 {
            self.frame_time = stats.last_frame;
        }
        self.rates.last_frames = stats.frames;
        self.longest = stats.longest_handler;
        self.queue_depth = cx.queue_depth();
        before
            != (
                self.rates.per_lane,
                self.frame_time,
                self.longest,
                self.queue_depth,
            )
    }
}

/// How many entries are in each status, named by the words the list shows
/// (`loaded`, `binary`, `permission denied`, ...), in a stable order.
pub(crate) fn status_counts(entries: &[Entry]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for entry in entries {
        let name = match &entry.status {
            Status::Idle => "idle".to_owned(),
            Status::Queued => "queued".to_owned(),
            Status::Loading { .. } => "loading".to_owned(),
            Status::Loaded(_) => "loaded".to_owned(),
            Status::Failed(reason) => reason.text(),
        };
        *counts.entry(name).or_insert(0) += 1;
    }
    counts
}

/// How one file's load ended, as the list shows it.
fn outcome(result: Result<Result<Summary, FsError>, Interrupted>) -> Result<Summary, Reason> {
    match result {
        Ok(Ok(summary)) => Ok(summary),
        Ok(Err(e)) => Err(Reason::of(&e)),
        Err(Interrupted::Cancelled) => Err(Reason::Cancelled),
        Err(Interrupted::Panicked(_)) => Err(Reason::Other),
    }
}
