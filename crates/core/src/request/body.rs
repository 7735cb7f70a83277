//! Request bodies: the validated input re-serialized with the read-only fields dropped (`id`,
//! `status`, `nodes`, `deletedNodes`, `defaultUserPassword`, `currentClusterOperationStatus`,
//! `pciComplianceMode`, `restoredClusterId`) and object keys sorted, so the same input always
//! gives the same bytes. Unknown fields are kept: a field added by the server can be sent by a
//! client that does not know it yet.

use serde_json::{Map, Value};

/// Fields the server sets; dropped from request bodies.
const READ_ONLY_CLUSTER: &[&str] = &[
    "id",
    "status",
    "currentClusterOperationStatus",
    "defaultUserPassword",
    "pciComplianceMode",
];
const READ_ONLY_DATA_CENTRE: &[&str] = &["id", "status", "nodes", "deletedNodes"];
pub(crate) const READ_ONLY_RESTORE: &[&str] = &["restoredClusterId"];

/// A copy of `value` with object keys sorted at every level (the same whether or not
/// serde_json's `preserve_order` feature is on somewhere in the build) and `drop` applied.
pub(crate) fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                if let Some(v) = m.get(k) {
                    out.insert(k.clone(), canonical(v));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

pub(crate) fn remove_keys(value: &mut Value, keys: &[&str]) {
    if let Value::Object(m) = value {
        for k in keys {
            m.remove(*k);
        }
    }
}

/// Drops the read-only fields of a cluster or update body (top level and each data centre).
pub(crate) fn strip_cluster(body: &Value) -> Value {
    let mut out = canonical(body);
    remove_keys(&mut out, READ_ONLY_CLUSTER);
    if let Some(Value::Array(dcs)) = out.get_mut("dataCentres") {
        for dc in dcs {
            remove_keys(dc, READ_ONLY_DATA_CENTRE);
        }
    }
    out
}
