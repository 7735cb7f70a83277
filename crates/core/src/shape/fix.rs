//! The fixes that make `JSON.parse`'s value of a checked body the typed value: where they apply
//! and what they do. Both checks (`fast.rs`, `full.rs`) give them and `check.rs`, which calls
//! the two, hands them on: they live below all three, so that neither check uses `check.rs`.

use super::{Field, Shape};

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

/// The fix of a field that is `null` or missing: its default, or no field at all.
pub(super) fn fill_or_remove(field: &Field) -> Fix {
    match (field.fill, field.shape) {
        (true, Shape::Option(inner)) => Fix::Default(inner),
        (true, shape) => Fix::Default(shape),
        (false, _) => Fix::Remove,
    }
}
