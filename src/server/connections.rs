//! Serving the site's connections: hyper serves every request but the live streams
//! (`GET /events`), which are answered through the same router and written to the socket by
//! a small task of ours. Hyper keeps an 8 KiB read buffer and its connection's state for as
//! long as a response streams, which was most of the memory of an idle live stream (README,
//! "Where an idle stream's memory goes"); a stream served here holds its socket and its
//! body, nothing else. Its answer says `connection: close`: the socket is the stream's alone.
//!
//! Hyper's reads are watched: a live stream's request that starts the connection, or comes
//! after an answer (a browser opens its stream on a connection its page's files came by), is
//! kept from hyper, which reads the end of the connection and gives the socket back. Requests
//! sent all at once (pipelined) stay hyper's, streams included. The site speaks HTTP/1.1:
//! HTTP/2 is for the reverse proxy in front of it to speak with browsers.

use axum::{
    Router,
    body::{Body, Bytes, HttpBody},
    extract::ConnectInfo,
};
use bytes::BytesMut;
use futures::{StreamExt, future::BoxFuture};
use http::{HeaderValue, Request, Response, Version, header};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::rt::TokioIo;
use std::{
    convert::Infallible,
    future::Future,
    io,
    net::SocketAddr,
    pin::{Pin, pin},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, ready},
    time::Duration,
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower::ServiceExt;

/// The request line a live stream starts with.
const LIVE_STREAM: &[u8] = b"GET /events";
/// A request head longer than this (cookies included) goes to hyper, which refuses it.
const HEAD_LIMIT: usize = 16 * 1024;
/// How long a client may leave a part of a stream unread before it is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The most headers a live stream's request may carry (more: hyper answers it).
const MAX_HEADERS: usize = 64;

/// Serves `router` on `listener` until `stop` completes, then cancels `shutdown` (live
/// streams end with it), stops accepting, and waits for the requests under way.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
    stop: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let connections = TaskTracker::new();
    let mut stop = pin!(stop);
    loop {
        let (socket, address) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    pause_after_accept_error(&error).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // Without TCP_NODELAY, small responses on a kept-alive connection wait ~40 ms
        // (Nagle's algorithm meeting delayed ACKs).
        if let Err(error) = socket.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY");
        }
        let connection = Connection {
            address,
            router: router.clone(),
            shutdown: shutdown.clone(),
        };
        connections.spawn(connection.serve(socket));
    }
    shutdown.cancel();
    drop(listener);
    connections.close();
    connections.wait().await;
    Ok(())
}

/// Errors of one connection (it was reset before being accepted) are nothing to wait for;
/// others (out of file descriptors) pass with time.
async fn pause_after_accept_error(error: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "cannot accept connections");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// One client's connection.
struct Connection {
    address: SocketAddr,
    router: Router,
    shutdown: CancellationToken,
}

impl Connection {
    /// Hyper serves the connection until it ends, or gives a live stream's request back.
    async fn serve(self, socket: TcpStream) {
        // Boxed: hyper's connection, large, is not kept in the task of a stream it handed over.
        if let Some((socket, request)) = Box::pin(self.with_hyper(socket)).await {
            self.answer_live_stream(socket, request).await;
        }
    }

    async fn answer_live_stream(self, socket: TcpStream, request: Request<Body>) {
        let response = routed(self.router, self.address, request).await;
        if let Err(error) = write_until_closed(socket, response).await {
            tracing::debug!(%error, "live stream closed");
        }
    }

    /// Hyper serves requests until the connection ends (`None`), or until a live stream's
    /// request starts it or comes after an answer: then the socket and that request.
    async fn with_hyper(&self, socket: TcpStream) -> Option<(TcpStream, Request<Body>)> {
        // The connection's first request is watched like one after an answer.
        let answered = Arc::new(AtomicBool::new(true));
        let service = Routed {
            address: self.address,
            router: self.router.clone(),
            answered: answered.clone(),
        };
        let watched = Watched {
            socket,
            answered,
            writing: false,
            deciding: BytesMut::new(),
            for_hyper: Bytes::new(),
            held: None,
        };
        let mut served = http1::Builder::new().serve_connection(TokioIo::new(watched), service);
        let mut draining = false;
        let ended = loop {
            tokio::select! {
                ended = std::future::poll_fn(|cx| served.poll_without_shutdown(cx)) => break ended,
                // Requests under way finish; an idle connection closes.
                () = self.shutdown.cancelled(), if !draining => {
                    draining = true;
                    Pin::new(&mut served).graceful_shutdown();
                }
            }
        };
        if let Err(error) = ended {
            tracing::debug!(%error, "connection ended with an error");
            return None;
        }
        let parts = served.into_parts();
        let watched = parts.io.into_inner();
        match watched.held {
            Some(request) if parts.read_buf.is_empty() && !draining => {
                Some((watched.socket, *request))
            }
            _ => None,
        }
    }
}

