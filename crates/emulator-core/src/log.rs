//! The request log's line: one JSON object per exchange, which the hosts print on stderr.

use serde_json::json;

use crate::exchange::{After, Outcome};

/// `{"time", "method", "path", "status" (a number, or "dropped"), "ms" (one decimal), "fault"?}`
/// as JSON text without a newline; `time` is `now_ms` in ISO 8601 (UTC, milliseconds).
pub fn line(method: &str, path: &str, outcome: &Outcome, wall_ms: f64, now_ms: f64) -> String {
    let status = match outcome.after {
        After::Drop => json!("dropped"),
        _ => json!(outcome.reply.status),
    };
    let mut line = json!({
        "time": instaclustr_pg_core::validate::format_iso_millis(now_ms),
        "method": method, "path": path, "status": status,
        "ms": (wall_ms * 10.0).round() / 10.0,
    });
    if let Some(f) = &outcome.fault {
        line["fault"] = json!(f);
    }
    line.to_string()
}
