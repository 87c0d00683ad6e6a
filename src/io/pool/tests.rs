use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::unbounded;

use super::{CancelToken, Pool};
#[cfg(target_os = "linux")]
use crate::io::test_child::in_own_process;
#[cfg(target_os = "linux")]
use crate::io::test_child::pool_threads;

/// Waits until `n` pool threads are visible: a new thread sets its own
/// name, so right after `Pool::new` some may still carry the parent's.
#[cfg(target_os = "linux")]
fn wait_for_pool_threads(n: usize) {
    let give_up = Instant::now() + PATIENCE;
    while pool_threads().len() != n && Instant::now() < give_up {
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(pool_threads().len(), n, "{:?}", pool_threads());
}

/// Long enough that a healthy test never hits it, short enough that a broken one ends.
const PATIENCE: Duration = Duration::from_secs(5);

#[test]
fn jobs_run_on_named_workers() {
    let pool = Pool::new(2).expect("pool starts");
    assert_eq!(pool.threads(), 2);
    let (tx, rx) = unbounded();
    for i in 0..8 {
        let tx = tx.clone();
        pool.submit(Box::new(move || {
            let name = thread::current().name().map(str::to_owned);
            tx.send((i, name)).expect("test receives");
        }))
        .expect("pool is open");
    }
    let mut seen: Vec<usize> = (0..8)
        .map(|_| {
            let (i, name) = rx.recv_timeout(PATIENCE).expect("every job runs");
            let name = name.expect("worker threads are named");
            assert!(name.starts_with("oneloop-io-"), "{name}");
            i
        })
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..8).collect::<Vec<_>>());
}

#[test]
fn zero_threads_is_refused() {
    let err = Pool::new(0).expect_err("a pool without threads is useless");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(Pool::default_threads() >= 1);
}

#[test]
fn submit_after_shutdown_hands_the_job_back() {
    let pool = Pool::new(1).expect("pool starts");
    // The longest deadline there is: idle workers still exit at once.
    let report = pool.shutdown(Duration::MAX);
    assert_eq!(report.joined, 1);
    assert!(report.is_clean());
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ran);
    let err = pool
        .submit(Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        }))
        .expect_err("a shut-down pool refuses jobs");
    assert_eq!(ran.load(Ordering::SeqCst), 0, "the pool must not run it");
    // The job handed back is the one submitted: running it has its effect.
    (err.into_inner())();
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    assert_eq!(pool.shutdown(PATIENCE), super::ShutdownReport::default());
}

#[test]
fn queued_counts_waiting_jobs() {
    let pool = Pool::new(1).expect("pool starts");
    let (release_tx, release_rx) = unbounded::<()>();
    let (started_tx, started_rx) = unbounded();
    pool.submit(Box::new(move || {
        started_tx.send(()).expect("test receives");
        let _ = release_rx.recv_timeout(PATIENCE);
    }))
    .expect("pool is open");
    started_rx.recv_timeout(PATIENCE).expect("blocker starts");
    for _ in 0..5 {
        pool.submit(Box::new(|| {})).expect("pool is open");
    }
    assert_eq!(pool.queued(), 5);
    release_tx.send(()).expect("blocker listens");
    let report = pool.shutdown(PATIENCE);
    assert!(report.is_clean());
}

// Counts the pool's threads in Linux's /proc.
#[cfg(target_os = "linux")]
#[test]
fn a_panicking_job_does_not_shrink_the_pool() {
    if !in_own_process(module_path!(), "a_panicking_job_does_not_shrink_the_pool") {
        return;
    }
    let pool = Pool::new(2).expect("pool starts");
    for _ in 0..4 {
        pool.submit(Box::new(|| panic!("a job gone wrong")))
            .expect("pool is open");
    }
    // Two jobs that can only finish together: this proves both workers
    // are alive after the panics, not merely that one of them is.
    let arrived = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = unbounded();
    for _ in 0..2 {
        let arrived = Arc::clone(&arrived);
        let tx = tx.clone();
        pool.submit(Box::new(move || {
            arrived.fetch_add(1, Ordering::SeqCst);
            let give_up = Instant::now() + PATIENCE;
            while arrived.load(Ordering::SeqCst) < 2 && Instant::now() < give_up {
                thread::sleep(Duration::from_millis(1));
            }
            tx.send(arrived.load(Ordering::SeqCst))
                .expect("test receives");
        }))
        .expect("pool is open");
    }
    for _ in 0..2 {
        let met = rx.recv_timeout(PATIENCE * 2).expect("job reports");
        assert_eq!(met, 2, "both workers must run jobs after the panics");
    }
    assert_eq!(pool.threads(), 2);
    wait_for_pool_threads(2);
}

