//! Model checks of the queue's wake-up and admission protocols with loom.
//!
//! These run the real [`Poster`], [`Wake`] and [`Admission`] code (their
//! atomics, mutex and condvar come from `crate::sync`, which is loom's in
//! this build) through every interleaving loom's memory model allows. The
//! channels themselves are crossbeam's: loom cannot see inside them, so each
//! send and receive is one indivisible step of the model. What is checked is
//! the protocol around them.
//!
//! The loop is modelled as the real one behaves: clear the wake flag, drain
//! the lanes, and go to sleep unless a wake-up is pending. Its sleep is a
//! loom condvar wait with no timeout, so a lost wake-up shows up as a
//! deadlock, which loom reports as a failure.
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --release --lib loom`.

use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;

use super::*;

/// A stand-in for the loop's calloop ping: counts rings, and lets the loop
/// sleep until one came. Like an eventfd, several rings before the loop
/// wakes are one wake-up.
#[derive(Default)]
struct Pinger {
    state: Mutex<Rings>,
    rung: Condvar,
}

#[derive(Default)]
struct Rings {
    /// Rings not yet consumed by the loop.
    pending: usize,
    /// Every ring so far.
    total: usize,
}

impl Pinger {
    /// Sleep until a ring is pending, then consume every pending ring.
    fn sleep(&self) {
        let mut rings = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while rings.pending == 0 {
            rings = self.rung.wait(rings).unwrap_or_else(|e| e.into_inner());
        }
        rings.pending = 0;
    }

    fn total(&self) -> usize {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

/// Shared by the queue (which rings it) and the model's loop (which sleeps on it).
struct SharedPinger(Arc<Pinger>);

impl Notify for SharedPinger {
    fn notify(&self) {
        let mut rings = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        rings.pending += 1;
        rings.total += 1;
        self.0.rung.notify_one();
    }
}

fn queue<M>(limits: LaneLimits) -> (Poster<M>, Receivers<M>, Arc<Pinger>) {
    let pinger = Arc::new(Pinger::default());
    let (poster, rx) = new_queue(Box::new(SharedPinger(Arc::clone(&pinger))), limits);
    (poster, rx, pinger)
}

/// The loop side: clear, drain every lane, release what was taken, and sleep
/// unless a wake-up came, until `expected` messages were seen. Returns them
/// in dispatch order and the number of times the flag was cleared.
fn run_loop(
    poster: &Poster<(usize, u32)>,
    rx: &Receivers<(usize, u32)>,
    pinger: &Pinger,
    expected: usize,
) -> (Vec<(usize, u32)>, usize) {
    let mut got = Vec::new();
    let mut clears = 0;
    loop {
        poster.shared().clear_wake();
        clears += 1;
        let mut from_app = 0;
        while let Ok(msg) = rx.app.try_recv() {
            got.push(msg);
            from_app += 1;
        }
        let lane = &poster.shared().app_admission;
        lane.release(from_app);
        assert!(lane.in_flight() <= lane.limit(), "the limit was passed");
        while let Ok(input) = rx.input.try_recv() {
            // Input in this model carries the producer in its x position.
            if let Input::PointerMoved { position } = input {
                got.push((position.x as usize, position.y as u32));
            }
        }
        if got.len() >= expected {
            return (got, clears);
        }
        pinger.sleep();
    }
}

/// Nothing lost, nothing twice, each producer's order kept.
fn assert_exactly_once_in_order(got: &[(usize, u32)], producers: usize, each: u32) {
    assert_eq!(
        got.len(),
        producers * each as usize,
        "lost or doubled: {got:?}"
    );
    for p in 0..producers {
        let seqs: Vec<u32> = got.iter().filter(|m| m.0 == p).map(|m| m.1).collect();
        assert_eq!(seqs, (0..each).collect::<Vec<_>>(), "producer {p}: {got:?}");
    }
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    // Bounded preemptions keep the search to seconds; the classic lost
    // wake-up needs only one preemption between a producer's send and its
    // flag check.
    builder.preemption_bound = Some(3);
    builder.check(f);
}

#[test]
fn loom_two_producers_never_lose_a_wake_up() {
    model(|| {
        let (poster, rx, pinger) = queue::<(usize, u32)>(LaneLimits::default());
        let producers: Vec<_> = (0..2)
            .map(|p| {
                let poster = poster.clone();
                thread::spawn(move || {
                    for seq in 0..2 {
                        assert!(poster.post((p, seq)).is_ok());
                    }
                })
            })
            .collect();
        let (got, clears) = run_loop(&poster, &rx, &pinger, 4);
        for producer in producers {
            producer
                .join()
                .unwrap_or_else(|_| panic!("a producer panicked"));
        }
        assert_exactly_once_in_order(&got, 2, 2);
        // Coalescing: a ring needs the flag to go from clear to set, and only
        // the loop clears it (it starts clear).
        assert!(pinger.total() <= clears + 1, "{} rings", pinger.total());
    });
}

#[test]
fn loom_input_and_app_lanes_share_one_wake_flag() {
    model(|| {
        let (poster, rx, pinger) = queue::<(usize, u32)>(LaneLimits::default());
        let app = {
            let poster = poster.clone();
            thread::spawn(move || {
                for seq in 0..2 {
                    assert!(poster.post((0, seq)).is_ok());
                }
            })
        };
        let input = {
            let poster = poster.clone();
            thread::spawn(move || {
                for seq in 0..2u8 {
                    let position = crate::geometry::Point::new(1.0, f32::from(seq));
                    assert!(poster.post_input(Input::PointerMoved { position }).is_ok());
                }
            })
        };
        let (got, _) = run_loop(&poster, &rx, &pinger, 4);
        app.join()
            .unwrap_or_else(|_| panic!("the app producer panicked"));
        input
            .join()
            .unwrap_or_else(|_| panic!("the input producer panicked"));
        assert_exactly_once_in_order(&got, 2, 2);
    });
}

#[test]
fn loom_a_full_lane_parks_the_producer_until_the_loop_releases() {
    model(|| {
        // Room for one message: the second post must wait for the loop.
        let (poster, rx, pinger) = queue::<(usize, u32)>(LaneLimits { app: 1, io: 1 });
        let producer = {
            let poster = poster.clone();
            thread::spawn(move || {
                for seq in 0..3 {
                    assert!(poster.post((0, seq)).is_ok());
                }
            })
        };
        let (got, _) = run_loop(&poster, &rx, &pinger, 3);
        producer
            .join()
            .unwrap_or_else(|_| panic!("the producer panicked"));
        assert_exactly_once_in_order(&got, 1, 3);
        assert_eq!(poster.shared().app_admission.in_flight(), 0);
    });
}

#[test]
fn loom_closing_hands_a_parked_post_back() {
    model(|| {
        let (poster, _rx, _pinger) = queue::<u32>(LaneLimits { app: 1, io: 1 });
        assert!(poster.post(1).is_ok());
        let parked = {
            let poster = poster.clone();
            thread::spawn(move || poster.post(2))
        };
        poster.shared().close();
        let result = parked
            .join()
            .unwrap_or_else(|_| panic!("the producer panicked"));
        assert_eq!(result, Err(PostError::Closed(2)));
    });
}

// In this build a poster takes chunks of up to two slots while at least four
// are free (`credit::MOST`, `credit::SHARE`), so a few posts cover chunks,
// leftovers, single slots near the limit and reclaiming.

#[test]
fn loom_two_threads_sharing_one_poster_spend_each_slot_once() {
    model(|| {
        let (poster, rx, pinger) = queue::<(usize, u32)>(LaneLimits { app: 5, io: 1 });
        let shared = Arc::new(poster.clone());
        let producers: Vec<_> = (0..2)
            .map(|p| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || {
                    for seq in 0..2 {
                        assert!(shared.post((p, seq)).is_ok());
                    }
                })
            })
            .collect();
        let (got, _) = run_loop(&poster, &rx, &pinger, 4);
        for producer in producers {
            producer
                .join()
                .unwrap_or_else(|_| panic!("a producer panicked"));
        }
        assert_exactly_once_in_order(&got, 2, 2);
        drop(shared); // hands back whatever credit is left
        assert_eq!(poster.shared().app_admission.in_flight(), 0);
    });
}

#[test]
fn loom_a_producer_takes_back_credit_a_quiet_poster_sits_on() {
    model(|| {
        // The quiet poster's first post takes two slots and keeps one. The
        // other producer's three posts fill the lane only if it takes that
        // one back; nothing drains, so waiting instead would never end.
        let (poster, rx, _pinger) = queue::<(usize, u32)>(LaneLimits { app: 4, io: 1 });
        let quiet = poster.clone();
        assert!(quiet.post((0, 0)).is_ok());
        let producer = {
            let poster = poster.clone();
            thread::spawn(move || {
                for seq in 0..3 {
                    assert!(poster.post((1, seq)).is_ok());
                }
            })
        };
        producer
            .join()
            .unwrap_or_else(|_| panic!("the producer panicked"));
        assert_eq!(rx.app.try_iter().count(), 4);
        assert_eq!(poster.shared().app_admission.in_flight(), 4);
        assert!(quiet.try_post((0, 1)).is_err(), "the lane is full");
    });
}

#[test]
fn loom_credit_and_reclaiming_keep_every_message_and_the_limit() {
    model(|| {
        let (poster, rx, pinger) = queue::<(usize, u32)>(LaneLimits { app: 4, io: 1 });
        let producers: Vec<_> = [2, 3]
            .into_iter()
            .enumerate()
            .map(|(p, each)| {
                let poster = poster.clone();
                thread::spawn(move || {
                    for seq in 0..each {
                        assert!(poster.post((p, seq)).is_ok());
                    }
                })
            })
            .collect();
        let (got, _) = run_loop(&poster, &rx, &pinger, 5);
        for producer in producers {
            producer
                .join()
                .unwrap_or_else(|_| panic!("a producer panicked"));
        }
        assert_eq!(got.len(), 5, "lost or doubled: {got:?}");
        for (p, each) in [(0, 2), (1, 3)] {
            let seqs: Vec<u32> = got.iter().filter(|m| m.0 == p).map(|m| m.1).collect();
            assert_eq!(seqs, (0..each).collect::<Vec<_>>(), "producer {p}");
        }
        // The producers' posters are dropped, so no credit is left.
        assert_eq!(poster.shared().app_admission.in_flight(), 0);
    });
}
