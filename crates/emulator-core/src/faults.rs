//! Faults: in test mode the `X-Emulator-Fault*` headers, and random faults at the fault rate,
//! turn a request into an error status, a dropped connection (before or after the work), a
//! stall, a slow body or a non-JSON body. The decision and the answers are made here; the host
//! waits, drops or sends slowly as the outcome says.

use crate::app::App;
pub use crate::fault_kind::{parse_fault, Fault};
use crate::reply::{reason, ApiError, Reply};
use crate::request::Request;

/// The fault for this request, if any, with its label (as requested): from the headers in test
/// mode, else drawn at the fault rate from the emulator's generator.
///
/// # Errors
/// A 400 for a malformed `X-Emulator-Fault` or `X-Emulator-Fault-Count` header.
pub fn choose(app: &App, req: &Request<'_>) -> Result<Option<(Fault, String)>, ApiError> {
    if app.options.test_mode {
        if let Some(v) = req.header_trimmed("x-emulator-fault") {
            let fault = parse_fault(v).ok_or_else(|| {
                ApiError::new(
                    400,
                    "X-Emulator-Fault",
                    "must be 4xx/5xx, drop, drop-after, stall:<ms>, slow-body[:<ms>] or garbage",
                )
            })?;
            let token = req.header_trimmed("x-emulator-fault-once");
            let count = match req.header_trimmed("x-emulator-fault-count") {
                Some(c) => Some(c.parse::<u64>().map_err(|_| {
                    ApiError::new(400, "X-Emulator-Fault-Count", "must be a whole number")
                })?),
                None => None,
            };
            let key = match (token, count) {
                (Some(t), _) => Some(format!("token:{t}")),
                (None, Some(_)) => Some(format!("{v}|{}|{}", req.method, req.path)),
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
    if app.options.fault_rate > 0.0 {
        let mut rng = app.rng();
        if rng.f64() < app.options.fault_rate {
            let kinds = &app.options.fault_kinds;
            if let Some(k) = kinds.get(rng.usize(..kinds.len().max(1))) {
                if let Some(f) = parse_fault(k) {
                    return Ok(Some((f, k.clone())));
                }
            }
        }
    }
    Ok(None)
}

/// The answer of a status fault (`Retry-After` from `X-Emulator-Retry-After`, or 1 s for a 429).
pub fn status_reply(code: u16, req: &Request<'_>) -> Reply {
    let phrase = match reason(code) {
        "" => "<unknown status code>",
        p => p,
    };
    let mut r = ApiError::new(code, "", format!("injected fault: {code} {phrase}")).reply();
    let ra = req
        .header_trimmed("x-emulator-retry-after")
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(secs) = ra.or((code == 429).then_some(1)) {
        r.set_header("retry-after", secs.to_string());
    }
    r
}

/// The answer of a garbage fault: a 200 with an HTML body no JSON reader accepts.
pub fn garbage_reply() -> Reply {
    let mut r = Reply::empty(200);
    r.body = "<html><body>upstream sent garbage \u{fffd}\u{1}</body></html>\n"
        .as_bytes()
        .to_vec();
    r.set_header("content-type", "text/html");
    r
}
