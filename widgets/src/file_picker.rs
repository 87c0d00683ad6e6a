//! A file and folder picker: a modal dialog listing one folder at a time.
//!
//! The app keeps a [`FilePicker`] while the dialog shows, puts
//! [`file_picker`] in its view and hands every [`PickerMsg`] back to
//! [`FilePicker::update`], which says when the user picked something or
//! cancelled. A folder is listed on the worker pool and its listing arrives
//! through the queue like any other completion, so a slow network mount
//! never freezes the window: "Loading…" shows until it is there, and a
//! folder that cannot be read shows why.
//!
//! The dialog has a path field (type a path, Enter goes there; in
//! [`PickMode::File`] a path to a file picks it), Parent and Home buttons,
//! and a filter field that narrows the names as you type. Folders come
//! first. Click a row to select it, double-click to open a folder or pick a
//! file. Keys: ↑/↓, Page Up/Down, Home/End move the selection (↑/↓ also from
//! the filter field), Enter opens or picks, Backspace goes to the parent
//! folder, Escape cancels. In [`PickMode::Folder`] only folders are listed
//! and "Choose this folder" picks the folder shown.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oneloop::fs::{read_dir_blocking, CancelToken, DirEntry, EntryKind, FsError};
use oneloop::{Cx, Interrupted, RequestId};

mod view;
mod wire;

pub use view::{file_picker, FilePickerView};

/// Two presses on one row closer than this open it.
const DOUBLE_CLICK: Duration = Duration::from_millis(500);
/// Rows Page Up and Page Down move by.
const PAGE: isize = 10;

/// What a picker picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PickMode {
    /// A file: folders open, a file is picked.
    #[default]
    File,
    /// A folder: only folders are listed, and "Choose this folder" picks
    /// the one shown.
    Folder,
}

/// How the picker ended, from [`FilePicker::update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// The user picked this file or folder.
    Path(PathBuf),
    /// The user cancelled (Escape, Cancel or the close button).
    Cancelled,
}

/// What the user did in a picker, or a listing that arrived. The app wraps
/// it in its own message and hands it to [`FilePicker::update`].
#[derive(Debug, Clone)]
pub enum PickerMsg {
    /// The path field was edited.
    PathEdited(String),
    /// Enter in the path field: go to the path typed.
    PathSubmitted,
    /// Go to the parent folder (the Parent button, Backspace).
    Parent,
    /// Go to the home folder.
    Home,
    /// The filter field was edited.
    FilterEdited(String),
    /// A row was clicked (the `n`th row shown); twice in a row opens it.
    Pressed(usize),
    /// Move the selection by this many rows (negative: up).
    Move(isize),
    /// Select the first (`false`) or the last (`true`) row.
    MoveToEnd(bool),
    /// Open the selected folder or pick the selected file (Enter).
    Activate,
    /// The dialog's main button: pick the selected file, or this folder.
    Choose,
    /// Close the dialog without picking.
    Cancel,
    /// A folder's listing arrived.
    Listed(PathBuf, Result<Vec<DirEntry>, FsError>),
}

/// Where the folder shown stands.
#[derive(Debug, Clone, Default)]
pub(crate) enum Listing {
    /// Asked for; the pool has not answered yet.
    #[default]
    Loading,
    /// Folders first, then files, each by name ignoring case.
    Ready(Vec<DirEntry>),
    /// It could not be listed, and why, as a sentence.
    Failed(String),
}

/// A picker's state: the folder shown, what is typed and selected. The app
/// keeps it while the dialog is open.
#[derive(Debug, Clone)]
pub struct FilePicker {
    mode: PickMode,
    title: String,
    dir: PathBuf,
    pub(crate) path_text: String,
    pub(crate) filter: String,
    pub(crate) listing: Listing,
    /// Indexes into the listing of the rows shown, after the filter.
    pub(crate) shown: Vec<usize>,
    /// The selected row, an index into `shown`.
    pub(crate) selected: Option<usize>,
    last_press: Option<(usize, Instant)>,
    request: Option<RequestId>,
}

