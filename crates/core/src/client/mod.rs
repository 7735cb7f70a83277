//! The async client: one method per operation, generic over a [`Transport`] and a [`Runtime`],
//! with authentication, retries ([`crate::retry`]), a per-call deadline, caller cancellation
//! ([`Abort`]), hooks, and typed errors ([`CallError`]) that say which operation failed, after how
//! many attempts and how long, and whether a POST may have taken effect.
//!
//! Timeouts: `timeout_ms` (client default [`DEFAULT_TIMEOUT_MS`], per call overridable) bounds the
//! whole call, every attempt and every backoff sleep included; a backoff that would cross the
//! deadline is not slept: the call fails at once with the last answer's error.

use serde_json::Value;

#[cfg(feature = "inflate")]
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
use crate::validate::AsJson;

mod call_error;
mod config;
mod hooks;
mod methods;
mod scrub;

pub use call_error::{CallError, CallResult};
pub use config::{CallOptions, ClientConfig, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS};
pub use hooks::{HookEvent, Hooks};
pub use methods::postgresql_clusters;
use scrub::scrub;

/// The final answer of an exchange (any status), not yet read: see [`Client::exchange`] and
/// [`Client::read`].
#[derive(Debug)]
pub struct Exchange {
    pub(crate) response: TransportResponse,
    pub(crate) attempts: u32,
    pub(crate) start_ms: f64,
}

impl Exchange {
    /// Attempts the exchange made (1 when the first answer was final).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
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
pub fn elapsed_ms(start: f64, now: f64) -> u64 {
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

    /// Sends `req` with retries, deadline and cancellation; returns the final answer (any
    /// status), to read with [`Client::read`]. Not generic over the reading, so that a
    /// type-erased caller (the wasm client, the waiters) holds one copy of this future whatever
    /// it reads.
    ///
    /// # Errors
    /// A [`CallError`] without hint when no final answer came (network, timeout, abort).
    pub async fn exchange(&self, req: &HttpRequest, call: &CallOptions) -> CallResult<Exchange> {
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
                    let (error, unknown) = match &te {
                        TransportError::NeverReached(m) => {
                            (Error::Network { message: m.clone() }, false)
                        }
                        TransportError::MaybeReached(m) => {
                            (Error::Network { message: m.clone() }, may_have_acted)
                        }
                        TransportError::Unusable { message, maybe_reached } => (
                            Error::Network { message: message.clone() },
                            *maybe_reached && may_have_acted,
                        ),
                        TransportError::TooLarge { limit } => (
                            Error::Decode { message: format!("the response body exceeds the limit of {limit} bytes") },
                            false,
                        ),
                        TransportError::Redirect { status } => (
                            Error::Api {
                                status: *status,
                                errors: Vec::new(),
                                raw: Some("redirect not followed: credentials are never sent to another location".into()),
                            },
                            false,
                        ),
                    };
                    ev.error = Some(error.code());
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
                    let e = Error::Timeout {
                        elapsed_ms: elapsed_ms(start, self.now()),
                    };
                    ev.error = Some(e.code());
                    if let Some(h) = &self.hooks {
                        h.on_response(&ev);
                    }
                    return Err(fail(e, attempt, may_have_acted, Vec::new()));
                }
                Either::Right(Either::Right(())) => {
                    ev.error = Some(Error::Aborted.code());
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
        self.send_built(&req, call, parse).await.map_err(|mut e| {
            if e.outcome_unknown {
                e.hint = endpoint.outcome_unknown_hint();
            }
            e
        })
    }

    /// Sends a built request with retries, deadline and cancellation and reads the final
    /// answer with `parse`: the part of [`Client::send_with`] that does not depend on the
    /// endpoint's type, so that a type-erased caller (the wasm client) has one copy of it. The
    /// caller adds the endpoint's outcome-unknown hint.
    ///
    /// # Errors
    /// A [`CallError`] without hint.
    pub async fn send_built<O>(
        &self,
        req: &HttpRequest,
        call: &CallOptions,
        parse: fn(u16, &[u8]) -> Result<O, Error>,
    ) -> CallResult<O> {
        let ex = self.exchange(req, call).await?;
        self.read(&ex, req, parse)
    }

    /// Reads the final answer `ex` of `req` with `parse`; a refusal (an API error, an unreadable
    /// body) becomes the call's error, with its outcome and kept headers.
    ///
    /// # Errors
    /// A [`CallError`] without hint.
    // the error of every call of this client (as `send_built`, whose `async` hides the size);
    // boxing it here alone would only add a conversion
    #[allow(clippy::result_large_err)]
    pub fn read<O>(
        &self,
        ex: &Exchange,
        req: &HttpRequest,
        parse: fn(u16, &[u8]) -> Result<O, Error>,
    ) -> CallResult<O> {
        parse(ex.response.status, &ex.response.body)
            .map_err(|error| self.failed(error, req.operation, ex, req))
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
}

/// The update guard, shared by the native client and the package's: `Ok` when `desired` (an
/// update body, or a whole cluster) changes no field of `current` (a cluster as `getCluster`
/// returns it) that the API does not allow to change; otherwise [`Error::Validation`] naming
/// every such field ([`crate::validate::diff_cluster_update`]), to report before anything is
/// sent. Natively `current` is the typed cluster and `desired` a `Value`; in the package both
/// are views of their checked texts.
///
/// # Errors
/// [`Error::Validation`] with one `conflict` violation per refused field.
pub fn update_guard(current: &impl AsJson, desired: &impl AsJson) -> Result<(), Error> {
    let violations = crate::validate::diff_cluster_update(current, desired);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation { violations })
    }
}

#[cfg(test)]
mod tests;
