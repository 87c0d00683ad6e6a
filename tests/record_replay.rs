//! Record a run headless, replay it, and get the same state and the same
//! pixels; damaged recordings give clear errors, never a panic.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use oneloop::fs::FsError;
use oneloop::record::{Codec, Reader, Wire, WireError, Writer};
use oneloop::testing::{replay, replay_unfinished, Harness, ReplayError};
use oneloop::{App, Cx, Element, Event, Lifecycle};
use oneloop_widgets::{button, column, label, text_input};

/// A small app that reads everything a recording must capture: typed
/// text through a widget, a click, a file read, timer ticks, the clock,
/// the stats and the queue depth, and an async task's result.
struct Notes {
    file: PathBuf,
    text: String,
    summary: String,
    ticks: u32,
    started: Option<Instant>,
    elapsed: Duration,
    turns: u64,
    depth: usize,
    slept: bool,
    task: Option<oneloop::TaskHandle>,
    /// The read of the file, cancelled at the next tick: by then it is
    /// done, so the answer depends on timing (a recording keeps it).
    read: Option<oneloop::RequestId>,
    late_cancel: Option<bool>,
    in_flight: usize,
    tasks: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Msg {
    Edited(String),
    Load,
    Loaded(Result<Vec<u8>, String>),
    Tick,
    Slept,
}

impl Wire for Msg {
    fn encode(&self, out: &mut Writer) {
        match self {
            Msg::Edited(s) => {
                out.u64(0);
                out.put(s);
            }
            Msg::Load => out.u64(1),
            Msg::Loaded(r) => {
                out.u64(2);
                out.put(r);
            }
            Msg::Tick => out.u64(3),
            Msg::Slept => out.u64(4),
        }
    }
    fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match input.u64()? {
            0 => Msg::Edited(input.get()?),
            1 => Msg::Load,
            2 => Msg::Loaded(input.get()?),
            3 => Msg::Tick,
            4 => Msg::Slept,
            tag => return Err(input.bad_tag(tag, "Msg")),
        })
    }
}

impl Notes {
    fn new(file: &Path) -> Self {
        Self {
            file: file.to_owned(),
            text: String::new(),
            summary: String::new(),
            ticks: 0,
            started: None,
            elapsed: Duration::ZERO,
            turns: 0,
            depth: 0,
            slept: false,
            task: None,
            read: None,
            late_cancel: None,
            in_flight: 0,
            tasks: 0,
        }
    }

    /// What a user sees and what the replay must reproduce.
    fn state(&self) -> String {
        format!(
            "{:?} {:?} ticks={} elapsed={:?} turns={} depth={} slept={} late_cancel={:?} \
             in_flight={} tasks={}",
            self.text,
            self.summary,
            self.ticks,
            self.elapsed,
            self.turns,
            self.depth,
            self.slept,
            self.late_cancel,
            self.in_flight,
            self.tasks
        )
    }
}

impl App for Notes {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                self.started = Some(cx.now());
                cx.every(Duration::from_millis(100), || Msg::Tick);
            }
            Event::App(Msg::Edited(text)) => self.text = text,
            Event::App(Msg::Load) => {
                let missing = self.file.with_extension("missing");
                let read = cx.read_file(self.file.clone(), |r: Result<Vec<u8>, FsError>| {
                    Msg::Loaded(r.map_err(|e| e.to_string()))
                });
                self.read = Some(read);
                cx.read_file(missing, |r: Result<Vec<u8>, FsError>| {
                    Msg::Loaded(r.map_err(|e| e.to_string()))
                });
                self.task = Some(cx.spawn(async {
                    oneloop::time::sleep(Duration::from_millis(30)).await;
                    Msg::Slept
                }));
            }
            // The two reads finish in either order; the replay must show
            // the order this recording saw.
            Event::Io(Msg::Loaded(Ok(bytes))) => {
                let text = String::from_utf8_lossy(&bytes);
                self.summary
                    .push_str(&format!("[{} bytes: {text}]", bytes.len()));
            }
            Event::Io(Msg::Loaded(Err(e))) => self.summary.push_str(&format!("[{e}]")),
            Event::Timer(Msg::Tick) => {
                self.ticks += 1;
                self.elapsed = cx.now() - self.started.unwrap_or_else(|| cx.now());
                self.turns = cx.stats().turns;
                self.depth = cx.queue_depth();
                self.in_flight = cx.requests_in_flight();
                self.tasks = cx.tasks_running();
                if let Some(read) = self.read.take() {
                    self.late_cancel = Some(cx.cancel(read));
                }
            }
            Event::App(Msg::Slept) => self.slept = true,
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        column()
            .padding(12.0)
            .spacing(8.0)
            .push(label(format!(
                "{} ticks · {} ms · {} turns",
                self.ticks,
                self.elapsed.as_millis(),
                self.turns
            )))
            .push(text_input("your name", &self.text).on_input(Msg::Edited))
            .push(button("Load").on_press(Msg::Load))
            .push(label(&self.summary).wrap())
            .into()
    }

    fn codec() -> Option<Codec<Msg>> {
        Some(Codec::of())
    }
}

