//! A local emulator of the Instaclustr PostgreSQL Provisioning V2 API, for demos and tests.
//!
//! It serves the 11 operations of the API plus the account cluster list on `127.0.0.1`, with
//! HTTP Basic authentication, the validation of the `instaclustr-pg` library, a lifecycle that
//! runs on timestamps (scaled by [`Config::speed`]), real per-cluster CA certificates, optional
//! SQLite persistence, CORS, a static folder and injected faults. See `emulator/README.md` for
//! the behaviour and the command line.
//!
//! # In-process use (tests)
//! ```no_run
//! # async fn demo() -> Result<(), String> {
//! use instaclustr_pg_emulator::{serve, Config};
//! let server = serve(Config {
//!     accounts: vec![("alice".into(), "secret-key".into())],
//!     speed: 1000.0,
//!     test_mode: true,
//!     quiet: true,
//!     ..Config::default()
//! })
//! .await?;
//! let base = server.url(); // "http://127.0.0.1:<port>", a free port (port 0)
//! # let _ = base;
//! server.shutdown().await;
//! # Ok(()) }
//! ```
//! [`serve`] binds, starts accepting on the current tokio runtime and returns at once; the
//! [`Server`] handle gives the address and stops the server ([`Server::shutdown`]; dropping the
//! handle stops it too).
#![deny(missing_docs)]

pub mod api;
pub mod catalog;
pub mod cert;
pub mod postgres;
pub mod state;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::Router;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

use crate::api::{error_response, json_response, Routed};
use crate::state::{ApiError, State, Store};

/// Default port of the binary.
pub const DEFAULT_PORT: u16 = 8090;
/// Default request body limit: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// Username of the demo account created when no account is configured.
pub const DEMO_USER: &str = "demo";
/// API key of the demo account (unless [`Config::random_key`]).
pub const DEMO_KEY: &str = "demo-api-key";
/// Fault kinds drawn by random faults (`--fault-rate`) unless [`Config::fault_kinds`] is set.
pub const DEFAULT_FAULT_KINDS: &[&str] = &[
    "500",
    "502",
    "503",
    "504",
    "429",
    "drop",
    "drop-after",
    "stall:3000",
    "slow-body:2000",
    "garbage",
];

/// Emulator settings (the command-line options).
#[derive(Clone, Debug)]
pub struct Config {
    /// Port on 127.0.0.1; 0 picks a free one. Default for the library: 0.
    pub port: u16,
    /// Accounts `(username, api key)`; empty: one demo account ([`DEMO_USER`]).
    pub accounts: Vec<(String, String)>,
    /// Random key for the demo account instead of [`DEMO_KEY`].
    pub random_key: bool,
    /// Time factor: every lifecycle delay is divided by it. Default 1.
    pub speed: f64,
    /// Folder served at `/` (the demo console), same origin as the API.
    pub static_dir: Option<PathBuf>,
    /// SQLite file for persistence; in memory when `None`.
    pub state_file: Option<PathBuf>,
    /// Honour the `X-Emulator-Fault*` headers and serve `/__emulator/stats`.
    pub test_mode: bool,
    /// Probability (0..1) of a random fault on each API request.
    pub fault_rate: f64,
    /// Seed of the random faults.
    pub seed: u64,
    /// Kinds drawn by random faults; empty: [`DEFAULT_FAULT_KINDS`].
    pub fault_kinds: Vec<String>,
    /// Requests per second allowed (token bucket, burst = one second's worth); `None`: no limit.
    pub rate_limit: Option<f64>,
    /// No request log on stderr.
    pub quiet: bool,
    /// Largest request body in bytes (413 above).
    pub body_limit: usize,
    /// Real PostgreSQL servers per node (`--postgres`). Default for the library: off; the
    /// binary's default is `auto`.
    pub postgres: postgres::Mode,
    /// Most real nodes running at once (over it, a create or restore is a 409).
    pub postgres_max_nodes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            port: 0,
            accounts: Vec::new(),
            random_key: false,
            speed: 1.0,
            static_dir: None,
            state_file: None,
            test_mode: false,
            fault_rate: 0.0,
            seed: 0,
            fault_kinds: Vec::new(),
            rate_limit: None,
            quiet: false,
            body_limit: DEFAULT_BODY_LIMIT,
            postgres: postgres::Mode::Off,
            postgres_max_nodes: postgres::DEFAULT_MAX_NODES,
        }
    }
}

