//! `InstaclustrClient`: the client of [`instaclustr_pg_core::client`] over the `fetch` transport,
//! as a JS class whose methods all return promises and take a last optional
//! `{ signal?, timeoutMs? }`. One concept per file: the class and its construction here, its
//! methods (`methods.rs`), waiters (`wait.rs`), per-call options and abort (`signal.rs`), hooks
//! (`hooks.rs`), errors (`call_error.rs`), the reading of answers (`read.rs`), the certificate zip (`certificate.rs`), the options structs read by
//! serde and declared by tsify (`options.rs`) and the judges of their values (`reader.rs`), JS
//! value helpers (`js.rs`), promises (`promise.rs`), the update guard (`diff.rs`) and the
//! TypeScript text left hand-written (`ts.rs`).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::{to_js_error, ErrorContext};
use crate::fetch::{FetchTransport, JsRuntime};
use crate::{arena, to_json_view};
use instaclustr_pg_core::client::{CallError, CallOptions, Client, ClientConfig, HookEvent, Hooks};
use instaclustr_pg_core::model::{ClusterBackupEvents, PostgresqlCluster, Secret};
use instaclustr_pg_core::request::{self, RequestOptions};
use instaclustr_pg_core::retry::RetryPolicy;
use instaclustr_pg_core::transport::Abort;
use instaclustr_pg_core::validate::{Bump, Json, Violation, ViolationCode};
use instaclustr_pg_core::waiter::{Progress, WaitOptions, WaitUntil};
use instaclustr_pg_core::Error;
use instaclustr_pg_core::Operation;

type Inner = Client<FetchTransport, JsRuntime>;

mod call;
mod call_error;
mod certificate;
mod diff;
mod hooks;
mod js;
mod methods;
mod options;
mod promise;
pub(crate) mod read;
mod reader;
mod signal;
mod ts;
mod wait;

pub(crate) use call::{Call, Guard};
use call_error::call_error;
pub use diff::diff_cluster_update;
pub(crate) use diff::parse_current;
use hooks::JsHooks;
use js::{body_view, get, id_arg, key, set};
pub(crate) use options::update_options;
use options::{JsCallOptions, JsClientOptions, JsRetryOptions, JsWaitOptions};
use promise::{reject, spawn};
pub(crate) use read::Read;
use reader::{Reader, MAX_MS};
use signal::{abort_of, call_options, check_signal, SignalLink};

/// Typed client of the Instaclustr PostgreSQL Provisioning V2 API over `fetch`.
#[wasm_bindgen(js_name = InstaclustrClient)]
pub struct JsClient {
    inner: Rc<Inner>,
    /// The `now` option: the present of the checks against it (a point in time in the future is
    /// refused), for a client that must agree with another clock (an emulator's after `advance`).
    now: Option<Function>,
}

impl JsClient {
    /// The request options of every call (base URL and credentials).
    pub(crate) fn request_options(&self) -> &RequestOptions {
        self.inner.request_options()
    }

    /// The present of the checks against it, epoch ms: the `now` option's answer, else the
    /// runtime's clock. Deadlines, delays and timings always run on the runtime's clock.
    ///
    /// # Errors
    /// A `ValidationError` naming `options.now` when it throws or does not return a finite number.
    pub(crate) fn now_ms(&self) -> Result<f64, JsValue> {
        use instaclustr_pg_core::transport::Runtime as _;
        let Some(now) = &self.now else {
            return Ok(self.inner.runtime().now_ms());
        };
        match now.call0(&JsValue::UNDEFINED).map(|v| v.as_f64()) {
            Ok(Some(ms)) if ms.is_finite() => Ok(ms),
            answer => {
                let what = if answer.is_err() {
                    "threw"
                } else {
                    "returned something else"
                };
                let v = Violation::new(
                    "options.now",
                    ViolationCode::Type,
                    format!("must return the current time in epoch milliseconds (a finite number); it {what}"),
                );
                Err(to_js_error(
                    &Error::Validation {
                        violations: vec![v],
                    },
                    None,
                ))
            }
        }
    }

    fn from_options(options: &JsValue) -> Result<JsClient, JsValue> {
        Self::from_env_options(options, None)
    }

