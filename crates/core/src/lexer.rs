//! The JSON lexer every reader of JSON text in the core stands on: whitespace, literals,
//! strings and numbers by RFC 8259's grammar, and serde_json's syntax errors at the byte where
//! serde_json reports them.
//!
//! Four readers use it, each for its own purpose: the validation reader builds a view of a
//! request body (`validate/text.rs`), the response check's byte scanner accepts plain bodies
//! quickly (`shape/fast.rs`), the full check gives the typed decode's verdict and error
//! (`shape/full.rs`), and the path of a refused body is found by a walk over its text
//! (`response/mod.rs`). What is JSON, where each error is and how a string is decoded is
//! decided here only.
//!
//! Why by hand: serde_json's own reader is not reachable token by token, and driving it with
//! serde visitors links serde's error machinery and core's float formatting into the wasm
//! (bench/FINDINGS.md).

use std::borrow::Cow;

/// serde_json's recursion limit: the 128th nested list or object is refused.
pub(crate) const DEPTH: u32 = 128;

/// serde_json's syntax and end-of-input errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
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
    /// serde_json's words for it.
    pub(crate) fn words(self) -> &'static str {
        use Code::*;
        match self {
            EofValue => "EOF while parsing a value",
            EofList => "EOF while parsing a list",
            EofObject => "EOF while parsing an object",
            EofString => "EOF while parsing a string",
            Colon => "expected `:`",
            ListCommaOrEnd => "expected `,` or `]`",
            ObjectCommaOrEnd => "expected `,` or `}`",
            Ident => "expected ident",
            Value => "expected value",
            Escape => "invalid escape",
            Number => "invalid number",
            OutOfRange => "number out of range",
            BadUtf8 => "invalid unicode code point",
            Control => "control character (\\u0000-\\u001F) found while parsing a string",
            KeyString => "key must be a string",
            LoneSurrogate => "lone leading surrogate in hex escape",
            TrailingComma => "trailing comma",
            Trailing => "trailing characters",
            HexEnd => "unexpected end of hex escape",
            Recursion => "recursion limit exceeded",
        }
    }

    /// Whether the text ended too early (serde_json's EOF category, not its syntax one).
    pub(crate) fn is_eof(self) -> bool {
        matches!(
            self,
            Code::EofValue | Code::EofList | Code::EofObject | Code::EofString
        )
    }
}

/// Text that is not JSON: what, and the byte index serde_json reports it at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bad {
    pub(crate) code: Code,
    pub(crate) at: usize,
}

/// A lexer's answer.
pub(crate) type Lexed<T> = Result<T, Bad>;

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

/// A string read by [`Lexer::string`]: its bytes between the quotes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Str {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Whether it has escapes ([`Lexer::text`] decodes them); without, its bytes are its text.
    pub(crate) escaped: bool,
}

/// A number read by [`Lexer::number`]: where it is and what it is made of.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Num {
    /// Its first byte (the `-` when negative).
    pub(crate) start: usize,
    /// Past its last byte.
    pub(crate) end: usize,
    pub(crate) negative: bool,
    /// How many digits its integer part has.
    pub(crate) int_digits: usize,
    /// Whether it has a fraction or an exponent.
    pub(crate) fraction: bool,
    pub(crate) exponent: bool,
}

impl Num {
    /// Whether it is an integer without fraction or exponent.
    pub(crate) fn is_plain_integer(&self) -> bool {
        !self.fraction && !self.exponent
    }
}