// Counts the pool's threads in Linux's /proc.
#[cfg(target_os = "linux")]
#[test]
fn shutdown_drops_queued_jobs_promptly_and_joins_threads() {
    if !in_own_process(
        module_path!(),
        "shutdown_drops_queued_jobs_promptly_and_joins_threads",
    ) {
        return;
    }
    let pool = Pool::new(2).expect("pool starts");
    wait_for_pool_threads(2);
    let cancel = CancelToken::new();
    let (started_tx, started_rx) = unbounded();
    // Slow jobs that, like real reads, poll their cancel token.
    for _ in 0..2 {
        let cancel = cancel.clone();
        let started_tx = started_tx.clone();
        pool.submit(Box::new(move || {
            started_tx.send(()).expect("test receives");
            let give_up = Instant::now() + PATIENCE;
            while !cancel.is_cancelled() && Instant::now() < give_up {
                thread::sleep(Duration::from_millis(5));
            }
        }))
        .expect("pool is open");
    }
    for _ in 0..2 {
        started_rx.recv_timeout(PATIENCE).expect("slow jobs start");
    }
    let ran = Arc::new(AtomicUsize::new(0));
    for _ in 0..10_000 {
        let ran = Arc::clone(&ran);
        pool.submit(Box::new(move || {
            ran.fetch_add(1, Ordering::SeqCst);
        }))
        .expect("pool is open");
    }
    assert_eq!(pool.queued(), 10_000);

    let begin = Instant::now();
    cancel.cancel();
    let report = pool.shutdown(PATIENCE);
    let took = begin.elapsed();

    assert!(took < Duration::from_secs(1), "shutdown took {took:?}");
    assert_eq!(report.dropped, 10_000);
    assert_eq!(report.joined, 2);
    assert!(report.is_clean());
    assert_eq!(ran.load(Ordering::SeqCst), 0, "queued jobs must not run");
    assert!(pool_threads().is_empty(), "{:?}", pool_threads());
}

#[test]
fn shutdown_respects_its_deadline_with_a_stuck_job() {
    let pool = Pool::new(1).expect("pool starts");
    let (started_tx, started_rx) = unbounded();
    let (release_tx, release_rx) = unbounded::<()>();
    // A job that ignores cancellation, like a read stuck on a dead disk.
    pool.submit(Box::new(move || {
        started_tx.send(()).expect("test receives");
        let _ = release_rx.recv_timeout(PATIENCE);
    }))
    .expect("pool is open");
    started_rx.recv_timeout(PATIENCE).expect("job starts");
    let begin = Instant::now();
    let report = pool.shutdown(Duration::from_millis(100));
    let took = begin.elapsed();
    assert!(took >= Duration::from_millis(100), "{took:?}");
    assert!(took < Duration::from_millis(600), "{took:?}");
    assert_eq!(report.still_running, 1);
    assert!(!report.is_clean());
    release_tx.send(()).expect("job listens");
}

// Counts the pool's threads in Linux's /proc.
#[cfg(target_os = "linux")]
#[test]
fn dropping_the_pool_joins_its_threads() {
    if !in_own_process(module_path!(), "dropping_the_pool_joins_its_threads") {
        return;
    }
    let pool = Pool::new(3).expect("pool starts");
    let (tx, rx) = unbounded();
    pool.submit(Box::new(move || tx.send(()).expect("test receives")))
        .expect("pool is open");
    rx.recv_timeout(PATIENCE).expect("job runs");
    wait_for_pool_threads(3);
    drop(pool);
    assert!(pool_threads().is_empty(), "{:?}", pool_threads());
}

