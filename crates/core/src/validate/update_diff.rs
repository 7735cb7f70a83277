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
//!   `slaTier`, `privateNetworkCluster` and `synchronousModeStrict` are compared too;
//! - what can change after creation besides a data centre's `nodeSize`: `twoFactorDelete` (the
//!   update body carries it) and `description` (changed by `updateClusterSettings`, the
//!   `change-settings` operation, as is `twoFactorDelete`): never refused here.
//!
//! Only fields present with the right shape are compared; malformed bodies are the business of
//! [`update_cluster`](super::update_cluster). No secret is ever compared or printed.
//!
//! The current cluster is compared as JSON: the typed model serialized (native client,
//! emulator), or the body of a `getCluster` answer that the shape check accepted (the wasm
//! client, which has no typed decode of the cluster), first brought to the form the typed model
//! serializes to ([`typed_form`]), so both give the same violations and messages.

use serde_json::{Number, Value};

use super::json::{index, key, Out};
use super::view::{AsJson, Bump, Canonical, Json, Obj, ReadOnly};
use super::{Violation, ViolationCode};
use crate::model::PostgresqlCluster;
use crate::shape::{HasShape, Shape};

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
/// `current` is a cluster as `getCluster` returns it: a model, or JSON the shape check of
/// `PostgresqlCluster` accepted (unknown fields, `null` optional fields and the like are dropped
/// first, as the typed decode drops them).
pub fn diff_cluster_update(current: &impl AsJson, desired: &impl AsJson) -> Vec<Violation> {
    current.with_json(|current| desired.with_json(|desired| diff(current, desired)))
}

/// A cluster model read through its JSON (`serde_json::to_value`): the current cluster of a
/// native caller's update guard.
impl AsJson for PostgresqlCluster {
    fn with_json<R>(&self, f: impl FnOnce(&Json<'_>) -> R) -> R {
        serde_json::to_value(self)
            .unwrap_or(Value::Null)
            .with_json(f)
    }
}

/// [`diff_cluster_update`] of two views.
fn diff(current: &Json<'_>, desired: &Json<'_>) -> Vec<Violation> {
    let mut out = Out::default();
    let Json::Object(body) = desired else {
        return out.0;
    };
    let arena = Bump::new();
    let top = typed_form(&PostgresqlCluster::SHAPE, current, &arena);
    for k in [
        "name",
        "postgresqlVersion",
        "slaTier",
        "privateNetworkCluster",
        "synchronousModeStrict",
    ] {
        compare(body, &top, "", k, Mode::Strict, &mut out);
    }
    let Some(Json::Array(dcs)) = body.get("dataCentres") else {
        return out.0;
    };
    let current_dcs = match top.get("dataCentres") {
        Some(Json::Array(items)) => items,
        _ => &[][..],
    };
    for (i, item) in dcs.iter().enumerate() {
        let Json::Object(dc) = item else { continue };
        let Some(cur) = matching(current_dcs, dc, i) else {
            continue;
        };
        let path = index("dataCentres", i);
        for (field, mode) in DC_FIELDS {
            compare(dc, cur, &path, field, mode, &mut out);
        }
    }
    out.0
}

/// `v` (JSON of `shape`) as the typed model of that shape serializes: the known fields only,
/// a `null` or missing optional field absent, a missing or `null` defaulted field as the
/// default, numbers read as `f64` written as such; new lists and objects in `arena`. Written by
/// hand over the shape table because the wasm has no typed decode of the cluster to round-trip
/// through.
fn typed_form<'a>(shape: &Shape, v: &Json<'a>, arena: &'a Bump) -> Json<'a> {
    match (shape, v) {
        (Shape::Option(inner), v) if !v.is_null() => typed_form(inner, v, arena),
        (Shape::List(inner), Json::Array(items)) => Json::Array(
            arena.alloc_slice_fill_iter(items.iter().map(|x| typed_form(inner, x, arena))),
        ),
        (Shape::Struct(s), Json::Object(m)) => {
            let mut out = Vec::new();
            for f in s.fields {
                let given = m.get(f.name).filter(|x| !x.is_null());
                let value = match given {
                    Some(x) => typed_form(f.shape, x, arena),
                    None if f.fill => default_of(f.shape),
                    None => continue,
                };
                if !value.is_null() {
                    out.push((f.name, value));
                }
            }
            Json::Object(Obj::from_entries(arena.alloc_slice_fill_iter(out)))
        }
        (Shape::F64, Json::Number(n)) => n
            .as_f64()
            .and_then(Number::from_f64)
            .map_or(Json::Null, Json::Number),
        _ => v.clone(),
    }
}

/// The JSON of the default of a (non-`null`) shape.
fn default_of<'a>(shape: &Shape) -> Json<'a> {
    match shape {
        Shape::Option(inner) => default_of(inner),
        Shape::List(_) => Json::Array(&[]),
        Shape::Str => Json::String(""),
        Shape::Bool => Json::Bool(false),
        Shape::U32 => Json::Number(0u32.into()),
        Shape::F64 => Number::from_f64(0.0).map_or(Json::Null, Json::Number),
        Shape::Struct(_) | Shape::Untagged(_) => Json::Null,
    }
}

fn matching<'v, 'a>(current: &'v [Json<'a>], dc: &Obj<'_>, i: usize) -> Option<&'v Json<'a>> {
    let by_name = dc.get("name").and_then(Json::as_str).and_then(|n| {
        current
            .iter()
            .find(|c| c.get("name").and_then(Json::as_str) == Some(n))
    });
    by_name
        .or_else(|| current.get(i))
        .or_else(|| current.first())
}

