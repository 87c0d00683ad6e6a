//! What the loader shows: the path bar, the overall progress, the list of
//! entries with a live status each, the preview, and a status bar that makes
//! the one queue visible.

use oneloop::render::Color;
use oneloop::{Element, Lane, Theme};
use oneloop_widgets::{
    button, column, container, file_picker, label, list, progress_bar, row, space, spinner, stack,
    table, text_input, Align, Flex, Selection, TableColumn,
};

use super::model::{Listing, Loader, Msg, Status};
use super::order::{batch_summary, thousands, SortKey};
use super::preview::Preview;

/// Below this width the preview goes under the table instead of beside it.
const SIDE_BY_SIDE: f32 = 900.0;
/// Below this height, unless side by side, the preview gives the table its room.
const TALL: f32 = 480.0;
/// Below this width the buttons get a row of their own, the kind column
/// and the shortcut help go.
const NARROW: f32 = 640.0;

pub(crate) fn view(app: &Loader) -> Element<'_, Msg> {
    let theme = theme(app);
    let wide = app.window.w >= SIDE_BY_SIDE;
    // Side by side the preview keeps room for a whole hex row (78 columns).
    let table_pane = container(entries(app, &theme))
        .flex(if wide { 1.0 } else { 1.6 })
        .align_x(Align::Stretch)
        .align_y(Align::Stretch);
    let preview_pane = container(preview(app, &theme))
        .flex(if wide { 1.05 } else { 1.0 })
        .outlined()
        .padding(8.0)
        .align_x(Align::Stretch)
        .align_y(Align::Stretch);
    let mut panes = if wide { row() } else { column() }
        .spacing(12.0)
        .align(Align::Stretch)
        .flex(1.0)
        .push(table_pane);
    if wide || app.window.h >= TALL {
        panes = panes.push(preview_pane);
    }
    let page = column()
        .padding(12.0)
        .spacing(10.0)
        .push(path_bar(app))
        .push(progress(app, &theme))
        .push(panes)
        .push(status_bar(app));
    let mut screen = stack().push(page);
    if let Some(picker) = &app.picker {
        screen = screen.push(file_picker(picker, Msg::Picker));
    }
    screen.into()
}

pub(crate) fn theme(app: &Loader) -> Theme {
    if app.dark {
        Theme::dark()
    } else {
        Theme::light()
    }
}

fn path_bar<'a>(app: &'a Loader) -> Element<'a, Msg> {
    let loading = app.is_loading();
    let ready = matches!(app.listing, Listing::Ready(_)) && !app.entries.is_empty();
    let field = Element::from(
        text_input("Directory to load", &app.path_text)
            .flex(1.0)
            .on_input(Msg::PathChanged)
            .on_submit(Msg::Open),
    )
    .key("path");
    let actions = |line: Flex<'a, Msg>| {
        line.push(
            button("Load all")
                .primary()
                .on_press_maybe((ready && !loading).then_some(Msg::LoadAll)),
        )
        .push(button("Cancel").on_press_maybe(loading.then_some(Msg::Cancel)))
    };
    let place = row().spacing(8.0).align(Align::Center).push(field);
    if app.window.w < NARROW {
        // The field keeps a useful width; the batch buttons go below it.
        let place = place.push(button("Open…").on_press(Msg::Browse));
        let batch = actions(row().spacing(8.0).align(Align::Center).push(space()));
        return column().spacing(8.0).push(place).push(batch).into();
    }
    actions(
        place
            .push(button("Go").on_press(Msg::Open))
            .push(button("Open…").on_press(Msg::Browse)),
    )
    .into()
}

fn progress<'a>(app: &'a Loader, theme: &Theme) -> Element<'a, Msg> {
    let summary = match (&app.hovering, &app.listing, &app.batch) {
        (Some(path), _, _) => {
            let drop = format!("Drop to open {}", path.display());
            return label(drop).color(theme.accent).bold().into();
        }
        (None, Listing::Failed(error), _) => {
            return label(error.as_str()).color(theme.danger).into()
        }
        (None, Listing::Loading(dir), _) => format!("Listing {} …", dir.display()),
        (None, Listing::Empty, _) => "Type a directory and press Enter".to_owned(),
        (None, Listing::Ready(dir), None) => {
            format!(
                "{} entries in {}",
                thousands(app.entries.len()),
                dir.display()
            )
        }
        (None, Listing::Ready(_), Some(batch)) => batch_summary(batch),
    };
    let fraction = app
        .batch
        .as_ref()
        .map_or(0.0, |b| b.done as f32 / b.total.max(1) as f32);
    let mut line = row()
        .spacing(10.0)
        .align(Align::Center)
        .push(label(summary).flex(1.0));
    if app.is_loading() {
        line = line.push(spinner().size(18.0));
    }
    column()
        .spacing(6.0)
        .push(line)
        .push(progress_bar(fraction))
        .into()
}

