//! `InstaclustrClient`: the client of [`crate::client`] over the `fetch` transport, as a JS class
//! whose methods all return promises and take a last optional `{ signal?, timeoutMs? }`.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::{to_js_error, ErrorContext};
use crate::fetch::{FetchTransport, JsRuntime};
use crate::{to_js, to_json};
use instaclustr_pg_core::certificate::Certificates;
use instaclustr_pg_core::client::{CallError, CallOptions, Client, ClientConfig, HookEvent, Hooks};
use instaclustr_pg_core::model::{
    ApplicationVersionsList, CloudProviderNodeSizesList, ClusterBackupEvents, ClusterRestore,
    ClusterSummary, PostgresqlCluster, Secret,
};
use instaclustr_pg_core::operation::Operation;
use instaclustr_pg_core::request::RequestOptions;
use instaclustr_pg_core::retry::RetryPolicy;
use instaclustr_pg_core::transport::Abort;
use instaclustr_pg_core::validate::{Violation, ViolationCode};
use instaclustr_pg_core::waiter::{Progress, WaitOptions, WaitUntil};
use instaclustr_pg_core::{endpoints, Endpoint, Error};

type Inner = Client<FetchTransport, JsRuntime>;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
/** Retry settings; see the README for the defaults and their reasons. */
export interface RetryOptions {
    /** Retries after the first attempt (default 3). */
    maxRetries?: number;
    /** First backoff ceiling, ms (default 500); doubled per retry, full jitter. */
    baseDelayMs?: number;
    /** Largest backoff ceiling, ms (default 20000). */
    maxDelayMs?: number;
    /** Largest `Retry-After` honoured, ms (default 60000); a longer one ends the retries. */
    maxRetryAfterMs?: number;
}

/** What `onRequest` / `onResponse` receive: no headers, no body, no credentials. */
export interface HookEvent {
    operation: string;
    method: HttpMethod;
    url: string;
    /** From 1. */
    attempt: number;
    /** `onResponse` with an answer only. */
    status?: number;
    /** `onResponse` without an answer: `NETWORK_ERROR`, `TIMEOUT_ERROR`, `ABORT_ERROR`, ... */
    error?: string;
    elapsedMs: number;
}

/** Options of `new InstaclustrClient(...)`. */
export interface ClientOptions {
    username: string;
    /** Provisioning API key; never appears in any error, hook or log. */
    apiKey: string;
    /** Default `https://api.instaclustr.com`; `http://` only to a loopback host. */
    baseUrl?: string;
    /** Deadline of each call in ms, retries included (default 60000). */
    timeoutMs?: number;
    /** Shorthand for `retry.maxRetries` (default 3). */
    maxRetries?: number;
    retry?: RetryOptions;
    /** Largest response body accepted, bytes (default 16 MiB); larger gives a `DecodeError`. */
    maxResponseBytes?: number;
    /** Replaces the global `fetch` (same signature). */
    fetch?: (input: string, init: RequestInit) => Promise<Response>;
    onRequest?: (event: HookEvent) => void;
    onResponse?: (event: HookEvent) => void;
}

/** The last argument of every client method. */
export interface CallOptions {
    /** Cancels the call at once (in-flight request and any wait) with an `AbortError`. */
    signal?: AbortSignal;
    /** Deadline of this call in ms, retries included. */
    timeoutMs?: number;
}

/** Options of `listClusters`. */
export interface ListClustersOptions extends CallOptions {
    /** Filter such as `name:my-cluster`. */
    search?: string;
}

/** Options of `updateCluster`. */
export interface UpdateClusterOptions extends CallOptions {
    /** The current cluster, when already at hand (otherwise it is fetched first for the guard). */
    current?: PostgresqlCluster;
}

/** A node as seen by a waiter. */
export interface WaitNode {
    id?: string;
    dataCentre: string;
    /** Node status (clusters) or state of its newest backup event (backups). */
    status?: string;
    /** Backup progress 0..1 (backups). */
    progress?: number;
}

