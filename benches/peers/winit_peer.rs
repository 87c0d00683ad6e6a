//! winit as a peer: `EventLoopProxy::send_event` into
//! `ApplicationHandler::user_event`, and a bare `ControlFlow::Wait` loop
//! with or without a window (that it never draws).
//! Each function runs in a child process of its own (see `children`).

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use winit::application::ApplicationHandler;
use winit::event::{StartCause, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::platform::x11::EventLoopBuilderExtX11;
use winit::window::{Window, WindowId};

use crate::work::{join_all, spawn_paced, spawn_producers, Samples, Tally};

fn event_loop<T: 'static>() -> Result<EventLoop<T>, String> {
    EventLoop::<T>::with_user_event()
        .with_x11()
        .build()
        .map_err(|e| format!("winit could not start: {e}"))
}

struct Summer(Tally);

impl ApplicationHandler<u64> for Summer {
    fn resumed(&mut self, _: &ActiveEventLoop) {}

    fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, _: WindowEvent) {}

    fn user_event(&mut self, event_loop: &ActiveEventLoop, value: u64) {
        if self.0.add(value) {
            event_loop.exit();
        }
    }
}

/// `n` messages from `producers` threads; prints million messages per second.
pub fn throughput(n: u64, producers: usize) -> Result<String, String> {
    let event_loop = event_loop::<u64>()?;
    let proxy = event_loop.create_proxy();
    let start = Arc::new(Barrier::new(producers + 1));
    let threads = spawn_producers(producers, n, &start, move |v| proxy.send_event(v).is_ok());
    start.wait();
    let started = Instant::now();
    let mut app = Summer(Tally::new(n));
    event_loop.run_app(&mut app).map_err(|e| e.to_string())?;
    join_all(threads)?;
    Ok(app.0.throughput(started)?.to_string())
}

struct Latency(Samples);

impl ApplicationHandler<Instant> for Latency {
    fn resumed(&mut self, _: &ActiveEventLoop) {}

    fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, _: WindowEvent) {}

    fn user_event(&mut self, event_loop: &ActiveEventLoop, sent: Instant) {
        if self.0.add_since(sent) {
            event_loop.exit();
        }
    }
}

/// `n` messages one `interval` apart into an idle loop; prints the
/// post→handler latency percentiles in µs.
pub fn latency(n: usize, interval: Duration) -> Result<String, String> {
    let event_loop = event_loop::<Instant>()?;
    let proxy = event_loop.create_proxy();
    let sender = spawn_paced(n, interval, move |sent| proxy.send_event(sent).is_ok());
    let mut app = Latency(Samples::new(n));
    event_loop.run_app(&mut app).map_err(|e| e.to_string())?;
    join_all(vec![sender])?;
    Ok(app.0.percentiles()?.to_line())
}

struct Idle {
    announced: bool,
    /// Open a window in `resumed` (the loop's first chance to).
    wants_window: bool,
    window: Option<Window>,
    error: Option<String>,
}

impl ApplicationHandler for Idle {
    fn new_events(&mut self, event_loop: &ActiveEventLoop, cause: StartCause) {
        if cause == StartCause::Init {
            event_loop.set_control_flow(ControlFlow::Wait);
        }
    }

    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.wants_window && self.window.is_none() {
            let attributes = Window::default_attributes().with_title("winit peer");
            match event_loop.create_window(attributes) {
                Ok(window) => self.window = Some(window),
                Err(e) => {
                    self.error = Some(format!("winit could not open a window: {e}"));
                    event_loop.exit();
                }
            }
        }
    }

    fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, _: WindowEvent) {}

    #[expect(
        clippy::print_stdout,
        reason = "the parent waits for this line before it measures"
    )]
    fn about_to_wait(&mut self, _: &ActiveEventLoop) {
        if !self.announced && (self.window.is_some() || !self.wants_window) {
            self.announced = true;
            println!("ready");
        }
    }
}

/// A bare loop waiting for events that never come, with a window if
/// `window`; runs until killed.
pub fn idle(window: bool) -> Result<String, String> {
    let event_loop = event_loop::<()>()?;
    let mut app = Idle {
        announced: false,
        wants_window: window,
        window: None,
        error: None,
    };
    event_loop.run_app(&mut app).map_err(|e| e.to_string())?;
    app.error.map_or(Ok(String::new()), Err)
}
