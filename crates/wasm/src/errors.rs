//! Rust errors as real JS `Error` subclasses. The classes live in `js/errors.js` (imported here,
//! re-exported by the package entry) so that `instanceof` works across the package.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use instaclustr_pg_core::model::ErrorResponse;
use instaclustr_pg_core::validate::Violation;
use instaclustr_pg_core::{Error, Operation};

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = createError)]
    fn create_error(code: &str, message: &str, props: JsValue) -> JsValue;
}

/// Where an error happened, added to the JS error as `operation`, `attempts`, `elapsedMs`.
#[derive(Clone, Debug, Default)]
pub(crate) struct ErrorContext {
    /// The operation of the call, if any.
    pub operation: Option<Operation>,
    /// Attempts made (1 = no retry).
    pub attempts: Option<u32>,
    /// Time from the call to the failure.
    pub elapsed_ms: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Props<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    operation: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    elapsed_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    violations: Option<&'a [Violation]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [ErrorResponse]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome_unknown: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_status: Option<&'a str>,
}

/// The JS error for `err` (a `ValidationError`, `ApiError`, ... from `js/errors.js`) with the
/// properties of its variant (`violations`, `status`, `errors`, `raw`, `outcomeUnknown`,
/// `lastStatus`) and of `context`. Add further properties with `js_sys::Reflect::set`.
/// The message is `err`'s `Display`, which never contains a secret.
pub(crate) fn to_js_error(err: &Error, context: Option<&ErrorContext>) -> JsValue {
    let ctx = context.cloned().unwrap_or_default();
    let mut props = Props {
        operation: ctx.operation.map(Operation::name),
        attempts: ctx.attempts,
        elapsed_ms: ctx.elapsed_ms,
        violations: None,
        status: None,
        errors: None,
        raw: None,
        outcome_unknown: None,
        last_status: None,
    };
    match err {
        Error::Validation { violations } => props.violations = Some(violations),
        Error::Api {
            status,
            errors,
            raw,
        } => {
            props.status = Some(*status);
            props.errors = Some(errors);
            props.raw = raw.as_deref();
        }
        Error::Network {
            outcome_unknown, ..
        }
        | Error::Timeout {
            outcome_unknown, ..
        } => {
            props.outcome_unknown = Some(*outcome_unknown);
        }
        Error::Waiter { last_status, .. } => props.last_status = last_status.as_deref(),
        _ => {}
    }
    let js_props = props
        .serialize(&crate::serializer())
        .unwrap_or(JsValue::UNDEFINED);
    create_error(err.code(), &err.to_string(), js_props)
}

/// A `ValidationError` for `violations`.
pub(crate) fn validation_error(violations: Vec<Violation>) -> JsValue {
    to_js_error(&Error::Validation { violations }, None)
}
