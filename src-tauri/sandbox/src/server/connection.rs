//! Our own accept loop, instead of `axum::serve`, for two things axum does not offer: a
//! handler can abort its TCP connection without any HTTP response (the reset faults), and
//! shutdown is graceful per connection (in-flight requests finish, idle ones close).
//!
//! Each connection gets a [`ConnectionKill`] in every request's extensions. Firing it makes
//! the connection task set `SO_LINGER` 0 on the socket and drop the connection, so the
//! client sees a real reset (RST), never a 500. The socket option is set through a second
//! handle on the same socket (a duplicated descriptor), because hyper owns the stream.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How long shutdown waits for in-flight requests before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Asks the connection that carried a request to reset itself.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    fn new() -> Self {
        ConnectionKill(Arc::new(Notify::new()))
    }

    pub(crate) fn fire(&self) {
        self.0.notify_one();
    }

    async fn fired(&self) {
        self.0.notified().await;
    }
}

/// Serves `router` on every accepted connection until `stop` changes or its sender is gone,
/// then shuts down gracefully; connections still busy after [`SHUTDOWN_GRACE`] are aborted.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let builder = auto::Builder::new(TokioExecutor::new());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    if let Some(task) = serve_connection(stream, router.clone(), &builder, &graceful) {
                        connections.spawn(task);
                    }
                }
                // Out of descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    connections.shutdown().await;
}

/// The task that serves one connection, or `None` if the socket is already unusable.
fn serve_connection(
    stream: TcpStream,
    router: Router,
    builder: &auto::Builder<TokioExecutor>,
    graceful: &GracefulShutdown,
) -> Option<impl Future<Output = ()> + Send + 'static> {
    let _ = stream.set_nodelay(true);
    let (stream, socket) = with_second_handle(stream).ok()?;
    let kill = ConnectionKill::new();
    let request_kill = kill.clone();
    let service = service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(request_kill.clone());
        router.clone().oneshot(request)
    });
    let connection = graceful.watch(
        builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned(),
    );
    Some(async move {
        tokio::select! {
            _ = connection => {}
            () = kill.fired() => {
                // Zero linger turns the close below into an RST. Leaving this block drops
                // the connection (and with it the request's future), then `socket`.
                let _ = socket.set_zero_linger();
            }
        }
        drop(socket);
    })
}

/// The stream for hyper plus a handle on the same socket for setting options later.
fn with_second_handle(stream: TcpStream) -> io::Result<(TcpStream, TcpSocket)> {
    let std_stream = stream.into_std()?;
    let handle = TcpSocket::from_std_stream(std_stream.try_clone()?);
    Ok((TcpStream::from_std(std_stream)?, handle))
}
