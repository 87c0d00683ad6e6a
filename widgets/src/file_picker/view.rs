//! What a picker shows: a dialog with the path bar, the filter, the
//! listing and the buttons, inside a widget that turns the keys nobody
//! else used into the picker's moves.

use std::rc::Rc;

use oneloop::render::{Rect, Size};
use oneloop::widget::{Constraints, EventCx, Handled, LayoutCx, PaintCx, Widget, WidgetEvent};
use oneloop::{ButtonState, Element, Key, NamedKey};

use super::{display_name, is_folder, FilePicker, Listing, PickMode, PickerMsg, PAGE};
use crate::{
    button, column, container, dialog, label, list, row, row_item, spinner, text_input, Align,
};

/// Rows of the listing.
const ROW_HEIGHT: f32 = 26.0;
/// The dialog's size when the window has room for it.
const WIDTH: f32 = 560.0;
const BODY_HEIGHT: f32 = 380.0;

type Wrap<'a, M> = Rc<dyn Fn(PickerMsg) -> M + 'a>;

/// A picker's dialog, made by [`file_picker`].
#[must_use]
pub struct FilePickerView<'a, M> {
    picker: &'a FilePicker,
    wrap: Wrap<'a, M>,
}

/// The dialog of `picker`; `wrap` turns its messages into the app's. Put it
/// in a [`stack`](crate::stack) over the rest of the view while the picker
/// is open, and hand what it sends to [`FilePicker::update`].
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{file_picker, label, stack, FilePicker, PickerMsg};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Picker(PickerMsg) }
///
/// fn view(picker: Option<&FilePicker>) -> Element<'_, Msg> {
///     let mut page = stack().push(label("No file open"));
///     if let Some(picker) = picker {
///         page = page.push(file_picker(picker, Msg::Picker));
///     }
///     page.into()
/// }
/// ```
pub fn file_picker<'a, M>(
    picker: &'a FilePicker,
    wrap: impl Fn(PickerMsg) -> M + 'a,
) -> FilePickerView<'a, M> {
    FilePickerView {
        picker,
        wrap: Rc::new(wrap),
    }
}

impl<'a, M: Clone + 'a> From<FilePickerView<'a, M>> for Element<'a, M> {
    fn from(view: FilePickerView<'a, M>) -> Self {
        let (picker, wrap) = (view.picker, view.wrap);
        let send = |msg: PickerMsg| wrap(msg);
        let body = column()
            .spacing(10.0)
            .push(path_bar(picker, &wrap))
            .push(filter_field(picker, &wrap))
            .push(
                // A pixel inside, so the rows do not paint over the outline.
                container(listing(picker, &wrap))
                    .flex(1.0)
                    .padding(1.0)
                    .outlined()
                    .align_x(Align::Stretch)
                    .align_y(Align::Stretch),
            )
            .push(footer(picker, &wrap));
        let frame = dialog(
            picker.dialog_title().to_owned(),
            container(body).height(BODY_HEIGHT),
        )
        .width(WIDTH)
        .on_close(send(PickerMsg::Cancel));
        Element::new(PickerKeys {
            child: [frame.into()],
            wrap,
        })
    }
}

fn path_bar<'a, M: Clone + 'a>(picker: &'a FilePicker, wrap: &Wrap<'a, M>) -> Element<'a, M> {
    let on_path = Rc::clone(wrap);
    let has_parent = picker.dir().parent().is_some();
    row()
        .spacing(8.0)
        .align(Align::Center)
        .push(button("Parent").on_press_maybe(has_parent.then(|| wrap(PickerMsg::Parent))))
        .push(button("Home").on_press_maybe(super::home_dir().map(|_| wrap(PickerMsg::Home))))
        .push(
            Element::from(
                text_input("Path", &picker.path_text)
                    .flex(1.0)
                    .on_input(move |text| on_path(PickerMsg::PathEdited(text)))
                    .on_submit(wrap(PickerMsg::PathSubmitted)),
            )
            .key("picker-path"),
        )
        .into()
}

fn filter_field<'a, M: Clone + 'a>(picker: &'a FilePicker, wrap: &Wrap<'a, M>) -> Element<'a, M> {
    let on_filter = Rc::clone(wrap);
    Element::from(
        text_input("Filter names", &picker.filter)
            .on_input(move |text| on_filter(PickerMsg::FilterEdited(text)))
            .on_submit(wrap(PickerMsg::Activate)),
    )
    .key("picker-filter")
}

