//! The `ONELOOP_TRACE` writer's JSON: whatever text an event's `Debug`
//! produces, the escaped string must parse as JSON and give the text back,
//! and cutting a long description must stay on a character boundary.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../src/trace/json.rs"]
#[allow(dead_code, reason = "the file's own unit tests are not built here")]
mod json;

fuzz_target!(|data: &[u8]| {
    let Some((&max, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);

    let mut out = String::new();
    json::push_json_string(&mut out, &text);
    assert!(
        !out.chars().any(|c| u32::from(c) < 0x20),
        "a raw control character in {out:?}"
    );
    let back: String = serde_json::from_str(&out).expect("the output is a JSON string");
    assert_eq!(back, text);

    let max = usize::from(max);
    let cut = json::cut_at_char_boundary(&text, max);
    assert!(text.starts_with(cut));
    assert!(cut.len() <= max || cut.len() == text.len() && text.len() <= max);
    if text.len() > max {
        assert!(max - cut.len() < 4, "cut {} bytes short", max - cut.len());
    } else {
        assert_eq!(cut.len(), text.len());
    }

    // A whole trace line around the cut description parses as an object.
    let mut line = String::from("{\"event\":");
    json::push_json_string(&mut line, cut);
    line.push('}');
    let value: serde_json::Value = serde_json::from_str(&line).expect("the line is JSON");
    assert_eq!(value["event"].as_str(), Some(cut));
});
