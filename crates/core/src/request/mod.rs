//! Request building without any network (after async-stripe): one struct per operation whose
//! `build` validates every input at once (body, path parameters, options) and returns the exact
//! [`HttpRequest`] to send: method, URL, headers and JSON body.
//!
//! Bodies are the validated input re-serialized with the read-only fields dropped (`id`,
//! `status`, `nodes`, `deletedNodes`, `defaultUserPassword`, `currentClusterOperationStatus`,
//! `pciComplianceMode`, `restoredClusterId`) and object keys sorted, so the same input always
//! gives the same bytes. Unknown fields are kept: a field added by the server can be sent by a
//! client that does not know it yet.

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::{PostgresqlCluster, PostgresqlClusterUpdate, Secret};
use crate::operation::{paths, Method, Operation};
use crate::validate::{self, Violation, ViolationCode};

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
            .field("body", &self.body)
            .finish()
    }
}

/// Fields the server sets; dropped from request bodies.
const READ_ONLY_CLUSTER: &[&str] = &[
    "id",
    "status",
    "currentClusterOperationStatus",
    "defaultUserPassword",
    "pciComplianceMode",
];
const READ_ONLY_DATA_CENTRE: &[&str] = &["id", "status", "nodes", "deletedNodes"];
const READ_ONLY_RESTORE: &[&str] = &["restoredClusterId"];

/// The validated base URL, without a trailing slash.
///
/// `https://` is accepted with any host; `http://` only with a loopback host (`127.0.0.0/8`,
/// `::1`, `localhost`), for a local emulator. User info, query and fragment are refused.
///
/// # Errors
/// [`Error::Validation`] with a violation at `baseUrl`.
pub fn base_url(opts: &RequestOptions) -> Result<String, Error> {
    let mut v = Vec::new();
    let url = check_base_url(opts.base_url.as_deref(), &mut v);
    Error::check(v).map(|()| url)
}

fn check_base_url(given: Option<&str>, v: &mut Vec<Violation>) -> String {
    let Some(raw) = given else {
        return DEFAULT_BASE_URL.to_owned();
    };
    let bad = |v: &mut Vec<Violation>, code: ViolationCode, msg: &str| {
        v.push(Violation::new("baseUrl", code, msg));
        String::new()
    };
    if raw.is_empty() {
        return bad(
            v,
            ViolationCode::Required,
            "must not be empty (omit it for the default)",
        );
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad(
            v,
            ViolationCode::Format,
            "must not contain spaces or control characters",
        );
    }
    let lower = raw.to_ascii_lowercase();
    let (https, rest) = if lower.starts_with("https://") {
        (true, &raw[8..])
    } else if lower.starts_with("http://") {
        (false, &raw[7..])
    } else {
        return bad(
            v,
            ViolationCode::Format,
            "must be an absolute https:// url (http:// only for a loopback host)",
        );
    };
    if rest.contains('?') || rest.contains('#') {
        return bad(
            v,
            ViolationCode::Format,
            "must not contain a query or a fragment",
        );
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return bad(
            v,
            ViolationCode::Format,
            "must not contain credentials (use username and apiKey)",
        );
    }
    let Some(host) = split_host(authority) else {
        return bad(
            v,
            ViolationCode::Format,
            "must have a valid host and an optional numeric port",
        );
    };
    if !https && !is_loopback(host) {
        return bad(
            v,
            ViolationCode::Format,
            "http:// is allowed only for a loopback host (127.0.0.0/8, ::1, localhost): use https://",
        );
    }
    let scheme = if https { "https://" } else { "http://" };
    format!("{scheme}{authority}{}", path.trim_end_matches('/'))
}

/// The host of `host[:port]` or `[v6][:port]`, or `None` when malformed.
fn split_host(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &rest[..end];
        host.parse::<std::net::Ipv6Addr>().ok()?;
        let after = &rest[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return None,
        };
        (host, port)
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    if let Some(p) = port {
        if p.is_empty()
            || p.len() > 5
            || !p.bytes().all(|b| b.is_ascii_digit())
            || p.parse::<u32>().ok()? > 65535
        {
            return None;
        }
    }
    if !authority.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    {
        return None;
    }
    Some(host)
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return ip.is_loopback();
    }
    host.parse::<std::net::Ipv6Addr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

