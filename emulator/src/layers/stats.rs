//! Stats layer: counts the requests of each operation (`/__emulator/stats`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Extension;

use crate::api::Op;
use crate::App;

/// Counts the request under its operation's name, then runs it.
pub async fn count(
    State(app): State<Arc<App>>,
    Extension(op): Extension<Op>,
    req: Request,
    next: Next,
) -> Response {
    {
        let mut st = app.lock();
        *st.stats
            .requests_by_operation
            .entry(op.name().to_owned())
            .or_default() += 1;
    }
    next.run(req).await
}
