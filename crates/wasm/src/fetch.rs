//! The `fetch` transport and the JS runtime (timers, clock, randomness), for browsers, Web
//! Workers and Node 18+.
//!
//! The Fetch API types (`RequestInit`, `Response`, `Headers`, `AbortController`, the body's
//! `ReadableStream` and its default reader) are web-sys's. `fetch` itself is taken as a plain
//! function, the global one (`globalThis.fetch`: no `window` is assumed, so Workers and Node
//! work) or the one the user supplied, and called through `js_sys::Function`; what it resolves to
//! is checked with `dyn_into::<Response>` (an `instanceof` test), so anything else from a user
//! `fetch` is a typed [`TransportError`], never a trap. The timers are bound by hand below:
//! web-sys has them only as methods of `Window` / `WorkerGlobalScope`, and Node has neither.
//! gloo-net is not used here: it calls the global `fetch` only (no user-supplied one) and reads
//! bodies whole, without a size limit; measured on this crate (2026-11-28, release, wasm-opt -Os),
//! gloo-net 0.6 (`http` feature) for one single GET already added 16.5 KB raw / 6.0 KB gzip.
//! Moving this file from hand-written `extern` declarations to web-sys (2026-12-02, same
//! measurement, `scripts/build`): the package's `.wasm` went from 515,506 to 514,286 bytes raw
//! and from 195,520 to 195,282 bytes gzip, so web-sys costs nothing here (slightly smaller).
//!
//! Safety: requests use `redirect: "manual"` (a redirect is reported, never followed, so the
//! `Authorization` header cannot reach another origin; browsers give an `opaqueredirect`
//! response with status 0, Node gives the 3xx itself: both become
//! [`TransportError::Redirect`]) and `credentials: "omit"` (no cookies); the body is read as a
//! stream and given up beyond the size limit. Dropping the send future aborts its
//! `AbortController`, and dropping a sleep clears its timer: nothing outlives a call.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult,
    RequestCredentials, RequestInit, RequestRedirect, Response, ResponseType,
};