/// Percent-encodes everything but RFC 3986 unreserved characters. Written by hand: ten lines
/// do not justify a dependency in the wasm build.
pub(crate) fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Common tail of every `build`: base URL and credentials are checked together with the
/// violations already found, then the request is assembled.
fn finish(
    operation: Operation,
    path_and_query: String,
    body: Option<Value>,
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
    let accept = if operation == Operation::DownloadCertificate {
        "application/zip"
    } else {
        "application/json"
    };
    let mut headers = vec![("Accept".to_owned(), accept.to_owned())];
    let body = body.map(|b| serde_json::to_string(&b).unwrap_or_else(|_| "null".to_owned()));
    if body.is_some() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    if let (Some(user), Some(key)) = (&opts.username, &opts.api_key) {
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", key.expose()));
        headers.push(("Authorization".to_owned(), format!("Basic {token}")));
    }
    Ok(HttpRequest {
        operation,
        method: operation.method(),
        url: format!("{base}{path_and_query}"),
        headers,
        body,
    })
}

/// A copy of `value` with object keys sorted at every level (the same whether or not
/// serde_json's `preserve_order` feature is on somewhere in the build) and `drop` applied.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                if let Some(v) = m.get(k) {
                    out.insert(k.clone(), canonical(v));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn remove_keys(value: &mut Value, keys: &[&str]) {
    if let Value::Object(m) = value {
        for k in keys {
            m.remove(*k);
        }
    }
}

/// Drops the read-only fields of a cluster or update body (top level and each data centre).
fn strip_cluster(body: &Value) -> Value {
    let mut out = canonical(body);
    remove_keys(&mut out, READ_ONLY_CLUSTER);
    if let Some(Value::Array(dcs)) = out.get_mut("dataCentres") {
        for dc in dcs {
            remove_keys(dc, READ_ONLY_DATA_CENTRE);
        }
    }
    out
}

fn path_id(id: &str, v: &mut Vec<Violation>) -> String {
    v.extend(validate::cluster_id(id, "clusterId"));
    percent_encode(id)
}

/// `POST` a new cluster (`PostgresqlClusterV2`).
#[derive(Clone, Debug, PartialEq)]
pub struct CreateCluster {
    /// The cluster, as JSON (typed input from JS arrives this way; see [`CreateCluster::from_model`]).
    pub body: Value,
}

impl CreateCluster {
    /// From a typed cluster.
    pub fn from_model(cluster: &PostgresqlCluster) -> Self {
        Self {
            body: serde_json::to_value(cluster).unwrap_or(Value::Null),
        }
    }

    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the body and the options.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let v = validate::create_cluster(&self.body);
        finish(
            Operation::CreateCluster,
            paths::CLUSTERS.to_owned(),
            Some(strip_cluster(&self.body)),
            opts,
            v,
        )
    }
}

/// `GET` a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct GetCluster {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl GetCluster {
    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the ID or the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let id = path_id(&self.cluster_id, &mut v);
        finish(
            Operation::GetCluster,
            format!("{}{id}/", paths::CLUSTERS),
            None,
            opts,
            v,
        )
    }
}

/// `PUT` a cluster update (`PostgresqlClusterUpdateV2`, exactly one data centre).
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateCluster {
    /// Cluster ID (UUID).
    pub cluster_id: String,
    /// The update, as JSON.
    pub body: Value,
}

impl UpdateCluster {
    /// From a typed update.
    pub fn from_model(cluster_id: impl Into<String>, update: &PostgresqlClusterUpdate) -> Self {
        Self {
            cluster_id: cluster_id.into(),
            body: serde_json::to_value(update).unwrap_or(Value::Null),
        }
    }

    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the ID, the body and the options.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let id = path_id(&self.cluster_id, &mut v);
        v.extend(validate::update_cluster(&self.body));
        let body = strip_cluster(&self.body);
        finish(
            Operation::UpdateCluster,
            format!("{}{id}/", paths::CLUSTERS),
            Some(body),
            opts,
            v,
        )
    }
}

/// `DELETE` a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct DeleteCluster {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl DeleteCluster {
    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the ID or the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let id = path_id(&self.cluster_id, &mut v);
        finish(
            Operation::DeleteCluster,
            format!("{}{id}/", paths::CLUSTERS),
            None,
            opts,
            v,
        )
    }
}

/// `GET` the backup events of the last 7 days.
#[derive(Clone, Debug, PartialEq)]
pub struct ListBackups {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl ListBackups {
    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the ID or the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let id = path_id(&self.cluster_id, &mut v);
        let path = format!("{}{id}/list-backups/v2/", paths::DATA_SOURCES_CLUSTERS);
        finish(Operation::ListBackups, path, None, opts, v)
    }
}

/// `POST` a manual backup.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerBackup {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl TriggerBackup {
    /// The request (no body).
    ///
    /// # Errors
    /// [`Error::Validation`] when the ID or the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let id = path_id(&self.cluster_id, &mut v);
        let path = format!("{}{id}/trigger-backup/v2/", paths::OPERATIONS_CLUSTERS);
        finish(Operation::TriggerBackup, path, None, opts, v)
    }
}