impl FilePicker {
    /// A picker for `mode` that will show `dir`; call [`FilePicker::open`]
    /// to list it.
    #[must_use]
    pub fn new(mode: PickMode, dir: impl Into<PathBuf>) -> Self {
        let dir = dir.into();
        let title = match mode {
            PickMode::File => "Open a file",
            PickMode::Folder => "Choose a folder",
        };
        Self {
            mode,
            title: title.to_owned(),
            path_text: dir.display().to_string(),
            dir,
            filter: String::new(),
            listing: Listing::Loading,
            shown: Vec::new(),
            selected: None,
            last_press: None,
            request: None,
        }
    }

    /// Title the dialog `title` instead of "Open a file" / "Choose a folder".
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Start listing the folder; `wrap` turns the picker's messages into
    /// the app's (usually a variant of the app's message).
    pub fn open<M, F>(&mut self, cx: &mut Cx<M>, wrap: F)
    where
        M: std::fmt::Debug + Send + 'static,
        F: Fn(PickerMsg) -> M + Send + 'static,
    {
        let dir = self.dir.clone();
        self.go_to(dir, cx, wrap);
    }

    /// What it picks.
    #[must_use]
    pub fn mode(&self) -> PickMode {
        self.mode
    }

    /// The dialog's title.
    #[must_use]
    pub fn dialog_title(&self) -> &str {
        &self.title
    }

    /// The folder shown (or being listed).
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the folder's listing has not arrived yet.
    #[must_use]
    pub fn is_loading(&self) -> bool {
        matches!(self.listing, Listing::Loading)
    }

