//! Small helpers over JS values: property access and the arguments every method shares.

use super::*;
use crate::errors::validation_error;

pub(super) fn key(k: &str) -> JsValue {
    JsValue::from_str(k)
}

pub(super) fn get(obj: &JsValue, k: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &key(k)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub(super) fn set(obj: &JsValue, k: &str, v: &JsValue) {
    let _ = Reflect::set(obj, &key(k), v);
}

/// JSON body of a method argument as a [`Json`] view of its text (kept in `text`); a value
/// JSON cannot hold is a `ValidationError`.
pub(super) fn body_view<'t>(
    v: &JsValue,
    path: &str,
    text: &'t mut String,
    arena: &'t Bump,
) -> Result<Json<'t>, JsValue> {
    to_json_view(v, path, text, arena).map_err(|viol| validation_error(vec![viol]))
}

/// A string argument (an ID, a version): missing is `required`, another type is `type`, as in
/// the `build*Request` functions.
pub(super) fn id_arg(v: &JsValue, path: &str) -> Result<String, JsValue> {
    v.as_string().ok_or_else(|| {
        let code = if v.is_undefined() || v.is_null() {
            ViolationCode::Required
        } else {
            ViolationCode::Type
        };
        validation_error(vec![Violation::new(path, code, "must be a string")])
    })
}
