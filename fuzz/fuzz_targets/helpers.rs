//! Field helpers on arbitrary text: cluster id, CIDR (and overlap), name, version, e-mail, phone.
#![no_main]
use instaclustr_pg_core::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let _ = validate::cluster_id(&s, "clusterId");
    let _ = validate::is_valid_uuid(&s);
    let _ = validate::is_valid_name(&s);
    let _ = validate::matches_name_pattern(&s);
    let _ = validate::is_valid_version(&s);
    let _ = validate::is_valid_email(&s);
    let _ = validate::is_valid_phone(&s);
    let _ = validate::is_developer_node_size(&s);
    let (a, b) = s.split_at(
        s.char_indices()
            .nth(s.chars().count() / 2)
            .map_or(0, |(i, _)| i),
    );
    if let (Ok(x), Ok(y)) = (validate::parse_cidr(a), validate::parse_cidr(b)) {
        assert_eq!(
            validate::networks_overlap(&x, &y),
            validate::networks_overlap(&y, &x)
        );
    }
    let _ = validate::parse_cidr(&s);
});
