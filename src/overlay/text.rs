//! The overlay's figures as lines of text, kept apart from the drawing so
//! what the panel says can be checked without pixels.

use std::time::Duration;

use crate::event::Lane;
use crate::stats::{Histogram, Stats, SLOWEST_KEPT};

/// One line of the panel.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Line {
    /// Bold text on the left, muted text on the right.
    Title(String, String),
    /// A muted label for the lines below it.
    Heading(String),
    /// Figures, aligned in columns.
    Figures(String),
}

/// Every line the panel shows for `stats`. There are always as many, so
/// the panel keeps its size as figures come and go.
pub(super) fn figures(stats: &Stats) -> Vec<Line> {
    let r = &stats.rates;
    let mut lines = vec![
        Line::Title("oneloop stats".into(), "F12 hides".into()),
        Line::Figures(format!(
            "turns/s {:>7}   frames/s {:>7}",
            rate(r.turns),
            rate(r.frames)
        )),
        Line::Figures(format!(
            "queue   {:>7}   1s peak  {:>7}",
            stats.queue_depth, r.queue_depth_peak
        )),
        Line::Heading("messages per second".into()),
        Line::Figures(format!(
            "input   {:>7}   timer    {:>7}",
            rate(stats.rate(Lane::Input)),
            rate(stats.rate(Lane::Timer))
        )),
        Line::Figures(format!(
            "app     {:>7}   io       {:>7}",
            rate(stats.rate(Lane::App)),
            rate(stats.rate(Lane::Io))
        )),
        Line::Heading("times since start".into()),
        spread("frame", &stats.frame_times),
        spread("turn", &stats.turn_times),
        Line::Figures(format!(
            "panics {}   turns over budget {}",
            stats.panics, stats.budget_exhausted
        )),
        Line::Heading("slowest handlers".into()),
    ];
    for rank in 0..SLOWEST_KEPT {
        lines.push(Line::Figures(match stats.slowest.get(rank) {
            // The kind starts with the lane ("Io(..)", "io: Msg"), so the
            // lane needs no column of its own.
            Some(slow) => format!("{:>6}  {}", duration(slow.took), slow.kind),
            None => String::new(),
        }));
    }
    lines
}

/// The median, the 99th percentile and the maximum of `times`.
fn spread(name: &str, times: &Histogram) -> Line {
    Line::Figures(format!(
        "{name:<6} p50 {:>6}  p99 {:>6}  max {:>6}",
        duration(times.percentile(0.5)),
        duration(times.percentile(0.99)),
        duration(times.max())
    ))
}

/// A rate in at most seven characters.
fn rate(per_second: f64) -> String {
    match per_second {
        r if r < 10.0 => format!("{r:.1}"),
        r if r < 100_000.0 => format!("{r:.0}"),
        r if r < 100_000_000.0 => format!("{:.0}k", r / 1e3),
        r => format!("{:.0}M", r / 1e6),
    }
}

/// A duration in at most six characters.
fn duration(took: Duration) -> String {
    let ms = took.as_secs_f64() * 1e3;
    match ms {
        _ if took.is_zero() => "0µs".to_owned(),
        _ if took < Duration::from_micros(1) => "<1µs".to_owned(),
        ms if ms < 1.0 => format!("{}µs", took.as_micros()),
        ms if ms < 10.0 => format!("{ms:.2}ms"),
        ms if ms < 100.0 => format!("{ms:.1}ms"),
        ms if ms < 10_000.0 => format!("{ms:.0}ms"),
        ms => format!("{:.1}s", ms / 1e3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<&str> {
        lines
            .iter()
            .map(|line| match line {
                Line::Title(s, _) | Line::Heading(s) | Line::Figures(s) => s.as_str(),
            })
            .collect()
    }

    #[test]
    fn figures_fit_their_columns() {
        assert_eq!(rate(4.04), "4.0");
        assert_eq!(rate(10_240.0), "10240");
        assert_eq!(rate(2_500_000.0), "2500k");
        assert_eq!(rate(3e9), "3000M");
        assert_eq!(duration(Duration::ZERO), "0µs");
        assert_eq!(duration(Duration::from_nanos(500)), "<1µs");
        assert_eq!(duration(Duration::from_micros(420)), "420µs");
        assert_eq!(duration(Duration::from_micros(3_140)), "3.14ms");
        assert_eq!(duration(Duration::from_micros(16_700)), "16.7ms");
        assert_eq!(duration(Duration::from_millis(2_300)), "2300ms");
        assert_eq!(duration(Duration::from_secs(42)), "42.0s");
    }

    #[test]
    fn the_panel_names_rates_times_and_the_slowest_handlers() {
        let mut stats = Stats::default();
        stats.rates.per_lane = [0.0, 2.0, 4.0, 5120.0, 10_240.0];
        stats.rates.turns = 243.0;
        stats.queue_depth = 17;
        stats.frame_times.record(Duration::from_millis(3));
        stats.record(Lane::Io, Some(Duration::from_millis(12)), || {
            "Io(Loaded(\"a.txt\"))".to_owned()
        });
        let lines = figures(&stats);
        let all = text(&lines);
        assert!(
            all.contains(&"turns/s     243   frames/s     0.0"),
            "{all:#?}"
        );
        assert!(
            all.contains(&"queue        17   1s peak        0"),
            "{all:#?}"
        );
        assert!(
            all.contains(&"app        5120   io         10240"),
            "{all:#?}"
        );
        // The median is the middle of the 2.56–3.07 ms bucket; the max is exact.
        assert!(all.contains(&"frame  p50 2.82ms  p99 2.82ms  max 3.00ms"));
        assert!(all.contains(&"12.0ms  Io(Loaded(\"a.txt\"))"), "{all:#?}");
        // Room for every slowest handler, whether or not there are five yet.
        let empty = Stats::default();
        assert_eq!(figures(&empty).len(), lines.len());
    }
}
