//! What one handler pays to issue 10,000 requests, as the file loader's
//! Load all does: `cx.blocking` with a job that returns at once, timed
//! inside the handler. The peer is the floor under any pool: the same
//! number of boxed jobs sent into a crossbeam channel to two threads.

use std::time::{Duration, Instant};

use oneloop::{App, Cx, Event, EventLoop, Settings};

use crate::report::{Better, Cell, Clause, Row};
use crate::{interleave, Config, Run};

const REQUESTS: usize = 10_000;

/// One row: microseconds per request, oneloop beside the channel floor.
pub fn rows(config: &Config) -> Vec<Row> {
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = vec![
        ("oneloop", Box::new(oneloop)),
        ("crossbeam jobs", Box::new(crossbeam)),
    ];
    let runs = interleave("submit 10k requests", config.repetitions, &mut subjects);
    let mut cells = runs.into_iter().map(Cell::from_outcomes);
    let mut next = || {
        cells
            .next()
            .unwrap_or(Cell::Skipped("failed: not run".to_owned()))
    };
    let (oneloop, floor) = (next(), next());
    vec![Row::new(
        "submit 10k requests, per request",
        "µs",
        Better::Lower,
        oneloop,
    )
    .peer("crossbeam jobs", floor)
    .goal("≤0.5 µs", vec![Clause::Below(0.5)])]
}

#[derive(Debug)]
enum Msg {
    Go,
    Done,
}

/// Issues every request in one handler and times it; quits when all are back.
#[derive(Default)]
struct Submitter {
    took: Option<Duration>,
    done: usize,
}

impl App for Submitter {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event.into_message() {
            Some(Msg::Go) => {
                let started = Instant::now();
                for _ in 0..REQUESTS {
                    cx.blocking(|_| (), |_| Msg::Done);
                }
                self.took = Some(started.elapsed());
            }
            Some(Msg::Done) => {
                self.done += 1;
                if self.done == REQUESTS {
                    cx.quit();
                }
            }
            None => {}
        }
    }
}

fn oneloop() -> Result<f64, String> {
    let lp = EventLoop::new(Submitter::default(), Settings::headless())
        .map_err(|e| format!("failed: {e}"))?;
    lp.poster()
        .post(Msg::Go)
        .map_err(|e| format!("failed: {e}"))?;
    let app = lp.run().map_err(|e| format!("failed: {e}"))?;
    let took = app.took.ok_or("failed: the handler never ran")?;
    Ok(took.as_secs_f64() * 1e6 / REQUESTS as f64)
}

fn crossbeam() -> Result<f64, String> {
    type Job = Box<dyn FnOnce() + Send>;
    let (tx, rx) = crossbeam_channel::unbounded::<Job>();
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<()>();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let rx = rx.clone();
            std::thread::spawn(move || {
                for job in rx {
                    job();
                }
            })
        })
        .collect();
    let started = Instant::now();
    for _ in 0..REQUESTS {
        let done = done_tx.clone();
        let job: Job = Box::new(move || {
            let _ = done.send(());
        });
        tx.send(job).map_err(|_| "failed: workers gone")?;
    }
    let took = started.elapsed();
    drop(tx);
    for _ in 0..REQUESTS {
        done_rx.recv().map_err(|_| "failed: a job was lost")?;
    }
    for w in workers {
        w.join().map_err(|_| "failed: a worker panicked")?;
    }
    Ok(took.as_secs_f64() * 1e6 / REQUESTS as f64)
}
