//! The response check: a body checked against a [`Shape`] without building the value, by the
//! byte scanner of plain bodies (`fast.rs`) and, when it gives up, the full check (`full.rs`),
//! which refuses what the typed decode refuses with the same [`Error::Decode`] (path and
//! message); both also give the fixes (`fix.rs`) that make `JSON.parse`'s value the typed one.

use super::fix::Fixup;
use super::Shape;
use crate::error::Error;

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
/// They are edits of the text ([`super::apply_fixes`] makes the text `JSON.parse` reads).
/// Allocates only for such a place (none in most bodies).
///
/// # Errors
/// As [`check`].
pub fn check_with_fixes(shape: &'static Shape, body: &[u8]) -> Result<Vec<Fixup>, Error> {
    // the plain bodies servers send are accepted by a byte scanner; anything else (and every
    // refusal) is decided by the full check
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
    super::full::check(shape, body)
}
