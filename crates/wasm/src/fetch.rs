//! The `fetch` transport and the JS runtime (timers, clock, randomness), for browsers, Web
//! Workers and Node 18+.
//!
//! `fetch`, `setTimeout`, `clearTimeout` and `AbortController` are bound as globals through
//! `#[wasm_bindgen] extern` rather than through gloo-net or web-sys: no `window` is assumed (so
//! Workers and Node work), a user-supplied `fetch` can replace the global one (gloo-net cannot
//! take one), and redirect and body-size control need only the few members bound here.
//! Measured on this crate (2026-11-28, release, wasm-bindgen, wasm-opt -Os, same tree with and
//! without each part): the whole client surface (12 operations, 2 waiters, retries, zip reader
//! with inflate, the JS class) adds 138 KB raw / 53 KB gzip to the `.wasm`, of which this
//! transport's own functions are under 5 KB before optimization; gloo-net 0.6 (`http` feature)
//! used for one single GET, with nothing else of the client, already adds 16.5 KB raw / 6.0 KB
//! gzip, and still could not take a user `fetch`.
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

use instaclustr_pg_core::request::HttpRequest;
use instaclustr_pg_core::transport::{
    Runtime, Transport, TransportError, TransportResponse, KEPT_HEADERS,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(input: &str, init: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;

    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    type AbortController;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<AbortController, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortController) -> JsValue;
    #[wasm_bindgen(method)]
    fn abort(this: &AbortController);

    /// The structural subset of `Response` used here (a user `fetch` may return a look-alike).
    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = type)]
    fn kind(this: &FetchResponse) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &FetchResponse) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn body(this: &FetchResponse) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &FetchResponse) -> Result<Promise, JsValue>;

    type FetchHeaders;
    #[wasm_bindgen(method, catch)]
    fn get(this: &FetchHeaders, name: &str) -> Result<JsValue, JsValue>;

    type BodyStream;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &BodyStream) -> Result<StreamReader, JsValue>;

    type StreamReader;
    #[wasm_bindgen(method, catch)]
    fn read(this: &StreamReader) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &StreamReader) -> Result<Promise, JsValue>;
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

    fn call_fetch(&self, url: &str, init: &JsValue) -> Result<Promise, JsValue> {
        match &self.custom {
            Some(f) => {
                let r = f.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)?;
                // A user function may return a non-promise: wrap it.
                Ok(r.dyn_into::<Promise>()
                    .unwrap_or_else(|v| Promise::resolve(&v)))
            }
            None => global_fetch(url, init),
        }
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

fn init_object(req: &HttpRequest, signal: &JsValue) -> JsValue {
    let init = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&init, &JsValue::from_str(k), v);
    };
    set("method", &JsValue::from_str(req.method.as_str()));
    let headers = Object::new();
    for (k, v) in &req.headers {
        let _ = Reflect::set(&headers, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    set("headers", &headers);
    if let Some(b) = &req.body {
        set("body", &JsValue::from_str(b));
    }
    set("redirect", &JsValue::from_str("manual"));
    set("credentials", &JsValue::from_str("omit"));
    set("signal", signal);
    init.into()
}

async fn read_body(resp: &FetchResponse, limit: usize) -> Result<Vec<u8>, TransportError> {
    let failed = |e: JsValue| classify(&e);
    let body = resp.body();
    let reader = if body.is_object() && prop(&body, "getReader").is_function() {
        Some(
            body.unchecked_into::<BodyStream>()
                .get_reader()
                .map_err(failed)?,
        )
    } else {
        None
    };
    let Some(reader) = reader else {
        // No stream (204, or a look-alike Response from a user fetch): read it whole.
        if !prop(resp.as_ref(), "arrayBuffer").is_function() {
            return Ok(Vec::new());
        }
        let buf = JsFuture::from(resp.array_buffer().map_err(failed)?)
            .await
            .map_err(failed)?;
        let bytes = Uint8Array::new(&buf);
        if bytes.length() as usize > limit {
            return Err(TransportError::TooLarge { limit });
        }
        return Ok(bytes.to_vec());
    };
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read().map_err(failed)?)
            .await
            .map_err(failed)?;
        if prop(&chunk, "done").is_truthy() {
            return Ok(out);
        }
        let value = prop(&chunk, "value");
        let Some(bytes) = value.dyn_ref::<Uint8Array>() else {
            return Err(TransportError::MaybeReached(
                "the response body stream gave a non-byte chunk".into(),
            ));
        };
        if out.len() + bytes.length() as usize > limit {
            if let Ok(p) = reader.cancel() {
                // Settle the cancellation promise so no rejection is left unhandled.
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(p).await;
                });
            }
            return Err(TransportError::TooLarge { limit });
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
        let signal = controller
            .as_ref()
            .map(AbortController::signal)
            .unwrap_or(JsValue::UNDEFINED);
        let mut guard = AbortOnDrop { controller };
        let init = init_object(req, &signal);
        let promise = self.call_fetch(&req.url, &init).map_err(|e| classify(&e))?;
        let resp = JsFuture::from(promise).await.map_err(|e| classify(&e))?;
        if !resp.is_object() {
            return Err(TransportError::MaybeReached(
                "fetch resolved to something that is not a response".into(),
            ));
        }
        let resp: FetchResponse = resp.unchecked_into();
        let status = resp.status().as_f64().unwrap_or(0.0);
        if resp.kind().as_string().as_deref() == Some("opaqueredirect")
            || (300.0..400.0).contains(&status)
        {
            return Err(TransportError::Redirect {
                status: status as u16,
            });
        }
        if !(100.0..=599.0).contains(&status) {
            return Err(TransportError::MaybeReached(format!(
                "fetch gave an invalid status {}",
                status as i64
            )));
        }
        let mut headers = Vec::new();
        let h = resp.headers();
        if prop(&h, "get").is_function() {
            let h: FetchHeaders = h.unchecked_into();
            for name in KEPT_HEADERS {
                if let Ok(v) = h.get(name) {
                    if let Some(v) = v.as_string() {
                        headers.push(((*name).to_owned(), v));
                    }
                }
            }
            let declared = h.get("content-length").ok().and_then(|v| v.as_string());
            if declared
                .and_then(|v| v.trim().parse::<u64>().ok())
                .is_some_and(|n| n > max_body_bytes as u64)
            {
                return Err(TransportError::TooLarge {
                    limit: max_body_bytes,
                });
            }
        }
        let body = read_body(&resp, max_body_bytes).await?;
        guard.controller = None; // completed: nothing to abort
        Ok(TransportResponse {
            status: status as u16,
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
