//! The fast path of [`super::check_with_fixes`]: a byte scanner for the plain JSON servers send
//! (ASCII strings without escapes, numbers without surprises) that either accepts a body, with
//! the same fixes as the full check, or gives up. It never refuses: whenever a body is anything
//! but plain and acceptable (an error, an escape, a non-ASCII byte, an exponent on a typed
//! number, a duplicate field, an untagged value ...), it answers `None` and the full check
//! (`full.rs`) runs, which gives the exact verdict and error. So it only has to be
//! sound: every body it accepts is one serde_json's typed decode accepts.
//!
//! Why a second reader: the full check does everything serde_json does (UTF-8 validation of
//! every string, escapes decoded, number values computed, positions for its messages); this
//! scanner reads each byte about once (bench/FINDINGS.md gives the figures, measured when the
//! full check still ran over serde_json's parser).

use super::fix::{Fixup, Members};
use super::{Shape, Struct};

/// The bytes a plain string is made of: printable ASCII but the quote and the backslash (one
/// load per byte; measured faster than the comparisons in wasm).
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x20;
    while c < 0x80 {
        t[c] = c != b'"' as usize && c != b'\\' as usize;
        c += 1;
    }
    t
};

/// Nesting depth beyond which the scanner gives up (serde_json's own limit is 128).
const MAX_DEPTH: u32 = 100;
/// Integer digits beyond which a typed number is left to serde_json (its range check).
const MAX_INT_DIGITS: usize = 300;

/// The fixes of `body` against `shape` when the body is plain and accepted, `None` otherwise
/// (the fast path alone; `check_with_fixes` runs it first).
pub fn scan(shape: &'static Shape, body: &[u8]) -> Option<Vec<Fixup>> {
    let mut s = Scanner {
        b: body,
        i: 0,
        fixes: Vec::new(),
    };
    s.value(shape, 0)?;
    s.ws();
    (s.i == body.len()).then_some(s.fixes)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    fixes: Vec<Fixup>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    /// Consumes the byte `c` if it comes next.
    fn byte(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// Consumes `lit` if the text continues with it.
    fn eat(&mut self, lit: &[u8]) -> Option<()> {
        let end = self.i.checked_add(lit.len())?;
        (self.b.get(self.i..end)? == lit).then(|| self.i = end)
    }

    /// A plain string (the opening quote next): its bytes, without the quotes.
    fn string(&mut self) -> Option<&[u8]> {
        self.byte(b'"')?;
        let start = self.i;
        // the run of plain bytes, then it must end with the closing quote: an escape, a
        // control character or non-ASCII leaves the string to the full check
        let run = self.b[start..]
            .iter()
            .position(|&c| !PLAIN[usize::from(c)])?;
        self.i = start + run;
        if self.b[self.i] != b'"' {
            return None;
        }
        let s = &self.b[start..self.i];
        self.i += 1;
        Some(s)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// A JSON number by the grammar; `typed` leaves exponents and huge integers to serde_json
    /// (which computes a typed number's value and may find it out of range).
    fn number(&mut self, typed: bool) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                if self.digits() > MAX_INT_DIGITS && typed {
                    return None;
                }
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            if typed {
                return None;
            }
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// An integer in `0..=u32::MAX` without sign, fraction or exponent.
    fn u32(&mut self) -> Option<()> {
        let start = self.i;
        let n = self.digits();
        let text = &self.b[start..self.i];
        let fits = match n {
            1 => true,
            2..=10 => text[0] != b'0' && (n < 10 || text <= &b"4294967295"[..]),
            _ => false,
        };
        (fits && !matches!(self.peek(), Some(b'.' | b'e' | b'E'))).then_some(())
    }

    /// One value of `shape`; `Some(true)` for the `null` of an optional shape.
    fn value(&mut self, shape: &'static Shape, depth: u32) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match shape {
            Shape::Bool => match self.peek()? {
                b't' => self.eat(b"true")?,
                _ => self.eat(b"false")?,
            },
            Shape::U32 => self.u32()?,
            Shape::F64 => self.number(true)?,
            Shape::Str => {
                self.string()?;
            }
            Shape::Option(inner) => {
                if self.peek()? == b'n' {
                    self.eat(b"null")?;
                    return Some(true);
                }
                self.value(inner, depth + 1)?;
            }
            Shape::List(inner) => self.list(inner, depth)?,
            Shape::Struct(s) => self.object(s, depth)?,
            Shape::Untagged(_) => return None,
        }
        Some(false)
    }

    /// The items of a list or an object whose opening byte was read, up to `close`: `item`
    /// reads one, this the separators.
    fn items(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.ws();
        if self.byte(close).is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn list(&mut self, inner: &'static Shape, depth: u32) -> Option<()> {
        self.byte(b'[')?;
        self.items(b']', |s| s.value(inner, depth + 1).map(drop))
    }

    /// An object of `s`'s fields, with the fixes in the full check's order: a `null` field's
    /// where it is read, then the missing defaulted fields in declaration order.
    fn object(&mut self, s: &'static Struct, depth: u32) -> Option<()> {
        self.byte(b'{')?;
        let mut seen: u64 = 0;
        // servers write the fields in one order, mostly the model's: try the field after the
        // previous one first
        let mut next = 0;
        let mut members = Members::new();
        let mut first = true;
        self.items(b'}', |this| {
            // `items` has just read the comma before every member but the first
            let comma = (!std::mem::take(&mut first)).then(|| this.i - 1);
            this.ws();
            let key_at = this.i;
            let key = this.string()?;
            let known = match s.fields.get(next) {
                Some(f) if same(f.name.as_bytes(), key) => Some(next),
                _ => s.fields.iter().position(|f| same(f.name.as_bytes(), key)),
            };
            this.ws();
            this.byte(b':')?;
            let Some(i) = known else {
                this.any(depth + 1)?;
                members.keep();
                return Some(());
            };
            let bit = 1u64 << i;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            next = i + 1;
            let field = &s.fields[i];
            let null = this.value(field.shape, depth + 1)?;
            if null {
                members.null(&mut this.fixes, this.b, field, (key_at, comma), this.i);
            } else {
                members.keep();
            }
            Some(())
        })?;
        // `items` has just read the `}`
        let close = self.i - 1;
        for (i, field) in s.fields.iter().enumerate() {
            if seen & (1u64 << i) == 0 {
                if field.required {
                    return None;
                }
                if field.fill {
                    members.missing(&mut self.fixes, field, close);
                }
            }
        }
        Some(())
    }

    /// Any plain JSON value (an unknown field's), skipped.
    fn any(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' => {
                self.i += 1;
                self.items(b'}', |s| {
                    s.ws();
                    s.string()?;
                    s.ws();
                    s.byte(b':')?;
                    s.any(depth + 1)
                })?;
            }
            b'[' => {
                self.i += 1;
                self.items(b']', |s| s.any(depth + 1))?;
            }
            b't' => self.eat(b"true")?,
            b'f' => self.eat(b"false")?,
            b'n' => self.eat(b"null")?,
            _ => self.number(false)?,
        }
        Some(())
    }
}

/// Whether two field names are equal, length and first byte first: most keys differ there, and
/// `==` on slices calls `memcmp`, which costs more than the compare itself for short names.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.first() == b.first() && a == b
}
