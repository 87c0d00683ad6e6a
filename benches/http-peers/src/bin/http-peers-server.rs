//! The benchmark's server, in its own process so that it shares no loop or
//! allocator with the clients measured: answers every `GET` with a body of
//! `BODY` bytes on a single-threaded tokio runtime (one core for the
//! server, the rest for the client). Keeps a connection open unless the
//! request says `connection: close`.
//!
//! Prints `listening ADDR` on stdout once bound.

use std::io::Write;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn main() -> std::io::Result<()> {
    let body_len: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(64 * 1024);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let mut out = std::io::stdout();
        writeln!(out, "listening {}", listener.local_addr()?)?;
        out.flush()?;
        let body = vec![b'x'; body_len];
        let response: &'static [u8] = {
            let mut r = format!("HTTP/1.1 200 OK\r\ncontent-length: {body_len}\r\n\r\n").into_bytes();
            r.extend_from_slice(&body);
            Box::leak(r.into_boxed_slice())
        };
        loop {
            let (stream, _) = listener.accept().await?;
            tokio::spawn(serve(stream, response));
        }
    })
}

async fn serve(mut stream: TcpStream, response: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buf = vec![0u8; 4096];
    let mut filled = 0;
    loop {
        let Ok(n) = stream.read(&mut buf[filled..]).await else { return };
        if n == 0 {
            return;
        }
        filled += n;
        while let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            if stream.write_all(response).await.is_err() {
                return;
            }
            buf.copy_within(end + 4..filled, 0);
            filled -= end + 4;
            if head.contains("connection: close") {
                return;
            }
        }
        if filled == buf.len() {
            return; // a head larger than 4 KiB: not our client
        }
    }
}
