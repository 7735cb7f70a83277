//! Small helpers to walk untyped JSON and collect violations with JSON-style paths
//! (`dataCentres[1].numberOfNodes`). `null` counts as missing everywhere, as the API treats it.

use super::view::{Json, Obj};
use super::{Violation, ViolationCode};

/// A JSON-style path (`dataCentres[1].numberOfNodes`), rendered as text only when a violation
/// is recorded: the validators walk every nested value of every body, and building each parent
/// path as a `String` up front (with `format!`) was about a tenth of `validateCreateCluster`
/// (bench/FINDINGS.md).
#[derive(Clone, Copy)]
pub(crate) enum Path<'p> {
    /// The whole input (`""`).
    Root,
    /// Key `.1` of `.0` (`a.b`; just `b` at the root).
    Key(&'p Path<'p>, &'p str),
    /// Item `.1` of `.0` (`a[0]`).
    Index(&'p Path<'p>, usize),
}

/// The root path.
pub(crate) const ROOT: &Path<'static> = &Path::Root;

impl<'p> Path<'p> {
    /// The path of key `k` inside this one.
    pub(crate) fn key(&'p self, k: &'p str) -> Path<'p> {
        Path::Key(self, k)
    }

    /// The path of item `i` inside this one.
    pub(crate) fn index(&'p self, i: usize) -> Path<'p> {
        Path::Index(self, i)
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(parent, k) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Path::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                push_decimal(out, *i);
                out.push(']');
            }
        }
    }
}

impl From<&Path<'_>> for String {
    fn from(p: &Path<'_>) -> String {
        let mut out = String::new();
        p.write(&mut out);
        out
    }
}

impl From<Path<'_>> for String {
    fn from(p: Path<'_>) -> String {
        String::from(&p)
    }
}

/// The path of `key` inside `parent` as text (`""` + `name` = `name`, `a` + `b` = `a.b`), for
/// callers that hold a parent path as a `String`.
pub(crate) fn key(parent: &str, key: &str) -> String {
    let mut p = String::with_capacity(parent.len() + key.len() + 1);
    if !parent.is_empty() {
        p.push_str(parent);
        p.push('.');
    }
    p.push_str(key);
    p
}

/// The path of item `i` inside `parent` as text (`dataCentres[0]`).
pub(crate) fn index(parent: &str, i: usize) -> String {
    let mut p = String::with_capacity(parent.len() + 6);
    p.push_str(parent);
    p.push('[');
    push_decimal(&mut p, i);
    p.push(']');
    p
}

fn push_decimal(p: &mut String, mut i: usize) {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    loop {
        n -= 1;
        // i % 10 < 10: the cast cannot truncate
        digits[n] = b'0' + (i % 10) as u8;
        i /= 10;
        if i == 0 {
            break;
        }
    }
    for &d in &digits[n..] {
        p.push(char::from(d));
    }
}

