//! Every response parser on (status, arbitrary body): the first two bytes pick the status.
#![no_main]
use instaclustr_pg_core::response::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data.split_first_chunk::<2>() {
        // mostly 2xx, so the decoders run; any u16 otherwise
        Some((s, rest)) => {
            let raw = u16::from_le_bytes(*s);
            (if raw % 4 == 0 { raw } else { 200 + raw % 8 }, rest)
        }
        None => (200, data),
    };
    let _ = parse_create_cluster(status, body);
    let _ = parse_get_cluster(status, body);
    let _ = parse_update_cluster(status, body);
    let _ = parse_delete_cluster(status, body);
    let _ = parse_trigger_backup(status, body);
    let _ = parse_list_backups(status, body);
    let _ = parse_restore_cluster(status, body);
    let _ = parse_list_versions(status, body);
    let _ = parse_list_compatible_versions(status, body);
    let _ = parse_list_compatible_node_sizes(status, body);
    let _ = parse_download_certificate(status, body);
    let _ = parse_list_clusters(status, body);
    let _ = parse_api_error(status, body);
});
