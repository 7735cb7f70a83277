//! The options objects of the client (constructor, retry, per call, waiters), read by serde from the JS
//! value and declared in the `.d.ts` by tsify from the same structs. serde reads each key (as the
//! JS value itself, so that nothing is coerced); [`Reader`] then judges the values, collecting
//! every violation with its path.

use tsify::Tsify;

use super::*;
use crate::key::Key;

/// Retry settings; see the README for the defaults and their reasons.
#[derive(serde::Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "RetryOptions")]
pub(super) struct JsRetryOptions {
    /// Retries after the first attempt (default 3).
    #[tsify(optional, type = "number | undefined")]
    pub(super) max_retries: Key,
    /// First backoff ceiling, ms (default 500); doubled per retry, full jitter.
    #[tsify(optional, type = "number | undefined")]
    pub(super) base_delay_ms: Key,
    /// Largest backoff ceiling, ms (default 20000).
    #[tsify(optional, type = "number | undefined")]
    pub(super) max_delay_ms: Key,
    /// Largest `Retry-After` honoured, ms (default 60000); a longer one ends the retries.
    #[tsify(optional, type = "number | undefined")]
    pub(super) max_retry_after_ms: Key,
}

/// Options of `new InstaclustrClient(...)`.
#[derive(serde::Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "ClientOptions")]
pub(super) struct JsClientOptions {
    #[tsify(type = "string")]
    pub(super) username: Key,
    /// Provisioning API key; never appears in any error, hook or log.
    #[tsify(type = "string")]
    pub(super) api_key: Key,
    /// Default `https://api.instaclustr.com`; `http://` only to a loopback host.
    #[tsify(optional, type = "string | undefined")]
    pub(super) base_url: Key,
    /// Deadline of each call in ms, retries included (default 60000).
    #[tsify(optional, type = "number | undefined")]
    pub(super) timeout_ms: Key,
    /// Shorthand for `retry.maxRetries` (default 3).
    #[tsify(optional, type = "number | undefined")]
    pub(super) max_retries: Key,
    #[tsify(optional, type = "RetryOptions | undefined")]
    pub(super) retry: Key,
    /// Largest response body accepted, bytes (default 16 MiB); larger gives a `DecodeError`.
    #[tsify(optional, type = "number | undefined")]
    pub(super) max_response_bytes: Key,
    /// Replaces the global `fetch` (same signature).
    #[tsify(
        optional,
        type = "((input: string, init: RequestInit) => Promise<Response>) | undefined"
    )]
    pub(super) fetch: Key,
    #[tsify(optional, type = "((event: HookEvent) => void) | undefined")]
    pub(super) on_request: Key,
    #[tsify(optional, type = "((event: HookEvent) => void) | undefined")]
    pub(super) on_response: Key,
    /// The present, epoch ms, of the checks against it (a `restoreCluster` point in time in the
    /// future is refused), e.g. `emulator.now` of `instaclustr-pg/emulator` after `advance`.
    /// Default `Date.now`. Deadlines and retry delays always use the real clock.
    #[tsify(optional, type = "(() => number) | undefined")]
    pub(super) now: Key,
}

/// The last argument of every client method.
#[derive(serde::Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "CallOptions")]
pub(super) struct JsCallOptions {
    /// Cancels the call at once (in-flight request and any wait) with an `AbortError`.
    #[tsify(optional, type = "AbortSignal | undefined")]
    pub(super) signal: Key,
    /// Deadline of this call in ms, retries included.
    #[tsify(optional, type = "number | undefined")]
    pub(super) timeout_ms: Key,
}

/// Options of the waiters. Defaults: first delay 5000 ms, growing 1.5x to 30000 ms.
#[derive(serde::Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "WaitOptions")]
pub(super) struct JsWaitOptions {
    /// `waitForCluster` only (default "RUNNING").
    #[tsify(optional, type = "\"RUNNING\" | \"DELETED\" | undefined")]
    pub(super) until: Key,
    #[tsify(optional, type = "number | undefined")]
    pub(super) min_delay_ms: Key,
    #[tsify(optional, type = "number | undefined")]
    pub(super) max_delay_ms: Key,
    /// Give up after this long with a `WaiterError`.
    #[tsify(type = "number")]
    pub(super) max_wait_ms: Key,
    #[tsify(optional, type = "AbortSignal | undefined")]
    pub(super) signal: Key,
    #[tsify(optional, type = "((progress: WaitProgress) => void) | undefined")]
    pub(super) on_progress: Key,
    /// `waitForBackup` only: ignore events started before this instant (epoch ms or Date).
    #[tsify(optional, type = "number | Date | undefined")]
    pub(super) since: Key,
}

/// The key `updateCluster` reads beyond the call options (its `.d.ts`, `UpdateClusterOptions`,
/// is in `ts.rs`: tsify cannot say `extends CallOptions`).
#[derive(serde::Deserialize, Default)]
pub(crate) struct JsUpdateClusterOptions {
    pub(crate) current: Key,
}

/// The options of an `updateCluster` call, read.
pub(crate) fn update_options(options: &JsValue) -> JsUpdateClusterOptions {
    crate::params::read(Some(options))
}