/** One observation of a waiter. */
export interface WaitProgress {
    clusterId: string;
    status?: string;
    currentClusterOperationStatus?: string;
    nodes: WaitNode[];
    /** 0..1 */
    progress: number;
    polls: number;
    elapsedMs: number;
}

/** Options of the waiters. Defaults: first delay 5000 ms, growing 1.5x to 30000 ms. */
export interface WaitOptions {
    /** `waitForCluster` only (default "RUNNING"). */
    until?: "RUNNING" | "DELETED";
    minDelayMs?: number;
    maxDelayMs?: number;
    /** Give up after this long with a `WaiterError`. */
    maxWaitMs: number;
    signal?: AbortSignal;
    onProgress?: (progress: WaitProgress) => void;
    /** `waitForBackup` only: ignore events started before this instant (epoch ms or Date). */
    since?: number | Date;
}

/** The CA certificate of a cluster. */
export interface Certificates {
    /** The zip as downloaded. */
    zip: Uint8Array;
    /** PEM text: pass it as `ca` to `tls` or `pg`. */
    pem: string;
    der: Uint8Array;
    /** Java keystore (empty if the zip had none). */
    jks: Uint8Array;
}
"#;

fn key(k: &str) -> JsValue {
    JsValue::from_str(k)
}

fn get(obj: &JsValue, k: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &key(k)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn set(obj: &JsValue, k: &str, v: &JsValue) {
    let _ = Reflect::set(obj, &key(k), v);
}

/// Reads typed options, collecting every violation.
struct Reader<'a> {
    obj: &'a JsValue,
    prefix: &'a str,
    violations: Vec<Violation>,
}

impl<'a> Reader<'a> {
    fn new(obj: &'a JsValue, prefix: &'a str) -> Self {
        let mut r = Self {
            obj,
            prefix,
            violations: Vec::new(),
        };
        if !(obj.is_undefined() || obj.is_null() || obj.is_object()) {
            r.violations.push(Violation::new(
                prefix,
                ViolationCode::Type,
                "must be an object",
            ));
        }
        r
    }

    fn path(&self, k: &str) -> String {
        format!("{}.{k}", self.prefix)
    }

    fn string(&mut self, k: &str) -> Option<String> {
        let v = get(self.obj, k);
        if v.is_undefined() || v.is_null() {
            return None;
        }
        let s = v.as_string();
        if s.is_none() {
            let p = self.path(k);
            self.violations
                .push(Violation::new(p, ViolationCode::Type, "must be a string"));
        }
        s
    }

    fn ms(&mut self, k: &str, max: f64) -> Option<u64> {
        let v = get(self.obj, k);
        if v.is_undefined() || v.is_null() {
            return None;
        }
        match v.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 && n <= max => Some(n.round() as u64),
            _ => {
                let p = self.path(k);
                self.violations.push(Violation::new(
                    p,
                    ViolationCode::Range,
                    format!("must be a number from 0 to {}", max as u64),
                ));
                None
            }
        }
    }

    fn function(&mut self, k: &str) -> Option<Function> {
        let v = get(self.obj, k);
        if v.is_undefined() || v.is_null() {
            return None;
        }
        let f = v.dyn_into::<Function>().ok();
        if f.is_none() {
            let p = self.path(k);
            self.violations
                .push(Violation::new(p, ViolationCode::Type, "must be a function"));
        }
        f
    }

    fn finish(self) -> Result<(), JsValue> {
        Error::check(self.violations).map_err(|e| to_js_error(&e, None))
    }
}

/// Largest millisecond value accepted for timeouts and delays (about 24.8 days, the largest
/// `setTimeout` delay).
const MAX_MS: f64 = 2_147_483_647.0;

/// Calls the JS hooks, swallowing anything they throw (a logging bug must not fail a call).
struct JsHooks {
    on_request: Option<Function>,
    on_response: Option<Function>,
}

