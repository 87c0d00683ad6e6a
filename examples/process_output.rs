//! A child process's output streamed into a list, line by line, through the
//! same queue as everything else. On Unix the pipes are read by the loop
//! itself; on Windows a reader thread per pipe feeds a bounded channel. A
//! process that prints faster than the list can take is paused, not
//! buffered without bound.
//!
//! `cargo run --example process_output [COMMAND ARGS...]` (default: `ls -la /`,
//! on Windows `cmd /c dir`).

use std::process::Command;

use oneloop::io::process::{ProcessEvent, ProcessHandle};
use oneloop::{App, Cx, Element, Event, Lifecycle, Settings, WindowSettings};
use oneloop_widgets::{button, column, container, label, list, row, spinner, Align};

#[derive(Debug, Clone)]
pub(crate) enum Msg {
    Output(ProcessEvent),
    Run,
    Kill,
}

pub(crate) struct Runner {
    pub(crate) argv: Vec<String>,
    pub(crate) lines: Vec<(bool, String)>,
    pub(crate) status: String,
    pub(crate) process: Option<ProcessHandle>,
}

impl Runner {
    pub(crate) fn new(argv: Vec<String>) -> Self {
        Self {
            argv,
            lines: Vec::new(),
            status: String::new(),
            process: None,
        }
    }

    fn run(&mut self, cx: &mut Cx<Msg>) {
        let Some((program, args)) = self.argv.split_first() else {
            return;
        };
        let mut command = Command::new(program);
        command.args(args);
        self.lines.clear();
        match cx.spawn_process(command, Msg::Output) {
            Ok(handle) => {
                self.status = format!("running {}", self.argv.join(" "));
                self.process = Some(handle);
            }
            Err(e) => self.status = e.to_string(),
        }
    }
}

impl App for Runner {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) | Event::App(Msg::Run) => self.run(cx),
            Event::App(Msg::Kill) => {
                if let Some(process) = &self.process {
                    if let Err(e) = process.kill() {
                        self.status = e.to_string();
                    }
                }
            }
            Event::Io(Msg::Output(ProcessEvent::Stdout(line))) => self.lines.push((false, line)),
            Event::Io(Msg::Output(ProcessEvent::Stderr(line))) => self.lines.push((true, line)),
            Event::Io(Msg::Output(ProcessEvent::Exited(status))) => {
                self.process = None;
                self.status = format!("{} lines · exited: {status}", self.lines.len());
            }
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let running = self.process.is_some();
        let mut bar = row()
            .spacing(8.0)
            .align(Align::Center)
            .push(button("Run again").on_press_maybe((!running).then_some(Msg::Run)))
            .push(button("Kill").on_press_maybe(running.then_some(Msg::Kill)));
        if running {
            bar = bar.push(spinner().size(16.0));
        }
        let lines = list(self.lines.len(), 18.0, move |i| {
            let (is_err, text) = &self.lines[i];
            let line = label(text.as_str()).mono().size(12.0);
            if *is_err {
                line.color(oneloop::render::Color::from_rgb(0xc2, 0x2b, 0x2b))
                    .into()
            } else {
                line.into()
            }
        })
        .keep_visible(self.lines.len().checked_sub(1));
        column()
            .padding(12.0)
            .spacing(8.0)
            .push(bar.push(label(self.status.as_str()).muted()))
            .push(
                container(lines)
                    .flex(1.0)
                    .align_x(Align::Stretch)
                    .align_y(Align::Stretch),
            )
            .into()
    }
}

fn main() -> Result<(), oneloop::RunError> {
    let mut argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.is_empty() {
        let default: &[&str] = if cfg!(windows) {
            &["cmd", "/c", "dir"]
        } else {
            &["ls", "-la", "/"]
        };
        argv = default.iter().map(|arg| (*arg).to_owned()).collect();
    }
    let settings = Settings::window(WindowSettings::new("Process output").size(720.0, 480.0));
    oneloop::run(Runner::new(argv), settings)?;
    Ok(())
}
