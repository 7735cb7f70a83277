//! The response check (`shape::check`, what the wasm client runs before `JSON.parse`) against the
//! typed decode (`response::parse_*`, what the native client runs): for every body, both accept
//! or both reject, and a rejection names the same path with the same message; an accepted body
//! parsed as JSON with the check's fixes applied is the typed value (plus unknown fields).
//!
//! Bodies: the 2xx bodies of the hostile corpus (`tests/hostile/bodies.mjs`, run with node), every
//! example of the API document, and mutations of valid bodies (proptest: values replaced by other
//! JSON types and edge numbers, keys removed, duplicated, added, bytes flipped, bodies cut). Each
//! body is tried against every response model, so a body of one model is also a wrong body of
//! the others. `DIFF_CASES` sets the number of mutated bodies (default 512).
//!
//! The check's fast path (`shape::scan_plain`, a byte scanner for plain bodies that accepts or
//! gives up, never refuses) is also held against the full check on every body: whatever it
//! accepts, the full check accepts with the same fixes; each run counts the bodies it took.
//!
//! Intended differences (the only ones allowed; each is counted and printed):
//! - D1: a JSON list where an object is expected. serde fills a struct from a list by position
//!   (`["id", "name", ...]`) and the typed decode accepts such a body or fails somewhere inside
//!   it; the check refuses the list itself (`at <path>: a list where an object was expected`,
//!   the typed decode's words where it notices): `JSON.parse` would hand the caller an array
//!   where the types promise an object.
//!   When the text after such a list is not valid JSON, both refuse the body, the check with
//!   `body is not valid json: ...` at the syntax error (it reads the list whole), the typed
//!   decode with what it met while reading the list by position (a type error, or serde_json's
//!   "trailing characters" where the list is longer than the struct).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::process::Command;

use base64::Engine as _;
use instaclustr_pg_core::model::{
    AccountClusters, ApplicationVersionsList, CloudProviderNodeSizesList, ClusterBackupEvents,
    ClusterRestore, PostgresqlCluster,
};
use instaclustr_pg_core::response;
use instaclustr_pg_core::shape::{
    apply_fixes, check, check_with_fixes, full_check, scan_plain, HasShape, Shape,
};
use instaclustr_pg_core::Error;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

const SPEC: &str = include_str!("../../../spec/instaclustr-postgresql-v2.openapi.json");

/// A response model: its typed decode and its shape.
struct Model {
    name: &'static str,
    typed: fn(&[u8]) -> Result<Value, Error>,
    shape: &'static Shape,
}

const CLUSTER: &Shape = &PostgresqlCluster::SHAPE;
const BACKUPS: &Shape = &ClusterBackupEvents::SHAPE;
const RESTORE: &Shape = &ClusterRestore::SHAPE;
const VERSIONS: &Shape = &<Vec<ApplicationVersionsList>>::SHAPE;
const SIZES: &Shape = &<Vec<CloudProviderNodeSizesList>>::SHAPE;
const CLUSTERS: &Shape = &<Vec<AccountClusters>>::SHAPE;

const MODELS: &[Model] = &[
    Model {
        name: "PostgresqlCluster",
        typed: |b| response::json::<PostgresqlCluster>(200, b).map(to_value),
        shape: CLUSTER,
    },
    Model {
        name: "ClusterBackupEvents",
        typed: |b| response::json::<ClusterBackupEvents>(200, b).map(to_value),
        shape: BACKUPS,
    },
    Model {
        name: "ClusterRestore",
        typed: |b| response::json::<ClusterRestore>(202, b).map(to_value),
        shape: RESTORE,
    },
    Model {
        name: "ApplicationVersionsList[]",
        typed: |b| response::json::<Vec<ApplicationVersionsList>>(200, b).map(to_value),
        shape: VERSIONS,
    },
    Model {
        name: "CloudProviderNodeSizesList[]",
        typed: |b| response::json::<Vec<CloudProviderNodeSizesList>>(200, b).map(to_value),
        shape: SIZES,
    },
    Model {
        name: "AccountClusters[]",
        typed: |b| response::json::<Vec<AccountClusters>>(200, b).map(to_value),
        shape: CLUSTERS,
    },
];

