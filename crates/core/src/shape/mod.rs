//! The shapes of the response models: what JSON each model's `Deserialize` accepts, as a `const`
//! table derived from the model's own definition (`#[derive(Shape)]`, crate
//! `instaclustr-pg-shape-derive`, reading the same serde attributes), and [`check`]: a body
//! checked against a shape without building the value.
//!
//! The wasm client checks a response here and lets the JavaScript engine build the value with
//! `JSON.parse`; the native client keeps the typed decode. Both accept and reject the same
//! bodies with the same JSON path (`crates/core/tests/shape_differential.rs`).

mod answer;
mod check;
mod fast;
mod fix;
mod full;

pub use fast::scan as scan_plain;
mod leaf;

pub use answer::check_answer;
pub use check::{check, check_with_fixes, full_check};
pub use fix::{apply as apply_fixes, Fixup, Put};
pub use instaclustr_pg_shape_derive::Shape;

/// The JSON a type accepts.
#[derive(Debug)]
pub enum Shape {
    /// `true` or `false`.
    Bool,
    /// An integer in `0..=u32::MAX`.
    U32,
    /// Any JSON number serde_json can read as an `f64`.
    F64,
    /// A string (an open enumeration is any string).
    Str,
    /// `null` or the inner shape.
    Option(&'static Shape),
    /// A list of the inner shape.
    List(&'static Shape),
    /// An object with known fields; unknown ones are allowed (and ignored by the typed decode).
    Struct(&'static Struct),
    /// Any one of scalar shapes (serde `untagged` of newtype variants).
    Untagged(&'static Untagged),
}

impl Shape {
    /// Whether `null` and a missing field are accepted (serde's `Option`).
    pub const fn is_option(&self) -> bool {
        matches!(self, Shape::Option(_))
    }
}

/// The fields of an object shape, in declaration order.
#[derive(Debug)]
pub struct Struct {
    /// The Rust type name (serde says `expected struct <name>`).
    pub name: &'static str,
    /// At most 64 fields.
    pub fields: &'static [Field],
}

/// One field of an object shape.
#[derive(Debug)]
pub struct Field {
    /// The name on the wire.
    pub name: &'static str,
    /// The shape of its value.
    pub shape: &'static Shape,
    /// Whether a body without it is refused.
    pub required: bool,
    /// Whether the typed decode puts the default of the (non-`null`) shape in place of a missing
    /// value, or of a `null` one (`[]` for a list read with `null_as_default`, `""`).
    pub fill: bool,
}

/// The variants of an untagged enumeration, tried in order.
#[derive(Debug)]
pub struct Untagged {
    /// The Rust type name (named in serde's message).
    pub name: &'static str,
    /// The shapes of the variants (scalars only).
    pub variants: &'static [&'static Shape],
}

/// A type whose JSON shape is known at compile time.
pub trait HasShape {
    /// The shape.
    const SHAPE: Shape;
}
