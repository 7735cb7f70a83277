//! Versions (`postgresqlVersion`, `pgBouncerVersion`): `[0-9]+\.[0-9]+\.[0-9]+`, anchored, so
//! the document's own example `"[x.y.z]"` is refused. Hand-written: three digit runs and two dots.

/// Whether `s` is exactly three non-empty ASCII digit runs separated by dots (`15.4.0`).
pub fn is_valid_version(s: &str) -> bool {
    let mut parts = 0;
    for part in s.split('.') {
        parts += 1;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    parts == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for s in ["15.4.0", "1.19.0", "0.0.0", "100.200.300"] {
            assert!(is_valid_version(s), "{s}");
        }
        for s in [
            "", "[x.y.z]", "15.4", "15.4.0.1", "15..0", "v15.4.0", "15.4.0 ", "1.2.x", "١.٢.٣",
            ".1.2",
        ] {
            assert!(!is_valid_version(s), "{s:?}");
        }
    }
}
