//! [`Response`] and [`Progress`]: what comes back.

use std::time::Duration;

/// A complete response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code (200, 404...).
    pub status: u16,
    /// The headers, names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body, decoded from its transfer encoding (chunks joined).
    pub body: Vec<u8>,
    /// The URL that answered, after any redirects.
    pub url: String,
    /// The URLs that redirected on the way, in order (empty if none).
    pub redirects: Vec<String>,
    /// How long the request took, first connect to last byte.
    pub elapsed: Duration,
}

impl Response {
    /// Whether the status is 2xx.
    #[must_use]
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first header called `name` (any case).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, with invalid UTF-8 replaced.
    #[must_use]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The status code's standard reason ("OK", "Not Found"), if it has one.
    #[must_use]
    pub fn reason(&self) -> Option<&'static str> {
        ureq_proto::http::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
    }
}

/// How far a response has come, reported while its body streams in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The status of the response being received.
    pub status: u16,
    /// Body bytes received so far.
    pub received: u64,
    /// The body's announced length, if the server gave one.
    pub total: Option<u64>,
}

impl Progress {
    /// The share received, from 0 to 1, if the length is known.
    #[must_use]
    pub fn fraction(&self) -> Option<f32> {
        self.total.map(|t| {
            if t == 0 {
                1.0
            } else {
                (self.received as f64 / t as f64).min(1.0) as f32
            }
        })
    }
}
