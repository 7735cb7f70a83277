//! What every built request shares, below the endpoint table whose request structs build them:
//! the options ([`RequestOptions`]), the built request ([`HttpRequest`]), the base URL check
//! (`base_url.rs`), percent-encoding (`encode.rs`), the canonical bodies (`body.rs`) and the
//! assembly of URL and headers (`assemble.rs`). Published with the request structs by
//! [`crate::request`], which sits above the table: this module names nothing of the table.

mod assemble;
mod base_url;
mod body;
mod encode;

pub(crate) use assemble::{assemble, fill_path};
pub use base_url::base_url;
pub(crate) use body::{cluster_body, json_string, plain_body, restore_body};
pub(crate) use encode::percent_encode;

use crate::model::Secret;
use crate::operation::{Method, Operation};

/// Base URL used when none is given.
pub const DEFAULT_BASE_URL: &str = "https://api.instaclustr.com";

/// Where and as whom a request is sent. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestOptions {
    /// `https://` URL of the API (any host) or `http://` on a loopback host; defaults to
    /// [`DEFAULT_BASE_URL`]. A trailing slash is ignored.
    pub base_url: Option<String>,
    /// Account user name (Basic authentication).
    pub username: Option<String>,
    /// Provisioning API key (Basic authentication); never printed.
    pub api_key: Option<Secret>,
}

impl RequestOptions {
    /// Options for `base_url` with credentials.
    pub fn new(
        base_url: Option<String>,
        username: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Self {
        Self {
            base_url,
            username: Some(username.into()),
            api_key: Some(Secret::new(api_key)),
        }
    }
}

/// A request ready to send. `Debug` masks the `Authorization` header.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The operation.
    pub operation: Operation,
    /// HTTP method.
    pub method: Method,
    /// Absolute URL, path and query percent-encoded.
    pub url: String,
    /// Headers in a fixed order: `Accept`, then `Content-Type` (with a body), then
    /// `Authorization` (with credentials).
    pub headers: Vec<(String, String)>,
    /// JSON body, for create, update and restore.
    pub body: Option<String>,
    /// A secret the body carries (the default user's new password): masked wherever the
    /// request or an answer to it is shown (`Debug`, errors); `None` for every other request.
    pub secret: Option<Secret>,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers with the `Authorization` value masked, for logs and previews.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| {
                if k.eq_ignore_ascii_case("authorization") {
                    (k.clone(), "Basic ***".to_owned())
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect()
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.redacted_headers())
            .field(
                "body",
                // a body carrying a secret is not shown at all
                &self
                    .body
                    .as_ref()
                    .map(|b| if self.secret.is_some() { "***" } else { b }),
            )
            .finish()
    }
}
