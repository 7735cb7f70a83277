//! Answers checked in Rust and built by the JavaScript engine: the body's bytes are checked
//! against the shape of the endpoint's output (`instaclustr_pg_core::shape`, no value built in
//! Rust), then `JSON.parse` of the same text builds the value; the few fixes the check found (a
//! `null` optional field removed, a missing or `null` list set to `[]`), applied to the text
//! first, make it the value the typed decode gave. Unknown fields are kept. The typed decode
//! into Rust structs and the field-by-field conversion to JS objects were the slow part of every parse
//! (bench/FINDINGS.md), and kept every model's deserializer and serializer in the wasm: every
//! model answer of the client goes through here now (the waiters read their few fields from the
//! built value; the update guard reads the checked cluster's text as a `Json` view,
//! [`checked_text`], [`view`]).

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use instaclustr_pg_core::shape::{apply_fixes, check_answer, Fixup, Shape};
use instaclustr_pg_core::validate::{Bump, Json};
use instaclustr_pg_core::Error;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    type TextDecoder;

    #[wasm_bindgen(constructor)]
    fn new() -> TextDecoder;

    #[wasm_bindgen(method)]
    fn decode(this: &TextDecoder, bytes: &Uint8Array) -> JsValue;
}

thread_local! {
    /// One UTF-8 decoder for the module (global in Node 18+, browsers and workers).
    static DECODER: TextDecoder = TextDecoder::new();
}

/// The text of a body, as JS holds it.
pub(crate) enum Text<'a> {
    /// A JS string (given by the caller).
    String(&'a JsValue),
    /// Bytes in JS memory, decoded as UTF-8 when needed.
    Bytes(&'a Uint8Array),
    /// Bytes in wasm memory (the fetch transport's buffer).
    Wasm,
}

/// The JS value of a 2xx answer of `shape`, `undefined` for the absent output of an optional
/// shape.
///
/// # Errors
/// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a body the typed decode refuses.
pub(crate) fn answer(
    shape: &'static Shape,
    status: u16,
    body: &[u8],
    text: Text<'_>,
) -> Result<JsValue, Error> {
    let Some(fixes) = check_answer(shape, status, body)? else {
        return Ok(JsValue::UNDEFINED);
    };
    build(&fixes, body, text)
}

/// The text of a 2xx answer of `shape` (not optional), for Rust to read with [`view`] (the
/// update guard's current cluster): the check decides, as for [`answer`], so the typed decode
/// of the model stays out of the wasm.
///
/// # Errors
/// As [`answer`].
pub(crate) fn checked_text(
    shape: &'static Shape,
    status: u16,
    body: &[u8],
) -> Result<Vec<u8>, Error> {
    check_answer(shape, status, body)?;
    Ok(body.to_vec())
}

/// The [`Json`] view of text known to be JSON (a body [`checked_text`] accepted, a JS value's
/// `JSON.stringify`); `null` for anything else, which cannot happen.
pub(crate) fn view<'a>(text: &'a [u8], arena: &'a Bump) -> Json<'a> {
    std::str::from_utf8(text)
        .ok()
        .and_then(|t| Json::parse(t, arena).ok())
        .unwrap_or(Json::Null)
}

/// The JS value of a checked body: `JSON.parse` of its text, with the check's fixes applied to
/// the text first (in wasm memory: a copy of a few KB costs less than changing the built value
/// from wasm, a call into JS per step, and `delete` leaves V8 a slow dictionary object).
fn build(fixes: &[Fixup], body: &[u8], text: Text<'_>) -> Result<JsValue, Error> {
    let edited;
    let (body, text) = if fixes.is_empty() {
        (body, text)
    } else {
        // a string given by the caller is left for the edited copy of its UTF-8 bytes: the
        // same text, but for a lone surrogate (U+FFFD in both the check and the value then)
        edited = apply_fixes(body, fixes);
        (edited.as_slice(), Text::Wasm)
    };
    let text = match text {
        Text::String(s) => s.clone(),
        Text::Bytes(u) => DECODER.with(|d| d.decode(u)),
        // valid UTF-8 (nearly always) becomes a JS string read straight from wasm memory; the
        // check lets invalid UTF-8 through in strings it skips, which the decoder replaces
        Text::Wasm => match std::str::from_utf8(body) {
            Ok(s) => JsValue::from_str(s),
            Err(_) => DECODER.with(|d| d.decode(&Uint8Array::from(body))),
        },
    };
    // the check accepted the text; JSON.parse takes everything it takes
    json_parse(&text).map_err(|e| Error::Decode {
        message: format!(
            "body is not valid json: {}",
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default()
        ),
    })
}
