//! [`Key`]: how serde reads one key of a JS options object (the one way options are read: a
//! `#[derive(Deserialize, Tsify)]` struct of `Key` fields, whose `.d.ts` comes from the same
//! struct), and [`read_object`], the serde `Deserializer` that does the reading.
//!
//! A deserializer of our own rather than serde-wasm-bindgen's: these structs need only
//! `deserialize_struct` with named fields, each field's raw `JsValue`; reading just those
//! fields with catching `Reflect.get` calls makes a throwing getter or proxy a `None` (a
//! violation for the caller) instead of a JS error unwinding through the wasm, without first
//! copying the object key by key (about a tenth of `buildCreateClusterRequest`).

use std::cell::RefCell;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use wasm_bindgen::JsValue;

/// The value of one key as it is in JS (`undefined` when the key is absent or `null`): never
/// coerced and never failing, so that the reader sees every key and reports every problem.
#[derive(Default)]
pub(crate) struct Key(pub(crate) JsValue);

thread_local! {
    /// The value of the field being read: serde's data model cannot carry a `JsValue`, so
    /// [`FieldValue`] leaves it here for [`KeyVisitor::visit_some`] to take.
    static FIELD: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

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
    fn visit_some<D: Deserializer<'de>>(self, _: D) -> Result<Key, D::Error> {
        Ok(Key(FIELD.with(|f| f.replace(JsValue::UNDEFINED))))
    }
}

/// A key could not be read (its getter or the proxy threw), or a struct asked for something
/// other than `Key` fields.
#[derive(Debug)]
pub(crate) struct Unreadable;

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unreadable key")
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unreadable
    }
}

/// A JS object read as a struct of named fields.
struct ObjectReader<'a>(&'a JsValue);

impl<'de> Deserializer<'de> for ObjectReader<'_> {
    type Error = Unreadable;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unreadable> {
        Err(Unreadable)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        visitor.visit_map(Fields {
            obj: self.0,
            fields: fields.iter(),
            value: JsValue::UNDEFINED,
        })
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Each declared field of a struct, read from the object (own or inherited, the object as
/// receiver, as `o[name]`).
struct Fields<'a> {
    obj: &'a JsValue,
    fields: std::slice::Iter<'static, &'static str>,
    value: JsValue,
}

impl<'de> de::MapAccess<'de> for Fields<'_> {
    type Error = Unreadable;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unreadable> {
        let Some(&name) = self.fields.next() else {
            return Ok(None);
        };
        self.value =
            js_sys::Reflect::get(self.obj, &crate::names::name(name)).map_err(|_| Unreadable)?;
        seed.deserialize(name.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unreadable> {
        seed.deserialize(FieldValue(std::mem::replace(
            &mut self.value,
            JsValue::UNDEFINED,
        )))
    }
}

/// One field's value, for [`Key`].
struct FieldValue(JsValue);

impl<'de> Deserializer<'de> for FieldValue {
    type Error = Unreadable;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Unreadable> {
        Err(Unreadable)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if self.0.is_undefined() || self.0.is_null() {
            return visitor.visit_none();
        }
        FIELD.with(|f| f.replace(self.0));
        visitor.visit_some(().into_deserializer())
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// The declared keys of the JS object `o` read into `T` (see [`Key`]); `None` when a key could
/// not be read (a throwing getter or proxy), which the caller reports as a violation.
pub(crate) fn read_object<T: de::DeserializeOwned>(o: &JsValue) -> Option<T> {
    T::deserialize(ObjectReader(o)).ok()
}

/// The keys of the object `o` (its own and inherited string keys, read with `o` as receiver) copied
/// into a plain object with catching reads: the client's options reader (`client/reader.rs`)
/// reports a getter or a proxy that throws on any key, once, when the client is made. `None`
/// when reading a key threw.
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
