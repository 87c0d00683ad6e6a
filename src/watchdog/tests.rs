use std::time::Duration;

use super::settings::parse;
use super::{word, Activity, Shown, WatchdogSettings};
use crate::event::Lane;

#[test]
fn the_environment_can_turn_it_off_on_or_set_its_limits() {
    let ms = Duration::from_millis;
    assert_eq!(parse("off"), Ok(None));
    assert_eq!(parse(" 0 "), Ok(None));
    assert_eq!(parse("on"), Ok(Some(WatchdogSettings::default())));
    let threshold = parse("250").ok().flatten().map(|s| s.threshold);
    assert_eq!(threshold, Some(ms(250)));
    let both = parse("250,40").ok().flatten();
    assert_eq!(
        both,
        Some(
            WatchdogSettings::default()
                .threshold(ms(250))
                .frame_budget(ms(40))
        )
    );
    assert!(parse("fast").is_err());
    assert!(parse("250,").is_err());
}

#[test]
fn every_activity_survives_the_heartbeat_word() {
    let all = [
        Activity::Handler(Lane::Lifecycle),
        Activity::Handler(Lane::Input),
        Activity::Handler(Lane::Timer),
        Activity::Handler(Lane::App),
        Activity::Handler(Lane::Io),
        Activity::View,
        Activity::Task,
        Activity::Frame,
    ];
    for (beat, activity) in all.into_iter().enumerate() {
        let inside = word(beat as u64 + 1, activity, true);
        let outside = word(beat as u64 + 1, activity, false);
        assert_ne!(inside, outside);
        assert_eq!(Activity::from_code(inside >> 1), activity);
        assert_eq!(Activity::from_code(outside >> 1), activity);
    }
}

#[test]
fn durations_read_as_a_person_says_them() {
    assert_eq!(Shown(Duration::from_micros(312_400)).to_string(), "312 ms");
    assert_eq!(Shown(Duration::from_millis(2_050)).to_string(), "2.0 s");
}
