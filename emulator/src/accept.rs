//! The accept loop. Hand-made rather than `axum::serve` for two reasons: a `drop` fault must be
//! able to close its own connection without a response (each connection gets a [`ConnKill`] in
//! its requests' extensions), and [`crate::Server::shutdown`] closes open connections at once
//! instead of waiting for them.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// Request extension: closes the connection the request came on.
#[derive(Clone)]
pub struct ConnKill(Arc<Notify>);

impl ConnKill {
    /// Closes the connection (its pending response is never sent).
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Serves `router` on `listener` until `stop` changes; then closes every connection.
pub async fn accept_loop(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            r = listener.accept() => {
                let Ok((stream, _)) = r else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let mut stop = stop.clone();
                conns.spawn(async move {
                    let kill = Arc::new(Notify::new());
                    let k = ConnKill(kill.clone());
                    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(k.clone());
                        router.clone().oneshot(req.map(Body::new))
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = kill.notified() => {}
                        _ = stop.changed() => {}
                    }
                });
                while conns.try_join_next().is_some() {}
            }
            _ = stop.changed() => break,
        }
    }
    conns.shutdown().await;
}