fn hook_object(e: &HookEvent) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "operation", &key(e.operation));
    set(&o, "method", &key(e.method));
    set(&o, "url", &key(&e.url));
    set(&o, "attempt", &JsValue::from(e.attempt));
    if let Some(s) = e.status {
        set(&o, "status", &JsValue::from(s));
    }
    if let Some(c) = e.error {
        set(&o, "error", &key(c));
    }
    set(&o, "elapsedMs", &JsValue::from(e.elapsed_ms as f64));
    o
}

impl Hooks for JsHooks {
    fn on_request(&self, e: &HookEvent) {
        if let Some(f) = &self.on_request {
            let _ = f.call1(&JsValue::UNDEFINED, &hook_object(e));
        }
    }
    fn on_response(&self, e: &HookEvent) {
        if let Some(f) = &self.on_response {
            let _ = f.call1(&JsValue::UNDEFINED, &hook_object(e));
        }
    }
}

/// The JS error of a failed call, with `operation`, `attempts`, `elapsedMs`, `outcomeUnknown`,
/// `hint`, `headers` (kept response headers) and `retryAfterMs` when known.
fn call_error(e: &CallError) -> JsValue {
    let ctx = ErrorContext {
        operation: Operation::ALL
            .iter()
            .copied()
            .find(|o| o.name() == e.operation),
        attempts: Some(e.attempts),
        elapsed_ms: Some(e.elapsed_ms as f64),
    };
    let err = to_js_error(&e.error, Some(&ctx));
    set(&err, "message", &key(&e.to_string()));
    set(&err, "operation", &key(e.operation));
    if e.outcome_unknown {
        set(&err, "outcomeUnknown", &JsValue::TRUE);
    }
    if let Some(h) = &e.hint {
        set(&err, "hint", &key(h));
    }
    if !e.headers.is_empty() {
        let h: JsValue = Object::new().into();
        for (k, v) in &e.headers {
            set(&h, k, &key(v));
        }
        set(&err, "headers", &h);
        if let Some(ra) = e
            .headers
            .iter()
            .find(|(k, _)| k == "retry-after")
            .and_then(|(_, v)| {
                instaclustr_pg_core::retry::parse_retry_after(v, js_sys::Date::now())
            })
        {
            set(&err, "retryAfterMs", &JsValue::from(ra as f64));
        }
    }
    err
}

/// Links a JS `AbortSignal` to an [`Abort`]; the listener is removed when this is dropped.
struct SignalLink {
    signal: JsValue,
    listener: Option<Closure<dyn FnMut()>>,
}

impl SignalLink {
    fn new(signal: &JsValue, abort: &Abort) -> Self {
        if get(signal, "aborted").is_truthy() {
            abort.abort();
            return Self {
                signal: JsValue::UNDEFINED,
                listener: None,
            };
        }
        let add = get(signal, "addEventListener");
        let Some(add) = add.dyn_ref::<Function>() else {
            return Self {
                signal: JsValue::UNDEFINED,
                listener: None,
            };
        };
        let a = abort.clone();
        let listener = Closure::<dyn FnMut()>::new(move || a.abort());
        let _ = add.call2(signal, &key("abort"), listener.as_ref());
        Self {
            signal: signal.clone(),
            listener: Some(listener),
        }
    }
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        if let Some(l) = &self.listener {
            if let Some(remove) = get(&self.signal, "removeEventListener").dyn_ref::<Function>() {
                let _ = remove.call2(&self.signal, &key("abort"), l.as_ref());
            }
        }
    }
}

fn is_signal_like(v: &JsValue) -> bool {
    v.is_object() && get(v, "addEventListener").is_function()
}