fn to_value<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).expect("a typed value serializes")
}

fn message<T>(r: Result<T, Error>) -> Result<(), String> {
    r.map(drop).map_err(|e| match e {
        Error::Decode { message } => message,
        other => format!("not a decode error: {other:?}"),
    })
}

/// What comparing one body under one model gave.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Outcome {
    BothAccept,
    BothRejectSame,
    D1ListForStruct,
    D1ListForStructInvalidJson,
}

/// Compares the two on `body` as `model`: an outcome, or the disagreement.
fn compare(model: &Model, body: &[u8]) -> Result<Outcome, String> {
    let typed = message((model.typed)(body));
    let checked = message(check(model.shape, body));
    match (&typed, &checked) {
        (Ok(()), Ok(())) => {
            same_value(model, body)?;
            Ok(Outcome::BothAccept)
        }
        (Err(a), Err(b)) if a == b => Ok(Outcome::BothRejectSame),
        (_, Err(b)) if b.ends_with("a list where an object was expected") => {
            Ok(Outcome::D1ListForStruct)
        }
        (Err(a), Err(b))
            if b.starts_with("body is not valid json") && a != b && body.contains(&b'[') =>
        {
            Ok(Outcome::D1ListForStructInvalidJson)
        }
        _ => Err(format!(
            "{}: typed {typed:?} but check {checked:?} for body {:?}",
            model.name,
            String::from_utf8_lossy(&body[..body.len().min(600)])
        )),
    }
}

/// For a body both accept: `JSON.parse` of it (here `serde_json::Value`) after the check's fixes
/// (edits of the text) is the typed value plus the unknown fields.
fn same_value(model: &Model, body: &[u8]) -> Result<(), String> {
    let typed = (model.typed)(body).map_err(|e| e.to_string())?;
    let fixes = check_with_fixes(model.shape, body).map_err(|e| e.to_string())?;
    // serde_json's Value stands in for JSON.parse; it refuses a few things that JSON.parse and
    // the typed decode (which skips unknown fields unread) both take: a lone surrogate escape,
    // a number beyond f64 in an unknown field
    if serde_json::from_slice::<Value>(body).is_err() {
        return Ok(());
    }
    let text = apply_fixes(body, &fixes);
    let mut parsed = serde_json::from_slice::<Value>(&text).map_err(|e| {
        format!(
            "{}: the text after {} fixes is not JSON ({e}): {}",
            model.name,
            fixes.len(),
            String::from_utf8_lossy(&text[..text.len().min(600)])
        )
    })?;
    strip_unknown(&mut parsed, model.shape);
    if equal(&parsed, &typed) {
        Ok(())
    } else {
        Err(format!(
            "{}: values differ after {} fixes:\n parsed {parsed}\n typed  {typed}",
            model.name,
            fixes.len()
        ))
    }
}

/// Removes the fields the shape does not know (the typed decode drops them).
fn strip_unknown(v: &mut Value, shape: &Shape) {
    match (shape, v) {
        (Shape::Option(inner), v) => strip_unknown(v, inner),
        (Shape::List(inner), Value::Array(a)) => a.iter_mut().for_each(|x| strip_unknown(x, inner)),
        (Shape::Struct(s), Value::Object(m)) => {
            m.retain(|k, _| s.fields.iter().any(|f| f.name == k));
            for f in s.fields {
                if let Some(x) = m.get_mut(f.name) {
                    strip_unknown(x, f.shape);
                }
            }
        }
        _ => {}
    }
}

/// Equal as JavaScript sees them (numbers by value: `2` and `2.0` are one number).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| equal(p, q)))
        }
        _ => a == b,
    }
}

/// The fast path against the full check on `body` as `model`: whether it took the body, or the
/// disagreement (it accepted what the full check refuses, or with other fixes).
fn fast_agrees(model: &Model, body: &[u8]) -> Result<bool, String> {
    let Some(fast) = scan_plain(model.shape, body) else {
        return Ok(false);
    };
    match full_check(model.shape, body) {
        Ok(full) if format!("{full:?}") == format!("{fast:?}") => Ok(true),
        other => Err(format!(
            "{}: the fast path accepted with fixes {fast:?}, the full check gave {other:?}, for body {:?}",
            model.name,
            String::from_utf8_lossy(&body[..body.len().min(600)])
        )),
    }
}

