//! JSON text to a [`Json`] view: a small recursive reader over the core's lexer
//! (`crate::lexer`), which decides what is JSON.
//!
//! Written by hand rather than through serde_json's `Deserializer` and a visitor: the text is
//! `JSON.stringify`'s output (compact, already a Rust `&str`, so UTF-8 needs no second check),
//! and serde_json's generic machinery (a visitor call per value, `MapAccess` per key, UTF-8
//! validation of every string) was a third of `validateCreateCluster` (bench/FINDINGS.md). It
//! accepts and refuses exactly what `serde_json::from_str::<Value>` does (whitespace, escapes,
//! surrogate pairs, the nesting limit of 128); numbers other than plain integers that fit are
//! handed to serde_json itself, so every `Number` is the one a `Value` would hold. Checked
//! against serde_json by the tests of `view.rs`.

use std::borrow::Cow;

use bumpalo::Bump;

use super::view::{Json, Obj};
use crate::lexer::{Bad, Lexer, DEPTH};

/// The text is not JSON (what exactly does not matter to the callers: a `type` violation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

impl From<Bad> for NotJson {
    fn from(_: Bad) -> Self {
        NotJson
    }
}

struct Reader<'a> {
    lx: Lexer<'a>,
    text: &'a str,
    /// Containers that may still be opened (serde_json's `remaining_depth`).
    depth: u32,
    arena: &'a Bump,
    /// The items of the lists being read, innermost last (moved to the arena when a list ends).
    items: Vec<Json<'a>>,
    /// The entries of the objects being read, likewise.
    entries: Vec<(&'a str, Json<'a>)>,
}

impl<'a> Json<'a> {
    /// JSON text read as `serde_json::from_str::<Value>` would (by this module's reader);
    /// strings without escapes stay borrowed; lists, objects and unescaped strings go to `arena`.
    ///
    /// # Errors
    /// [`NotJson`] for text serde_json refuses (nesting deeper than its limit included).
    pub fn parse(text: &'a str, arena: &'a Bump) -> Result<Self, NotJson> {
        parse(text, arena)
    }
}

/// Reads the whole of `text` as one JSON value (surrounding whitespace allowed).
fn parse<'a>(text: &'a str, arena: &'a Bump) -> Result<Json<'a>, NotJson> {
    let mut r = Reader {
        lx: Lexer::new(text.as_bytes()),
        text,
        depth: DEPTH,
        arena,
        items: Vec::new(),
        entries: Vec::new(),
    };
    let v = r.value()?;
    r.lx.end()?;
    Ok(v)
}

impl<'a> Reader<'a> {
    fn value(&mut self) -> Result<Json<'a>, NotJson> {
        match self.lx.ws().ok_or(NotJson)? {
            b'n' | b't' | b'f' => Ok(match self.lx.literal()? {
                None => Json::Null,
                Some(b) => Json::Bool(b),
            }),
            b'"' => {
                self.lx.i += 1;
                self.string().map(Json::String)
            }
            b'[' => {
                self.enter()?;
                let mark = self.items.len();
                if self.lx.ws() == Some(b']') {
                    self.lx.i += 1;
                } else {
                    loop {
                        let item = self.value()?;
                        self.items.push(item);
                        if !self.separator(b']')? {
                            break;
                        }
                    }
                }
                self.depth += 1;
                let arena = self.arena;
                Ok(Json::Array(
                    arena.alloc_slice_fill_iter(self.items.drain(mark..)),
                ))
            }
            b'{' => {
                self.enter()?;
                let mark = self.entries.len();
                if self.lx.ws() == Some(b'}') {
                    self.lx.i += 1;
                } else {
                    loop {
                        if self.lx.ws() != Some(b'"') {
                            return Err(NotJson);
                        }
                        self.lx.i += 1;
                        let k = self.string()?;
                        if self.lx.ws() != Some(b':') {
                            return Err(NotJson);
                        }
                        self.lx.i += 1;
                        let v = self.value()?;
                        self.entries.push((k, v));
                        if !self.separator(b'}')? {
                            break;
                        }
                    }
                }
                self.depth += 1;
                let arena = self.arena;
                Ok(Json::Object(Obj::from_entries(
                    arena.alloc_slice_fill_iter(self.entries.drain(mark..)),
                )))
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(NotJson),
        }
    }

    /// Past the opening bracket of a list or an object, one level deeper.
    fn enter(&mut self) -> Result<(), NotJson> {
        self.depth -= 1;
        self.lx.i += 1;
        if self.depth == 0 {
            Err(NotJson)
        } else {
            Ok(())
        }
    }

    /// After an item: `true` past a comma, `false` past the `close` bracket.
    fn separator(&mut self, close: u8) -> Result<bool, NotJson> {
        match self.lx.ws() {
            Some(b',') => {
                self.lx.i += 1;
                Ok(true)
            }
            Some(c) if c == close => {
                self.lx.i += 1;
                Ok(false)
            }
            _ => Err(NotJson),
        }
    }

    /// A number: a plain integer that fits `u64` (or `i64` when negative) is read here; any
    /// other (fraction, exponent, too large, `-0`) by serde_json, for the same `Number`.
    fn number(&mut self) -> Result<Json<'a>, NotJson> {
        let n = self.lx.number(false)?;
        if n.is_plain_integer() {
            let digits = &self.lx.b[n.end - n.int_digits..n.end];
            let value = digits.iter().try_fold(0u64, |v, &d| {
                v.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            });
            match value {
                Some(v) if !n.negative => return Ok(Json::Number(v.into())),
                Some(v) if v != 0 => {
                    if let Some(i) = 0i64.checked_sub_unsigned(v) {
                        return Ok(Json::Number(i.into()));
                    }
                }
                _ => {}
            }
        }
        // as a `Value` holds it: serde_json's own number reader (the one the response check
        // uses); a non-finite result is refused there
        self.lx.number_value(&n).map(Json::Number).ok_or(NotJson)
    }

    /// A string after its opening quote: borrowed when it has no escape.
    fn string(&mut self) -> Result<&'a str, NotJson> {
        let start = self.lx.i;
        // the plain case first, inlined here (through `Lexer::string`, a call, validation measured
        // 13 % slower); slices between two quotes of a `str` are on character boundaries
        if let Some(plain) = self.lx.plain_string() {
            return self.text.get(start..start + plain.len()).ok_or(NotJson);
        }
        let s = self.lx.string(false)?;
        match self.lx.text(&s) {
            Cow::Borrowed(_) => self.text.get(s.start..s.end).ok_or(NotJson),
            Cow::Owned(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| NotJson)?;
                Ok(self.arena.alloc_str(&text))
            }
        }
    }
}
