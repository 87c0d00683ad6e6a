//! Every widget, in the light and the dark theme side by side.
//!
//! `cargo run --example gallery` opens it; `cargo run --example gallery --
//! --png gallery.png` renders it offscreen (no display needed) instead.

use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, Settings, Theme, WindowSettings};
use oneloop_widgets::{
    button, checkbox, column, container, label, list, progress_bar, row, scroll, spinner,
    text_input, themed, Align, ButtonKind,
};
use oneloop_widgets::{
    context_menu, dialog, dropdown, menu, menu_bar, menu_item, stack, submenu, tooltip,
};

pub(crate) const SIZE: (f32, f32) = (1280.0, 800.0);

#[derive(Debug, Clone)]
pub(crate) enum Msg {
    Text(String),
    Submitted,
    Toggle(usize, bool),
    Pressed(&'static str),
    Row(usize),
    Fruit(usize),
    Menu(&'static str),
    ShowDialog,
    CloseDialog,
}

/// The dropdown's entries.
pub(crate) const FRUIT: [&str; 5] = ["Apple", "Avocado", "Banana", "Blueberry", "Cherry"];

pub(crate) struct Gallery {
    pub(crate) text: String,
    pub(crate) checks: [bool; 2],
    pub(crate) last: String,
    pub(crate) selected: Option<usize>,
    pub(crate) fruit: Option<usize>,
    pub(crate) dialog: bool,
}

impl Default for Gallery {
    fn default() -> Self {
        Self {
            text: "Größe — 日本語 ✓".to_owned(),
            checks: [true, false],
            last: "nothing yet".to_owned(),
            selected: Some(2),
            fruit: Some(2),
            dialog: false,
        }
    }
}

impl App for Gallery {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        let Some(msg) = event.into_message() else {
            return;
        };
        match msg {
            Msg::Text(text) => {
                self.last = format!("edited text ({} characters)", text.chars().count());
                self.text = text;
            }
            Msg::Submitted => self.last = format!("submitted {:?}", self.text),
            Msg::Toggle(i, on) => {
                self.checks[i] = on;
                let state = if on { "checked" } else { "unchecked" };
                self.last = format!("{state} box {}", i + 1);
            }
            Msg::Pressed(name) => self.last = format!("pressed {name}"),
            Msg::Row(i) => {
                self.selected = Some(i);
                self.last = format!("row {i}");
            }
            Msg::Fruit(i) => {
                self.fruit = Some(i);
                self.last = format!("picked {}", FRUIT[i]);
            }
            Msg::Menu(name) => self.last = format!("menu {name}"),
            Msg::ShowDialog => {
                self.dialog = true;
                self.last = "opened the dialog".to_owned();
            }
            Msg::CloseDialog => {
                self.dialog = false;
                self.last = "closed the dialog".to_owned();
            }
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let panels = row()
            .spacing(0.0)
            .align(Align::Stretch)
            .push(themed(Theme::light(), self.panel("Light")).flex(1.0))
            .push(themed(Theme::dark(), self.panel("Dark")).flex(1.0));
        if !self.dialog {
            return panels.into();
        }
        let body = column()
            .spacing(12.0)
            .push(label(
                "A modal dialog: the view behind is dimmed and inert.",
            ))
            .push(button("OK").primary().on_press(Msg::CloseDialog));
        let about = dialog("About the gallery", body).on_close(Msg::CloseDialog);
        stack().push(panels).push(about).into()
    }
}

impl Gallery {
    fn panel(&self, title: &'static str) -> Element<'_, Msg> {
        let text = column()
            .spacing(4.0)
            .push(label(title).size(22.0).bold())
            .push(label(format!("Last event: {}", self.last)).muted())
            .push(label(
                "Größe — 日本語 ✓ · e\u{301}te\u{301} · Ελληνικά · Кириллица",
            ))
            .push(label("fn main() { println!(\"mono\"); }").mono());
        let buttons = row()
            .push(
                button("Primary")
                    .primary()
                    .on_press(Msg::Pressed("primary")),
            )
            .push(button("Secondary").on_press(Msg::Pressed("secondary")))
            .push(
                button("Delete")
                    .kind(ButtonKind::Danger)
                    .on_press(Msg::Pressed("delete")),
            )
            .push(button("Disabled"));
        let input = column()
            .spacing(6.0)
            .push(
                text_input("Type here", &self.text)
                    .on_input(Msg::Text)
                    .on_submit(Msg::Submitted),
            )
            .push(text_input("Placeholder text", "").on_input(Msg::Text));
        let checks = row()
            .spacing(16.0)
            .push(checkbox("Checked", self.checks[0]).on_toggle(|on| Msg::Toggle(0, on)))
            .push(checkbox("Unchecked", self.checks[1]).on_toggle(|on| Msg::Toggle(1, on)))
            .push(checkbox("Disabled", true));
        let progress = row()
            .spacing(12.0)
            .align(Align::Center)
            .push(container(progress_bar(0.3)).width(140.0))
            .push(container(progress_bar(0.75)).width(140.0))
            .push(spinner().size(20.0));
        let rows = list(100_000, 26.0, move |i| {
            let text = format!("Row {i:>6} · virtualized: only visible rows are built");
            let row_label = if self.selected == Some(i) {
                label(text).bold()
            } else {
                label(text)
            };
            oneloop_widgets::row_item(row_label)
                .selected(self.selected == Some(i))
                .on_press(Msg::Row(i))
                .into()
        });
        let scrolled = scroll(
            column()
                .spacing(4.0)
                .padding(8.0)
                .extend((1..=30).map(|i| label(format!("Scrollable line {i}")))),
        );
        column()
            .padding(20.0)
            .spacing(14.0)
            .push(text)
            .push(buttons)
            .push(input)
            .push(checks)
            .push(progress)
            .push(
                row()
                    .spacing(12.0)
                    .align(Align::Stretch)
                    .flex(1.0)
                    .push(boxed(rows, 2.0, title))
                    .push(boxed(scrolled, 1.0, title)),
            )
            .push(self.popups())
            .into()
    }

    /// The widgets that open popups: a menu bar, a dropdown, a context
    /// menu, a tooltip and a dialog.
    fn popups(&self) -> Element<'_, Msg> {
        let bar = menu_bar([
            menu(
                "File",
                [
                    menu_item("Open…")
                        .on_press(Msg::Menu("open"))
                        .accel("Ctrl+O"),
                    submenu(
                        "Recent",
                        [
                            menu_item("notes.txt").on_press(Msg::Menu("notes.txt")),
                            menu_item("todo.md").on_press(Msg::Menu("todo.md")),
                        ],
                    ),
                    menu_item("Save").accel("Ctrl+S"),
                    menu_item("About…").on_press(Msg::ShowDialog),
                ],
            ),
            menu(
                "Edit",
                [menu_item("Copy")
                    .on_press(Msg::Menu("copy"))
                    .accel("Ctrl+C")],
            ),
        ]);
        let area = context_menu(
            container(label("Right-click for a menu").muted()).padding(6.0),
            [
                menu_item("Cut").on_press(Msg::Menu("cut")),
                menu_item("Paste"),
                menu_item("Dialog…").on_press(Msg::ShowDialog),
            ],
        );
        let controls = row()
            .spacing(12.0)
            .align(Align::Center)
            .push(dropdown(FRUIT, self.fruit).on_select(Msg::Fruit))
            .push(area)
            .push(tooltip(
                button("Dialog…").on_press(Msg::ShowDialog),
                "Opens a modal dialog",
            ));
        column().spacing(8.0).push(bar).push(controls).into()
    }
}

/// `child` in a bordered box that takes `flex` of the spare room.
fn boxed<'a>(child: impl Into<Element<'a, Msg>>, flex: f32, title: &str) -> Element<'a, Msg> {
    let theme = if title == "Dark" {
        Theme::dark()
    } else {
        Theme::light()
    };
    container(child)
        .flex(flex)
        .border(theme.border)
        .align_x(Align::Stretch)
        .align_y(Align::Stretch)
        .into()
}

fn main() -> Result<(), oneloop::RunError> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--png") {
        let Some(path) = args.get(at + 1) else {
            eprintln!("usage: gallery --png FILE");
            std::process::exit(2);
        };
        Harness::with_fonts(Gallery::default(), SIZE.0, SIZE.1, true).save_png(path);
        return Ok(());
    }
    let settings = Settings::window(WindowSettings::new("Gallery").size(SIZE.0, SIZE.1));
    oneloop::run(Gallery::default(), settings)?;
    Ok(())
}
