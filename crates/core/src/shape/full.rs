//! The full check: a body read against a [`Shape`], refusing exactly what the typed decode
//! (`serde_json::from_slice` into the model) refuses, at the same position and with the same
//! words, without building anything.
//!
//! Why by hand: driving serde_json's parser with a serde visitor would keep serde_json's
//! deserializer, serde's `Unexpected` and, through it, core's whole `f64` `Display` (Grisu,
//! Dragon and their tables) in the `.wasm`, a large share of the package (bench/FINDINGS.md) for
//! a path that only runs on bodies the fast scanner (`fast.rs`) gives up on. The tokens and
//! their errors are the lexer's (`crate::lexer`); what this reader adds is serde's side: the
//! messages for the model's types, where a data error is placed (at the index where the
//! enclosing value's reading stops), and how serde_json reads a list, an object and a skipped
//! value. `crates/core/tests/shape_differential.rs` holds the two equal (verdict, path and
//! message) on the hostile corpus, the API document's examples and mutated bodies.

use super::fix::{Fixup, Members};
use super::{Shape, Struct};
use crate::error::Error;
use crate::lexer::{Bad, Code, Lexer, DEPTH};
use crate::response::{decode_failure, Failure, Kind};

/// Checks `body` against `shape` (see the module documentation).
///
/// # Errors
/// The [`Error::Decode`] of the typed decode for the same body.
pub(super) fn check(shape: &'static Shape, body: &[u8]) -> Result<Vec<Fixup>, Error> {
    let mut r = Reader {
        lx: Lexer::new(body),
        depth: DEPTH,
        key_at: (0, None),
        fixes: Vec::new(),
    };
    match r.value(shape).and_then(|_| Ok(r.lx.end()?)) {
        Ok(()) => Ok(r.fixes),
        Err(f) => {
            let (line, column) = f.at.map_or((0, 0), |at| position(body, at));
            Err(decode_failure(
                body,
                &Failure {
                    kind: f.kind,
                    message: &f.message,
                    line,
                    column,
                },
            ))
        }
    }
}

/// serde_json's (1-based line, 0-based column) of byte index `i`.
fn position(b: &[u8], i: usize) -> (usize, usize) {
    let before = &b[..i.min(b.len())];
    let start = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + before[..start].iter().filter(|&&c| c == b'\n').count();
    (line, before.len() - start)
}

/// A refusal: serde_json's category, its words, and the byte it is reported at (`None`: not
/// placed yet).
struct Fail {
    kind: Kind,
    message: String,
    at: Option<usize>,
}

impl Fail {
    /// A data error (serde's wording), placed later by the enclosing value ([`Reader::place`]).
    fn data(message: String) -> Fail {
        Fail {
            kind: Kind::Data,
            message,
            at: None,
        }
    }
}

impl From<Bad> for Fail {
    fn from(bad: Bad) -> Fail {
        Fail {
            kind: if bad.code.is_eof() {
                Kind::Eof
            } else {
                Kind::Syntax
            },
            message: bad.code.words().to_owned(),
            at: Some(bad.at),
        }
    }
}

type Res<T> = Result<T, Fail>;

