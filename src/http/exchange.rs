//! One request and its response over one connection: the protocol engine.
//!
//! ureq-proto's `Call` state machine does the HTTP/1.1 work (writing the
//! request, parsing the status line and headers, decoding content-length,
//! chunked and close-delimited bodies, deciding whether the connection may
//! be reused and where a redirect goes); this file only moves bytes between
//! it and a [`Transport`], and enforces the limits.

use std::time::{Duration, Instant};

use ureq_proto::client::state::{Prepare, RecvResponse};
use ureq_proto::client::{
    Await100Result, Call, RecvBodyResult, RecvResponseResult, RedirectAuthHeaders,
    SendRequestResult,
};
use ureq_proto::http::{self, HeaderMap, Method, Uri};
use ureq_proto::BodyMode;

use super::error::{HttpError, Phase};
use super::request::Limits;
use super::response::Progress;
use super::transport::{LinkError, Transport};
use super::Watch;

/// How many bytes one socket read asks for.
const READ_CHUNK: usize = 16 * 1024;

/// A slow body is still reported this often while bytes arrive.
const PROGRESS_PERIOD: Duration = Duration::from_millis(100);

/// One request on the way: where it goes and what it carries.
#[derive(Debug, Clone)]
pub(crate) struct Hop {
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// What one exchange brought back.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// The connection is in a clean state and the server keeps it open.
    pub(crate) reusable: bool,
    /// The redirect to follow, if the response is one and may be followed.
    pub(crate) next: Option<Hop>,
}

/// An exchange that failed, and whether it failed before the server sent
/// a single byte (a pooled connection the server had closed meanwhile: the
/// request may be sent again on a fresh one).
#[derive(Debug)]
pub(crate) struct Failed {
    pub(crate) error: HttpError,
    pub(crate) unanswered: bool,
}

impl From<HttpError> for Failed {
    fn from(error: HttpError) -> Self {
        Failed {
            error,
            unanswered: false,
        }
    }
}

/// What an exchange needs to know besides the bytes.
pub(crate) struct Context<'a> {
    pub(crate) host: &'a str,
    pub(crate) url: &'a str,
    pub(crate) limits: &'a Limits,
    pub(crate) watch: &'a Watch,
    pub(crate) follow_redirects: bool,
    pub(crate) progress: &'a mut dyn FnMut(Progress),
}

/// Put a transport error in terms of the request.
pub(crate) fn link_error(e: LinkError, host: &str, during: &'static str) -> HttpError {
    match e {
        LinkError::Reset => HttpError::ConnectionReset {
            host: host.to_owned(),
            during,
        },
        LinkError::Tls(e) => tls_error(host, e),
        LinkError::TimedOut => HttpError::Io {
            host: host.to_owned(),
            reason: format!("the socket timed out {during}"),
        },
        LinkError::Io(reason) => HttpError::Io {
            host: host.to_owned(),
            reason,
        },
    }
}

/// A rustls error as a user would want to read it.
pub(crate) fn tls_error(host: &str, e: rustls::Error) -> HttpError {
    use rustls::CertificateError as C;
    let host = host.to_owned();
    match e {
        rustls::Error::InvalidCertificate(c) => {
            let reason = match c {
                C::UnknownIssuer => "it is issued by an unknown authority (self-signed, or a \
                                     private CA whose root the client does not have)"
                    .to_owned(),
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "it is issued for another name".to_owned()
                }
                C::Expired | C::ExpiredContext { .. } => "it has expired".to_owned(),
                C::NotValidYet | C::NotValidYetContext { .. } => "it is not valid yet".to_owned(),
                C::Revoked => "it has been revoked".to_owned(),
                other => format!("{other:?}"),
            };
            HttpError::Certificate { host, reason }
        }
        other => HttpError::Tls {
            host,
            reason: other.to_string(),
        },
    }
}

fn bad_response(host: &str, e: &ureq_proto::Error) -> HttpError {
    HttpError::BadResponse {
        host: host.to_owned(),
        reason: e.to_string(),
    }
}

