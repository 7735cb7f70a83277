//! Assembly of a built request: the path template filled in, the base URL and credentials
//! checked with every other violation, the headers in their fixed order.

use base64::Engine as _;

use super::base_url::check_base_url;
use super::{HttpRequest, RequestOptions};
use crate::error::Error;
use crate::operation::Spec;
use crate::validate::{Violation, ViolationCode};

/// `template` with each `{name}` placeholder replaced by the next of `values`, percent-encoded.
pub(crate) fn fill_path(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 40);
    let mut rest = template;
    let mut values = values.iter();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(&super::percent_encode(values.next().copied().unwrap_or("")));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// Common tail of every `build`: base URL and credentials are checked together with the
/// violations already found, then the request is assembled.
pub(crate) fn assemble(
    spec: &Spec,
    path_and_query: String,
    body: Option<String>,
    opts: &RequestOptions,
    mut v: Vec<Violation>,
) -> Result<HttpRequest, Error> {
    let base = check_base_url(opts.base_url.as_deref(), &mut v);
    if let Some(u) = &opts.username {
        if u.contains(':') {
            v.push(Violation::new(
                "username",
                ViolationCode::Format,
                "must not contain ':' (basic authentication)",
            ));
        }
        if u.chars().any(char::is_control) {
            v.push(Violation::new(
                "username",
                ViolationCode::Format,
                "must not contain control characters",
            ));
        }
    }
    if let Some(k) = &opts.api_key {
        if k.expose().chars().any(char::is_control) {
            // the value itself is never repeated
            v.push(Violation::new(
                "apiKey",
                ViolationCode::Format,
                "must not contain control characters",
            ));
        }
    }
    Error::check(v)?;
    let mut headers = vec![("Accept".to_owned(), spec.accept.to_owned())];
    if body.is_some() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    if let (Some(user), Some(key)) = (&opts.username, &opts.api_key) {
        let mut credentials = String::with_capacity(user.len() + key.expose().len() + 1);
        credentials.push_str(user);
        credentials.push(':');
        credentials.push_str(key.expose());
        let mut value = String::with_capacity(6 + credentials.len().div_ceil(3) * 4);
        value.push_str("Basic ");
        base64::engine::general_purpose::STANDARD.encode_string(credentials, &mut value);
        headers.push(("Authorization".to_owned(), value));
    }
    Ok(HttpRequest {
        operation: spec.operation,
        method: spec.method,
        url: base + &path_and_query,
        headers,
        body,
        secret: None,
    })
}
