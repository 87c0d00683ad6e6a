//! The protocol engine against scripted servers: framing, limits, redirects
//! and the errors each bad answer ends in.

use super::*;
use crate::http::transport::memory::{block_on, Scripted, Step};

fn hop(method: Method, url: &str, body: &[u8]) -> Hop {
    Hop {
        method,
        uri: url.parse().expect("test URL"),
        headers: HeaderMap::new(),
        body: body.to_vec(),
    }
}

/// Run one exchange of `hop` against `server`, with `limits`; the answer
/// (or failure), what was written, and the progress reports.
fn run(
    server: &mut Scripted,
    hop: &Hop,
    limits: Limits,
) -> (Result<Answer, Failed>, Vec<Progress>) {
    let mut reports = Vec::new();
    let watch = Watch::inert();
    let mut report = |p: Progress| reports.push(p);
    let mut cx = Context {
        host: "example.test",
        url: "http://example.test/",
        limits: &limits,
        watch: &watch,
        follow_redirects: true,
        progress: &mut report,
    };
    let result = block_on(exchange(server, hop, &mut cx));
    (result, reports)
}

fn get(pieces: &[&[u8]]) -> (Scripted, Result<Answer, Failed>, Vec<Progress>) {
    let mut server = Scripted::new(pieces);
    let (result, reports) = run(
        &mut server,
        &hop(Method::GET, "http://example.test/a?b=1", b""),
        Limits::default(),
    );
    (server, result, reports)
}

#[test]
fn a_get_writes_its_request_line_and_host() {
    let (server, result, _) = get(&[b"HTTP/1.1 204 No Content\r\n\r\n"]);
    let answer = result.expect("answer");
    assert_eq!(answer.status, 204);
    let written = String::from_utf8(server.written).expect("ascii");
    assert!(written.starts_with("GET /a?b=1 HTTP/1.1\r\n"), "{written}");
    assert!(written.contains("host: example.test\r\n"), "{written}");
    assert!(answer.reusable, "a 204 on HTTP/1.1 keeps the connection");
}

