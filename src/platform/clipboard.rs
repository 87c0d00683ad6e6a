//! The system clipboard, so text copied in the app can be pasted in other
//! programs and the other way round.
//!
//! It speaks X11 (under Wayland through XWayland). Reading waits for the
//! program that owns the clipboard to answer, for up to a few seconds if it
//! hangs; text is small and the owner is usually quick.

use crate::clipboard::{Clipboard, MemoryClipboard};

/// The clipboard the desktop shares between programs.
pub(crate) struct SystemClipboard {
    inner: arboard::Clipboard,
}

impl SystemClipboard {
    /// Connect to the window system's clipboard.
    pub(crate) fn connect() -> Result<Self, arboard::Error> {
        arboard::Clipboard::new().map(|inner| Self { inner })
    }
}

impl Clipboard for SystemClipboard {
    fn get(&mut self) -> Option<String> {
        match self.inner.get_text() {
            Ok(text) => Some(text),
            // Empty, or holding something other than text (an image).
            Err(arboard::Error::ContentNotAvailable) => None,
            Err(e) => {
                tracing::warn!("could not read the clipboard: {e}");
                None
            }
        }
    }

    fn set(&mut self, text: String) {
        if let Err(e) = self.inner.set_text(text) {
            tracing::warn!("could not copy to the clipboard: {e}");
        }
    }
}

/// The system clipboard, or one private to the app when the system's cannot
/// be reached (copy and paste then work only inside the app).
pub(crate) fn system_or_private() -> Box<dyn Clipboard> {
    match SystemClipboard::connect() {
        Ok(clipboard) => Box::new(clipboard),
        Err(e) => {
            tracing::warn!(
                "the system clipboard is not available ({e}); copy and paste work only \
                 inside this app"
            );
            Box::new(MemoryClipboard::default())
        }
    }
}
