//! The async client: one method per operation, generic over a [`Transport`] and a [`Runtime`],
//! with authentication, retries ([`crate::retry`]), a per-call deadline, caller cancellation
//! ([`Abort`]), hooks, and typed errors ([`CallError`]) that say which operation failed, after how
//! many attempts and how long, and whether a POST may have taken effect.
//!
//! Timeouts: `timeout_ms` (client default [`DEFAULT_TIMEOUT_MS`], per call overridable) bounds the
//! whole call, every attempt and every backoff sleep included; a backoff that would cross the
//! deadline is not slept: the call fails at once with the last answer's error.

use serde_json::Value;

use crate::certificate::{self, Certificates};
use crate::endpoints::{self, Endpoint};
use crate::error::Error;
use crate::model::{
    ApplicationVersionsList, CloudProviderNodeSizesList, ClusterApplication, ClusterBackupEvents,
    ClusterRestore, ClusterSummary, PostgresqlCluster,
};
use crate::operation::{Method, Operation};
use crate::request::{self, HttpRequest, RequestOptions};
use crate::retry::{self, RetryPolicy};
use crate::transport::{
    aborted_opt, race, Abort, Either, Runtime, Transport, TransportError, TransportResponse,
};

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

/// A failed call: the [`Error`] with where and how it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct CallError {
    /// What went wrong.
    pub error: Error,
    /// Operation or waiter name (`createCluster`, `waitForCluster`).
    pub operation: &'static str,
    /// Attempts made (0 when nothing was sent).
    pub attempts: u32,
    /// Milliseconds from the start of the call to the failure.
    pub elapsed_ms: u64,
    /// Whether a non-idempotent request may have taken effect (a POST after a timeout, a reset
    /// connection or a 5xx). Never true when nothing can have happened.
    pub outcome_unknown: bool,
    /// What to do next, for an unknown outcome (how to find a cluster that may exist).
    pub hint: Option<String>,
    /// Kept response headers of the last answer (`retry-after`, request IDs).
    pub headers: Vec<(String, String)>,
}

impl CallError {
    /// The stable code of the error (`API_ERROR`, ...).
    pub fn code(&self) -> &'static str {
        self.error.code()
    }

    fn bare(error: Error, operation: &'static str) -> Self {
        Self {
            error,
            operation,
            attempts: 0,
            elapsed_ms: 0,
            outcome_unknown: false,
            hint: None,
            headers: Vec::new(),
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.operation, self.error)?;
        if self.outcome_unknown
            && !matches!(self.error, Error::Network { .. } | Error::Timeout { .. })
        {
            f.write_str(" (the request may have reached the server: its outcome is unknown)")?;
        }
        if let Some(h) = &self.hint {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Self {
        e.error
    }
}

/// Result of a client call.
pub type CallResult<T> = Result<T, CallError>;

/// How a successful exchange ended.
pub(crate) struct Exchange {
    pub(crate) response: TransportResponse,
    pub(crate) attempts: u32,
    pub(crate) start_ms: f64,
}

/// The client. Cheap to share behind a reference; every method takes `&self`.
pub struct Client<T, R> {
    transport: T,
    runtime: R,
    options: RequestOptions,
    config: ClientConfig,
    hooks: Option<Box<dyn Hooks>>,
}

impl<T, R> std::fmt::Debug for Client<T, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("options", &self.options)
            .field("config", &self.config)
            .finish()
    }
}

/// Removes `user:password@` from a URL, for hooks and messages.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..auth_end].rfind('@') {
        Some(at) => format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Whole milliseconds from `start` to `now` (0 when negative or not finite).
pub(crate) fn elapsed_ms(start: f64, now: f64) -> u64 {
    let d = now - start;
    if d.is_finite() && d > 0.0 {
        d as u64
    } else {
        0
    }
}

fn method_str(m: Method) -> &'static str {
    m.as_str()
}

