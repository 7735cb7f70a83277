//! The HTTP side of an exchange: one catch-all axum handler reads the request (the body up to
//! the limit + 1 bytes), hands it to the core (on a blocking thread: the real PostgreSQL
//! backend can block), waits out a stall, saves the state file when the clusters changed,
//! serves the static folder for what the core does not route, logs the core's line, and sends,
//! drops or slowly sends the reply as the core says.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, Response, StatusCode};
use axum::Router;
use http_body_util::BodyExt as _;
use instaclustr_pg_emulator_core::{
    self as core, After, ApiError, Begin, Emulator, Outcome, Reply,
};
use tower::ServiceExt;

use crate::accept::ConnKill;
use crate::clock::now_ms;
use crate::App;

/// The whole service: every request goes to [`exchange`].
pub fn router(app: Arc<App>) -> Router {
    Router::new().fallback(exchange).with_state(app)
}

/// A request's parts the core reads, owned (they cross to a blocking thread).
struct Owned {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl Owned {
    fn request(&self) -> core::Request<'_> {
        core::Request {
            method: &self.method,
            path: &self.path,
            query: self.query.as_deref(),
            headers: &self.headers,
            body: &self.body,
        }
    }
}

/// The first step on a blocking thread, the state saved when it changed it.
async fn begin(app: &Arc<App>, req: &Arc<Owned>) -> Option<Begin> {
    let (app, req) = (app.clone(), req.clone());
    tokio::task::spawn_blocking(move || {
        let b = app.emu.begin(&req.request(), now_ms());
        if let Begin::Done(o) = &b {
            app.save_if(o);
        }
        b
    })
    .await
    .ok()
}

/// The second step (after a stall) on a blocking thread, the state saved when it changed it.
async fn run(app: &Arc<App>, req: &Arc<Owned>) -> Option<Outcome> {
    let (app, req) = (app.clone(), req.clone());
    tokio::task::spawn_blocking(move || {
        let o = app.emu.run(&req.request(), now_ms());
        app.save_if(&o);
        o
    })
    .await
    .ok()
}

/// One exchange.
async fn exchange(State(app): State<Arc<App>>, req: Request) -> Response<Body> {
    let start = Instant::now();
    let kill = req.extensions().get::<ConnKill>().cloned();
    let (parts, body) = req.into_parts();
    let limit = app.emu.options().body_limit;
    // up to the limit + 1 bytes: enough for the core to see that a body is too large; the
    // rest of such a body is never read, so its connection is closed after the answer
    let (body, unread) = match http_body_util::Limited::new(body, limit.saturating_add(1))
        .collect()
        .await
    {
        Ok(b) => (b.to_bytes(), false),
        Err(_) => (Bytes::from(vec![b' '; limit.saturating_add(1)]), true),
    };
    let owned = Arc::new(Owned {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    });
    let outcome = match begin(&app, &owned).await {
        Some(Begin::Done(o)) => Some(o),
        Some(Begin::Stall { ms, fault }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            run(&app, &owned).await.map(|mut o| {
                o.fault = Some(fault);
                o
            })
        }
        None => None,
    };
    // a panic in the core is a bug: a 500, as any unexpected failure
    let outcome = outcome.unwrap_or_else(|| Outcome {
        reply: internal_error(),
        after: After::Send,
        fault: None,
        routed: true,
        changed: false,
    });
    let parts_method = parts.method.clone();
    let mut resp = None;
    if !outcome.routed && matches!(parts.method, Method::GET | Method::HEAD) {
        if let Some(dir) = &app.static_dir {
            let file_req = Request::from_parts(parts, Body::empty());
            match tower_http::services::ServeDir::new(dir)
                .oneshot(file_req)
                .await
            {
                Ok(r) if r.status() != StatusCode::NOT_FOUND => {
                    let mut r = r.map(Body::new);
                    // the CORS headers of the core's reply
                    for (n, v) in outcome
                        .reply
                        .headers
                        .iter()
                        .filter(|(n, _)| n.starts_with("access-control-") || n == "vary")
                    {
                        if let (Ok(n), Ok(v)) = (
                            HeaderName::from_bytes(n.as_bytes()),
                            HeaderValue::from_str(v),
                        ) {
                            r.headers_mut().append(n, v);
                        }
                    }
                    resp = Some(r);
                }
                Ok(_) => {}
                Err(e) => match e {},
            }
        }
    }
    // CORS preflights are not logged (as when tower-http's layer answered them)
    if !app.quiet && parts_method != Method::OPTIONS {
        let wall = start.elapsed().as_secs_f64() * 1000.0;
        let line = match &resp {
            Some(r) => {
                let shown = Outcome {
                    reply: Reply::empty(r.status().as_u16()),
                    after: After::Send,
                    fault: None,
                    routed: false,
                    changed: false,
                };
                Emulator::log_line(&owned.method, &owned.path, &shown, wall, now_ms())
            }
            None => Emulator::log_line(&owned.method, &owned.path, &outcome, wall, now_ms()),
        };
        eprintln!("{line}");
    }
    if let Some(r) = resp {
        return r;
    }
    let mut reply = outcome.reply;
    if unread {
        reply.set_header("connection", "close");
    }
    match outcome.after {
        After::Send => response(reply, None),
        After::SlowBody { ms } => response(reply, Some(ms)),
        After::Drop => match kill {
            Some(k) => {
                k.kill();
                std::future::pending::<Response<Body>>().await
            }
            None => response(
                ApiError::new(502, "", "connection dropped (fault)").reply(),
                None,
            ),
        },
    }
}

fn internal_error() -> Reply {
    let mut r = ApiError::new(500, "", "internal error in the emulator").reply();
    core::cors::decorate(&mut r);
    r
}

/// The HTTP response of a reply; with `slow`, its body in about 10 pieces spread over `slow`
/// milliseconds.
fn response(reply: Reply, slow: Option<u64>) -> Response<Body> {
    let body = match slow {
        None => Body::from(reply.body),
        Some(ms) => slow_body(Bytes::from(reply.body), ms),
    };
    let mut r = Response::new(body);
    *r.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (n, v) in &reply.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            r.headers_mut().append(n, v);
        }
    }
    r
}

fn slow_body(bytes: Bytes, ms: u64) -> Body {
    let n = 10usize;
    let size = bytes.len().div_ceil(n).max(1);
    let chunks: Vec<Bytes> = (0..bytes.len())
        .step_by(size)
        .map(|i| bytes.slice(i..(i + size).min(bytes.len())))
        .collect();
    let pause = Duration::from_millis(ms / n as u64);
    let stream = futures_util::stream::unfold(chunks.into_iter(), move |mut it| async move {
        let c = it.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok::<_, Infallible>(c), it))
    });
    Body::from_stream(stream)
}