/// Per-call options: `{ signal?, timeoutMs? }` (and method-specific keys read by the caller).
fn call_options(opts: &JsValue) -> Result<(CallOptions, Option<SignalLink>), JsValue> {
    let mut r = Reader::new(opts, "options");
    let timeout_ms = r.ms("timeoutMs", MAX_MS);
    let signal = get(opts, "signal");
    if !(signal.is_undefined() || signal.is_null() || is_signal_like(&signal)) {
        r.violations.push(Violation::new(
            "options.signal",
            ViolationCode::Type,
            "must be an AbortSignal",
        ));
    }
    r.finish()?;
    let abort = Abort::new();
    let link = is_signal_like(&signal).then(|| SignalLink::new(&signal, &abort));
    Ok((
        CallOptions {
            abort: Some(abort),
            timeout_ms,
        },
        link,
    ))
}

/// The one place futures become promises: non-generic, so the executor glue is compiled once
/// instead of once per method (measured: about 30 KB of wasm saved).
fn spawn(fut: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(fut)
}

fn reject(e: JsValue) -> Promise {
    Promise::reject(&e)
}

/// JSON body of a method argument; a value JSON cannot hold is a `ValidationError`.
fn body_json(v: &JsValue, path: &str) -> Result<Value, JsValue> {
    to_json(v, path).map_err(|viol| {
        to_js_error(
            &Error::Validation {
                violations: vec![viol],
            },
            None,
        )
    })
}

fn id_arg(v: &JsValue, path: &str) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| type_error(path, "must be a string"))
}

/// The `ValidationError` of one argument of the wrong type.
fn type_error(path: &str, message: &str) -> JsValue {
    let violations = vec![Violation::new(path, ViolationCode::Type, message)];
    to_js_error(&Error::Validation { violations }, None)
}

fn progress_object(p: &Progress) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "clusterId", &key(&p.cluster_id));
    if let Some(s) = &p.status {
        set(&o, "status", &key(s));
    }
    if let Some(s) = &p.operation_status {
        set(&o, "currentClusterOperationStatus", &key(s));
    }
    let nodes = js_sys::Array::new();
    for n in &p.nodes {
        let no: JsValue = Object::new().into();
        if let Some(id) = &n.id {
            set(&no, "id", &key(id));
        }
        set(&no, "dataCentre", &key(&n.data_centre));
        if let Some(s) = &n.status {
            set(&no, "status", &key(s));
        }
        if let Some(pr) = n.progress {
            set(&no, "progress", &JsValue::from(pr));
        }
        nodes.push(&no);
    }
    set(&o, "nodes", &nodes);
    set(&o, "progress", &JsValue::from(p.progress));
    set(&o, "polls", &JsValue::from(p.polls));
    set(&o, "elapsedMs", &JsValue::from(p.elapsed_ms as f64));
    o
}

/// The fields of `desired` (an update body or a whole cluster) that differ from `current` (a
/// cluster from `getCluster`) although the API does not allow them to change: `conflict`
/// violations, empty when the update may be sent. Pure: nothing is sent.
#[wasm_bindgen(js_name = diffClusterUpdate, unchecked_return_type = "Violation[]")]
pub fn diff_cluster_update(
    #[wasm_bindgen(unchecked_param_type = "PostgresqlCluster")] current: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PostgresqlClusterUpdate | PostgresqlCluster")]
    desired: JsValue,
) -> Result<JsValue, JsValue> {
    let current = parse_current(&current, "current")?;
    let desired = body_json(&desired, "desired")?;
    to_js(&instaclustr_pg_core::validate::diff_cluster_update(
        &current, &desired,
    ))
}

/// A cluster given by the caller (as returned by `getCluster`), through the response parser
/// (text), not serde_json::from_value: one deserializer per model in the wasm instead of two.
fn parse_current(v: &JsValue, path: &str) -> Result<PostgresqlCluster, JsValue> {
    let text = js_sys::JSON::stringify(v)
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    <endpoints::GetCluster as Endpoint>::parse(200, text.as_bytes()).map_err(|_| {
        let v = Violation::new(
            path,
            ViolationCode::Type,
            "must be a cluster as returned by getCluster",
        );
        to_js_error(
            &Error::Validation {
                violations: vec![v],
            },
            None,
        )
    })
}