/// `request` answered by the router, which learns the client's address from it.
async fn routed(router: Router, address: SocketAddr, mut request: Request<Body>) -> Response<Body> {
    request.extensions_mut().insert(ConnectInfo(address));
    let Ok(response) = router.oneshot(request).await;
    response
}

/// What the start of a request is.
enum Start {
    LiveStream(Box<Request<Body>>),
    Other,
    /// More must be read to tell.
    Unknown,
}

fn request_start(read: &[u8]) -> Start {
    let common = read.len().min(LIVE_STREAM.len());
    if read[..common] != LIVE_STREAM[..common] || read.len() >= HEAD_LIMIT {
        Start::Other
    } else if !read.windows(4).any(|window| window == b"\r\n\r\n") {
        Start::Unknown
    } else {
        live_stream_request(read)
            .map_or(Start::Other, |request| Start::LiveStream(Box::new(request)))
    }
}

/// `read` as a request for a live stream (`GET /events`, HTTP/1.1, no body), if it is one;
/// anything else, or anything malformed, is hyper's to answer.
fn live_stream_request(read: &[u8]) -> Option<Request<Body>> {
    if !read.starts_with(LIVE_STREAM) {
        return None;
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut head = httparse::Request::new(&mut headers);
    if !head.parse(read).ok()?.is_complete() {
        return None;
    }
    let path = head.path?;
    let live_path = path == "/events" || path.starts_with("/events?");
    if head.method != Some("GET") || head.version != Some(1) || !live_path {
        return None;
    }
    let mut request = Request::builder().uri(path).version(Version::HTTP_11);
    for field in head.headers.iter() {
        let name = header::HeaderName::from_bytes(field.name.as_bytes()).ok()?;
        // A body, or a change of protocol, is for hyper to deal with.
        if [
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
            header::UPGRADE,
            header::EXPECT,
        ]
        .contains(&name)
        {
            return None;
        }
        request = request.header(name, HeaderValue::from_bytes(field.value).ok()?);
    }
    request.body(Body::empty()).ok()
}

/// Writes `response` to `socket`, its body until it ends or the client leaves.
async fn write_until_closed(mut socket: TcpStream, response: Response<Body>) -> io::Result<()> {
    let (parts, body) = response.into_parts();
    let length = body.size_hint().exact();
    socket.write_all(&response_head(&parts, length)).await?;
    let mut frames = body.into_data_stream();
    let mut unread = [0u8; 64];
    loop {
        tokio::select! {
            frame = frames.next() => {
                let Some(Ok(bytes)) = frame else { break };
                tokio::time::timeout(WRITE_TIMEOUT, socket.write_all(&bytes))
                    .await
                    .map_err(|_| io::Error::from(io::ErrorKind::TimedOut))??;
            }
            // The client has nothing more to send on this connection: a read tells it left.
            read = socket.read(&mut unread) => {
                if read? == 0 {
                    break;
                }
            }
        }
    }
    socket.shutdown().await
}

/// The status line and headers of `parts`, framed by `length` if the body's is known, else
/// by the end of the connection.
fn response_head(parts: &http::response::Parts, length: Option<u64>) -> Vec<u8> {
    let status = parts.status;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or_default()
    )
    .into_bytes();
    for (name, value) in &parts.headers {
        if [
            header::CONNECTION,
            header::CONTENT_LENGTH,
            header::TRANSFER_ENCODING,
        ]
        .contains(name)
        {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    if let Some(length) = length {
        head.extend_from_slice(format!("content-length: {length}\r\n").as_bytes());
    }
    head.extend_from_slice(b"connection: close\r\n\r\n");
    head
}

/// The router as hyper's service. `answered` is set once hyper is done with an answer's
/// body, cleared when bytes of the next request come.
struct Routed {
    address: SocketAddr,
    router: Router,
    answered: Arc<AtomicBool>,
}

impl hyper::service::Service<Request<Incoming>> for Routed {
    type Response = Response<Answer>;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response<Answer>, Infallible>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let answering = routed(self.router.clone(), self.address, request.map(Body::new));
        let answered = self.answered.clone();
        Box::pin(async move { Ok(answering.await.map(|body| Answer { body, answered })) })
    }
}

/// An answer's body, which tells when hyper is done with it (written whole, or dropped).
struct Answer {
    body: Body,
    answered: Arc<AtomicBool>,
}

impl HttpBody for Answer {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        self.answered.store(true, Ordering::Release);
    }
}

