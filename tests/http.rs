//! The HTTP client on a real loop against servers the tests start on
//! loopback: round trips, framing, keep-alive reuse, redirects, and every
//! bad answer ending in its typed error within the test's time bound.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken setup")]

#[path = "support/http.rs"]
mod http_support;
#[path = "support/net.rs"]
mod net_support;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_support::{Reply, Server};
use net_support::{run_app, run_task};
use oneloop::http::{self, Client, HttpError, Phase, Progress, Request, Response, Timeout};
use oneloop::{App, Cx, Event, Lifecycle, RequestId, Settings};

fn fetch(request: Request) -> Result<Response, HttpError> {
    run_task(move || request.send())
}

#[test]
fn get_and_post_round_trip() {
    let server = Server::start(|req| match req.method.as_str() {
        "POST" => Reply::with_status(201, &[("x-echo", "yes")], &req.body),
        _ => Reply::ok(format!("you asked for {}", req.path).as_bytes()),
    });
    let url = server.url("/page?q=1");
    let got = run_task(move || http::get(url)).unwrap();
    assert_eq!(
        (got.status, got.text()),
        (200, "you asked for /page?q=1".to_owned())
    );
    assert!(got.redirects.is_empty());

    let posted = fetch(Request::post(server.url("/notes"), b"a note".to_vec())).unwrap();
    assert_eq!(posted.status, 201);
    assert_eq!(posted.body, b"a note");
    assert_eq!(posted.header("X-Echo"), Some("yes"));
}

#[test]
fn get_over_ipv6_loopback() {
    let Ok(probe) = std::net::TcpListener::bind("[::1]:0") else {
        eprintln!("no IPv6 loopback here; the IPv6 case is not run");
        return;
    };
    drop(probe);
    let server = Server::start_on("[::1]:0", |_| Reply::ok(b"six"));
    let got = fetch(Request::get(format!(
        "http://[::1]:{}/",
        server.addr.port()
    )))
    .unwrap();
    assert_eq!(got.body, b"six");
}

#[test]
fn chunked_and_content_length_bodies_arrive_whole() {
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let served = big.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/chunked" => Reply::chunked(&[b"one ", b"two ", &[b'3'; 5000]]),
        _ => Reply::ok(&served),
    });
    let chunked = fetch(Request::get(server.url("/chunked"))).unwrap();
    assert_eq!(chunked.body.len(), 8 + 5000);
    assert!(chunked.body.starts_with(b"one two 333"));
    let sized = fetch(Request::get(server.url("/sized"))).unwrap();
    assert_eq!(sized.body, big);
}

#[test]
fn keep_alive_reuses_one_connection_per_host() {
    let server = Server::start(|_| Reply::ok(b"again"));
    let url = server.url("/");
    let (opened, idle) = run_task(move || async move {
        let client = Client::new();
        for _ in 0..5 {
            let r = client.send(Request::get(url.clone())).await.unwrap();
            assert_eq!(r.body, b"again");
        }
        (client.connections_opened(), client.idle_connections())
    });
    assert_eq!(
        opened, 1,
        "five sequential GETs should share one connection"
    );
    assert_eq!(idle, 1);
    assert_eq!(server.connections(), 1, "the server saw one connection");
}

#[test]
fn a_connection_the_server_closed_is_replaced_without_an_error() {
    let server = Server::start(|_| {
        Reply::RawThenClose(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_vec())
    });
    let url = server.url("/");
    let bodies = run_task(move || async move {
        let client = Client::new();
        let mut bodies = Vec::new();
        for _ in 0..3 {
            bodies.push(client.send(Request::get(url.clone())).await.map(|r| r.body));
            // Let the server's close reach us before the next request.
            oneloop::time::sleep(Duration::from_millis(50)).await;
        }
        bodies
    });
    assert!(
        bodies.iter().all(|b| b.as_deref() == Ok(&b"ok"[..])),
        "{bodies:?}"
    );
    assert_eq!(server.connections(), 3);
}

#[test]
fn redirects_are_followed_and_reported() {
    let server = Server::start(|req| match req.path.as_str() {
        "/old" => Reply::redirect(301, "/newer"),
        "/newer" => Reply::redirect(302, "/final"),
        _ => Reply::ok(b"landed"),
    });
    let got = fetch(Request::get(server.url("/old"))).unwrap();
    assert_eq!(got.body, b"landed");
    assert_eq!(got.url, server.url("/final"));
    assert_eq!(got.redirects, [server.url("/old"), server.url("/newer")]);
}

