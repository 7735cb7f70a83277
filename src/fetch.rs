//! The `fetch` transport and the JS runtime (timers, clock, randomness), for browsers, Web
//! Workers and Node 18+.
//!
//! One exchange (call `fetch`, check that it gave a `Response`, take the status, the kept
//! headers and the body up to the size limit) runs in plain JavaScript, `exchange` of
//! js/transport.js, and reports its outcome once through the module's one settling callback
//! (crate::settle). Written that way because every await of a JS promise from Rust costs two new
//! closures and every property a crossing: with the body read chunk by chunk from Rust and the
//! headers one by one, the transport was most of the time `client.getCluster` adds to a raw fetch
//! (bench/FINDINGS.md, 2026-12-03: 55.6 -> 49.0 us per in-memory call). The retries, the deadline,
//! the abort and the reading of the answer stay in Rust (the core's `Client::exchange`).
//!
//! `fetch` is the global one (`globalThis.fetch`: no `window` is assumed, so Workers and Node
//! work) or the one the user supplied; whatever it throws, rejects or resolves to is one of the
//! outcomes, never a trap. The timers are bound by hand below: web-sys has them only as methods
//! of `Window` / `WorkerGlobalScope`, and Node has neither. gloo-net is not used here: it calls
//! the global `fetch` only (no user-supplied one) and reads bodies whole, without a size limit;
//! measured on this crate (2026-11-28, release, wasm-opt -Os), gloo-net 0.6 (`http` feature) for
//! one single GET already added 16.5 KB raw / 6.0 KB gzip.
//!
//! Safety: requests use `redirect: "manual"` (a redirect is reported, never followed, so the
//! `Authorization` header cannot reach another origin; browsers give an `opaqueredirect`
//! response with status 0, Node gives the 3xx itself: both become
//! [`TransportError::Redirect`]) and `credentials: "omit"` (no cookies); the body is read as a
//! stream and given up beyond the size limit. Dropping the send future aborts the exchange's
//! `AbortController` (js/transport.js keeps it; an answer left unread is aborted there too), and
//! dropping a sleep clears its timer: nothing outlives a call.

use js_sys::{Array, Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::settle::{self, Settled};
use instaclustr_pg_core::request::HttpRequest;
use instaclustr_pg_core::transport::{
    Runtime, Transport, TransportError, TransportResponse, KEPT_HEADERS,
};

#[wasm_bindgen]
extern "C" {
    /// `setTimeout(callback, ms, id)`: the callback is called with `id`.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64, id: u32) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

#[wasm_bindgen(module = "/js/transport.js")]
extern "C" {
    /// One exchange (js/transport.js): `done(id, outcome)` gets its [`outcome`] array.
    #[allow(clippy::too_many_arguments)]
    fn exchange(
        custom: &JsValue,
        url: &str,
        method: &str,
        headers: &str,
        body: &JsValue,
        limit: f64,
        kept: &JsValue,
        id: u32,
        done: &Function,
    );

    /// Aborts exchange `id` if it is still in flight (js/transport.js).
    #[wasm_bindgen(js_name = abortExchange)]
    fn abort_exchange(id: u32);

    /// `{ method, url, headers, body? }` (js/transport.js), what the builders return.
    #[wasm_bindgen(js_name = request)]
    fn request_object(method: &str, url: &str, headers: &str, body: Option<&str>) -> JsValue;
}

/// The first element of what js/transport.js resolves to (1, fetch failed, and 7, reading the
/// body failed, carry the error to classify).
mod outcome {
    pub(super) const ANSWER: u32 = 0;
    pub(super) const NOT_A_RESPONSE: u32 = 2;
    pub(super) const REDIRECT: u32 = 3;
    pub(super) const BAD_STATUS: u32 = 4;
    pub(super) const TOO_LARGE: u32 = 5;
    pub(super) const NOT_BYTES: u32 = 6;
    pub(super) const NO_FETCH: u32 = 8;
}

thread_local! {
    /// [`KEPT_HEADERS`] as a JS array, made once.
    static KEPT: JsValue = KEPT_HEADERS.iter().map(|h| JsValue::from_str(h)).collect::<Array>().into();
}

/// Aborts the exchange when dropped before it settled.
struct AbortOnDrop {
    id: Option<u32>,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            abort_exchange(id);
        }
    }
}

/// Transport over the global `fetch`, or over a user-supplied function with its signature.
#[derive(Clone, Debug, Default)]
pub struct FetchTransport {
    custom: Option<Function>,
}

impl FetchTransport {
    /// The global `fetch`, or `custom` when given.
    pub fn new(custom: Option<Function>) -> Self {
        Self { custom }
    }
}

/// Network error codes (Node's undici puts them in `error.cause.code`) that prove the request
/// never left: nothing was sent, so any request may be repeated.
const NEVER_REACHED_CODES: &[&str] = &[
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "EADDRNOTAVAIL",
];