/// A JSON number as the typed decode reads it.
#[derive(Clone, Copy)]
enum Num {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// A value met where another was expected, as serde_json names it.
enum Unexpected {
    Bool(bool),
    Num(Num),
    Str(String),
    Null,
    Seq,
    Map,
}

impl Unexpected {
    fn describe(&self) -> String {
        match self {
            Unexpected::Bool(b) => format!("boolean `{b}`"),
            Unexpected::Num(Num::U64(v)) => format!("integer `{v}`"),
            Unexpected::Num(Num::I64(v)) => format!("integer `{v}`"),
            // serde_json prints a float of its messages with zmij (shortest round trip)
            Unexpected::Num(Num::F64(v)) => {
                format!("floating point `{}`", zmij::Buffer::new().format(*v))
            }
            Unexpected::Str(s) => format!("string {s:?}"),
            Unexpected::Null => "null".to_owned(),
            Unexpected::Seq => "sequence".to_owned(),
            Unexpected::Map => "map".to_owned(),
        }
    }
}

/// What serde's visitor of `shape` says it expected.
fn expected(shape: &Shape) -> String {
    match shape {
        Shape::Bool => "a boolean".to_owned(),
        Shape::U32 => "u32".to_owned(),
        Shape::F64 => "f64".to_owned(),
        Shape::Str => "a string".to_owned(),
        Shape::Option(_) => "option".to_owned(),
        Shape::List(_) => "a sequence".to_owned(),
        Shape::Struct(s) => format!("struct {}", s.name),
        Shape::Untagged(u) => format!("untagged enum {}", u.name),
    }
}

fn invalid_type(what: &Unexpected, shape: &Shape) -> Fail {
    Fail::data(format!(
        "invalid type: {}, expected {}",
        what.describe(),
        expected(shape)
    ))
}

/// What kind of value an untagged enumeration met (serde buffers it whole, then tries each
/// variant).
#[derive(Clone, Copy)]
enum AnyKind {
    Bool,
    Num(Num),
    Str,
    Other,
}

impl AnyKind {
    fn fits(self, shape: &Shape) -> bool {
        match (shape, self) {
            (Shape::Bool, AnyKind::Bool) | (Shape::Str, AnyKind::Str) => true,
            (Shape::U32, AnyKind::Num(Num::U64(v))) => v <= u64::from(u32::MAX),
            (Shape::F64, AnyKind::Num(_)) => true,
            _ => false,
        }
    }
}

struct Reader<'a> {
    lx: Lexer<'a>,
    /// Levels left before the recursion limit.
    depth: u32,
    /// Where the last key [`Reader::next_key`] read starts, and the comma before it (for the
    /// fixes, which cut members).
    key_at: (usize, Option<usize>),
    fixes: Vec<Fixup>,
}

