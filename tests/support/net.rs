//! Running network code on a real, windowless loop from a test, with a
//! wall-clock bound so that a hang fails the test instead of stalling it.

#![allow(dead_code, reason = "each test binary uses the part it needs")]

use std::fmt::Debug;
use std::future::Future;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use oneloop::{App, Cx, Event, EventLoop, Lifecycle, Settings, TaskHandle};

/// A failing test never waits longer than this for its loop.
pub const HANG: Duration = Duration::from_secs(30);

/// Run `app` on its own thread until it quits; return it, or panic if it
/// has not quit within [`HANG`].
pub fn run_app<A: App + Send + 'static>(app: A, settings: Settings) -> A {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let event_loop = EventLoop::new(app, settings).expect("a loop starts");
        let _ = tx.send(event_loop.run().expect("the loop runs"));
    });
    rx.recv_timeout(HANG).expect("the app quit in time")
}

/// The message of [`OneTask`]: the task's output.
#[derive(Debug)]
pub struct Done<T>(pub T);

type Start<T> = Box<dyn FnOnce(&mut Cx<Done<T>>) -> TaskHandle + Send>;

/// An app that spawns one task at start and quits with its output.
pub struct OneTask<T: 'static> {
    start: Option<Start<T>>,
    handle: Option<TaskHandle>,
    out: Option<T>,
}

impl<T: Debug + Send + 'static> App for OneTask<T> {
    type Message = Done<T>;

    fn update(&mut self, event: Event<Done<T>>, cx: &mut Cx<Done<T>>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                if let Some(start) = self.start.take() {
                    self.handle = Some(start(cx));
                }
            }
            Event::App(Done(out)) => {
                self.out = Some(out);
                cx.quit();
            }
            _ => {}
        }
    }
}

/// Run the future `make` builds as a task on a fresh loop; return its output.
/// `make` runs on the loop thread, so the future need not be `Send`.
pub fn run_task<T, F>(make: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Debug + Send + 'static,
    F: Future<Output = T> + 'static,
{
    let app = OneTask {
        start: Some(Box::new(move |cx: &mut Cx<Done<T>>| {
            let future = make();
            cx.spawn(async move { Done(future.await) })
        })),
        handle: None,
        out: None,
    };
    run_app(app, Settings::headless())
        .out
        .expect("the task finished")
}
