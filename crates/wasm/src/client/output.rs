//! What a client method's result becomes in JS.

use super::*;
use js_sys::Uint8Array;

/// What a client method's result becomes in JS when Rust builds it: certificates as
/// `{ zip, pem, der, jks }` with byte arrays (every model answer is built by `JSON.parse`,
/// crate::checked).
pub(super) trait JsOutput {
    fn into_js(self) -> Result<JsValue, JsValue>;
}

impl JsOutput for Certificates {
    /// The shape its `.d.ts` type declares ([`crate::outputs::JsCertificates`]: the same keys in
    /// the same order, bytes as `Uint8Array` copies), set with `Reflect.set` rather than by
    /// serde from that struct, which kept its serializer in the wasm.
    fn into_js(self) -> Result<JsValue, JsValue> {
        // the struct stays the declaration of the type (tsify): named here so that the
        // compiler keeps the tie; nothing is serialized from it
        let _declared: fn(&'static Certificates) -> crate::outputs::JsCertificates<'static> =
            From::from;
        let o: JsValue = Object::new().into();
        set(&o, "zip", &Uint8Array::from(self.zip.as_slice()));
        set(&o, "pem", &key(&self.pem));
        set(&o, "der", &Uint8Array::from(self.der.as_slice()));
        set(&o, "jks", &Uint8Array::from(self.jks.as_slice()));
        Ok(o)
    }
}