#[test]
fn a_redirect_loop_ends_with_its_chain() {
    let server = Server::start(|req| match req.path.as_str() {
        "/a" => Reply::redirect(302, "/b"),
        _ => Reply::redirect(302, "/a"),
    });
    let error = fetch(Request::get(server.url("/a"))).unwrap_err();
    assert_eq!(
        error,
        HttpError::RedirectLoop {
            chain: vec![server.url("/a"), server.url("/b"), server.url("/a")]
        }
    );
    // An endless chain of new URLs stops at the limit.
    let endless = Server::start(|req| {
        let n: u32 = req.path.trim_start_matches('/').parse().unwrap_or(0);
        Reply::redirect(302, &format!("/{}", n + 1))
    });
    let error = fetch(Request::get(endless.url("/0")).max_redirects(3)).unwrap_err();
    let HttpError::RedirectLoop { chain } = error else {
        panic!("{error:?}")
    };
    assert_eq!(chain.len(), 5, "{chain:?}");
}

#[test]
fn connection_refused() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let error = fetch(Request::get(format!("http://127.0.0.1:{port}/"))).unwrap_err();
    assert_eq!(
        error,
        HttpError::Refused {
            host: "127.0.0.1".into(),
            port
        }
    );
}

#[test]
fn a_name_that_does_not_resolve() {
    let error = fetch(Request::get("http://nothing.invalid/")).unwrap_err();
    assert!(
        matches!(&error, HttpError::Dns { host, .. } if host == "nothing.invalid"),
        "{error:?}"
    );
}

#[test]
fn a_server_that_never_answers_trips_the_read_timeout() {
    let server = Server::start(|_| Reply::Silent);
    let started = Instant::now();
    let error =
        fetch(Request::get(server.url("/")).read_timeout(Duration::from_millis(300))).unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        error,
        HttpError::TimedOut {
            host: "127.0.0.1".into(),
            phase: Phase::Response,
            limit: Timeout::Idle,
            after_ms: 300
        }
    );
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[test]
fn the_total_timeout_bounds_a_slow_but_steady_server() {
    let server = Server::start(|_| Reply::Trickle {
        head: b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n".to_vec(),
        body: vec![b'.'; 100],
        every: Duration::from_millis(50),
    });
    let error = fetch(
        Request::get(server.url("/"))
            .read_timeout(Duration::from_secs(2))
            .total_timeout(Duration::from_millis(500)),
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            HttpError::TimedOut {
                limit: Timeout::Total,
                phase: Phase::Body,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_slow_server_keeps_progress_coming() {
    let server = Server::start(|_| Reply::Trickle {
        head: b"HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\n".to_vec(),
        body: b"slow but ok!".to_vec(),
        every: Duration::from_millis(100),
    });
    let url = server.url("/");
    let (result, reports) = run_task(move || async move {
        let reports = Rc::new(RefCell::new(Vec::<(Duration, Progress)>::new()));
        let log = Rc::clone(&reports);
        let started = Instant::now();
        let result = Request::get(url)
            .read_timeout(Duration::from_secs(1))
            .send_with_progress(move |p| log.borrow_mut().push((started.elapsed(), p)))
            .await;
        let reports = reports.borrow().clone();
        (result.map(|r| r.body), reports)
    });
    assert_eq!(result.unwrap(), b"slow but ok!");
    // One byte per 100 ms: a report for (nearly) every byte, in order.
    assert!(
        reports.len() >= 8,
        "only {} progress reports",
        reports.len()
    );
    assert!(reports
        .windows(2)
        .all(|w| w[0].1.received < w[1].1.received));
    assert!(reports.iter().all(|(_, p)| p.total == Some(12)));
    let gaps: Vec<Duration> = reports.windows(2).map(|w| w[1].0 - w[0].0).collect();
    assert!(
        gaps.iter().all(|g| *g < Duration::from_millis(400)),
        "{gaps:?}"
    );
}

#[test]
fn a_reset_in_the_middle_of_a_body() {
    let server = Server::start(|_| {
        Reply::ResetAfter(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\npartial".to_vec())
    });
    let error = fetch(Request::get(server.url("/"))).unwrap_err();
    assert_eq!(
        error,
        HttpError::ConnectionReset {
            host: "127.0.0.1".into(),
            during: "in the middle of the body"
        }
    );
}

#[test]
fn garbage_instead_of_a_status_line() {
    let server =
        Server::start(|_| Reply::RawThenClose(b"220 smtp.example ESMTP ready\r\n".to_vec()));
    let error = fetch(Request::get(server.url("/"))).unwrap_err();
    assert!(matches!(error, HttpError::BadResponse { .. }), "{error:?}");
}

#[test]
fn a_header_block_of_one_mebibyte() {
    let mut head = b"HTTP/1.1 200 OK\r\n".to_vec();
    let line = format!("x-filler: {}\r\n", "h".repeat(1022));
    for _ in 0..1024 {
        head.extend_from_slice(line.as_bytes());
    }
    head.extend_from_slice(b"content-length: 0\r\n\r\n");
    let server = Server::start(move |_| Reply::RawThenClose(head.clone()));
    let error = fetch(Request::get(server.url("/"))).unwrap_err();
    assert_eq!(
        error,
        HttpError::HeadersTooLarge {
            host: "127.0.0.1".into(),
            limit: 64 * 1024
        }
    );
}

#[test]
fn a_body_larger_than_the_cap() {
    let server = Server::start(|req| match req.path.as_str() {
        "/sized" => Reply::ok(&vec![b'x'; 300_000]),
        _ => {
            let piece = vec![b'y'; 100_000];
            Reply::chunked(&[&piece[..], &piece[..], &piece[..]])
        }
    });
    for path in ["/sized", "/chunked"] {
        let url = server.url(path);
        let error = fetch(Request::get(url.clone()).max_body(200_000)).unwrap_err();
        assert_eq!(
            error,
            HttpError::BodyTooLarge {
                url,
                limit: 200_000
            },
            "{path}"
        );
    }
}

/// The TLS server: a self-signed certificate for `localhost`, rustls on a
/// std thread answering one request per connection.
fn tls_server() -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let der = cert.cert.der().to_vec();
    let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).unwrap();
    #[expect(deprecated, reason = "the same ring provider the client uses")]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .unwrap(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for sock in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, sock);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nsecret");
                let _ = tls.flush();
            });
        }
    });
    (port, der)
}