/// The `http::Request` ureq-proto starts from.
fn start(hop: &Hop) -> Result<Call<Prepare>, HttpError> {
    let mut request = http::Request::builder()
        .method(hop.method.clone())
        .uri(hop.uri.clone())
        .body(())
        .map_err(|e| HttpError::BadUrl {
            url: hop.uri.to_string(),
            reason: e.to_string(),
        })?;
    *request.headers_mut() = hop.headers.clone();
    let needs_length = !hop.body.is_empty() || matches!(hop.method, Method::POST | Method::PUT);
    if needs_length {
        request
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, hop.body.len().into());
    }
    Call::new(request).map_err(|e| HttpError::BadHeader {
        name: "request".into(),
        reason: e.to_string(),
    })
}

/// Send `hop` on `io` and read its response.
pub(crate) async fn exchange<T: Transport>(
    io: &mut T,
    hop: &Hop,
    cx: &mut Context<'_>,
) -> Result<Answer, Failed> {
    cx.watch.enter(Phase::Send, cx.host);
    let call = send(io, hop, cx.host).await?;
    cx.watch.enter(Phase::Response, cx.host);
    receive(io, call, cx).await
}

/// Write the request line, headers and body.
async fn send<T: Transport>(
    io: &mut T,
    hop: &Hop,
    host: &str,
) -> Result<Call<RecvResponse>, Failed> {
    let wire = |e| Failed {
        error: link_error(e, host, "while the request was sent"),
        unanswered: true,
    };
    let bad = |e: ureq_proto::Error| HttpError::BadHeader {
        name: "request".into(),
        reason: e.to_string(),
    };
    let mut call = start(hop)?.proceed();
    let mut out = vec![0u8; 8 * 1024];
    while !call.can_proceed() {
        match call.write(&mut out) {
            Ok(n) => io.write_all(&out[..n]).await.map_err(wire)?,
            Err(ureq_proto::Error::OutputOverflow) if out.len() < 1024 * 1024 => {
                out.resize(out.len() * 2, 0);
            }
            Err(e) => return Err(bad(e).into()),
        }
    }
    let mut sending = match call.proceed().map_err(bad)? {
        Some(SendRequestResult::RecvResponse(call)) => return Ok(call),
        Some(SendRequestResult::SendBody(call)) => call,
        // The app asked for `expect: 100-continue`; sending the body at
        // once is allowed, and simpler than waiting for the interim answer.
        Some(SendRequestResult::Await100(call)) => match call.proceed().map_err(bad)? {
            Await100Result::SendBody(call) => call,
            Await100Result::RecvResponse(call) => return Ok(call),
        },
        None => return Err(bad(ureq_proto::Error::OutputOverflow).into()),
    };
    let mut rest = &hop.body[..];
    loop {
        let (used, n) = sending.write(rest, &mut out).map_err(bad)?;
        rest = &rest[used..];
        io.write_all(&out[..n]).await.map_err(wire)?;
        if rest.is_empty() && sending.can_proceed() {
            break;
        }
    }
    sending
        .proceed()
        .ok_or_else(|| bad(ureq_proto::Error::BodyContentAfterFinish).into())
}

/// Bytes read from the connection and not yet used by the protocol.
///
/// The buffer is zeroed once per exchange and then reused: zeroing a fresh
/// chunk for every read cost a measurable share of a 64 KiB download.
struct Input {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Input {
    fn new() -> Self {
        Self {
            buf: vec![0; READ_CHUNK],
            start: 0,
            end: 0,
        }
    }

    fn data(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn len(&self) -> usize {
        self.end - self.start
    }

    fn is_empty(&self) -> bool {
        self.start == self.end
    }

    fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.end);
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Read more from `io` after what is held; the count (0 at EOF). The
    /// buffer grows only while one message (a header block) does not fit.
    async fn read_more<T: Transport>(&mut self, io: &mut T) -> Result<usize, LinkError> {
        if self.end == self.buf.len() {
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
        let n = io.read(&mut self.buf[self.end..]).await?;
        self.end += n;
        Ok(n)
    }
}

fn headers_of(response: &http::Response<()>) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(n, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (n.as_str().to_owned(), value)
        })
        .collect()
}