/// A JSON type name for messages.
pub(crate) fn type_name(v: &Json<'_>) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Collects violations while walking one input.
#[derive(Debug, Default)]
pub(crate) struct Out(pub(crate) Vec<Violation>);

impl Out {
    /// Records a violation.
    pub(crate) fn push(
        &mut self,
        path: impl Into<String>,
        code: ViolationCode,
        message: impl Into<String>,
    ) {
        self.0.push(Violation::new(path, code, message));
    }

    /// A `type` violation: `wanted` is e.g. "a string".
    pub(crate) fn wrong_type(&mut self, path: impl Into<String>, wanted: &str, got: &Json<'_>) {
        self.push(
            path,
            ViolationCode::Type,
            format!("must be {wanted}, not {}", type_name(got)),
        );
    }

    /// The value as an object, or a `type` violation.
    pub(crate) fn object<'a, 'b>(
        &mut self,
        v: &'a Json<'b>,
        path: &Path<'_>,
    ) -> Option<&'a Obj<'b>> {
        match v {
            Json::Object(m) => Some(m),
            other => {
                self.wrong_type(path, "an object", other);
                None
            }
        }
    }

    /// Field `k` of `obj` (null = missing); a `required` violation when missing and required.
    pub(crate) fn field<'a, 'b>(
        &mut self,
        obj: &'a Obj<'b>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
    ) -> Option<&'a Json<'b>> {
        match obj.get(k) {
            Some(Json::Null) | None => {
                if required {
                    self.push(parent.key(k), ViolationCode::Required, "is required");
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    /// A string field.
    pub(crate) fn string<'a, 'b>(
        &mut self,
        obj: &'a Obj<'b>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
    ) -> Option<&'a str> {
        match self.field(obj, parent, k, required)? {
            Json::String(s) => Some(s),
            other => {
                self.wrong_type(parent.key(k), "a string", other);
                None
            }
        }
    }

    /// A string field that must not be empty (`length` violation when it is).
    pub(crate) fn non_empty_string<'a, 'b>(
        &mut self,
        obj: &'a Obj<'b>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
    ) -> Option<&'a str> {
        let s = self.string(obj, parent, k, required)?;
        if s.trim().is_empty() {
            self.push(parent.key(k), ViolationCode::Length, "must not be empty");
            return None;
        }
        Some(s)
    }

    /// A boolean field.
    pub(crate) fn boolean(
        &mut self,
        obj: &Obj<'_>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
    ) -> Option<bool> {
        match self.field(obj, parent, k, required)? {
            Json::Bool(b) => Some(*b),
            other => {
                self.wrong_type(parent.key(k), "a boolean", other);
                None
            }
        }
    }

    /// An integer field in `min..=max` (`type` for non-integers such as `2.5` or `2.0`,
    /// `range` outside the bounds).
    pub(crate) fn integer(
        &mut self,
        obj: &Obj<'_>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let v = self.field(obj, parent, k, required)?;
        // the path is built only when a violation is recorded
        let range = |out: &mut Self| {
            let allowed = if max == i64::MAX {
                format!("must be at least {min}")
            } else {
                format!("must be between {min} and {max}")
            };
            out.push(parent.key(k), ViolationCode::Range, allowed);
        };
        match v {
            Json::Number(n) => {
                if let Some(i) = n.as_i64() {
                    if i < min || i > max {
                        range(self);
                        return None;
                    }
                    Some(i)
                } else if n.is_u64() {
                    range(self);
                    None
                } else {
                    self.wrong_type(parent.key(k), "an integer", v);
                    None
                }
            }
            other => {
                self.wrong_type(parent.key(k), "an integer", other);
                None
            }
        }
    }

    /// An array field with `min..=max` items (`count` violation outside).
    pub(crate) fn array<'a, 'b>(
        &mut self,
        obj: &'a Obj<'b>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<&'a [Json<'b>]> {
        let v = self.field(obj, parent, k, required)?;
        let Json::Array(items) = v else {
            self.wrong_type(parent.key(k), "an array", v);
            return None;
        };
        if items.len() < min || items.len() > max {
            let allowed = match (min, max) {
                (a, b) if a == b => format!("must have exactly {a} item{}", plural(a)),
                (0, b) => format!("must have at most {b} item{}", plural(b)),
                (a, usize::MAX) => format!("must have at least {a} item{}", plural(a)),
                (a, b) => format!("must have {a} to {b} items"),
            };
            self.push(
                parent.key(k),
                ViolationCode::Count,
                format!("{allowed}, not {}", items.len()),
            );
        }
        Some(items)
    }

    /// A string field whose value must be one of `known` (`enum` violation otherwise).
    pub(crate) fn enumeration<'a, 'b>(
        &mut self,
        obj: &'a Obj<'b>,
        parent: &Path<'_>,
        k: &str,
        required: bool,
        known: &[&str],
    ) -> Option<&'a str> {
        let s = self.string(obj, parent, k, required)?;
        if known.contains(&s) {
            Some(s)
        } else {
            self.push(
                parent.key(k),
                ViolationCode::Enum,
                format!("must be one of {}", known.join(", ")),
            );
            None
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
