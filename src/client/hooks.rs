//! The `onRequest` / `onResponse` hooks of a client.

use super::*;
use crate::outputs::JsHookEvent;

/// Calls the JS hooks, swallowing anything they throw (a logging bug must not fail a call).
pub(super) struct JsHooks {
    pub(super) on_request: Option<Function>,
    pub(super) on_response: Option<Function>,
}

/// The hook event as JS: the shape its `.d.ts` type declares ([`crate::outputs::JsHookEvent`]:
/// the same keys in the same order, an absent optional one left out), set with `Reflect.set`
/// as the progress events are (`wait.rs`), rather than by serde from that struct.
pub(super) fn hook_object(e: &HookEvent) -> JsValue {
    // the struct stays the declaration of the type (tsify), named here by its `From` only to
    // keep that tie checked by the compiler; nothing is serialized from it
    let _declared: fn(&'static HookEvent) -> JsHookEvent<'static> = From::from;
    let o: JsValue = Object::new().into();
    set(&o, "operation", &key(e.operation));
    set(&o, "method", &key(e.method));
    set(&o, "url", &key(&e.url));
    set(&o, "attempt", &JsValue::from(e.attempt));
    if let Some(s) = e.status {
        set(&o, "status", &JsValue::from(s));
    }
    if let Some(err) = e.error {
        set(&o, "error", &key(err));
    }
    set(&o, "elapsedMs", &JsValue::from(e.elapsed_ms as f64));
    o
}

impl Hooks for JsHooks {
    fn on_request(&self, e: &HookEvent) {
        if let Some(f) = &self.on_request {
            let _ = f.call1(&JsValue::UNDEFINED, &hook_object(e));
        }
    }
    fn on_response(&self, e: &HookEvent) {
        if let Some(f) = &self.on_response {
            let _ = f.call1(&JsValue::UNDEFINED, &hook_object(e));
        }
    }
}
