//! The `fetch` transport and the JS runtime (timers, clock, randomness), for browsers, Web
//! Workers and Node 18+.
//!
//! One exchange (call `fetch`, check that it gave a `Response`, take the status, the kept
//! headers and the body up to the size limit) runs in plain JavaScript, `exchange` of
//! js/transport.js, and reports its outcome once through the module's one settling callback
//! (crate::settle): every await of a JS promise from Rust costs two new closures and every
//! property a crossing, so one settled outcome per attempt keeps the time the client adds to a
//! raw fetch small (bench/FINDINGS.md). The retries, the deadline, the abort and the reading of
//! the answer stay in Rust (the core's `Client::exchange`).
//!
//! `fetch` is the global one (`globalThis.fetch`: no `window` is assumed, so Workers and Node
//! work) or the one the user supplied; whatever it throws, rejects or resolves to is one of the
//! outcomes, never a trap. The timers are bound by hand below: web-sys has them only as methods
//! of `Window` / `WorkerGlobalScope`, and Node has neither. gloo-net is not used here: it calls
//! the global `fetch` only (no user-supplied one), reads bodies whole, without a size limit, and
//! costs size (bench/FINDINGS.md, "Figures moved from code comments").
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

/// What an exchange of js/transport.js reports: the first element of its outcome array. The
/// same numbers as `OUTCOME` of js/transport.js, where each array is described (tests/wasm_client.rs
/// holds the two equal, name for name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Outcome {
    /// `[ANSWER, status, header lines, bytes]`: an answer.
    Answer = 0,
    /// `[FETCH_FAILED, error]`: fetch threw or rejected.
    FetchFailed = 1,
    /// `[NOT_A_RESPONSE]`: fetch resolved to something that is not a `Response`.
    NotAResponse = 2,
    /// `[REDIRECT, status]`: a redirect, never followed.
    Redirect = 3,
    /// `[BAD_STATUS, status]`: a status outside 100..=599.
    BadStatus = 4,
    /// `[TOO_LARGE]`: the body is larger than the limit.
    TooLarge = 5,
    /// `[NOT_BYTES]`: a body chunk that is not a `Uint8Array`.
    NotBytes = 6,
    /// `[READ_FAILED, error]`: reading the body failed.
    ReadFailed = 7,
    /// `[NO_FETCH]`: no `fetch` given and no global one.
    NoFetch = 8,
}

impl Outcome {
    /// Every outcome, in the order of their numbers.
    pub const ALL: [Outcome; 9] = [
        Outcome::Answer,
        Outcome::FetchFailed,
        Outcome::NotAResponse,
        Outcome::Redirect,
        Outcome::BadStatus,
        Outcome::TooLarge,
        Outcome::NotBytes,
        Outcome::ReadFailed,
        Outcome::NoFetch,
    ];

    /// Its name in js/transport.js's `OUTCOME` (for the test of the two sides; not in the
    /// package's `.wasm`, which never names them).
    pub fn js_name(self) -> &'static str {
        match self {
            Outcome::Answer => "ANSWER",
            Outcome::FetchFailed => "FETCH_FAILED",
            Outcome::NotAResponse => "NOT_A_RESPONSE",
            Outcome::Redirect => "REDIRECT",
            Outcome::BadStatus => "BAD_STATUS",
            Outcome::TooLarge => "TOO_LARGE",
            Outcome::NotBytes => "NOT_BYTES",
            Outcome::ReadFailed => "READ_FAILED",
            Outcome::NoFetch => "NO_FETCH",
        }
    }

    /// The outcome of an outcome array (`None` for a first element that is none of them).
    fn of(outcome: &JsValue) -> Option<Outcome> {
        let code = at(outcome, 0).as_f64()?;
        Outcome::ALL
            .into_iter()
            .find(|o| f64::from(*o as u32) == code)
    }
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

/// Headers as they cross to js/transport.js: "header lines", "name\nvalue\n" per header in one
/// string (one crossing), described there. The core builds request headers from fixed names,
/// base64 and checked credentials: none holds a line break.
fn to_header_lines(headers: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in headers {
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
        &to_header_lines(&req.headers),
        req.body.as_deref(),
    )
}

/// Headers from the header lines js/transport.js gives (the kept headers of an answer).
fn from_header_lines(lines: &str) -> Vec<(String, String)> {
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
                &to_header_lines(&req.headers),
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
        match Outcome::of(&outcome) {
            Some(Outcome::Answer) => {
                let status = at(&outcome, 1).as_f64().unwrap_or(0.0) as u16;
                let headers = from_header_lines(&at(&outcome, 2).as_string().unwrap_or_default());
                let body = at(&outcome, 3).unchecked_into::<Uint8Array>().to_vec();
                Ok(TransportResponse {
                    status,
                    headers,
                    body,
                })
            }
            // the client's own failures, never retried (a custom `fetch` may have sent the
            // request before giving something unusable)
            Some(Outcome::NotAResponse) => Err(TransportError::Unusable {
                message: "fetch resolved to something that is not a Response: the `fetch` option must return a Response".into(),
                maybe_reached: true,
            }),
            Some(Outcome::Redirect) => Err(TransportError::Redirect {
                status: at(&outcome, 1).as_f64().unwrap_or(0.0) as u16,
            }),
            Some(Outcome::BadStatus) => Err(TransportError::MaybeReached(format!(
                "fetch gave an invalid status {}",
                at(&outcome, 1).as_f64().unwrap_or(0.0) as u16
            ))),
            Some(Outcome::TooLarge) => Err(TransportError::TooLarge { limit }),
            Some(Outcome::NotBytes) => Err(TransportError::Unusable {
                message: "the response body stream gave a chunk that is not a Uint8Array".into(),
                maybe_reached: true,
            }),
            Some(Outcome::NoFetch) => Err(TransportError::Unusable {
                message: "this runtime has no global fetch: pass one as the `fetch` option".into(),
                maybe_reached: false,
            }),
            // the error of fetch or of reading the body (js/transport.js resolves to no other
            // outcome: an unknown one is classified as a failed fetch)
            Some(Outcome::FetchFailed | Outcome::ReadFailed) | None => {
                Err(classify(&at(&outcome, 1)))
            }
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