/// A reading position in JSON text.
pub(crate) struct Lexer<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) i: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Lexer { b, i: 0 }
    }

    // ---- bytes and errors ------------------------------------------------------------------

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// The next byte, or 0 at the end (serde_json's `peek_or_null`).
    pub(crate) fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    pub(crate) fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    /// Skips whitespace; the next byte, not consumed.
    #[inline]
    pub(crate) fn ws(&mut self) -> Option<u8> {
        self.skip_ws();
        self.peek()
    }

    /// Skips whitespace.
    #[inline]
    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Consumes the byte `c` if it comes next.
    #[inline]
    pub(crate) fn byte(&mut self, c: u8) -> bool {
        let next = self.peek() == Some(c);
        self.i += usize::from(next);
        next
    }

    /// serde_json's `error`: at the index.
    pub(crate) fn error(&self, code: Code) -> Bad {
        Bad { code, at: self.i }
    }

    /// serde_json's `peek_error`: one byte past the index.
    pub(crate) fn peek_error(&self, code: Code) -> Bad {
        Bad {
            code,
            at: (self.i + 1).min(self.b.len()),
        }
    }

    /// Whether only whitespace is left.
    pub(crate) fn end(&mut self) -> Lexed<()> {
        match self.ws() {
            Some(_) => Err(self.peek_error(Code::Trailing)),
            None => Ok(()),
        }
    }

    // ---- literals ----------------------------------------------------------------------------

    /// The rest of `null`, `true` or `false` after its first byte.
    pub(crate) fn ident(&mut self, rest: &[u8]) -> Lexed<()> {
        for &want in rest {
            match self.next() {
                None => return Err(self.error(Code::EofValue)),
                Some(c) if c != want => return Err(self.error(Code::Ident)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// Consumes `word` (`null`, `true` or `false`) if the text continues with it.
    #[inline]
    pub(crate) fn eat(&mut self, word: &[u8]) -> bool {
        let next = self
            .b
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(word));
        if next {
            self.i += word.len();
        }
        next
    }

    /// `null`, `true` or `false` (the first byte next), whichever it starts with.
    #[inline]
    pub(crate) fn literal(&mut self) -> Lexed<Option<bool>> {
        let (word, value): (&[u8], _) = match self.peek() {
            Some(b'n') => (b"null", None),
            Some(b't') => (b"true", Some(true)),
            Some(b'f') => (b"false", Some(false)),
            _ => return Err(self.peek_error(Code::Value)),
        };
        if self.eat(word) {
            return Ok(value);
        }
        // byte by byte, for the error's position
        self.i += 1;
        self.ident(&word[1..]).map(|()| value)
    }

    // ---- numbers -----------------------------------------------------------------------------

    /// A number (its `-` or first digit next) by the grammar. `ignore`: serde_json's skipping
    /// of a value nobody reads, which words a few errors differently and has no range check of
    /// the exponent.
    #[inline]
    pub(crate) fn number(&mut self, ignore: bool) -> Lexed<Num> {
        let start = self.i;
        let negative = self.byte(b'-');
        let digits = self.i;
        let mut nonzero = false;
        match self.next() {
            Some(b'0') => {
                if self.peek_or_null().is_ascii_digit() {
                    return Err(self.peek_error(Code::Number));
                }
            }
            Some(b'1'..=b'9') => {
                nonzero = true;
                while self.peek_or_null().is_ascii_digit() {
                    self.i += 1;
                }
            }
            None if !ignore => return Err(self.error(Code::EofValue)),
            _ => return Err(self.error(Code::Number)),
        }
        let int_digits = self.i - digits;
        let fraction = self.byte(b'.');
        if fraction {
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
        let exponent = matches!(self.peek(), Some(b'e' | b'E'));
        if exponent {
            self.i += 1;
            let sign = self.peek();
            let positive = sign != Some(b'-');
            if let Some(b'+' | b'-') = sign {
                self.i += 1;
            }
            let first = match self.next() {
                Some(d @ b'0'..=b'9') => d - b'0',
                None if !ignore => return Err(self.error(Code::EofValue)),
                // skipping reads the end as a 0 byte, which is not a digit either
                Some(_) | None => return Err(self.error(Code::Number)),
            };
            // serde_json keeps the exponent in an i32 and refuses one that overflows it for a
            // non-zero number with a positive exponent, at the digit that overflowed
            let mut exp = i32::from(first);
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
        Ok(Num {
            start,
            end: self.i,
            negative,
            int_digits,
            fraction,
            exponent,
        })
    }

    /// The number's value as serde_json computes it (`None`: out of range).
    pub(crate) fn number_value(&self, n: &Num) -> Option<serde_json::Number> {
        // the bytes of a number are ASCII
        let text = std::str::from_utf8(&self.b[n.start..n.end]).ok()?;
        text.parse().ok()
    }

    // ---- strings -----------------------------------------------------------------------------

    /// A string after its opening quote, up to and past its closing one; escapes checked.
    /// `ignore`: serde_json's skipping of a string nobody reads (`ignore_str`), which leaves
    /// surrogates unpaired and reports a control byte one byte earlier than `parse_str`.
    pub(crate) fn string(&mut self, ignore: bool) -> Lexed<Str> {
        let start = self.i;
        match self.plain_string() {
            Some(text) => Ok(Str {
                start,
                end: start + text.len(),
                escaped: false,
            }),
            None => self.string_rest(start, ignore),
        }
    }

    /// Consumes the string `"text"` if it comes next, written without escapes (`text` is
    /// printable ASCII without `"` or `\\`).
    #[inline]
    pub(crate) fn eat_string(&mut self, text: &[u8]) -> bool {
        let end = self.i + text.len() + 2;
        let next = match self.b.get(self.i..end) {
            Some([b'"', inner @ .., b'"']) => inner == text,
            _ => false,
        };
        if next {
            self.i = end;
        }
        next
    }

    /// The common case of [`Lexer::string`]: printable ASCII without escape up to the closing
    /// quote, read past it; `None` (nothing read) for any other string.
    #[inline]
    pub(crate) fn plain_string(&mut self) -> Option<&'a [u8]> {
        let start = self.i;
        let rest = self.b.get(start..)?;
        let run = rest.iter().position(|&c| !PLAIN[usize::from(c)])?;
        if rest[run] != b'"' {
            return None;
        }
        self.i = start + run + 1;
        Some(&rest[..run])
    }

    /// [`Lexer::string`] past its plain start (kept out of line: the plain case is hot).
    #[cold]
    #[inline(never)]
    fn string_rest(&mut self, start: usize, ignore: bool) -> Lexed<Str> {
        let mut escaped = false;
        loop {
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            match self.peek() {
                None => return Err(self.error(Code::EofString)),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Str {
                        start,
                        end: self.i - 1,
                        escaped,
                    });
                }
                Some(b'\\') => {
                    escaped = true;
                    self.i += 1;
                    self.escape(ignore)?;
                }
                Some(_) => {
                    if !ignore {
                        self.i += 1;
                    }
                    return Err(self.error(Code::Control));
                }
            }
        }
    }

    /// One escape after its backslash.
    fn escape(&mut self, ignore: bool) -> Lexed<()> {
        match self.next() {
            None => Err(self.error(Code::EofString)),
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(()),
            Some(b'u') => {
                let n = self.hex4()?;
                match n {
                    _ if ignore => Ok(()),
                    0xDC00..=0xDFFF => Err(self.error(Code::LoneSurrogate)),
                    0xD800..=0xDBFF => {
                        for want in [b'\\', b'u'] {
                            match self.next() {
                                None => return Err(self.error(Code::EofString)),
                                Some(c) if c != want => return Err(self.error(Code::HexEnd)),
                                Some(_) => {}
                            }
                        }
                        match self.hex4()? {
                            0xDC00..=0xDFFF => Ok(()),
                            _ => Err(self.error(Code::LoneSurrogate)),
                        }
                    }
                    _ => Ok(()),
                }
            }
            Some(_) => Err(self.error(Code::Escape)),
        }
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Lexed<u16> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.error(Code::EofString));
        };
        self.i += 4;
        hex4(digits).ok_or_else(|| self.error(Code::Escape))
    }

    /// The bytes a string read by [`Lexer::string`] stands for: its own bytes when it has no
    /// escape, else decoded (UTF-8 exactly when the text's bytes are; a lone surrogate, which
    /// only a string read ignoring can hold, becomes U+FFFD).
    pub(crate) fn text(&self, s: &Str) -> Cow<'a, [u8]> {
        let raw = &self.b[s.start..s.end];
        if !s.escaped {
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while let Some(&c) = raw.get(i) {
            i += 1;
            if c != b'\\' {
                out.push(c);
                continue;
            }
            let e = raw.get(i).copied().unwrap_or(b'\\');
            i += 1;
            let simple = match e {
                b'b' => 0x08,
                b'f' => 0x0c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'u' => {
                    let unit = |at: usize| raw.get(at..at + 4).and_then(hex4).map_or(0, u32::from);
                    let mut code = unit(i);
                    i += 4;
                    let low = unit(i + 2);
                    if (0xD800..=0xDBFF).contains(&code)
                        && raw.get(i..i + 2) == Some(&b"\\u"[..])
                        && (0xDC00..=0xDFFF).contains(&low)
                    {
                        // a pair: `\uD83D\uDE00`
                        code = 0x1_0000 + ((code - 0xD800) << 10 | (low - 0xDC00));
                        i += 6;
                    }
                    // a lone surrogate (only in a string read ignoring) is no character
                    let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    continue;
                }
                // `"`, `\` and `/` stand for themselves
                other => other,
            };
            out.push(simple);
        }
        Cow::Owned(out)
    }
}

