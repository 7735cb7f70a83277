//! Response parsing, one function per operation: a 2xx body becomes the typed value, any other
//! status an [`Error::Api`], a 2xx body that is not what the API document describes an
//! [`Error::Decode`] naming the JSON path of the problem. Nothing here panics: nesting depth is
//! bounded by serde_json's recursion limit (128) and every input byte sequence is handled.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::model::{
    AccountClusters, ApplicationVersionsList, CloudProviderNodeSizesList, ClusterBackupEvents,
    ClusterRestore, ErrorResponse, PostgresqlCluster,
};

/// Longest raw body kept in an [`Error::Api`], in bytes (cut at a character boundary).
pub const MAX_RAW_BYTES: usize = 1024;

/// Field names whose values must never appear in an error message.
const SECRET_FIELDS: &[&str] = &["defaultUserPassword", "apiKey", "password"];

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The error for a non-2xx answer: the `ErrorListResponseV2` errors when the body is one
/// (parsed tolerantly: entries without a string `name`/`message` keep what they have), otherwise
/// the body as text, truncated to [`MAX_RAW_BYTES`].
pub fn parse_api_error(status: u16, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    let errors = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| error_list(&v));
    match errors {
        Some(errors) => Error::Api {
            status,
            errors,
            raw: None,
        },
        None => {
            let trimmed = text.trim();
            let raw = if trimmed.is_empty() {
                None
            } else {
                Some(truncate(trimmed, MAX_RAW_BYTES))
            };
            Error::Api {
                status,
                errors: Vec::new(),
                raw,
            }
        }
    }
}

fn error_list(v: &Value) -> Option<Vec<ErrorResponse>> {
    let list = v.get("errors")?.as_array()?;
    let errors: Vec<ErrorResponse> = list
        .iter()
        .filter_map(|e| {
            let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
            match e {
                Value::Object(_) => Some(ErrorResponse {
                    name: text("name"),
                    message: text("message"),
                }),
                Value::String(s) => Some(ErrorResponse {
                    name: None,
                    message: Some(s.clone()),
                }),
                _ => None,
            }
        })
        .collect();
    Some(errors)
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn decode_err(message: impl Into<String>) -> Error {
    Error::Decode {
        message: message.into(),
    }
}

/// Decodes a JSON body into `T`, naming the path of the first problem.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let text = std::str::from_utf8(body)
        .map_err(|e| decode_err(format!("body is not utf-8 (at byte {})", e.valid_up_to())))?;
    if text.trim().is_empty() {
        return Err(decode_err("body is empty, a json value was expected"));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return decode_err(format!("body is not valid json: {inner}"));
        }
        let segments: Vec<&str> = path.split(|c| c == '.' || c == '[').collect();
        let secret = segments.iter().any(|s| SECRET_FIELDS.contains(s));
        // serde's message may quote the offending value: never for a secret field
        let what = if secret {
            "invalid value".to_owned()
        } else {
            strip_position(&inner.to_string())
        };
        if path == "." || path.is_empty() {
            decode_err(what)
        } else {
            decode_err(format!("at {path}: {what}"))
        }
    })?;
    de.end()
        .map_err(|e| decode_err(format!("body is not valid json: {e}")))?;
    Ok(value)
}

/// serde_json appends " at line L column C"; the path says more, keep the message short.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

fn success_or_api(status: u16, body: &[u8]) -> Result<(), Error> {
    if is_success(status) {
        Ok(())
    } else {
        Err(parse_api_error(status, body))
    }
}

/// Create cluster: the accepted cluster (with its `id`).
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_create_cluster(status: u16, body: &[u8]) -> Result<PostgresqlCluster, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// Get cluster.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_get_cluster(status: u16, body: &[u8]) -> Result<PostgresqlCluster, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// Update cluster: the cluster, or `None` when the 2xx body is empty.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed non-empty body.
pub fn parse_update_cluster(status: u16, body: &[u8]) -> Result<Option<PostgresqlCluster>, Error> {
    success_or_api(status, body)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    decode(body).map(Some)
}

/// Delete cluster: any 2xx (204 per the document); the body is ignored.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status.
pub fn parse_delete_cluster(status: u16, body: &[u8]) -> Result<(), Error> {
    success_or_api(status, body)
}

/// Trigger backup: any 2xx (202 per the document); the body is ignored.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status.
pub fn parse_trigger_backup(status: u16, body: &[u8]) -> Result<(), Error> {
    success_or_api(status, body)
}

/// List backups: the events of the last 7 days.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_list_backups(status: u16, body: &[u8]) -> Result<ClusterBackupEvents, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// Restore: the accepted restore, with `restoredClusterId`.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_restore_cluster(status: u16, body: &[u8]) -> Result<ClusterRestore, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// List versions.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_list_versions(
    status: u16,
    body: &[u8],
) -> Result<Vec<ApplicationVersionsList>, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// List compatible versions.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_list_compatible_versions(
    status: u16,
    body: &[u8],
) -> Result<Vec<ApplicationVersionsList>, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// List compatible node sizes.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_list_compatible_node_sizes(
    status: u16,
    body: &[u8],
) -> Result<Vec<CloudProviderNodeSizesList>, Error> {
    success_or_api(status, body)?;
    decode(body)
}

/// Download certificate: the zip bytes as sent.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for an empty body.
pub fn parse_download_certificate(status: u16, body: &[u8]) -> Result<Vec<u8>, Error> {
    success_or_api(status, body)?;
    if body.is_empty() {
        return Err(decode_err("body is empty, a certificate zip was expected"));
    }
    Ok(body.to_vec())
}

/// List the account's clusters.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
pub fn parse_list_clusters(status: u16, body: &[u8]) -> Result<Vec<AccountClusters>, Error> {
    success_or_api(status, body)?;
    decode(body)
}

#[cfg(test)]
mod tests;
