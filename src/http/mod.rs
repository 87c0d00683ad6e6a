//! An HTTP/1.1 client on the one loop: no thread per request, no second
//! runtime.
//!
//! A request is a task on the loop thread: its socket is a
//! [`net::TcpStream`](crate::net::TcpStream) (a loop source), TLS is rustls
//! pumped over it, and the protocol is [ureq-proto]'s sans-IO state
//! machine. What small apps need: `GET`/`POST` with headers and a body,
//! bodies streamed with progress, content-length, chunked and
//! close-delimited bodies, redirects (bounded; a loop is reported with its
//! chain), keep-alive connections reused per host, connect, read and total
//! timeouts, a body size cap, cancellation, and typed [`HttpError`]s.
//!
//! Two styles, as with files:
//!
//! - **Messages** from `update`: [`Cx::http_get`](crate::Cx::http_get) and
//!   [`Cx::http`](crate::Cx::http) (a [`Request`] and a progress mapper);
//!   the outcome arrives as [`Event::Io`](crate::Event::Io), and
//!   [`Cx::cancel`](crate::Cx::cancel) closes the connection.
//! - **Futures** inside [`Cx::spawn`](crate::Cx::spawn):
//!   ```no_run
//!   # async fn demo() -> Result<(), oneloop::http::HttpError> {
//!   let page = oneloop::http::get("http://127.0.0.1:8080/").await?;
//!   println!("{} bytes, status {}", page.body.len(), page.status);
//!   # Ok(()) }
//!   ```
//!   Dropping the future (or the task) closes its connection.
//!
//! ## Why ureq-proto, and which roots
//! HTTP/1.1 framing is easy to get almost right: `transfer-encoding` versus
//! `content-length`, 1xx interim answers, `connection: close` and HTTP/1.0
//! keep-alive, which redirects keep the method. ureq-proto is ureq's own
//! engine, split out with no IO, maintained with ureq and tested against
//! those cases; it sits on `httparse` (which alone would leave all of the
//! above to us) and brings only `http` and `base64` with it. TLS trusts
//! Mozilla's roots from `webpki-roots`: the same on every OS, no OS call,
//! and it builds for every target oneloop checks; a private CA is added
//! with [`Client::add_root_certificate`]. See `docs/http.md`.
//!
//! [ureq-proto]: https://docs.rs/ureq-proto

mod client;
mod conn;
mod cx;
mod deadline;
mod error;
mod exchange;
mod pool;
mod request;
mod response;
mod tls;
mod transport;

pub use client::Client;
pub use error::{HttpError, Phase, Timeout};
pub use request::{Method, Request};
pub use response::{Progress, Response};

pub(crate) use deadline::Watch;

/// `GET` `url` inside a task spawned with `cx.spawn`, through the loop's
/// default client.
pub async fn get(url: impl Into<String>) -> Result<Response, HttpError> {
    Request::get(url).send().await
}

impl Request {
    /// Send this request inside a task spawned with `cx.spawn` and wait for
    /// the whole response.
    pub async fn send(self) -> Result<Response, HttpError> {
        Client::shared().send(self).await
    }

    /// [`Request::send`], calling `progress` as the body streams in.
    pub async fn send_with_progress(
        self,
        mut progress: impl FnMut(Progress),
    ) -> Result<Response, HttpError> {
        Client::shared().send_with(self, &mut progress).await
    }
}
