//! 1,000 concurrent HTTP GETs of 64 KiB each from a loopback server in its
//! own process, a fresh connection per request: oneloop (one loop thread,
//! its sockets loop sources), tokio's current-thread runtime with hyper,
//! and ureq on a pool of as many threads as oneloop's worker pool. Then the
//! resident memory each idle keep-alive connection costs at 1,000 of them,
//! measured in a fresh process per client, and the file descriptors left
//! once they are closed.
//!
//! `cargo run --release -- [--requests N] [--rounds R]` from this folder.
//! Rounds interleave the peers (oneloop, hyper, ureq, oneloop, ...), and
//! each figure is the median of its rounds.

#![allow(clippy::print_stdout, reason = "a benchmark prints its table")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use oneloop::http::{Client, HttpError, Request, Response};
use oneloop::{App, Cx, Event, EventLoop, Lifecycle, Settings};

type Error = Box<dyn std::error::Error>;

const BODY: usize = 64 * 1024;

fn main() -> Result<(), Error> {
    raise_fd_limit();
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let requests = flag("--requests", 1000);
    let rounds = flag("--rounds", 5);
    let mut server = Server::start()?;
    if let Some(i) = args.iter().position(|a| a == "--idle") {
        // The child mode of the memory rows.
        let peer = args.get(i + 1).map_or("oneloop", String::as_str);
        return idle_memory(peer, &server.addr, requests);
    }
    let threads = oneloop::io::Pool::default_threads();
    println!(
        "{requests} concurrent GETs of {} KiB, fresh connection each, {rounds} rounds (median); \
         ureq on {threads} threads",
        BODY / 1024
    );
    let mut times: [Vec<Duration>; 3] = Default::default();
    for _ in 0..rounds {
        times[0].push(timed(|| oneloop_batch(&server.addr, requests))?);
        times[1].push(timed(|| hyper_batch(&server.addr, requests))?);
        times[2].push(timed(|| ureq_batch(&server.addr, requests, threads))?);
    }
    println!("{:<28} {:>10} {:>10} {:>12}", "client", "median ms", "req/s", "vs oneloop");
    let base = median(&mut times[0].clone());
    for (name, t) in ["oneloop (1 loop thread)", "tokio current-thread + hyper", "ureq thread pool"]
        .iter()
        .zip(times.iter_mut())
    {
        let m = median(t);
        println!(
            "{name:<28} {:>10.1} {:>10.0} {:>11.2}x",
            m.as_secs_f64() * 1e3,
            requests as f64 / m.as_secs_f64(),
            base.as_secs_f64() / m.as_secs_f64()
        );
    }
    println!("\nidle keep-alive connections, {requests} open, after one {} KiB GET each:", BODY / 1024);
    for peer in ["oneloop", "hyper"] {
        let exe = std::env::current_exe()?;
        let out = Command::new(exe)
            .args(["--idle", peer, "--requests", &requests.to_string()])
            .output()?;
        print!("{}", String::from_utf8_lossy(&out.stdout));
        if !out.status.success() {
            println!("{peer}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    server.stop();
    Ok(())
}

fn timed(f: impl FnOnce() -> Result<usize, Error>) -> Result<Duration, Error> {
    let start = Instant::now();
    let ok = f()?;
    let took = start.elapsed();
    if ok == 0 {
        return Err("no request succeeded".into());
    }
    Ok(took)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The server process.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Result<Self, Error> {
        let exe = std::env::current_exe()?.with_file_name("http-peers-server");
        let mut child = Command::new(&exe)
            .arg(BODY.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e} (build it with cargo build --release)", exe.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let addr = line.trim().strip_prefix("listening ").ok_or("server did not start")?.to_owned();
        Ok(Self { child, addr })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------- oneloop

/// `n` requests from `update`, all at once; quits when all are done.
struct Batch {
    url: String,
    n: usize,
    close: bool,
    client: Client,
    /// The memory rows give each request a client of its own: with one
    /// shared client, a request that starts after another finished reuses
    /// its connection, and fewer than `n` would be open at the end.
    own_clients: Vec<Client>,
    done: usize,
    ok: usize,
    /// Measured in the app when the last completes (the idle rows).
    on_done: Option<Box<dyn FnMut(&Batch)>>,
}

#[derive(Debug)]
enum Msg {
    Done(Result<Response, HttpError>),
}

impl App for Batch {
    type Message = Msg;

    fn update(&mut self, event: Event<Msg>, cx: &mut Cx<Msg>) {
        match event {
            Event::Lifecycle(Lifecycle::Started) => {
                for _ in 0..self.n {
                    self.start(cx);
                }
            }
            Event::Io(Msg::Done(result)) => {
                self.done += 1;
                match result {
                    Ok(r) if r.body.len() == BODY => self.ok += 1,
                    Ok(r) => eprintln!("short body: {}", r.body.len()),
                    Err(e) => eprintln!("oneloop: {e}"),
                }
                if self.done == self.n {
                    if let Some(mut f) = self.on_done.take() {
                        f(self);
                    }
                    cx.quit();
                }
            }
            _ => {}
        }
    }
}

impl Batch {
    fn start(&mut self, cx: &mut Cx<Msg>) {
        let mut request = Request::get(self.url.clone());
        if self.close {
            request = request.header("connection", "close");
        }
        let client = if self.close {
            self.client.clone()
        } else {
            let own = Client::new();
            self.own_clients.push(own.clone());
            own
        };
        cx.http_via(Some(&client), request, |_| None, Msg::Done);
    }
}

fn oneloop_run(addr: &str, n: usize, close: bool, on_done: Option<Box<dyn FnMut(&Batch)>>) -> Result<usize, Error> {
    let client = Client::new();
    if close {
        client.set_max_idle_per_host(0);
    }
    let app = Batch {
        url: format!("http://{addr}/"),
        n,
        close,
        client,
        own_clients: Vec::new(),
        done: 0,
        ok: 0,
        on_done,
    };
    let app = EventLoop::new(app, Settings::headless())?.run()?;
    Ok(app.ok)
}

fn oneloop_batch(addr: &str, n: usize) -> Result<usize, Error> {
    oneloop_run(addr, n, true, None)
}

// ---------------------------------------------------------------- hyper

async fn hyper_get(
    addr: &str,
    close: bool,
) -> Result<(usize, hyper::client::conn::http1::SendRequest<Empty<Bytes>>), Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut request = hyper::Request::get("/").header("host", addr);
    if close {
        request = request.header("connection", "close");
    }
    let response = sender.send_request(request.body(Empty::<Bytes>::new())?).await?;
    let body = response.into_body().collect().await?.to_bytes();
    Ok((body.len(), sender))
}

fn hyper_batch(addr: &str, n: usize) -> Result<usize, Error> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..n {
            let addr = addr.to_owned();
            set.spawn(async move { hyper_get(&addr, true).await.map(|(len, _)| len).map_err(|e| e.to_string()) });
        }
        let mut ok = 0;
        while let Some(r) = set.join_next().await {
            match r {
                Ok(Ok(len)) if len == BODY => ok += 1,
                other => eprintln!("hyper: {other:?}"),
            }
        }
        Ok(ok)
    })
}

// ---------------------------------------------------------------- ureq

fn ureq_batch(addr: &str, n: usize, threads: usize) -> Result<usize, Error> {
    let url = format!("http://{addr}/");
    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (url, next, ok) = (url.clone(), Arc::clone(&next), Arc::clone(&ok));
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .max_idle_connections(0)
                    .build()
                    .into();
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    match agent.get(&url).header("connection", "close").call() {
                        Ok(mut r) => match r.body_mut().read_to_vec() {
                            Ok(b) if b.len() == BODY => {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                            other => eprintln!("ureq body: {:?}", other.map(|b| b.len())),
                        },
                        Err(e) => eprintln!("ureq: {e}"),
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().map_err(|_| "a ureq worker panicked")?;
    }
    Ok(ok.load(Ordering::Relaxed))
}

// ---------------------------------------------------------------- memory

/// Resident set size in KiB, from /proc (Linux), after handing freed heap
/// pages back to the system: 1,000 bodies of 64 KiB were alive at once, and
/// without the trim the figure would be the allocator's high-water mark
/// rather than what the idle connections hold.
fn rss_kib() -> u64 {
    trim_heap();
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[cfg(target_env = "gnu")]
#[allow(unsafe_code, reason = "one call into glibc, which has no safe wrapper")]
fn trim_heap() {
    // SAFETY: malloc_trim takes a size and only returns free memory to the OS.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(target_env = "gnu"))]
fn trim_heap() {}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

fn idle_memory(peer: &str, addr: &str, n: usize) -> Result<(), Error> {
    let fds_before = open_fds();
    match peer {
        "oneloop" => {
            // Warm up: the loop, the allocator, one connection.
            oneloop_run(addr, 1, false, None)?;
            let before = rss_kib();
            let report: Box<dyn FnMut(&Batch)> = Box::new(move |b: &Batch| {
                let after = rss_kib();
                let idle: usize = b.own_clients.iter().map(Client::idle_connections).sum();
                println!(
                    "oneloop: {idle} idle connections, {:.1} KiB resident each ({} KiB in all, \
                     a client per connection included)",
                    (after.saturating_sub(before)) as f64 / idle.max(1) as f64,
                    after.saturating_sub(before)
                );
            });
            oneloop_run(addr, n, false, Some(report))?;
        }
        _ => {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(async {
                let _warm = hyper_get(addr, false).await?;
                let before = rss_kib();
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..n {
                    let addr = addr.to_owned();
                    set.spawn(async move { hyper_get(&addr, false).await.map(|(_, s)| s).map_err(|e| e.to_string()) });
                }
                let mut senders = Vec::new();
                while let Some(r) = set.join_next().await {
                    if let Ok(Ok(s)) = r {
                        senders.push(s);
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                let after = rss_kib();
                // The senders are alive here: their connections are open.
                println!(
                    "hyper:   {} idle connections, {:.1} KiB resident each ({} KiB in all)",
                    senders.len(),
                    (after.saturating_sub(before)) as f64 / senders.len().max(1) as f64,
                    after.saturating_sub(before)
                );
                Ok::<_, Error>(())
            })?;
        }
    }
    std::thread::sleep(Duration::from_millis(100));
    println!("{peer}: file descriptors after closing: {} more than before", open_fds().saturating_sub(fds_before));
    Ok(())
}

/// 1,000 sockets need more than the usual soft limit of 1,024 descriptors.
fn raise_fd_limit() {
    use rustix::process::{getrlimit, setrlimit, Resource};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        limit.current = limit.maximum.map(|m| m.min(65_536));
        let _ = setrlimit(Resource::Nofile, limit);
    }
}
