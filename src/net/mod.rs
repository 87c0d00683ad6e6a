//! Sockets on the one loop: TCP streams and listeners, UDP sockets, and name
//! resolution, with no thread per socket and no second runtime.
//!
//! A socket is a calloop source on the loop thread. An operation that would
//! block leaves its task's waker with the socket and returns; when the poller
//! reports readiness the task is woken through the queue like any other, and
//! tries again. Names resolve on the worker pool, since the system resolver
//! blocks. Readiness is watched only while something waits, so an idle
//! connection costs the loop nothing.
//!
//! Two styles, as with files:
//!
//! - **Futures** inside [`Cx::spawn`](crate::Cx::spawn):
//!   ```no_run
//!   # use std::time::Duration;
//!   # async fn demo() -> Result<(), oneloop::net::NetError> {
//!   use oneloop::net::TcpStream;
//!   let mut s = TcpStream::connect("127.0.0.1:8080", Duration::from_secs(5)).await?;
//!   s.write_all(b"ping\n").await?;
//!   let mut buf = [0; 1024];
//!   let n = s.read(&mut buf).await?;
//!   # Ok(()) }
//!   ```
//!   Dropping a future (or the task) closes the socket it was opening;
//!   dropping a stream closes it.
//! - **Messages** from `update`: [`Cx::connect`](crate::Cx::connect) and
//!   [`Cx::listen`](crate::Cx::listen) give a [`ConnId`]; what happens on
//!   the connection arrives as [`NetEvent`]s in
//!   [`Event::Io`](crate::Event::Io), and [`Cx::send`](crate::Cx::send)
//!   writes. A peer that sends faster than the app handles is paused while
//!   the IO lane is full, never buffered without bound.
//!
//! Quitting closes every socket the loop holds.

mod conn;
mod error;
mod listener;
mod resolve;
pub(crate) mod source;
mod tcp_stream;
mod udp;

pub use conn::{ConnId, ListenerId, NetEvent, READ_CHUNK};
pub use error::{During, NetError};
pub use listener::TcpListener;
pub use resolve::resolve;
pub use tcp_stream::TcpStream;
pub use udp::UdpSocket;

pub(crate) use conn::LoopNet;

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};

use crate::task::TaskContext;
use source::Registry;

/// The context of the task polling a net future, or an error saying where
/// net futures run.
fn current_task() -> Result<Rc<TaskContext>, NetError> {
    crate::task::current().ok_or_else(|| {
        tracing::error!("oneloop::net futures must run inside a task spawned with cx.spawn");
        NetError::other("oneloop::net futures run only inside a task spawned with cx.spawn")
    })
}

/// The registry of the loop polling the current task.
pub(crate) fn current_registry() -> std::io::Result<Rc<dyn Registry>> {
    current_task()
        .ok()
        .and_then(|ctx| ctx.net.registry())
        .ok_or_else(|| {
            std::io::Error::other(
                "oneloop::net sockets wait only inside a task spawned with cx.spawn",
            )
        })
}

/// The deadline `timeout` from now, on the loop's clock.
fn deadline_in(timeout: Option<Duration>) -> Result<Option<Instant>, NetError> {
    match timeout {
        None => Ok(None),
        Some(t) => Ok(Some(current_task()?.clock.now() + t)),
    }
}

/// Run `fut`, failing with `TimedOut { during }` once `deadline` passes.
/// The wait is a loop timer (the same as `oneloop::time::sleep`), armed once.
async fn within<T>(
    deadline: Option<Instant>,
    during: error::During,
    fut: impl Future<Output = Result<T, NetError>>,
) -> Result<T, NetError> {
    let mut fut = pin!(fut);
    let Some(deadline) = deadline else {
        return fut.await;
    };
    let ctx = current_task()?;
    let mut armed = false;
    poll_fn(|cx| {
        if let Poll::Ready(done) = fut.as_mut().poll(cx) {
            return Poll::Ready(done);
        }
        if ctx.clock.now() >= deadline {
            return Poll::Ready(Err(NetError::TimedOut { during }));
        }
        if !armed {
            ctx.sleeps.borrow_mut().push((deadline, cx.waker().clone()));
            armed = true;
        }
        Poll::Pending
    })
    .await
}
