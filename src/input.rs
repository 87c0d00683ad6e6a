//! Input as oneloop describes it, independent of any windowing library.
//!
//! The platform layer converts the window system's events into these types in
//! one place (`platform/convert.rs`), so apps, widgets and tests never see winit.

use std::path::PathBuf;

use crate::geometry::{Point, Size};

/// One piece of user or window-system input, in logical pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A key went down or up.
    Key(KeyEvent),
    /// The modifier keys changed (sent before the key event that changed them).
    ModifiersChanged(Modifiers),
    /// The pointer moved to `position`. Consecutive moves are coalesced.
    PointerMoved {
        /// Where the pointer is now.
        position: Point,
    },
    /// The pointer entered the window.
    PointerEntered,
    /// The pointer left the window.
    PointerLeft,
    /// A pointer button was pressed or released.
    PointerButton {
        /// Which button.
        button: PointerButton,
        /// Pressed or released.
        state: ButtonState,
        /// Where the pointer was.
        position: Point,
    },
    /// The wheel or touchpad scrolled.
    Wheel {
        /// How far, in lines or pixels.
        delta: ScrollDelta,
        /// Where the pointer was.
        position: Point,
    },
    /// The window's inner size changed.
    Resized(Size),
    /// The window moved to a display with another scale factor.
    ScaleFactorChanged(f64),
    /// The window gained (`true`) or lost (`false`) keyboard focus.
    Focused(bool),
    /// The user asked to close the window. The app decides: call `cx.quit()` to
    /// close, or ignore it to keep running.
    CloseRequested,
    /// A file or folder is being dragged over the window, not yet dropped.
    /// Several dragged at once arrive as one of these each.
    FileHovered(PathBuf),
    /// The drag over the window left it or was abandoned: nothing will be
    /// dropped (for now).
    FileHoverCancelled,
    /// A file or folder was dropped on the window. Several dropped at once
    /// arrive as one of these each, in the order the window system gives.
    FileDropped(PathBuf),
}

impl Input {
    /// Whether this input is a pointer move (the only kind that is coalesced).
    #[must_use]
    pub fn is_pointer_move(&self) -> bool {
        matches!(self, Input::PointerMoved { .. })
    }

    /// A press of `key` with no modifiers and no text: handy in tests.
    #[must_use]
    pub fn key_press(key: Key) -> Self {
        Input::Key(KeyEvent {
            key,
            state: ButtonState::Pressed,
            text: None,
            modifiers: Modifiers::default(),
            repeat: false,
        })
    }
}

/// A key press or release.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyEvent {
    /// The logical key, after the keyboard layout was applied.
    pub key: Key,
    /// Pressed or released.
    pub state: ButtonState,
    /// The text this press produces, if any (already composed by the layout).
    pub text: Option<String>,
    /// Modifiers held at the time.
    pub modifiers: Modifiers,
    /// Whether this press is an auto-repeat.
    pub repeat: bool,
}

/// A logical key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// A key with a name (Enter, arrows, F-keys...).
    Named(NamedKey),
    /// A key that produces characters, e.g. `"a"` or `"Q"`.
    Character(String),
    /// A key the layout could not identify.
    Unidentified,
}

impl Key {
    /// Whether this is the character key `c`, ignoring ASCII case.
    #[must_use]
    pub fn is_char(&self, c: char) -> bool {
        match self {
            Key::Character(s) => {
                let mut chars = s.chars();
                matches!((chars.next(), chars.next()), (Some(k), None) if k.eq_ignore_ascii_case(&c))
            }
            _ => false,
        }
    }
}

/// Keys that have a name rather than a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[expect(missing_docs, reason = "the key names speak for themselves")]
pub enum NamedKey {
    Enter,
    Escape,
    Tab,
    Backspace,
    Delete,
    Insert,
    Space,
    ArrowLeft,
    ArrowRight,
    ArrowUp,
    ArrowDown,
    Home,
    End,
    PageUp,
    PageDown,
    Shift,
    Control,
    Alt,
    Super,
    /// The Menu key, which opens a context menu.
    ContextMenu,
    /// A function key, `F(1)` to `F(24)`.
    F(u8),
}

/// Pressed or released, for keys and buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ButtonState {
    /// Went down.
    Pressed,
    /// Went up.
    Released,
}

/// Which pointer button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PointerButton {
    /// The primary (usually left) button.
    Primary,
    /// The secondary (usually right) button.
    Secondary,
    /// The middle button or wheel click.
    Middle,
    /// Any other button, by number.
    Other(u16),
}

/// How far a wheel or touchpad scrolled, as winit reports it. Positive `y`
/// moves the content down to reveal what is above it (the user turned the
/// wheel away from them); negative `y` moves on towards the end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScrollDelta {
    /// Whole lines, from a notched wheel.
    Lines {
        /// Horizontal lines.
        x: f32,
        /// Vertical lines.
        y: f32,
    },
    /// Logical pixels, from a touchpad.
    Pixels {
        /// Horizontal pixels.
        x: f32,
        /// Vertical pixels.
        y: f32,
    },
}

/// Modifier keys held down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Modifiers {
    /// Shift.
    pub shift: bool,
    /// Control.
    pub ctrl: bool,
    /// Alt / Option.
    pub alt: bool,
    /// Super / Windows / Command.
    pub logo: bool,
}

impl Modifiers {
    /// Only Control held.
    pub const CTRL: Modifiers = Modifiers {
        shift: false,
        ctrl: true,
        alt: false,
        logo: false,
    };
    /// Only Shift held.
    pub const SHIFT: Modifiers = Modifiers {
        shift: true,
        ctrl: false,
        alt: false,
        logo: false,
    };
}
