//! Contact details of two-factor delete: e-mail address and phone number.
//!
//! The API document gives no pattern for either. The e-mail check is hand-written and RFC 5322
//! inspired (the dot-atom form people actually use; no quoted local parts, comments or IP
//! literals): a hand-written check stays small in the wasm build, where a regex engine would not.

/// Longest accepted e-mail address (RFC 5321 path limit minus the angle brackets).
pub const EMAIL_MAX_LEN: usize = 254;
/// Fewest digits in a phone number.
pub const PHONE_MIN_DIGITS: usize = 6;
/// Most digits in a phone number (E.164 allows 15; extensions and trunk prefixes need a few more).
pub const PHONE_MAX_DIGITS: usize = 20;

fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b)
}

/// Whether `s` is a plausible e-mail address: `local@domain` where
/// - local part: 1..64 characters, RFC 5322 `atext` (letters, digits, ``!#$%&'*+/=?^_`{|}~-``)
///   and dots, no leading, trailing or doubled dot;
/// - domain: at least two labels of letters, digits and `-` (1..63 each, not starting or ending
///   with `-`), the last one at least two letters (a TLD);
/// - 254 characters at most; ASCII only (internationalised addresses are refused).
pub fn is_valid_email(s: &str) -> bool {
    if s.len() > EMAIL_MAX_LEN || !s.is_ascii() {
        return false;
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// Whether `s` is a plausible phone number: an optional leading `+`, then digits with optional
/// single separators (space, `-`, `.`, or parentheses around a group such as `(555)`), starting
/// and ending with a digit or `)`, with [`PHONE_MIN_DIGITS`]..=[`PHONE_MAX_DIGITS`] digits.
pub fn is_valid_phone(s: &str) -> bool {
    let body = s.strip_prefix('+').unwrap_or(s);
    let mut digits = 0usize;
    let mut prev_sep = true; // no separator first
    let mut open = false;
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                prev_sep = false;
            }
            b' ' | b'-' | b'.' => {
                if prev_sep {
                    return false;
                }
                prev_sep = true;
            }
            b'(' if !open => {
                open = true;
            }
            b')' if open => {
                open = false;
                prev_sep = false;
            }
            _ => return false,
        }
    }
    !open && !prev_sep && (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for s in [
            "a@b.co",
            "first.last+tag@example.com",
            "x_y-z@sub.domain.org",
            "o'neil@ex-ample.io",
        ] {
            assert!(is_valid_email(s), "{s}");
        }
        for s in [
            "",
            "a",
            "a@",
            "@b.co",
            "a@b",
            "a@b.c",
            "a@@b.co",
            "a b@c.co",
            ".a@b.co",
            "a.@b.co",
            "a..b@c.co",
            "a@-b.co",
            "a@b-.co",
            "a@b..co",
            "a@b.c0m1",
            "é@b.co",
            "a@b.co.",
            "a@[1.2.3.4]",
        ] {
            assert!(!is_valid_email(s), "{s:?}");
        }
        assert!(!is_valid_email(&format!("{}@b.co", "a".repeat(65))));
        assert!(!is_valid_email(&format!("a@{}.co", "b".repeat(64))));
    }

    #[test]
    fn phones() {
        for s in [
            "+61 2 1234 5678",
            "0412345678",
            "+1 (555) 123-4567",
            "555.123.4567",
            "123456",
            "+12345678901234567890",
        ] {
            assert!(is_valid_phone(s), "{s}");
        }
        for s in [
            "",
            "+",
            "12345",
            "+123456789012345678901",
            "12  3456",
            "-123456",
            "123456-",
            "++123456",
            "12345a6",
            "(555 123456",
            "555) 123456",
            "+ 123456",
            "１２３４５６",
        ] {
            assert!(!is_valid_phone(s), "{s:?}");
        }
    }
}
