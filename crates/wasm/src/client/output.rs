//! What a client method's result becomes in JS.

use super::*;

/// What a client method's result becomes in JS when Rust builds it: certificates as
/// `{ zip, pem, der, jks }` with byte arrays (every model answer is built by `JSON.parse`,
/// crate::checked).
pub(super) trait JsOutput {
    fn into_js(self) -> Result<JsValue, JsValue>;
}

impl JsOutput for Certificates {
    fn into_js(self) -> Result<JsValue, JsValue> {
        to_js(&crate::outputs::JsCertificates::from(&self))
    }
}