struct Recorded {
    _dir: tempfile::TempDir,
    log: PathBuf,
    file: PathBuf,
    state: String,
    last_frame: Vec<u8>,
}

/// Drive the app as a user would, recording, and keep what was seen.
fn record_a_run() -> Recorded {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "hello from disk").unwrap();
    let log = dir.path().join("run.oneloop");
    let mut h = Harness::recording(Notes::new(&file), 420.0, 220.0, &log);
    h.click("your name").type_text("Ada");
    h.render();
    h.click("Load").settle();
    h.advance(Duration::from_millis(350));
    h.render();
    h.click("Ada").type_text(" L.");
    h.advance(Duration::from_millis(100));
    let last_frame = h.render().data().to_vec();
    let app = h.finish();
    assert!(
        app.summary.contains("[15 bytes: hello from disk]"),
        "{}",
        app.summary
    );
    assert!(app.summary.contains("does not exist"), "{}", app.summary);
    assert!(app.slept && app.ticks >= 4, "{}", app.state());
    assert_eq!(app.text, "Ada L.");
    // Asked after the read and the task were done: a replay, where
    // nothing runs, must still give these answers.
    assert_eq!(
        (app.late_cancel, app.in_flight, app.tasks),
        (Some(false), 0, 0)
    );
    Recorded {
        state: app.state(),
        _dir: dir,
        log,
        file,
        last_frame,
    }
}

#[test]
fn a_replay_ends_in_the_recorded_state_with_the_same_pixels() {
    let run = record_a_run();
    // The file is gone by replay time: its contents come from the recording.
    std::fs::remove_file(&run.file).unwrap();
    let replayed = replay(Notes::new(&run.file), &run.log).unwrap();
    assert_eq!(replayed.app.state(), run.state);
    assert_eq!(replayed.frames_compared, 3);
    assert!(
        replayed.frames_differing.is_empty(),
        "{:?}",
        replayed.frames_differing
    );
    assert!(replayed.final_frame_matches);
    let frame = replayed.final_frame.unwrap();
    assert!(
        frame.data() == run.last_frame.as_slice(),
        "the final frame differs"
    );
}

#[test]
fn a_replay_catches_an_app_that_is_not_deterministic() {
    let run = record_a_run();
    // The same app, but starting from another state than when recorded (as
    // if it read a setting from disk itself): every frame shows it.
    let mut app = Notes::new(&run.file);
    app.summary = "changed behind the recording's back".into();
    let replayed = replay(app, &run.log).unwrap();
    assert_eq!(replayed.frames_compared, 3);
    assert_eq!(replayed.frames_differing.len(), 3, "{replayed:?}");
    assert!(!replayed.final_frame_matches);
}

