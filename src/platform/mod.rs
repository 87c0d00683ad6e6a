//! The only code that knows about the window system: winit is wired into
//! calloop here, and winit's types are converted into oneloop's here.

#[cfg(target_os = "linux")]
mod clipboard;
mod convert;
#[cfg(target_os = "linux")]
mod linux;

use crate::app::App;
use crate::event_loop::EventLoop;
use crate::settings::{RunError, Settings};

/// Run `app` until it quits, with a window if `settings.window` asks for one.
/// Returns the app with its final state.
///
/// ```no_run
/// # use oneloop::{App, Cx, Event, Settings, WindowSettings};
/// # #[derive(Default)] struct MyApp;
/// # impl App for MyApp { type Message = (); fn update(&mut self, _: Event<()>, _: &mut Cx<()>) {} }
/// oneloop::run(MyApp::default(), Settings::window(WindowSettings::new("My app")))?;
/// # Ok::<(), oneloop::RunError>(())
/// ```
pub fn run<A: App>(app: A, settings: Settings) -> Result<A, RunError> {
    let window = settings.window.clone();
    let event_loop = EventLoop::new(app, settings)?;
    match window {
        None => event_loop.run(),
        #[cfg(target_os = "linux")]
        Some(window) => linux::run(event_loop, window),
        #[cfg(not(target_os = "linux"))]
        Some(_) => Err(RunError::NoDisplay(
            "windows are supported on Linux only so far".into(),
        )),
    }
}
