//! The counter example's behaviour, driven headless by its visible labels.

#[path = "../examples/counter.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod counter;

use oneloop::testing::Harness;
use oneloop::NamedKey;

#[test]
fn clicking_and_keyboard_activation_change_the_count() {
    let mut ui = Harness::with_size(counter::Counter::default(), 320.0, 160.0);
    assert!(ui.has_text("Count: 0"));
    ui.click("−");
    assert!(ui.has_text("Count: -1"), "{:?}", ui.texts());
    ui.click("+").click("+").click("+");
    assert!(ui.has_text("Count: 2"), "{:?}", ui.texts());
    // A click focuses the button: "+" has focus, Tab wraps round to "−",
    // and Space activates it.
    ui.press(NamedKey::Tab).press(NamedKey::Space);
    assert!(ui.has_text("Count: 1"), "{:?}", ui.texts());
    ui.assert_snapshot("counter");
}
