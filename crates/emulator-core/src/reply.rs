//! What an exchange answers: the [`Reply`] (status, headers, body), the API's error answer
//! [`ApiError`] (an `ErrorListResponseV2`), and the JSON replies built from them.

use serde_json::{json, Value};

/// An HTTP answer: status, headers (lower-case names) and body. Its `Debug` shows the status,
/// the header names and the body's length: a body can hold a cluster's password.
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lower-case, in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Reply {
    /// An answer with no header and no body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A JSON answer (`content-type: application/json`).
    pub fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// The value of header `name` (lower-case), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets header `name` (lower-case), replacing any value it had.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name.to_owned(), value.into()));
    }
}

/// An error answer: status and `(name, message)` pairs of an `ErrorListResponseV2`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Errors.
    pub errors: Vec<(String, String)>,
}

impl ApiError {
    /// One error.
    pub fn new(status: u16, name: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            errors: vec![(name.into(), message.into())],
        }
    }
    /// A 400 listing validation problems (each named by its JSON path).
    pub fn from_violations(vs: Vec<instaclustr_pg_core::validate::Violation>) -> Self {
        Self {
            status: 400,
            errors: vs.into_iter().map(|v| (v.path, v.message)).collect(),
        }
    }
    /// `Ok` when there is no validation problem, else the 400 of [`ApiError::from_violations`].
    pub fn unless_violations(
        vs: Vec<instaclustr_pg_core::validate::Violation>,
    ) -> Result<(), Self> {
        if vs.is_empty() {
            Ok(())
        } else {
            Err(Self::from_violations(vs))
        }
    }
    /// A 404 for a cluster.
    pub fn no_cluster(id: &str) -> Self {
        Self::new(404, "clusterId", format!("cluster {id} not found"))
    }
    /// The `ErrorListResponseV2` answer.
    pub fn reply(&self) -> Reply {
        let errors: Vec<Value> = self
            .errors
            .iter()
            .map(|(n, m)| json!({"name": n, "message": m}))
            .collect();
        Reply::json(self.status, &json!({ "errors": errors }))
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Self {
        e.reply()
    }
}

/// A reason phrase for the statuses the faults inject (`injected fault: 503 Service
/// Unavailable`), as the `http` crate spells them.
pub fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}
