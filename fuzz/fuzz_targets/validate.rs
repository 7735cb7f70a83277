//! Request-body validators on arbitrary bytes read as JSON (create, update, restore, update diff).
#![no_main]
use instaclustr_pg_core::model::PostgresqlCluster;
use instaclustr_pg_core::validate;
use libfuzzer_sys::fuzz_target;

const NOW: f64 = 1_764_000_000_000.0;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = validate::create_cluster(&v);
    let _ = validate::update_cluster(&v);
    let _ = validate::restore_cluster(&v, NOW);
    if let Ok(current) = serde_json::from_value::<PostgresqlCluster>(v.clone()) {
        let _ = validate::diff_cluster_update(&current, &v);
    }
});