/// [`compare`] and [`fast_agrees`]; the count of bodies the fast path took goes to `fast`.
fn compare_both(model: &Model, body: &[u8], fast: &mut usize) -> Result<Outcome, String> {
    if fast_agrees(model, body)? {
        *fast += 1;
    }
    compare(model, body)
}

/// Runs every model on every body; fails with the disagreements; returns the tally (the fast
/// path's count under `FAST`).
fn run_all(bodies: &[(String, Vec<u8>)]) -> BTreeMap<Outcome, usize> {
    let mut tally = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut fast = 0;
    for (name, body) in bodies {
        for model in MODELS {
            match compare_both(model, body, &mut fast) {
                Ok(o) => *tally.entry(o).or_insert(0) += 1,
                Err(e) => wrong.push(format!("{name}: {e}")),
            }
        }
    }
    println!(
        "fast path took {fast} of {} checks",
        bodies.len() * MODELS.len()
    );
    assert!(fast > 0, "the fast path took no body");
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    tally
}

/// Every `example` in the API document (responses, schemas, nested), as bytes.
fn spec_examples() -> Vec<(String, Vec<u8>)> {
    fn walk(v: &Value, path: &str, out: &mut Vec<(String, Vec<u8>)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{path}/{k}");
                    if k == "example" {
                        out.push((p.clone(), serde_json::to_vec(x).unwrap_or_default()));
                    }
                    walk(x, &p, out);
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let spec: Value = serde_json::from_str(SPEC).expect("the API document is JSON");
    let mut out = Vec::new();
    walk(&spec, "", &mut out);
    out
}

/// The 2xx bodies of the hostile corpus, produced by node from `tests/hostile/cases.mjs`.
fn hostile_bodies() -> Vec<(String, Vec<u8>)> {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/hostile/bodies.mjs"
    );
    let out = Command::new("node")
        .arg(script)
        .output()
        .expect("node is needed to read the hostile corpus (tests/hostile/cases.mjs)");
    assert!(
        out.status.success(),
        "bodies.mjs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 lines");
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("one JSON line per body");
            let name = v["name"].as_str().unwrap_or_default().to_owned();
            let body = base64::engine::general_purpose::STANDARD
                .decode(v["body"].as_str().unwrap_or_default())
                .expect("base64 body");
            (name, body)
        })
        .collect()
}

#[test]
fn hostile_corpus_same_verdict_and_path() {
    let bodies = hostile_bodies();
    assert!(bodies.len() >= 50, "only {} hostile bodies", bodies.len());
    let tally = run_all(&bodies);
    println!(
        "hostile corpus: {} bodies x {} models: {tally:?}",
        bodies.len(),
        MODELS.len()
    );
    assert!(tally.get(&Outcome::BothAccept).copied().unwrap_or(0) > 0);
    assert!(tally.get(&Outcome::BothRejectSame).copied().unwrap_or(0) > 0);
}

#[test]
fn spec_examples_same_verdict_and_path() {
    let bodies = spec_examples();
    assert!(bodies.len() >= 10, "only {} examples", bodies.len());
    let tally = run_all(&bodies);
    println!(
        "spec examples: {} bodies x {} models: {tally:?}",
        bodies.len(),
        MODELS.len()
    );
    assert!(tally.get(&Outcome::BothAccept).copied().unwrap_or(0) >= 6);
}

/// The intended difference D1, on purpose: a struct sent as a list by position.
#[test]
fn d1_list_for_struct_is_refused_by_the_check_only() {
    let body = br#"[{"applicationVersions":[["POSTGRESQL",["16.2.0"]]]}]"#;
    let model = &MODELS[3];
    assert!(
        (model.typed)(body).is_ok(),
        "serde reads the struct by position"
    );
    let e = message(check(model.shape, body)).unwrap_err();
    assert_eq!(
        e,
        "at [0].applicationVersions[0]: a list where an object was expected"
    );
    assert_eq!(compare(model, body), Ok(Outcome::D1ListForStruct));
}