impl<T: Transport, R: Runtime> Client<T, R> {
    /// A client sending through `transport`, keeping time with `runtime`.
    ///
    /// # Errors
    /// [`Error::Validation`] (at `baseUrl`) when the base URL is refused: not `https://`, or
    /// plain `http://` to a host that is not loopback.
    pub fn new(
        transport: T,
        runtime: R,
        options: RequestOptions,
        config: ClientConfig,
    ) -> Result<Self, Error> {
        request::base_url(&options)?;
        Ok(Self {
            transport,
            runtime,
            options,
            config,
            hooks: None,
        })
    }

    /// Installs the hooks.
    pub fn with_hooks(mut self, hooks: Box<dyn Hooks>) -> Self {
        self.hooks = Some(hooks);
        self
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The runtime (clock and timers).
    pub fn runtime(&self) -> &R {
        &self.runtime
    }

    /// The request options (base URL, credentials).
    pub fn request_options(&self) -> &RequestOptions {
        &self.options
    }

    pub(crate) fn now(&self) -> f64 {
        self.runtime.now_ms()
    }

    fn event(&self, req: &HttpRequest, attempt: u32, start: f64) -> HookEvent {
        HookEvent {
            operation: req.operation.name(),
            method: method_str(req.method),
            url: redact_url(&req.url),
            attempt,
            status: None,
            error: None,
            elapsed_ms: elapsed_ms(start, self.now()),
        }
    }

    /// Sends `req` with retries, deadline and cancellation; returns the final answer (any status).
    pub(crate) async fn exchange(
        &self,
        req: &HttpRequest,
        call: &CallOptions,
    ) -> CallResult<Exchange> {
        let op = req.operation;
        let name = op.name();
        let start = self.now();
        let timeout = call.timeout_ms.unwrap_or(self.config.timeout_ms);
        let deadline = start + timeout as f64;
        let abort = call.abort.as_ref();
        let policy = self.config.retry;
        let mut attempt: u32 = 0;
        let fail = |error: Error,
                    attempts: u32,
                    outcome_unknown: bool,
                    headers: Vec<(String, String)>| CallError {
            error,
            operation: name,
            attempts,
            elapsed_ms: elapsed_ms(start, self.now()),
            outcome_unknown,
            hint: None,
            headers,
        };
        loop {
            if abort.is_some_and(Abort::is_aborted) {
                return Err(fail(Error::Aborted, attempt, false, Vec::new()));
            }
            attempt += 1;
            let remaining = deadline - self.now();
            if remaining <= 0.0 {
                let e = Error::Timeout {
                    elapsed_ms: elapsed_ms(start, self.now()),
                    outcome_unknown: false,
                };
                return Err(fail(e, attempt - 1, false, Vec::new()));
            }
            if let Some(h) = &self.hooks {
                h.on_request(&self.event(req, attempt, start));
            }
            let sent = race(
                self.transport.send(req, self.config.max_response_bytes),
                race(
                    self.runtime.sleep(remaining.ceil() as u64),
                    aborted_opt(abort),
                ),
            )
            .await;
            let mut ev = self.event(req, attempt, start);
            let may_have_acted = req.method != Method::Get;
            // The delay before the next attempt, or the final outcome.
            let (retry_after, last): (Option<u64>, CallResult<Exchange>) = match sent {
                Either::Left(Ok(mut response)) => {
                    ev.status = Some(response.status);
                    if let Some(h) = &self.hooks {
                        h.on_response(&ev);
                    }
                    // A DELETE answered 404 after an earlier attempt: the earlier one deleted it.
                    if op == Operation::DeleteCluster && attempt > 1 && response.status == 404 {
                        response.status = 204;
                        response.body.clear();
                    }
                    let status = response.status;
                    if !(retry::may_retry_status(op, status) && attempt <= policy.max_retries) {
                        return Ok(Exchange {
                            response,
                            attempts: attempt,
                            start_ms: start,
                        });
                    }
                    let ra = response
                        .header("retry-after")
                        .and_then(|v| retry::parse_retry_after(v, self.now()));
                    (
                        ra,
                        Ok(Exchange {
                            response,
                            attempts: attempt,
                            start_ms: start,
                        }),
                    )
                }
                Either::Left(Err(te)) => {
                    let (code, error, unknown) = match &te {
                        TransportError::NeverReached(m) => (
                            "NETWORK_ERROR",
                            Error::Network { message: m.clone(), outcome_unknown: false },
                            false,
                        ),
                        TransportError::MaybeReached(m) => (
                            "NETWORK_ERROR",
                            Error::Network { message: m.clone(), outcome_unknown: may_have_acted },
                            may_have_acted,
                        ),
                        TransportError::TooLarge { limit } => (
                            "DECODE_ERROR",
                            Error::Decode { message: format!("the response body exceeds the limit of {limit} bytes") },
                            false,
                        ),
                        TransportError::Redirect { status } => (
                            "API_ERROR",
                            Error::Api {
                                status: *status,
                                errors: Vec::new(),
                                raw: Some("redirect not followed: credentials are never sent to another location".into()),
                            },
                            false,
                        ),
                    };
                    ev.error = Some(code);
                    if let Some(h) = &self.hooks {
                        h.on_response(&ev);
                    }
                    let last = Err(fail(error, attempt, unknown, Vec::new()));
                    if !(retry::may_retry_transport(op, &te) && attempt <= policy.max_retries) {
                        return last;
                    }
                    (None, last)
                }
                Either::Right(Either::Left(())) => {
                    ev.error = Some("TIMEOUT_ERROR");
                    if let Some(h) = &self.hooks {
                        h.on_response(&ev);
                    }
                    let e = Error::Timeout {
                        elapsed_ms: elapsed_ms(start, self.now()),
                        outcome_unknown: may_have_acted,
                    };
                    return Err(fail(e, attempt, may_have_acted, Vec::new()));
                }
                Either::Right(Either::Right(())) => {
                    ev.error = Some("ABORT_ERROR");
                    if let Some(h) = &self.hooks {
                        h.on_response(&ev);
                    }
                    return Err(fail(Error::Aborted, attempt, may_have_acted, Vec::new()));
                }
            };
            // Wait before retrying, unless the wait is refused or crosses the deadline.
            let Some(delay) = policy.delay_ms(attempt - 1, self.runtime.random(), retry_after)
            else {
                return last;
            };
            if self.now() + delay as f64 >= deadline {
                return last;
            }
            if delay > 0 {
                if let Either::Right(()) = race(self.runtime.sleep(delay), aborted_opt(abort)).await
                {
                    return Err(fail(Error::Aborted, attempt, false, Vec::new()));
                }
            }
        }
    }

    /// Builds `endpoint`'s request, sends it with retries, deadline and cancellation, and parses
    /// the final answer; an error whose outcome is unknown carries the endpoint's hint.
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] before sending for an invalid input.
    pub async fn send<E: Endpoint>(
        &self,
        endpoint: &E,
        call: &CallOptions,
    ) -> CallResult<E::Output> {
        self.send_with(endpoint, call, E::parse).await
    }

