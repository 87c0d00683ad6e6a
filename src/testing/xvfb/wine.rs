//! Windows builds of the examples, run under wine on a private Xvfb: wine's
//! windows are X11 windows, so the same xdotool driving and screenshots work.

use std::path::Path;

use super::{desktop_or_skip, find_program, require_e2e, windows_example_binary, Xdotool, Xvfb};
use super::{REQUIRE_E2E_VAR, WINDOWS_TARGET};

/// What a machine needs to run the Windows end-to-end tests.
pub const WINE_INSTALL_HINT: &str = "apt-get install -y wine64 gcc-mingw-w64-x86-64 \
     && rustup target add x86_64-pc-windows-gnu";

/// A private X server and xdotool, like [`desktop_or_skip`], when wine, the
/// mingw compiler (for the runner's shim DLL) and the Windows builds of
/// `examples` are all there. Otherwise `None` with a message saying what to
/// install or build, or a panic under `ONELOOP_REQUIRE_E2E=1`.
pub fn wine_desktop_or_skip(test_name: &str, examples: &[&str]) -> Option<(Xvfb, Xdotool)> {
    let mut missing: Vec<String> = Vec::new();
    if !has_wine() {
        missing.push(format!(
            "wine is missing; install with `{WINE_INSTALL_HINT}`"
        ));
    }
    if find_program("x86_64-w64-mingw32-gcc").is_none() {
        missing.push(format!(
            "x86_64-w64-mingw32-gcc is not on PATH; install with `{WINE_INSTALL_HINT}`"
        ));
    }
    missing.extend(
        examples
            .iter()
            .filter_map(|name| windows_example_binary(name).err())
            .map(|e| {
                format!("{e} (`cargo build --target {WINDOWS_TARGET} --examples` builds all)")
            }),
    );
    if !missing.is_empty() {
        let why = missing.join("; ");
        assert!(!require_e2e(), "{test_name}: {REQUIRE_E2E_VAR}=1 but {why}");
        eprintln!("skipping {test_name}: {why} (set {REQUIRE_E2E_VAR}=1 to make this a failure)");
        return None;
    }
    desktop_or_skip(test_name)
}

/// Whether wine can be started the way `.ci/wine-run` starts it: Debian's
/// `wine64` package puts its loader outside `PATH`.
fn has_wine() -> bool {
    find_program("wine").is_some()
        || find_program("wine64").is_some()
        || Path::new("/usr/lib/wine/wine64").is_file()
}

/// How a program under wine names `path`: the whole Unix tree is drive `Z:`.
#[must_use]
pub fn wine_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_paths_become_drive_z_paths() {
        assert_eq!(
            wine_path(Path::new("/tmp/a b/t.jsonl")),
            "Z:\\tmp\\a b\\t.jsonl"
        );
    }
}