/// Read the status line, headers and body.
async fn receive<T: Transport>(
    io: &mut T,
    mut call: Call<RecvResponse>,
    cx: &mut Context<'_>,
) -> Result<Answer, Failed> {
    let host = cx.host;
    let mut input = Input::new();
    let mut seen_any = false;
    let response = loop {
        if !input.is_empty() {
            match call.try_response(input.data(), false) {
                Ok((used, found)) => {
                    input.consume(used);
                    if let Some(response) = found {
                        break response;
                    }
                    if used > 0 {
                        continue; // an interim 1xx; the real answer may follow
                    }
                }
                Err(ureq_proto::Error::HttpParseTooManyHeaders) => {
                    return Err(HttpError::HeadersTooLarge {
                        host: host.to_owned(),
                        limit: cx.limits.max_head,
                    }
                    .into())
                }
                Err(e) => return Err(bad_response(host, &e).into()),
            }
        }
        if input.len() >= cx.limits.max_head {
            return Err(HttpError::HeadersTooLarge {
                host: host.to_owned(),
                limit: cx.limits.max_head,
            }
            .into());
        }
        let during = if seen_any {
            "in the middle of the response headers"
        } else {
            "before answering"
        };
        let n = input.read_more(io).await.map_err(|e| Failed {
            error: link_error(e, host, during),
            unanswered: !seen_any,
        })?;
        if n == 0 {
            return Err(Failed {
                error: HttpError::ConnectionReset {
                    host: host.to_owned(),
                    during,
                },
                unanswered: !seen_any,
            });
        }
        seen_any = true;
        cx.watch.touch();
    };
    let status = response.status().as_u16();
    let headers = headers_of(&response);
    let Some(next) = call.proceed() else {
        return Err(bad_response(
            host,
            &ureq_proto::Error::HttpParseFail("no body mode".into()),
        )
        .into());
    };
    let (body, ended) = match next {
        RecvResponseResult::RecvBody(mut reading) => {
            cx.watch.enter(Phase::Body, host);
            let mode = reading.body_mode();
            let total = match mode {
                BodyMode::LengthDelimited(n) => Some(n),
                _ => None,
            };
            if total.is_some_and(|t| t > cx.limits.max_body) {
                return Err(too_large(cx.url, cx.limits.max_body).into());
            }
            let mut body = Body::new(status, total);
            // Growing the body by doubling would copy it over and over; an
            // announced length is reserved at once (within reason: a lying
            // server gets at most 8 MiB up front, and the cap still holds).
            if let Some(t) = total {
                body.bytes
                    .reserve_exact(usize::try_from(t.min(8 << 20)).unwrap_or(0));
            }
            let close_delimited = matches!(mode, BodyMode::CloseDelimited);
            let mut eof = false;
            loop {
                body.decode(&mut reading, &mut input, host)?;
                if body.bytes.len() as u64 > cx.limits.max_body {
                    return Err(too_large(cx.url, cx.limits.max_body).into());
                }
                body.report(cx);
                if !close_delimited && reading.can_proceed() {
                    break;
                }
                if eof {
                    if close_delimited {
                        break;
                    }
                    return Err(HttpError::ConnectionReset {
                        host: host.to_owned(),
                        during: "in the middle of the body",
                    }
                    .into());
                }
                let n = input
                    .read_more(io)
                    .await
                    .map_err(|e| link_error(e, host, "in the middle of the body"))?;
                eof = n == 0;
                cx.watch.touch();
            }
            let clean = !eof && input.is_empty();
            match reading.proceed() {
                Some(RecvBodyResult::Redirect(r)) => {
                    (body.bytes, Ended::Redirect(Box::new(r), clean))
                }
                Some(RecvBodyResult::Cleanup(c)) => {
                    (body.bytes, Ended::Done(clean && !c.must_close_connection()))
                }
                None => (body.bytes, Ended::Done(false)),
            }
        }
        RecvResponseResult::Redirect(r) => {
            (Vec::new(), Ended::Redirect(Box::new(r), input.is_empty()))
        }
        RecvResponseResult::Cleanup(c) => (
            Vec::new(),
            Ended::Done(input.is_empty() && !c.must_close_connection()),
        ),
    };
    let (reusable, next) = match ended {
        Ended::Done(reusable) => (reusable, None),
        Ended::Redirect(mut r, clean) => {
            let reusable = clean && !r.must_close_connection();
            let next = if cx.follow_redirects {
                follow(&mut r, cx.url)?
            } else {
                None
            };
            (reusable, next)
        }
    };
    Ok(Answer {
        status,
        headers,
        body,
        reusable,
        next,
    })
}