/// Shared server state.
pub struct App {
    /// Settings.
    pub config: Config,
    /// username -> api key.
    pub accounts: HashMap<String, String>,
    /// The PostgreSQL side (real servers or records only).
    pub pg: Arc<dyn postgres::Backend>,
    state: Mutex<State>,
    rng: Mutex<fastrand::Rng>,
    bucket: Mutex<(f64, Instant)>,
}

impl App {
    /// Locks the state (a poisoned lock is recovered: the state stays usable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running emulator.
pub struct Server {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
    demo_key: Option<String>,
    pg: Arc<dyn postgres::Backend>,
}

impl Server {
    /// The bound address (127.0.0.1 and the actual port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The demo account's key when no account was configured.
    pub fn demo_key(&self) -> Option<&str> {
        self.demo_key.as_deref()
    }
    /// Which servers back the clusters (the banner's `postgres:` line).
    pub fn postgres_description(&self) -> String {
        self.pg.description()
    }
    /// Whether clusters get real PostgreSQL servers.
    pub fn real_postgres(&self) -> bool {
        self.pg.is_real()
    }
    /// The folder holding the real servers' data (`<cluster id>/<node index>/data`).
    pub fn postgres_data_dir(&self) -> Option<PathBuf> {
        self.pg.data_dir()
    }
    /// Stops accepting, closes open connections, waits for the accept loop to end, then stops
    /// every PostgreSQL server.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        let pg = self.pg.clone();
        let _ = tokio::task::spawn_blocking(move || pg.shutdown()).await;
    }
    /// Waits until the server stops (it runs until [`Server::shutdown`] or the process ends).
    pub async fn wait(mut self) {
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        // blocking, bounded (each server gets SIGINT, then SIGKILL after 20 s)
        self.pg.shutdown();
    }
}

/// Connection handle given to handlers, to drop the connection without a response.
#[derive(Clone)]
struct ConnKill(Arc<Notify>);

/// Starts the emulator on 127.0.0.1 (see the crate documentation).
///
/// # Errors
/// A message when the port cannot be bound or the state file cannot be opened.
pub async fn serve(config: Config) -> Result<Server, String> {
    let mut config = config;
    if !(config.speed.is_finite() && config.speed > 0.0) {
        return Err("speed must be a positive number".into());
    }
    let mut demo_key = None;
    if config.accounts.is_empty() {
        let key = if config.random_key {
            (0..32).map(|_| fastrand::alphanumeric()).collect()
        } else {
            DEMO_KEY.to_owned()
        };
        demo_key = Some(key.clone());
        config.accounts.push((DEMO_USER.to_owned(), key));
    }
    if config.fault_kinds.is_empty() {
        config.fault_kinds = DEFAULT_FAULT_KINDS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
    }
    for k in &config.fault_kinds {
        if parse_fault(k).is_none() {
            return Err(format!("unknown fault kind {k:?}"));
        }
    }
    let store = match &config.state_file {
        Some(p) => Some(Store::open(p)?),
        None => None,
    };
    let pg = postgres::open(&postgres::Options {
        mode: config.postgres.clone(),
        max_nodes: config.postgres_max_nodes,
        data_dir: config.state_file.as_ref().map(|p| {
            let mut name = p.as_os_str().to_owned();
            name.push(".postgres");
            PathBuf::from(name)
        }),
        quiet: config.quiet,
    })?;
    let mut state = State::new(store);
    if pg.is_real() {
        let ids: Vec<String> = state.clusters.keys().cloned().collect();
        for id in ids {
            if let Some(rec) = state.clusters.get_mut(&id) {
                pg.resume(rec);
            }
            if let Err(e) = state.save(&id) {
                eprintln!(
                    "warning: state: {}",
                    e.errors.first().map_or("", |x| x.1.as_str())
                );
            }
        }
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let burst = config.rate_limit.unwrap_or(1.0).max(1.0);
    let app = Arc::new(App {
        accounts: config.accounts.iter().cloned().collect(),
        rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
        bucket: Mutex::new((burst, Instant::now())),
        state: Mutex::new(state),
        pg: pg.clone(),
        config,
    });
    let router = router(app);
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, router, stop_rx));
    Ok(Server {
        addr,
        stop,
        task: Some(task),
        demo_key,
        pg,
    })
}

