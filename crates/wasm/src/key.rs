//! [`Key`]: how serde reads one key of a JS options object (the one way options are read: a
//! `#[derive(Deserialize, Tsify)]` struct of `Key` fields, whose `.d.ts` comes from the same
//! struct).

use serde::de::{Deserialize, Deserializer, Visitor};
use wasm_bindgen::JsValue;

/// The value of one key as it is in JS (`undefined` when the key is absent or `null`): never
/// coerced and never failing, so that the reader sees every key and reports every problem.
#[derive(Default)]
pub(crate) struct Key(pub(crate) JsValue);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // through `deserialize_option`, so that serde's derive takes an absent key for `None`
        // (the struct's declared keys stay required in the `.d.ts` unless marked optional)
        d.deserialize_option(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_none<E>(self) -> Result<Key, E> {
        Ok(Key(JsValue::UNDEFINED))
    }
    fn visit_unit<E>(self) -> Result<Key, E> {
        Ok(Key(JsValue::UNDEFINED))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(d).map(Key)
    }
}
