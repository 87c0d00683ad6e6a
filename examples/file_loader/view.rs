//! What the loader shows: the path bar, the overall progress, the list of
//! entries with a live status each, the preview, and a status bar that makes
//! the one queue visible.

use oneloop::render::Color;
use oneloop::{Element, Lane, Theme};
use oneloop_widgets::{
    button, column, container, label, list, progress_bar, row, spinner, text_input, Align,
};

use super::model::{Batch, Entry, Listing, Loader, Msg, Status};
use super::preview::Preview;

const ROW_HEIGHT: f32 = 26.0;

pub(crate) fn view(app: &Loader) -> Element<'_, Msg> {
    let theme = theme(app);
    column()
        .padding(12.0)
        .spacing(10.0)
        .push(path_bar(app))
        .push(progress(app, &theme))
        .push(
            row()
                .spacing(12.0)
                .align(Align::Stretch)
                .flex(1.0)
                .push(
                    container(entries(app, &theme))
                        .flex(1.0)
                        .border(theme.border)
                        .align_x(Align::Stretch)
                        .align_y(Align::Stretch),
                )
                .push(
                    container(preview(app, &theme))
                        .flex(1.15)
                        .border(theme.border)
                        .padding(8.0)
                        .align_x(Align::Stretch)
                        .align_y(Align::Stretch),
                ),
        )
        .push(status_bar(app))
        .into()
}

pub(crate) fn theme(app: &Loader) -> Theme {
    if app.dark {
        Theme::dark()
    } else {
        Theme::light()
    }
}

fn path_bar(app: &Loader) -> Element<'_, Msg> {
    let loading = app.is_loading();
    let ready = matches!(app.listing, Listing::Ready(_)) && !app.entries.is_empty();
    row()
        .spacing(8.0)
        .align(Align::Center)
        .push(
            Element::from(
                text_input("Directory to load", &app.path_text)
                    .flex(1.0)
                    .on_input(Msg::PathChanged)
                    .on_submit(Msg::Open),
            )
            .key("path"),
        )
        .push(button("Open").on_press(Msg::Open))
        .push(
            button("Load all")
                .primary()
                .on_press_maybe((ready && !loading).then_some(Msg::LoadAll)),
        )
        .push(button("Cancel").on_press_maybe(loading.then_some(Msg::Cancel)))
        .into()
}

fn progress<'a>(app: &'a Loader, theme: &Theme) -> Element<'a, Msg> {
    let summary = match (&app.listing, &app.batch) {
        (Listing::Failed(error), _) => return label(error.as_str()).color(theme.danger).into(),
        (Listing::Loading(dir), _) => format!("Listing {} …", dir.display()),
        (Listing::Empty, _) => "Type a directory and press Enter".to_owned(),
        (Listing::Ready(dir), None) => {
            format!("{} entries in {}", app.entries.len(), dir.display())
        }
        (Listing::Ready(_), Some(batch)) => batch_summary(batch),
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

fn batch_summary(batch: &Batch) -> String {
    let secs = batch.elapsed().as_secs_f64().max(1e-3);
    let verb = if batch.is_running() {
        "Loading"
    } else {
        "Loaded"
    };
    format!(
        "{verb} {} / {} files · {} failed · {} · {:.0} files/s · {:.0} MB/s",
        batch.done,
        batch.total,
        batch.failed,
        human_bytes(batch.bytes),
        batch.done as f64 / secs,
        batch.bytes as f64 / secs / 1e6
    )
}

fn entries<'a>(app: &'a Loader, theme: &Theme) -> Element<'a, Msg> {
    let theme = theme.clone();
    list(app.entries.len(), ROW_HEIGHT, move |index| {
        entry_row(app, &app.entries[index], index, &theme)
    })
    .keep_visible(app.selected)
    .into()
}

fn entry_row<'a>(
    app: &'a Loader,
    entry: &'a Entry,
    index: usize,
    theme: &Theme,
) -> Element<'a, Msg> {
    let (status, color) = status_text(&entry.status, theme);
    let selected = app.selected == Some(index);
    let content = row()
        .spacing(10.0)
        .align(Align::Center)
        .padding(4.0)
        .push(label(entry.name.as_str()).flex(1.0))
        .push(container(label(short_kind(entry.kind)).muted()).width(70.0))
        .push(
            container(label(human_bytes(entry.size)).muted())
                .width(80.0)
                .align_x(Align::End),
        )
        .push(container(label(status).color(color)).width(190.0));
    oneloop_widgets::row_item(content)
        .selected(selected)
        .on_press(Msg::Select(index))
        .into()
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
    row()
        .spacing(16.0)
        .push(label(text).muted().size(12.0).flex(1.0))
        .push(
            label("^O path · ^L load · Esc cancel · ^D theme · ^Q quit")
                .muted()
                .size(12.0),
        )
        .into()
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