async fn accept_loop(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
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

fn router(app: Arc<App>) -> Router {
    use tower_http::cors::{AllowHeaders, AllowMethods, Any, CorsLayer};
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            header::RETRY_AFTER,
            header::ALLOW,
            header::CONTENT_DISPOSITION,
        ])
        .max_age(Duration::from_secs(600));
    let panic = tower_http::catch_panic::CatchPanicLayer::custom(|_| {
        error_response(&ApiError::new(500, "", "internal error in the emulator"))
    });
    Router::new()
        .fallback(entry)
        .with_state(app)
        .layer(panic)
        .layer(cors)
}

/// What a request turns into.
enum Outcome {
    Reply(Response<Body>),
    /// Close the connection without (more of) a response.
    Drop,
}

async fn entry(AxState(app): AxState<Arc<App>>, req: Request) -> Response<Body> {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let kill = req.extensions().get::<ConnKill>().cloned();
    let (outcome, fault) = handle(&app, req).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let status = match &outcome {
        Outcome::Reply(r) => json!(r.status().as_u16()),
        Outcome::Drop => json!("dropped"),
    };
    if !app.config.quiet {
        let mut line = json!({
            "time": instaclustr_pg::validate::format_iso_millis(state::now_ms()),
            "method": method.as_str(), "path": path, "status": status,
            "ms": (ms * 10.0).round() / 10.0,
        });
        if let Some(f) = fault {
            line["fault"] = json!(f);
        }
        eprintln!("{line}");
    }
    match outcome {
        Outcome::Reply(r) => r,
        Outcome::Drop => match kill {
            Some(k) => {
                k.0.notify_one();
                std::future::pending::<Response<Body>>().await
            }
            None => error_response(&ApiError::new(502, "", "connection dropped (fault)")),
        },
    }
}

/// A fault kind.
#[derive(Clone, Debug, PartialEq)]
enum Fault {
    Status(u16),
    Drop,
    DropAfter,
    Stall(u64),
    SlowBody(u64),
    Garbage,
}

