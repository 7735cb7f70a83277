//! Extractors of the API handlers: the cluster id of the path (validated), another path
//! parameter, and the account set by the authentication layer.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use instaclustr_pg::validate;

use crate::state::ApiError;

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