#[test]
fn tls_with_a_self_signed_certificate_fails_then_succeeds_with_it_as_a_root() {
    let (port, der) = tls_server();
    let url = format!("https://localhost:{port}/");
    let refused = fetch(Request::get(url.clone())).unwrap_err();
    match &refused {
        HttpError::Certificate { host, reason } => {
            assert_eq!(host, "localhost");
            assert!(reason.contains("unknown authority"), "{reason}");
        }
        other => panic!("expected a certificate error, got {other:?}"),
    }
    assert!(refused.to_string().contains("not trusted"), "{refused}");

    let got = run_task(move || async move {
        let client = Client::new();
        client.add_root_certificate(der).unwrap();
        client.send(Request::get(url)).await
    })
    .unwrap();
    assert_eq!(got.body, b"secret");
}

#[test]
fn a_root_that_is_not_a_certificate_is_refused_at_once() {
    let error = Client::new()
        .add_root_certificate(b"not DER".to_vec())
        .unwrap_err();
    assert!(matches!(error, HttpError::BadRoot(_)), "{error:?}");
}

#[test]
fn bad_urls_are_named() {
    for url in ["ftp://example.com/", "no scheme", "http://"] {
        let error = fetch(Request::get(url)).unwrap_err();
        assert!(
            matches!(&error, HttpError::BadUrl { url: u, .. } if u == url),
            "{url}: {error:?}"
        );
    }
}

/// The message style: progress in the IO lane, then the response; and a
/// cancel that closes the connection and still ends in one result.
#[derive(Default)]
struct Fetcher {
    urls: Vec<String>,
    cancel_first_after: Option<u64>,
    ids: Vec<RequestId>,
    progress: Vec<(usize, u64)>,
    results: Vec<(usize, Result<usize, HttpError>)>,
}

#[derive(Debug)]
enum Msg {
    Progress(usize, Progress),
    Done(usize, Result<Response, HttpError>),
}

impl App for Fetcher {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for (i, url) in self.urls.clone().into_iter().enumerate() {
                    let request = Request::get(url).progress_every(1024);
                    let id = cx.http(
                        request,
                        move |p| Some(Msg::Progress(i, p)),
                        move |r| Msg::Done(i, r),
                    );
                    self.ids.push(id);
                }
            }
            Event::Io(Msg::Progress(i, p)) => {
                self.progress.push((i, p.received));
                if i == 0 && self.cancel_first_after.is_some_and(|n| p.received >= n) {
                    assert!(cx.cancel(self.ids[0]));
                }
            }
            Event::Io(Msg::Done(i, r)) => {
                self.results.push((i, r.map(|r| r.body.len())));
                if self.results.len() == self.urls.len() {
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

#[test]
fn messages_bring_progress_then_the_response_and_cancel_closes_the_connection() {
    let server = Server::start(|req| match req.path.as_str() {
        "/endless" => Reply::Trickle {
            head: b"HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\n".to_vec(),
            body: vec![b'e'; 1_000_000],
            every: Duration::from_micros(200),
        },
        _ => Reply::ok(&vec![b'b'; 10_000]),
    });
    let app = Fetcher {
        urls: vec![server.url("/endless"), server.url("/small")],
        cancel_first_after: Some(2048),
        ..Fetcher::default()
    };
    let started = Instant::now();
    let app = run_app(app, Settings::headless());
    assert!(started.elapsed() < Duration::from_secs(10));
    let mut results = app.results.clone();
    results.sort_by_key(|(i, _)| *i);
    assert_eq!(results, [(0, Err(HttpError::Cancelled)), (1, Ok(10_000))]);
    assert!(
        app.progress.iter().any(|(i, _)| *i == 1),
        "the small one reported progress"
    );
    let after_cancel = app
        .progress
        .iter()
        .filter(|(i, n)| *i == 0 && *n > 4096 + 2048)
        .count();
    assert_eq!(
        after_cancel, 0,
        "progress kept coming after cancel: {:?}",
        app.progress
    );
}
