//! The file-loader demo, driven headless: a directory of 300 entries with
//! every kind of trouble loads with each entry in a clear final status.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/file_loader/main.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod file_loader;

use std::path::Path;
use std::time::Duration;

use file_loader::model::{Reason, Status};
use file_loader::{Loader, Msg};
use oneloop::fs::EntryKind;
use oneloop::testing::fixtures::{messy_directory, Manifest, MessySpec, Trouble};
use oneloop::testing::Harness;
use oneloop::{Input, NamedKey};

#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Windows makes no files that only an administrator can read here.
#[cfg(windows)]
fn running_as_root() -> bool {
    false
}

fn expected(kind: Trouble, path: &Path) -> Result<u64, Reason> {
    let lines =
        || std::fs::read(path).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64);
    match kind {
        Trouble::Text | Trouble::NonUtf8Name | Trouble::Empty => Ok(lines()),
        Trouble::Unreadable if running_as_root() => Ok(1),
        Trouble::Unreadable => Err(Reason::PermissionDenied),
        Trouble::InUse => Err(Reason::InUse),
        Trouble::Binary => Err(Reason::Binary),
        Trouble::Fifo => Err(Reason::NotRegular(EntryKind::Fifo)),
        Trouble::SymlinkLoop => Err(Reason::SymlinkLoop),
        Trouble::Dangling => Err(Reason::NotFound),
        Trouble::Huge => Err(Reason::TooLarge),
        Trouble::Directory => Err(Reason::Directory),
    }
}

fn check_final_statuses(loader: &Loader, manifest: &Manifest) {
    assert_eq!(
        loader.entries.len(),
        manifest.entries.len(),
        "every entry is listed"
    );
    for entry in &loader.entries {
        let kind = manifest.kind_of(&entry.path).unwrap();
        let want = expected(kind, &entry.path);
        match (&entry.status, want) {
            (Status::Loaded(summary), Ok(lines)) => {
                assert_eq!(summary.lines, lines, "{}", entry.name)
            }
            (Status::Failed(reason), Err(want)) => assert_eq!(*reason, want, "{}", entry.name),
            (status, want) => panic!(
                "{} ({kind:?}) ended as {status:?}, expected {want:?}",
                entry.name
            ),
        }
    }
}

#[test]
fn loading_a_messy_directory_ends_every_entry_in_a_clear_status() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = messy_directory(dir.path(), &MessySpec::small(300)).unwrap();
    let mut ui = Harness::with_size(Loader::new(dir.path()), 1100.0, 700.0);
    assert_eq!(ui.app().entries.len(), manifest.entries.len());
    ui.click("Load all");
    let batch = ui.app().batch.clone().unwrap();
    assert_eq!(
        (batch.done, batch.total),
        (manifest.entries.len(), manifest.entries.len())
    );
    assert!(!ui.app().is_loading());
    check_final_statuses(ui.app(), &manifest);
}

#[test]
fn cancel_stops_the_batch_and_nothing_half_finished_shows_as_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = messy_directory(dir.path(), &MessySpec::small(3_000)).unwrap();
    let mut ui = Harness::with_size(Loader::new(dir.path()), 1100.0, 700.0);
    // Both in one turn, as a user's click on Cancel right after Load all.
    let poster = ui.poster();
    poster.post(Msg::LoadAll).unwrap();
    poster.post(Msg::Cancel).unwrap();
    ui.settle();
    let app = ui.app();
    let batch = app.batch.clone().unwrap();
    assert_eq!(
        batch.done, batch.total,
        "every request completed exactly once"
    );
    let cancelled = app
        .entries
        .iter()
        .filter(|e| e.status == Status::Failed(Reason::Cancelled))
        .count();
    assert!(cancelled > 0, "cancel came too late to cancel anything");
    for entry in &app.entries {
        if let Status::Loaded(summary) = &entry.status {
            // A file shown as loaded was read whole: its line count is exact.
            let want = expected(manifest.kind_of(&entry.path).unwrap(), &entry.path);
            assert_eq!(Ok(summary.lines), want, "{}", entry.name);
        }
    }
}

#[test]
fn a_missing_directory_shows_an_inline_error() {
    let mut ui = Harness::new(Loader::new(Path::new("/no/such/directory")));
    assert!(
        ui.texts().iter().any(|t| t.contains("does not exist")),
        "{:?}",
        ui.texts()
    );
    assert!(ui.app().entries.is_empty());
}

#[test]
fn keyboard_selection_shows_a_preview() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "alpha\nbeta\n").unwrap();
    std::fs::write(dir.path().join("b.bin"), [0u8, 159, 146, 150]).unwrap();
    let mut ui = Harness::with_size(Loader::new(dir.path()), 1100.0, 700.0);
    ui.press(oneloop::NamedKey::ArrowDown);
    assert!(ui.has_text("alpha"), "{:?}", ui.texts());
    ui.press(oneloop::NamedKey::ArrowDown);
    assert!(
        ui.texts()
            .iter()
            .any(|t| t.starts_with("00000000  00 9f 92 96")),
        "{:?}",
        ui.texts()
    );
    ui.advance(Duration::from_millis(10));
}