    /// The names of the rows shown, top to bottom (folders end in the
    /// path separator).
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        (0..self.shown.len())
            .filter_map(|row| self.entry(row))
            .map(display_name)
            .collect()
    }

    /// The entry on row `row` of those shown.
    pub(crate) fn entry(&self, row: usize) -> Option<&DirEntry> {
        let Listing::Ready(entries) = &self.listing else {
            return None;
        };
        self.shown.get(row).and_then(|&i| entries.get(i))
    }

    /// The selected entry, if any.
    pub(crate) fn selected_entry(&self) -> Option<&DirEntry> {
        self.selected.and_then(|row| self.entry(row))
    }

    /// Whether the main button can pick something now.
    pub(crate) fn can_choose(&self) -> bool {
        match self.mode {
            PickMode::File => self.selected_entry().is_some_and(|e| !is_folder(e)),
            PickMode::Folder => matches!(self.listing, Listing::Ready(_)),
        }
    }

    /// Handle `msg`; `Some` when the picker is done and the app should
    /// take it out of its view. `wrap` is the same as for
    /// [`FilePicker::open`].
    pub fn update<M, F>(&mut self, msg: PickerMsg, cx: &mut Cx<M>, wrap: F) -> Option<Picked>
    where
        M: std::fmt::Debug + Send + 'static,
        F: Fn(PickerMsg) -> M + Send + 'static,
    {
        match msg {
            PickerMsg::PathEdited(text) => self.path_text = text,
            PickerMsg::PathSubmitted => {
                let typed = self.typed_path();
                self.go_to(typed, cx, wrap);
            }
            PickerMsg::Parent => {
                if let Some(parent) = self.dir.parent().map(Path::to_path_buf) {
                    self.go_to(parent, cx, wrap);
                }
            }
            PickerMsg::Home => {
                if let Some(home) = home_dir() {
                    self.go_to(home, cx, wrap);
                }
            }
            PickerMsg::FilterEdited(text) => {
                self.filter = text;
                self.refilter();
            }
            PickerMsg::Pressed(row) => return self.pressed(row, cx.now(), cx, wrap),
            PickerMsg::Move(by) => self.move_by(by),
            PickerMsg::MoveToEnd(last) => {
                if !self.shown.is_empty() {
                    self.selected = Some(if last { self.shown.len() - 1 } else { 0 });
                }
            }
            PickerMsg::Activate => return self.activate(cx, wrap),
            PickerMsg::Choose => return self.choose(),
            PickerMsg::Cancel => {
                self.stop(cx);
                return Some(Picked::Cancelled);
            }
            PickerMsg::Listed(dir, result) => return self.listed(dir, result),
        }
        None
    }

    /// The path field's text as a path: `~` is the home folder, a relative
    /// path is taken from the folder shown.
    fn typed_path(&self) -> PathBuf {
        let text = self.path_text.trim();
        let home_relative = text
            .strip_prefix('~')
            .filter(|rest| rest.is_empty() || rest.starts_with(['/', std::path::MAIN_SEPARATOR]));
        if let (Some(rest), Some(home)) = (home_relative, home_dir()) {
            return home.join(rest.trim_start_matches(['/', std::path::MAIN_SEPARATOR]));
        }
        self.dir.join(text)
    }

    /// Show `dir`: list it on the pool, forgetting any listing under way.
    fn go_to<M, F>(&mut self, dir: PathBuf, cx: &mut Cx<M>, wrap: F)
    where
        M: std::fmt::Debug + Send + 'static,
        F: Fn(PickerMsg) -> M + Send + 'static,
    {
        self.stop(cx);
        self.path_text = dir.display().to_string();
        self.dir = dir.clone();
        self.filter.clear();
        self.listing = Listing::Loading;
        self.shown.clear();
        self.selected = None;
        self.last_press = None;
        let folders_only = self.mode == PickMode::Folder;
        let key = dir.clone();
        self.request = Some(cx.blocking(
            move |job| list_folder(&dir, folders_only, job.token()),
            move |result| {
                let result = result.unwrap_or_else(|interrupted| {
                    Err(match interrupted {
                        Interrupted::Cancelled => FsError::Cancelled,
                        Interrupted::Panicked(why) => FsError::Other {
                            path: key.clone(),
                            source: std::sync::Arc::new(std::io::Error::other(why)),
                        },
                    })
                });
                wrap(PickerMsg::Listed(key, result))
            },
        ));
    }

    /// Cancel the listing under way, if any.
    fn stop<M: std::fmt::Debug + Send + 'static>(&mut self, cx: &mut Cx<M>) {
        if let Some(id) = self.request.take() {
            cx.cancel(id);
        }
    }

    fn listed(&mut self, dir: PathBuf, result: Result<Vec<DirEntry>, FsError>) -> Option<Picked> {
        if dir != self.dir || !self.is_loading() {
            return None; // a folder the user has since left
        }
        self.request = None;
        match result {
            Ok(mut entries) => {
                entries.sort_by_cached_key(|e| {
                    (!is_folder(e), e.name.to_string_lossy().to_lowercase())
                });
                self.listing = Listing::Ready(entries);
                self.refilter();
            }
            // A path typed to a file, in a file picker: that file is the pick.
            Err(FsError::NotADirectory { path, kind }) if self.mode == PickMode::File => {
                if kind == EntryKind::File || kind == EntryKind::Symlink {
                    return Some(Picked::Path(path));
                }
                self.listing = Listing::Failed(format!("{} is a {kind}", path.display()));
            }
            Err(FsError::Cancelled) => {}
            Err(e) => self.listing = Listing::Failed(failure_text(&e)),
        }
        None
    }

    /// Rows that pass the filter; the selection is kept if it still shows.
    fn refilter(&mut self) {
        let Listing::Ready(entries) = &self.listing else {
            return;
        };
        let was = self.selected_entry().map(|e| e.path.clone());
        let needle = self.filter.trim().to_lowercase();
        self.shown = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                needle.is_empty() || e.name.to_string_lossy().to_lowercase().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        let Listing::Ready(entries) = &self.listing else {
            return;
        };
        self.selected = was.and_then(|path| {
            self.shown
                .iter()
                .position(|&i| entries.get(i).is_some_and(|e| e.path == path))
        });
        // Filtering by typing, a single match is ready for Enter.
        if self.selected.is_none() && !needle.is_empty() && !self.shown.is_empty() {
            self.selected = Some(0);
        }
    }

    fn move_by(&mut self, by: isize) {
        if self.shown.is_empty() {
            return;
        }
        let last = self.shown.len() - 1;
        self.selected = Some(match self.selected {
            None if by < 0 => last,
            None => 0,
            Some(row) => row.saturating_add_signed(by).min(last),
        });
    }

    fn pressed<M, F>(&mut self, row: usize, now: Instant, cx: &mut Cx<M>, wrap: F) -> Option<Picked>
    where
        M: std::fmt::Debug + Send + 'static,
        F: Fn(PickerMsg) -> M + Send + 'static,
    {
        if row >= self.shown.len() {
            return None;
        }
        let double = self
            .last_press
            .is_some_and(|(r, at)| r == row && now.saturating_duration_since(at) < DOUBLE_CLICK);
        self.selected = Some(row);
        if double {
            self.last_press = None;
            return self.activate(cx, wrap);
        }
        self.last_press = Some((row, now));
        None
    }

    fn activate<M, F>(&mut self, cx: &mut Cx<M>, wrap: F) -> Option<Picked>
    where
        M: std::fmt::Debug + Send + 'static,
        F: Fn(PickerMsg) -> M + Send + 'static,
    {
        let entry = self.selected_entry()?;
        if is_folder(entry) {
            let path = entry.path.clone();
            self.go_to(path, cx, wrap);
            None
        } else if self.mode == PickMode::File {
            Some(Picked::Path(entry.path.clone()))
        } else {
            None
        }
    }

    fn choose(&mut self) -> Option<Picked> {
        if !self.can_choose() {
            return None;
        }
        match self.mode {
            PickMode::File => self.selected_entry().map(|e| Picked::Path(e.path.clone())),
            PickMode::Folder => Some(Picked::Path(self.dir.clone())),
        }
    }
}

