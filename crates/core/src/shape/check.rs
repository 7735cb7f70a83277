//! A body checked against a [`Shape`] by serde_json's own parser, building nothing: strings are
//! borrowed (or read into serde_json's reused scratch buffer when escaped), unknown fields are
//! skipped with `IgnoredAny`, a known field seen twice is found with a 64-bit mask. The visitor
//! makes the calls serde's derived and primitive visitors make, in the same order, so serde_json
//! reports the same error at the same position, and [`decode_error`] turns it into the same
//! [`Error::Decode`] (path and message) as the typed decode. One seed type and one visitor type
//! for every model: a single instantiation over serde_json's slice deserializer.

use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, SeqAccess, Unexpected,
    Visitor,
};

use super::{Shape, Struct};
use crate::error::Error;
use crate::response::decode_error;

/// Checks that `body` is a JSON text the typed decode of `shape`'s model accepts.
///
/// # Errors
/// The [`Error::Decode`] the typed decode gives for the same body (same path, same message);
/// the intended differences are listed in `crates/core/tests/shape_differential.rs`.
pub fn check(shape: &'static Shape, body: &[u8]) -> Result<(), Error> {
    check_with_fixes(shape, body).map(drop)
}

/// [`check`], and the few places where the typed value differs from what `JSON.parse` of the
/// same text builds (apart from unknown fields, which `JSON.parse` keeps): a `null` optional
/// field is absent from the typed value, a missing or `null` defaulted field holds its default.
/// Allocates only for such a place (none in most bodies).
///
/// # Errors
/// As [`check`].
pub fn check_with_fixes(shape: &'static Shape, body: &[u8]) -> Result<Vec<Fixup>, Error> {
    // the plain bodies servers send are accepted by a byte scanner; anything else (and every
    // refusal) is decided here, over serde_json's parser
    if let Some(fixes) = super::fast::scan(shape, body) {
        return Ok(fixes);
    }
    full_check(shape, body)
}

/// [`check_with_fixes`] without the fast path (the differential tests compare the two).
///
/// # Errors
/// As [`check`].
pub fn full_check(shape: &'static Shape, body: &[u8]) -> Result<Vec<Fixup>, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut ctx = Ctx::default();
    Check(shape, &mut ctx)
        .deserialize(&mut de)
        .and_then(|_| de.end())
        .map_err(|e| decode_error(body, &e))?;
    Ok(ctx.fixes)
}

/// One step of a path into the parsed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object's field.
    Key(&'static str),
    /// A list's element.
    Index(usize),
}

/// What to do at a place of the parsed value to make it the typed value.
#[derive(Clone, Copy, Debug)]
pub enum Fix {
    /// Delete the field (it was `null`, the typed value has no such field).
    Remove,
    /// Set the field to the empty value of this shape (`[]`, `""`, `false`, `0`).
    Default(&'static Shape),
}

/// A place (the path of a field, last step its key) and what to do there.
#[derive(Clone, Debug)]
pub struct Fixup {
    /// From the root to the field.
    pub path: Vec<Step>,
    /// The fix.
    pub fix: Fix,
}

/// Where the walk is, and the fixes found so far.
#[derive(Default)]
struct Ctx {
    path: Vec<Step>,
    fixes: Vec<Fixup>,
}

impl Ctx {
    fn fix(&mut self, key: &'static str, fix: Fix) {
        let mut path = self.path.clone();
        path.push(Step::Key(key));
        self.fixes.push(Fixup { path, fix });
    }
}

/// The seed: checks one value against its shape; its value says whether it was `null` (for
/// an optional shape).
struct Check<'c>(&'static Shape, &'c mut Ctx);

impl<'de> DeserializeSeed<'de> for Check<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        let shape = self.0;
        let v = V(shape, self.1);
        match shape {
            Shape::Bool => d.deserialize_bool(v),
            Shape::U32 => d.deserialize_u32(v),
            Shape::F64 => d.deserialize_f64(v),
            Shape::Str => d.deserialize_string(v),
            Shape::Option(_) => d.deserialize_option(v),
            Shape::List(_) => d.deserialize_seq(v),
            Shape::Struct(s) => d.deserialize_struct(s.name, &[], v),
            Shape::Untagged(u) => {
                // serde's untagged: the whole value is read first, then the variants are tried
                // and the error is made outside the deserializer
                let kind = d.deserialize_any(KindV)?;
                if u.variants.iter().any(|shape| kind.fits(shape)) {
                    Ok(false)
                } else {
                    Err(D::Error::custom(format_args!(
                        "data did not match any variant of untagged enum {}",
                        u.name
                    )))
                }
            }
        }
    }
}

/// The visitor of every shape; it answers like serde's visitor of the model's type would.
struct V<'c>(&'static Shape, &'c mut Ctx);

impl V<'_> {
    fn wrong<E: serde::de::Error>(&self, what: Unexpected<'_>) -> E {
        E::invalid_type(what, self)
    }
}