#[test]
fn cut_recordings_are_clear_errors_at_their_offset() {
    let run = record_a_run();
    let bytes = std::fs::read(&run.log).unwrap();
    let cut_log = run.log.with_extension("cut");
    let step = (bytes.len() / 200).max(1);
    let mut unfinished = 0;
    for cut in (0..bytes.len()).step_by(step) {
        std::fs::write(&cut_log, &bytes[..cut]).unwrap();
        match replay(Notes::new(&run.file), &cut_log) {
            Err(ReplayError::Corrupt(e)) => assert!(e.offset <= cut as u64, "{e} at cut {cut}"),
            Err(ReplayError::Unfinished { offset }) => {
                assert_eq!(offset, cut as u64);
                unfinished += 1;
            }
            Err(ReplayError::NotARecording) => assert!(cut < 12),
            other => panic!("cut at {cut} of {}: {other:?}", bytes.len()),
        }
    }
    assert!(unfinished > 0, "some cuts fall between records");
    // What a killed app leaves can still be replayed on request.
    let at_a_record = (0..bytes.len())
        .rev()
        .find(|&cut| {
            std::fs::write(&cut_log, &bytes[..cut]).unwrap();
            matches!(
                replay(Notes::new(&run.file), &cut_log),
                Err(ReplayError::Unfinished { .. })
            )
        })
        .unwrap();
    std::fs::write(&cut_log, &bytes[..at_a_record]).unwrap();
    let partial = replay_unfinished(Notes::new(&run.file), &cut_log).unwrap();
    assert_eq!(
        partial.app.state(),
        run.state,
        "only the end record is missing"
    );
}

#[test]
fn damaged_recordings_never_panic() {
    let run = record_a_run();
    let bytes = std::fs::read(&run.log).unwrap();
    let bad_log = run.log.with_extension("bad");
    let step = (bytes.len() / 300).max(1);
    let mut errors = 0;
    for at in (12..bytes.len()).step_by(step) {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            std::fs::write(&bad_log, &damaged).unwrap();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                replay(Notes::new(&run.file), &bad_log).map(|_| ())
            }));
            match outcome {
                Ok(Err(e)) => {
                    errors += 1;
                    assert!(!e.to_string().is_empty());
                }
                Ok(Ok(())) => {}
                Err(_) => panic!("a flipped byte at {at} (^{flip:#x}) panicked the replay"),
            }
        }
    }
    assert!(errors > 0, "damage is noticed");
}

#[test]
fn the_wrong_file_or_app_is_named_in_the_error() {
    let run = record_a_run();
    let not_log = run.log.with_extension("txt");
    std::fs::write(&not_log, "just some text").unwrap();
    let err = replay(Notes::new(&run.file), &not_log).unwrap_err();
    assert!(matches!(err, ReplayError::NotARecording), "{err}");

    let err = replay(Notes::new(&run.file), run.log.with_extension("absent")).unwrap_err();
    assert!(
        err.to_string().contains("could not read the recording"),
        "{err}"
    );

    let mut future = std::fs::read(&run.log).unwrap();
    future[12] = 9;
    std::fs::write(&not_log, &future).unwrap();
    let err = replay(Notes::new(&run.file), &not_log).unwrap_err();
    assert!(err.to_string().contains("version 9"), "{err}");

    struct Other;
    impl App for Other {
        type Message = u32;
        fn update(&mut self, _: Event<u32>, _: &mut Cx<u32>) {}
        fn codec() -> Option<Codec<u32>> {
            Some(Codec::of())
        }
    }
    let err = replay(Other, &run.log).unwrap_err();
    assert!(err.to_string().contains("`u32`"), "{err}");
}

