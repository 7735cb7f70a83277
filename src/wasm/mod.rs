//! The JavaScript surface: every `#[wasm_bindgen]` item of the package (compiled for `wasm32`
//! only). Functions take and return plain JS values whose TypeScript types are declared in
//! `types.rs` and by the tsify derives of the models; failures are thrown as the error classes
//! of `js/errors.js`.

pub mod build;
pub mod errors;
pub mod parse;
mod types;
pub mod validate;
// The client runtime (`client.rs`) is declared below this line.
pub mod client;

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::validate::{Violation, ViolationCode};

/// `value` as a JS value, or a `DecodeError` if it cannot be represented: serialized to JSON
/// text in Rust and rebuilt by the engine's `JSON.parse`. Same values as serde-wasm-bindgen
/// with `serialize_maps_as_objects` (plain objects, never `Map`; absent optional fields left out,
/// every model skips `None`; numbers, never `BigInt`); a top-level `null` (an empty `Option`)
/// becomes `undefined`. Measured (bench/FINDINGS.md): one JS call instead of one per field, and
/// one serializer per model in the wasm instead of two (serde_json's is needed anyway).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let failed = |e: &dyn std::fmt::Display| {
        errors::to_js_error(
            &crate::Error::Decode {
                message: format!("cannot convert to a js value: {e}"),
            },
            None,
        )
    };
    let text = serde_json::to_string(value).map_err(|e| failed(&e))?;
    if text == "null" {
        return Ok(JsValue::UNDEFINED);
    }
    js_sys::JSON::parse(&text).map_err(|_| failed(&"json.parse failed"))
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
