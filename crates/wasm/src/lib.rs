//! The JavaScript surface of the npm package `instaclustr-pg`: every `#[wasm_bindgen]` item, over
//! the core crate `instaclustr-pg-core` (compiled for `wasm32` only; natively this crate is
//! empty). Functions take and return plain JS values whose TypeScript types are declared in
//! `types.rs` and by the tsify derives of the models; failures are thrown as the error classes
//! of `js/errors.js`.
#![cfg(target_arch = "wasm32")]
#![deny(missing_docs)]

pub mod build;
mod checked;
pub mod client;
pub mod errors;
pub mod fetch;
mod key;
mod outputs;
mod params;
pub mod parse;
mod request_options;
mod types;
pub mod validate;

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use instaclustr_pg_core::validate::{Violation, ViolationCode};

/// The serializer used for every value handed to JS: plain objects (never `Map`), absent
/// optional fields left out (never `null`), numbers (never `BigInt`).
pub(crate) fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)
}

/// `value` as a JS value, or a `DecodeError` if it cannot be represented.
///
/// serde-wasm-bindgen rather than `serde_json::to_string` + `JSON.parse`: the JSON text route
/// was measured 2.5 % smaller (gzip) but parsed the 1 MB listBackups body about 20 % slower
/// (to_string, the UTF-8 to UTF-16 copy out and a second parse cost more than the per-field
/// calls); small bodies were within 5-9 % either way (bench/FINDINGS.md).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serializer()).map_err(|e| {
        errors::to_js_error(
            &instaclustr_pg_core::Error::Decode {
                message: format!("cannot convert to a js value: {e}"),
            },
            None,
        )
    })
}

/// A JS input as JSON, the way `JSON.stringify` sees it (so a `Date` becomes its ISO string and
/// `undefined` fields disappear). A value JSON cannot represent (a cycle, a `BigInt`) is a
/// `type` violation at `path`.
pub(crate) fn to_json(input: &JsValue, path: &str) -> Result<Value, Violation> {
    if input.is_undefined() {
        return Ok(Value::Null);
    }
    let bad = || {
        Violation::new(
            path,
            ViolationCode::Type,
            "must be a json-compatible value (no cycles, bigint or functions)",
        )
    };
    let text = js_sys::JSON::stringify(input).map_err(|_| bad())?;
    match text.as_string() {
        // from_slice: the same deserializer instance as the response parsers (no second copy)
        Some(s) => serde_json::from_slice(s.as_bytes()).map_err(|_| bad()),
        None => Ok(Value::Null),
    }
}

/// The current time, epoch ms.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}
