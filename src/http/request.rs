//! [`Request`]: what to fetch, how, and within which limits.

use std::fmt;
use std::time::Duration;

/// The request methods small apps use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`.
    Get,
    /// `HEAD`: the status and headers only.
    Head,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl Method {
    pub(crate) fn to_http(self) -> ureq_proto::http::Method {
        use ureq_proto::http::Method as M;
        match self {
            Method::Get => M::GET,
            Method::Head => M::HEAD,
            Method::Post => M::POST,
            Method::Put => M::PUT,
            Method::Patch => M::PATCH,
            Method::Delete => M::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_http().as_str())
    }
}

/// The limits one request runs within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) connect: Duration,
    pub(crate) idle: Duration,
    pub(crate) total: Option<Duration>,
    pub(crate) max_body: u64,
    pub(crate) max_head: usize,
    pub(crate) max_redirects: usize,
    pub(crate) progress_every: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            idle: Duration::from_secs(30),
            total: None,
            max_body: 64 * 1024 * 1024,
            max_head: 64 * 1024,
            max_redirects: 10,
            progress_every: 64 * 1024,
        }
    }
}

/// An HTTP request: a method, a URL, headers and a body, with its limits.
///
/// ```no_run
/// # async fn demo() -> Result<(), oneloop::http::HttpError> {
/// use oneloop::http::Request;
/// use std::time::Duration;
/// let response = Request::post("http://127.0.0.1:8080/notes", b"hello".to_vec())
///     .header("content-type", "text/plain")
///     .read_timeout(Duration::from_secs(5))
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) limits: Limits,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers.len())
            .field("body", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request with any method and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// A `GET` of `url`.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// A `POST` of `body` to `url` (sent with its `content-length`).
    pub fn post(url: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        Self::new(Method::Post, url).body(body)
    }

    /// Set the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Add a header. `host` and `content-length` are set for you.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// How long resolving, connecting and the TLS handshake may take
    /// together (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.limits.connect = timeout;
        self
    }

    /// How long the server may send nothing once connected (default 30 s).
    /// A slow server that keeps sending never hits it.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle = timeout;
        self
    }

    /// How long the whole request may take, redirects included (default:
    /// no limit).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.limits.total = Some(timeout);
        self
    }

    /// The largest body accepted, in bytes (default 64 MiB). A larger one
    /// fails with [`HttpError::BodyTooLarge`](super::HttpError::BodyTooLarge)
    /// as soon as it is known to be larger, and the connection is closed.
    pub fn max_body(mut self, bytes: u64) -> Self {
        self.limits.max_body = bytes;
        self
    }

    /// The largest status line plus headers accepted (default 64 KiB).
    pub fn max_headers(mut self, bytes: usize) -> Self {
        self.limits.max_head = bytes.max(64);
        self
    }

    /// How many redirects to follow (default 10; 0 returns the 3xx itself).
    pub fn max_redirects(mut self, count: usize) -> Self {
        self.limits.max_redirects = count;
        self
    }

    /// Report progress every this many bytes (default 64 KiB); a slow body
    /// is also reported at least every 100 ms while bytes arrive.
    pub fn progress_every(mut self, bytes: u64) -> Self {
        self.limits.progress_every = bytes.max(1);
        self
    }

    /// The method.
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }

    /// The URL as given.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }
}