fn prop(v: &JsValue, key: &str) -> JsValue {
    if v.is_object() || v.is_function() {
        Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Classifies a `fetch` rejection. Browsers say only "Failed to fetch": that is maybe-reached.
fn classify(err: &JsValue) -> TransportError {
    let cause = prop(err, "cause");
    let mut codes: Vec<String> = Vec::new();
    if let Some(c) = prop(&cause, "code").as_string() {
        codes.push(c);
    }
    // Node 20 tries every address (happy eyeballs): an AggregateError of per-address errors.
    if let Some(arr) = prop(&cause, "errors").dyn_ref::<js_sys::Array>() {
        for e in arr.iter() {
            if let Some(c) = prop(&e, "code").as_string() {
                codes.push(c);
            }
        }
    }
    let message = prop(err, "message")
        .as_string()
        .unwrap_or_else(|| "fetch failed".into());
    let cause_msg = prop(&cause, "message")
        .as_string()
        .filter(|m| !m.is_empty());
    let text = match (&cause_msg, codes.first()) {
        (Some(m), _) => format!("{message}: {m}"),
        (None, Some(c)) => format!("{message}: {c}"),
        (None, None) => message,
    };
    if !codes.is_empty()
        && codes
            .iter()
            .all(|c| NEVER_REACHED_CODES.contains(&c.as_str()))
    {
        TransportError::NeverReached(text)
    } else {
        TransportError::MaybeReached(text)
    }
}

/// The request's headers as js/transport.js takes them: "name\nvalue\n..." (the core builds
/// them from fixed names, base64 and checked credentials: none holds a line break).
fn header_lines(req: &HttpRequest) -> String {
    let mut out = String::new();
    for (k, v) in &req.headers {
        out.push_str(k);
        out.push('\n');
        out.push_str(v);
        out.push('\n');
    }
    out
}

/// The built request as JS: `{ method, url, headers, body? }` (its `.d.ts` type:
/// [`crate::outputs::JsHttpRequest`]), made by one call of js/transport.js.
pub(crate) fn request_to_js(req: &HttpRequest) -> JsValue {
    request_object(
        req.method.as_str(),
        &req.url,
        &header_lines(req),
        req.body.as_deref(),
    )
}

/// The kept headers of an answer, from "name\nvalue\n...".
fn kept_headers(lines: &str) -> Vec<(String, String)> {
    let mut parts = lines.split('\n');
    let mut out = Vec::new();
    while let (Some(k), Some(v)) = (parts.next(), parts.next()) {
        out.push((k.to_owned(), v.to_owned()));
    }
    out
}

/// Element `i` of an outcome array.
fn at(outcome: &JsValue, i: u32) -> JsValue {
    outcome.unchecked_ref::<Array>().get(i)
}

/// The code of an outcome array (js/transport.js always resolves to one).
fn code(outcome: &JsValue) -> u32 {
    at(outcome, 0).as_f64().map_or(u32::MAX, |c| c as u32)
}

impl Transport for FetchTransport {
    async fn send(
        &self,
        req: &HttpRequest,
        max_body_bytes: usize,
    ) -> Result<TransportResponse, TransportError> {
        let body = req
            .body
            .as_deref()
            .map_or(JsValue::UNDEFINED, JsValue::from_str);
        let custom: JsValue = self.custom.clone().map_or(JsValue::UNDEFINED, Into::into);
        let settled = Settled::new();
        let mut guard = AbortOnDrop {
            id: Some(settled.id()),
        };
        KEPT.with(|kept| {
            exchange(
                &custom,
                &req.url,
                req.method.as_str(),
                &header_lines(req),
                &body,
                max_body_bytes as f64,
                kept,
                settled.id(),
                &settle::callback(),
            );
        });
        let outcome = settled.await;
        // settled: js/transport.js has let go of the request (and aborted an unread answer)
        guard.id = None;
        let limit = max_body_bytes;
        match code(&outcome) {
            outcome::ANSWER => {
                let status = at(&outcome, 1).as_f64().unwrap_or(0.0) as u16;
                let headers = kept_headers(&at(&outcome, 2).as_string().unwrap_or_default());
                let body = at(&outcome, 3).unchecked_into::<Uint8Array>().to_vec();
                Ok(TransportResponse {
                    status,
                    headers,
                    body,
                })
            }
            // the client's own failures, never retried (a custom `fetch` may have sent the
            // request before giving something unusable)
            outcome::NOT_A_RESPONSE => Err(TransportError::Unusable {
                message: "fetch resolved to something that is not a Response: the `fetch` option must return a Response".into(),
                maybe_reached: true,
            }),
            outcome::REDIRECT => Err(TransportError::Redirect {
                status: at(&outcome, 1).as_f64().unwrap_or(0.0) as u16,
            }),
            outcome::BAD_STATUS => Err(TransportError::MaybeReached(format!(
                "fetch gave an invalid status {}",
                at(&outcome, 1).as_f64().unwrap_or(0.0) as u16
            ))),
            outcome::TOO_LARGE => Err(TransportError::TooLarge { limit }),
            outcome::NOT_BYTES => Err(TransportError::Unusable {
                message: "the response body stream gave a chunk that is not a Uint8Array".into(),
                maybe_reached: true,
            }),
            outcome::NO_FETCH => Err(TransportError::Unusable {
                message: "this runtime has no global fetch: pass one as the `fetch` option".into(),
                maybe_reached: false,
            }),
            // 1 and 7: the error of fetch or of reading the body
            _ => Err(classify(&at(&outcome, 1))),
        }
    }
}

/// `Date.now`, `setTimeout`/`clearTimeout`, `Math.random`.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsRuntime;

/// A `setTimeout` future; dropping it clears the timer.
struct Sleep {
    settled: Settled,
    timer: JsValue,
}

impl Sleep {
    fn new(ms: u64) -> Self {
        let settled = Settled::new();
        // setTimeout fires at once for delays above 2^31 - 1 ms: clamp (about 24.8 days).
        let timer = set_timeout(
            &settle::callback(),
            ms.min(2_147_483_647) as f64,
            settled.id(),
        );
        Self { settled, timer }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        // clearing a timer that has fired does nothing
        clear_timeout(&self.timer);
    }
}

impl Runtime for JsRuntime {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
    async fn sleep(&self, ms: u64) {
        let mut sleep = Sleep::new(ms);
        (&mut sleep.settled).await;
    }
    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
