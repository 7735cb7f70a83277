//! Validation and point-in-time parsing for JS.

use serde_json::Number;
use wasm_bindgen::prelude::*;

use crate::errors::validation_error;
use crate::{arena, now_ms, to_json_view};
use instaclustr_pg_core::validate::{self, Json, Violation, ViolationCode};

/// The violations `check` finds in the [`Json`] view of `input` (or why it cannot be read).
fn violations_of(input: &JsValue, check: impl FnOnce(&Json<'_>) -> Vec<Violation>) -> JsValue {
    let mut text = String::new();
    let arena = arena();
    let violations = match to_json_view(input, "", &mut text, &arena) {
        Ok(value) => check(&value),
        Err(v) => vec![v],
    };
    crate::lists::violations(&violations)
}

/// Every violation of a create-cluster body (empty when valid).
#[wasm_bindgen(js_name = validateCreateCluster, unchecked_return_type = "Violation[]")]
pub fn validate_create_cluster(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(violations_of(&input, |v| validate::create_cluster(v)))
}

/// Every violation of an update body (empty when valid).
#[wasm_bindgen(js_name = validateUpdateCluster, unchecked_return_type = "Violation[]")]
pub fn validate_update_cluster(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
) -> Result<JsValue, JsValue> {
    Ok(violations_of(&input, |v| validate::update_cluster(v)))
}

/// Every violation of a restore body (empty when valid); `pointInTime` is checked against now
/// (`options.now`, epoch ms, when given: e.g. an emulator's clock; else `Date.now()`).
#[wasm_bindgen(js_name = validateRestoreCluster, unchecked_return_type = "Violation[]")]
pub fn validate_restore_cluster(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PresentOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let now = present(&options)?;
    Ok(violations_of(&input, |v| validate::restore_cluster(v, now)))
}

/// The present of a check against it: `options.now` (epoch ms) when given, else `Date.now()`.
fn present(options: &Option<JsValue>) -> Result<f64, JsValue> {
    let Some(options) = options.as_ref().filter(|o| o.is_object()) else {
        return Ok(now_ms());
    };
    let now = js_sys::Reflect::get(options, &JsValue::from_str("now")).unwrap_or_default();
    if now.is_undefined() {
        return Ok(now_ms());
    }
    match now.as_f64().filter(|n| n.is_finite()) {
        Some(ms) => Ok(ms),
        None => Err(validation_error(vec![Violation::new(
            "options.now",
            ViolationCode::Type,
            "must be the present in epoch milliseconds (a finite number)",
        )])),
    }
}

/// Epoch milliseconds of a point in time given as epoch ms (number or digit string), an ISO 8601
/// date-time or a `Date`; "the future" is after `options.now` (epoch ms, default `Date.now()`).
///
/// # Errors
/// Throws a `ValidationError` (path `pointInTime`) for anything else, a date before 1970 or in
/// the future, or a number that looks like epoch seconds; (path `options.now`) for a `now` that
/// is not a finite number.
#[wasm_bindgen(js_name = parsePointInTime)]
pub fn parse_point_in_time(
    #[wasm_bindgen(unchecked_param_type = "PointInTimeInput")] value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PresentOptions")] options: Option<JsValue>,
) -> Result<f64, JsValue> {
    let now = present(&options)?;
    let string;
    let json = if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        let ms = date.get_time();
        match Number::from_f64(ms) {
            Some(n) => Json::Number(n),
            None => {
                return Err(validation_error(vec![Violation::new(
                    "pointInTime",
                    ViolationCode::Format,
                    "must be a valid date (this Date is invalid)",
                )]))
            }
        }
    } else if let Some(n) = value.as_f64() {
        match Number::from_f64(n) {
            Some(n) => Json::Number(n),
            None => {
                return Err(validation_error(vec![Violation::new(
                    "pointInTime",
                    ViolationCode::Type,
                    "must be a finite number of epoch milliseconds",
                )]))
            }
        }
    } else if let Some(s) = value.as_string() {
        string = s;
        Json::String(&string)
    } else {
        return Err(validation_error(vec![Violation::new(
            "pointInTime",
            ViolationCode::Type,
            "must be epoch milliseconds (number or digit string), an iso 8601 date-time or a Date",
        )]));
    };
    validate::point_in_time(&json, now).map_err(validation_error)
}
