//! Lane ordering and coalescing as properties: random interleavings of app
//! messages from several producers, input (pointer moves, clicks, keys) and
//! blocking-work completions, posted into a real windowless loop between
//! turns, with small budgets so the app and IO lanes straddle turns.
//!
//! Every posted item carries a stamp, its place in the order things were
//! posted. After the loop settles, the delivered stream must show:
//! - app and IO messages: each stamp exactly once (the multiset matches);
//! - each producer's app messages in the order it posted them;
//! - input: the posted sequence, split where a turn took it, with runs of
//!   adjacent pointer moves collapsed to their last;
//! - no input overtaken by an app message or a completion posted after it;
//! - within a turn, all input before any app message or completion.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::time::Duration;

use oneloop::{
    App, Budget, ButtonState, Cx, Event, EventLoop, Input, Key, Point, PointerButton, Poster,
    Settings,
};
use proptest::prelude::*;

const PRODUCERS: usize = 3;

/// One step of a script.
#[derive(Debug, Clone)]
enum Step {
    /// An app message from producer `n` through its own `Poster`.
    App(usize),
    /// A pointer move.
    Move,
    /// A primary-button press or release.
    Click(bool),
    /// A key press.
    Key,
    /// Blocking work on the pool; its completion comes back as `Event::Io`.
    Io,
    /// One turn of the loop, without waiting.
    Turn,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..PRODUCERS).prop_map(Step::App),
        4 => Just(Step::Move),
        1 => any::<bool>().prop_map(Step::Click),
        1 => Just(Step::Key),
        2 => Just(Step::Io),
        2 => Just(Step::Turn),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Input,
    App(usize),
    Io,
}

#[derive(Debug)]
enum Msg {
    App(usize, u64),
    Io(u64),
}

/// What the app saw: (turn, lane, stamp) in dispatch order.
#[derive(Default)]
struct Recorder {
    seen: Vec<(u64, Lane, u64)>,
    inputs: Vec<Input>,
}

impl App for Recorder {
    type Message = Msg;
    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        let turn = cx.stats().turns;
        match event {
            Event::App(Msg::App(producer, stamp)) => {
                self.seen.push((turn, Lane::App(producer), stamp));
            }
            Event::Io(Msg::Io(stamp)) => self.seen.push((turn, Lane::Io, stamp)),
            Event::Input(input) => {
                self.seen.push((turn, Lane::Input, stamp_of(&input)));
                self.inputs.push(input);
            }
            _ => {}
        }
    }
}

/// Inputs carry their stamp in their position (exact in an f32 below 2^24)
/// or in a key's text.
fn stamp_of(input: &Input) -> u64 {
    match input {
        Input::PointerMoved { position } | Input::PointerButton { position, .. } => {
            position.x as u64
        }
        Input::Key(key) => match &key.key {
            Key::Character(text) => text.parse().unwrap(),
            other => panic!("unexpected key {other:?}"),
        },
        other => panic!("unexpected input {other:?}"),
    }
}

fn at(stamp: u64) -> Point {
    Point::new(stamp as f32, 5.0)
}

fn make_input(step: &Step, stamp: u64) -> Input {
    match step {
        Step::Move => Input::PointerMoved {
            position: at(stamp),
        },
        Step::Click(pressed) => Input::PointerButton {
            button: PointerButton::Primary,
            state: if *pressed {
                ButtonState::Pressed
            } else {
                ButtonState::Released
            },
            position: at(stamp),
        },
        _ => Input::key_press(Key::Character(stamp.to_string())),
    }
}

/// The input the app must see: split at turns, adjacent moves collapsed.
fn expected_inputs(segments: &[Vec<Input>]) -> Vec<Input> {
    let mut out = Vec::new();
    for segment in segments {
        let mut merged: Vec<Input> = Vec::new();
        for input in segment {
            match merged.last_mut() {
                Some(last) if last.is_pointer_move() && input.is_pointer_move() => {
                    *last = input.clone();
                }
                _ => merged.push(input.clone()),
            }
        }
        out.extend(merged);
    }
    out
}