#[test]
fn after_a_cancel_the_header_says_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    messy_directory(dir.path(), &MessySpec::small(3_000)).unwrap();
    let mut ui = Harness::with_size(Loader::new(dir.path()), 1100.0, 700.0);
    let poster = ui.poster();
    poster.post(Msg::LoadAll).unwrap();
    poster.post(Msg::Cancel).unwrap();
    ui.settle();
    let count = |status: &dyn Fn(&Status) -> bool| {
        let n = ui
            .app()
            .entries
            .iter()
            .filter(|e| status(&e.status))
            .count();
        n
    };
    let loaded = count(&|s| matches!(s, Status::Loaded(_)));
    let cancelled = count(&|s| *s == Status::Failed(Reason::Cancelled));
    let failed = count(&|s| matches!(s, Status::Failed(r) if *r != Reason::Cancelled));
    assert_eq!(loaded + cancelled + failed, 3_000);
    let with_commas = |n: usize| {
        let s = n.to_string();
        if s.len() > 3 {
            format!("{},{}", &s[..s.len() - 3], &s[s.len() - 3..])
        } else {
            s
        }
    };
    let want = format!(
        "Cancelled: {} loaded, {} cancelled, {} failed",
        with_commas(loaded),
        with_commas(cancelled),
        with_commas(failed)
    );
    assert!(ui.has_text(&want), "{want:?} not in {:?}", ui.texts());
}

#[test]
fn a_folder_dropped_on_the_window_is_listed_and_a_hover_says_so() {
    let first = tempfile::tempdir().unwrap();
    let dropped = tempfile::tempdir().unwrap();
    std::fs::write(dropped.path().join("one.txt"), "1\n").unwrap();
    std::fs::write(dropped.path().join("two.txt"), "2\n2\n").unwrap();
    let mut ui = Harness::with_size(Loader::new(first.path()), 1100.0, 700.0);
    assert!(ui.app().entries.is_empty());
    ui.input(Input::FileHovered(dropped.path().to_owned()));
    let hint = format!("Drop to open {}", dropped.path().display());
    assert!(ui.has_text(&hint), "{:?}", ui.texts());
    ui.input(Input::FileHoverCancelled);
    assert!(!ui.has_text(&hint));
    ui.input(Input::FileDropped(dropped.path().to_owned()));
    let names: Vec<&str> = ui.app().entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["one.txt", "two.txt"]);
    assert!(
        ui.has_text(&format!("2 entries in {}", dropped.path().display())),
        "{:?}",
        ui.texts()
    );
}

#[test]
fn open_chooses_a_folder_in_the_picker_by_mouse_and_escape_leaves_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inner")).unwrap();
    std::fs::write(dir.path().join("inner").join("a.txt"), "a\n").unwrap();
    std::fs::write(dir.path().join("top.txt"), "top\n").unwrap();
    let mut ui = Harness::with_size(Loader::new(dir.path()), 1100.0, 700.0);
    ui.click("Open…");
    let inner = format!("inner{}", std::path::MAIN_SEPARATOR);
    // A folder picker: the folder is offered, the file is not.
    assert!(ui.has_text(&inner), "{:?}", ui.texts());
    assert!(!ui.has_text("top.txt"));
    ui.click(&inner).click(&inner).click("Choose this folder");
    assert!(ui.app().picker.is_none(), "the dialog closed");
    let names: Vec<&str> = ui.app().entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a.txt"]);

    // Escape closes the picker without touching the listing, and does not
    // reach the loader's own shortcuts meanwhile.
    ui.click("Open…").press(NamedKey::Escape);
    assert!(ui.app().picker.is_none());
    assert_eq!(ui.app().entries.len(), 1);
}

#[test]
fn a_click_on_a_header_sorts_the_table_and_arrows_follow_the_shown_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "x".repeat(300)).unwrap();
    std::fs::write(dir.path().join("b.txt"), "x").unwrap();
    std::fs::write(dir.path().join("c.txt"), "x".repeat(20)).unwrap();
    let mut ui = Harness::with_size(Loader::new(dir.path()), 1100.0, 700.0);
    let size = ui.find("Size").center();
    ui.click_at(size);
    let shown: Vec<&str> = ui
        .app()
        .order
        .iter()
        .map(|&i| ui.app().entries[i].name.as_str())
        .collect();
    assert_eq!(shown, ["b.txt", "c.txt", "a.txt"], "smallest first");
    ui.click_at(size);
    let first = ui.app().order[0];
    assert_eq!(ui.app().entries[first].name, "a.txt", "largest first");
    // The keyboard walks the rows as shown: a.txt, then c.txt.
    ui.press(NamedKey::ArrowDown).press(NamedKey::ArrowDown);
    let selected = ui.app().selected.unwrap();
    assert_eq!(ui.app().entries[selected].name, "c.txt");
}