/// Typed client of the Instaclustr PostgreSQL Provisioning V2 API over `fetch`.
#[wasm_bindgen(js_name = InstaclustrClient)]
pub struct JsClient {
    inner: Rc<Inner>,
}

impl JsClient {
    /// Runs `f` as a promise; the signal link lives until the call settles.
    fn run<F, Fut>(&self, opts: &JsValue, f: F) -> Promise
    where
        F: FnOnce(Rc<Inner>, CallOptions) -> Fut,
        Fut: Future<Output = Result<JsValue, JsValue>> + 'static,
    {
        let (call, link) = match call_options(opts) {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let fut = f(self.inner.clone(), call);
        spawn(Box::pin(async move {
            let r = fut.await;
            drop(link);
            r
        }))
    }

    /// One client call: `arg` (the checked arguments) or its error as a rejection, then `f`
    /// under the call options, its failure as the JS error and its value through [`JsOutput`].
    fn call<A, T, F, Fut>(&self, opts: &JsValue, arg: Result<A, JsValue>, f: F) -> Promise
    where
        F: FnOnce(Rc<Inner>, CallOptions, A) -> Fut,
        Fut: Future<Output = Result<T, CallError>> + 'static,
        T: JsOutput,
    {
        let arg = match arg {
            Ok(a) => a,
            Err(e) => return reject(e),
        };
        self.run(opts, |c, call| {
            let fut = f(c, call, arg);
            async move { fut.await.map_err(|e| call_error(&e))?.into_js() }
        })
    }

    fn from_options(options: &JsValue) -> Result<JsClient, JsValue> {
        let mut r = Reader::new(options, "options");
        let username = r.string("username");
        let api_key = r.string("apiKey");
        let base_url = r.string("baseUrl");
        let timeout_ms = r.ms("timeoutMs", MAX_MS);
        let max_retries = r.ms("maxRetries", 20.0);
        let max_response_bytes = r.ms("maxResponseBytes", 1024.0 * 1024.0 * 1024.0);
        let fetch = r.function("fetch");
        let on_request = r.function("onRequest");
        let on_response = r.function("onResponse");
        let retry_obj = get(options, "retry");
        let mut rr = Reader::new(&retry_obj, "options.retry");
        let mut policy = RetryPolicy::default();
        if let Some(n) = rr.ms("maxRetries", 20.0) {
            policy.max_retries = n as u32;
        }
        if let Some(n) = rr.ms("baseDelayMs", MAX_MS) {
            policy.base_delay_ms = n;
        }
        if let Some(n) = rr.ms("maxDelayMs", MAX_MS) {
            policy.max_delay_ms = n;
        }
        if let Some(n) = rr.ms("maxRetryAfterMs", MAX_MS) {
            policy.max_retry_after_ms = n;
        }
        r.violations.append(&mut rr.violations);
        if let Some(n) = max_retries {
            policy.max_retries = n as u32;
        }
        if username.as_deref().is_none_or(str::is_empty)
            && r.violations.iter().all(|v| v.path != "options.username")
        {
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
        let request_options = RequestOptions {
            base_url,
            username,
            api_key: api_key.map(Secret::new),
        };
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
        })
    }
}

/// What a client method's result becomes in JS: models through the serializer, `()` and `None`
/// as `undefined`, certificates as `{ zip, pem, der, jks }` with byte arrays.
trait JsOutput {
    fn into_js(self) -> Result<JsValue, JsValue>;
}

macro_rules! serialized_output {
    ($($t:ty),*) => {$(
        impl JsOutput for $t {
            fn into_js(self) -> Result<JsValue, JsValue> {
                to_js(&self)
            }
        }
    )*};
}
serialized_output!(
    PostgresqlCluster,
    ClusterBackupEvents,
    ClusterRestore,
    Vec<ApplicationVersionsList>,
    Vec<CloudProviderNodeSizesList>,
    Vec<ClusterSummary>
);

impl JsOutput for () {
    fn into_js(self) -> Result<JsValue, JsValue> {
        Ok(JsValue::UNDEFINED)
    }
}