/// Whether `entry` opens as a folder (a link to a folder does: its kind
/// was resolved on the pool).
pub(crate) fn is_folder(entry: &DirEntry) -> bool {
    entry.kind == EntryKind::Dir
}

/// The name a row shows: folders end in the path separator.
pub(crate) fn display_name(entry: &DirEntry) -> String {
    let name = entry.name.to_string_lossy();
    if is_folder(entry) {
        format!("{name}{}", std::path::MAIN_SEPARATOR)
    } else {
        name.into_owned()
    }
}

/// The user's home folder, if the environment names one.
fn home_dir() -> Option<PathBuf> {
    ["HOME", "USERPROFILE"]
        .into_iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Why a folder cannot be shown, as a sentence under the path field.
fn failure_text(error: &FsError) -> String {
    match error {
        FsError::PermissionDenied { path } => {
            format!("Cannot open {}: permission denied", path.display())
        }
        FsError::NotFound { path } => format!("{} does not exist", path.display()),
        other => format!("Cannot open this folder: {other}"),
    }
}

/// List `dir` on the pool. A symlink to a folder is reported as a folder,
/// since that is how it opens; in folder mode only folders are kept.
fn list_folder(
    dir: &Path,
    folders_only: bool,
    cancel: &CancelToken,
) -> Result<Vec<DirEntry>, FsError> {
    let mut entries = read_dir_blocking(dir, cancel)?;
    for entry in &mut entries {
        if entry.kind == EntryKind::Symlink
            && std::fs::metadata(&entry.path).is_ok_and(|m| m.is_dir())
        {
            entry.kind = EntryKind::Dir;
        }
    }
    if folders_only {
        entries.retain(is_folder);
    }
    Ok(entries)
}
