//! [`Client`]: TLS roots, the keep-alive pool, and the request loop that
//! follows redirects.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::ClientConfig;
use ureq_proto::http::{HeaderMap, HeaderName, HeaderValue, Uri};

use super::conn::{self, Conn, Target};
use super::error::HttpError;
use super::exchange::{exchange, Answer, Context, Hop};
use super::request::{Limits, Request};
use super::response::{Progress, Response};
use super::Watch;
use crate::task::{self, TaskContext};

/// How many idle connections a client keeps per host by default.
const IDLE_PER_HOST: usize = 4;

struct Inner {
    roots: RefCell<Vec<CertificateDer<'static>>>,
    tls: RefCell<Option<Arc<ClientConfig>>>,
    pool: RefCell<super::pool::Pool>,
    opened: Cell<u64>,
}

/// An HTTP client: the TLS roots it trusts and its pool of keep-alive
/// connections. Clones share both. A client lives on one loop's thread;
/// `cx.http*` and [`get`](super::get) use the loop's default one.
///
/// ```no_run
/// # async fn demo(der: Vec<u8>) -> Result<(), oneloop::http::HttpError> {
/// use oneloop::http::{Client, Request};
/// let client = Client::new();
/// client.add_root_certificate(der)?; // e.g. a company's private CA
/// let page = client.send(Request::get("https://intranet.example/")).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client(Rc<Inner>);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("extra_roots", &self.0.roots.borrow().len())
            .field("idle", &self.idle_connections())
            .field("opened", &self.connections_opened())
            .finish()
    }
}

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

thread_local! {
    /// The default client of the loop running on this thread.
    static SHARED: RefCell<Option<(Weak<TaskContext>, Client)>> = const { RefCell::new(None) };
}

impl Client {
    /// A client with Mozilla's roots and an empty pool.
    #[must_use]
    pub fn new() -> Self {
        Client(Rc::new(Inner {
            roots: RefCell::new(Vec::new()),
            tls: RefCell::new(None),
            pool: RefCell::new(super::pool::Pool::new(IDLE_PER_HOST)),
            opened: Cell::new(0),
        }))
    }

    /// The default client of the loop polling the current task (a fresh
    /// one for each loop, so no connection outlives its loop's use).
    pub(crate) fn shared() -> Self {
        let ctx = task::current();
        SHARED.with(|slot| {
            let mut slot = slot.borrow_mut();
            if let (Some((owner, client)), Some(ctx)) = (slot.as_ref(), ctx.as_ref()) {
                if owner.upgrade().is_some_and(|o| Rc::ptr_eq(&o, ctx)) {
                    return client.clone();
                }
            }
            let client = Client::new();
            if let Some(ctx) = ctx {
                *slot = Some((Rc::downgrade(&ctx), client.clone()));
            }
            client
        })
    }

    /// Trust `der` (a DER-encoded certificate) as a root, besides Mozilla's.
    pub fn add_root_certificate(&self, der: impl Into<Vec<u8>>) -> Result<(), HttpError> {
        let der = CertificateDer::from(der.into());
        // Parse it now, so a bad certificate is reported here rather than
        // at the first request.
        let mut probe = rustls::RootCertStore::empty();
        probe
            .add(der.clone())
            .map_err(|e| HttpError::BadRoot(e.to_string()))?;
        self.0.roots.borrow_mut().push(der);
        *self.0.tls.borrow_mut() = None;
        Ok(())
    }

    /// Keep at most `n` idle connections per host (0: never reuse one).
    pub fn set_max_idle_per_host(&self, n: usize) {
        self.0.pool.borrow_mut().set_per_target(n);
    }

    /// How many idle connections are kept right now.
    #[must_use]
    pub fn idle_connections(&self) -> usize {
        self.0.pool.borrow().len()
    }

    /// How many connections this client has opened so far.
    #[must_use]
    pub fn connections_opened(&self) -> u64 {
        self.0.opened.get()
    }

    /// Send `request` and wait for the whole response. Run it inside a task
    /// spawned with [`Cx::spawn`](crate::Cx::spawn).
    pub async fn send(&self, request: Request) -> Result<Response, HttpError> {
        self.send_with(request, &mut |_| {}).await
    }