fn listing<'a, M: Clone + 'a>(picker: &'a FilePicker, wrap: &Wrap<'a, M>) -> Element<'a, M> {
    let note =
        |text: String| -> Element<'a, M> { container(label(text).muted()).padding(12.0).into() };
    match &picker.listing {
        Listing::Loading => container(
            row()
                .spacing(8.0)
                .align(Align::Center)
                .push(spinner().size(16.0))
                .push(label("Loading…").muted()),
        )
        .padding(12.0)
        .into(),
        Listing::Failed(why) => container(label(why.as_str()).danger().wrap())
            .padding(12.0)
            .into(),
        Listing::Ready(_) if picker.shown.is_empty() && picker.filter.trim().is_empty() => {
            note(match picker.mode() {
                PickMode::File => "This folder is empty".to_owned(),
                PickMode::Folder => "No folders in here".to_owned(),
            })
        }
        Listing::Ready(_) if picker.shown.is_empty() => {
            note(format!("No names contain “{}”", picker.filter.trim()))
        }
        Listing::Ready(_) => {
            let wrap = Rc::clone(wrap);
            list(picker.shown.len(), ROW_HEIGHT, move |row| {
                entry_row(picker, row, &wrap)
            })
            .keep_visible(picker.selected)
            .into()
        }
    }
}

fn entry_row<'a, M: Clone + 'a>(
    picker: &'a FilePicker,
    index: usize,
    wrap: &Wrap<'a, M>,
) -> Element<'a, M> {
    let Some(entry) = picker.entry(index) else {
        return label("").into();
    };
    let detail = if is_folder(entry) {
        "Folder".to_owned()
    } else {
        human_bytes(entry.size)
    };
    let content = row()
        .spacing(10.0)
        .align(Align::Center)
        .push(label(display_name(entry)).flex(1.0))
        .push(label(detail).muted());
    row_item(content)
        .selected(picker.selected == Some(index))
        .on_press(wrap(PickerMsg::Pressed(index)))
        .into()
}

fn footer<'a, M: Clone + 'a>(picker: &'a FilePicker, wrap: &Wrap<'a, M>) -> Element<'a, M> {
    let choose = match picker.mode() {
        PickMode::File => "Open",
        PickMode::Folder => "Choose this folder",
    };
    row()
        .spacing(8.0)
        .align(Align::Center)
        .push(label(summary(picker)).muted().flex(1.0))
        .push(button("Cancel").on_press(wrap(PickerMsg::Cancel)))
        .push(
            button(choose)
                .primary()
                .on_press_maybe(picker.can_choose().then(|| wrap(PickerMsg::Choose))),
        )
        .into()
}

/// "3 folders, 12 files", or how many the filter lets through.
fn summary(picker: &FilePicker) -> String {
    let Listing::Ready(entries) = &picker.listing else {
        return String::new();
    };
    if !picker.filter.trim().is_empty() {
        return format!("{} of {} shown", picker.shown.len(), entries.len());
    }
    let folders = entries.iter().filter(|e| is_folder(e)).count();
    let files = entries.len() - folders;
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match picker.mode() {
        PickMode::File => format!(
            "{}, {}",
            count(folders, "folder", "folders"),
            count(files, "file", "files")
        ),
        PickMode::Folder => count(folders, "folder", "folders"),
    }
}

/// `512 B`, `1.2 KB`, `3.4 MB`.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Holds the dialog and takes the keys that reach it unused: from the
/// listing, the filter field (↑/↓) or anywhere no field wants them.
struct PickerKeys<'a, M> {
    child: [Element<'a, M>; 1],
    wrap: Wrap<'a, M>,
}

impl<'a, M> Widget<'a, M> for PickerKeys<'a, M> {
    fn layout(&mut self, cx: &mut LayoutCx<'_>, constraints: Constraints) -> Size {
        let size = self.child[0].layout(cx, constraints);
        self.child[0].set_origin(oneloop::Point::new(0.0, 0.0));
        size
    }

    fn paint(&self, cx: &mut PaintCx<'_, '_>, _rect: Rect) {
        self.child[0].paint(cx);
    }

    fn event(&mut self, cx: &mut EventCx<'_, M>, event: &WidgetEvent, _rect: Rect) -> Handled {
        let WidgetEvent::Key(key) = event else {
            return Handled::No;
        };
        if key.state != ButtonState::Pressed || key.modifiers.ctrl || key.modifiers.alt {
            return Handled::No;
        }
        let msg = match key.key {
            Key::Named(NamedKey::ArrowDown) => PickerMsg::Move(1),
            Key::Named(NamedKey::ArrowUp) => PickerMsg::Move(-1),
            Key::Named(NamedKey::PageDown) => PickerMsg::Move(PAGE),
            Key::Named(NamedKey::PageUp) => PickerMsg::Move(-PAGE),
            Key::Named(NamedKey::Home) => PickerMsg::MoveToEnd(false),
            Key::Named(NamedKey::End) => PickerMsg::MoveToEnd(true),
            Key::Named(NamedKey::Enter) => PickerMsg::Activate,
            Key::Named(NamedKey::Backspace) => PickerMsg::Parent,
            _ => return Handled::No,
        };
        cx.emit((self.wrap)(msg));
        Handled::Yes
    }

    fn children(&self) -> &[Element<'a, M>] {
        &self.child
    }

    fn children_mut(&mut self) -> &mut [Element<'a, M>] {
        &mut self.child
    }

    fn kind(&self) -> &'static str {
        "file-picker"
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn sizes_read_in_the_units_a_person_expects() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_234), "1.2 KB");
        assert_eq!(human_bytes(5_600_000), "5.6 MB");
    }
}
