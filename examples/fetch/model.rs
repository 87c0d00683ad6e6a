//! The downloads and what happens to them.

use std::time::{Duration, Instant};

use oneloop::http::{HttpError, Progress, Request, Response};
use oneloop::{ButtonState, Cx, Event, Input, Key, KeyEvent, Lifecycle, NamedKey, RequestId};

/// The most of a body kept for the preview.
const PREVIEW_BYTES: usize = 64 * 1024;

/// How far one download is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum State {
    /// Connecting or waiting for the headers.
    Waiting,
    /// The body is streaming in.
    Receiving {
        status: u16,
        received: u64,
        total: Option<u64>,
    },
    /// It ended with a response.
    Done(Done),
    /// It ended with an error (its message).
    Failed(String),
    /// The user cancelled it.
    Cancelled,
}

/// A finished response, as the list and the preview show it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Done {
    pub(crate) status: u16,
    pub(crate) reason: &'static str,
    pub(crate) size: u64,
    pub(crate) took: Duration,
    pub(crate) headers: Vec<(String, String)>,
    /// The first bytes of the body.
    pub(crate) head: Vec<u8>,
}

/// One download.
#[derive(Debug, Clone)]
pub(crate) struct Download {
    pub(crate) url: String,
    pub(crate) id: RequestId,
    pub(crate) started: Instant,
    pub(crate) ended: Option<Duration>,
    /// Body bytes received so far (kept when cancelled or failed).
    pub(crate) received: u64,
    pub(crate) state: State,
}

impl Download {
    pub(crate) fn is_running(&self) -> bool {
        matches!(self.state, State::Waiting | State::Receiving { .. })
    }

    /// How long it has run (so far, or in all).
    pub(crate) fn took(&self, now: Instant) -> Duration {
        self.ended
            .unwrap_or_else(|| now.duration_since(self.started))
    }
}

/// The app's messages.
#[derive(Debug, Clone)]
pub(crate) enum Msg {
    UrlChanged(String),
    Fetch,
    Select(usize),
    Cancel,
    CancelAll,
    Progress(usize, Progress),
    Fetched(usize, Result<Response, HttpError>),
}

/// The app.
#[derive(Debug, Default)]
pub(crate) struct Fetcher {
    pub(crate) url_text: String,
    pub(crate) downloads: Vec<Download>,
    pub(crate) selected: Option<usize>,
    pub(crate) dark: bool,
    /// URLs from the command line, fetched at start.
    pub(crate) initial: Vec<String>,
    pub(crate) quit_when_done: bool,
    /// The loop's clock at the last update, for the running times shown.
    pub(crate) now: Option<Instant>,
    /// The window's width: a narrow window drops the bar and time columns.
    pub(crate) width: f32,
}

impl Fetcher {
    pub(crate) fn running(&self) -> usize {
        self.downloads.iter().filter(|d| d.is_running()).count()
    }