#[test]
fn cancel_token_is_shared_by_clones() {
    let token = CancelToken::new();
    let clone = token.clone();
    assert!(!clone.is_cancelled());
    token.cancel();
    assert!(clone.is_cancelled());
}

#[test]
fn no_queued_job_starts_once_shutdown_has_begun() {
    // The running job returns the moment shutdown begins, so its worker
    // races shutdown for the next queued job. Repeat to give the race many chances.
    for _ in 0..20 {
        let pool = Arc::new(Pool::new(1).expect("pool starts"));
        let watched = Arc::clone(&pool);
        let (started_tx, started_rx) = unbounded();
        pool.submit(Box::new(move || {
            started_tx.send(()).expect("test receives");
            let give_up = Instant::now() + PATIENCE;
            while !watched.is_shut_down() && Instant::now() < give_up {
                std::hint::spin_loop();
            }
        }))
        .expect("pool is open");
        let ran = Arc::new(AtomicUsize::new(0));
        for _ in 0..100 {
            let ran = Arc::clone(&ran);
            pool.submit(Box::new(move || {
                ran.fetch_add(1, Ordering::SeqCst);
            }))
            .expect("pool is open");
        }
        started_rx
            .recv_timeout(PATIENCE)
            .expect("the first job starts");
        let report = pool.shutdown(PATIENCE);
        assert_eq!(
            ran.load(Ordering::SeqCst),
            0,
            "a queued job ran after shutdown"
        );
        assert_eq!(report.dropped, 100);
        assert!(report.is_clean());
    }
}

#[test]
fn a_job_dropping_the_last_handle_to_its_pool_does_not_wait_for_itself() {
    let pool = Arc::new(Pool::new(1).expect("pool starts"));
    let (handle_tx, handle_rx) = unbounded::<Arc<Pool>>();
    let (tx, rx) = unbounded();
    pool.submit(Box::new(move || {
        let pool = handle_rx.recv_timeout(PATIENCE).expect("handle arrives");
        let begin = Instant::now();
        drop(pool); // the last handle: the pool shuts down from its own worker
        tx.send(begin.elapsed()).expect("test receives");
    }))
    .expect("pool is open");
    handle_tx.send(pool).expect("job listens");
    let took = rx.recv_timeout(PATIENCE).expect("job reports");
    assert!(
        took < Duration::from_millis(500),
        "shutdown from a worker took {took:?}"
    );
}

/// The priority a job on a fresh one-thread pool runs at.
#[cfg(any(target_os = "linux", windows))]
fn worker_priority() -> i32 {
    let pool = Pool::new(1).expect("pool");
    let (tx, rx) = std::sync::mpsc::channel();
    pool.submit(Box::new(move || {
        let _ = tx.send(crate::sys::thread::current_thread_priority());
    }))
    .expect("submit");
    rx.recv_timeout(std::time::Duration::from_secs(5))
        .expect("the job ran")
        .expect("worker priority")
}

#[cfg(target_os = "linux")]
#[test]
fn workers_run_at_a_lower_priority_than_the_loop() {
    let loop_nice = crate::sys::thread::current_thread_priority().expect("own priority");
    // A higher niceness is a lower priority.
    let wanted = (loop_nice + crate::sys::thread::WORKER_NICENESS).min(19);
    assert_eq!(worker_priority(), wanted);
}

#[cfg(windows)]
#[test]
fn workers_run_at_a_lower_priority_than_the_loop() {
    let loop_priority = crate::sys::thread::current_thread_priority().expect("own priority");
    // Windows counts the other way: below normal is a smaller number.
    assert_eq!(loop_priority, 0, "the test thread runs at normal priority");
    assert_eq!(worker_priority(), -1, "THREAD_PRIORITY_BELOW_NORMAL");
}
