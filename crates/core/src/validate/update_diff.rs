//! The update guard: which fields of a desired update differ from the current cluster although
//! the API does not let them change (`x-insta-unchangeable` / `x-terraform-force-new` in the
//! document). Used by the emulator (400 on such a change) and by the client before a `PUT`.
//!
//! Rules:
//! - each desired data centre is matched to a current one by `name`, else by position, else the
//!   first; `nodeSize` may change, read-only fields (`id`, `status`, `nodes`, ...) are ignored;
//! - `name`, `cloudProvider`, `region`, `network`, `numberOfNodes`, `clientToClusterEncryption`,
//!   `intraDataCentreReplication` and `pgBouncer` must equal the current values when given
//!   (`pgBouncer` absent, `null` and `[]` all mean "none", so leaving it out of a cluster that has
//!   one is a change);
//! - `interDataCentreReplication`, `tags` and `providerAccountName` absent mean "keep"; given,
//!   they must be equal (tags in any order);
//! - `awsSettings`, `gcpSettings`, `azureSettings` absent or `[]` mean "keep" (the server fills in
//!   computed values); given, every key they set must equal the current value;
//! - when `desired` is a whole cluster body, its cluster-level `name`, `postgresqlVersion`,
//!   `slaTier`, `privateNetworkCluster` and `synchronousModeStrict` are compared too.
//!
//! Only fields present with the right shape are compared; malformed bodies are the business of
//! [`update_cluster`](super::update_cluster). No secret is ever compared or printed.

use serde_json::{json, Map, Value};

use super::json::{index, key, Out};
use super::{Violation, ViolationCode};
use crate::model::{PostgresqlCluster, PostgresqlDataCentre};

#[derive(Clone, Copy)]
enum Mode {
    /// Compared when given; absent = keep.
    Strict,
    /// Absent, null and `[]` are the same "none", and are compared too.
    List,
    /// Absent = keep; compared as a set of items.
    Set,
    /// Absent or `[]` = keep; every key the desired value sets must match.
    Subset,
}

const DC_FIELDS: [(&str, Mode); 14] = [
    ("name", Mode::Strict),
    ("cloudProvider", Mode::Strict),
    ("region", Mode::Strict),
    ("network", Mode::Strict),
    ("numberOfNodes", Mode::Strict),
    ("clientToClusterEncryption", Mode::Strict),
    ("intraDataCentreReplication", Mode::Strict),
    ("interDataCentreReplication", Mode::Strict),
    ("pgBouncer", Mode::List),
    ("awsSettings", Mode::Subset),
    ("gcpSettings", Mode::Subset),
    ("azureSettings", Mode::Subset),
    ("tags", Mode::Set),
    ("providerAccountName", Mode::Strict),
];

/// Every field of `desired` (an update body, or a whole cluster body) that differs from `current`
/// although the API does not allow it to change, as `conflict` violations at paths like
/// `dataCentres[0].network`, with the current and desired values in the message.
pub fn diff_cluster_update(current: &PostgresqlCluster, desired: &Value) -> Vec<Violation> {
    let mut out = Out::default();
    let Value::Object(body) = desired else {
        return out.0;
    };
    let top = json!({
        "name": current.name,
        "postgresqlVersion": current.postgresql_version,
        "slaTier": current.sla_tier.as_str(),
        "privateNetworkCluster": current.private_network_cluster,
        "synchronousModeStrict": current.synchronous_mode_strict,
    });
    for k in [
        "name",
        "postgresqlVersion",
        "slaTier",
        "privateNetworkCluster",
        "synchronousModeStrict",
    ] {
        compare(body, &top, "", k, Mode::Strict, &mut out);
    }
    let Some(Value::Array(dcs)) = body.get("dataCentres") else {
        return out.0;
    };
    for (i, item) in dcs.iter().enumerate() {
        let Value::Object(dc) = item else { continue };
        let Some(cur) = matching(current, dc, i) else {
            continue;
        };
        let cur = serde_json::to_value(cur).unwrap_or(Value::Null);
        let path = index("dataCentres", i);
        for (field, mode) in DC_FIELDS {
            compare(dc, &cur, &path, field, mode, &mut out);
        }
    }
    out.0
}

fn matching<'a>(
    current: &'a PostgresqlCluster,
    dc: &Map<String, Value>,
    i: usize,
) -> Option<&'a PostgresqlDataCentre> {
    let by_name = dc
        .get("name")
        .and_then(Value::as_str)
        .and_then(|n| current.data_centres.iter().find(|c| c.name == n));
    by_name
        .or_else(|| current.data_centres.get(i))
        .or_else(|| current.data_centres.first())
}

fn as_list(v: Option<&Value>) -> Vec<Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(other) => vec![other.clone()],
    }
}

fn compare(
    desired: &Map<String, Value>,
    current: &Value,
    parent: &str,
    field: &str,
    mode: Mode,
    out: &mut Out,
) {
    let want = desired.get(field).filter(|v| !v.is_null());
    let have = current.get(field).filter(|v| !v.is_null());
    let differs = match mode {
        Mode::Strict => match want {
            None => false,
            Some(w) => !have.is_some_and(|h| same(w, h)),
        },
        Mode::List => {
            let (w, h) = (as_list(want), as_list(have));
            w.len() != h.len() || w.iter().zip(&h).any(|(a, b)| !same(a, b))
        }
        Mode::Set => match want {
            None => false,
            Some(_) => {
                let (w, h) = (as_list(want), as_list(have));
                w.len() != h.len()
                    || w.iter().any(|a| !h.iter().any(|b| same(a, b)))
                    || h.iter().any(|b| !w.iter().any(|a| same(a, b)))
            }
        },
        Mode::Subset => {
            let w = as_list(want);
            if w.is_empty() {
                false
            } else {
                let h = as_list(have);
                w.len() != h.len() || w.iter().zip(&h).any(|(a, b)| !subset(a, b))
            }
        }
    };
    if differs {
        let shown = |v: Option<&Value>| v.map_or_else(|| "none".to_owned(), brief);
        out.push(
            key(parent, field),
            ViolationCode::Conflict,
            format!(
                "cannot be changed after the cluster is created: current {}, desired {}",
                shown(have),
                shown(want)
            ),
        );
    }
}

/// JSON equality where numbers compare by value and `null` members equal absent ones.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            let present =
                |m: &Map<String, Value>, k: &str| m.get(k).filter(|v| !v.is_null()).cloned();
            x.keys()
                .chain(y.keys())
                .all(|k| match (present(x, k), present(y, k)) {
                    (None, None) => true,
                    (Some(p), Some(q)) => same(&p, &q),
                    _ => false,
                })
        }
        _ => a == b,
    }
}

/// Whether every member `desired` sets (non-null) equals the member of `current`.
fn subset(desired: &Value, current: &Value) -> bool {
    match (desired, current) {
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .filter(|(_, v)| !v.is_null())
            .all(|(k, v)| y.get(k).is_some_and(|c| subset(v, c))),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| subset(p, q))
        }
        _ => same(desired, current),
    }
}

/// Compact JSON, cut to 80 characters.
fn brief(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}
