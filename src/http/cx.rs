//! The `Cx` methods that issue HTTP requests from `update`.

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use super::client::Client;
use super::error::HttpError;
use super::request::Request;
use super::response::{Progress, Response};
use crate::app::Cx;
use crate::io::{IoItem, RequestId};

/// Set by `cx.cancel`; wakes the request's task so it drops the connection
/// now rather than at its next read.
#[derive(Default)]
struct CancelFlag {
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl CancelFlag {
    fn fire(&self) {
        self.fired.set(true);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    /// Run `work` until it ends or the flag fires.
    async fn guard<T>(
        &self,
        work: impl Future<Output = Result<T, HttpError>>,
    ) -> Result<T, HttpError> {
        let mut work = pin!(work);
        poll_fn(|cx| {
            if self.fired.get() {
                return Poll::Ready(Err(HttpError::Cancelled));
            }
            if let Poll::Ready(done) = work.as_mut().poll(cx) {
                return Poll::Ready(done);
            }
            *self.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

impl<M: Debug + Send + 'static> Cx<M> {
    /// `GET` a URL; the response arrives through `map` as
    /// [`Event::Io`](crate::Event::Io).
    ///
    /// ```no_run
    /// # use oneloop::http::{HttpError, Response};
    /// # #[derive(Debug)] enum Msg { Fetched(Result<Response, HttpError>) }
    /// # fn demo(cx: &mut oneloop::Cx<Msg>) {
    /// let id = cx.http_get("http://127.0.0.1:8080/", Msg::Fetched);
    /// # }
    /// ```
    pub fn http_get<F>(&mut self, url: impl Into<String>, map: F) -> RequestId
    where
        F: FnOnce(Result<Response, HttpError>) -> M + Send + 'static,
    {
        self.http(Request::get(url), |_| None, map)
    }

    /// Send `request`; `on_progress` may turn progress reports into
    /// messages while the body streams in, and the outcome arrives through
    /// `map`, all as [`Event::Io`](crate::Event::Io).
    ///
    /// The request runs on the loop thread (its socket is a loop source),
    /// so `on_progress` need not be `Send`. [`Cx::cancel`] with the returned
    /// id closes the connection at once; `map` then gets
    /// [`HttpError::Cancelled`], exactly once, and unhandled progress
    /// reports are dropped.
    pub fn http<P, F>(&mut self, request: Request, on_progress: P, map: F) -> RequestId
    where
        P: FnMut(Progress) -> Option<M> + 'static,
        F: FnOnce(Result<Response, HttpError>) -> M + Send + 'static,
    {
        self.http_via(None, request, on_progress, map)
    }

    /// [`Cx::http`] through `client` (its own roots and connection pool)
    /// rather than the loop's default one, or the default with `None`.
    pub fn http_via<P, F>(
        &mut self,
        client: Option<&Client>,
        request: Request,
        mut on_progress: P,
        map: F,
    ) -> RequestId
    where
        P: FnMut(Progress) -> Option<M> + 'static,
        F: FnOnce(Result<Response, HttpError>) -> M + Send + 'static,
    {
        let client = client.cloned();
        let flag = Rc::new(CancelFlag::default());
        let on_cancel = Rc::clone(&flag);
        let id = self.requests.open_local(Box::new(move || on_cancel.fire()));
        if self.tape.is_replaying() {
            // A replay hands the app the recorded completion instead.
            return id;
        }
        self.install_net();
        let poster = self.poster.clone();
        let task = async move {
            let client = client.unwrap_or_else(Client::shared);
            let mut report = |p: Progress| {
                if let Some(msg) = on_progress(p) {
                    // On the loop thread this never waits.
                    let _ = poster.post_io(IoItem::Progress(id, msg));
                }
            };
            let result = flag.guard(client.send_with(request, &mut report)).await;
            let finish = Box::new(move |cancelled: bool| {
                if cancelled {
                    map(Err(HttpError::Cancelled))
                } else {
                    map(result)
                }
            });
            let _ = poster.post_io(IoItem::Done(id, finish));
            None
        };
        self.executor.spawn(Box::pin(task)).detach();
        id
    }
}