/// Values of running and finished backups, and both forms of `pointInTime`.
#[test]
fn lenient_forms_agree() {
    let bodies: Vec<(String, Vec<u8>)> = [
        r#"{"id":"c","clusterDataCentres":[{"nodes":[{"events":[{"start":1730419200000,"end":null,"progress":0.5,"state":"IN_PROGRESS","type":"postgresql-backup","extra":{"a":[1,2]}}]}]}]}"#,
        r#"{"clusterDataCentres":null}"#,
        r#"{"clusterDataCentres":[{"nodes":null}]}"#,
        r#"{"clusterId":"c","pointInTime":1730419200000,"restoredClusterId":"r"}"#,
        r#"{"clusterId":"c","pointInTime":"1730419200000"}"#,
        r#"{"clusterId":"c","pointInTime":-1.5e3}"#,
        r#"{"clusterId":"c","pointInTime":true}"#,
        r#"{"clusterId":"c","pointInTime":{"a":"\u00e9"}}"#,
        r#"{"clusterId":"c","pointInTime":[1]}"#,
        r#"{"clusterId":"c","pointInTime":null}"#,
        r#"[{"cloudProviderNodeSizes":[{"cloudProvider":"NEW_CLOUD","nodeSizes":null}]}]"#,
        r#"[{"cloudProviderNodeSizes":[{"nodeSizes":[]}]}]"#,
        r#"[{"clusters":[{"application":"POSTGRESQL","id":"x","id":"y"}]}]"#,
        r#"[{"accountId":null,"clusters":[{"application":"X","id":"\ud800"}]}]"#,
    ]
    .iter()
    .map(|s| (s.to_string(), s.as_bytes().to_vec()))
    .collect();
    let tally = run_all(&bodies);
    assert!(
        tally.get(&Outcome::BothAccept).copied().unwrap_or(0) >= 6,
        "{tally:?}"
    );
}

