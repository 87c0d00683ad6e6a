//! The file and folder picker, driven headless against a temporary folder:
//! by mouse, by keyboard only, and pictured in both themes.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

use std::path::{Path, PathBuf, MAIN_SEPARATOR};
use std::time::Duration;

use oneloop::testing::Harness;
use oneloop::{App, Cx, Element, Event, Lifecycle, NamedKey, Theme};
use oneloop_widgets::{file_picker, label, stack, FilePicker, PickMode, Picked, PickerMsg};

#[derive(Debug, Clone)]
enum Msg {
    Picker(PickerMsg),
}

struct Picking {
    picker: Option<FilePicker>,
    picked: Vec<Picked>,
    theme: Theme,
}

impl Picking {
    fn new(mode: PickMode, dir: &Path) -> Self {
        Self {
            picker: Some(FilePicker::new(mode, dir)),
            picked: Vec::new(),
            theme: Theme::light(),
        }
    }
}

impl App for Picking {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                if let Some(picker) = &mut self.picker {
                    picker.open(cx, Msg::Picker);
                }
            }
            // The listing arrives as IO, the user's moves as app messages.
            Event::Io(Msg::Picker(msg)) | Event::App(Msg::Picker(msg)) => {
                let Some(picker) = &mut self.picker else {
                    return;
                };
                if let Some(done) = picker.update(msg, cx, Msg::Picker) {
                    self.picked.push(done);
                    self.picker = None;
                }
            }
            _ => return,
        }
        cx.request_redraw();
    }

    fn view(&self) -> Element<'_, Msg> {
        let mut page = stack().push(label("The page behind"));
        if let Some(picker) = &self.picker {
            page = page.push(file_picker(picker, Msg::Picker));
        }
        page.into()
    }

    fn theme(&self) -> Theme {
        self.theme.clone()
    }
}

/// `name` as a folder's row shows it.
fn folder(name: &str) -> String {
    format!("{name}{MAIN_SEPARATOR}")
}

/// Three folders (one of them with a file in it) and three files.
fn sample(dir: &Path) {
    for name in ["beta", "alpha", "Zeta"] {
        std::fs::create_dir(dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("alpha").join("inner.txt"), "inside\n").unwrap();
    std::fs::write(dir.join("banana.md"), "# Bananas\n").unwrap();
    std::fs::write(dir.join("apple.txt"), "apple").unwrap();
    std::fs::write(dir.join("cherry.bin"), vec![7u8; 2_500]).unwrap();
}

fn names(ui: &Harness<Picking>) -> Vec<String> {
    ui.app().picker.as_ref().unwrap().names()
}

fn shown_dir(ui: &Harness<Picking>) -> PathBuf {
    ui.app().picker.as_ref().unwrap().dir().to_path_buf()
}

fn picker(mode: PickMode, dir: &Path) -> Harness<Picking> {
    Harness::with_size(Picking::new(mode, dir), 800.0, 600.0)
}

/// Past a double click, so the next click on the same row is a new one.
const APART: Duration = Duration::from_millis(600);

#[test]
fn folders_come_first_and_names_sort_ignoring_case() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::File, dir.path());
    let want = [
        folder("alpha"),
        folder("beta"),
        folder("Zeta"),
        "apple.txt".to_owned(),
        "banana.md".to_owned(),
        "cherry.bin".to_owned(),
    ];
    assert_eq!(names(&ui), want);
    assert!(ui.has_text("3 folders, 3 files"), "{:?}", ui.texts());
    assert!(ui.has_text("2.5 KB"), "{:?}", ui.texts());
}

#[test]
fn the_listing_arrives_through_the_queue_and_loading_shows_until_then() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::File, dir.path());
    // Ask for another folder: the pool lists it, but until its completion
    // is dispatched the dialog says it is loading and nothing is stale.
    let mut picker = ui.app_mut().picker.take().unwrap();
    let msg = PickerMsg::PathEdited(dir.path().join("alpha").display().to_string());
    assert!(picker.update(msg, ui.cx(), Msg::Picker).is_none());
    assert!(picker
        .update(PickerMsg::PathSubmitted, ui.cx(), Msg::Picker)
        .is_none());
    assert!(picker.is_loading());
    ui.app_mut().picker = Some(picker);
    assert!(ui.has_text("Loading…"), "{:?}", ui.texts());
    assert!(!ui.has_text("apple.txt"), "{:?}", ui.texts());
    ui.settle();
    assert!(!ui.has_text("Loading…"));
    assert_eq!(names(&ui), ["inner.txt"]);
}

#[test]
fn by_mouse_a_double_click_opens_a_folder_and_open_picks_the_selected_file() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::File, dir.path());
    assert!(!ui.app().picker.as_ref().unwrap().names().is_empty());
    // One click selects; a second one on the same row soon after opens it.
    ui.click(&folder("alpha"));
    assert_eq!(shown_dir(&ui), dir.path());
    ui.click(&folder("alpha"));
    assert_eq!(shown_dir(&ui), dir.path().join("alpha"));
    assert_eq!(names(&ui), ["inner.txt"]);
    ui.click("Parent");
    assert_eq!(shown_dir(&ui), dir.path());
    // Two single clicks far apart do not open anything.
    ui.click(&folder("beta"))
        .advance(APART)
        .click(&folder("beta"));
    assert_eq!(shown_dir(&ui), dir.path());
    ui.click("apple.txt").click("Open");
    assert_eq!(
        ui.app().picked,
        [Picked::Path(dir.path().join("apple.txt"))]
    );
    assert!(
        !ui.has_text("banana.md"),
        "the dialog closed: {:?}",
        ui.texts()
    );
}