/// Run `script` and check every property; returns an error naming the first broken one.
fn check(script: &[Step], budget: usize) -> Result<(), TestCaseError> {
    let mut settings = Settings::headless();
    settings.io_threads = 2;
    settings.system_fonts = false;
    settings.budget = Budget {
        messages: budget,
        time: Duration::from_secs(1),
    };
    let mut event_loop = EventLoop::new(Recorder::default(), settings).unwrap();
    event_loop.turn(Duration::ZERO).unwrap(); // Started
    let posters: Vec<Poster<Msg>> = (0..PRODUCERS).map(|_| event_loop.poster()).collect();
    let mut posted: Vec<(Lane, u64)> = Vec::new();
    let mut segments: Vec<Vec<Input>> = vec![Vec::new()];
    for (stamp, step) in (1u64..).zip(script) {
        match step {
            Step::App(p) => {
                posters[*p].post(Msg::App(*p, stamp)).unwrap();
                posted.push((Lane::App(*p), stamp));
            }
            Step::Io => {
                event_loop
                    .cx()
                    .blocking(move |_| stamp, |r| Msg::Io(r.unwrap()));
                posted.push((Lane::Io, stamp));
            }
            Step::Turn => {
                event_loop.turn(Duration::ZERO).unwrap();
                segments.push(Vec::new());
            }
            input => {
                let input = make_input(input, stamp);
                posters[0].post_input(input.clone()).unwrap();
                segments.last_mut().unwrap().push(input);
                posted.push((Lane::Input, stamp));
            }
        }
    }
    prop_assert!(event_loop
        .run_until_settled(Duration::from_secs(20))
        .unwrap());
    let app = event_loop.app();

    // Input: the posted sequence with adjacent moves collapsed per turn.
    prop_assert_eq!(&app.inputs, &expected_inputs(&segments));

    // App and IO: every stamp exactly once.
    let mut sent: Vec<u64> = posted
        .iter()
        .filter(|(lane, _)| *lane != Lane::Input)
        .map(|(_, s)| *s)
        .collect();
    let mut got: Vec<u64> = app
        .seen
        .iter()
        .filter(|(_, lane, _)| *lane != Lane::Input)
        .map(|(_, _, s)| *s)
        .collect();
    sent.sort_unstable();
    got.sort_unstable();
    prop_assert_eq!(got, sent, "app/IO messages lost or doubled");

    // Each producer's order.
    for p in 0..PRODUCERS {
        let stamps: Vec<u64> = app
            .seen
            .iter()
            .filter(|(_, lane, _)| *lane == Lane::App(p))
            .map(|(_, _, s)| *s)
            .collect();
        prop_assert!(
            stamps.windows(2).all(|w| w[0] < w[1]),
            "producer {} out of order: {:?}",
            p,
            stamps
        );
    }

    // No input overtaken by a later app message or completion, and within
    // a turn no input after an app message or completion.
    let mut latest_other: Option<u64> = None;
    let mut last_other_turn: Option<u64> = None;
    for (turn, lane, stamp) in &app.seen {
        if *lane == Lane::Input {
            if let Some(other) = latest_other {
                prop_assert!(
                    other < *stamp,
                    "message {} (posted after input {}) was dispatched before it",
                    other,
                    stamp
                );
            }
            prop_assert!(
                last_other_turn != Some(*turn),
                "input {} came after an app/IO message in turn {}",
                stamp,
                turn
            );
        } else {
            latest_other = latest_other.max(Some(*stamp));
            last_other_turn = Some(*turn);
        }
    }
    Ok(())
}

proptest! {
    // Each case starts a loop with its worker pool; 48 cases stay quick on two cores.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn lanes_keep_order_and_coalesce_only_adjacent_moves(
        script in prop::collection::vec(step(), 1..400),
        budget in prop_oneof![Just(8usize), Just(40), Just(1024)],
    ) {
        check(&script, budget)?;
    }
}

#[test]
fn the_property_checker_catches_a_merged_click() {
    // The checker itself: a script whose click separates two moves must
    // expect both moves, so collapsing across the click would be caught.
    let moves = |x: u64| Input::PointerMoved { position: at(x) };
    let click = make_input(&Step::Click(true), 2);
    let expected = expected_inputs(&[vec![moves(1), click.clone(), moves(3), moves(4)]]);
    assert_eq!(expected, vec![moves(1), click, moves(4)]);
    check(
        &[Step::Move, Step::Click(true), Step::Move, Step::Move],
        1024,
    )
    .unwrap();
}

/// Asks for a redraw on every message.
#[derive(Default)]
struct Redrawer(u32);

impl App for Redrawer {
    type Message = ();
    fn update(&mut self, event: Event<()>, cx: &mut Cx<()>) {
        if let Event::App(()) = event {
            self.0 += 1;
            cx.request_redraw();
        }
    }
}

#[test]
fn a_thousand_redraw_requests_between_frames_make_one_frame() {
    let mut harness = oneloop::testing::Harness::new(Redrawer::default());
    harness.render();
    let frames = harness.cx().stats().frames;
    assert!(!harness.wants_frame(), "an idle app wants no frame");
    let poster = harness.poster();
    for _ in 0..1000 {
        poster.post(()).unwrap();
    }
    harness.settle();
    assert_eq!(harness.app().0, 1000);
    assert!(harness.wants_frame());
    harness.render();
    assert!(!harness.wants_frame(), "one frame answered every request");
    assert_eq!(harness.cx().stats().frames, frames + 1);
}
