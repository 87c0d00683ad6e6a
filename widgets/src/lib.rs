//! Widgets for oneloop apps: plain data built by `App::view`, laid out,
//! painted and fed input by the loop. One widget per file.
//!
//! ```
//! use oneloop::Element;
//! use oneloop_widgets::{button, column, label, row};
//!
//! #[derive(Debug, Clone)]
//! enum Msg { Load, Cancel }
//!
//! fn view<'a>(status: &'a str) -> Element<'a, Msg> {
//!     column()
//!         .push(label(status))
//!         .push(row().push(button("Load").on_press(Msg::Load)).push(button("Cancel").on_press(Msg::Cancel)))
//!         .into()
//! }
//! ```

mod button;
mod container;
mod flex;
mod label;
mod space;
mod stack;
mod text_input;

pub use button::{button, Button, ButtonKind};
pub use container::{container, Container};
pub use flex::{column, row, Align, Flex};
pub use label::{label, Label};
pub use space::{space, Space};
pub use stack::{stack, Stack};
pub use text_input::{text_input, TextInput};

pub use oneloop::theme::Theme;