fn entries<'a>(app: &'a Loader, theme: &Theme) -> Element<'a, Msg> {
    let mut keys = vec![SortKey::Name];
    let mut columns = vec![TableColumn::new("Name")
        .width(160.0)
        .min_width(100.0)
        .fill()];
    if app.window.w >= NARROW {
        keys.push(SortKey::Kind);
        columns.push(TableColumn::new("Kind").width(76.0));
    }
    keys.push(SortKey::Size);
    columns.push(TableColumn::new("Size").width(78.0));
    keys.push(SortKey::Status);
    let status_width = if app.window.w >= NARROW { 190.0 } else { 130.0 };
    columns.push(
        TableColumn::new("Status")
            .width(status_width)
            .min_width(70.0),
    );

    let (cell_keys, color_keys, sort_keys) = (keys.clone(), keys.clone(), keys.clone());
    let (muted, status_theme, color_theme) = (theme.text_muted, theme.clone(), theme.clone());
    let order = &app.order;
    let entry = move |row: usize| &app.entries[order[row]];
    let mut table = table(columns, app.entries.len(), move |row, column| {
        let entry = entry(row);
        match cell_keys[column] {
            SortKey::Name => entry.name.as_str().into(),
            SortKey::Kind => short_kind(entry.kind).into(),
            SortKey::Size => human_bytes(entry.size).into(),
            SortKey::Status => status_text(&entry.status, &status_theme).0.into(),
        }
    })
    .cell_color(move |row, column| match color_keys[column] {
        SortKey::Name => None,
        SortKey::Kind | SortKey::Size => Some(muted),
        SortKey::Status => Some(status_text(&entry(row).status, &color_theme).1),
    })
    .on_sort(move |column, order| Msg::Sort(sort_keys[column], order))
    .selection(&app.selection)
    .on_select(move |selection: Selection| {
        let row = selection.cursor().unwrap_or(0);
        Msg::Select(order.get(row).copied().unwrap_or(row))
    })
    .keep_visible(app.selected.map(|index| app.row_of(index)));
    if let Some((key, direction)) = app.sort {
        if let Some(column) = keys.iter().position(|k| *k == key) {
            table = table.sorted_by(column, direction);
        }
    }
    table.into()
}

fn status_text(status: &Status, theme: &Theme) -> (String, Color) {
    match status {
        Status::Idle => (String::new(), theme.text_muted),
        Status::Queued => ("queued".into(), theme.text_muted),
        Status::Loading { done, total } => {
            let percent = total.map_or(0, |t| (*done * 100 / t.max(1)).min(100));
            (format!("loading {percent}%"), theme.accent)
        }
        Status::Loaded(summary) => (
            format!(
                "loaded · {} lines · {}",
                summary.lines,
                short_duration(summary.took)
            ),
            theme.success,
        ),
        Status::Failed(reason) => (reason.text(), theme.danger),
    }
}

fn preview<'a>(app: &'a Loader, theme: &Theme) -> Element<'a, Msg> {
    let title = match app.selected.and_then(|i| app.entries.get(i)) {
        Some(entry) => entry.name.as_str(),
        None => "Preview",
    };
    let body: Element<'a, Msg> = match &app.preview {
        Preview::None => label("Select a file (click, or ↑/↓ and Enter)")
            .muted()
            .into(),
        Preview::Loading(_) => label("Reading…").muted().into(),
        Preview::Error(e) => label(e.as_str()).color(theme.danger).wrap().into(),
        Preview::Text(lines) => numbered(lines),
        // 11 px keeps a whole 16-byte row (78 characters) inside the pane.
        Preview::Hex(lines) => list(lines.len(), 17.0, move |i| {
            label(lines[i].as_str()).mono().size(11.0).into()
        })
        .into(),
    };
    column()
        .spacing(8.0)
        .push(label(title).bold())
        .push(
            container(body)
                .flex(1.0)
                .align_x(Align::Stretch)
                .align_y(Align::Stretch),
        )
        .into()
}

fn numbered(lines: &[String]) -> Element<'_, Msg> {
    list(lines.len(), 18.0, move |i| {
        row()
            .spacing(8.0)
            .push(
                container(label(format!("{}", i + 1)).mono().size(12.0).muted())
                    .width(40.0)
                    .align_x(Align::End),
            )
            .push(label(lines[i].as_str()).mono().size(12.0))
            .into()
    })
    .into()
}

fn status_bar(app: &Loader) -> Element<'_, Msg> {
    let narrow = app.window.w < NARROW;
    let rate = |lane: usize| app.rates.per_lane[lane];
    let longest = app.longest.map_or_else(
        || "–".to_owned(),
        |(d, lane)| format!("{:.1} ms ({})", d.as_secs_f64() * 1e3, lane_name(lane)),
    );
    let text = format!(
        "msgs/s: input {} · timer {} · app {} · io {}  |  queue {}  |  frame {:.1} ms  |  longest handler {}",
        rate(1),
        rate(2),
        rate(3),
        rate(4),
        app.queue_depth,
        app.frame_time.as_secs_f64() * 1e3,
        longest
    );
    let mut bar = row()
        .spacing(16.0)
        .push(label(text).muted().size(12.0).flex(1.0));
    if !narrow {
        bar = bar.push(
            label("^O path · ^L load · Esc cancel · ^D theme · ^Q quit")
                .muted()
                .size(12.0),
        );
    }
    bar.into()
}

/// A short word for an entry's kind, to fit a narrow column.
fn short_kind(kind: oneloop::fs::EntryKind) -> &'static str {
    use oneloop::fs::EntryKind as K;
    match kind {
        K::File => "file",
        K::Dir => "dir",
        K::Symlink => "link",
        K::Fifo => "fifo",
        K::Socket => "socket",
        K::CharDevice | K::BlockDevice => "device",
        _ => "other",
    }
}

/// `0.42 ms`, `12 ms`, `1.3 s`.
fn short_duration(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1e3)
    }
}

fn lane_name(lane: Lane) -> &'static str {
    lane.name()
}

pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