/// The items of a list field: none for absent or `null`, one for a value that is not a list.
fn as_list<'v, 'a>(v: Option<&'v Json<'a>>) -> &'v [Json<'a>] {
    match v {
        None | Some(Json::Null) => &[],
        Some(Json::Array(a)) => a,
        Some(other) => std::slice::from_ref(other),
    }
}

fn compare(
    desired: &Obj<'_>,
    current: &Json<'_>,
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
            w.len() != h.len() || w.iter().zip(h).any(|(a, b)| !same(a, b))
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
                w.len() != h.len() || w.iter().zip(h).any(|(a, b)| !subset(a, b))
            }
        }
    };
    if differs {
        let shown = |v: Option<&Json<'_>>| v.map_or_else(|| "none".to_owned(), brief);
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
fn same(a: &Json<'_>, b: &Json<'_>) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(*y).all(|(p, q)| same(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.keys()
                .chain(y.keys())
                .all(|k| match (present(x, k), present(y, k)) {
                    (None, None) => true,
                    (Some(p), Some(q)) => same(p, q),
                    _ => false,
                })
        }
        _ => a == b,
    }
}

/// Member `k` of `m` unless absent or `null`.
fn present<'a>(m: &Obj<'a>, k: &str) -> Option<&'a Json<'a>> {
    m.get(k).filter(|v| !v.is_null())
}

/// Whether every member `desired` sets (non-null) equals the member of `current`.
fn subset(desired: &Json<'_>, current: &Json<'_>) -> bool {
    match (desired, current) {
        // a repeated key is judged by its last value, as in a `Value`
        (Json::Object(x), Json::Object(y)) => x
            .keys()
            .all(|k| present(x, k).is_none_or(|v| y.get(k).is_some_and(|c| subset(v, c)))),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(*y).all(|(p, q)| subset(p, q))
        }
        _ => same(desired, current),
    }
}