    /// [`Client::send`], calling `progress` as the body streams in.
    pub(crate) async fn send_with(
        &self,
        request: Request,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Response, HttpError> {
        let Some(ctx) = task::current() else {
            tracing::error!("oneloop::http requests run only inside a task spawned with cx.spawn");
            return Err(HttpError::Io {
                host: request.url.clone(),
                reason: "oneloop::http requests run only inside a task spawned with cx.spawn"
                    .into(),
            });
        };
        let watch = Watch::new(request.limits);
        watch
            .run(self.follow(&ctx, request, &watch, progress))
            .await
    }

    fn tls(&self) -> Result<Arc<ClientConfig>, HttpError> {
        if let Some(config) = self.0.tls.borrow().as_ref() {
            return Ok(Arc::clone(config));
        }
        let config = super::tls::config(&self.0.roots.borrow()).map_err(HttpError::BadRoot)?;
        *self.0.tls.borrow_mut() = Some(Arc::clone(&config));
        Ok(config)
    }

    /// Send each hop, following redirects until an answer is final.
    async fn follow(
        &self,
        ctx: &Rc<TaskContext>,
        request: Request,
        watch: &Watch,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Response, HttpError> {
        let limits = request.limits;
        let mut hop = first_hop(request)?;
        let mut chain = vec![hop.uri.to_string()];
        loop {
            let url = hop.uri.to_string();
            let target = Target::of(&hop.uri).map_err(|reason| HttpError::BadUrl {
                url: url.clone(),
                reason,
            })?;
            let answer = self
                .attempt(ctx, &target, &hop, &url, &limits, watch, progress)
                .await?;
            let Some(next) = answer.next else {
                chain.pop();
                return Ok(Response {
                    status: answer.status,
                    headers: answer.headers,
                    body: answer.body,
                    url,
                    redirects: chain,
                    elapsed: watch.elapsed(),
                });
            };
            let next_url = next.uri.to_string();
            let repeats = chain.contains(&next_url);
            chain.push(next_url);
            if repeats || chain.len() > limits.max_redirects + 1 {
                return Err(HttpError::RedirectLoop { chain });
            }
            hop = next;
        }
    }

    /// One hop: on a pooled connection if there is one (sent again on a
    /// fresh one if the server had closed it meanwhile), else a new one.
    #[expect(
        clippy::too_many_arguments,
        reason = "one private step of `follow`, called once"
    )]
    async fn attempt(
        &self,
        ctx: &Rc<TaskContext>,
        target: &Target,
        hop: &Hop,
        url: &str,
        limits: &Limits,
        watch: &Watch,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Answer, HttpError> {
        let now = ctx.clock.now();
        let pooled = self.0.pool.borrow_mut().take(target, ctx, now);
        let reused = pooled.is_some();
        let mut conn = match pooled {
            Some(conn) => conn,
            None => self.open(target, limits, watch).await?,
        };
        let mut cx = Context {
            host: &target.host,
            url,
            limits,
            watch,
            follow_redirects: limits.max_redirects > 0,
            progress,
        };
        let answer = match exchange(&mut conn, hop, &mut cx).await {
            Ok(answer) => answer,
            Err(failed) if failed.unanswered && reused => {
                tracing::debug!(%target, "pooled connection was closed by the server; reconnecting");
                conn = self.open(target, limits, watch).await?;
                exchange(&mut conn, hop, &mut cx)
                    .await
                    .map_err(|f| f.error)?
            }
            Err(failed) => return Err(failed.error),
        };
        if answer.reusable {
            self.0
                .pool
                .borrow_mut()
                .put(target.clone(), conn, ctx, ctx.clock.now());
        }
        Ok(answer)
    }

    async fn open(
        &self,
        target: &Target,
        limits: &Limits,
        watch: &Watch,
    ) -> Result<Conn, HttpError> {
        self.0.opened.set(self.0.opened.get() + 1);
        conn::open(target, || self.tls(), limits.connect, watch).await
    }
}

/// The first hop of a request, its URL and headers checked.
fn first_hop(request: Request) -> Result<Hop, HttpError> {
    let bad_url = |reason: String| HttpError::BadUrl {
        url: request.url.clone(),
        reason,
    };
    let uri: Uri = request
        .url
        .trim()
        .parse()
        .map_err(|e| bad_url(format!("{e}")))?;
    Target::of(&uri).map_err(bad_url)?;
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        let bad = |reason: String| HttpError::BadHeader {
            name: name.clone(),
            reason,
        };
        let n = HeaderName::from_bytes(name.as_bytes()).map_err(|e| bad(e.to_string()))?;
        let v = HeaderValue::from_str(value).map_err(|e| bad(e.to_string()))?;
        headers.append(n, v);
    }
    Ok(Hop {
        method: request.method.to_http(),
        uri,
        headers,
        body: request.body,
    })
}