#[test]
fn an_app_without_a_codec_records_text_and_says_why_it_cannot_replay() {
    #[derive(Default)]
    struct Plain(u32);
    #[derive(Debug)]
    struct Bump;
    impl App for Plain {
        type Message = Bump;
        fn update(&mut self, event: Event<Bump>, _: &mut Cx<Bump>) {
            if let Event::App(Bump) = event {
                self.0 += 1;
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("plain.oneloop");
    let mut h = Harness::recording(Plain::default(), 100.0, 100.0, &log);
    h.poster().post(Bump).unwrap();
    h.settle();
    assert_eq!(h.finish().0, 1);
    let err = replay(Plain::default(), &log).unwrap_err();
    assert!(matches!(err, ReplayError::NoCodec { .. }), "{err}");
    assert!(err.to_string().contains("App::codec"), "{err}");
}

// The child is `sh`; recording and replaying process output is portable.
#[cfg(unix)]
#[test]
fn process_output_replays_without_starting_the_process() {
    /// Collects what a child prints; the replay must not run it again.
    #[derive(Default)]
    struct Lines(Vec<String>, Option<oneloop::io::process::ProcessHandle>);
    impl App for Lines {
        type Message = String;
        fn update(&mut self, event: Event<String>, cx: &mut Cx<String>) {
            match event {
                Event::Lifecycle(Lifecycle::Started) => {
                    let mut cmd = std::process::Command::new("sh");
                    let script = "echo one; echo two >&2; echo \"pid $$\"; exit 3";
                    cmd.args(["-c", script]);
                    let handle = cx.spawn_process(cmd, |e| format!("{e:?}")).unwrap();
                    self.1 = Some(handle);
                }
                Event::Io(line) => self.0.push(line),
                _ => {}
            }
        }
        fn codec() -> Option<Codec<String>> {
            Some(Codec::of())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("lines.oneloop");
    let mut h = Harness::recording(Lines::default(), 100.0, 100.0, &log);
    h.settle();
    let recorded = h.finish().0;
    assert_eq!(recorded.len(), 4, "{recorded:?}");
    assert!(recorded.iter().any(|l| l.contains("pid ")), "{recorded:?}");
    let replayed = replay(Lines::default(), &log).unwrap();
    // The child's pid is in its output: a second run would print another.
    assert_eq!(replayed.app.0, recorded);
    assert_eq!(replayed.app.1.unwrap().pid(), 0, "no process was started");
}

#[test]
fn a_recording_that_cannot_be_written_leaves_the_app_running() {
    let mut settings = oneloop::Settings::headless();
    settings.record = Some("/nonexistent-dir/run.oneloop".into());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "x").unwrap();
    let mut lp = oneloop::EventLoop::new(Notes::new(&file), settings).unwrap();
    lp.poster().post(Msg::Edited("still works".into())).unwrap();
    assert!(lp.run_until_settled(Duration::from_secs(10)).unwrap());
    assert_eq!(lp.app().text, "still works");
}

#[test]
fn a_recording_can_be_inspected_without_the_app() {
    let run = record_a_run();
    let bytes = std::fs::read(&run.log).unwrap();
    let contents = oneloop::record::inspect(&bytes).unwrap();
    assert!(contents.message_type.ends_with("Msg"), "{contents:?}");
    assert!(contents.finished);
    assert_eq!(contents.frames, 3);
    // Started, the two reads' completions, ticks, the task's result.
    let [lifecycle, _input, timer, app, io] = contents.events;
    assert_eq!((lifecycle, io), (1, 2), "{contents:?}");
    assert!(timer >= 4 && app >= 1, "{contents:?}");
    // "Ada", " L." and the click on Load: one message per key and a press.
    assert_eq!(contents.widget_messages, 7, "{contents:?}");
    assert!(contents.inputs > contents.widget_messages);
    assert!(contents.duration >= 450_000_000, "{contents:?}");
    let err = oneloop::record::inspect(&bytes[..bytes.len() - 3]).unwrap_err();
    assert!(err.to_string().contains("cut short"), "{err}");
}

#[test]
fn frames_with_the_stats_overlay_replay_but_are_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "x").unwrap();
    let log = dir.path().join("overlay.oneloop");
    let mut h = Harness::recording(Notes::new(&file), 420.0, 220.0, &log);
    h.render();
    h.press(oneloop::NamedKey::F(12));
    assert!(h.overlay_shown());
    h.render();
    h.press(oneloop::NamedKey::F(12));
    h.click("your name").type_text("after");
    let last = h.render().data().to_vec();
    h.finish();
    let replayed = replay(Notes::new(&file), &log).unwrap();
    // The overlay shows the loop's live figures, which a replay does not
    // reproduce: that frame is painted, not compared; the others are.
    assert_eq!(replayed.frames_compared, 2, "{replayed:?}");
    assert!(replayed.frames_differing.is_empty(), "{replayed:?}");
    assert!(replayed.final_frame_matches);
    assert!(replayed.final_frame.unwrap().data() == last.as_slice());
    assert_eq!(replayed.app.text, "after");
}

/// The app that made `tests/fixtures/recording-v1-paths.oneloop` with a
/// build that wrote format 1 (paths as raw Unix bytes): it reads two
/// files that do not exist, one of them with a Latin-1 name.
mod v1 {
    use std::path::PathBuf;

    use oneloop::fs::FsError;
    use oneloop::record::{Codec, Reader, Wire, WireError, Writer};
    use oneloop::{App, Cx, Event, Lifecycle};

    #[derive(Debug)]
    pub enum Msg {
        Read(Result<Vec<u8>, FsError>),
    }

    impl Wire for Msg {
        fn encode(&self, out: &mut Writer) {
            let Msg::Read(result) = self;
            out.u64(0);
            out.put(result);
        }
        fn decode(input: &mut Reader<'_>) -> Result<Self, WireError> {
            match input.u64()? {
                0 => Ok(Msg::Read(input.get()?)),
                tag => Err(input.bad_tag(tag, "Msg")),
            }
        }
    }

    pub struct Reads {
        pub paths: Vec<PathBuf>,
        pub got: Vec<Result<Vec<u8>, FsError>>,
    }

    impl App for Reads {
        type Message = Msg;
        fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
            match event {
                Event::Lifecycle(Lifecycle::Started) => {
                    for path in &self.paths {
                        cx.read_file(path.clone(), Msg::Read);
                    }
                }
                Event::Io(Msg::Read(result)) => self.got.push(result),
                _ => {}
            }
        }
        fn codec() -> Option<Codec<Msg>> {
            Some(Codec::of())
        }
    }
}

const V1_FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/recording-v1-paths.oneloop"
);

