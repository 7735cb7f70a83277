//! The parsing half of an operation's exports: `parse<Operation>Response(status, body)`, `body`
//! a string or a `Uint8Array` (about the same cost, see [`args`]). Non-2xx statuses throw an
//! `ApiError`, malformed bodies a `DecodeError`. JSON bodies are checked in Rust and built by
//! `JSON.parse` (crate::checked): unknown fields are kept.

use wasm_bindgen::prelude::*;

use crate::checked::{answer, Text};
use crate::errors::{to_js_error, validation_error};
use instaclustr_pg_core::endpoints::Endpoint;
use instaclustr_pg_core::shape::HasShape;
use instaclustr_pg_core::validate::{Violation, ViolationCode};
use instaclustr_pg_core::{Error, Operation};

/// The status and the body bytes, or a `ValidationError` for arguments of the wrong type.
/// A string costs a UTF-16 to UTF-8 copy into wasm (one `encodeInto`, crate::utf8: wasm-bindgen's
/// own string copy goes one character at a time in JS, about 10 us for the 4.3 KB getCluster
/// body); a `Uint8Array` a plain copy, then one decoding for `JSON.parse` (bench/results.md: the
/// two forms within 10 % of each other on both bodies).
fn args(status: &JsValue, body: &JsValue) -> Result<(u16, Vec<u8>), JsValue> {
    let mut v = Vec::new();
    let code = match status.as_f64() {
        Some(n) if n.fract() == 0.0 && (100.0..=599.0).contains(&n) => n as u16,
        _ => {
            v.push(Violation::new(
                "status",
                ViolationCode::Range,
                "must be an http status, an integer from 100 to 599",
            ));
            0
        }
    };
    let bytes = if let Some(s) = body.dyn_ref::<js_sys::JsString>() {
        crate::utf8::to_string(s).into_bytes()
    } else if let Some(u) = body.dyn_ref::<js_sys::Uint8Array>() {
        u.to_vec()
    } else if let Some(b) = body.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(b).to_vec()
    } else if body.is_undefined() || body.is_null() {
        Vec::new()
    } else {
        v.push(Violation::new(
            "body",
            ViolationCode::Type,
            "must be a string or a Uint8Array",
        ));
        Vec::new()
    };
    if v.is_empty() {
        Ok((code, bytes))
    } else {
        Err(validation_error(v))
    }
}

/// A thrown error of operation `op`'s parser.
fn thrown(op: Operation, e: &Error) -> JsValue {
    let ctx = crate::errors::ErrorContext {
        operation: Some(op),
        ..Default::default()
    };
    to_js_error(e, Some(&ctx))
}

/// Endpoint `E`'s parser on JS arguments, its output as a JS value.
pub(crate) fn parse<E: Endpoint>(status: &JsValue, body: &JsValue) -> Result<E::Output, JsValue> {
    let (status, bytes) = args(status, body)?;
    E::parse(status, &bytes).map_err(|e| thrown(E::SPEC.operation, &e))
}

/// Endpoint `E`'s answer on JS arguments, checked in Rust against the shape of its output and
/// built by `JSON.parse` (crate::checked).
pub(crate) fn checked<E: Endpoint>(status: &JsValue, body: &JsValue) -> Result<JsValue, JsValue>
where
    E::Output: HasShape,
{
    let (code, bytes) = args(status, body)?;
    let text = if body.is_string() {
        Text::String(body)
    } else if let Some(u) = body.dyn_ref::<js_sys::Uint8Array>() {
        Text::Bytes(u)
    } else {
        Text::Wasm
    };
    answer(&<E::Output as HasShape>::SHAPE, code, &bytes, text)
        .map_err(|e| thrown(E::SPEC.operation, &e))
}

/// Endpoint `E`'s answer without a body.
pub(crate) fn empty<E: Endpoint<Output = ()>>(
    status: &JsValue,
    body: &JsValue,
) -> Result<(), JsValue> {
    parse::<E>(status, body)
}

/// Endpoint `E`'s answer as the bytes sent (the certificate zip).
pub(crate) fn bytes<E: Endpoint<Output = Vec<u8>>>(
    status: &JsValue,
    body: &JsValue,
) -> Result<js_sys::Uint8Array, JsValue> {
    parse::<E>(status, body).map(|b| js_sys::Uint8Array::from(b.as_slice()))
}