#[test]
fn by_mouse_the_filter_narrows_names_as_you_type_and_cancel_closes() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::File, dir.path());
    ui.click("Filter names").type_text("an");
    assert_eq!(names(&ui), ["banana.md"]);
    assert!(ui.has_text("1 of 6 shown"), "{:?}", ui.texts());
    ui.type_text("x");
    assert!(ui.has_text("No names contain “anx”"), "{:?}", ui.texts());
    ui.click("Cancel");
    assert_eq!(ui.app().picked, [Picked::Cancelled]);
}

#[test]
fn by_keyboard_arrows_enter_backspace_and_escape_find_and_pick_a_file() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::File, dir.path());
    ui.press(NamedKey::ArrowDown).press(NamedKey::Enter);
    assert_eq!(names(&ui), ["inner.txt"], "Enter opened the first folder");
    ui.press(NamedKey::Backspace);
    assert_eq!(shown_dir(&ui), dir.path());
    ui.press(NamedKey::End)
        .press(NamedKey::ArrowUp)
        .press(NamedKey::Enter);
    assert_eq!(
        ui.app().picked,
        [Picked::Path(dir.path().join("banana.md"))]
    );

    let mut ui = picker(PickMode::File, dir.path());
    ui.press(NamedKey::Escape);
    assert_eq!(ui.app().picked, [Picked::Cancelled]);
}

#[test]
fn by_keyboard_a_typed_path_goes_there_and_a_typed_file_is_picked() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::File, dir.path());
    // Tab past the close, Parent and Home buttons to the path field; focus
    // from the keyboard selects its text, so typing replaces it.
    for _ in 0..4 {
        ui.press(NamedKey::Tab);
    }
    ui.type_text("alpha").press(NamedKey::Enter);
    assert_eq!(shown_dir(&ui), dir.path().join("alpha"));
    assert_eq!(names(&ui), ["inner.txt"]);
    // The filter field next: type, then ↓ and Enter from the field itself.
    ui.press(NamedKey::Tab)
        .type_text("inn")
        .press(NamedKey::Enter);
    assert_eq!(
        ui.app().picked,
        [Picked::Path(dir.path().join("alpha").join("inner.txt"))]
    );

    let mut ui = picker(PickMode::File, dir.path());
    for _ in 0..4 {
        ui.press(NamedKey::Tab);
    }
    ui.type_text("cherry.bin").press(NamedKey::Enter);
    assert_eq!(
        ui.app().picked,
        [Picked::Path(dir.path().join("cherry.bin"))]
    );
}

#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn a_folder_that_cannot_be_read_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone");
    let mut ui = picker(PickMode::File, &missing);
    let said = ui.texts().join("\n");
    assert!(said.contains("does not exist"), "{said}");
    assert!(ui.has_text("Parent"), "the way out is still there");

    #[cfg(unix)]
    if !running_as_root() {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let mut ui = picker(PickMode::File, &locked);
        let said = ui.texts().join("\n");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(said.contains("permission denied"), "{said}");
    }
}

#[test]
fn a_folder_picker_lists_only_folders_and_chooses_the_one_shown() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let mut ui = picker(PickMode::Folder, dir.path());
    assert_eq!(
        names(&ui),
        [folder("alpha"), folder("beta"), folder("Zeta")]
    );
    assert!(ui.has_text("Choose a folder"), "{:?}", ui.texts());
    ui.click(&folder("beta")).click(&folder("beta"));
    assert!(ui.has_text("No folders in here"), "{:?}", ui.texts());
    ui.click("Choose this folder");
    assert_eq!(ui.app().picked, [Picked::Path(dir.path().join("beta"))]);
}

// --- pictures ---

/// A folder with a fixed, relative name, so the path field reads the same
/// on every machine.
fn picture_dir() -> PathBuf {
    let dir = PathBuf::from("../target/tmp/picker-pictures");
    if !dir.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        sample(&dir);
    }
    dir
}

#[test]
fn snapshots_light_and_dark() {
    let dir = picture_dir();
    for (theme, name) in [(Theme::light(), "light"), (Theme::dark(), "dark")] {
        let mut app = Picking::new(PickMode::File, &dir);
        app.theme = theme.clone();
        let mut ui = Harness::with_size(app, 640.0, 480.0);
        ui.click("apple.txt");
        let banana = ui.find("banana.md").center();
        ui.move_pointer(banana);
        ui.assert_snapshot(&format!("file_picker_{name}"));

        let mut app = Picking::new(PickMode::Folder, &dir.join("missing"));
        app.theme = theme;
        let mut ui = Harness::with_size(app, 640.0, 480.0);
        ui.assert_snapshot(&format!("file_picker_error_{name}"));
    }
}
