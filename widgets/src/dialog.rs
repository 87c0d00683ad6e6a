//! A modal dialog: a titled panel in the middle of the window, with a close
//! button. While it shows, the view behind is dimmed and inert, Tab cycles
//! through the dialog's own widgets, and Escape or the close button sends
//! the dialog's close message; the app takes the dialog out of its view.

use std::borrow::Cow;

use oneloop::popup::popup;
use oneloop::Element;

use crate::{button, column, container, label, row, Align};

/// Text on the close button in a dialog's title bar.
pub const CLOSE_LABEL: &str = "×";

/// A dialog, built into a modal popup when it becomes an element.
#[must_use]
pub struct Dialog<'a, M> {
    title: Cow<'a, str>,
    body: Element<'a, M>,
    on_close: Option<M>,
    width: f32,
}

/// A dialog titled `title` showing `body`. Put it in a
/// [`stack`](crate::stack) over the rest of the view while it should show.
///
/// ```
/// use oneloop::Element;
/// use oneloop_widgets::{button, column, dialog, label, stack};
///
/// #[derive(Debug, Clone)]
/// enum Msg { Close, Delete }
///
/// fn view<'a>(asking: bool) -> Element<'a, Msg> {
///     let mut page = stack().push(label("The document"));
///     if asking {
///         let body = column()
///             .push(label("Delete notes.txt?"))
///             .push(button("Delete").on_press(Msg::Delete));
///         page = page.push(dialog("Delete", body).on_close(Msg::Close));
///     }
///     page.into()
/// }
/// ```
pub fn dialog<'a, M>(
    title: impl Into<Cow<'a, str>>,
    body: impl Into<Element<'a, M>>,
) -> Dialog<'a, M> {
    Dialog {
        title: title.into(),
        body: body.into(),
        on_close: None,
        width: 360.0,
    }
}

impl<M> Dialog<'_, M> {
    /// Send `msg` on Escape or the close button. Without it the dialog has
    /// no close button and only its own buttons can end it.
    pub fn on_close(mut self, msg: M) -> Self {
        self.on_close = Some(msg);
        self
    }

    /// The dialog's width in logical pixels (360 unless set); a small window
    /// narrows it.
    pub fn width(mut self, width: f32) -> Self {
        self.width = width;
        self
    }
}

impl<'a, M: Clone + 'a> From<Dialog<'a, M>> for Element<'a, M> {
    fn from(dialog: Dialog<'a, M>) -> Self {
        let mut title = row()
            .align(Align::Center)
            .push(label(dialog.title).bold().size(16.0).flex(1.0));
        if let Some(msg) = &dialog.on_close {
            title = title.push(button(CLOSE_LABEL).on_press(msg.clone()));
        }
        let frame = column()
            .padding(16.0)
            .spacing(12.0)
            .push(title)
            .push(dialog.body);
        let mut modal = popup(container(frame).width(dialog.width))
            .centered()
            .modal();
        if let Some(msg) = dialog.on_close {
            modal = modal.on_dismiss(msg);
        }
        modal.into()
    }
}
