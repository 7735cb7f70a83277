//! Every response parser on (status, arbitrary body): the first two bytes pick the status.
#![no_main]
use instaclustr_pg_core::endpoints::*;
use instaclustr_pg_core::response::parse_api_error;
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
    let _ = CreateCluster::parse(status, body);
    let _ = GetCluster::parse(status, body);
    let _ = UpdateCluster::parse(status, body);
    let _ = DeleteCluster::parse(status, body);
    let _ = TriggerBackup::parse(status, body);
    let _ = ListBackups::parse(status, body);
    let _ = RestoreCluster::parse(status, body);
    let _ = ListVersions::parse(status, body);
    let _ = ListCompatibleVersions::parse(status, body);
    let _ = ListCompatibleNodeSizes::parse(status, body);
    let _ = DownloadCertificate::parse(status, body);
    let _ = ListClusters::parse(status, body);
    let _ = parse_api_error(status, body);
});
