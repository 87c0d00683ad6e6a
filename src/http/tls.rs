//! TLS on any [`Transport`], with rustls.
//!
//! rustls is itself sans-IO: it takes the bytes we read from the socket
//! (`read_tls`) and hands back the bytes to send (`write_tls`). This file
//! is the small pump between it and our async transport, so TLS needs no
//! thread and no runtime of its own.

use std::io::{self, Read, Write};
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};

use super::transport::{LinkError, Transport};

/// How much ciphertext one socket read takes.
const READ_CHUNK: usize = 8 * 1024;

/// The TLS settings of a client: Mozilla's roots (from `webpki-roots`) plus
/// any the app added.
pub(crate) fn config(extra_roots: &[CertificateDer<'static>]) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for der in extra_roots {
        roots.add(der.clone()).map_err(|e| e.to_string())?;
    }
    let provider = Arc::new(provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // Only HTTP/1.1 is spoken; saying so keeps a server from picking h2.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The crypto: *ring*.
///
/// rustls deprecates its *ring* provider because it lacks the post-quantum
/// key exchange; the provider that has it (aws-lc-rs) needs CMake and a C
/// toolchain for every target, which the cross-checked Windows and macOS
/// builds do not have. Classical X25519/P-256 key exchange is what
/// browsers used until 2024 and is still accepted everywhere.
#[expect(
    deprecated,
    reason = "ring has no post-quantum key exchange; see above"
)]
pub(crate) fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// A TLS client session over a transport.
pub(crate) struct TlsStream<T> {
    io: T,
    session: ClientConnection,
}

impl<T: Transport> TlsStream<T> {
    /// Run the handshake with `host` over `io`.
    pub(crate) async fn connect(
        io: T,
        config: Arc<ClientConfig>,
        host: &str,
    ) -> Result<Self, LinkError> {
        let name = ServerName::try_from(host.to_owned())
            .map_err(|e| LinkError::Io(format!("{host:?} is not a valid TLS server name: {e}")))?;
        let session = ClientConnection::new(config, name).map_err(LinkError::Tls)?;
        let mut stream = Self { io, session };
        while stream.session.is_handshaking() {
            stream.flush().await?;
            if stream.session.is_handshaking()
                && stream.session.wants_read()
                && !stream.fill().await?
            {
                return Err(LinkError::Reset);
            }
        }
        stream.flush().await?;
        Ok(stream)
    }

    /// Send whatever rustls has queued (handshake messages, records, alerts).
    async fn flush(&mut self) -> Result<(), LinkError> {
        let mut out = Vec::new();
        while self.session.wants_write() {
            out.clear();
            self.session
                .write_tls(&mut out)
                .map_err(|e| LinkError::Io(e.to_string()))?;
            self.io.write_all(&out).await?;
        }
        Ok(())
    }

    /// Read one chunk of ciphertext and let rustls process it. `false` at
    /// end of stream.
    async fn fill(&mut self) -> Result<bool, LinkError> {
        let mut chunk = [0u8; READ_CHUNK];
        let n = self.io.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        let mut rest = &chunk[..n];
        while !rest.is_empty() {
            self.session
                .read_tls(&mut rest)
                .map_err(|e| LinkError::Io(e.to_string()))?;
            if let Err(e) = self.session.process_new_packets() {
                // Tell the server why (rustls queued an alert); the error
                // is what matters, so a failed send of it is ignored.
                let _ = self.flush().await;
                return Err(LinkError::Tls(e));
            }
        }
        Ok(true)
    }
}

impl<T: Transport> Transport for TlsStream<T> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, LinkError> {
        loop {
            match self.session.reader().read(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    // A key update or a post-handshake ticket may want an answer.
                    self.flush().await?;
                    if !self.fill().await? {
                        // The peer closed without close_notify. Many servers
                        // do; the HTTP framing (length, chunks) tells whether
                        // the body was complete.
                        return Ok(0);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(0),
                Err(e) => return Err(LinkError::Io(e.to_string())),
            }
        }
    }

    async fn write_all(&mut self, mut buf: &[u8]) -> Result<(), LinkError> {
        while !buf.is_empty() {
            let n = self
                .session
                .writer()
                .write(buf)
                .map_err(|e| LinkError::Io(e.to_string()))?;
            buf = &buf[n..];
            self.flush().await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! The TLS pump against a real rustls server on a loopback socket (run
    //! blocking on a thread): the handshake, a round trip, and a rejected
    //! self-signed certificate.

    use std::net::{TcpListener, TcpStream};

    use super::*;
    use crate::http::transport::memory::block_on;

    /// A blocking std stream is a transport too (each call simply blocks).
    struct Blocking(TcpStream);

    impl Transport for Blocking {
        async fn read(&mut self, buf: &mut [u8]) -> Result<usize, LinkError> {
            self.0.read(buf).map_err(|e| LinkError::Io(e.to_string()))
        }
        async fn write_all(&mut self, buf: &[u8]) -> Result<(), LinkError> {
            Write::write_all(&mut self.0, buf).map_err(|e| LinkError::Io(e.to_string()))
        }
    }

    /// Serve one TLS connection that echoes one read back, upper-cased.
    fn server() -> (u16, CertificateDer<'static>, std::thread::JoinHandle<()>) {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("cert");
        let der = cert.cert.der().clone();
        let key = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der())
            .expect("key");
        let provider = Arc::new(super::provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(vec![der.clone()], key)
            .expect("server config");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let join = std::thread::spawn(move || {
            let Ok((sock, _)) = listener.accept() else {
                return;
            };
            let Ok(conn) = rustls::ServerConnection::new(Arc::new(config)) else {
                return;
            };
            let mut tls = rustls::StreamOwned::new(conn, sock);
            let mut buf = [0u8; 64];
            if let Ok(n) = tls.read(&mut buf) {
                let _ = tls.write_all(&buf[..n].to_ascii_uppercase());
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        });
        (port, der, join)
    }

    #[test]
    fn round_trip_with_the_servers_certificate_as_a_root() {
        let (port, der, join) = server();
        let sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let config = config(&[der]).expect("config");
        let mut tls =
            block_on(TlsStream::connect(Blocking(sock), config, "localhost")).expect("handshake");
        block_on(tls.write_all(b"hello")).expect("write");
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        loop {
            let n = block_on(tls.read(&mut buf)).expect("read");
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"HELLO");
        join.join().expect("server thread");
    }

    #[test]
    fn a_self_signed_certificate_is_refused_with_the_reason() {
        let (port, _der, join) = server();
        let sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let config = config(&[]).expect("config");
        let result = block_on(TlsStream::connect(Blocking(sock), config, "localhost"));
        match result {
            Err(LinkError::Tls(rustls::Error::InvalidCertificate(e))) => {
                assert_eq!(e, rustls::CertificateError::UnknownIssuer);
            }
            Err(other) => panic!("wrong error: {other}"),
            Ok(_) => panic!("an untrusted certificate was accepted"),
        }
        join.join().expect("server thread");
    }
}
