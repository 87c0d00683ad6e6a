//! A connection to one server: a `net::TcpStream`, in TLS or not, and how
//! it is opened.

use std::fmt;
use std::sync::Arc;

use rustls::ClientConfig;

use super::error::{HttpError, Phase, Timeout};
use super::exchange::link_error;
use super::tls::TlsStream;
use super::transport::{LinkError, Transport};
use super::Watch;
use crate::net::{NetError, TcpStream};

/// Where a request goes: one pool of connections per target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub(crate) https: bool,
    pub(crate) host: String,
    pub(crate) port: u16,
}

impl Target {
    /// The target of an absolute `http` or `https` URI.
    pub(crate) fn of(uri: &ureq_proto::http::Uri) -> Result<Self, String> {
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            Some(other) => return Err(format!("the scheme {other:?} is not http or https")),
            None => return Err("it has no scheme (write http:// or https://)".into()),
        };
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or("it has no host")?;
        // The URI keeps an IPv6 literal's brackets; names and sockets do not.
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        Ok(Self { https, host, port })
    }

    /// `host:port` as `net` takes it.
    fn addr(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.addr())
    }
}

/// An open connection.
pub(crate) enum Conn {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

fn net_link(e: NetError) -> LinkError {
    match e {
        NetError::Reset | NetError::Closed => LinkError::Reset,
        NetError::TimedOut { .. } => LinkError::TimedOut,
        other => LinkError::Io(other.to_string()),
    }
}

impl Transport for TcpStream {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, LinkError> {
        TcpStream::read(self, buf).await.map_err(net_link)
    }

    async fn write_all(&mut self, buf: &[u8]) -> Result<(), LinkError> {
        TcpStream::write_all(self, buf).await.map_err(net_link)
    }
}

impl Transport for Conn {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, LinkError> {
        match self {
            Conn::Plain(s) => Transport::read(s, buf).await,
            Conn::Tls(s) => s.read(buf).await,
        }
    }

    async fn write_all(&mut self, buf: &[u8]) -> Result<(), LinkError> {
        match self {
            Conn::Plain(s) => Transport::write_all(s, buf).await,
            Conn::Tls(s) => s.write_all(buf).await,
        }
    }
}

/// A connect failure in terms of the request.
fn connect_error(e: NetError, target: &Target, watch_limit_ms: u64) -> HttpError {
    let host = target.host.clone();
    match e {
        NetError::Resolve { reason, .. } => HttpError::Dns { host, reason },
        NetError::Refused { .. } => HttpError::Refused {
            host,
            port: target.port,
        },
        NetError::TimedOut { .. } => HttpError::TimedOut {
            host,
            phase: Phase::Connect,
            limit: Timeout::Connect,
            after_ms: watch_limit_ms,
        },
        NetError::Reset | NetError::Closed => HttpError::ConnectionReset {
            host,
            during: "while connecting",
        },
        NetError::Cancelled => HttpError::Cancelled,
        other => HttpError::Io {
            host,
            reason: other.to_string(),
        },
    }
}

/// Open a connection to `target`, with TLS for `https`.
pub(crate) async fn open(
    target: &Target,
    tls: impl FnOnce() -> Result<Arc<ClientConfig>, HttpError>,
    connect_timeout: std::time::Duration,
    watch: &Watch,
) -> Result<Conn, HttpError> {
    watch.enter(Phase::Connect, &target.host);
    let limit_ms = u64::try_from(connect_timeout.as_millis()).unwrap_or(u64::MAX);
    let stream = TcpStream::connect(target.addr(), connect_timeout)
        .await
        .map_err(|e| connect_error(e, target, limit_ms))?;
    if !target.https {
        return Ok(Conn::Plain(stream));
    }
    watch.enter(Phase::Tls, &target.host);
    let config = tls()?;
    let session = TlsStream::connect(stream, config, &target.host)
        .await
        .map_err(|e| link_error(e, &target.host, "during the TLS handshake"))?;
    Ok(Conn::Tls(Box::new(session)))
}
