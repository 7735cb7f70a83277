//! Cluster names: 3..48 characters matching `[a-zA-Z0-9][a-zA-Z0-9_-]*` (anchored).
//!
//! Hand-written matcher: the pattern is two character classes, so a regex engine would only add
//! size to the wasm build (see CONVENTIONS).

use super::json::Out;
use super::ViolationCode;

/// Shortest allowed name, in characters.
pub const NAME_MIN_LEN: usize = 3;
/// Longest allowed name, in characters.
pub const NAME_MAX_LEN: usize = 48;

/// Whether `s` matches the whole name pattern `[a-zA-Z0-9][a-zA-Z0-9_-]*` (length not checked).
pub fn matches_name_pattern(s: &str) -> bool {
    let mut bytes = s.bytes();
    match bytes.next() {
        Some(first) if first.is_ascii_alphanumeric() => {
            bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        _ => false,
    }
}

/// Whether `s` is a valid cluster name (also used for `restoredClusterName`): 3..48 characters
/// and the name pattern.
pub fn is_valid_name(s: &str) -> bool {
    let n = s.chars().count();
    (NAME_MIN_LEN..=NAME_MAX_LEN).contains(&n) && matches_name_pattern(s)
}

/// Reports a `length` and/or a `pattern` violation of the name `s` at `path`.
pub(crate) fn check_name(s: &str, path: &str, out: &mut Out) {
    let n = s.chars().count();
    if !(NAME_MIN_LEN..=NAME_MAX_LEN).contains(&n) {
        out.push(
            path,
            ViolationCode::Length,
            format!("must be {NAME_MIN_LEN} to {NAME_MAX_LEN} characters long, not {n}"),
        );
    }
    if !matches_name_pattern(s) {
        out.push(
            path,
            ViolationCode::Pattern,
            "must start with a letter or digit and contain only letters, digits, '_' and '-'",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names() {
        for s in ["abc", "my-cluster", "A_1", "0ab", &"a".repeat(48), "x-_"] {
            assert!(is_valid_name(s), "{s}");
        }
    }

    #[test]
    fn invalid_names() {
        for s in [
            "",
            "ab",
            "-abc",
            "_abc",
            "ab c",
            "abc!",
            "ab.c",
            "é-abc",
            &"a".repeat(49),
            " abc",
            "abc\n",
        ] {
            assert!(!is_valid_name(s), "{s:?}");
        }
    }

    #[test]
    fn check_reports_length_and_pattern_together() {
        let mut out = Out::default();
        check_name("-a", "name", &mut out);
        let codes: Vec<_> = out.0.iter().map(|v| (v.path.as_str(), v.code)).collect();
        assert_eq!(
            codes,
            [
                ("name", ViolationCode::Length),
                ("name", ViolationCode::Pattern)
            ]
        );
    }
}
