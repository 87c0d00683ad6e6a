//! What every pressable widget (button, checkbox, list row) does with the
//! pointer and the keyboard, in one place: a press shows, a release over the
//! widget activates (sliding off first cancels), and the given keys activate
//! it while it has focus.

use oneloop::render::Rect;
use oneloop::widget::{Cursor, EventCx, Handled, WidgetEvent};
use oneloop::{ButtonState, Key, NamedKey, PointerButton};

/// What an event meant for a pressable widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Press {
    /// The user activated it: send its message.
    Activate,
    /// The event was used (a press, a release off the widget).
    Used,
    /// The event is not for it.
    Ignored,
}

impl Press {
    pub(crate) fn handled(self) -> Handled {
        match self {
            Press::Activate | Press::Used => Handled::Yes,
            Press::Ignored => Handled::No,
        }
    }
}

/// Interpret `event` for an enabled pressable widget at `rect` that `keys`
/// activate. Asks for a repaint wherever its look changes.
pub(crate) fn press<M>(
    cx: &mut EventCx<'_, M>,
    event: &WidgetEvent,
    rect: Rect,
    keys: &[NamedKey],
) -> Press {
    match event {
        WidgetEvent::PointerDown(PointerButton::Primary, _) => {
            cx.request_repaint();
            Press::Used
        }
        WidgetEvent::PointerUp(PointerButton::Primary, at) => {
            cx.request_repaint();
            if rect.contains(*at) {
                Press::Activate
            } else {
                Press::Used
            }
        }
        WidgetEvent::Key(key) if key.state == ButtonState::Pressed => match &key.key {
            Key::Named(named) if keys.contains(named) => Press::Activate,
            _ => Press::Ignored,
        },
        WidgetEvent::PointerEnter | WidgetEvent::PointerLeave => {
            cx.request_repaint();
            Press::Ignored
        }
        _ => Press::Ignored,
    }
}

/// A hand over something that can be pressed, the arrow otherwise.
pub(crate) fn cursor(enabled: bool) -> Cursor {
    if enabled {
        Cursor::Pointer
    } else {
        Cursor::Default
    }
}
