//! What a client method's result becomes in JS.

use super::*;

/// What a client method's result becomes in JS: models through the serializer, `None` as
/// `undefined`, certificates as `{ zip, pem, der, jks }` with byte arrays.
pub(super) trait JsOutput {
    fn into_js(self) -> Result<JsValue, JsValue>;
}

macro_rules! serialized_output {
    ($($t:ty),*) => {$(
        impl JsOutput for $t {
            fn into_js(self) -> Result<JsValue, JsValue> {
                to_js(&self)
            }
        }
    )*};
}
// the output still read by the typed decode: the filtered account list
serialized_output!(Vec<ClusterSummary>);

impl<T: JsOutput> JsOutput for Option<T> {
    fn into_js(self) -> Result<JsValue, JsValue> {
        self.map_or(Ok(JsValue::UNDEFINED), T::into_js)
    }
}

impl JsOutput for Certificates {
    fn into_js(self) -> Result<JsValue, JsValue> {
        to_js(&crate::outputs::JsCertificates::from(&self))
    }
}
