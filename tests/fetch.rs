//! The fetch example, headless, against a server the test starts: typing
//! URLs and pressing Fetch starts downloads that end with their status and
//! size, a failing URL shows its error, Cancel stops a slow download, and
//! the window renders in light and dark, large and small.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "../examples/fetch/main.rs"]
#[allow(dead_code, reason = "the example's main is not used here")]
mod fetch;

#[path = "support/http.rs"]
mod http_support;

use std::path::Path;
use std::time::{Duration, Instant};

use fetch::model::{outcome_word, State};
use fetch::{Fetcher, Msg};
use http_support::{Reply, Server};
use oneloop::testing::Harness;
use oneloop::{Key, Modifiers, NamedKey};

fn server() -> Server {
    Server::start(|req| match req.path.as_str() {
        "/hello.txt" => {
            Reply::with_status(200, &[("content-type", "text/plain")], b"hello\nworld\n")
        }
        "/big" => Reply::ok(&vec![b'x'; 300_000]),
        "/missing" => Reply::with_status(404, &[], b"no such page"),
        "/slow" => Reply::Trickle {
            head: b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n".to_vec(),
            body: vec![b's'; 100_000],
            every: Duration::from_millis(5),
        },
        _ => Reply::ok(b"?"),
    })
}

/// Settle until no download runs (the harness's clock is virtual, but
/// sockets are real: settling waits for them).
fn wait_all(h: &mut Harness<Fetcher>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while h.app().running() > 0 {
        assert!(Instant::now() < deadline, "downloads still running");
        h.settle();
    }
}

#[test]
fn typed_urls_are_fetched_with_status_and_size_in_the_list() {
    let server = server();
    let mut h = Harness::with_size(Fetcher::default(), 1000.0, 640.0);
    assert!(h.has_text("No downloads yet"));
    h.chord(Key::Character("l".into()), Modifiers::CTRL);
    let typed = format!(
        "{} {} {}",
        server.url("/hello.txt"),
        server.url("/big"),
        server.url("/missing")
    );
    h.type_text(&typed).click("Fetch");
    wait_all(&mut h);
    let states: Vec<&str> = h
        .app()
        .downloads
        .iter()
        .map(|d| outcome_word(&d.state))
        .collect();
    assert_eq!(states, ["ok", "ok", "ok"]);
    assert!(h.has_text("200 OK"), "{:?}", h.texts());
    assert!(h.has_text("404 Not Found"), "{:?}", h.texts());
    assert!(h.has_text("300.0 KB"), "{:?}", h.texts());
    // The first one is selected: its headers and body are previewed.
    assert!(h.has_text("content-type: text/plain"), "{:?}", h.texts());
    assert!(h.has_text("world"), "{:?}", h.texts());
    assert_eq!(
        h.app().url_text,
        "",
        "the field is cleared for the next URLs"
    );
}

#[test]
fn an_unreachable_url_shows_its_error_in_the_preview() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut app = Fetcher::default();
    app.initial.push(format!("127.0.0.1:{port}/")); // no scheme: http is assumed
    let mut h = Harness::with_size(app, 1000.0, 640.0);
    wait_all(&mut h);
    assert!(matches!(h.app().downloads[0].state, State::Failed(_)));
    assert!(h.has_text("failed"));
    assert!(
        h.has_text(&format!("127.0.0.1:{port} refused the connection")),
        "{:?}",
        h.texts()
    );
}

#[test]
fn cancel_stops_the_selected_download_and_the_others_finish() {
    let server = server();
    let mut h = Harness::with_size(Fetcher::default(), 1000.0, 640.0);
    // The harness settles after each input, which would wait out the slow
    // download: the messages go in through the queue and the loop turns
    // with a short limit instead.
    let urls = format!("{} {}", server.url("/slow"), server.url("/hello.txt"));
    let poster = h.poster();
    poster.post(Msg::UrlChanged(urls)).unwrap();
    poster.post(Msg::Fetch).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !h
        .app()
        .downloads
        .first()
        .is_some_and(|d| matches!(d.state, State::Receiving { .. }))
    {
        assert!(
            Instant::now() < deadline,
            "no progress from the slow server"
        );
        h.event_loop().turn(Duration::from_millis(10)).unwrap();
    }
    // The slow one is selected (the first).
    assert_eq!(h.app().selected, Some(0));
    poster.post(Msg::Cancel).unwrap();
    assert!(h
        .event_loop()
        .run_until_settled(Duration::from_secs(10))
        .unwrap());
    let states: Vec<&str> = h
        .app()
        .downloads
        .iter()
        .map(|d| outcome_word(&d.state))
        .collect();
    assert_eq!(states, ["cancelled", "ok"]);
    assert!(h.has_text("cancelled"));
    // Escape on a finished download changes nothing.
    h.press(NamedKey::ArrowDown).press(NamedKey::Escape);
    assert_eq!(outcome_word(&h.app().downloads[1].state), "ok");
}

#[test]
fn the_window_renders_light_and_dark_large_and_small() {
    let server = server();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (width, height) in [(1000.0, 640.0), (560.0, 360.0)] {
        for dark in [false, true] {
            let app = Fetcher {
                dark,
                initial: vec![
                    server.url("/hello.txt"),
                    server.url("/big"),
                    server.url("/missing"),
                    "http://nothing.invalid/".into(),
                ],
                ..Fetcher::default()
            };
            let mut h = Harness::with_size(app, width, height);
            wait_all(&mut h);
            let name = format!(
                "fetch_{width}x{height}_{}.png",
                if dark { "dark" } else { "light" }
            );
            h.save_png(out.join(&name));
            let frame = h.render();
            assert_eq!(frame.width(), width as u32);
            assert!(h.has_text("Fetch") && h.has_text("Cancel all"));
        }
    }
}