    /// [`Client::send`] with another reading of the final answer than `E::parse` (the wasm
    /// client checks the body and lets JavaScript build the value).
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] before sending for an invalid input.
    pub async fn send_with<E: Endpoint, O>(
        &self,
        endpoint: &E,
        call: &CallOptions,
        parse: fn(u16, &[u8]) -> Result<O, Error>,
    ) -> CallResult<O> {
        let op = E::SPEC.operation;
        let req = endpoint
            .build(&self.options)
            .map_err(|e| CallError::bare(e, op.name()))?;
        let hinted = |mut e: CallError| {
            if e.outcome_unknown {
                e.hint = endpoint.outcome_unknown_hint();
            }
            e
        };
        let ex = self.exchange(&req, call).await.map_err(hinted)?;
        parse(ex.response.status, &ex.response.body)
            .map_err(|error| self.failed(error, op, &ex, &req))
            .map_err(hinted)
    }

    /// The error of a final answer that did not parse (an API error or an unreadable body).
    /// Not generic, so that one copy serves every endpoint.
    fn failed(&self, error: Error, op: Operation, ex: &Exchange, req: &HttpRequest) -> CallError {
        let status = ex.response.status;
        // A 5xx to a POST: the server may have acted before failing; a 2xx whose body
        // cannot be read: it did act, and the caller must look before repeating.
        // A resize refused with 409 after a retry: the conflicting operation may be this
        // call's own earlier attempt, whose answer was lost.
        let retried_conflict = op == Operation::UpdateCluster && ex.attempts > 1 && status == 409;
        let outcome_unknown = retried_conflict
            || (!op.is_idempotent() && (status >= 500 || (200..300).contains(&status)));
        let mut headers = if matches!(error, Error::Api { .. }) {
            ex.response.headers.clone()
        } else {
            Vec::new()
        };
        let error = scrub(error, &mut headers, &self.options, req);
        CallError {
            error,
            operation: op.name(),
            attempts: ex.attempts,
            elapsed_ms: elapsed_ms(ex.start_ms, self.now()),
            outcome_unknown,
            hint: None,
            headers,
        }
    }

    /// Creates a cluster. Never retried once it may have reached the server: after an ambiguous
    /// failure the error has `outcome_unknown` and a hint to look the cluster up by name.
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] before sending for an invalid body.
    pub async fn create_cluster(
        &self,
        body: &Value,
        call: &CallOptions,
    ) -> CallResult<PostgresqlCluster> {
        let body = body.clone();
        self.send(&endpoints::CreateCluster { body }, call).await
    }

    /// Gets a cluster.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn get_cluster(
        &self,
        cluster_id: &str,
        call: &CallOptions,
    ) -> CallResult<PostgresqlCluster> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::GetCluster { cluster_id }, call).await
    }

    /// Sends an update (resize) without the guard; see [`Client::update_cluster`].
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn update_cluster_unchecked(
        &self,
        cluster_id: &str,
        body: &Value,
        call: &CallOptions,
    ) -> CallResult<Option<PostgresqlCluster>> {
        let (cluster_id, body) = (cluster_id.to_owned(), body.clone());
        self.send(&endpoints::UpdateCluster { cluster_id, body }, call)
            .await
    }

    /// Updates (resizes) a cluster, refusing before sending any change to a field the API does
    /// not allow to change (compared with `current`, fetched with `getCluster` when `None`).
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] listing every refused field, nothing sent.
    pub async fn update_cluster(
        &self,
        cluster_id: &str,
        body: &Value,
        current: Option<&PostgresqlCluster>,
        call: &CallOptions,
    ) -> CallResult<Option<PostgresqlCluster>> {
        let fetched;
        let current = match current {
            Some(c) => c,
            None => {
                fetched = self
                    .get_cluster(cluster_id, call)
                    .await
                    .map_err(|e| CallError {
                        operation: Operation::UpdateCluster.name(),
                        ..e
                    })?;
                &fetched
            }
        };
        let refused = update_guard(current, body);
        if !refused.is_empty() {
            return Err(CallError::bare(
                Error::Validation {
                    violations: refused,
                },
                Operation::UpdateCluster.name(),
            ));
        }
        self.update_cluster_unchecked(cluster_id, body, call).await
    }

    /// Deletes a cluster (a 404 on a retry counts as success).
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn delete_cluster(&self, cluster_id: &str, call: &CallOptions) -> CallResult<()> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::DeleteCluster { cluster_id }, call)
            .await
    }

    /// Lists the backup events of the last 7 days.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_backups(
        &self,
        cluster_id: &str,
        call: &CallOptions,
    ) -> CallResult<ClusterBackupEvents> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::ListBackups { cluster_id }, call)
            .await
    }

    /// Triggers a manual backup (never retried once it may have reached the server).
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn trigger_backup(&self, cluster_id: &str, call: &CallOptions) -> CallResult<()> {
        let cluster_id = cluster_id.to_owned();
        self.send(&endpoints::TriggerBackup { cluster_id }, call)
            .await
    }

    /// Restores a cluster to a point in time (never retried once it may have reached the server).
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Validation`] before sending for an invalid body.
    pub async fn restore_cluster(
        &self,
        body: &Value,
        call: &CallOptions,
    ) -> CallResult<ClusterRestore> {
        let (body, now_ms) = (body.clone(), self.now());
        self.send(&endpoints::RestoreCluster { body, now_ms }, call)
            .await
    }

    /// Lists PostgreSQL versions.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_versions(
        &self,
        call: &CallOptions,
    ) -> CallResult<Vec<ApplicationVersionsList>> {
        self.send(&endpoints::ListVersions, call).await
    }

    /// Lists add-on versions compatible with a PostgreSQL version.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_compatible_versions(
        &self,
        postgresql_version: &str,
        call: &CallOptions,
    ) -> CallResult<Vec<ApplicationVersionsList>> {
        let postgresql_version = postgresql_version.to_owned();
        let endpoint = endpoints::ListCompatibleVersions { postgresql_version };
        self.send(&endpoint, call).await
    }

    /// Lists node sizes per provider.
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_compatible_node_sizes(
        &self,
        pgbouncer_required: Option<bool>,
        call: &CallOptions,
    ) -> CallResult<Vec<CloudProviderNodeSizesList>> {
        let endpoint = endpoints::ListCompatibleNodeSizes { pgbouncer_required };
        self.send(&endpoint, call).await
    }

    /// Downloads the cluster CA certificate zip and extracts PEM, DER and JKS.
    ///
    /// # Errors
    /// A [`CallError`]; [`Error::Decode`] for a bad zip.
    pub async fn download_certificate(
        &self,
        cluster_id: &str,
        call: &CallOptions,
    ) -> CallResult<Certificates> {
        let cluster_id = cluster_id.to_owned();
        let start = self.now();
        let zip = self
            .send(&endpoints::DownloadCertificate { cluster_id }, call)
            .await?;
        certificate::extract(zip).map_err(|error| CallError {
            elapsed_ms: elapsed_ms(start, self.now()),
            attempts: 1,
            ..CallError::bare(error, Operation::DownloadCertificate.name())
        })
    }

    /// The PostgreSQL clusters of the account (`search` such as `name:my-cluster`).
    ///
    /// # Errors
    /// A [`CallError`].
    pub async fn list_clusters(
        &self,
        search: Option<&str>,
        call: &CallOptions,
    ) -> CallResult<Vec<ClusterSummary>> {
        let search = search.map(str::to_owned);
        let accounts = self.send(&endpoints::ListClusters { search }, call).await?;
        Ok(accounts
            .into_iter()
            .flat_map(|a| a.clusters)
            .filter(|c| c.application == ClusterApplication::Postgresql)
            .collect())
    }
}

/// Masks the credentials in server text copied into an error (a proxy or server echoing the
/// `Authorization` header must not put the API key into messages, headers and logs).
fn scrub(
    error: Error,
    headers: &mut [(String, String)],
    options: &RequestOptions,
    req: &HttpRequest,
) -> Error {
    let mut secrets: Vec<&str> = Vec::new();
    if let Some(k) = &options.api_key {
        secrets.push(k.expose());
    }
    if let Some(t) = req
        .header("Authorization")
        .and_then(|v| v.strip_prefix("Basic "))
    {
        secrets.push(t);
    }
    secrets.retain(|s| s.len() >= 4);
    let mask = |s: &mut String| {
        for x in &secrets {
            if s.contains(x) {
                *s = s.replace(x, "***");
            }
        }
    };
    headers.iter_mut().for_each(|(_, v)| mask(v));
    match error {
        Error::Api {
            status,
            mut errors,
            mut raw,
        } => {
            for e in &mut errors {
                e.name.iter_mut().chain(e.message.iter_mut()).for_each(mask);
            }
            raw.iter_mut().for_each(mask);
            Error::Api {
                status,
                errors,
                raw,
            }
        }
        Error::Decode { mut message } => {
            mask(&mut message);
            Error::Decode { message }
        }
        other => other,
    }
}

/// The update guard: every field of `desired` that differs from `current` although the API does
/// not allow it to change ([`crate::validate::diff_cluster_update`]).
pub fn update_guard(
    current: &PostgresqlCluster,
    desired: &Value,
) -> Vec<crate::validate::Violation> {
    crate::validate::diff_cluster_update(current, desired)
}

#[cfg(test)]
mod tests;