impl<T: JsOutput> JsOutput for Option<T> {
    fn into_js(self) -> Result<JsValue, JsValue> {
        self.map_or(Ok(JsValue::UNDEFINED), T::into_js)
    }
}

impl JsOutput for Certificates {
    fn into_js(self) -> Result<JsValue, JsValue> {
        let o: JsValue = Object::new().into();
        set(&o, "zip", &Uint8Array::from(self.zip.as_slice()));
        set(&o, "pem", &key(&self.pem));
        set(&o, "der", &Uint8Array::from(self.der.as_slice()));
        set(&o, "jks", &Uint8Array::from(self.jks.as_slice()));
        Ok(o)
    }
}

#[wasm_bindgen(js_class = InstaclustrClient)]
impl JsClient {
    /// A client; throws a `ValidationError` listing every bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<JsClient, JsValue> {
        Self::from_options(&options)
    }

    /// A client from `INSTACLUSTR_USERNAME`, `INSTACLUSTR_API_KEY` and optional
    /// `INSTACLUSTR_BASE_URL` of `process.env` (Node), with `overrides` on top.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(
        #[wasm_bindgen(
            unchecked_optional_param_type = "Omit<ClientOptions, \"username\" | \"apiKey\"> & Partial<ClientOptions>"
        )]
        overrides: Option<JsValue>,
    ) -> Result<JsClient, JsValue> {
        let env = get(&get(&js_sys::global().into(), "process"), "env");
        let options: JsValue = Object::new().into();
        for (var, k) in [
            ("INSTACLUSTR_USERNAME", "username"),
            ("INSTACLUSTR_API_KEY", "apiKey"),
            ("INSTACLUSTR_BASE_URL", "baseUrl"),
        ] {
            if let Some(v) = get(&env, var).as_string().filter(|v| !v.is_empty()) {
                set(&options, k, &key(&v));
            }
        }
        if let Some(o) = overrides.filter(JsValue::is_object) {
            let keys = Object::keys(o.unchecked_ref::<Object>());
            for k in keys.iter() {
                let v = Reflect::get(&o, &k).unwrap_or(JsValue::UNDEFINED);
                let _ = Reflect::set(&options, &k, &v);
            }
        }
        Self::from_options(&options)
    }

    /// Creates a cluster. Never retried once it may have reached the server.
    #[wasm_bindgen(js_name = createCluster, unchecked_return_type = "Promise<PostgresqlCluster>")]
    pub fn create_cluster(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PostgresqlCluster")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            body_json(&body, "body"),
            |c, call, body| async move { c.create_cluster(&body, &call).await },
        )
    }

    /// Gets a cluster.
    #[wasm_bindgen(js_name = getCluster, unchecked_return_type = "Promise<PostgresqlCluster>")]
    pub fn get_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            id_arg(&cluster_id, "clusterId"),
            |c, call, id| async move { c.get_cluster(&id, &call).await },
        )
    }

    /// Updates (resizes) a cluster after checking that only changeable fields differ from the
    /// current cluster (fetched first unless given as `options.current`).
    #[wasm_bindgen(js_name = updateCluster, unchecked_return_type = "Promise<PostgresqlCluster | undefined>")]
    pub fn update_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PostgresqlClusterUpdate")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "UpdateClusterOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let prepared = (|| {
            let id = id_arg(&cluster_id, "clusterId")?;
            let body = body_json(&body, "body")?;
            let current_js = get(&opts, "current");
            let current: Option<PostgresqlCluster> =
                if current_js.is_undefined() || current_js.is_null() {
                    None
                } else {
                    Some(parse_current(&current_js, "options.current")?)
                };
            Ok::<_, JsValue>((id, body, current))
        })();
        self.call(&opts, prepared, |c, call, (id, body, current)| async move {
            c.update_cluster(&id, &body, current.as_ref(), &call).await
        })
    }

    /// Deletes a cluster (a 404 on a retry counts as success).
    #[wasm_bindgen(js_name = deleteCluster, unchecked_return_type = "Promise<void>")]
    pub fn delete_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            id_arg(&cluster_id, "clusterId"),
            |c, call, id| async move { c.delete_cluster(&id, &call).await },
        )
    }

    /// Lists the backup events of the last 7 days.
    #[wasm_bindgen(js_name = listBackups, unchecked_return_type = "Promise<ClusterBackupEvents>")]
    pub fn list_backups(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            id_arg(&cluster_id, "clusterId"),
            |c, call, id| async move { c.list_backups(&id, &call).await },
        )
    }

    /// Triggers a manual backup. Never retried once it may have reached the server.
    #[wasm_bindgen(js_name = triggerBackup, unchecked_return_type = "Promise<void>")]
    pub fn trigger_backup(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            id_arg(&cluster_id, "clusterId"),
            |c, call, id| async move { c.trigger_backup(&id, &call).await },
        )
    }

    /// Restores a cluster to a point in time. Never retried once it may have reached the server.
    #[wasm_bindgen(js_name = restoreCluster, unchecked_return_type = "Promise<ClusterRestore>")]
    pub fn restore_cluster(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RestoreClusterInput")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            body_json(&body, "body"),
            |c, call, body| async move { c.restore_cluster(&body, &call).await },
        )
    }

    /// Lists PostgreSQL versions.
    #[wasm_bindgen(js_name = listVersions, unchecked_return_type = "Promise<ApplicationVersionsList[]>")]
    pub fn list_versions(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(&opts, Ok(()), |c, call, ()| async move {
            c.list_versions(&call).await
        })
    }

    /// Lists add-on versions compatible with a PostgreSQL version.
    #[wasm_bindgen(
        js_name = listCompatibleVersions,
        unchecked_return_type = "Promise<ApplicationVersionsList[]>"
    )]
    pub fn list_compatible_versions(
        &self,
        #[wasm_bindgen(js_name = postgresqlVersion, unchecked_param_type = "string")]
        version: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            id_arg(&version, "postgresqlVersion"),
            |c, call, v| async move { c.list_compatible_versions(&v, &call).await },
        )
    }

    /// Lists node sizes per provider.
    #[wasm_bindgen(
        js_name = listCompatibleNodeSizes,
        unchecked_return_type = "Promise<CloudProviderNodeSizesList[]>"
    )]
    pub fn list_compatible_node_sizes(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListCompatibleNodeSizesParams")]
        params: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let raw = get(&params.unwrap_or_default(), "pgbouncerRequired");
        let pgb = if raw.is_undefined() || raw.is_null() {
            Ok(None)
        } else if let Some(b) = raw.as_bool() {
            Ok(Some(b))
        } else {
            Err(type_error("params.pgbouncerRequired", "must be a boolean"))
        };
        let opts = options.unwrap_or_default();
        self.call(&opts, pgb, |c, call, pgb| async move {
            c.list_compatible_node_sizes(pgb, &call).await
        })
    }

    /// Downloads the cluster CA certificate: `{ zip, pem, der, jks }`.
    #[wasm_bindgen(js_name = downloadCertificate, unchecked_return_type = "Promise<Certificates>")]
    pub fn download_certificate(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        self.call(
            &opts,
            id_arg(&cluster_id, "clusterId"),
            |c, call, id| async move { c.download_certificate(&id, &call).await },
        )
    }

    /// The PostgreSQL clusters of the account (`options.search` such as `name:my-cluster`).
    #[wasm_bindgen(js_name = listClusters, unchecked_return_type = "Promise<ClusterSummary[]>")]
    pub fn list_clusters(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ListClustersOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let opts = options.unwrap_or_default();
        let raw = get(&opts, "search");
        let search = if raw.is_undefined() || raw.is_null() {
            Ok(None)
        } else {
            raw.as_string()
                .map(Some)
                .ok_or_else(|| type_error("options.search", "must be a string"))
        };
        self.call(&opts, search, |c, call, search| async move {
            c.list_clusters(search.as_deref(), &call).await
        })
    }

    /// Polls `getCluster` until RUNNING with no operation (or gone, for `until: "DELETED"`).
    #[wasm_bindgen(js_name = waitForCluster, unchecked_return_type = "Promise<PostgresqlCluster | undefined>")]
    pub fn wait_for_cluster(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(cluster_id, options, false)
    }

    /// Polls `listBackups` until the newest backup event of every node is COMPLETED.
    #[wasm_bindgen(js_name = waitForBackup, unchecked_return_type = "Promise<ClusterBackupEvents>")]
    pub fn wait_for_backup(
        &self,
        #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: JsValue,
    ) -> Promise {
        self.wait(cluster_id, options, true)
    }
}

