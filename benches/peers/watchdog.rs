//! What the blocked-loop watchdog costs a healthy loop: the throughput,
//! wake-latency and idle-CPU runs of oneloop with the watchdog on, next to
//! the same runs with it off, interleaved.

use oneloop::{Settings, WatchdogSettings};

use crate::report::{Better, Cell, Clause, Row};
use crate::work::Percentiles;
use crate::{idle, interleave, latency, throughput, Config, Run};

/// The peer column: the same loop without the watchdog.
const OFF: &str = "watchdog off";

/// A headless loop's settings with the watchdog on or off.
fn settings(on: bool) -> Settings {
    let mut settings = Settings::headless();
    settings.watchdog = on.then(WatchdogSettings::default);
    settings
}

/// Three rows: 8-producer throughput, idle wake p50, idle CPU.
pub fn rows(config: &Config) -> Vec<Row> {
    vec![throughput_row(config), wake_row(config), idle_row(config)]
}

fn throughput_row(config: &Config) -> Row {
    let n = throughput::messages(config);
    let mut subjects: Vec<(&'static str, Run<'_, f64>)> = vec![
        (
            "watchdog on",
            Box::new(move || throughput::oneloop(n, 8, settings(true))),
        ),
        (
            OFF,
            Box::new(move || throughput::oneloop(n, 8, settings(false))),
        ),
    ];
    let name = "watchdog on: throughput, 8 producers";
    let mut cells = interleave(name, config.repetitions, &mut subjects).into_iter();
    let mut next = || Cell::from_outcomes(cells.next().unwrap_or_default());
    Row::new(name, "M msg/s", Better::Higher, next())
        .peer(OFF, next())
        .goal("≥0.95× off", vec![Clause::RatioAtLeast(OFF, 0.95)])
}

fn wake_row(config: &Config) -> Row {
    let n = latency::messages(config);
    let mut subjects: Vec<(&'static str, Run<'_, Percentiles>)> = vec![
        (
            "watchdog on",
            Box::new(move || latency::oneloop(n, settings(true))),
        ),
        (OFF, Box::new(move || latency::oneloop(n, settings(false)))),
    ];
    let name = "watchdog on: idle wake p50";
    let runs = interleave(name, config.repetitions, &mut subjects);
    let p50 = |subject| Percentiles::cell(&runs, subject, |p| p.p50);
    Row::new(name, "µs", Better::Lower, p50(0))
        .peer(OFF, p50(1))
        .goal("≤1.05× off", vec![Clause::RatioAtLeast(OFF, 1.0 / 1.05)])
}

fn idle_row(config: &Config) -> Row {
    let modes = ["oneloop-idle-watchdog-on", "oneloop-idle-watchdog-off"];
    let mut cells = idle::headless_cells(config, "watchdog idle CPU", &modes).into_iter();
    let mut next = || {
        cells
            .next()
            .unwrap_or(Cell::Skipped("failed: not run".to_owned()))
    };
    Row::new("watchdog on: idle CPU", "ms/10 s", Better::Lower, next())
        .peer(OFF, next())
        // schedstat counts nanoseconds; below a microsecond is nothing.
        .floor(0.001)
        .goal("<1 ms per 10 s", vec![Clause::Below(1.0)])
}
