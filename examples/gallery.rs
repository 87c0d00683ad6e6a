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
    context_menu, dialog, dropdown, image, menu, menu_bar, menu_item, radio_group, slider, split,
    stack, submenu, table, tabs, toggle, tooltip, ImageError, Picture, Selection, SortOrder,
    TableColumn,
};
use oneloop_widgets::{file_picker, FilePicker, PickMode, Picked, PickerMsg};

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
    Size(usize),
    Wrap(bool),
    Volume(f32),
    Tab(usize),
    Sort(usize, SortOrder),
    Select(Selection),
    ShowPicker,
    Picker(PickerMsg),
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
    pub(crate) picker: Option<FilePicker>,
    pub(crate) choices: Choices,
}

/// The state of the radio group, toggle, slider, tabs and table.
pub(crate) struct Choices {
    size: usize,
    wrap: bool,
    volume: f32,
    tab: usize,
    files: Vec<(String, u64)>,
    sort: Option<(usize, SortOrder)>,
    selection: Selection,
    picture: Picture,
    loading: Picture,
    broken: Picture,
}

impl Default for Choices {
    fn default() -> Self {
        let files = (0..1000)
            .map(|i| (format!("photo_{i:04}.jpg"), (i * 7919 % 5000 + 40) as u64))
            .collect();
        Self {
            size: 1,
            wrap: true,
            volume: 60.0,
            tab: 0,
            files,
            sort: None,
            selection: Selection::single(1),
            picture: sunset(),
            loading: Picture::Loading,
            broken: Picture::Failed(ImageError::UnknownFormat),
        }
    }
}

/// A small picture drawn in code: a sky fading to orange over a dark hill.
fn sunset() -> Picture {
    let (w, h) = (240u32, 140u32);
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let t = y as f32 / h as f32;
            let (dx, dy) = (x as f32 - 150.0, y as f32 - 80.0);
            let hill = (y as f32) > 100.0 + 14.0 * ((x as f32) / 40.0).sin();
            let px = if hill {
                [40, 52, 60]
            } else if dx * dx + dy * dy < 22.0 * 22.0 {
                [255, 226, 140]
            } else {
                [
                    (70.0 + 185.0 * t) as u8,
                    (110.0 + 40.0 * t) as u8,
                    (200.0 - 120.0 * t) as u8,
                ]
            };
            rgba.extend_from_slice(&[px[0], px[1], px[2], 255]);
        }
    }
    match oneloop::render::Image::from_rgba8(w, h, rgba) {
        Ok(picture) => Picture::Ready(std::sync::Arc::new(picture)),
        Err(e) => Picture::Failed(ImageError::Corrupt(e.to_string())),
    }
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
            picker: None,
            choices: Choices::default(),
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
            Msg::Size(i) => {
                self.choices.size = i;
                self.last = format!("size {i}");
            }
            Msg::Wrap(on) => {
                self.choices.wrap = on;
                self.last = format!("wrap {on}");
            }
            Msg::Volume(v) => {
                self.choices.volume = v;
                self.last = format!("volume {v}");
            }
            Msg::Tab(i) => self.choices.tab = i,
            Msg::Sort(column, order) => {
                self.choices.sort_files(column, order);
                self.last = format!("sorted by column {column}");
            }
            Msg::Select(selection) => {
                self.last = format!("{} rows selected", selection.len());
                self.choices.selection = selection;
            }
            Msg::ShowPicker => {
                let here = std::env::current_dir().unwrap_or_else(|_| ".".into());
                let mut picker = FilePicker::new(PickMode::File, here);
                picker.open(cx, Msg::Picker);
                self.picker = Some(picker);
            }
            Msg::Picker(msg) => {
                let Some(picker) = &mut self.picker else {
                    return;
                };
                match picker.update(msg, cx, Msg::Picker) {
                    Some(Picked::Path(path)) => {
                        self.last = format!("picked {}", path.display());
                        self.picker = None;
                    }
                    Some(Picked::Cancelled) => {
                        self.last = "cancelled the picker".to_owned();
                        self.picker = None;
                    }
                    None => {}
                }
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
        if let Some(picker) = &self.picker {
            return stack()
                .push(panels)
                .push(file_picker(picker, Msg::Picker))
                .into();
        }
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
            .push(self.choices_row())
            .push(
                row()
                    .spacing(12.0)
                    .align(Align::Stretch)
                    .flex(1.0)
                    .push(boxed(rows, 2.0, title))
                    .push(boxed(scrolled, 1.0, title)),
            )
            .push(self.popups())
            .push(boxed(self.panes(), 1.4, title))
            .into()
    }
}

impl Choices {
    fn sort_files(&mut self, column: usize, order: SortOrder) {
        self.files.sort_by(|a, b| {
            let ord = if column == 0 {
                a.0.cmp(&b.0)
            } else {
                a.1.cmp(&b.1)
            };
            match order {
                SortOrder::Ascending => ord,
                SortOrder::Descending => ord.reverse(),
            }
        });
        self.sort = Some((column, order));
    }
}

impl Gallery {
    /// A radio group, a toggle switch and a slider in one row.
    fn choices_row(&self) -> Element<'_, Msg> {
        let c = &self.choices;
        row()
            .spacing(18.0)
            .align(Align::Center)
            .push(
                radio_group(["Small", "Medium", "Large"], Some(c.size))
                    .horizontal()
                    .on_select(Msg::Size),
            )
            .push(toggle("Wrap", c.wrap).on_toggle(Msg::Wrap))
            .push(
                container(
                    slider(0.0..=100.0, c.volume)
                        .step(5.0)
                        .on_change(Msg::Volume),
                )
                .width(130.0),
            )
            .into()
    }

    /// Tabs over a split pane: a sortable table beside three pictures
    /// (decoded, loading, and one that failed).
    fn panes(&self) -> Element<'_, Msg> {
        let c = &self.choices;
        let files = &c.files;
        let columns = vec![
            TableColumn::new("Name").width(120.0).fill(),
            TableColumn::new("Size").width(90.0),
        ];
        let mut files_table = table(columns, files.len(), move |row, column| match column {
            0 => files[row].0.as_str().into(),
            _ => format!("{} KiB", files[row].1).into(),
        })
        .on_sort(Msg::Sort)
        .selection(&c.selection)
        .on_select(Msg::Select);
        if let Some((column, order)) = c.sort {
            files_table = files_table.sorted_by(column, order);
        }
        let pictures = column()
            .spacing(6.0)
            .padding(6.0)
            .push(
                container(image(&c.picture))
                    .flex(1.0)
                    .align_x(Align::Stretch)
                    .align_y(Align::Stretch),
            )
            .push(
                row()
                    .spacing(6.0)
                    .push(image(&c.loading).size(110.0, 72.0))
                    .push(image(&c.broken).size(110.0, 72.0)),
            );
        tabs(c.tab)
            .on_select(Msg::Tab)
            .tab(
                "Table and images",
                split(files_table, pictures)
                    .initial(0.5)
                    .min_sizes(140.0, 120.0),
            )
            .tab("About", label("Tabs, a split pane, a table and images"))
            .flex(1.0)
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
            ))
            .push(button("Pick a file…").on_press(Msg::ShowPicker));
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
