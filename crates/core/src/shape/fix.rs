//! The fixes that make `JSON.parse`'s value of a checked body the typed value, as edits of the
//! body's text: a `null` optional field's member cut out, a `null` defaulted field's value
//! replaced by its default, a missing defaulted field added before the object's `}`. `JSON.parse`
//! of the edited text then builds the typed value (plus unknown fields) in one go.
//!
//! Why edits of the text rather than changes of the parsed value: every change of a JS value made
//! from wasm is a call into JS per path step, and `delete` turns a V8 object into a slow
//! dictionary object; copying a few KB in wasm costs far less (bench/FINDINGS.md).
//! Both checks (`fast.rs`, `full.rs`) give the same edits and `check.rs`, which calls the two,
//! hands them on: they live below all three, so that neither check uses `check.rs`.

use super::{Field, Shape};

/// What an edit puts where it cuts.
#[derive(Clone, Copy, Debug)]
pub enum Put {
    /// Nothing: the cut was a `null` member with one of its commas.
    Nothing,
    /// The default of the shape (`[]`, `""`, `false`, `0`) in place of a `null`.
    Default(&'static Shape),
    /// A member `"key":<default>` added, after a comma when the object has other members.
    Member {
        /// The field's name on the wire (plain ASCII, written as is).
        key: &'static str,
        /// Its shape, whose default is the value.
        shape: &'static Shape,
        /// Whether a comma goes first.
        comma: bool,
    },
}

/// One edit of the body: the bytes `start..end` replaced by `put`. A check gives its edits in the
/// order of the text; a cut may overlap the previous one (an object's first two members `null`,
/// both cut with the comma between them), never an edit that puts something.
#[derive(Clone, Copy, Debug)]
pub struct Fixup {
    /// First byte cut.
    pub start: usize,
    /// Byte after the last one cut (`start` for an insertion).
    pub end: usize,
    /// What takes their place.
    pub put: Put,
}

/// The text of the default value of a defaulted field's shape, `None` for a shape the typed
/// decode has no such default for (no model has one: the differential test holds it).
pub(super) fn default_text(shape: &Shape) -> Option<&'static [u8]> {
    match shape {
        Shape::Option(inner) => default_text(inner),
        Shape::List(_) => Some(b"[]"),
        Shape::Str => Some(b"\"\""),
        Shape::Bool => Some(b"false"),
        Shape::U32 | Shape::F64 => Some(b"0"),
        Shape::Struct(_) | Shape::Untagged(_) => None,
    }
}

/// The edits of the members of one object, collected as a check reads it (both checks use it, so
/// that they place the same cuts).
pub(super) struct Members {
    /// Members read and not cut.
    kept: usize,
}

impl Members {
    pub(super) fn new() -> Members {
        Members { kept: 0 }
    }

    /// A member read and kept (not a `null` field's).
    #[inline]
    pub(super) fn keep(&mut self) {
        self.kept += 1;
    }

    /// A member whose value was the `null` of `field`'s optional shape: `key_at` its key's
    /// opening quote, `comma_before` the comma before it (none for the first member),
    /// `value_end` the byte after the `null`. `body` is the whole text (the comma after the
    /// member is looked for there).
    #[cold]
    pub(super) fn null(
        &mut self,
        fixes: &mut Vec<Fixup>,
        body: &[u8],
        field: &Field,
        (key_at, comma_before): (usize, Option<usize>),
        value_end: usize,
    ) {
        if field.fill {
            if default_text(field.shape).is_some() {
                fixes.push(Fixup {
                    start: value_end.saturating_sub(4),
                    end: value_end,
                    put: Put::Default(field.shape),
                });
            }
            self.kept += 1;
            return;
        }
        // the member goes with the comma before it, the first member with the one after it (if
        // any), so that the object stays valid JSON; the next member's cut then starts at that
        // comma, cut already
        let (start, end) = match comma_before {
            Some(comma) => (comma, value_end),
            None => {
                let mut after = value_end;
                while let Some(b' ' | b'\n' | b'\r' | b'\t') = body.get(after) {
                    after += 1;
                }
                match body.get(after) {
                    Some(b',') => (key_at, after + 1),
                    _ => (key_at, value_end),
                }
            }
        };
        fixes.push(Fixup {
            start,
            end,
            put: Put::Nothing,
        });
    }

    /// A missing defaulted field, added before the object's `}` at `close`.
    pub(super) fn missing(&mut self, fixes: &mut Vec<Fixup>, field: &Field, close: usize) {
        if default_text(field.shape).is_none() {
            return;
        }
        fixes.push(Fixup {
            start: close,
            end: close,
            put: Put::Member {
                key: field.name,
                shape: field.shape,
                comma: self.kept > 0,
            },
        });
        self.kept += 1;
    }
}

/// `body` with `fixes` applied: the text `JSON.parse` reads to build the typed value (plus unknown
/// fields). Edits out of order or out of bounds (which the checks never give) are clamped, never
/// a panic.
pub fn apply(body: &[u8], fixes: &[Fixup]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 16 * fixes.len());
    let mut pos = 0;
    for f in fixes {
        // an overlapping cut's first bytes were cut by the previous edit already
        let start = f.start.clamp(pos, body.len());
        let end = f.end.clamp(start, body.len());
        out.extend_from_slice(&body[pos..start]);
        match f.put {
            Put::Nothing => {}
            Put::Default(shape) => out.extend_from_slice(default_text(shape).unwrap_or(b"null")),
            Put::Member { key, shape, comma } => {
                if comma {
                    out.push(b',');
                }
                out.push(b'"');
                out.extend_from_slice(key.as_bytes());
                out.extend_from_slice(b"\":");
                out.extend_from_slice(default_text(shape).unwrap_or(b"null"));
            }
        }
        pos = end;
    }
    out.extend_from_slice(&body[pos..]);
    out
}
