//! UUIDs (cluster IDs, data centre IDs, KMS key IDs): the 8-4-4-4-12 hexadecimal form, any case.
//! Hand-written (a 36-byte shape check) rather than the `uuid` crate: no parsing into a value is
//! needed and the check is a few lines.

/// Whether `s` is a UUID in its canonical textual form `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`
/// (hexadecimal digits, upper or lower case; no braces, no `urn:uuid:` prefix).
pub fn is_valid_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_valid_uuid("c0e5e2ff-affe-444c-bdca-707c7b48aaad"));
        assert!(is_valid_uuid("C0E5E2FF-AFFE-444C-BDCA-707C7B48AAAD"));
        for s in [
            "",
            "c0e5e2ff-affe-444c-bdca-707c7b48aaa",
            "c0e5e2ff-affe-444c-bdca-707c7b48aaadd",
            "c0e5e2ffaaffe-444c-bdca-707c7b48aaad",
            "b8a32a20-d8e0-11a7-def4-sdc278a6a50b",
            "{c0e5e2ff-affe-444c-bdca-707c7b48aa}",
            "c0e5e2ff-affe-444c-bdca-707c7b48aaé",
        ] {
            assert!(!is_valid_uuid(s), "{s:?}");
        }
    }
}
