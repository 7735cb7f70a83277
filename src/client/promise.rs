//! Futures become promises here, in one place.

use super::*;

/// The one place futures become promises: non-generic, so the executor glue is compiled once
/// instead of once per method (measured: about 30 KB of wasm saved).
pub(super) fn spawn(fut: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    wasm_bindgen_futures::future_to_promise(fut)
}

pub(super) fn reject(e: JsValue) -> Promise {
    Promise::reject(&e)
}
