//! The `onRequest` / `onResponse` hooks of a client.

use super::*;
use crate::outputs::JsHookEvent;

/// Calls the JS hooks, swallowing anything they throw (a logging bug must not fail a call).
pub(super) struct JsHooks {
    pub(super) on_request: Option<Function>,
    pub(super) on_response: Option<Function>,
}

/// The hook event as JS (its shape and `.d.ts` type: [`crate::outputs::JsHookEvent`]).
pub(super) fn hook_object(e: &HookEvent) -> JsValue {
    to_js(&JsHookEvent::from(e)).unwrap_or(JsValue::UNDEFINED)
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
