//! The full check: a body read byte by byte against a [`Shape`], refusing exactly what the typed
//! decode (`serde_json::from_slice` into the model) refuses, at the same position and with the
//! same words, without building anything.
//!
//! Why by hand: driving serde_json's parser with a serde visitor would keep serde_json's
//! deserializer, serde's `Unexpected` and, through it, core's whole `f64` `Display` (Grisu,
//! Dragon and their tables) in the `.wasm`, a large share of the package (bench/FINDINGS.md) for
//! a path that only runs on bodies the fast scanner (`fast.rs`) gives up on. What it has to reproduce is
//! serde_json's observable behaviour: its grammar, its error codes and the byte at which each is
//! reported (`error` at the reader's index, `peek_error` one byte further, a data error at the
//! index where the enclosing value's reading stops), serde's messages for the model's types, and
//! the 128-level recursion limit. `crates/core/tests/shape_differential.rs` holds the two equal
//! (verdict, path and message) on the hostile corpus, the API document's examples and mutated
//! bodies.
//!
//! A number's value (needed for a range check or a message) is computed by
//! `serde_json::Number::from_str` once this reader has found the number valid: the same
//! arithmetic as the typed decode's, without the deserializer's visitors.

use std::str::FromStr as _;

use super::fix::{Fixup, Members};
use super::{Shape, Struct};
use crate::error::Error;
use crate::response::{decode_failure, Failure, Kind};

/// serde_json's recursion limit: the 128th nested list or object is refused.
const DEPTH: u32 = 128;

/// Checks `body` against `shape` (see the module documentation).
///
/// # Errors
/// The [`Error::Decode`] of the typed decode for the same body.
pub(super) fn check(shape: &'static Shape, body: &[u8]) -> Result<Vec<Fixup>, Error> {
    let mut r = Reader {
        b: body,
        i: 0,
        depth: DEPTH,
        key_at: (0, None),
        fixes: Vec::new(),
    };
    match r.value(shape).and_then(|_| r.end()) {
        Ok(()) => Ok(r.fixes),
        Err(f) => Err(decode_failure(
            body,
            &Failure {
                kind: f.kind,
                message: &f.message,
                line: f.line,
                column: f.column,
            },
        )),
    }
}

/// A refusal: serde_json's category, its words, and its position (line 0: not placed yet).
struct Fail {
    kind: Kind,
    message: String,
    line: usize,
    column: usize,
}

impl Fail {
    /// A data error (serde's wording), placed later by the enclosing value ([`Reader::place`]).
    fn data(message: String) -> Fail {
        Fail {
            kind: Kind::Data,
            message,
            line: 0,
            column: 0,
        }
    }
}

type Res<T> = Result<T, Fail>;

/// serde_json's syntax and EOF error codes, by their words.
#[derive(Clone, Copy)]
enum Code {
    EofValue,
    EofList,
    EofObject,
    EofString,
    Colon,
    ListCommaOrEnd,
    ObjectCommaOrEnd,
    Ident,
    Value,
    Escape,
    Number,
    OutOfRange,
    BadUtf8,
    Control,
    KeyString,
    LoneSurrogate,
    TrailingComma,
    Trailing,
    HexEnd,
    Recursion,
}

impl Code {
    fn words(self) -> (Kind, &'static str) {
        use Code::*;
        match self {
            EofValue => (Kind::Eof, "EOF while parsing a value"),
            EofList => (Kind::Eof, "EOF while parsing a list"),
            EofObject => (Kind::Eof, "EOF while parsing an object"),
            EofString => (Kind::Eof, "EOF while parsing a string"),
            Colon => (Kind::Syntax, "expected `:`"),
            ListCommaOrEnd => (Kind::Syntax, "expected `,` or `]`"),
            ObjectCommaOrEnd => (Kind::Syntax, "expected `,` or `}`"),
            Ident => (Kind::Syntax, "expected ident"),
            Value => (Kind::Syntax, "expected value"),
            Escape => (Kind::Syntax, "invalid escape"),
            Number => (Kind::Syntax, "invalid number"),
            OutOfRange => (Kind::Syntax, "number out of range"),
            BadUtf8 => (Kind::Syntax, "invalid unicode code point"),
            Control => (
                Kind::Syntax,
                "control character (\\u0000-\\u001F) found while parsing a string",
            ),
            KeyString => (Kind::Syntax, "key must be a string"),
            LoneSurrogate => (Kind::Syntax, "lone leading surrogate in hex escape"),
            TrailingComma => (Kind::Syntax, "trailing comma"),
            Trailing => (Kind::Syntax, "trailing characters"),
            HexEnd => (Kind::Syntax, "unexpected end of hex escape"),
            Recursion => (Kind::Syntax, "recursion limit exceeded"),
        }
    }
}

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
    b: &'a [u8],
    i: usize,
    /// Levels left before the recursion limit.
    depth: u32,
    /// Where the last key [`Reader::next_key`] read starts, and the comma before it (for the
    /// fixes, which cut members).
    key_at: (usize, Option<usize>),
    fixes: Vec<Fixup>,
}