/// Compact JSON (keys sorted, as a `Value` prints), cut to 80 characters.
fn brief(v: &Json<'_>) -> String {
    let s = Canonical {
        value: v,
        drop: ReadOnly::None,
        replace: None,
    }
    .to_text();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A getCluster body with what the typed decode drops: unknown fields (also inside the
    /// compared lists), `null` optional fields, numbers written as floats where a float is read.
    fn raw_current() -> Value {
        json!({
            "id": "c1", "name": "my-cluster", "postgresqlVersion": "16.2.0",
            "privateNetworkCluster": false, "slaTier": "NEW_TIER", "synchronousModeStrict": true,
            "description": null, "futureTop": {"a": 1}, "defaultUserPassword": "pw",
            "dataCentres": [
                {"name": "dc_1", "cloudProvider": "AWS_VPC", "region": "US_EAST_1",
                 "network": "10.1.0.0/16", "nodeSize": "s", "numberOfNodes": 2,
                 "clientToClusterEncryption": true,
                 "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS", "extra": 1}],
                 "interDataCentreReplication": null,
                 "pgBouncer": [{"pgBouncerVersion": "1.19.0", "poolMode": "TRANSACTION", "x": null}],
                 "awsSettings": [{"customVirtualNetworkId": "vpc-1", "ebsEncryptionKey": null,
                                  "futureKey": "k"}],
                 "tags": [{"key": "a", "value": "1", "owner": "me"}],
                 "providerAccountName": null, "nodes": [{"id": "n1", "status": "RUNNING"}],
                 "futureDc": [1, 2]},
                {"name": "dc_2", "cloudProvider": "GCP", "region": "r", "network": "10.2.0.0/16",
                 "nodeSize": "s", "numberOfNodes": 1, "clientToClusterEncryption": false,
                 "intraDataCentreReplication": [], "gcpSettings": [{"customVirtualNetworkId": "n"}]}
            ]
        })
    }

    #[test]
    fn what_change_settings_changes_is_never_refused() {
        let current: PostgresqlCluster = serde_json::from_value(json!({
            "name": "my-cluster", "postgresqlVersion": "16.2.0", "privateNetworkCluster": false,
            "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false, "description": "old",
            "twoFactorDelete": [{"confirmationEmail": "a@example.com"}],
            "dataCentres": []
        }))
        .unwrap();
        let mut whole = serde_json::to_value(&current).unwrap();
        whole["description"] = json!("new");
        whole["twoFactorDelete"] = json!([{"confirmationEmail": "b@example.com"}]);
        assert_eq!(diff_cluster_update(&current, &whole), vec![]);
        // a field the guard keeps is still refused in the same body
        whole["slaTier"] = json!("PRODUCTION");
        let v = diff_cluster_update(&current, &whole);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].path, "slaTier");
    }

    fn desired_bodies() -> Vec<Value> {
        let mut whole = raw_current();
        whole["name"] = json!("other");
        whole["slaTier"] = json!("PRODUCTION");
        vec![
            whole,
            raw_current(),
            json!({"dataCentres": [{"name": "dc_1", "network": "10.9.0.0/16", "numberOfNodes": 3,
                "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS", "extra": 1}],
                "pgBouncer": null,
                "awsSettings": [{"customVirtualNetworkId": "vpc-1", "futureKey": "k"}],
                "tags": [{"key": "a", "value": "1", "owner": "me"}],
                "interDataCentreReplication": [{"isPrimaryDataCentre": true}]}]}),
            json!({"dataCentres": [{"name": "nope", "region": "X", "providerAccountName": "p",
                "gcpSettings": [{"customVirtualNetworkId": "n"}], "cloudProvider": "GCP"},
                {"network": "10.2.0.0/16", "pgBouncer": [], "tags": []}, 7]}),
            json!({"dataCentres": {"not": "a list"}, "synchronousModeStrict": false}),
            json!([1]),
        ]
    }

    #[test]
    fn the_json_current_gives_what_the_typed_current_gives() {
        let raw = raw_current();
        let typed: PostgresqlCluster = serde_json::from_value(raw.clone()).unwrap();
        let mut seen = 0;
        for desired in desired_bodies() {
            let arena = Bump::new();
            let from_json = diff_cluster_update(
                &Json::from_value(&raw, &arena),
                &Json::from_value(&desired, &arena),
            );
            assert_eq!(
                from_json,
                diff_cluster_update(&typed, &desired),
                "{desired}"
            );
            seen += from_json.len();
        }
        // the bodies do find conflicts (unknown fields compared as the typed model has them)
        assert!(seen >= 10, "{seen}");
    }

    #[test]
    fn typed_form_is_the_typed_serialization() {
        let raw = raw_current();
        let typed: PostgresqlCluster = serde_json::from_value(raw.clone()).unwrap();
        let arena = Bump::new();
        let text = |v: &Json<'_>| brief_full(v);
        assert_eq!(
            text(&typed_form(
                &PostgresqlCluster::SHAPE,
                &Json::from_value(&raw, &arena),
                &arena
            )),
            serde_json::to_value(&typed).unwrap().to_string()
        );
        let three = json!(3);
        let f = Shape::F64;
        assert_eq!(
            text(&typed_form(&f, &Json::from_value(&three, &arena), &arena)),
            "3.0"
        );
    }

    fn brief_full(v: &Json<'_>) -> String {
        Canonical {
            value: v,
            drop: ReadOnly::None,
            replace: None,
        }
        .to_text()
    }
}