#[test]
fn a_post_sends_its_body_with_its_length() {
    let mut server = Scripted::new(&[b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok"]);
    let (result, _) = run(
        &mut server,
        &hop(Method::POST, "http://example.test/notes", b"hello"),
        Limits::default(),
    );
    let answer = result.expect("answer");
    assert_eq!((answer.status, &answer.body[..]), (201, &b"ok"[..]));
    let written = String::from_utf8(server.written).expect("ascii");
    assert!(written.contains("content-length: 5\r\n"), "{written}");
    assert!(written.ends_with("\r\n\r\nhello"), "{written}");
}

#[test]
fn a_content_length_body_split_across_reads_is_whole() {
    let (_, result, _) = get(&[
        b"HTTP/1.1 200 OK\r\ncontent-le",
        b"ngth: 11\r\n\r\nhello",
        b" world",
    ]);
    assert_eq!(result.expect("answer").body, b"hello world");
}

#[test]
fn a_chunked_body_is_joined_and_the_connection_kept() {
    let (_, result, _) = get(&[
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhel",
        b"lo\r\n6\r\n world\r\n0\r\n\r\n",
    ]);
    let answer = result.expect("answer");
    assert_eq!(answer.body, b"hello world");
    assert!(answer.reusable);
}

#[test]
fn a_close_delimited_body_ends_at_eof_and_is_not_reused() {
    let (_, result, _) = get(&[b"HTTP/1.0 200 OK\r\n\r\nuntil the end"]);
    let answer = result.expect("answer");
    assert_eq!(answer.body, b"until the end");
    assert!(!answer.reusable);
}

#[test]
fn connection_close_is_honoured() {
    let (_, result, _) =
        get(&[b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"]);
    assert!(!result.expect("answer").reusable);
}

#[test]
fn garbage_instead_of_a_status_line_is_a_bad_response() {
    let (_, result, _) = get(&[b"SSH-2.0-OpenSSH_9.2\r\n"]);
    let error = result.expect_err("garbage").error;
    assert!(matches!(error, HttpError::BadResponse { .. }), "{error:?}");
}

#[test]
fn endless_headers_stop_at_the_limit() {
    let mut pieces: Vec<Vec<u8>> = vec![b"HTTP/1.1 200 OK\r\n".to_vec()];
    let line = format!("x-filler: {}\r\n", "a".repeat(1000));
    pieces.extend(std::iter::repeat_n(line.into_bytes(), 1024)); // 1 MiB
    let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
    let mut server = Scripted::new(&refs);
    let (result, _) = run(
        &mut server,
        &hop(Method::GET, "http://example.test/", b""),
        Limits::default(),
    );
    let error = result.expect_err("too large").error;
    assert_eq!(
        error,
        HttpError::HeadersTooLarge {
            host: "example.test".into(),
            limit: 64 * 1024
        }
    );
    // It stopped reading at the limit rather than swallowing the megabyte.
    assert!(
        server.script.len() > 900,
        "read {} pieces",
        1025 - server.script.len()
    );
}

#[test]
fn a_body_announced_larger_than_the_cap_is_refused_before_reading_it() {
    let mut server = Scripted::new(&[
        b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n",
        &[b'x'; 1000],
    ]);
    let limits = Limits {
        max_body: 100,
        ..Limits::default()
    };
    let (result, _) = run(
        &mut server,
        &hop(Method::GET, "http://example.test/", b""),
        limits,
    );
    let error = result.expect_err("too large").error;
    assert!(
        matches!(error, HttpError::BodyTooLarge { limit: 100, .. }),
        "{error:?}"
    );
    assert_eq!(server.script.len(), 1, "the body was not read");
}

#[test]
fn a_chunked_body_growing_past_the_cap_is_cut_off() {
    let chunk = format!("400\r\n{}\r\n", "y".repeat(1024));
    let pieces: Vec<Vec<u8>> =
        std::iter::once(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec())
            .chain(std::iter::repeat_n(chunk.into_bytes(), 100))
            .collect();
    let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
    let mut server = Scripted::new(&refs);
    let limits = Limits {
        max_body: 10 * 1024,
        ..Limits::default()
    };
    let (result, _) = run(
        &mut server,
        &hop(Method::GET, "http://example.test/", b""),
        limits,
    );
    let error = result.expect_err("too large").error;
    assert!(matches!(error, HttpError::BodyTooLarge { .. }), "{error:?}");
    assert!(server.script.len() > 80, "kept reading after the cap");
}

#[test]
fn eof_in_the_middle_of_the_body_is_a_reset() {
    let (_, result, _) = get(&[b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly this"]);
    let error = result.expect_err("short").error;
    assert_eq!(
        error,
        HttpError::ConnectionReset {
            host: "example.test".into(),
            during: "in the middle of the body"
        }
    );
}

#[test]
fn a_reset_before_any_answer_is_marked_unanswered() {
    let mut server = Scripted::default();
    server.script.push_back(Step::Reset);
    let (result, _) = run(
        &mut server,
        &hop(Method::GET, "http://example.test/", b""),
        Limits::default(),
    );
    let failed = result.expect_err("reset");
    assert!(failed.unanswered, "a pooled connection may be retried");
    assert!(matches!(
        failed.error,
        HttpError::ConnectionReset {
            during: "before answering",
            ..
        }
    ));
}

#[test]
fn a_redirect_names_the_next_hop_and_turns_a_post_into_a_get() {
    let mut server =
        Scripted::new(&[b"HTTP/1.1 303 See Other\r\nlocation: /done\r\ncontent-length: 0\r\n\r\n"]);
    let (result, _) = run(
        &mut server,
        &hop(Method::POST, "http://example.test/form", b"a=1"),
        Limits::default(),
    );
    let next = result.expect("answer").next.expect("a redirect");
    assert_eq!(next.method, Method::GET);
    assert_eq!(next.uri.to_string(), "http://example.test/done");
    assert!(next.body.is_empty());
}

#[test]
fn an_interim_100_is_skipped() {
    let (_, result, _) =
        get(&[b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi"]);
    let answer = result.expect("answer");
    assert_eq!((answer.status, &answer.body[..]), (200, &b"hi"[..]));
}

#[test]
fn progress_is_reported_every_so_many_bytes() {
    let body = vec![b'z'; 10 * 1024];
    let head = b"HTTP/1.1 200 OK\r\ncontent-length: 10240\r\n\r\n".to_vec();
    let pieces: Vec<&[u8]> = std::iter::once(&head[..])
        .chain(body.chunks(1024))
        .collect();
    let mut server = Scripted::new(&pieces);
    let limits = Limits {
        progress_every: 4096,
        ..Limits::default()
    };
    let (result, reports) = run(
        &mut server,
        &hop(Method::GET, "http://example.test/", b""),
        limits,
    );
    assert_eq!(result.expect("answer").body.len(), 10 * 1024);
    let received: Vec<u64> = reports.iter().map(|p| p.received).collect();
    assert_eq!(received, [4096, 8192]);
    assert!(reports
        .iter()
        .all(|p| p.total == Some(10240) && p.status == 200));
}

#[test]
fn a_3xx_without_a_location_is_the_answer() {
    let (_, result, _) = get(&[b"HTTP/1.1 300 Multiple Choices\r\ncontent-length: 3\r\n\r\nabc"]);
    let answer = result.expect("answer");
    assert_eq!((answer.status, &answer.body[..]), (300, &b"abc"[..]));
    assert!(answer.next.is_none());
}