impl<'de> Visitor<'de> for V<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Shape::Bool => f.write_str("a boolean"),
            Shape::U32 => f.write_str("u32"),
            Shape::F64 => f.write_str("f64"),
            Shape::Str => f.write_str("a string"),
            Shape::Option(_) => f.write_str("option"),
            Shape::List(_) => f.write_str("a sequence"),
            Shape::Struct(s) => write!(f, "struct {}", s.name),
            Shape::Untagged(u) => write!(f, "untagged enum {}", u.name),
        }
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<bool, E> {
        match self.0 {
            Shape::Bool => Ok(false),
            _ => Err(self.wrong(Unexpected::Bool(v))),
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<bool, E> {
        match self.0 {
            Shape::U32 if v <= u64::from(u32::MAX) => Ok(false),
            Shape::U32 => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
            Shape::F64 => Ok(false),
            _ => Err(self.wrong(Unexpected::Unsigned(v))),
        }
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<bool, E> {
        match self.0 {
            Shape::U32 if (0..=i64::from(u32::MAX)).contains(&v) => Ok(false),
            Shape::U32 => Err(E::invalid_value(Unexpected::Signed(v), &self)),
            Shape::F64 => Ok(false),
            _ => Err(self.wrong(Unexpected::Signed(v))),
        }
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<bool, E> {
        match self.0 {
            Shape::F64 => Ok(false),
            _ => Err(self.wrong(Unexpected::Float(v))),
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<bool, E> {
        match self.0 {
            Shape::Str => Ok(false),
            _ => Err(self.wrong(Unexpected::Str(v))),
        }
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
        Err(self.wrong(Unexpected::Unit))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<bool, E> {
        match self.0 {
            Shape::Option(_) => Ok(true),
            _ => Err(self.wrong(Unexpected::Option)),
        }
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        match self.0 {
            Shape::Option(inner) => Check(inner, self.1).deserialize(d).map(|_| false),
            _ => Err(self.wrong(Unexpected::Option)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        match self.0 {
            Shape::List(inner) => {
                let ctx = self.1;
                let mut i = 0;
                loop {
                    ctx.path.push(Step::Index(i));
                    let more = seq.next_element_seed(Check(inner, &mut *ctx))?.is_some();
                    ctx.path.pop();
                    if !more {
                        return Ok(false);
                    }
                    i += 1;
                }
            }
            _ => {
                // stricter than serde, which fills a struct from a list by position: the list
                // is read whole so that the error names the list itself
                // (the typed decode's own words for the case it detects, see decode_error)
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Err(A::Error::custom("a list where an object was expected"))
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Shape::Struct(s) = self.0 else {
            return Err(self.wrong(Unexpected::Map));
        };
        let ctx = self.1;
        let mut seen: u64 = 0;
        while let Some(key) = map.next_key_seed(Key(s))? {
            match key {
                Some(i) => {
                    let field = &s.fields[i];
                    let bit = 1u64 << i;
                    if seen & bit != 0 {
                        return Err(A::Error::duplicate_field(field.name));
                    }
                    seen |= bit;
                    ctx.path.push(Step::Key(field.name));
                    let null = map.next_value_seed(Check(field.shape, &mut *ctx))?;
                    ctx.path.pop();
                    if null {
                        ctx.fix(field.name, fill_or_remove(field));
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // serde reports the first missing field in declaration order
        for (i, field) in s.fields.iter().enumerate() {
            if seen & (1u64 << i) == 0 {
                if field.required {
                    return Err(A::Error::missing_field(field.name));
                }
                if field.fill {
                    ctx.fix(field.name, fill_or_remove(field));
                }
            }
        }
        Ok(false)
    }
}

/// The fix of a field that is `null` or missing: its default, or no field at all.
pub(super) fn fill_or_remove(field: &super::Field) -> Fix {
    match (field.fill, field.shape) {
        (true, Shape::Option(inner)) => Fix::Default(inner),
        (true, shape) => Fix::Default(shape),
        (false, _) => Fix::Remove,
    }
}

/// The seed of a key: the index of the known field, `None` for an unknown one.
struct Key(&'static Struct);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.0.fields.iter().position(|f| f.name == v))
    }
}

/// What kind of JSON value was read (for an untagged enum).
#[derive(Clone, Copy)]
enum Kind {
    Bool,
    Unsigned(u64),
    Signed,
    Float,
    Str,
    Other,
}

impl Kind {
    /// Whether serde's untagged decode would take this value for a variant of `shape`.
    fn fits(self, shape: &Shape) -> bool {
        match (shape, self) {
            (Shape::Bool, Kind::Bool) | (Shape::Str, Kind::Str) => true,
            (Shape::U32, Kind::Unsigned(v)) => v <= u64::from(u32::MAX),
            (Shape::F64, Kind::Unsigned(_) | Kind::Signed | Kind::Float) => true,
            _ => false,
        }
    }
}

/// Reads any value whole, as serde's untagged buffering does (strings checked as UTF-8).
#[derive(Clone, Copy)]
struct KindV;

impl<'de> DeserializeSeed<'de> for KindV {
    type Value = Kind;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KindV {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
        Ok(Kind::Bool)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::Unsigned(v))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
        Ok(Kind::Signed)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
        Ok(Kind::Float)
    }

    fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
        Ok(Kind::Str)
    }

    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        while seq.next_element_seed(KindV)?.is_some() {}
        Ok(Kind::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        while map.next_key_seed(KindV)?.is_some() {
            map.next_value_seed(KindV)?;
        }
        Ok(Kind::Other)
    }
}
