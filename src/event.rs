//! The one event type every handler receives.

use std::fmt;

use crate::input::Input;

/// Everything that reaches an app's `update`, through one queue.
///
/// The variant tells which lane the event travelled in, which is also its
/// priority within a turn: input first, then due timers, then app messages and
/// IO completions (see the queue contract in the crate docs).
#[derive(Debug)]
pub enum Event<M> {
    /// Keyboard, pointer and window input.
    Input(Input),
    /// A timer fired; the message is the one given to `cx.after` / `cx.every`.
    Timer(M),
    /// A request you issued completed or made progress (a file read, a directory
    /// listing, a child process's output), mapped into your message.
    Io(M),
    /// A message you posted: from `cx.post`, another thread's `Poster`, a widget,
    /// an async task's result, or your own event source.
    App(M),
    /// The loop's own news: started, a handler panicked, quitting.
    Lifecycle(Lifecycle),
}

impl<M> Event<M> {
    /// The message carried by a `Timer`, `Io` or `App` event, whichever lane it
    /// came through. Handy when an app does not care about lanes.
    pub fn into_message(self) -> Option<M> {
        match self {
            Event::Timer(m) | Event::Io(m) | Event::App(m) => Some(m),
            Event::Input(_) | Event::Lifecycle(_) => None,
        }
    }

    /// Which lane this event came through.
    #[must_use]
    pub fn lane(&self) -> Lane {
        match self {
            Event::Input(_) => Lane::Input,
            Event::Timer(_) => Lane::Timer,
            Event::Io(_) => Lane::Io,
            Event::App(_) => Lane::App,
            Event::Lifecycle(_) => Lane::Lifecycle,
        }
    }
}

/// The lanes of the queue, in the order a turn serves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    /// Loop news; served before anything else.
    Lifecycle,
    /// Keyboard, pointer and window input.
    Input,
    /// Due timers.
    Timer,
    /// Posted app messages, task results, custom sources.
    App,
    /// IO completions and progress.
    Io,
}

impl Lane {
    /// All lanes in the order a turn serves them.
    pub const ALL: [Lane; 5] = [
        Lane::Lifecycle,
        Lane::Input,
        Lane::Timer,
        Lane::App,
        Lane::Io,
    ];

    /// A short lowercase name, as used in logs and stats.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Lane::Lifecycle => "lifecycle",
            Lane::Input => "input",
            Lane::Timer => "timer",
            Lane::App => "app",
            Lane::Io => "io",
        }
    }
}

impl fmt::Display for Lane {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The loop's own events.
#[derive(Debug, Clone, PartialEq)]
pub enum Lifecycle {
    /// The first event of every run, before any input.
    Started,
    /// App code panicked — a handler, a task's poll, `view`, `draw`, a
    /// timer's closure, an event source's callback or a request's map
    /// function; the loop caught it and went on. Call `cx.quit()` here if
    /// your app would rather stop.
    Panicked(PanicReport),
}

/// What the loop knows about a caught panic.
#[derive(Debug, Clone, PartialEq)]
pub struct PanicReport {
    /// The lane of the event being handled, or of the messages the code
    /// that panicked produces (tasks and sources: app; timers: timer;
    /// request maps: IO; `view` and `draw` while painting: lifecycle).
    pub lane: Lane,
    /// What was running. For a handler, the event it was handling: its full
    /// `Debug` form where the loop kept one (input always; messages when
    /// `Settings::describe_events` is on, the default in debug builds),
    /// otherwise the message type and lane. For other app code, what it was
    /// ("polling async task TaskId(3)", "the closure of repeating timer ..",
    /// "the map function of request #7", "painting a frame (App::draw)").
    pub event: String,
    /// The panic's message.
    pub message: String,
    /// How many events the loop had dispatched before this one.
    pub sequence: u64,
}

impl fmt::Display for PanicReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "app code panicked on {} event #{} ({}): {}",
            self.lane, self.sequence, self.event, self.message
        )
    }
}
