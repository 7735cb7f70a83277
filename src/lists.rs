//! The lists an error or a validation hands to JS, built with `Reflect.set`: violations
//! `{ path, code, message }` and the API's errors `{ name?, message? }`. Their `.d.ts` types come
//! from the core's `Violation` and `ErrorResponse` (tsify); building the few keys by hand keeps
//! serde-wasm-bindgen and a serializer per type out of the wasm (bench/FINDINGS.md).

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use instaclustr_pg_core::model::ErrorResponse;
use instaclustr_pg_core::validate::Violation;

fn set(o: &Object, k: &str, v: &str) {
    let _ = Reflect::set(o, &JsValue::from_str(k), &JsValue::from_str(v));
}

/// Violations as a JS array of `{ path, code, message }` (keys in that order).
pub(crate) fn violations(list: &[Violation]) -> JsValue {
    let out = Array::new();
    for v in list {
        let o = Object::new();
        set(&o, "path", &v.path);
        set(&o, "code", v.code.as_str());
        set(&o, "message", &v.message);
        out.push(&o);
    }
    out.into()
}

/// The API's errors as a JS array of `{ name?, message? }` (an absent one left out).
pub(crate) fn api_errors(list: &[ErrorResponse]) -> JsValue {
    let out = Array::new();
    for e in list {
        let o = Object::new();
        if let Some(n) = &e.name {
            set(&o, "name", n);
        }
        if let Some(m) = &e.message {
            set(&o, "message", m);
        }
        out.push(&o);
    }
    out.into()
}
