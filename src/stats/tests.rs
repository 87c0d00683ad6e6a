//! What `Stats` makes of the loop's reports.

use std::time::{Duration, Instant};

use super::{Stats, SLOWEST_KEPT};
use crate::event::Lane;
use crate::task::Clock;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn the_slowest_handlers_are_kept_slowest_first_with_what_they_handled() {
    let mut stats = Stats::default();
    for (n, took) in [3, 9, 1, 7, 5, 8, 2].into_iter().enumerate() {
        stats.record(Lane::Io, Some(ms(took)), || format!("read #{n}"));
    }
    // An untimed handler counts but never ranks.
    stats.record(Lane::App, None, || unreachable!("untimed"));
    let slowest: Vec<(Duration, &str)> = stats
        .slowest
        .iter()
        .map(|s| (s.took, s.kind.as_str()))
        .collect();
    assert_eq!(
        slowest,
        [
            (ms(9), "read #1"),
            (ms(8), "read #5"),
            (ms(7), "read #3"),
            (ms(5), "read #4"),
            (ms(3), "read #0"),
        ]
    );
    assert_eq!(stats.longest_handler, Some((ms(9), Lane::Io)));
    assert_eq!((stats.count(Lane::Io), stats.count(Lane::App)), (7, 1));
}

#[test]
fn a_handler_no_slower_than_the_kept_ones_is_not_even_described() {
    let mut stats = Stats::default();
    for _ in 0..SLOWEST_KEPT {
        stats.record(Lane::Input, Some(ms(4)), || "key".to_owned());
    }
    stats.record(Lane::Io, Some(ms(4)), || unreachable!("a tie stays out"));
    stats.record(Lane::Io, Some(ms(1)), || unreachable!("faster stays out"));
    assert!(stats.slowest.iter().all(|s| s.lane == Lane::Input));
}

#[test]
fn on_a_virtual_clock_handlers_take_no_time() {
    let mut stats = Stats::for_clock(&Clock::virtual_time());
    stats.record(Lane::Io, Some(ms(50)), || "first".to_owned());
    stats.record(Lane::Io, Some(ms(90)), || "second".to_owned());
    assert_eq!(stats.slowest[0].took, Duration::ZERO);
    assert_eq!(stats.slowest[0].kind, "first");
    assert_eq!(stats.longest_handler, Some((Duration::ZERO, Lane::Io)));
}

#[test]
fn turns_give_rates_queue_depth_and_turn_times() {
    let mut stats = Stats::default();
    let start = Instant::now();
    let mut now = start;
    // Ten turns 100 ms apart, each draining 50 IO messages in 2 ms.
    for turn in 0..=10 {
        stats.begin_turn(50 - turn);
        for _ in 0..50 {
            stats.record(Lane::Io, None, String::new);
        }
        stats.end_turn(now, now + ms(2));
        now += ms(100);
    }
    assert_eq!(stats.queue_depth, 40);
    // The first turn opened the window at +2 ms; the eleventh closed it a
    // second later, having dispatched 500 messages in ten turns since.
    assert_eq!(stats.rate(Lane::Io), 500.0);
    assert_eq!(stats.rates.turns, 10.0);
    assert_eq!(
        stats.rates.queue_depth_peak, 49,
        "the deepest turn after it opened"
    );
    assert_eq!(stats.turn_times.count(), 11);
    assert_eq!(stats.turn_times.max(), ms(2));
}

#[test]
fn the_frame_histogram_holds_the_whole_frame_once_presented() {
    let mut stats = Stats::default();
    stats.record_frame(ms(3));
    stats.frame_presented(ms(11));
    stats.record_frame(ms(2));
    assert_eq!(stats.frames, 2);
    assert_eq!(stats.last_frame, ms(2));
    assert_eq!(stats.frame_times.count(), 2);
    assert_eq!(stats.frame_times.max(), ms(11));
    let buckets: Vec<u64> = stats.frame_times.buckets().map(|b| b.2).collect();
    assert_eq!(buckets, [1, 1], "the 3 ms paint-only sample is gone");
}
