//! Observers of every attempt (what the hooks see: no headers, no body, no credentials).

/// What the hooks see of one attempt: no headers, no body, no credentials.
#[derive(Clone, Debug, PartialEq)]
pub struct HookEvent {
    /// Operation name (`getCluster`).
    pub operation: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// URL without any user information.
    pub url: String,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// HTTP status (responses only; `None` when the request got no answer).
    pub status: Option<u16>,
    /// Error code when the attempt got no answer (`NETWORK_ERROR`, `TIMEOUT_ERROR`, ...).
    pub error: Option<&'static str>,
    /// Milliseconds since the call started.
    pub elapsed_ms: u64,
}

/// Observers of every attempt, for logs and metrics.
pub trait Hooks {
    /// Before each attempt is sent.
    fn on_request(&self, event: &HookEvent);
    /// After each attempt, answered or not.
    fn on_response(&self, event: &HookEvent);
}
