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
mod checkbox;
mod container;
mod context_menu;
mod dialog;
mod dropdown;
mod flex;
mod label;
mod list;
mod menu;
mod menu_bar;
mod press;
mod progress_bar;
mod row_item;
mod scroll;
mod scrollbar;
mod space;
mod spinner;
mod stack;
mod text_input;
mod themed;
mod tooltip;

pub use button::{button, Button, ButtonKind};
pub use checkbox::{checkbox, Checkbox};
pub use container::{container, Container};
pub use context_menu::{context_menu, ContextMenu};
pub use dialog::{dialog, Dialog, CLOSE_LABEL};
pub use dropdown::{dropdown, Dropdown};
pub use flex::{column, row, Align, Flex};
pub use label::{label, Label};
pub use list::{list, List};
pub use menu::{menu_item, submenu, Accel, MenuItem};
pub use menu_bar::{menu, menu_bar, Menu, MenuBar};
pub use progress_bar::{progress_bar, progress_bar_indeterminate, ProgressBar};
pub use row_item::{row_item, RowItem};
pub use scroll::{scroll, Scroll};
pub use space::{space, Space};
pub use spinner::{spinner, Spinner};
pub use stack::{stack, Stack};
pub use text_input::{text_input, TextInput};
pub use themed::{themed, Themed};
pub use tooltip::{tooltip, Tooltip, TOOLTIP_DELAY};

pub use oneloop::theme::Theme;

mod radio;
mod slider;
mod toggle;
mod tone;

pub use radio::{radio_group, RadioGroup};
pub use slider::{slider, Slider};
pub use toggle::{toggle, Toggle};

mod image;

pub use crate::image::{decode_image, image, load_image, Fit, ImageError, ImageView, Picture};

mod split;
mod tabs;

pub use split::{split, Axis, Split};
pub use tabs::{tabs, Tabs};

mod table;

pub use table::{table, Selection, SortOrder, Table, TableColumn};

mod file_picker;

pub use file_picker::{file_picker, FilePicker, FilePickerView, PickMode, Picked, PickerMsg};
