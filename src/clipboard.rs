//! The clipboard text widgets copy to and paste from.

/// A place to copy text to and paste it from.
pub trait Clipboard {
    /// The clipboard's text, if it holds any.
    fn get(&mut self) -> Option<String>;
    /// Replace the clipboard's content with `text`.
    fn set(&mut self, text: String);
}

/// A clipboard private to the process: used without a window (tests) and
/// as the fallback when the system clipboard cannot be reached.
#[derive(Debug, Default, Clone)]
pub struct MemoryClipboard {
    text: Option<String>,
}

impl Clipboard for MemoryClipboard {
    fn get(&mut self) -> Option<String> {
        self.text.clone()
    }

    fn set(&mut self, text: String) {
        self.text = Some(text);
    }
}