impl Reader<'_> {
    // ---- positions and errors -----------------------------------------------------------------

    /// serde_json's (1-based line, 0-based column) of byte index `i`.
    fn position(&self, i: usize) -> (usize, usize) {
        let before = &self.b[..i.min(self.b.len())];
        let start = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1);
        let line = 1 + before[..start].iter().filter(|&&c| c == b'\n').count();
        (line, i - start)
    }

    fn fail_at(&self, code: Code, i: usize) -> Fail {
        let (kind, words) = code.words();
        let (line, column) = self.position(i);
        Fail {
            kind,
            message: words.to_owned(),
            line,
            column,
        }
    }

    /// serde_json's `error`: at the reader's index.
    fn error(&self, code: Code) -> Fail {
        self.fail_at(code, self.i)
    }

    /// serde_json's `peek_error`: one byte past the reader's index.
    fn peek_error(&self, code: Code) -> Fail {
        self.fail_at(code, (self.i + 1).min(self.b.len()))
    }

    /// serde_json's `fix_position`: a data error not placed yet is placed at the index.
    fn place(&self, mut f: Fail) -> Fail {
        if f.line == 0 {
            (f.line, f.column) = self.position(self.i);
        }
        f
    }

    // ---- bytes -------------------------------------------------------------------------------

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// The next byte, or 0 at the end (serde_json's `peek_or_null`).
    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    /// Skips whitespace; the next byte, not consumed.
    fn ws(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
        self.peek()
    }

    /// The rest of `null`, `true` or `false` after its first byte.
    fn ident(&mut self, rest: &[u8]) -> Res<()> {
        for &want in rest {
            match self.next() {
                None => return Err(self.error(Code::EofValue)),
                Some(c) if c != want => return Err(self.error(Code::Ident)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn end(&mut self) -> Res<()> {
        match self.ws() {
            Some(_) => Err(self.peek_error(Code::Trailing)),
            None => Ok(()),
        }
    }

    // ---- numbers -----------------------------------------------------------------------------

    /// A number from its first digit (after any `-`, consumed by the caller; `start` is where the
    /// number began). `ignore`: the grammar of serde_json's skipping of an unknown value, which
    /// words a few errors differently and computes no value.
    fn number(&mut self, start: usize, ignore: bool) -> Res<Option<Num>> {
        let mut nonzero = false;
        match self.next() {
            Some(b'0') => {
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(Code::Number));
                }
            }
            Some(c @ b'1'..=b'9') => {
                nonzero |= c != b'0';
                while self.peek_or_null().is_ascii_digit() {
                    self.i += 1;
                }
            }
            None if !ignore => return Err(self.error(Code::EofValue)),
            _ => return Err(self.error(Code::Number)),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            let digits = self.i;
            while let Some(c @ b'0'..=b'9') = self.peek() {
                nonzero |= c != b'0';
                self.i += 1;
            }
            if self.i == digits {
                return Err(match self.peek() {
                    None if !ignore => self.peek_error(Code::EofValue),
                    _ => self.peek_error(Code::Number),
                });
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            let positive = match self.peek() {
                Some(b'+') => {
                    self.i += 1;
                    true
                }
                Some(b'-') => {
                    self.i += 1;
                    false
                }
                _ => true,
            };
            match self.next() {
                Some(b'0'..=b'9') => {}
                None if !ignore => return Err(self.error(Code::EofValue)),
                // skipping reads the end as a 0 byte, which is not a digit either
                Some(_) | None => return Err(self.error(Code::Number)),
            }
            // serde_json keeps the exponent in an i32 and refuses one that overflows it for a
            // non-zero number with a positive exponent, at the digit that overflowed
            let mut exp: i32 = i32::from(self.b[self.i - 1] - b'0');
            while let Some(c @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                let digit = i32::from(c - b'0');
                match exp.checked_mul(10).and_then(|e| e.checked_add(digit)) {
                    Some(e) => exp = e,
                    None => {
                        if !ignore && positive && nonzero {
                            return Err(self.error(Code::OutOfRange));
                        }
                        while self.peek_or_null().is_ascii_digit() {
                            self.i += 1;
                        }
                        break;
                    }
                }
            }
        }
        if ignore {
            return Ok(None);
        }
        let text = std::str::from_utf8(&self.b[start..self.i]).unwrap_or_default();
        match serde_json::Number::from_str(text) {
            Ok(n) => Ok(Some(if let Some(v) = n.as_u64() {
                Num::U64(v)
            } else if let Some(v) = n.as_i64() {
                Num::I64(v)
            } else {
                Num::F64(n.as_f64().unwrap_or(0.0))
            })),
            Err(_) => Err(self.error(Code::OutOfRange)),
        }
    }

    /// A number whose first byte (`-` or a digit) is next.
    fn any_number(&mut self) -> Res<Num> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        // never None when not ignoring
        Ok(self.number(start, false)?.unwrap_or(Num::U64(0)))
    }

    // ---- strings -----------------------------------------------------------------------------

    /// Skips the bytes of a string that need no look: up to a quote, a backslash, a control
    /// byte or the end.
    fn plain_run(&mut self) {
        while let Some(c) = self.peek() {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            self.i += 1;
        }
    }

    /// A string after its opening quote, decoded and checked as UTF-8 (serde_json's `parse_str`).
    fn string(&mut self) -> Res<String> {
        let mut out: Vec<u8> = Vec::new();
        let mut start = self.i;
        loop {
            self.plain_run();
            match self.peek() {
                None => return Err(self.error(Code::EofString)),
                Some(b'"') => {
                    out.extend_from_slice(&self.b[start..self.i]);
                    self.i += 1;
                    return match String::from_utf8(out) {
                        Ok(s) => Ok(s),
                        Err(e) => {
                            let bad = e.as_bytes().len() - e.utf8_error().valid_up_to();
                            let mut f = self.error(Code::BadUtf8);
                            f.column = f.column.saturating_sub(bad);
                            Err(f)
                        }
                    };
                }
                Some(b'\\') => {
                    out.extend_from_slice(&self.b[start..self.i]);
                    self.i += 1;
                    self.escape(&mut out)?;
                    start = self.i;
                }
                Some(_) => {
                    self.i += 1;
                    return Err(self.error(Code::Control));
                }
            }
        }
    }

    /// One escape after its backslash, appended to `out`.
    fn escape(&mut self, out: &mut Vec<u8>) -> Res<()> {
        let simple = match self.next() {
            None => return Err(self.error(Code::EofString)),
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => return self.unicode_escape(out),
            Some(_) => return Err(self.error(Code::Escape)),
        };
        out.push(simple);
        Ok(())
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Res<u16> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.error(Code::EofString));
        };
        self.i += 4;
        let mut n: u16 = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(Code::Escape)),
            };
            n = n << 4 | u16::from(v);
        }
        Ok(n)
    }

    /// A `\u` escape after its `u`: a code point, or a surrogate pair.
    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Res<()> {
        let n = self.hex4()?;
        let code = match n {
            0xDC00..=0xDFFF => return Err(self.error(Code::LoneSurrogate)),
            0xD800..=0xDBFF => {
                for want in [b'\\', b'u'] {
                    match self.next() {
                        None => return Err(self.error(Code::EofString)),
                        Some(c) if c != want => return Err(self.error(Code::HexEnd)),
                        Some(_) => {}
                    }
                }
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.error(Code::LoneSurrogate));
                }
                ((u32::from(n) - 0xD800) << 10 | (u32::from(low) - 0xDC00)) + 0x1_0000
            }
            n => u32::from(n),
        };
        // every code point here is a scalar value (surrogates were refused above)
        let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }

    /// A string after its opening quote, skipped (serde_json's `ignore_str`: escapes checked,
    /// UTF-8 not).
    fn skip_string(&mut self) -> Res<()> {
        loop {
            self.plain_run();
            match self.peek() {
                None => return Err(self.error(Code::EofString)),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.next() {
                        None => return Err(self.error(Code::EofString)),
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
                        Some(b'u') => {
                            self.hex4()?;
                        }
                        Some(_) => return Err(self.error(Code::Escape)),
                    }
                }
                Some(_) => return Err(self.error(Code::Control)),
            }
        }
    }

    // ---- values ------------------------------------------------------------------------------

    /// What serde_json reports for a value (next, after whitespace) of the wrong type for
    /// `shape`: the value is read first (a syntax error in it wins).
    fn wrong_type(&mut self, shape: &Shape) -> Fail {
        let what = match self.peek_or_null() {
            b'n' => {
                self.i += 1;
                if let Err(f) = self.ident(b"ull") {
                    return f;
                }
                Unexpected::Null
            }
            b't' => {
                self.i += 1;
                if let Err(f) = self.ident(b"rue") {
                    return f;
                }
                Unexpected::Bool(true)
            }
            b'f' => {
                self.i += 1;
                if let Err(f) = self.ident(b"alse") {
                    return f;
                }
                Unexpected::Bool(false)
            }
            b'-' | b'0'..=b'9' => match self.any_number() {
                Ok(n) => Unexpected::Num(n),
                Err(f) => return f,
            },
            b'"' => {
                self.i += 1;
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
            if self.ws() == Some(b'n') {
                self.i += 1;
                self.ident(b"ull")?;
                return Ok(true);
            }
            return self.value(inner).map(|_| false);
        }
        let Some(peek) = self.ws() else {
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
            (Shape::Bool, b't') => {
                self.i += 1;
                self.ident(b"rue")
            }
            (Shape::Bool, b'f') => {
                self.i += 1;
                self.ident(b"alse")
            }
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
                self.i += 1;
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
        self.i += 1;
        let ret = inside(self);
        self.depth += 1;
        let closed = close(self);
        ret.and(closed)
    }

    fn end_list(&mut self) -> Res<()> {
        match self.ws() {
            Some(b']') => {
                self.i += 1;
                Ok(())
            }
            Some(b',') => {
                self.i += 1;
                Err(match self.ws() {
                    Some(b']') => self.peek_error(Code::TrailingComma),
                    _ => self.peek_error(Code::Trailing),
                })
            }
            Some(_) => Err(self.peek_error(Code::Trailing)),
            None => Err(self.peek_error(Code::EofList)),
        }
    }

    fn end_object(&mut self) -> Res<()> {
        match self.ws() {
            Some(b'}') => {
                self.i += 1;
                Ok(())
            }
            Some(b',') => Err(self.peek_error(Code::TrailingComma)),
            Some(_) => Err(self.peek_error(Code::Trailing)),
            None => Err(self.peek_error(Code::EofObject)),
        }
    }

    /// Whether a list has another element (serde_json's `has_next_element`).
    fn next_element(&mut self, first: &mut bool) -> Res<bool> {
        let Some(peek) = self.ws() else {
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
        self.i += 1;
        match self.ws() {
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
        let Some(peek) = self.ws() else {
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
            comma = Some(self.i);
            self.i += 1;
            match self.ws() {
                Some(b'"') => {}
                Some(b'}') => return Err(self.peek_error(Code::TrailingComma)),
                Some(_) => return Err(self.peek_error(Code::KeyString)),
                None => return Err(self.peek_error(Code::EofValue)),
            }
        } else {
            return Err(self.peek_error(Code::ObjectCommaOrEnd));
        }
        self.key_at = (self.i, comma);
        self.i += 1;
        self.string().map(Some)
    }

    fn colon(&mut self) -> Res<()> {
        match self.ws() {
            Some(b':') => {
                self.i += 1;
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
                members.null(&mut self.fixes, self.b, field, key_at, self.i);
            } else {
                members.keep();
            }
        }
        // `next_key` stopped at the `}`
        let close = self.i;
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
        let Some(peek) = self.ws() else {
            return Err(self.peek_error(Code::EofValue));
        };
        match peek {
            b'n' => {
                self.i += 1;
                self.ident(b"ull")?;
                Ok(AnyKind::Other)
            }
            b't' => {
                self.i += 1;
                self.ident(b"rue")?;
                Ok(AnyKind::Bool)
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse")?;
                Ok(AnyKind::Bool)
            }
            b'-' | b'0'..=b'9' => self.any_number().map(AnyKind::Num),
            b'"' => {
                self.i += 1;
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
            let Some(peek) = self.ws() else {
                return Err(self.peek_error(Code::EofValue));
            };
            let frame = match peek {
                b'n' => {
                    self.i += 1;
                    self.ident(b"ull")?;
                    None
                }
                b't' => {
                    self.i += 1;
                    self.ident(b"rue")?;
                    None
                }
                b'f' => {
                    self.i += 1;
                    self.ident(b"alse")?;
                    None
                }
                b'-' | b'0'..=b'9' => {
                    let start = self.i;
                    if peek == b'-' {
                        self.i += 1;
                    }
                    self.number(start, true)?;
                    None
                }
                b'"' => {
                    self.i += 1;
                    self.skip_string()?;
                    None
                }
                b'[' | b'{' => {
                    open.extend(enclosing.take());
                    self.i += 1;
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
                match self.ws() {
                    Some(b',') if accept_comma => {
                        self.i += 1;
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
                self.i += 1;
                match open.pop() {
                    Some(f) => frame = f,
                    None => return Ok(()),
                }
                accept_comma = true;
            }
            if frame == b'{' {
                match self.ws() {
                    Some(b'"') => self.i += 1,
                    Some(_) => return Err(self.peek_error(Code::KeyString)),
                    None => return Err(self.peek_error(Code::EofObject)),
                }
                self.skip_string()?;
                match self.ws() {
                    Some(b':') => self.i += 1,
                    Some(_) => return Err(self.peek_error(Code::Colon)),
                    None => return Err(self.peek_error(Code::EofObject)),
                }
            }
            enclosing = Some(frame);
        }
    }
}
