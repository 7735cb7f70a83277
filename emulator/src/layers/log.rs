//! Request-log layer: one JSON line per request on stderr (unless `--quiet`), with the fault
//! injected, if any; it also carries out a connection drop decided further in.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::accept::ConnKill;
use crate::layers::faults::{Dropped, FaultLabel};
use crate::state::{self, ApiError};
use crate::App;

/// Logs the request, then drops the connection when the response says so.
pub async fn log(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let kill = req.extensions().get::<ConnKill>().cloned();
    let resp = next.run(req).await;
    let dropped = resp.extensions().get::<Dropped>().is_some();
    if !app.config.quiet {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let status = if dropped {
            json!("dropped")
        } else {
            json!(resp.status().as_u16())
        };
        let mut line = json!({
            "time": instaclustr_pg::validate::format_iso_millis(state::now_ms()),
            "method": method.as_str(), "path": path, "status": status,
            "ms": (ms * 10.0).round() / 10.0,
        });
        if let Some(FaultLabel(f)) = resp.extensions().get::<FaultLabel>() {
            line["fault"] = json!(f);
        }
        eprintln!("{line}");
    }
    if !dropped {
        return resp;
    }
    match kill {
        Some(k) => {
            k.kill();
            std::future::pending::<Response>().await
        }
        None => ApiError::new(502, "", "connection dropped (fault)").into_response(),
    }
}