impl JsClient {
    fn wait(&self, cluster_id: JsValue, options: JsValue, backup: bool) -> Promise {
        let prepared = (|| {
            let id = id_arg(&cluster_id, "clusterId");
            let mut r = Reader::new(&options, "options");
            let until = match r.string("until").as_deref() {
                None | Some("RUNNING") => WaitUntil::Running,
                Some("DELETED") => WaitUntil::Deleted,
                Some(_) => {
                    r.violations.push(Violation::new(
                        "options.until",
                        ViolationCode::Enum,
                        "must be RUNNING or DELETED",
                    ));
                    WaitUntil::Running
                }
            };
            let min = r.ms("minDelayMs", MAX_MS);
            let max = r.ms("maxDelayMs", MAX_MS);
            let max_wait = r.ms("maxWaitMs", MAX_MS);
            if max_wait.is_none() && get(&options, "maxWaitMs").is_undefined() {
                r.violations.push(Violation::new(
                    "options.maxWaitMs",
                    ViolationCode::Required,
                    "is required",
                ));
            }
            let on_progress = r.function("onProgress");
            let since_raw = get(&options, "since");
            let since = if since_raw.is_undefined() || since_raw.is_null() {
                None
            } else if let Some(d) = since_raw.dyn_ref::<js_sys::Date>() {
                Some(d.get_time())
            } else if let Some(n) = since_raw.as_f64().filter(|n| n.is_finite()) {
                Some(n)
            } else {
                r.violations.push(Violation::new(
                    "options.since",
                    ViolationCode::Type,
                    "must be epoch ms or a Date",
                ));
                None
            };
            let signal = get(&options, "signal");
            if !(signal.is_undefined() || signal.is_null() || is_signal_like(&signal)) {
                r.violations.push(Violation::new(
                    "options.signal",
                    ViolationCode::Type,
                    "must be an AbortSignal",
                ));
            }
            if let Err(e) = &id {
                return Err(e.clone());
            }
            r.finish()?;
            let mut w = WaitOptions::new(until, max_wait.unwrap_or(0));
            if let Some(m) = min {
                w.min_delay_ms = m;
            }
            if let Some(m) = max {
                w.max_delay_ms = m;
            }
            w.since_ms = since;
            let abort = Abort::new();
            let link = is_signal_like(&signal).then(|| SignalLink::new(&signal, &abort));
            w.abort = Some(abort);
            Ok((id?, w, on_progress, link))
        })();
        let (id, w, on_progress, link) = match prepared {
            Ok(x) => x,
            Err(e) => return reject(e),
        };
        let c = self.inner.clone();
        spawn(Box::pin(async move {
            let mut report = |p: &Progress| {
                if let Some(f) = &on_progress {
                    let _ = f.call1(&JsValue::UNDEFINED, &progress_object(p));
                }
            };
            let r = if backup {
                c.wait_for_backup(&id, &w, &mut report)
                    .await
                    .map(JsOutput::into_js)
            } else {
                c.wait_for_cluster(&id, &w, &mut report)
                    .await
                    .map(JsOutput::into_js)
            };
            let r = r.unwrap_or_else(|e| Err(call_error(&e)));
            drop(link);
            r
        }))
    }
}
