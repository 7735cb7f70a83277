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

/// The keys of the object `o` (its own and inherited string keys, read with `o` as receiver) copied
/// into a plain object, so that serde-wasm-bindgen, whose key reads do not catch, never meets a
/// getter or a proxy that throws: such a throw would unwind through the wasm frames and escape as
/// a bare JS error. `None` when reading a key threw.
pub(crate) fn plain_copy(o: &JsValue) -> Option<JsValue> {
    use js_sys::{Object, Reflect};
    let copy = Object::new();
    // `Object.prototype`: its built-in keys are nobody's options
    let root: JsValue = Reflect::get_prototype_of(&copy).ok()?.into();
    let mut cur = o.clone();
    while cur.is_object() {
        for k in Reflect::own_keys(&Object::from(cur.clone())).ok()?.iter() {
            if k.is_string() && !Reflect::has(&copy, &k).ok()? {
                let v = Reflect::get(o, &k).ok()?;
                Reflect::set(&copy, &k, &v).ok()?;
            }
        }
        cur = Reflect::get_prototype_of(&cur).ok()?.into();
        if cur.is_null() || root == cur {
            break;
        }
    }
    Some(copy.into())
}

/// The keys of the JS object `o` read by serde into `T` (see [`Key`]); `None` when a key could
/// not be read (a throwing getter or proxy), which the caller reports as a violation.
pub(crate) fn read_object<T: serde::de::DeserializeOwned + Default>(o: &JsValue) -> Option<T> {
    plain_copy(o).map(|c| serde_wasm_bindgen::from_value(c).unwrap_or_default())
}