use instaclustr_pg_core::request::HttpRequest;
use instaclustr_pg_core::transport::{
    Runtime, Transport, TransportError, TransportResponse, KEPT_HEADERS,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Aborts the request when dropped before it completed.
struct AbortOnDrop {
    controller: Option<AbortController>,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.controller.take() {
            c.abort();
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

    fn call_fetch(&self, url: &str, init: &RequestInit) -> Result<Promise, TransportError> {
        let url = JsValue::from_str(url);
        let returned = match &self.custom {
            Some(f) => f.call2(&JsValue::UNDEFINED, &url, init),
            None => {
                // called with the global object as `this`, as browsers require
                let global: JsValue = js_sys::global().into();
                let Ok(fetch) = Reflect::get(&global, &JsValue::from_str("fetch"))
                    .map_err(drop)
                    .and_then(|f| f.dyn_into::<Function>().map_err(drop))
                else {
                    return Err(TransportError::NeverReached(
                        "this runtime has no global fetch: pass one as the `fetch` option".into(),
                    ));
                };
                fetch.call2(&global, &url, init)
            }
        }
        .map_err(|e| classify(&e))?;
        // A user function may return a non-promise: wrap it.
        Ok(returned
            .dyn_into::<Promise>()
            .unwrap_or_else(|v| Promise::resolve(&v)))
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

fn init_object(req: &HttpRequest, controller: Option<&AbortController>) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    // A plain record rather than a `Headers`: a user `fetch` reads `init.headers.Authorization`.
    let headers = Object::new();
    for (k, v) in &req.headers {
        let _ = Reflect::set(&headers, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    init.set_headers(&headers);
    if let Some(b) = &req.body {
        init.set_body(&JsValue::from_str(b));
    }
    init.set_redirect(RequestRedirect::Manual);
    init.set_credentials(RequestCredentials::Omit);
    if let Some(c) = controller {
        init.set_signal(Some(&c.signal()));
    }
    init
}

async fn read_body(resp: &Response, limit: usize) -> Result<Vec<u8>, TransportError> {
    let Some(stream) = resp.body() else {
        return Ok(Vec::new()); // no body at all (204, 304, a `Response` built with `null`)
    };
    read_stream(&stream, limit)
        .await
        .map_err(|fault| match fault {
            StreamFault::Failed(e) => classify(&e),
            StreamFault::NotBytes => TransportError::MaybeReached(
                "the response body stream gave a non-byte chunk".into(),
            ),
            StreamFault::TooLarge => TransportError::TooLarge { limit },
        })
}

/// Why a byte stream was not read to its end.
pub(crate) enum StreamFault {
    /// A read rejected.
    Failed(JsValue),
    /// A chunk was not a `Uint8Array`.
    NotBytes,
    /// More than the limit came (the stream is cancelled).
    TooLarge,
}

/// Every byte of `stream`, up to `limit`: one loop for the response body here and the
/// certificate's inflated entries (client/certificate.rs), so the wasm holds one copy of it.
pub(crate) async fn read_stream(
    stream: &ReadableStream,
    limit: usize,
) -> Result<Vec<u8>, StreamFault> {
    // `getReader()` without a mode always gives the default reader
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(StreamFault::Failed)?
            .unchecked_into();
        if chunk.get_done().unwrap_or(false) {
            return Ok(out);
        }
        let value = chunk.get_value();
        let Some(bytes) = value.dyn_ref::<Uint8Array>() else {
            return Err(StreamFault::NotBytes);
        };
        if out.len() + bytes.length() as usize > limit {
            let p = reader.cancel();
            // Settle the cancellation promise so no rejection is left unhandled.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
            return Err(StreamFault::TooLarge);
        }
        out.extend_from_slice(&bytes.to_vec());
    }
}

impl Transport for FetchTransport {
    async fn send(
        &self,
        req: &HttpRequest,
        max_body_bytes: usize,
    ) -> Result<TransportResponse, TransportError> {
        let controller = AbortController::new().ok();
        let init = init_object(req, controller.as_ref());
        let mut guard = AbortOnDrop { controller };
        let promise = self.call_fetch(&req.url, &init)?;
        let resolved = JsFuture::from(promise).await.map_err(|e| classify(&e))?;
        let Ok(resp) = resolved.dyn_into::<Response>() else {
            return Err(TransportError::MaybeReached(
                "fetch resolved to something that is not a Response".into(),
            ));
        };
        let status = resp.status();
        if resp.type_() == ResponseType::Opaqueredirect || (300..400).contains(&status) {
            return Err(TransportError::Redirect { status });
        }
        if !(100..=599).contains(&status) {
            return Err(TransportError::MaybeReached(format!(
                "fetch gave an invalid status {status}"
            )));
        }
        let h = resp.headers();
        let mut headers = Vec::new();
        for name in KEPT_HEADERS {
            if let Ok(Some(v)) = h.get(name) {
                headers.push(((*name).to_owned(), v));
            }
        }
        let declared = h
            .get("content-length")
            .ok()
            .flatten()
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > max_body_bytes as u64) {
            return Err(TransportError::TooLarge {
                limit: max_body_bytes,
            });
        }
        let body = read_body(&resp, max_body_bytes).await?;
        guard.controller = None; // completed: nothing to abort
        Ok(TransportResponse {
            status,
            headers,
            body,
        })
    }
}

/// `Date.now`, `setTimeout`/`clearTimeout`, `Math.random`.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsRuntime;

struct SleepState {
    done: bool,
    waker: Option<Waker>,
}

/// A `setTimeout` future; dropping it clears the timer.
struct Sleep {
    state: Rc<RefCell<SleepState>>,
    id: Option<JsValue>,
    _callback: Option<Closure<dyn FnMut()>>,
}

impl Sleep {
    fn new(ms: u64) -> Self {
        let state = Rc::new(RefCell::new(SleepState {
            done: false,
            waker: None,
        }));
        let s2 = state.clone();
        let cb = Closure::<dyn FnMut()>::new(move || {
            let waker = {
                let mut st = s2.borrow_mut();
                st.done = true;
                st.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        });
        // setTimeout fires at once for delays above 2^31 - 1 ms: clamp (about 24.8 days).
        let id = set_timeout(cb.as_ref().unchecked_ref(), ms.min(2_147_483_647) as f64);
        Self {
            state,
            id: Some(id),
            _callback: Some(cb),
        }
    }
}

impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut st = self.state.borrow_mut();
        if st.done {
            Poll::Ready(())
        } else {
            st.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            if !self.state.borrow().done {
                clear_timeout(&id);
            }
        }
    }
}

impl Runtime for JsRuntime {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
    async fn sleep(&self, ms: u64) {
        Sleep::new(ms).await
    }
    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
