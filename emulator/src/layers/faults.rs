//! Fault layer: in test mode the `X-Emulator-Fault*` headers, and random faults at
//! `--fault-rate`, turn a request into an error status, a dropped connection (before or after
//! the work), a stall, a slow body or a non-JSON body.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::ApiError;
use crate::App;

/// Response extension: the fault injected (its label, as requested), for the request log.
#[derive(Clone)]
pub struct FaultLabel(pub String);

/// Response extension: close the connection instead of answering (done by the log layer).
#[derive(Clone)]
pub struct Dropped;

/// A fault kind.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Fault {
    Status(u16),
    Drop,
    DropAfter,
    Stall(u64),
    SlowBody(u64),
    Garbage,
}

/// A fault kind from its text (`503`, `drop`, `stall:3000`, ...); `None` when it is not one.
pub(crate) fn parse_fault(s: &str) -> Option<Fault> {
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

/// Injects the fault chosen for the request, if any.
pub async fn faults(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let chosen = choose_fault(&app, req.method(), req.uri().path(), req.headers());
    let (fault, label) = match chosen {
        Ok(Some(f)) => f,
        Ok(None) => return next.run(req).await,
        Err(e) => return e.into_response(),
    };
    app.lock().stats.faults_injected += 1;
    let mut resp = match fault {
        Fault::Status(code) => {
            let msg = format!(
                "injected fault: {}",
                StatusCode::from_u16(code)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            );
            let mut r = ApiError::new(code, "", msg).into_response();
            let ra = header_str(req.headers(), "x-emulator-retry-after")
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(secs) = ra.or((code == 429).then_some(1)) {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            r
        }
        Fault::Drop => dropped(),
        Fault::Stall(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Fault::DropAfter => {
            drop(next.run(req).await);
            dropped()
        }
        Fault::Garbage => {
            drop(next.run(req).await);
            let mut r = Response::new(Body::from(
                "<html><body>upstream sent garbage \u{fffd}\u{1}</body></html>\n",
            ));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        Fault::SlowBody(ms) => slow(next.run(req).await, ms).await,
    };
    resp.extensions_mut().insert(FaultLabel(label));
    resp
}

fn dropped() -> Response {
    let mut r = Response::new(Body::empty());
    r.extensions_mut().insert(Dropped);
    r
}

/// Sends the response's body in about 10 pieces spread over `ms` milliseconds.
async fn slow(resp: Response, ms: u64) -> Response {
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