    pub(crate) fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        self.now = Some(cx.now());
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                let urls = std::mem::take(&mut self.initial);
                self.start(urls, cx);
            }
            Event::Lifecycle(Lifecycle::Panicked(report)) => eprintln!("{report}"),
            Event::Input(Input::Key(key)) => self.shortcut(&key, cx),
            Event::Input(Input::Resized(size)) => self.width = size.w,
            Event::Input(_) => return,
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
            k if ctrl && k.is_char('l') => cx.focus("url"),
            k if ctrl && k.is_char('q') => cx.quit(),
            k if ctrl && k.is_char('d') => self.dark = !self.dark,
            Key::Named(NamedKey::Escape) => self.cancel_selected(cx),
            Key::Named(NamedKey::ArrowDown) => self.move_selection(1),
            Key::Named(NamedKey::ArrowUp) => self.move_selection(-1),
            _ => {}
        }
    }

    fn move_selection(&mut self, by: isize) {
        if self.downloads.is_empty() {
            return;
        }
        let last = self.downloads.len() - 1;
        let next = match self.selected {
            None => 0,
            Some(i) => i.saturating_add_signed(by).min(last),
        };
        self.selected = Some(next);
    }

    fn handle(&mut self, msg: Msg, cx: &mut Cx<Msg>) {
        match msg {
            Msg::UrlChanged(text) => self.url_text = text,
            Msg::Fetch => {
                let urls: Vec<String> = self
                    .url_text
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect();
                if !urls.is_empty() {
                    self.url_text.clear();
                    self.start(urls, cx);
                }
            }
            Msg::Select(i) => self.selected = Some(i),
            Msg::Cancel => self.cancel_selected(cx),
            Msg::CancelAll => {
                for d in self.downloads.iter().filter(|d| d.is_running()) {
                    cx.cancel(d.id);
                }
            }
            Msg::Progress(i, p) => {
                if let Some(d) = self.downloads.get_mut(i) {
                    if d.is_running() {
                        d.received = p.received;
                        d.state = State::Receiving {
                            status: p.status,
                            received: p.received,
                            total: p.total,
                        };
                    }
                }
            }
            Msg::Fetched(i, result) => self.fetched(i, result, cx),
        }
    }

    /// Start a download for each of `urls` (`http://` is assumed when a URL
    /// has no scheme).
    fn start(&mut self, urls: Vec<String>, cx: &mut Cx<Msg>) {
        for url in urls {
            let url = if url.contains("://") {
                url
            } else {
                format!("http://{url}")
            };
            let index = self.downloads.len();
            let request = Request::get(url.clone()).progress_every(16 * 1024);
            let id = cx.http(
                request,
                move |p| Some(Msg::Progress(index, p)),
                move |r| Msg::Fetched(index, r),
            );
            self.downloads.push(Download {
                url,
                id,
                started: cx.now(),
                ended: None,
                received: 0,
                state: State::Waiting,
            });
            self.selected.get_or_insert(index);
        }
    }

    fn cancel_selected(&mut self, cx: &mut Cx<Msg>) {
        if let Some(d) = self.selected.and_then(|i| self.downloads.get(i)) {
            if d.is_running() {
                cx.cancel(d.id);
            }
        }
    }

    fn fetched(&mut self, i: usize, result: Result<Response, HttpError>, cx: &mut Cx<Msg>) {
        let now = cx.now();
        let Some(d) = self.downloads.get_mut(i) else {
            return;
        };
        d.ended = Some(now.duration_since(d.started));
        d.state = match result {
            Ok(response) => {
                let size = response.body.len() as u64;
                d.received = size;
                let reason = response.reason().unwrap_or("");
                let mut head = response.body;
                head.truncate(PREVIEW_BYTES);
                head.shrink_to_fit();
                State::Done(Done {
                    status: response.status,
                    reason,
                    size,
                    took: d.took(now),
                    headers: response.headers,
                    head,
                })
            }
            Err(HttpError::Cancelled) => State::Cancelled,
            Err(e) => State::Failed(e.to_string()),
        };
        println!("{} {}", outcome_word(&d.state), d.url);
        if self.quit_when_done && self.running() == 0 {
            println!("all done: {}", self.tally());
            cx.quit();
        }
    }

    /// `ok=2, failed=1, cancelled=1`.
    pub(crate) fn tally(&self) -> String {
        let count = |word: &str| {
            self.downloads
                .iter()
                .filter(|d| outcome_word(&d.state) == word)
                .count()
        };
        format!(
            "ok={}, failed={}, cancelled={}",
            count("ok"),
            count("failed"),
            count("cancelled")
        )
    }
}

/// How a download ended, in one word (`running` while it runs).
pub(crate) fn outcome_word(state: &State) -> &'static str {
    match state {
        State::Waiting | State::Receiving { .. } => "running",
        State::Done(_) => "ok",
        State::Failed(_) => "failed",
        State::Cancelled => "cancelled",
    }
}
