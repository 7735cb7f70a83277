//! Rate-limit layer (`--rate-limit`): a token bucket, burst one second's worth; over it a 429
//! with `Retry-After`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::ApiError;
use crate::App;

/// Refuses the request with a 429 when the bucket is empty.
pub async fn rate_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    match take(&app) {
        Ok(()) => next.run(req).await,
        Err(secs) => {
            app.lock().stats.rate_limited += 1;
            let mut r = ApiError::new(429, "", "rate limit exceeded").into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            r
        }
    }
}

/// Takes a token: `Err(retry_after_seconds)` when over the limit.
fn take(app: &App) -> Result<(), u64> {
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