fn parse_fault(s: &str) -> Option<Fault> {
    let s = s.trim();
    let (kind, arg) = s
        .split_once(':')
        .map_or((s, None), |(k, a)| (k, Some(a.trim())));
    let ms = |default: u64| match arg {
        None => Some(default),
        Some(a) => a.parse::<u64>().ok().map(|v| v.min(600_000)),
    };
    match kind {
        "drop" => Some(Fault::Drop),
        "drop-after" => Some(Fault::DropAfter),
        "garbage" => Some(Fault::Garbage),
        "stall" => ms(30_000).map(Fault::Stall),
        "slow-body" => ms(5_000).map(Fault::SlowBody),
        n => n
            .parse::<u16>()
            .ok()
            .filter(|c| (400..=599).contains(c))
            .map(Fault::Status),
    }
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The fault for this request, if any: from the headers in test mode, else at random.
fn choose_fault(
    app: &App,
    method: &Method,
    path: &str,
    h: &HeaderMap,
) -> Result<Option<(Fault, String)>, ApiError> {
    if app.config.test_mode {
        if let Some(v) = header_str(h, "x-emulator-fault") {
            let fault = parse_fault(v).ok_or_else(|| {
                ApiError::new(
                    400,
                    "X-Emulator-Fault",
                    "must be 4xx/5xx, drop, drop-after, stall:<ms>, slow-body[:<ms>] or garbage",
                )
            })?;
            let token = header_str(h, "x-emulator-fault-once");
            let count = match header_str(h, "x-emulator-fault-count") {
                Some(c) => Some(c.parse::<u64>().map_err(|_| {
                    ApiError::new(400, "X-Emulator-Fault-Count", "must be a whole number")
                })?),
                None => None,
            };
            let key = match (token, count) {
                (Some(t), _) => Some(format!("token:{t}")),
                (None, Some(_)) => Some(format!("{v}|{method}|{path}")),
                (None, None) => None,
            };
            if let Some(key) = key {
                let limit = count.unwrap_or(1);
                let mut st = app.lock();
                let seen = st.fault_counts.entry(key).or_insert(0);
                if *seen >= limit {
                    return Ok(None);
                }
                *seen += 1;
            }
            return Ok(Some((fault, v.to_owned())));
        }
    }
    if app.config.fault_rate > 0.0 {
        let mut rng = app.rng.lock().unwrap_or_else(|p| p.into_inner());
        if rng.f64() < app.config.fault_rate {
            let kinds = &app.config.fault_kinds;
            if let Some(k) = kinds.get(rng.usize(..kinds.len().max(1))) {
                if let Some(f) = parse_fault(k) {
                    return Ok(Some((f, k.clone())));
                }
            }
        }
    }
    Ok(None)
}

/// Token bucket: `Err(retry_after_seconds)` when over the limit.
fn rate_limited(app: &App) -> Result<(), u64> {
    let Some(rps) = app.config.rate_limit.filter(|r| *r > 0.0) else {
        return Ok(());
    };
    let burst = rps.max(1.0);
    let mut b = app.bucket.lock().unwrap_or_else(|p| p.into_inner());
    let now = Instant::now();
    let tokens = (b.0 + now.duration_since(b.1).as_secs_f64() * rps).min(burst);
    if tokens >= 1.0 {
        *b = (tokens - 1.0, now);
        Ok(())
    } else {
        *b = (tokens, now);
        Err((((1.0 - tokens) / rps).ceil() as u64).max(1))
    }
}

fn with_header(mut r: Response<Body>, name: header::HeaderName, value: String) -> Response<Body> {
    if let Ok(v) = HeaderValue::from_str(&value) {
        r.headers_mut().insert(name, v);
    }
    r
}

async fn handle(app: &Arc<App>, req: Request) -> (Outcome, Option<String>) {
    let path = req.uri().path().to_owned();
    if path == "/__emulator/stats" || path == "/__emulator/stats/" {
        if !app.config.test_mode {
            return (
                Outcome::Reply(error_response(&ApiError::new(
                    404,
                    "path",
                    "not found (test mode only)",
                ))),
                None,
            );
        }
        let v = serde_json::to_value(&app.lock().stats).unwrap_or_else(|_| json!({}));
        return (Outcome::Reply(json_response(200, &v)), None);
    }
    if !path.starts_with("/cluster-management/") {
        return (Outcome::Reply(static_file(app, req).await), None);
    }
    let method = req.method().clone();
    let (op, param) = match api::route(&method, &path) {
        Routed::Op(op, p) => (op, p),
        Routed::NotFound => {
            return (
                Outcome::Reply(error_response(&ApiError::new(
                    404,
                    "path",
                    format!("no operation at {path}"),
                ))),
                None,
            )
        }
        Routed::WrongMethod(allowed) => {
            let list: Vec<&str> = allowed.iter().map(Method::as_str).collect();
            let r = error_response(&ApiError::new(
                405,
                "method",
                format!("{method} is not allowed here; allowed: {}", list.join(", ")),
            ));
            return (
                Outcome::Reply(with_header(r, header::ALLOW, list.join(", "))),
                None,
            );
        }
    };
    {
        let mut st = app.lock();
        *st.stats
            .requests_by_operation
            .entry(op.name().to_owned())
            .or_default() += 1;
    }
    let (parts, body) = req.into_parts();
    let fault = match choose_fault(app, &method, &path, &parts.headers) {
        Ok(f) => f,
        Err(e) => return (Outcome::Reply(error_response(&e)), None),
    };
    let label = fault.as_ref().map(|(_, l)| l.clone());
    if fault.is_some() {
        app.lock().stats.faults_injected += 1;
    }
    match fault.as_ref().map(|(f, _)| f) {
        Some(Fault::Status(code)) => {
            let msg = format!(
                "injected fault: {}",
                StatusCode::from_u16(*code)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            );
            let mut r = error_response(&ApiError::new(*code, "", msg));
            let ra = header_str(&parts.headers, "x-emulator-retry-after")
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(secs) = ra.or((*code == 429).then_some(1)) {
                r = with_header(r, header::RETRY_AFTER, secs.to_string());
            }
            return (Outcome::Reply(r), label);
        }
        Some(Fault::Drop) => return (Outcome::Drop, label),
        Some(Fault::Stall(ms)) => tokio::time::sleep(Duration::from_millis(*ms)).await,
        _ => {}
    }
    if let Err(secs) = rate_limited(app) {
        app.lock().stats.rate_limited += 1;
        let r = error_response(&ApiError::new(429, "", "rate limit exceeded"));
        return (
            Outcome::Reply(with_header(r, header::RETRY_AFTER, secs.to_string())),
            label,
        );
    }
    let account = match api::authenticate(app, &parts.headers) {
        Ok(a) => a,
        Err(e) => return (Outcome::Reply(error_response(&e)), label),
    };
    let resp = api::run(
        app,
        op,
        param,
        &account,
        parts.uri.query(),
        &parts.headers,
        body,
    )
    .await;
    match fault.map(|(f, _)| f) {
        Some(Fault::DropAfter) => (Outcome::Drop, label),
        Some(Fault::Garbage) => {
            let mut r = Response::new(Body::from(
                "<html><body>upstream sent garbage \u{fffd}\u{1}</body></html>\n",
            ));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            (Outcome::Reply(r), label)
        }
        Some(Fault::SlowBody(ms)) => (Outcome::Reply(slow(resp, ms).await), label),
        _ => (Outcome::Reply(resp), label),
    }
}

/// Sends the response's body in about 10 pieces spread over `ms` milliseconds.
async fn slow(resp: Response<Body>, ms: u64) -> Response<Body> {
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let n = 10usize;
    let size = bytes.len().div_ceil(n).max(1);
    let chunks: Vec<axum::body::Bytes> = (0..bytes.len())
        .step_by(size)
        .map(|i| bytes.slice(i..(i + size).min(bytes.len())))
        .collect();
    let pause = Duration::from_millis(ms / n as u64);
    let stream = futures_util::stream::unfold(chunks.into_iter(), move |mut it| async move {
        let c = it.next()?;
        tokio::time::sleep(pause).await;
        Some((Ok::<_, Infallible>(c), it))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

async fn static_file(app: &App, req: Request) -> Response<Body> {
    let nf = error_response(&ApiError::new(
        404,
        "path",
        format!("not found: {}", req.uri().path()),
    ));
    let Some(dir) = &app.config.static_dir else {
        return nf;
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let r = error_response(&ApiError::new(
            405,
            "method",
            "static files: GET or HEAD only",
        ));
        return with_header(r, header::ALLOW, "GET, HEAD".into());
    }
    match tower_http::services::ServeDir::new(dir).oneshot(req).await {
        Ok(r) if r.status() == StatusCode::NOT_FOUND => nf,
        Ok(r) => r.map(Body::new),
        Err(e) => match e {},
    }
}
