//! Rust errors as real JS `Error` subclasses. The classes live in `js/errors.js` (imported here,
//! re-exported by the package entry) so that `instanceof` works across the package.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

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

/// The JS error for `err` (a `ValidationError`, `ApiError`, ... from `js/errors.js`) with the
/// properties of `context` and of its variant (`violations`, `status`, `errors`, `raw`,
/// `lastStatus`), in that order. Add further properties with
/// `js_sys::Reflect::set`. The message is `err`'s `Display`, which never contains a secret.
///
/// The properties object is built with `Reflect.set` rather than by serde from a struct of
/// optional fields: the same keys in the same order (the order of the error's own keys and of
/// its `toJSON()`), without a serializer of that struct in the wasm.
pub(crate) fn to_js_error(err: &Error, context: Option<&ErrorContext>) -> JsValue {
    let props: JsValue = Object::new().into();
    let put = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&props, &JsValue::from_str(k), v);
    };
    if let Some(ctx) = context {
        if let Some(op) = ctx.operation {
            put("operation", &JsValue::from_str(op.name()));
        }
        if let Some(a) = ctx.attempts {
            put("attempts", &JsValue::from(a));
        }
        if let Some(ms) = ctx.elapsed_ms {
            put("elapsedMs", &JsValue::from(ms));
        }
    }
    match err {
        Error::Validation { violations } => {
            put("violations", &crate::lists::violations(violations))
        }
        Error::Api {
            status,
            errors,
            raw,
        } => {
            put("status", &JsValue::from(*status));
            put("errors", &crate::lists::api_errors(errors));
            if let Some(raw) = raw {
                put("raw", &JsValue::from_str(raw));
            }
        }
        Error::Waiter {
            last_status: Some(s),
            ..
        } => put("lastStatus", &JsValue::from_str(s)),
        _ => {}
    }
    create_error(err.code(), &err.to_string(), props)
}

/// A `ValidationError` for `violations`.
pub(crate) fn validation_error(violations: Vec<Violation>) -> JsValue {
    to_js_error(&Error::Validation { violations }, None)
}