#[test]
fn a_format_1_recording_is_still_inspected() {
    let bytes = std::fs::read(V1_FIXTURE).unwrap();
    assert_eq!(
        u16::from_le_bytes([bytes[12], bytes[13]]),
        1,
        "the fixture is format 1"
    );
    let contents = oneloop::record::inspect(&bytes).unwrap();
    assert!(contents.finished);
    assert!(
        contents.message_type.ends_with("v1::Msg"),
        "{}",
        contents.message_type
    );
}

#[cfg(unix)]
#[test]
fn a_format_1_recording_replays_with_its_raw_unix_paths() {
    use std::os::unix::ffi::OsStringExt;
    let latin1 = PathBuf::from(std::ffi::OsString::from_vec(
        b"/oneloop-v1-fixture/caf\xe9.txt".to_vec(),
    ));
    let notes = PathBuf::from("/oneloop-v1-fixture/notes.txt");
    let app = v1::Reads {
        paths: vec![notes.clone(), latin1.clone()],
        got: Vec::new(),
    };
    let replayed = replay(app, Path::new(V1_FIXTURE)).unwrap();
    let paths: Vec<_> = replayed
        .app
        .got
        .iter()
        .map(|r| match r {
            Err(FsError::NotFound { path }) => path.clone(),
            other => panic!("expected a missing file, got {other:?}"),
        })
        .collect();
    assert_eq!(paths, [notes, latin1]);
}

#[cfg(windows)]
#[test]
fn a_format_1_recording_with_a_non_utf8_unix_path_is_refused_by_name_and_offset() {
    /// Where the Latin-1 name starts in the fixture.
    const V1_LATIN1_NAME_AT: u64 = 166;
    let app = v1::Reads {
        paths: vec![PathBuf::from("/oneloop-v1-fixture/notes.txt")],
        got: Vec::new(),
    };
    let err = replay(app, Path::new(V1_FIXTURE)).unwrap_err();
    match &err {
        ReplayError::Unrepresentable { offset, what } => {
            assert_eq!(*offset, V1_LATIN1_NAME_AT, "{err}");
            assert!(what.contains("not UTF-8"), "{err}");
        }
        other => panic!("expected Unrepresentable, got {other:?}"),
    }
    assert!(err.to_string().contains("OS like the one"), "{err}");
}
