//! Async tasks on the loop thread: read files one after another and all at
//! once, with a cancel button. An `.await` on a read is "issue the request,
//! resume when its completion comes through the queue" — no other runtime.
//!
//! `cargo run --example tasks [FILE...]` (default: this crate's sources).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use oneloop::{App, Cx, Element, Event, Lifecycle, Settings, TaskHandle, WindowSettings};
use oneloop_widgets::{button, column, label, row, spinner, Align};

/// What a finished run reports.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) mode: &'static str,
    pub(crate) files: usize,
    pub(crate) bytes: usize,
    pub(crate) errors: Vec<String>,
    pub(crate) took: Duration,
}

#[derive(Debug, Clone)]
pub(crate) enum Msg {
    Sequential,
    Concurrent,
    Cancel,
    Done(Report),
}

pub(crate) struct Tasks {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) running: Option<(&'static str, TaskHandle)>,
    pub(crate) log: Vec<String>,
}

impl Tasks {
    pub(crate) fn new(paths: Vec<PathBuf>) -> Self {
        Self {
            paths,
            running: None,
            log: Vec::new(),
        }
    }

    fn start(&mut self, mode: &'static str, cx: &mut Cx<Msg>) {
        let paths = self.paths.clone();
        let task = async move {
            let started = Instant::now();
            let results = if mode == "one after another" {
                let mut results = Vec::new();
                for path in paths {
                    results.push(oneloop::fs::read(path).await);
                }
                results
            } else {
                oneloop::join_all(paths.into_iter().map(oneloop::fs::read).collect()).await
            };
            let bytes = results.iter().flatten().map(Vec::len).sum();
            let errors = results
                .iter()
                .filter_map(|r| r.as_ref().err().map(ToString::to_string))
                .collect();
            Msg::Done(Report {
                mode,
                files: results.len(),
                bytes,
                errors,
                took: started.elapsed(),
            })
        };
        // Keeping the handle keeps the task alive; dropping it cancels the task
        // and the reads it is waiting for.
        self.running = Some((mode, cx.spawn(task)));
    }
}

impl App for Tasks {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {}
            Event::App(Msg::Sequential) => self.start("one after another", cx),
            Event::App(Msg::Concurrent) => self.start("all at once", cx),
            Event::App(Msg::Cancel) => {
                if let Some((mode, handle)) = self.running.take() {
                    handle.cancel();
                    self.log.push(format!("{mode}: cancelled"));
                }
            }
            Event::App(Msg::Done(report)) => {
                self.running = None;
                self.log.push(format!(
                    "{}: {} files, {} bytes, {} errors in {:.1} ms",
                    report.mode,
                    report.files,
                    report.bytes,
                    report.errors.len(),
                    report.took.as_secs_f64() * 1e3
                ));
            }
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let idle = self.running.is_none();
        let mut status = row().spacing(8.0).align(Align::Center);
        match &self.running {
            Some((mode, _)) => {
                status = status
                    .push(spinner().size(16.0))
                    .push(label(format!("Reading {mode}…")))
            }
            None => {
                status = status.push(label(format!("{} files ready", self.paths.len())).muted())
            }
        }
        let buttons = row()
            .push(button("Read one after another").on_press_maybe(idle.then_some(Msg::Sequential)))
            .push(button("Read all at once").on_press_maybe(idle.then_some(Msg::Concurrent)))
            .push(button("Cancel").on_press_maybe((!idle).then_some(Msg::Cancel)));
        column()
            .padding(16.0)
            .spacing(10.0)
            .push(buttons)
            .push(status)
            .extend(
                self.log
                    .iter()
                    .rev()
                    .take(12)
                    .map(|line| label(line.as_str())),
            )
            .into()
    }
}

fn main() -> Result<(), oneloop::RunError> {
    let mut paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
        paths = std::fs::read_dir(src)
            .map(|dir| {
                dir.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default();
    }
    let settings = Settings::window(WindowSettings::new("Tasks").size(560.0, 360.0));
    oneloop::run(Tasks::new(paths), settings)?;
    Ok(())
}
