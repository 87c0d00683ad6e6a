//! The only code that knows about the window system: the portable window
//! shell ([`shell`]: painting, frames, cursor, window commands, input
//! conversion) and one small driver per kind of OS loop:
//! - `linux`: calloop is the master and winit's fd one of its sources;
//! - `pumped`: winit's loop is the master (Windows, macOS), woken through
//!   its proxy. `docs/platforms.md` tells why each OS gets the driver it does.

mod clipboard;
mod convert;
#[cfg(target_os = "linux")]
mod linux;
mod pumped;
mod shell;

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
        Some(window) => match Driver::for_this_os() {
            #[cfg(target_os = "linux")]
            Driver::Calloop => linux::run(event_loop, window),
            Driver::Pumped => pumped::run(event_loop, window),
        },
    }
}

/// Which loop is the master while a window is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    /// calloop waits, winit's fd among its sources (Linux).
    #[cfg(target_os = "linux")]
    Calloop,
    /// winit waits, woken through its proxy (Windows, macOS).
    Pumped,
}

impl Driver {
    /// The OS's driver; on Linux `ONELOOP_DRIVER=pumped` picks the other one,
    /// so the Windows and macOS driver runs (and is tested) here too.
    fn for_this_os() -> Self {
        #[cfg(target_os = "linux")]
        {
            match std::env::var("ONELOOP_DRIVER").as_deref() {
                Ok("pumped") => Driver::Pumped,
                Ok("calloop") | Err(_) => Driver::Calloop,
                Ok(other) => {
                    tracing::warn!(
                        "ONELOOP_DRIVER={other} is unknown (calloop, pumped); using calloop"
                    );
                    Driver::Calloop
                }
            }
        }
        #[cfg(not(target_os = "linux"))]
        Driver::Pumped
    }
}
