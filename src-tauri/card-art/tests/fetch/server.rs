//! Why: the fetch rules (docs/design.md §5, docs/assist-api.md §4.2 media types) are proved over
//! real HTTP on loopback. [`ArtServer`] is a well-behaved axum server with one route per case;
//! [`raw_server`] is a hand-written HTTP/1.1 server for what axum will not do on purpose
//! (bodies that never end, trickle, or contradict their headers); [`Tripwire`] proves that a
//! refused URL never even opened a connection.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The start of a real PNG (signature and IHDR of a 1×1 image).
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub const HTML: &[u8] =
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
pub const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
pub const TERMS: &str = "Terms and conditions of the card programme.\nУсловия использования.\n";
pub const THREE_MIB: usize = 3 * 1024 * 1024;

fn typed(content_type: &'static str, body: &'static [u8]) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn redirect_to(location: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// `/hop/{n}`: `n` redirects, then the PNG.
async fn hop(Path(n): Path<u32>) -> Response {
    match n.checked_sub(1) {
        Some(rest) => redirect_to(format!("/hop/{rest}")),
        None => typed("image/png", PNG),
    }
}

async fn huge() -> Response {
    let mut body = PNG.to_vec();
    body.resize(THREE_MIB, 0);
    ([(header::CONTENT_TYPE, "image/png")], body).into_response()
}

async fn slow_headers() -> Response {
    tokio::time::sleep(Duration::from_secs(30)).await;
    typed("image/png", PNG)
}

/// Requests of `/held.png` being answered right now, and the most at once.
#[derive(Debug, Default)]
pub struct Held {
    pub now: AtomicUsize,
    pub peak: AtomicUsize,
}

/// `/held.png`: the PNG after 200 ms, counting how many such requests overlap.
async fn held(held: Arc<Held>) -> Response {
    let now = held.now.fetch_add(1, Ordering::SeqCst) + 1;
    held.peak.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(200)).await;
    held.now.fetch_sub(1, Ordering::SeqCst);
    typed("image/png", PNG)
}

/// A well-behaved art server on `127.0.0.1:0`.
#[derive(Debug)]
pub struct ArtServer {
    pub addr: SocketAddr,
    pub held: Arc<Held>,
}

impl ArtServer {
    pub async fn start() -> Self {
        let counted = Arc::new(Held::default());
        let for_route = counted.clone();
        let app = Router::new()
            .route("/held.png", get(move || held(for_route.clone())))
            .route("/card.png", get(|| async { typed("image/png", PNG) }))
            // The server's own Content-Type is ignored: these bytes are a PNG.
            .route("/png-as-html", get(|| async { typed("text/html", PNG) }))
            .route(
                "/brand.pdf",
                get(|| async { typed("application/pdf", PDF) }),
            )
            .route("/page.png", get(|| async { typed("image/png", HTML) }))
            .route("/art.svg", get(|| async { typed("image/svg+xml", SVG) }))
            .route(
                "/terms.txt",
                get(|| async { typed("text/plain", TERMS.as_bytes()) }),
            )
            .route("/empty.png", get(|| async { typed("image/png", b"") }))
            .route("/huge.png", get(huge))
            .route("/slow-headers.png", get(slow_headers))
            .route("/hop/{n}", get(hop))
            .route(
                "/to-relative",
                get(|| async { redirect_to("../card.png".into()) }),
            )
            .route(
                "/to-http-public",
                get(|| async { redirect_to("http://example.com/card.png".into()) }),
            )
            .route(
                "/to-private",
                get(|| async { redirect_to("https://10.0.0.1/card.png".into()) }),
            )
            .route(
                "/to-metadata",
                get(|| async { redirect_to("https://169.254.169.254/latest/meta-data/".into()) }),
            )
            .route(
                "/to-file",
                get(|| async { redirect_to("file:///etc/passwd".into()) }),
            )
            .route(
                "/to-userinfo",
                get(|| async { redirect_to("https://user:pw@example.com/x.png".into()) }),
            )
            .route(
                "/no-location",
                get(|| async { StatusCode::FOUND.into_response() }),
            )
            .route(
                "/gone.png",
                get(|| async { StatusCode::NOT_FOUND.into_response() }),
            );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            addr,
            held: counted,
        }
    }

    /// `http://127.0.0.1:{port}{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

/// How a [`raw_server`] answers every request.
#[derive(Clone, Copy, Debug)]
pub enum RawReply {
    /// Headers at once, then one byte of a PNG every 100 ms for a minute.
    TrickleBody,
    /// No length at all, body delimited by close, and it never ends.
    EndlessUntilClose,
    /// Chunked, 3 MiB, no Content-Length.
    ChunkedThreeMib,
    /// Claims `Content-Length: 100` yet sends a chunked 3 MiB body.
    LyingContentLength,
}

/// A hand-written HTTP/1.1 server on `127.0.0.1:0` answering every request with `reply`.
pub async fn raw_server(reply: RawReply) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, reply));
        }
    });
    addr
}

async fn answer(mut stream: TcpStream, reply: RawReply) {
    if read_request_head(&mut stream).await.is_none() {
        return;
    }
    // Write errors mean the client hung up, which is what the client is meant to do.
    let _ = write_reply(&mut stream, reply).await;
}

async fn read_request_head(stream: &mut TcpStream) -> Option<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Some(())
}

async fn write_reply(stream: &mut TcpStream, reply: RawReply) -> std::io::Result<()> {
    let chunk = vec![0u8; 64 * 1024];
    match reply {
        RawReply::TrickleBody => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 600\r\n\r\n",
                )
                .await?;
            for byte in PNG.iter().chain(std::iter::repeat(&0u8)).take(600) {
                stream.write_all(&[*byte]).await?;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        RawReply::EndlessUntilClose => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n",
                )
                .await?;
            stream.write_all(PNG).await?;
            loop {
                stream.write_all(&chunk).await?;
            }
        }
        RawReply::ChunkedThreeMib | RawReply::LyingContentLength => {
            let head: &[u8] = if matches!(reply, RawReply::LyingContentLength) {
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
            } else {
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
            };
            stream.write_all(head).await?;
            stream
                .write_all(format!("{:x}\r\n", PNG.len()).as_bytes())
                .await?;
            stream.write_all(PNG).await?;
            stream.write_all(b"\r\n").await?;
            for _ in 0..(THREE_MIB / chunk.len()) {
                stream
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                stream.write_all(&chunk).await?;
                stream.write_all(b"\r\n").await?;
            }
            stream.write_all(b"0\r\n\r\n").await?;
        }
    }
    stream.flush().await
}

/// A listener on `127.0.0.1:0` that counts every connection it accepts.
#[derive(Debug)]
pub struct Tripwire {
    pub port: u16,
    connections: Arc<AtomicUsize>,
}

impl Tripwire {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        tokio::spawn(async move {
            while let Ok((_stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        Self { port, connections }
    }

    /// Connections accepted so far, after giving any in flight a moment to land.
    pub async fn connections(&self) -> usize {
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.connections.load(Ordering::SeqCst)
    }
}
