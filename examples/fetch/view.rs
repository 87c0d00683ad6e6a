//! What the fetcher shows: the URL bar, a summary with the spinner, the
//! list of downloads and the preview of the selected one.

use std::time::{Duration, Instant};

use oneloop::render::Color;
use oneloop::{Element, Theme};
use oneloop_widgets::{
    button, column, container, label, list, progress_bar, row, spinner, text_input, Align,
};

use super::model::{Download, Fetcher, Msg, State};

const ROW_HEIGHT: f32 = 30.0;

/// Below this window width a row keeps only status, URL and size.
const NARROW: f32 = 760.0;

pub(crate) fn view(app: &Fetcher) -> Element<'_, Msg> {
    let theme = theme(app);
    column()
        .padding(12.0)
        .spacing(10.0)
        .push(url_bar(app))
        .push(summary(app))
        .push(
            row()
                .spacing(12.0)
                .align(Align::Stretch)
                .flex(1.0)
                .push(
                    container(downloads(app, &theme))
                        .flex(if app.width > 0.0 && app.width < NARROW {
                            1.7
                        } else {
                            1.4
                        })
                        .border(theme.border)
                        .align_x(Align::Stretch)
                        .align_y(Align::Stretch),
                )
                .push(
                    container(preview(app, &theme))
                        .flex(1.0)
                        .border(theme.border)
                        .padding(8.0)
                        .align_x(Align::Stretch)
                        .align_y(Align::Stretch),
                ),
        )
        .into()
}

pub(crate) fn theme(app: &Fetcher) -> Theme {
    if app.dark {
        Theme::dark()
    } else {
        Theme::light()
    }
}

fn url_bar(app: &Fetcher) -> Element<'_, Msg> {
    let selected_running = app
        .selected
        .and_then(|i| app.downloads.get(i))
        .is_some_and(Download::is_running);
    let any_running = app.running() > 0;
    row()
        .spacing(8.0)
        .align(Align::Center)
        .push(
            Element::from(
                text_input(
                    "URLs to fetch (paste several, separated by spaces)",
                    &app.url_text,
                )
                .flex(1.0)
                .on_input(Msg::UrlChanged)
                .on_submit(Msg::Fetch),
            )
            .key("url"),
        )
        .push(
            button("Fetch")
                .primary()
                .on_press_maybe((!app.url_text.trim().is_empty()).then_some(Msg::Fetch)),
        )
        .push(button("Cancel").on_press_maybe(selected_running.then_some(Msg::Cancel)))
        .push(button("Cancel all").on_press_maybe(any_running.then_some(Msg::CancelAll)))
        .into()
}

fn summary(app: &Fetcher) -> Element<'_, Msg> {
    let running = app.running();
    let bytes: u64 = app.downloads.iter().map(received).sum();
    let text = if app.downloads.is_empty() {
        "Type or paste URLs and press Enter".to_owned()
    } else {
        format!(
            "{running} running · {} · {}",
            tally_text(app),
            human_bytes(bytes)
        )
    };
    let mut line = row()
        .spacing(10.0)
        .align(Align::Center)
        .push(label(text).flex(1.0));
    if running > 0 {
        line = line.push(spinner().size(18.0));
    }
    line.into()
}

/// `3 ok · 1 failed`, leaving out what is zero.
fn tally_text(app: &Fetcher) -> String {
    let parts: Vec<String> = app
        .tally()
        .split(", ")
        .filter_map(|pair| {
            let (word, n) = pair.split_once('=')?;
            (n != "0").then(|| format!("{n} {word}"))
        })
        .collect();
    if parts.is_empty() {
        "none ended yet".to_owned()
    } else {
        parts.join(" · ")
    }
}

fn received(d: &Download) -> u64 {
    d.received
}

fn downloads<'a>(app: &'a Fetcher, theme: &Theme) -> Element<'a, Msg> {
    if app.downloads.is_empty() {
        return container(label("No downloads yet").muted()).center().into();
    }
    let theme = theme.clone();
    let now = app.now.unwrap_or_else(Instant::now);
    let wide = app.width == 0.0 || app.width >= NARROW;
    list(app.downloads.len(), ROW_HEIGHT, move |i| {
        download_row(
            &app.downloads[i],
            app.selected == Some(i),
            i,
            (now, wide),
            &theme,
        )
    })
    .keep_visible(app.selected)
    .into()
}