/// `POST` a point-in-time restore (`ClusterRestoreV2`).
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreCluster {
    /// The restore, as JSON; `pointInTime` may be epoch ms (number or digits) or ISO 8601.
    pub body: Value,
    /// The current time in epoch ms, to refuse a point in time in the future.
    pub now_ms: f64,
}

impl RestoreCluster {
    /// The request; `pointInTime` is sent as an ISO 8601 UTC string with milliseconds.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the body and the options.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = validate::restore_cluster(&self.body, self.now_ms);
        let mut body = canonical(&self.body);
        remove_keys(&mut body, READ_ONLY_RESTORE);
        if let Some(pit) = self.body.get("pointInTime").filter(|p| !p.is_null()) {
            match validate::point_in_time(pit, self.now_ms) {
                Ok(ms) => {
                    if let Value::Object(m) = &mut body {
                        m.insert(
                            "pointInTime".to_owned(),
                            Value::String(validate::format_iso_millis(ms)),
                        );
                    }
                }
                Err(more) => {
                    for x in more {
                        if !v.contains(&x) {
                            v.push(x);
                        }
                    }
                }
            }
        }
        finish(
            Operation::RestoreCluster,
            paths::RESTORE.to_owned(),
            Some(body),
            opts,
            v,
        )
    }
}

/// `GET` the PostgreSQL (and add-on) versions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListVersions;

impl ListVersions {
    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        finish(
            Operation::ListVersions,
            paths::VERSIONS.to_owned(),
            None,
            opts,
            Vec::new(),
        )
    }
}

/// `GET` the add-on versions compatible with a PostgreSQL version.
#[derive(Clone, Debug, PartialEq)]
pub struct ListCompatibleVersions {
    /// PostgreSQL version, `x.y.z`.
    pub postgresql_version: String,
}

impl ListCompatibleVersions {
    /// The request (no trailing slash after the version, as in the API document).
    ///
    /// # Errors
    /// [`Error::Validation`] when the version is not `x.y.z` or the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let ver = &self.postgresql_version;
        if ver.is_empty() {
            v.push(Violation::new(
                "postgresqlVersion",
                ViolationCode::Required,
                "a postgresql version is required",
            ));
        } else if !validate::is_valid_version(ver) {
            v.push(Violation::new(
                "postgresqlVersion",
                ViolationCode::Pattern,
                "must be a version x.y.z (digits)",
            ));
        }
        let path = format!("{}{}", paths::COMPATIBLE_VERSIONS, percent_encode(ver));
        finish(Operation::ListCompatibleVersions, path, None, opts, v)
    }
}

/// `GET` the node sizes per provider.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListCompatibleNodeSizes {
    /// Only sizes usable with PgBouncer (`pgbouncerRequired`), sent only when given.
    pub pgbouncer_required: Option<bool>,
}

impl ListCompatibleNodeSizes {
    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut path = paths::COMPATIBLE_NODE_SIZES.to_owned();
        if let Some(b) = self.pgbouncer_required {
            path.push_str(if b {
                "?pgbouncerRequired=true"
            } else {
                "?pgbouncerRequired=false"
            });
        }
        finish(
            Operation::ListCompatibleNodeSizes,
            path,
            None,
            opts,
            Vec::new(),
        )
    }
}

/// `GET` the cluster's CA certificate zip.
#[derive(Clone, Debug, PartialEq)]
pub struct DownloadCertificate {
    /// Cluster ID: any non-empty string (percent-encoded), as the API document allows.
    pub cluster_id: String,
}

impl DownloadCertificate {
    /// The request (`Accept: application/zip`).
    ///
    /// # Errors
    /// [`Error::Validation`] when the ID is empty or the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        if self.cluster_id.is_empty() {
            v.push(Violation::new(
                "clusterId",
                ViolationCode::Required,
                "a cluster id is required",
            ));
        }
        let path = format!(
            "{}{}/certificate/v2/",
            paths::OPERATIONS_CLUSTERS,
            percent_encode(&self.cluster_id)
        );
        finish(Operation::DownloadCertificate, path, None, opts, v)
    }
}

/// `GET` the account's clusters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListClusters {
    /// Filter such as `name:my-cluster`; omitted when `None` or empty.
    pub search: Option<String>,
}

impl ListClusters {
    /// The request.
    ///
    /// # Errors
    /// [`Error::Validation`] when the options are invalid.
    pub fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut path = paths::ACCOUNT_CLUSTERS.to_owned();
        if let Some(s) = self.search.as_deref().filter(|s| !s.is_empty()) {
            path.push_str("?search=");
            path.push_str(&percent_encode(s));
        }
        finish(Operation::ListClusters, path, None, opts, Vec::new())
    }
}

#[cfg(test)]
mod tests;