/// Hyper's socket, whose reads are watched: the start of a request read after an answer
/// is kept until it can be told; a live stream's is held back, and hyper reads the end of
/// the connection instead.
struct Watched {
    socket: TcpStream,
    answered: Arc<AtomicBool>,
    /// Whether the last write waited: hyper still holds bytes of an answer.
    writing: bool,
    /// The start of a request, read but not yet told.
    deciding: BytesMut,
    /// Bytes read, told to be hyper's, not yet handed over.
    for_hyper: Bytes,
    held: Option<Box<Request<Body>>>,
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.held.is_some() {
            return Poll::Ready(Ok(()));
        }
        let watching =
            !this.deciding.is_empty() || (this.answered.load(Ordering::Acquire) && !this.writing);
        if this.for_hyper.is_empty() && watching {
            loop {
                if this.deciding.capacity() == this.deciding.len() {
                    this.deciding.reserve(this.deciding.len().max(1024));
                }
                let read = ready!(tokio_util::io::poll_read_buf(
                    Pin::new(&mut this.socket),
                    cx,
                    &mut this.deciding,
                ))?;
                this.answered.store(false, Ordering::Release);
                match request_start(&this.deciding) {
                    Start::Unknown if read > 0 => continue,
                    Start::LiveStream(request) => {
                        this.deciding = BytesMut::new();
                        this.held = Some(request);
                        return Poll::Ready(Ok(()));
                    }
                    Start::Other | Start::Unknown => {
                        // Taken, not split: the buffer goes once hyper has read it.
                        this.for_hyper = std::mem::take(&mut this.deciding).freeze();
                        break;
                    }
                }
            }
        }
        if this.for_hyper.is_empty() {
            return Pin::new(&mut this.socket).poll_read(cx, buf);
        }
        let count = this.for_hyper.len().min(buf.remaining());
        buf.put_slice(&this.for_hyper.split_to(count));
        if this.for_hyper.is_empty() {
            this.for_hyper = Bytes::new();
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.socket).poll_write(cx, buf);
        this.writing = written.is_pending();
        written
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.socket).poll_write_vectored(cx, bufs);
        this.writing = written.is_pending();
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.socket.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().socket).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> Option<Request<Body>> {
        live_stream_request(text.as_bytes())
    }

    #[test]
    fn only_a_whole_bodiless_get_of_events_is_a_live_stream() {
        let live = request("GET /events HTTP/1.1\r\nHost: a\r\nCookie: s=1\r\n\r\n")
            .expect("a live stream");
        assert_eq!(live.uri(), "/events");
        assert_eq!(live.headers()["cookie"], "s=1");
        assert!(request("GET /events?v=2 HTTP/1.1\r\nHost: a\r\n\r\n").is_some());
        for other in [
            "GET /events HTTP/1.1\r\nHost: a\r\n",
            "GET /eventsx HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /events/x HTTP/1.1\r\nHost: a\r\n\r\n",
            "POST /events HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /events HTTP/1.0\r\nHost: a\r\n\r\n",
            "GET /events HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            "GET /events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /events HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
            "GET /events HTTP/1.1\r\nBad Header: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        ] {
            assert!(request(other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn a_request_start_is_told_once_its_head_is_whole_if_it_may_be_a_live_stream() {
        let told = |text: &str| match request_start(text.as_bytes()) {
            Start::LiveStream(_) => "live",
            Start::Other => "other",
            Start::Unknown => "unknown",
        };
        assert_eq!(told(""), "unknown");
        assert_eq!(told("GET /ev"), "unknown");
        assert_eq!(told("GET /events HTTP/1.1\r\nHost: a\r\n"), "unknown");
        assert_eq!(told("GET /events HTTP/1.1\r\nHost: a\r\n\r\n"), "live");
        assert_eq!(told("GET /e HTTP/1.1\r\n"), "other");
        assert_eq!(told("POST"), "other");
        assert_eq!(told("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), "other");
        let endless = format!("GET /events HTTP/1.1\r\nX: {}", "a".repeat(HEAD_LIMIT));
        assert_eq!(told(&endless), "other", "too long to wait for");
    }

    #[test]
    fn the_head_frames_by_length_or_by_closing() {
        let response = Response::builder()
            .status(401)
            .header("content-type", "application/json")
            .header("connection", "keep-alive")
            .body(())
            .expect("response");
        let (parts, ()) = response.into_parts();
        assert_eq!(
            String::from_utf8_lossy(&response_head(&parts, Some(2))),
            "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\
             content-length: 2\r\nconnection: close\r\n\r\n"
        );
        assert!(response_head(&parts, None).ends_with(
            b"401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
        ));
    }
}
