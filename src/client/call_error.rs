//! The JS error of a failed call.

use super::*;

/// The JS error of a failed call, with `operation`, `attempts`, `elapsedMs`, `outcomeUnknown`,
/// `hint`, `headers` (kept response headers) and `retryAfterMs` when known.
pub(super) fn call_error(e: &CallError) -> JsValue {
    let ctx = ErrorContext {
        operation: Operation::ALL
            .iter()
            .copied()
            .find(|o| o.name() == e.operation),
        attempts: Some(e.attempts),
        elapsed_ms: Some(e.elapsed_ms as f64),
    };
    let err = to_js_error(&e.error, Some(&ctx));
    set(&err, "message", &key(&e.to_string()));
    set(&err, "operation", &key(e.operation));
    if e.outcome_unknown {
        set(&err, "outcomeUnknown", &JsValue::TRUE);
    }
    if let Some(h) = &e.hint {
        set(&err, "hint", &key(h));
    }
    if !e.headers.is_empty() {
        let h: JsValue = Object::new().into();
        for (k, v) in &e.headers {
            set(&h, k, &key(v));
        }
        set(&err, "headers", &h);
        if let Some(ra) = e
            .headers
            .iter()
            .find(|(k, _)| k == "retry-after")
            .and_then(|(_, v)| {
                instaclustr_pg_core::retry::parse_retry_after(v, js_sys::Date::now())
            })
        {
            set(&err, "retryAfterMs", &JsValue::from(ra as f64));
        }
    }
    err
}
