//! The text of a JSON object key, for the paths of [`super::path_at`].
//!
//! Why by hand: reading the key with `serde_json::from_slice::<String>` would use serde_json's
//! `deserialize_str`, whose invalid-type error links serde's `Unexpected` and with it core's
//! whole `f64` formatting into the wasm.

/// The key a quoted JSON string (`raw`, quotes included, nothing after the closing quote)
/// stands for, as serde_json reads it; `None` where serde_json refuses it (a bad escape, a
/// lone surrogate, a control character, no closing quote).
pub(super) fn unquote(raw: &[u8]) -> Option<String> {
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        match b {
            // an unescaped quote inside: the string ended before the end of `raw`
            b'"' => return None,
            b'\\' => {
                let e = *inner.get(i)?;
                i += 1;
                let c = match e {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let hi = hex4(inner.get(i..i + 4)?)?;
                        i += 4;
                        let code = match hi {
                            0xD800..=0xDBFF => {
                                if inner.get(i..i + 2)? != b"\\u" {
                                    return None;
                                }
                                let lo = hex4(inner.get(i + 2..i + 6)?)?;
                                if !(0xDC00..=0xDFFF).contains(&lo) {
                                    return None;
                                }
                                i += 6;
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            }
                            0xDC00..=0xDFFF => return None,
                            _ => hi,
                        };
                        char::from_u32(code)?
                    }
                    _ => return None,
                };
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            0..=0x1F => return None,
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

/// Four hex digits (either case) as a number.
fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |n, &d| {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return None,
        };
        Some(n * 16 + u32::from(v))
    })
}

#[cfg(test)]
mod tests {
    use super::unquote;

    /// Every case agrees with serde_json's own reading of a string.
    #[test]
    fn keys_read_as_serde_json_reads_them() {
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
            b"\"",
        ];
        for raw in cases {
            let want = serde_json::from_slice::<String>(raw).ok();
            assert_eq!(unquote(raw), want, "{}", String::from_utf8_lossy(raw));
        }
    }
}