fn download_row<'a>(
    d: &'a Download,
    selected: bool,
    index: usize,
    (now, wide): (Instant, bool),
    theme: &Theme,
) -> Element<'a, Msg> {
    let (mut status, color) = status_text(&d.state, theme);
    if !wide {
        // Only the code ("404") or the first word ("cancelled") fits.
        status = status.split(' ').next().unwrap_or_default().to_owned();
    }
    let fraction = match &d.state {
        State::Receiving {
            received,
            total: Some(t),
            ..
        } => (*received as f32 / (*t).max(1) as f32).min(1.0),
        State::Done(_) => 1.0,
        _ => 0.0,
    };
    let bar: Element<'a, Msg> = if matches!(
        d.state,
        State::Receiving { total: None, .. } | State::Waiting
    ) {
        progress_bar(0.0).indeterminate().into()
    } else {
        progress_bar(fraction).into()
    };
    let mut content = row()
        .spacing(10.0)
        .align(Align::Center)
        .padding(4.0)
        .push(container(label(status).color(color)).width(if wide { 118.0 } else { 78.0 }))
        // The scheme says little and the path says much: show the rest.
        .push(
            label(
                d.url
                    .split_once("://")
                    .map_or(d.url.as_str(), |(_, rest)| rest),
            )
            .flex(1.0),
        );
    if wide {
        content = content.push(container(bar).width(80.0));
    }
    content = content.push(
        container(label(human_bytes(received(d))).muted())
            .width(72.0)
            .align_x(Align::End),
    );
    if wide {
        content = content.push(
            container(label(short_duration(d.took(now))).muted())
                .width(56.0)
                .align_x(Align::End),
        );
    }
    oneloop_widgets::row_item(content)
        .selected(selected)
        .on_press(Msg::Select(index))
        .into()
}

fn status_text(state: &State, theme: &Theme) -> (String, Color) {
    match state {
        State::Waiting => ("connecting".into(), theme.text_muted),
        State::Receiving { status, .. } => (format!("{status} receiving"), theme.accent),
        State::Done(done) if (200..300).contains(&done.status) => {
            (format!("{} {}", done.status, done.reason), theme.success)
        }
        State::Done(done) => (format!("{} {}", done.status, done.reason), theme.danger),
        State::Failed(_) => ("failed".into(), theme.danger),
        State::Cancelled => ("cancelled".into(), theme.text_muted),
    }
}

fn preview<'a>(app: &'a Fetcher, theme: &Theme) -> Element<'a, Msg> {
    let Some(d) = app.selected.and_then(|i| app.downloads.get(i)) else {
        return label("Select a download to see its response")
            .muted()
            .into();
    };
    let body: Element<'a, Msg> = match &d.state {
        State::Waiting | State::Receiving { .. } => label("Receiving…").muted().into(),
        State::Cancelled => label("Cancelled").muted().into(),
        State::Failed(reason) => label(reason.as_str()).color(theme.danger).wrap().into(),
        State::Done(done) => response_lines(done),
    };
    column()
        .spacing(8.0)
        .push(label(d.url.as_str()).bold())
        .push(
            container(body)
                .flex(1.0)
                .align_x(Align::Stretch)
                .align_y(Align::Stretch),
        )
        .into()
}

/// The headers, a blank line, then the body's first lines (or a note that
/// it is binary).
fn response_lines(done: &super::model::Done) -> Element<'_, Msg> {
    let mut lines: Vec<String> = vec![format!("HTTP {} {}", done.status, done.reason)];
    lines.extend(done.headers.iter().map(|(n, v)| format!("{n}: {v}")));
    lines.push(String::new());
    if done.head.contains(&0) {
        lines.push(format!("(binary body, {})", human_bytes(done.size)));
    } else {
        let text = String::from_utf8_lossy(&done.head);
        lines.extend(
            text.lines()
                .take(2000)
                .map(|l| l.chars().take(300).collect::<String>()),
        );
        if done.size > done.head.len() as u64 {
            lines.push(format!("… ({} in all)", human_bytes(done.size)));
        }
    }
    list(lines.len(), 17.0, move |i| {
        label(lines[i].clone()).mono().size(12.0).into()
    })
    .into()
}

/// `12 ms`, `1.3 s`.
fn short_duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1e3)
    }
}

pub(crate) fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
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
