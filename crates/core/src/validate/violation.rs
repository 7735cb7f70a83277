//! One problem found in an input: where, what kind, and a readable message.

use serde::{Deserialize, Serialize};

/// The kind of a violation; stable, for programs to branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ViolationCode {
    /// A required value is missing (or null).
    Required,
    /// The value has the wrong JSON type.
    Type,
    /// A string is too short or too long.
    Length,
    /// A string does not match the required pattern.
    Pattern,
    /// A number is out of range.
    Range,
    /// A value is not one of the allowed values.
    Enum,
    /// A list has too few or too many items.
    Count,
    /// A value is not well formed (UUID, CIDR, e-mail, date-time, ...).
    Format,
    /// Values conflict with each other (duplicate names, overlapping networks, ...).
    Conflict,
}

impl ViolationCode {
    /// The code as it is serialized (`"required"`, `"type"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationCode::Required => "required",
            ViolationCode::Type => "type",
            ViolationCode::Length => "length",
            ViolationCode::Pattern => "pattern",
            ViolationCode::Range => "range",
            ViolationCode::Enum => "enum",
            ViolationCode::Count => "count",
            ViolationCode::Format => "format",
            ViolationCode::Conflict => "conflict",
        }
    }
}

/// One violation: a JSON-style path (`dataCentres[1].numberOfNodes`), a code and a message.
/// Messages name what is allowed and never repeat secret values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct Violation {
    /// JSON-style path of the offending value; empty for the whole input.
    pub path: String,
    /// Kind of problem.
    pub code: ViolationCode,
    /// Human-readable message: lowercase, no trailing period.
    pub message: String,
}

impl Violation {
    /// A violation at `path`.
    pub fn new(path: impl Into<String>, code: ViolationCode, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}
