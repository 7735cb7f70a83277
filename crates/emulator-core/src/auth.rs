//! Authentication: HTTP Basic with a username and provisioning API key.

use base64::Engine as _;

use crate::app::App;
use crate::reply::ApiError;
use crate::request::Request;

/// The account of a request's Basic credentials.
///
/// # Errors
/// A 401 when they are missing or wrong (the message never repeats them).
pub fn authenticate(app: &App, req: &Request<'_>) -> Result<String, ApiError> {
    let unauthorized = |m: &str| ApiError::new(401, "Authorization", m);
    let value = req.header("authorization").ok_or_else(|| {
        unauthorized("basic authentication required: username and provisioning api key")
    })?;
    let (scheme, cred) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(unauthorized(
            "basic authentication required: username and provisioning api key",
        ));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(cred.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| unauthorized("malformed basic credentials"))?;
    let (user, key) = decoded
        .split_once(':')
        .ok_or_else(|| unauthorized("malformed basic credentials"))?;
    match app.accounts.get(user) {
        Some(k) if k == key => Ok(user.to_owned()),
        _ => Err(unauthorized("invalid username or api key")),
    }
}