/// `null` members cut from every place of an object (first, last, only, in a row, around
/// unknown and defaulted members, with whitespace), missing defaulted fields added to objects
/// left empty or not, on plain bodies (the fast path) and the same with an escape (the full
/// check): the edited text is JSON and its value the typed one.
#[test]
fn null_members_cut_in_every_place() {
    let events = [
        r#"{"end":null}"#,
        r#"{"end":null,"start":1}"#,
        r#"{"start":1,"end":null}"#,
        r#"{"end":null,"progress":null}"#,
        r#"{"end":null,"progress":null,"state":null}"#,
        r#"{"start":1,"end":null,"progress":null}"#,
        r#"{"end":null,"start":1,"progress":null}"#,
        r#"{"x":null,"end":null,"y":[null]}"#,
        r#"{ "end" : null , "start" : 1 , "progress" : null }"#,
        "{\n  \"end\": null,\n  \"progress\": null\n}",
        r#"{"start":1,"end":null,"type":"t\u0041","progress":null}"#,
    ];
    let nodes = [
        r#"{"events":null}"#,
        r#"{"id":null}"#,
        r#"{"id":null,"events":null}"#,
        r#"{"events":null,"id":null}"#,
        r#"{}"#,
        r#"{"id":"n","publicAddress":null}"#,
    ];
    let mut bodies = Vec::new();
    for e in events {
        for n in nodes {
            let node = n.replace("\"events\":null", &format!("\"events\":[{e},{e}]"));
            for body in [
                format!(r#"{{"clusterDataCentres":[{{"nodes":[{node},{n}]}}]}}"#),
                format!(
                    r#"{{"id":null,"name":"c\u0041","clusterDataCentres":[{{"nodes":[{node}],"id":null}}]}}"#
                ),
                format!(
                    r#"{{"name":null,"clusterDataCentres":[{{"id":null,"nodes":[{e}]}}],"id":null}}"#
                ),
            ] {
                bodies.push((body.clone(), body.into_bytes()));
            }
        }
    }
    run_all(&bodies);
    for (name, body) in &bodies {
        assert!(check(BACKUPS, body).is_ok(), "refused: {name}");
        let plain = !name.contains('\\');
        assert_eq!(
            scan_plain(BACKUPS, body).is_some(),
            plain,
            "fast path: {name}"
        );
    }
}

fn diff_cases() -> u32 {
    std::env::var("DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(512)
}

/// Every path (object keys and list indexes) of a value.
fn paths(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Value::String(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Value::from(i));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(n) => cur.get_mut(n.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Replacement values: other JSON types and the numbers at the edges of the models' types.
const REPLACEMENTS: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "2.5",
    "-0",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "1e300",
    "\"\"",
    "\"RUNNING\"",
    "\"\\u00e9\\n\"",
    "[]",
    "{}",
    "[null]",
    "{\"x\":1}",
];

/// One mutation of a body; `a` and `b` pick where and what.
fn mutate(body: &[u8], kind: u8, a: u64, b: u64) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(body) else {
        return body.to_vec();
    };
    let mut all = Vec::new();
    paths(&v, &mut Vec::new(), &mut all);
    let path = all[(a as usize) % all.len()].clone();
    let pick = |n: usize| (b as usize) % n;
    match kind % 8 {
        // a value replaced by another
        0 | 1 => {
            let r: Value = serde_json::from_str(REPLACEMENTS[pick(REPLACEMENTS.len())]).unwrap();
            if let Some(slot) = at_mut(&mut v, &path) {
                *slot = r;
            }
        }
        // a value wrapped in a list (a struct as a list: D1 territory) or in an object
        2 => {
            if let Some(slot) = at_mut(&mut v, &path) {
                let old = slot.take();
                *slot = if b % 2 == 0 {
                    Value::Array(vec![old])
                } else {
                    serde_json::json!({ "unknownField": old })
                };
            }
        }
        // a key removed, or an unknown one added
        3 => {
            if let Some(Value::Object(m)) = at_mut(&mut v, &path) {
                let keys: Vec<String> = m.keys().cloned().collect();
                if b % 2 == 0 && !keys.is_empty() {
                    m.remove(&keys[pick(keys.len())]);
                } else {
                    m.insert(
                        "fieldFromTheFuture".into(),
                        serde_json::json!({"deep": [1, "x"]}),
                    );
                }
            }
        }
        // text-level: a key duplicated, a cut, a byte flipped, a number rewritten
        _ => {
            let text = serde_json::to_vec(&v).unwrap_or_default();
            if text.is_empty() {
                return text;
            }
            let i = (a as usize) % text.len();
            return match kind % 8 {
                4 => {
                    // the key starting at the i-th quote, duplicated with its value
                    let mut out = text.clone();
                    if let Some(q) = text[i..].iter().position(|&c| c == b'"') {
                        let start = i + q;
                        if let Some(end) =
                            text[start..].iter().position(|&c| c == b',' || c == b'}')
                        {
                            let piece = text[start..start + end].to_vec();
                            if piece.contains(&b':') {
                                out.splice(start..start, piece.iter().copied().chain([b',']));
                            }
                        }
                    }
                    out
                }
                5 => text[..i].to_vec(),
                6 => {
                    let mut out = text.clone();
                    const BYTES: &[u8] = b"{}[],:\"0a\\ \xff-e.";
                    out[i] = BYTES[pick(BYTES.len())];
                    out
                }
                _ => {
                    let mut out = text.clone();
                    if let Some(d) = text[i..].iter().position(u8::is_ascii_digit) {
                        let start = i + d;
                        let len = text[start..]
                            .iter()
                            .position(|c| !c.is_ascii_digit())
                            .unwrap_or(text.len() - start);
                        let r = ["1e400", "1.0", "4294967296", "-7", "00", "1E2"][pick(6)];
                        out.splice(start..start + len, r.bytes());
                    }
                    out
                }
            };
        }
    }
    serde_json::to_vec(&v).unwrap_or_default()
}

/// Valid bodies to start the mutations from: those of the examples and hostile corpus that at
/// least one model accepts, plus a running backup and both forms of `pointInTime`.
fn seeds() -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> = spec_examples().into_iter().map(|(_, b)| b).collect();
    all.extend(
        hostile_bodies()
            .into_iter()
            .map(|(_, b)| b)
            .filter(|b| b.len() < 100_000),
    );
    all.push(br#"{"id":"c","name":"n","clusterDataCentres":[{"id":"d","nodes":[{"id":"x","events":[{"start":1730419200000,"end":null,"progress":0.25,"state":"IN_PROGRESS","type":"postgresql-backup"}]}]}]}"#.to_vec());
    all.push(br#"{"clusterId":"c","cdcConfigs":[{"cdcId":"d","restoreMode":"CUSTOM_VPC","customVpcSettings":{"vpcId":"v","network":"10.0.0.0/16"}}],"pointInTime":"1730419200000","restoredClusterId":"r"}"#.to_vec());
    all.into_iter()
        .filter(|b| MODELS.iter().any(|m| (m.typed)(b).is_ok()))
        .collect()
}

#[test]
fn mutated_bodies_same_verdict_and_path() {
    let seeds = seeds();
    assert!(seeds.len() >= 8, "only {} valid seeds", seeds.len());
    let config = Config {
        cases: diff_cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let strategy = (
        0..seeds.len(),
        prop::collection::vec((any::<u8>(), any::<u64>(), any::<u64>()), 1..4),
    );
    let mut runner = TestRunner::new(config);
    let tally = std::cell::RefCell::new(BTreeMap::<Outcome, usize>::new());
    let fast = std::cell::RefCell::new(0usize);
    runner
        .run(&strategy, |(seed, steps)| {
            let mut body = seeds[seed].clone();
            for (kind, a, b) in steps {
                body = mutate(&body, kind, a, b);
            }
            for model in MODELS {
                let o = compare_both(model, &body, &mut fast.borrow_mut())
                    .map_err(TestCaseError::fail)?;
                *tally.borrow_mut().entry(o).or_insert(0) += 1;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let tally = tally.into_inner();
    println!(
        "mutated: {} bodies x {} models: {tally:?}",
        diff_cases(),
        MODELS.len()
    );
    assert!(tally.get(&Outcome::BothRejectSame).copied().unwrap_or(0) > 0);
    assert!(tally.get(&Outcome::BothAccept).copied().unwrap_or(0) > 0);
    let fast = fast.into_inner();
    println!("mutated: the fast path took {fast} checks");
    assert!(fast > 0, "the fast path took no mutated body");
}

/// The tokens the hand-written full check must read exactly as serde_json does: every number,
/// string, literal and bracket edge it words or places differently (each message of the check).
const EDGE_TOKENS: &[&[u8]] = &[
    b"-0",
    b"0",
    b"-",
    b"-x",
    b"01",
    b"-01",
    b"1.",
    b"1.e5",
    b".5",
    b"1e",
    b"1e+",
    b"1e-",
    b"1E5",
    b"1ex",
    b"1e400",
    b"-1e400",
    b"1e-400",
    b"18446744073709551615",
    b"18446744073709551616",
    b"-9223372036854775808",
    b"-9223372036854775809",
    b"4294967295",
    b"4294967296",
    b"-1",
    b"1.5",
    b"0.1e1",
    b"123456789012345678901234567890",
    b"1234567890123456789012.5e3",
    b"0.000000000000000000000000000000001",
    b"1e2147483647",
    b"1e2147483648",
    b"0e99999999999",
    b"1e-99999999999",
    b"0.0e99999999999",
    b"1.0",
    b"2.5e-3",
    b"1x",
    b"00",
    b"1.7976931348623157e308",
    b"1.7976931348623159e308",
    b"5e-324",
    b"\"a\"",
    b"\"\\u0041\"",
    b"\"\\u00e9\"",
    b"\"\\ud83d\\ude00\"",
    b"\"\\ud83d\"",
    b"\"\\ud83dx\"",
    b"\"\\ud83d\\n\"",
    b"\"\\ud83d\\u0041\"",
    b"\"\\ude00\"",
    b"\"\\uzzzz\"",
    b"\"\\u12\"",
    b"\"\\u12",
    b"\"\\x\"",
    b"\"\\\"",
    b"\"\\",
    b"\"a\tb\"",
    b"\"a\x01\"",
    b"\"\xc3\xa9\"",
    b"\"\xff\"",
    b"\"a\xc3\"",
    b"\"\\n\xff\"",
    b"\"",
    b"\"abc",
    b"true",
    b"false",
    b"null",
    b"tru",
    b"nul",
    b"nulx",
    b"t",
    b"f",
    b"n",
    b"x",
    b"",
    b"[]",
    b"{}",
    b"[1,]",
    b"[1 2]",
    b"[,1]",
    b"{\"a\":1,}",
    b"{\"a\" 1}",
    b"{1:2}",
    b"{\"a\":1 \"b\":2}",
    b"{,}",
    b"[",
    b"{",
    b"{\"a\"",
    b"{\"a\":",
    b"[\"\\ud83d\"]",
    b"{\"\\ud83d\":1}",
    b"{\"a\xff\":1}",
    b" \t\r\n 1",
    b"\xef\xbb\xbf1",
    b"[[[]]]",
    b"[{\"a\":[1e400,\"\\q\"]}]",
];

/// Bodies around [`EDGE_TOKENS`]: alone, in a list, as the value of every field of every model
/// (and of an unknown field, and of a key spelled with an escape), deep nesting around the
/// recursion limit, and every prefix of a body with escapes.
fn edge_bodies() -> Vec<(String, Vec<u8>)> {
    fn fields(shape: &Shape, out: &mut Vec<&'static str>) {
        match shape {
            Shape::Struct(s) => {
                for f in s.fields {
                    out.push(f.name);
                    fields(f.shape, out);
                }
            }
            Shape::List(inner) | Shape::Option(inner) => fields(inner, out),
            _ => {}
        }
    }
    let mut names = vec!["unknownField"];
    for model in MODELS {
        fields(model.shape, &mut names);
    }
    names.sort_unstable();
    names.dedup();
    let mut out = Vec::new();
    for (t, token) in EDGE_TOKENS.iter().enumerate() {
        let token = token.to_vec();
        out.push((format!("token {t}"), token.clone()));
        out.push((format!("[token {t}]"), [b"[", &token[..], b"]"].concat()));
        out.push((
            format!("[{{token {t}}}]"),
            [b"[{\"id\":", &token[..], b"}]"].concat(),
        ));
        for name in &names {
            let key = format!("{{\"{name}\":");
            out.push((
                format!("{name}: token {t}"),
                [key.as_bytes(), &token[..], b"}"].concat(),
            ));
            out.push((
                format!("{name}: token {t}, more"),
                [key.as_bytes(), &token[..], b" , \"x\":1}"].concat(),
            ));
        }
    }
    for name in &names {
        // the key with its first letter escaped is the same key
        let mut chars = name.chars();
        let first = chars.next().map(u32::from).unwrap_or(0);
        let escaped = format!("{{\"\\u{first:04x}{}\":\"x\"}}", chars.as_str());
        out.push((format!("escaped key {name}"), escaped.into_bytes()));
    }
    for depth in [126, 127, 128, 129, 200] {
        let lists = [&b"[".repeat(depth)[..], &b"]".repeat(depth)[..]].concat();
        out.push((format!("{depth} lists"), lists.clone()));
        out.push((
            format!("{depth} lists in a field"),
            [b"{\"unknownField\":", &lists[..], b"}"].concat(),
        ));
        out.push((
            format!("{depth} lists in a list field"),
            [b"{\"dataCentres\":", &lists[..], b"}"].concat(),
        ));
        let objects = [&b"{\"a\":".repeat(depth)[..], b"1", &b"}".repeat(depth)[..]].concat();
        out.push((format!("{depth} objects"), objects));
    }
    let sample: &[u8] = b" {\"id\" : \"\\u0041b\\ud83d\\ude00\", \"name\":\"n\\t\xc3\xa9\",\n\
        \"dataCentres\": [ {\"nodes\": [ {\"x\": [1.5e3, -2, true, null, {\"y\": \"\\\\\"}]} ] } ],\r\n\
        \"unknown\": {\"a\": [false]}, \"slaTier\": \"PRODUCTION\" } ";
    for end in 0..=sample.len() {
        out.push((format!("prefix {end}"), sample[..end].to_vec()));
    }
    out
}

#[test]
fn edge_bodies_same_verdict_and_path() {
    let bodies = edge_bodies();
    let tally = run_all(&bodies);
    println!(
        "edge bodies: {} bodies x {} models: {tally:?}",
        bodies.len(),
        MODELS.len()
    );
    assert!(tally.get(&Outcome::BothRejectSame).copied().unwrap_or(0) > 1000);
}
