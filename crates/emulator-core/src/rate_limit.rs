//! The rate limit (`rate_limit` option): a token bucket on the injected clock, burst one
//! second's worth; over it a 429 with `Retry-After`.

use crate::app::App;
use crate::reply::{ApiError, Reply};

/// Takes a token at `now` (epoch ms): the 429 when the bucket is empty.
pub fn check(app: &App, now: f64) -> Result<(), Reply> {
    let Err(secs) = take(app, now) else {
        return Ok(());
    };
    app.lock().stats.rate_limited += 1;
    let mut r = ApiError::new(429, "", "rate limit exceeded").reply();
    r.set_header("retry-after", secs.to_string());
    Err(r)
}

/// Takes a token: `Err(retry_after_seconds)` when over the limit.
fn take(app: &App, now: f64) -> Result<(), u64> {
    let Some(rps) = app.options.rate_limit.filter(|r| *r > 0.0) else {
        return Ok(());
    };
    let burst = rps.max(1.0);
    let mut b = app.bucket.lock().unwrap_or_else(|p| p.into_inner());
    // a clock that goes back adds nothing
    let elapsed = b.at_ms.map_or(0.0, |at| (now - at).max(0.0) / 1000.0);
    let tokens = (b.tokens + elapsed * rps).min(burst);
    b.at_ms = Some(now);
    if tokens >= 1.0 {
        b.tokens = tokens - 1.0;
        Ok(())
    } else {
        b.tokens = tokens;
        Err((((1.0 - tokens) / rps).ceil() as u64).max(1))
    }
}