    /// The client of `options`, read by `fromEnv` from `env` (`process.env`, when given): when
    /// the runtime has none (a browser) and the credentials are missing, a `process.env`
    /// violation says so first.
    fn from_env_options(options: &JsValue, env: Option<&JsValue>) -> Result<JsClient, JsValue> {
        let mut r = Reader::new(options, "options");
        let o: JsClientOptions = r.read();
        let username = r.string_of("username", &o.username.0);
        let api_key = r.string_of("apiKey", &o.api_key.0);
        let base_url = r.string_of("baseUrl", &o.base_url.0);
        let timeout_ms = r.uint_up_to("timeoutMs", &o.timeout_ms.0, MAX_MS);
        let max_retries = r.uint_up_to("maxRetries", &o.max_retries.0, 20.0);
        let max_response_bytes = r.uint_up_to(
            "maxResponseBytes",
            &o.max_response_bytes.0,
            1024.0 * 1024.0 * 1024.0,
        );
        let fetch = r.function_of("fetch", &o.fetch.0);
        let on_request = r.function_of("onRequest", &o.on_request.0);
        let on_response = r.function_of("onResponse", &o.on_response.0);
        let now = r.function_of("now", &o.now.0);
        let mut rr = Reader::new(&o.retry.0, "options.retry");
        let ro: JsRetryOptions = rr.read();
        let mut policy = RetryPolicy::default();
        if let Some(n) = rr.uint_up_to("maxRetries", &ro.max_retries.0, 20.0) {
            policy.max_retries = n as u32;
        }
        if let Some(n) = rr.uint_up_to("baseDelayMs", &ro.base_delay_ms.0, MAX_MS) {
            policy.base_delay_ms = n;
        }
        if let Some(n) = rr.uint_up_to("maxDelayMs", &ro.max_delay_ms.0, MAX_MS) {
            policy.max_delay_ms = n;
        }
        if let Some(n) = rr.uint_up_to("maxRetryAfterMs", &ro.max_retry_after_ms.0, MAX_MS) {
            policy.max_retry_after_ms = n;
        }
        r.violations.append(&mut rr.violations);
        if let Some(n) = max_retries {
            policy.max_retries = n as u32;
        }
        let no_username = username.as_deref().is_none_or(str::is_empty);
        if env.is_some_and(|env| !env.is_object())
            && (no_username || api_key.as_deref().is_none_or(str::is_empty))
        {
            r.violations.insert(
                0,
                Violation::new(
                    "process.env",
                    ViolationCode::Required,
                    "is not available in this runtime, so fromEnv has no credentials: pass username and apiKey to it, or to new InstaclustrClient",
                ),
            );
        }
        if no_username && r.violations.iter().all(|v| v.path != "options.username") {
            r.violations.push(Violation::new(
                "options.username",
                ViolationCode::Required,
                "is required",
            ));
        }
        if api_key.as_deref().is_none_or(str::is_empty)
            && r.violations.iter().all(|v| v.path != "options.apiKey")
        {
            r.violations.push(Violation::new(
                "options.apiKey",
                ViolationCode::Required,
                "is required",
            ));
        }
        // the base URL is checked with every other option, so that all problems come at once
        let request_options = RequestOptions {
            base_url,
            username,
            api_key: api_key.map(Secret::new),
        };
        if let Err(Error::Validation { violations }) = request::base_url(&request_options) {
            r.violations
                .extend(violations.into_iter().map(|v| Violation {
                    path: format!("options.{}", v.path),
                    ..v
                }));
        }
        r.finish()?;
        let mut config = ClientConfig {
            retry: policy,
            ..ClientConfig::default()
        };
        if let Some(t) = timeout_ms {
            config.timeout_ms = t;
        }
        if let Some(m) = max_response_bytes {
            config.max_response_bytes = m as usize;
        }
        let mut client = Client::new(
            FetchTransport::new(fetch),
            JsRuntime,
            request_options,
            config,
        )
        .map_err(|e| to_js_error(&e, None))?;
        if on_request.is_some() || on_response.is_some() {
            client = client.with_hooks(Box::new(JsHooks {
                on_request,
                on_response,
            }));
        }
        Ok(JsClient {
            inner: Rc::new(client),
            now,
        })
    }
}
