//! JSON text to a [`Json`] view: a small recursive reader.
//!
//! Written by hand rather than through serde_json's `Deserializer` and a visitor: the text is
//! `JSON.stringify`'s output (compact, already a Rust `&str`, so UTF-8 needs no second check),
//! and serde_json's generic machinery (a visitor call per value, `MapAccess` per key, UTF-8
//! validation of every string) was a third of `validateCreateCluster` (bench/FINDINGS.md). It
//! accepts and refuses exactly what `serde_json::from_str::<Value>` does (whitespace, escapes,
//! surrogate pairs, the nesting limit of 128); numbers other than plain integers that fit are
//! handed to serde_json itself, so every `Number` is the one a `Value` would hold. Checked
//! against serde_json by the tests of `view.rs`.

use bumpalo::Bump;
use serde_json::Number;

use super::view::{Json, Obj};

/// The text is not JSON (what exactly does not matter to the callers: a `type` violation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

/// serde_json's default recursion limit: a container nested this deep is refused.
const DEPTH: usize = 128;

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Containers that may still be opened (serde_json's `remaining_depth`).
    depth: usize,
    arena: &'a Bump,
    /// The items of the lists being read, innermost last (moved to the arena when a list ends).
    items: Vec<Json<'a>>,
    /// The entries of the objects being read, likewise.
    entries: Vec<(&'a str, Json<'a>)>,
}

// `Json::parse` lives here rather than beside the type in `view.rs`: the view, which this reader
// builds, stays below the reader and names nothing of it.
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
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: DEPTH,
        arena,
        items: Vec::new(),
        entries: Vec::new(),
    };
    let v = r.value()?;
    r.space();
    if r.at == r.bytes.len() {
        Ok(v)
    } else {
        Err(NotJson)
    }
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8], v: Json<'a>) -> Result<Json<'a>, NotJson> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(v)
        } else {
            Err(NotJson)
        }
    }

    fn value(&mut self) -> Result<Json<'a>, NotJson> {
        self.space();
        match self.peek().ok_or(NotJson)? {
            b'n' => self.literal(b"null", Json::Null),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => {
                self.enter()?;
                self.at += 1;
                let mark = self.items.len();
                self.space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                } else {
                    loop {
                        let item = self.value()?;
                        self.items.push(item);
                        self.space();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(NotJson),
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
                self.at += 1;
                let mark = self.entries.len();
                self.space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.space();
                        if self.peek() != Some(b'"') {
                            return Err(NotJson);
                        }
                        let k = self.string()?;
                        self.space();
                        if self.peek() != Some(b':') {
                            return Err(NotJson);
                        }
                        self.at += 1;
                        let v = self.value()?;
                        self.entries.push((k, v));
                        self.space();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(NotJson),
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

    fn enter(&mut self) -> Result<(), NotJson> {
        self.depth -= 1;
        if self.depth == 0 {
            Err(NotJson)
        } else {
            Ok(())
        }
    }

    /// A number: a plain integer that fits `u64` (or `i64` when negative) is read here; any
    /// other (fraction, exponent, too large, `-0`) by serde_json, for the same `Number`.
    fn number(&mut self) -> Result<Json<'a>, NotJson> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let digits = self.at;
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.at += 1;
                }
            }
            _ => return Err(NotJson),
        }
        let int_end = self.at;
        let mut plain = true;
        if self.peek() == Some(b'.') {
            plain = false;
            self.at += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            plain = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.digits()?;
        }
        if plain {
            let mut n: u64 = 0;
            let mut fits = true;
            for &b in &self.bytes[digits..int_end] {
                match n
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(u64::from(b - b'0')))
                {
                    Some(x) => n = x,
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            if fits && !negative {
                return Ok(Json::Number(n.into()));
            }
            if fits && n != 0 {
                if let Some(i) = 0i64.checked_sub_unsigned(n) {
                    return Ok(Json::Number(i.into()));
                }
            }
        }
        // as a `Value` holds it: serde_json's own number reader (the one the response check
        // uses); a non-finite result is refused there
        match std::str::from_utf8(&self.bytes[start..self.at]).map(str::parse::<Number>) {
            Ok(Ok(n)) => Ok(Json::Number(n)),
            _ => Err(NotJson),
        }
    }

    fn digits(&mut self) -> Result<(), NotJson> {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        if self.at == start {
            Err(NotJson)
        } else {
            Ok(())
        }
    }

    /// A string (the reader is on its opening quote): borrowed when it has no escape.
    fn string(&mut self) -> Result<&'a str, NotJson> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.peek().ok_or(NotJson)? {
                b'"' => {
                    let s = &self.text[start..self.at];
                    self.at += 1;
                    return Ok(s);
                }
                b'\\' => break,
                0x00..=0x1f => return Err(NotJson),
                _ => self.at += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.at]);
        loop {
            let run = self.at;
            loop {
                match self.peek().ok_or(NotJson)? {
                    b'"' | b'\\' => break,
                    0x00..=0x1f => return Err(NotJson),
                    _ => self.at += 1,
                }
            }
            out.push_str(&self.text[run..self.at]);
            if self.peek() == Some(b'"') {
                self.at += 1;
                return Ok(self.arena.alloc_str(&out));
            }
            self.at += 1;
            let e = self.peek().ok_or(NotJson)?;
            self.at += 1;
            match e {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let c = self.hex4()?;
                    let c = match c {
                        0xD800..=0xDBFF => {
                            if !self.bytes[self.at..].starts_with(b"\\u") {
                                return Err(NotJson);
                            }
                            self.at += 2;
                            let low = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&low) {
                                return Err(NotJson);
                            }
                            0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00)
                        }
                        0xDC00..=0xDFFF => return Err(NotJson),
                        c => c,
                    };
                    out.push(char::from_u32(c).ok_or(NotJson)?);
                }
                _ => return Err(NotJson),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or(NotJson)?;
        let mut c = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(NotJson),
            };
            c = c * 16 + u32::from(v);
        }
        self.at += 4;
        Ok(c)
    }
}
