//! Unit tests of the queue's parts: coalescing, wake-ups, admission.

use super::*;
use crate::geometry::Point;
use crate::input::{ButtonState, PointerButton};
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

#[derive(Default)]
struct Count(AtomicUsize);
impl Notify for Arc<Count> {
    fn notify(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn moved(x: f32) -> Input {
    Input::PointerMoved {
        position: Point::new(x, 0.0),
    }
}

fn press() -> Input {
    Input::PointerButton {
        button: PointerButton::Primary,
        state: ButtonState::Pressed,
        position: Point::new(0.0, 0.0),
    }
}

#[test]
fn only_adjacent_pointer_moves_merge() {
    let mut q = VecDeque::new();
    for input in [
        moved(1.0),
        moved(2.0),
        press(),
        moved(3.0),
        moved(4.0),
        moved(5.0),
    ] {
        push_input(&mut q, input);
    }
    assert_eq!(
        q.into_iter().collect::<Vec<_>>(),
        vec![moved(2.0), press(), moved(5.0)]
    );
}

#[test]
fn a_burst_rings_once_and_a_cleared_flag_rings_again() {
    let count = Arc::new(Count::default());
    let (poster, rx) = new_queue::<u32>(Box::new(Arc::clone(&count)), LaneLimits::default());
    for i in 0..1000 {
        poster.post(i).unwrap();
    }
    assert_eq!(count.0.load(Ordering::SeqCst), 1, "one wake for a burst");
    poster.shared().clear_wake();
    assert_eq!(rx.app.try_iter().count(), 1000);
    poster.post(7).unwrap();
    assert_eq!(
        count.0.load(Ordering::SeqCst),
        2,
        "a new burst after the drain wakes again"
    );
}

#[test]
fn try_post_hands_back_when_full_and_after_close() {
    let count = Arc::new(Count::default());
    let limits = LaneLimits { app: 2, io: 2 };
    let (poster, _rx) = new_queue::<&str>(Box::new(count), limits);
    poster.try_post("a").unwrap();
    poster.try_post("b").unwrap();
    assert_eq!(poster.try_post("c"), Err(PostError::Full("c")));
    poster.shared().close();
    assert_eq!(poster.try_post("d"), Err(PostError::Closed("d")));
    assert_eq!(poster.post("e"), Err(PostError::Closed("e")));
}

#[test]
fn a_full_lane_parks_the_producer_until_the_loop_releases() {
    let count = Arc::new(Count::default());
    let limits = LaneLimits { app: 4, io: 4 };
    let (poster, rx) = new_queue::<u32>(Box::new(count), limits);
    let producer = {
        let poster = poster.clone();
        thread::spawn(move || (0..100).all(|i| poster.post(i).is_ok()))
    };
    let mut got = Vec::new();
    while got.len() < 100 {
        if let Ok(m) = rx.app.recv_timeout(Duration::from_secs(5)) {
            got.push(m);
            poster.shared().app_admission.release(1);
        } else {
            panic!("producer stalled at {} messages", got.len());
        }
        assert!(
            poster.shared().app_admission.in_flight() <= 4,
            "the limit holds"
        );
    }
    assert!(producer.join().unwrap());
    assert_eq!(
        got,
        (0..100).collect::<Vec<_>>(),
        "nothing lost, order kept"
    );
}

#[test]
fn closing_releases_a_parked_producer_with_its_message() {
    let count = Arc::new(Count::default());
    let (poster, _rx) = new_queue::<u32>(Box::new(count), LaneLimits { app: 1, io: 1 });
    poster.post(1).unwrap();
    let parked = {
        let poster = poster.clone();
        thread::spawn(move || poster.post(2))
    };
    thread::sleep(Duration::from_millis(20));
    poster.shared().close();
    assert_eq!(parked.join().unwrap(), Err(PostError::Closed(2)));
}

#[test]
fn a_dropped_poster_gives_its_unspent_slots_back() {
    let count = Arc::new(Count::default());
    let (poster, rx) = new_queue::<u32>(Box::new(count), LaneLimits::default());
    let lane = &poster.shared().app_admission;
    let quiet = poster.clone();
    quiet.post(1).unwrap();
    assert!(lane.in_flight() > 1, "a chunk was taken, not one slot");
    drop(quiet);
    assert_eq!(lane.in_flight(), 1, "only the queued message still counts");
    assert_eq!(rx.app.try_iter().count(), 1);
    lane.release(1);
    assert_eq!(lane.in_flight(), 0);
}

#[test]
fn one_poster_shared_by_threads_spends_each_slot_once() {
    const THREADS: usize = 4;
    const EACH: u32 = 20_000;
    let count = Arc::new(Count::default());
    let limits = LaneLimits { app: 4096, io: 4 };
    let (poster, rx) = new_queue::<u32>(Box::new(count), limits);
    let watcher = poster.clone();
    let lane = &watcher.shared().app_admission;
    thread::scope(|scope| {
        let shared = &poster;
        for _ in 0..THREADS {
            scope.spawn(move || (0..EACH).all(|i| shared.post(i).is_ok()));
        }
        let mut got = 0;
        while got < THREADS * EACH as usize {
            let batch = rx.app.try_iter().count();
            got += batch;
            lane.release(batch);
            // A slot spent twice would show as a count that wrapped below zero.
            let broken = lane.in_flight() > 4096;
            if broken {
                watcher.shared().close(); // let parked producers go
            }
            assert!(!broken, "the count broke: {}", lane.in_flight());
        }
    });
    drop(poster);
    assert_eq!(lane.in_flight(), 0, "every slot taken was given back once");
}