impl Reader<'_> {
    /// serde_json's `fix_position`: a data error not placed yet is placed at the index.
    fn place(&self, mut f: Fail) -> Fail {
        f.at.get_or_insert(self.lx.i);
        f
    }

    fn peek_error(&self, code: Code) -> Fail {
        self.lx.peek_error(code).into()
    }

    /// A number (its `-` or first digit next) with its value.
    fn any_number(&mut self) -> Res<Num> {
        let n = self.lx.number(false)?;
        let Some(v) = self.lx.number_value(&n) else {
            return Err(self.lx.error(Code::OutOfRange).into());
        };
        Ok(if let Some(v) = v.as_u64() {
            Num::U64(v)
        } else if let Some(v) = v.as_i64() {
            Num::I64(v)
        } else {
            Num::F64(v.as_f64().unwrap_or(0.0))
        })
    }

    /// A string after its opening quote, decoded and checked as UTF-8 (serde_json's `parse_str`).
    fn string(&mut self) -> Res<String> {
        let s = self.lx.string(false)?;
        match String::from_utf8(self.lx.text(&s).into_owned()) {
            Ok(text) => Ok(text),
            Err(e) => {
                // serde_json reports it at the closing quote, less the bytes of the bad tail
                let bad = e.as_bytes().len() - e.utf8_error().valid_up_to();
                let mut f = Fail::from(self.lx.error(Code::BadUtf8));
                f.at = Some(self.lx.i.saturating_sub(bad));
                Err(f)
            }
        }
    }

    // ---- values ------------------------------------------------------------------------------

    /// What serde_json reports for a value (next, after whitespace) of the wrong type for
    /// `shape`: the value is read first (a syntax error in it wins).
    fn wrong_type(&mut self, shape: &Shape) -> Fail {
        let what = match self.lx.peek_or_null() {
            b'n' | b't' | b'f' => match self.lx.literal() {
                Ok(None) => Unexpected::Null,
                Ok(Some(b)) => Unexpected::Bool(b),
                Err(bad) => return bad.into(),
            },
            b'-' | b'0'..=b'9' => match self.any_number() {
                Ok(n) => Unexpected::Num(n),
                Err(f) => return f,
            },
            b'"' => {
                self.lx.i += 1;
                match self.string() {
                    Ok(s) => Unexpected::Str(s),
                    Err(f) => return f,
                }
            }
            b'[' => Unexpected::Seq,
            b'{' => Unexpected::Map,
            _ => return self.peek_error(Code::Value),
        };
        self.place(invalid_type(&what, shape))
    }

    /// One value of `shape`; `true` when it was the `null` of an optional shape.
    fn value(&mut self, shape: &'static Shape) -> Res<bool> {
        if let Shape::Option(inner) = shape {
            if self.lx.ws() == Some(b'n') {
                self.lx.i += 1;
                self.lx.ident(b"ull")?;
                return Ok(true);
            }
            return self.value(inner).map(|_| false);
        }
        let Some(peek) = self.lx.ws() else {
            return Err(self.peek_error(Code::EofValue));
        };
        let result = match (shape, peek) {
            (Shape::Untagged(u), _) => {
                let kind = self.any()?;
                if u.variants.iter().any(|v| kind.fits(v)) {
                    return Ok(false);
                }
                // made outside the deserializer: placed by the enclosing value
                return Err(Fail::data(format!(
                    "data did not match any variant of untagged enum {}",
                    u.name
                )));
            }
            (Shape::Bool, b't' | b'f') => self.lx.literal().map(drop).map_err(Fail::from),
            (Shape::U32 | Shape::F64, b'-' | b'0'..=b'9') => {
                let n = self.any_number()?;
                match (shape, n) {
                    (Shape::U32, Num::U64(v)) if v > u64::from(u32::MAX) => Err(Fail::data(
                        format!("invalid value: integer `{v}`, expected u32"),
                    )),
                    (Shape::U32, Num::I64(v)) => Err(Fail::data(format!(
                        "invalid value: integer `{v}`, expected u32"
                    ))),
                    (Shape::U32, Num::F64(_)) => Err(invalid_type(&Unexpected::Num(n), shape)),
                    _ => Ok(()),
                }
            }
            (Shape::Str, b'"') => {
                self.lx.i += 1;
                self.string().map(drop)
            }
            (Shape::List(inner), b'[') => self.nested(|r| r.list(inner), Self::end_list),
            (Shape::Struct(_), b'[') => self.nested(Self::list_for_struct, Self::end_list),
            (Shape::Struct(s), b'{') => self.nested(|r| r.object(s), Self::end_object),
            _ => Err(self.wrong_type(shape)),
        };
        result.map(|()| false).map_err(|f| self.place(f))
    }

    /// A list or an object (its opening byte next): `inside` reads what is between the brackets,
    /// `close` the closing one; serde_json runs `close` even after `inside` failed (its error
    /// wins), which moves the index that a data error is then placed at.
    fn nested(
        &mut self,
        inside: impl FnOnce(&mut Self) -> Res<()>,
        close: fn(&mut Self) -> Res<()>,
    ) -> Res<()> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(self.peek_error(Code::Recursion));
        }
        self.lx.i += 1;
        let ret = inside(self);
        self.depth += 1;
        let closed = close(self);
        ret.and(closed)
    }

    fn end_list(&mut self) -> Res<()> {
        match self.lx.ws() {
            Some(b']') => {
                self.lx.i += 1;
                Ok(())
            }
            Some(b',') => {
                self.lx.i += 1;
                Err(match self.lx.ws() {
                    Some(b']') => self.peek_error(Code::TrailingComma),
                    _ => self.peek_error(Code::Trailing),
                })
            }
            Some(_) => Err(self.peek_error(Code::Trailing)),
            None => Err(self.peek_error(Code::EofList)),
        }
    }

    fn end_object(&mut self) -> Res<()> {
        match self.lx.ws() {
            Some(b'}') => {
                self.lx.i += 1;
                Ok(())
            }
            Some(b',') => Err(self.peek_error(Code::TrailingComma)),
            Some(_) => Err(self.peek_error(Code::Trailing)),
            None => Err(self.peek_error(Code::EofObject)),
        }
    }

    /// Whether a list has another element (serde_json's `has_next_element`).
    fn next_element(&mut self, first: &mut bool) -> Res<bool> {
        let Some(peek) = self.lx.ws() else {
            return Err(self.peek_error(Code::EofList));
        };
        if peek == b']' {
            return Ok(false);
        }
        if std::mem::take(first) {
            return Ok(true);
        }
        if peek != b',' {
            return Err(self.peek_error(Code::ListCommaOrEnd));
        }
        self.lx.i += 1;
        match self.lx.ws() {
            Some(b']') => Err(self.peek_error(Code::TrailingComma)),
            Some(_) => Ok(true),
            None => Err(self.peek_error(Code::EofValue)),
        }
    }

    fn list(&mut self, inner: &'static Shape) -> Res<()> {
        let mut first = true;
        while self.next_element(&mut first)? {
            self.value(inner)?;
        }
        Ok(())
    }

    /// Stricter than serde, which fills a struct from a list by position: the list is read whole
    /// and refused as such (intended difference D1 of the differential test).
    fn list_for_struct(&mut self) -> Res<()> {
        let mut first = true;
        while self.next_element(&mut first)? {
            self.skip()?;
        }
        Err(Fail::data("a list where an object was expected".to_owned()))
    }

    /// Whether an object has another key, and the key (serde_json's `has_next_key`, then the
    /// key read as a string).
    fn next_key(&mut self, first: &mut bool) -> Res<Option<String>> {
        let Some(peek) = self.lx.ws() else {
            return Err(self.peek_error(Code::EofObject));
        };
        if peek == b'}' {
            return Ok(None);
        }
        let mut comma = None;
        if std::mem::take(first) {
            if peek != b'"' {
                return Err(self.peek_error(Code::KeyString));
            }
        } else if peek == b',' {
            comma = Some(self.lx.i);
            self.lx.i += 1;
            match self.lx.ws() {
                Some(b'"') => {}
                Some(b'}') => return Err(self.peek_error(Code::TrailingComma)),
                Some(_) => return Err(self.peek_error(Code::KeyString)),
                None => return Err(self.peek_error(Code::EofValue)),
            }
        } else {
            return Err(self.peek_error(Code::ObjectCommaOrEnd));
        }
        self.key_at = (self.lx.i, comma);
        self.lx.i += 1;
        self.string().map(Some)
    }

    fn colon(&mut self) -> Res<()> {
        match self.lx.ws() {
            Some(b':') => {
                self.lx.i += 1;
                Ok(())
            }
            Some(_) => Err(self.peek_error(Code::Colon)),
            None => Err(self.peek_error(Code::EofObject)),
        }
    }

    fn object(&mut self, s: &'static Struct) -> Res<()> {
        let mut first = true;
        let mut seen: u64 = 0;
        let mut members = Members::new();
        while let Some(key) = self.next_key(&mut first)? {
            let key_at = self.key_at;
            let Some(i) = s.fields.iter().position(|f| f.name == key) else {
                self.colon()?;
                self.skip()?;
                members.keep();
                continue;
            };
            let field = &s.fields[i];
            let bit = 1u64 << i;
            if seen & bit != 0 {
                return Err(Fail::data(format!("duplicate field `{}`", field.name)));
            }
            seen |= bit;
            self.colon()?;
            let null = self.value(field.shape)?;
            if null {
                members.null(&mut self.fixes, self.lx.b, field, key_at, self.lx.i);
            } else {
                members.keep();
            }
        }
        // `next_key` stopped at the `}`
        let close = self.lx.i;
        // serde reports the first missing field in declaration order
        for (i, field) in s.fields.iter().enumerate() {
            if seen & (1u64 << i) == 0 {
                if field.required {
                    return Err(Fail::data(format!("missing field `{}`", field.name)));
                }
                if field.fill {
                    members.missing(&mut self.fixes, field, close);
                }
            }
        }
        Ok(())
    }

    /// Any value, read whole, for an untagged enumeration (serde_json's `deserialize_any`).
    fn any(&mut self) -> Res<AnyKind> {
        let Some(peek) = self.lx.ws() else {
            return Err(self.peek_error(Code::EofValue));
        };
        match peek {
            b'n' => {
                self.lx.i += 1;
                self.lx.ident(b"ull")?;
                Ok(AnyKind::Other)
            }
            b't' => {
                self.lx.i += 1;
                self.lx.ident(b"rue")?;
                Ok(AnyKind::Bool)
            }
            b'f' => {
                self.lx.i += 1;
                self.lx.ident(b"alse")?;
                Ok(AnyKind::Bool)
            }
            b'-' | b'0'..=b'9' => self.any_number().map(AnyKind::Num),
            b'"' => {
                self.lx.i += 1;
                self.string().map(|_| AnyKind::Str)
            }
            b'[' => self
                .nested(
                    |r| {
                        let mut first = true;
                        while r.next_element(&mut first)? {
                            r.any()?;
                        }
                        Ok(())
                    },
                    Self::end_list,
                )
                .map(|()| AnyKind::Other),
            b'{' => self
                .nested(
                    |r| {
                        let mut first = true;
                        while r.next_key(&mut first)?.is_some() {
                            r.colon()?;
                            r.any()?;
                        }
                        Ok(())
                    },
                    Self::end_object,
                )
                .map(|()| AnyKind::Other),
            _ => Err(self.peek_error(Code::Value)),
        }
    }

    /// Any value skipped (serde_json's `ignore_value`): no recursion limit, strings not checked
    /// as UTF-8, numbers by grammar only. Iterative: the open brackets are kept in a list.
    fn skip(&mut self) -> Res<()> {
        let mut open: Vec<u8> = Vec::new();
        let mut enclosing: Option<u8> = None;
        loop {
            let Some(peek) = self.lx.ws() else {
                return Err(self.peek_error(Code::EofValue));
            };
            let frame = match peek {
                b'n' => {
                    self.lx.i += 1;
                    self.lx.ident(b"ull")?;
                    None
                }
                b't' => {
                    self.lx.i += 1;
                    self.lx.ident(b"rue")?;
                    None
                }
                b'f' => {
                    self.lx.i += 1;
                    self.lx.ident(b"alse")?;
                    None
                }
                b'-' | b'0'..=b'9' => {
                    self.lx.number(true)?;
                    None
                }
                b'"' => {
                    self.lx.i += 1;
                    self.lx.string(true)?;
                    None
                }
                b'[' | b'{' => {
                    open.extend(enclosing.take());
                    self.lx.i += 1;
                    Some(peek)
                }
                _ => return Err(self.peek_error(Code::Value)),
            };
            let (mut accept_comma, mut frame) = match frame {
                Some(frame) => (false, frame),
                None => match enclosing.take().or_else(|| open.pop()) {
                    Some(frame) => (true, frame),
                    None => return Ok(()),
                },
            };
            loop {
                match self.lx.ws() {
                    Some(b',') if accept_comma => {
                        self.lx.i += 1;
                        break;
                    }
                    Some(b']') if frame == b'[' => {}
                    Some(b'}') if frame == b'{' => {}
                    Some(_) if accept_comma => {
                        return Err(self.peek_error(if frame == b'[' {
                            Code::ListCommaOrEnd
                        } else {
                            Code::ObjectCommaOrEnd
                        }));
                    }
                    Some(_) => break,
                    None => {
                        return Err(self.peek_error(if frame == b'[' {
                            Code::EofList
                        } else {
                            Code::EofObject
                        }));
                    }
                }
                self.lx.i += 1;
                match open.pop() {
                    Some(f) => frame = f,
                    None => return Ok(()),
                }
                accept_comma = true;
            }
            if frame == b'{' {
                match self.lx.ws() {
                    Some(b'"') => self.lx.i += 1,
                    Some(_) => return Err(self.peek_error(Code::KeyString)),
                    None => return Err(self.peek_error(Code::EofObject)),
                }
                self.lx.string(true)?;
                match self.lx.ws() {
                    Some(b':') => self.lx.i += 1,
                    Some(_) => return Err(self.peek_error(Code::Colon)),
                    None => return Err(self.peek_error(Code::EofObject)),
                }
            }
            enclosing = Some(frame);
        }
    }
}
