//! What can go wrong with an HTTP request, in terms a user can act on.

use std::fmt;

/// Which step of a request was waiting when a timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Resolving the name and opening the TCP connection.
    Connect,
    /// The TLS handshake.
    Tls,
    /// Sending the request line, headers and body.
    Send,
    /// Waiting for the status line and headers.
    Response,
    /// Receiving the body.
    Body,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Connect => "connecting",
            Phase::Tls => "the TLS handshake",
            Phase::Send => "sending the request",
            Phase::Response => "waiting for the response headers",
            Phase::Body => "receiving the body",
        })
    }
}

/// Which limit a timeout came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timeout {
    /// [`Request::connect_timeout`](crate::http::Request::connect_timeout):
    /// connecting and the TLS handshake took too long.
    Connect,
    /// [`Request::read_timeout`](crate::http::Request::read_timeout): the
    /// server sent nothing for that long.
    Idle,
    /// [`Request::total_timeout`](crate::http::Request::total_timeout): the
    /// whole request, redirects included, took too long.
    Total,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Timeout::Connect => "connect timeout",
            Timeout::Idle => "read timeout",
            Timeout::Total => "total timeout",
        })
    }
}

/// Why an HTTP request produced no response.
///
/// Each variant names the host or URL involved, so the message alone tells
/// a user what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The URL could not be used (not `http` or `https`, no host, bad syntax).
    #[error("{url:?} is not a usable URL: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A header name or value given to the request is not valid HTTP.
    #[error("bad request header {name:?}: {reason}")]
    BadHeader {
        /// The header's name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The host name does not resolve.
    #[error("the name {host:?} does not resolve: {reason}")]
    Dns {
        /// The host name.
        host: String,
        /// The resolver's message.
        reason: String,
    },
    /// Nothing listens at that address and port.
    #[error("{host}:{port} refused the connection")]
    Refused {
        /// The host name.
        host: String,
        /// The port.
        port: u16,
    },
    /// A limit ran out while the request was in `phase`.
    #[error("{host}: {limit} of {after_ms} ms ran out while {phase}")]
    TimedOut {
        /// The host that was being talked to.
        host: String,
        /// The step that was waiting.
        phase: Phase,
        /// Which limit fired.
        limit: Timeout,
        /// That limit, in milliseconds.
        after_ms: u64,
    },
    /// The server's certificate is not trusted for this host.
    #[error("the certificate of {host} is not trusted: {reason}")]
    Certificate {
        /// The host name the certificate was checked against.
        host: String,
        /// Why it was rejected (unknown issuer, expired, wrong name...).
        reason: String,
    },
    /// A root certificate given to [`Client::add_root_certificate`](crate::http::Client::add_root_certificate)
    /// could not be used.
    #[error("the root certificate could not be used: {0}")]
    BadRoot(String),
    /// The TLS handshake or a TLS record failed for another reason.
    #[error("TLS with {host} failed: {reason}")]
    Tls {
        /// The host.
        host: String,
        /// rustls's reason.
        reason: String,
    },
    /// The server answered with something that is not an HTTP/1.x status
    /// line and headers.
    #[error("{host} did not answer with HTTP: {reason}")]
    BadResponse {
        /// The host.
        host: String,
        /// What the parser objected to.
        reason: String,
    },
    /// The response's status line and headers exceed the limit.
    #[error("{host} sent more than {limit} bytes of response headers")]
    HeadersTooLarge {
        /// The host.
        host: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The body is larger than the request's cap
    /// ([`Request::max_body`](crate::http::Request::max_body)); nothing more
    /// was read.
    #[error("the body from {url} is larger than the {limit}-byte cap")]
    BodyTooLarge {
        /// The URL whose body it was.
        url: String,
        /// The cap in bytes.
        limit: u64,
    },
    /// Redirects went in a circle or past the limit.
    #[error("redirect loop: {}", chain.join(" -> "))]
    RedirectLoop {
        /// Every URL visited, in order, ending with the one that repeats or
        /// exceeds the limit.
        chain: Vec<String>,
    },
    /// A redirect's `Location` could not be followed.
    #[error("{url} redirects to an unusable location: {reason}")]
    BadRedirect {
        /// The URL that redirected.
        url: String,
        /// What is wrong with its location.
        reason: String,
    },
    /// The server closed or reset the connection before the response was
    /// complete.
    #[error("{host} closed the connection {during}")]
    ConnectionReset {
        /// The host.
        host: String,
        /// When: "before answering", "in the middle of the body"...
        during: &'static str,
    },
    /// The request was cancelled (by `cx.cancel`, a dropped future or task,
    /// or quit).
    #[error("cancelled")]
    Cancelled,
    /// Another IO error from the operating system.
    #[error("{host}: {reason}")]
    Io {
        /// The host.
        host: String,
        /// The system's message.
        reason: String,
    },
}

impl HttpError {
    /// Whether the request may succeed if simply tried again later (timeouts,
    /// resets, refused connections), as opposed to errors that need a
    /// different URL, certificate or limit.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            HttpError::TimedOut { .. }
                | HttpError::ConnectionReset { .. }
                | HttpError::Refused { .. }
                | HttpError::Io { .. }
        )
    }
}
