//! The custom_event example, driven headless: a datagram sent to the app's
//! own UDP source becomes an app message that changes what is on screen.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/custom_event.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod custom_event;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use custom_event::Beacon;
use oneloop::testing::Harness;

/// Datagrams come from a socket, outside what `settle` waits for: turn the
/// loop until `text` is on screen, or fail after a while.
fn turn_until_shown(ui: &mut Harness<Beacon>, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !ui.has_text(text) {
        assert!(
            Instant::now() < deadline,
            "{text:?} never appeared; on screen: {:?}",
            ui.texts()
        );
        ui.settle();
    }
}

#[test]
fn a_datagram_shows_up_on_screen_and_recolours_the_window() {
    let mut ui = Harness::with_size(Beacon::new(false), 480.0, 140.0);
    let address = ui.app().address.expect("the example listens on UDP");
    let shown = format!("UDP {address} · 0 datagrams · 0 beats");
    assert!(ui.has_text(&shown), "{:?}", ui.texts());

    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.send_to(b"rgb 200 40 40", address).unwrap();
    turn_until_shown(&mut ui, "last: \"rgb 200 40 40\"");
    assert!(
        ui.has_text(&format!("UDP {address} · 1 datagrams · 0 beats")),
        "{:?}",
        ui.texts()
    );
    // The message set the background: a spot away from text and bars shows it.
    let frame = ui.render();
    let pixel = frame.pixel(470, 132).unwrap();
    assert_eq!(
        (pixel.red(), pixel.green(), pixel.blue()),
        (200, 40, 40),
        "background"
    );

    // Text that is not a colour is shown but leaves the colour alone.
    socket.send_to(b"hello", address).unwrap();
    turn_until_shown(&mut ui, "last: \"hello\"");
    assert!(ui.has_text(&format!("UDP {address} · 2 datagrams · 0 beats")));
    let pixel = ui.render().pixel(470, 132).unwrap();
    assert_eq!((pixel.red(), pixel.green(), pixel.blue()), (200, 40, 40));
}
