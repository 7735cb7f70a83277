//! Client-wide settings and per-call options.

use super::*;

/// Default deadline of one call, all attempts included (60 s): long enough for 4 attempts with
/// their backoff against a slow API, short enough that a script never hangs on a dead network.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// Default largest response body (16 MiB): the largest real answers (backup events of a big
/// cluster, the node-size catalogue) are far below; a larger body is hostile or broken.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Client-wide settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// Deadline of a call in milliseconds, retries included.
    pub timeout_ms: u64,
    /// Retry policy.
    pub retry: RetryPolicy,
    /// Largest response body accepted; a larger one is an [`Error::Decode`].
    pub max_response_bytes: usize,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            timeout_ms: DEFAULT_TIMEOUT_MS,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

/// Per-call options.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// Cancels the call (in-flight request and any sleep) at once.
    pub abort: Option<Abort>,
    /// Overrides the client's deadline for this call.
    pub timeout_ms: Option<u64>,
}

impl CallOptions {
    /// Options with an abort flag.
    pub fn with_abort(abort: Abort) -> Self {
        Self {
            abort: Some(abort),
            timeout_ms: None,
        }
    }
}