/// Four hex digits (either case) as a number.
fn hex4(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |n, &d| {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return None,
        };
        Some(n << 4 | u16::from(v))
    })
}

#[cfg(test)]
mod tests {
    use super::Lexer;

    /// A whole text read as one string (its opening quote first), decoded, as a `String`.
    fn read(raw: &[u8]) -> Option<String> {
        let mut lx = Lexer::new(raw);
        if !lx.byte(b'"') {
            return None;
        }
        let s = lx.string(false).ok()?;
        if lx.i != raw.len() {
            return None;
        }
        String::from_utf8(lx.text(&s).into_owned()).ok()
    }

    /// Every case agrees with serde_json's own reading of a string.
    #[test]
    fn strings_read_as_serde_json_reads_them() {
        let cases: &[&[u8]] = &[
            br#""name""#,
            br#""""#,
            br#""a\"b\\c\/d\b\f\n\r\t""#,
            br#""\u00e9\u00E9x""#,
            br#""\ud83d\ude00""#,
            br#""\ud83d""#,
            br#""\ud83dx""#,
            br#""\ud83d\u0041""#,
            br#""\ude00""#,
            br#""\x""#,
            br#""\u12g4""#,
            br#""\u12""#,
            b"\"a\tb\"",
            b"\"a\x01\"",
            br#""abc"#,
            br#""abc\""#,
            br#""a"b""#,
            "\"caf\u{e9} \u{1f600}\"".as_bytes(),
            b"\"caf\xe9\"",
            b"\"",
        ];
        for raw in cases {
            let want = serde_json::from_slice::<String>(raw).ok();
            assert_eq!(read(raw), want, "{}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn plain_strings_are_told_from_the_others() {
        let read = |raw: &[u8]| {
            let mut lx = Lexer::new(raw);
            lx.byte(b'"');
            let plain = Lexer { b: raw, i: lx.i }.plain_string().is_some();
            (plain, lx.string(false).map(|s| s.escaped))
        };
        assert_eq!(read(br#""name""#), (true, Ok(false)));
        assert_eq!(read("\"caf\u{e9}\"".as_bytes()), (false, Ok(false)));
        assert_eq!(read(br#""a\nb""#), (false, Ok(true)));
    }

    /// The grammar and the range check of numbers agree with serde_json's, verdict by verdict.
    #[test]
    fn numbers_read_as_serde_json_reads_them() {
        let cases = [
            "0",
            "-0",
            "12",
            "-12",
            "1.5",
            "1e5",
            "1E+5",
            "1e-5",
            "01",
            "-",
            "1.",
            "1.e3",
            ".5",
            "1e",
            "1e+",
            "-x",
            "1e99999999999",
            "0e99999999999",
            "1e-99999999999",
            "1.0e400",
            "18446744073709551616",
        ];
        for text in cases {
            let mut lx = Lexer::new(text.as_bytes());
            let ours = lx
                .number(false)
                .ok()
                .filter(|_| lx.i == text.len())
                .and_then(|n| lx.number_value(&n));
            let want = serde_json::from_str::<serde_json::Number>(text).ok();
            assert_eq!(ours, want, "{text}");
        }
    }
}