enum Ended {
    Done(bool),
    Redirect(Box<Call<ureq_proto::client::state::Redirect>>, bool),
}

/// Where a redirect leads, or `None` if it must not be followed (a 307 or
/// 308 of a request with a body: the app gets the 3xx itself).
fn follow(
    r: &mut Call<ureq_proto::client::state::Redirect>,
    url: &str,
) -> Result<Option<Hop>, HttpError> {
    match r.as_new_call(RedirectAuthHeaders::Never) {
        Ok(Some(call)) => Ok(Some(Hop {
            method: call.method().clone(),
            uri: call.uri().clone(),
            headers: call.headers().clone(),
            body: Vec::new(),
        })),
        // A 3xx with nowhere to go (300 Multiple Choices often has no
        // location) is the answer itself.
        Ok(None) | Err(ureq_proto::Error::NoLocationHeader) => Ok(None),
        Err(e) => Err(HttpError::BadRedirect {
            url: url.to_owned(),
            reason: e.to_string(),
        }),
    }
}

fn too_large(url: &str, limit: u64) -> HttpError {
    HttpError::BodyTooLarge {
        url: url.to_owned(),
        limit,
    }
}

/// A body being received, and when it was last reported.
struct Body {
    bytes: Vec<u8>,
    status: u16,
    total: Option<u64>,
    reported: u64,
    /// Wall-clock time, not the loop's: bytes arrive in real time even
    /// under the test harness's virtual clock, and a slow body should
    /// still be reported there.
    reported_at: Instant,
}

impl Body {
    fn new(status: u16, total: Option<u64>) -> Self {
        Self {
            bytes: Vec::new(),
            status,
            total,
            reported: 0,
            reported_at: Instant::now(),
        }
    }

    /// Decode what `input` holds onto the body.
    fn decode(
        &mut self,
        reading: &mut Call<ureq_proto::client::state::RecvBody>,
        input: &mut Input,
        host: &str,
    ) -> Result<(), HttpError> {
        while !input.is_empty() {
            let start = self.bytes.len();
            // Decoding never makes more bytes than it takes.
            self.bytes.resize(start + input.len(), 0);
            let decoded = reading.read(input.data(), &mut self.bytes[start..]);
            let (used, n) = match decoded {
                Ok(v) => v,
                Err(e) => {
                    self.bytes.truncate(start);
                    return Err(bad_response(host, &e));
                }
            };
            self.bytes.truncate(start + n);
            input.consume(used);
            if used == 0 && n == 0 {
                break;
            }
        }
        Ok(())
    }

    /// Report progress if enough bytes or time went by since the last report.
    fn report(&mut self, cx: &mut Context<'_>) {
        let received = self.bytes.len() as u64;
        if received == self.reported {
            return;
        }
        let now = Instant::now();
        let due_by_time = now.duration_since(self.reported_at) >= PROGRESS_PERIOD;
        if received - self.reported >= cx.limits.progress_every || due_by_time {
            self.reported = received;
            self.reported_at = now;
            (cx.progress)(Progress {
                status: self.status,
                received,
                total: self.total,
            });
        }
    }
}

#[cfg(test)]
#[path = "exchange_tests.rs"]
mod tests;
