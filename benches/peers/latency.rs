//! Wake latency when idle: one message every millisecond into a loop that
//! sleeps in the OS between them; post→handler time, from the send instant
//! carried in the message.

use std::time::{Duration, Instant};

use oneloop::{App, Cx, Event, EventLoop, Settings};

use crate::report::{Better, Clause, Row};
use crate::work::{join_all, spawn_paced, Percentiles, Samples};
use crate::{children, interleave, Config, Run};

const INTERVAL: Duration = Duration::from_millis(1);

/// Three rows (p50, p99, max) from the same runs.
pub fn rows(config: &Config) -> Vec<Row> {
    let n = messages(config);
    let mut subjects: Vec<(&'static str, Run<'_, Percentiles>)> = vec![
        (
            "oneloop",
            Box::new(move || oneloop(n, Settings::headless())),
        ),
        ("calloop", Box::new(move || calloop(n))),
        ("winit", Box::new(move || winit(&config.display, n))),
    ];
    let runs = interleave("idle wake latency", config.repetitions, &mut subjects);
    let column = |subject, pick| Percentiles::cell(&runs, subject, pick);
    let row = |name: &str, pick: fn(&Percentiles) -> f64| {
        Row::new(name, "µs", Better::Lower, column(0, pick))
            .peer("calloop", column(1, pick))
            .peer("winit", column(2, pick))
    };
    vec![
        row("idle wake p50", |p| p.p50).goal(
            "≤1.2× calloop",
            vec![Clause::RatioAtLeast("calloop", 1.0 / 1.2)],
        ),
        row("idle wake p99", |p| p.p99).goal("<200 µs", vec![Clause::Below(200.0)]),
        row("idle wake max", |p| p.max),
    ]
}

/// How many messages a run sends.
pub fn messages(config: &Config) -> usize {
    if config.quick {
        500
    } else {
        5_000
    }
}

/// Records the latency of each message; quits after the last.
struct Recorder(Samples);

impl App for Recorder {
    type Message = Instant;

    fn update(&mut self, event: Event<Instant>, cx: &mut Cx<Instant>) {
        if let Event::App(sent) = event {
            if self.0.add_since(sent) {
                cx.quit();
            }
        }
    }
}

/// Messages paced one a millisecond into a headless loop with `settings`.
pub fn oneloop(n: usize, settings: Settings) -> Result<Percentiles, String> {
    let event_loop =
        EventLoop::new(Recorder(Samples::new(n)), settings).map_err(|e| e.to_string())?;
    let poster = event_loop.poster();
    let sender = spawn_paced(n, INTERVAL, move |sent| poster.post(sent).is_ok());
    let app = event_loop.run().map_err(|e| e.to_string())?;
    join_all(vec![sender])?;
    app.0.percentiles()
}

fn calloop(n: usize) -> Result<Percentiles, String> {
    let mut event_loop: calloop::EventLoop<'_, Samples> =
        calloop::EventLoop::try_new().map_err(|e| e.to_string())?;
    let (tx, channel) = calloop::channel::channel::<Instant>();
    let signal = event_loop.get_signal();
    event_loop
        .handle()
        .insert_source(channel, move |event, _, samples: &mut Samples| {
            if let calloop::channel::Event::Msg(sent) = event {
                if samples.add_since(sent) {
                    signal.stop();
                }
            }
        })
        .map_err(|e| e.error.to_string())?;
    let sender = spawn_paced(n, INTERVAL, move |sent| tx.send(sent).is_ok());
    let mut samples = Samples::new(n);
    event_loop
        .run(None, &mut samples, |_| {})
        .map_err(|e| e.to_string())?;
    join_all(vec![sender])?;
    samples.percentiles()
}

fn winit(display: &children::Display, n: usize) -> Result<Percentiles, String> {
    let args = [
        "winit-latency".to_owned(),
        n.to_string(),
        INTERVAL.as_micros().to_string(),
    ];
    Percentiles::parse(&children::run(Some(display), &args)?)
}
