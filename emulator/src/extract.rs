//! Extractors of the API handlers: the cluster id of the path (validated), another path
//! parameter, the account set by the authentication layer, and a JSON body.

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use instaclustr_pg::validate;
use serde_json::Value;

use crate::state::ApiError;
use crate::App;

/// The JSON body of a request, read within the emulator's size limit (`api::json_body`: a 413
/// when it is larger, a 400 when it is not JSON).
pub struct JsonBody(pub Value);

impl FromRequest<Arc<App>> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &Arc<App>) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        crate::api::json_body(app, &parts.headers, body)
            .await
            .map(Self)
    }
}

/// The `{clusterId}` of the path, percent-decoded and validated (a 400 naming `clusterId`
/// otherwise).
pub struct ClusterId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClusterId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        // a segment that does not decode to UTF-8 is checked as a replacement character
        let id = match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => id,
            Err(_) => "\u{fffd}".to_owned(),
        };
        let vs = validate::cluster_id(&id, "clusterId");
        if vs.is_empty() {
            Ok(Self(id))
        } else {
            Err(ApiError::from_violations(vs))
        }
    }
}

/// The one parameter of the path (a version, or a node, configuration or data centre ID),
/// percent-decoded (checked by its handler).
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(Self(
            Path::<String>::from_request_parts(parts, state)
                .await
                .map(|Path(v)| v)
                .unwrap_or_default(),
        ))
    }
}

/// The authenticated account's username (a request extension set by
/// [`crate::layers::auth`]).
#[derive(Clone)]
pub struct Account(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Account {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Account>()
            .cloned()
            .ok_or_else(|| ApiError::new(500, "", "no account on an authenticated route"))
    }
}
