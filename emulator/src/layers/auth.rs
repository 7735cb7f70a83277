//! Authentication layer: HTTP Basic with a username and provisioning API key; the account is
//! handed to the handlers as [`Account`].

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::authenticate;
use crate::extract::Account;
use crate::App;

/// A 401 without valid credentials; otherwise the request goes on with its [`Account`].
pub async fn auth(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    match authenticate(&app, req.headers()) {
        Ok(user) => {
            req.extensions_mut().insert(Account(user));
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}
