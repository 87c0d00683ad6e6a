//! Turning `host:port` into addresses. A literal address is parsed on the
//! spot; a name goes to the worker pool, because the system resolver
//! (`getaddrinfo`) blocks and may take seconds.

use std::future::{poll_fn, Future};
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};

use super::NetError;

/// What the worker leaves for the waiting task.
type Slot = Mutex<(Option<Result<Vec<SocketAddr>, NetError>>, Option<Waker>)>;

/// Resolve `host:port` (or a literal address) to every address it names,
/// in the order the system prefers. Runs inside a task spawned with
/// `cx.spawn`; a name is looked up on the worker pool.
///
/// ```no_run
/// # async fn demo() -> Result<(), oneloop::net::NetError> {
/// let addrs = oneloop::net::resolve("localhost:8080").await?;
/// # Ok(()) }
/// ```
pub fn resolve(addr: impl Into<String>) -> impl Future<Output = Result<Vec<SocketAddr>, NetError>> {
    let addr = addr.into();
    async move {
        if let Ok(literal) = addr.parse::<SocketAddr>() {
            return Ok(vec![literal]);
        }
        let (host, port) = split_host_port(&addr)?;
        let ctx = super::current_task()?;
        let slot: Arc<Slot> = Arc::new(Mutex::new((None, None)));
        let job_slot = Arc::clone(&slot);
        let job = Box::new(move || {
            let found = lookup(&host, port);
            let waker = {
                let mut state = job_slot.lock().unwrap_or_else(PoisonError::into_inner);
                state.0 = Some(found);
                state.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        if ctx.pool.submit(job).is_err() {
            return Err(NetError::Cancelled);
        }
        // Dropping this future leaves the lookup to finish on its worker
        // (getaddrinfo cannot be interrupted); its answer is then dropped.
        poll_fn(|cx| {
            let mut state = slot.lock().unwrap_or_else(PoisonError::into_inner);
            match state.0.take() {
                Some(found) => Poll::Ready(found),
                None => {
                    state.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

/// Split `host:port`, accepting `[v6]:port` and rejecting a missing port.
fn split_host_port(addr: &str) -> Result<(String, u16), NetError> {
    let bad = || NetError::BadAddress {
        given: addr.to_owned(),
    };
    let (host, port) = addr.rsplit_once(':').ok_or_else(bad)?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.is_empty() || host.contains(':') && !addr.starts_with('[') {
        return Err(bad());
    }
    let port = port.parse::<u16>().map_err(|_| bad())?;
    Ok((host.to_owned(), port))
}

fn lookup(host: &str, port: u16) -> Result<Vec<SocketAddr>, NetError> {
    let fail = |reason: String| NetError::Resolve {
        host: host.to_owned(),
        reason,
    };
    match (host, port).to_socket_addrs() {
        Ok(found) => {
            let found: Vec<SocketAddr> = found.collect();
            if found.is_empty() {
                Err(fail("no addresses".to_owned()))
            } else {
                tracing::debug!(host, count = found.len(), "resolved");
                Ok(found)
            }
        }
        Err(e) => Err(fail(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_are_split_and_bad_forms_named() {
        assert_eq!(
            split_host_port("example.com:80").ok(),
            Some(("example.com".to_owned(), 80))
        );
        assert_eq!(
            split_host_port("[fe80::1%eth0]:443").ok(),
            Some(("fe80::1%eth0".to_owned(), 443))
        );
        for bad in [
            "example.com",
            "example.com:http",
            ":80",
            "::1:80",
            "host:70000",
        ] {
            assert!(
                matches!(split_host_port(bad), Err(NetError::BadAddress { .. })),
                "{bad} should be refused"
            );
        }
    }
}
