//! The fast path of [`super::check_with_fixes`]: a byte scanner for the plain JSON servers send
//! (ASCII strings without escapes, numbers without surprises) that either accepts a body, with
//! the same fixes as the full check, or gives up. It never refuses: whenever a body is anything
//! but plain and acceptable (an error, an escape, a non-ASCII byte, an exponent on a typed
//! number, a duplicate field, an untagged value ...), it answers `None` and the full check
//! (`full.rs`) runs, which gives the exact verdict and error. So it only has to be
//! sound: every body it accepts is one serde_json's typed decode accepts.
//!
//! Why a second reader over the same tokens (`crate::lexer`): the full check computes what the
//! typed decode would (every string decoded and checked as UTF-8, every number's value, positions
//! and messages); this one only looks at plain tokens' bytes, reading each byte about once.

use super::fix::{Fixup, Members};
use super::{Shape, Struct};
use crate::lexer::{Lexer, Num};

/// Nesting depth beyond which the scanner gives up (serde_json's own limit is 128).
const MAX_DEPTH: u32 = 100;
/// Integer digits beyond which a typed number is left to serde_json (its range check).
const MAX_INT_DIGITS: usize = 300;

/// The fixes of `body` against `shape` when the body is plain and accepted, `None` otherwise
/// (the fast path alone; `check_with_fixes` runs it first).
pub fn scan(shape: &'static Shape, body: &[u8]) -> Option<Vec<Fixup>> {
    let mut s = Scanner {
        lx: Lexer::new(body),
        fixes: Vec::new(),
    };
    s.value(shape, 0)?;
    s.lx.end().ok()?;
    Some(s.fixes)
}

struct Scanner<'a> {
    lx: Lexer<'a>,
    fixes: Vec<Fixup>,
}

impl<'a> Scanner<'a> {
    /// Consumes the byte `c` if it comes next.
    fn byte(&mut self, c: u8) -> Option<()> {
        self.lx.byte(c).then_some(())
    }

    /// Consumes `word` if the text continues with it.
    fn eat(&mut self, word: &[u8]) -> Option<()> {
        self.lx.eat(word).then_some(())
    }

    /// A plain string (the opening quote next): its bytes, without the quotes. An escape, a
    /// control character or non-ASCII leaves the string to the full check.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.byte(b'"')?;
        self.lx.plain_string()
    }

    /// A JSON number by the grammar; `typed` leaves exponents and huge integers to serde_json
    /// (which computes a typed number's value and may find it out of range).
    fn number(&mut self, typed: bool) -> Option<Num> {
        let n = self.lx.number(true).ok()?;
        (!typed || (!n.exponent && n.int_digits <= MAX_INT_DIGITS)).then_some(n)
    }

    /// An integer in `0..=u32::MAX` without sign, fraction or exponent.
    fn u32(&mut self) -> Option<()> {
        let n = self.number(true)?;
        let text = &self.lx.b[n.start..n.end];
        let fits = !n.negative
            && n.is_plain_integer()
            && (n.int_digits < 10 || (n.int_digits == 10 && text <= &b"4294967295"[..]));
        fits.then_some(())
    }

    /// One value of `shape`; `Some(true)` for the `null` of an optional shape.
    fn value(&mut self, shape: &'static Shape, depth: u32) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.lx.skip_ws();
        match shape {
            Shape::Bool => match self.lx.peek()? {
                b't' => self.eat(b"true")?,
                _ => self.eat(b"false")?,
            },
            Shape::U32 => self.u32()?,
            Shape::F64 => {
                self.number(true)?;
            }
            Shape::Str => {
                self.string()?;
            }
            Shape::Option(inner) => {
                if self.lx.peek()? == b'n' {
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
        self.lx.skip_ws();
        if self.byte(close).is_some() {
            return Some(());
        }
        loop {
            item(self)?;
            self.lx.skip_ws();
            match self.lx.peek()? {
                b',' => self.lx.i += 1,
                c if c == close => {
                    self.lx.i += 1;
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
            let comma = (!std::mem::take(&mut first)).then(|| this.lx.i - 1);
            this.lx.skip_ws();
            let key_at = this.lx.i;
            let known = match s.fields.get(next) {
                // the expected field, compared where it stands (field names are plain ASCII)
                Some(f) if this.lx.eat_string(f.name.as_bytes()) => Some(next),
                _ => {
                    let key = this.string()?;
                    s.fields.iter().position(|f| same(f.name.as_bytes(), key))
                }
            };
            this.lx.skip_ws();
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
                members.null(
                    &mut this.fixes,
                    this.lx.b,
                    field,
                    (key_at, comma),
                    this.lx.i,
                );
            } else {
                members.keep();
            }
            Some(())
        })?;
        // `items` has just read the `}`
        let close = self.lx.i - 1;
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
        self.lx.skip_ws();
        match self.lx.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' => {
                self.lx.i += 1;
                self.items(b'}', |s| {
                    s.lx.skip_ws();
                    s.string()?;
                    s.lx.skip_ws();
                    s.byte(b':')?;
                    s.any(depth + 1)
                })?;
            }
            b'[' => {
                self.lx.i += 1;
                self.items(b']', |s| s.any(depth + 1))?;
            }
            b't' => self.eat(b"true")?,
            b'f' => self.eat(b"false")?,
            b'n' => self.eat(b"null")?,
            _ => {
                self.number(false)?;
            }
        }
        Some(())
    }
}

/// Whether two field names are equal, length and first byte first: most keys differ there, and
/// `==` on slices calls `memcmp`, which costs more than the compare itself for short names.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.first() == b.first() && a == b
}
