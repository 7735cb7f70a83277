//! Answers checked in Rust and built by the JavaScript engine: the body's bytes are checked
//! against the shape of the endpoint's output (`instaclustr_pg_core::shape`, no value built in
//! Rust), then `JSON.parse` of the same text builds the value, and the few fixes the check
//! found (a `null` optional field removed, a missing or `null` list set to `[]`) make it the
//! value the typed decode gave. Unknown fields are kept. The typed decode into Rust structs and
//! the field-by-field conversion to JS objects were the slow part of every parse
//! (bench/FINDINGS.md), and kept every model's deserializer and serializer in the wasm: every
//! model answer of the client goes through here now (the waiters read their few fields from the
//! built value; the update guard reads the checked cluster's text as a `Json` view,
//! [`checked_text`], [`view`]).

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use instaclustr_pg_core::shape::{check_answer, Fix, Fixup, Shape, Step};
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

/// The JS value of a checked body: `JSON.parse` of its text, then the check's fixes.
fn build(fixes: &[Fixup], body: &[u8], text: Text<'_>) -> Result<JsValue, Error> {
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
    let value = json_parse(&text).map_err(|e| Error::Decode {
        message: format!(
            "body is not valid json: {}",
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default()
        ),
    })?;
    let mut walk = Walk::default();
    for fix in fixes {
        walk.apply(&value, fix);
    }
    Ok(value)
}

/// Applies fixes to the parsed value, keeping the objects on the path of the previous fix:
/// consecutive fixes (the `end: null` of each running backup event) share most of their path,
/// and every step is a call into JS.
#[derive(Default)]
struct Walk {
    /// The steps of the previous fix's parent path and the value reached after each.
    stack: Vec<(Step, JsValue)>,
    /// The JS string of the previous fix's key.
    key: Option<(&'static str, JsValue)>,
}

impl Walk {
    /// Applies one fix (a path the check walked, so it exists).
    fn apply(&mut self, root: &JsValue, fix: &Fixup) {
        let Some((Step::Key(key), parents)) = fix.path.split_last() else {
            return;
        };
        let common = self
            .stack
            .iter()
            .zip(parents)
            .take_while(|((a, _), b)| a == *b)
            .count();
        self.stack.truncate(common);
        for step in &parents[common..] {
            let cur = self.stack.last().map_or(root, |(_, v)| v);
            let next = match step {
                Step::Key(k) => Reflect::get(cur, &JsValue::from_str(k)),
                Step::Index(i) => Reflect::get_u32(cur, *i as u32),
            }
            .unwrap_or(JsValue::UNDEFINED);
            self.stack.push((*step, next));
        }
        let cur = self.stack.last().map_or(root, |(_, v)| v);
        let Some(obj) = cur.dyn_ref::<js_sys::Object>() else {
            return;
        };
        let key = match &self.key {
            Some((k, js)) if std::ptr::eq(*k, *key) => js.clone(),
            _ => {
                let js = JsValue::from_str(key);
                self.key = Some((key, js.clone()));
                js
            }
        };
        match fix.fix {
            Fix::Remove => {
                let _ = Reflect::delete_property(obj, &key);
            }
            Fix::Default(shape) => {
                let empty: JsValue = match shape {
                    Shape::List(_) => Array::new().into(),
                    Shape::Str => JsValue::from_str(""),
                    Shape::Bool => JsValue::FALSE,
                    Shape::U32 | Shape::F64 => JsValue::from(0),
                    _ => return,
                };
                let _ = Reflect::set(obj, &key, &empty);
            }
        }
    }
}
