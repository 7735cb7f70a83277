//! Fuzzing of every entry point that takes outside input, on the stable
//! toolchain: structured proptest generators (mutations of the spec's examples and of valid
//! request bodies, random JSON trees, random bytes, truncations and byte flips of valid bodies,
//! hostile zips) against the validators, the point-in-time parser, every response parser, the
//! certificate zip reader and the field helpers.
//!
//! Budget: `FUZZ_CASES` inputs per target (default 256, so `cargo test` stays quick; the campaign
//! `scripts/campaign.d/10-fuzz` sets it). `FUZZ_SEED` (a number) makes a run reproducible; the
//! seed used is printed. Each target prints `TALLY fuzz-<target>: <execs> execs (<inputs> inputs),
//! 0 panics`, where an execution is one call of one entry point. A panic fails the test with the
//! shrunk input: it then becomes a regression test at the end of this file.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use instaclustr_pg_core::certificate;
use instaclustr_pg_core::endpoints::Endpoint;
use instaclustr_pg_core::endpoints::*;
use instaclustr_pg_core::model::PostgresqlCluster;
use instaclustr_pg_core::response::{parse_api_error, MAX_RAW_BYTES};
use instaclustr_pg_core::validate;
use instaclustr_pg_core::Error;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};

const SPEC: &str = include_str!("../../../spec/instaclustr-postgresql-v2.openapi.json");
const NOW: f64 = 1_764_000_000_000.0; // 2025-11-24

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        std::env::var("FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(7, |d| d.as_nanos() as u64)
            })
    })
}

/// Runs `f` on `cases()` inputs of `strategy`; `f` returns how many entry-point calls it made.
fn campaign<S>(name: &str, strategy: S, f: impl Fn(S::Value) -> u64)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..Config::default()
    };
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed().to_le_bytes());
    key[8..8 + name.len().min(24)].copy_from_slice(&name.as_bytes()[..name.len().min(24)]);
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &key));
    let execs = AtomicU64::new(0);
    let inputs = AtomicU64::new(0);
    let result = runner.run(&strategy, |v| {
        inputs.fetch_add(1, Ordering::Relaxed);
        execs.fetch_add(f(v), Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("fuzz-{name} (FUZZ_SEED={}): {e}", seed());
    }
    println!(
        "TALLY fuzz-{name}: {} execs ({} inputs, seed {}), 0 panics",
        execs.into_inner(),
        inputs.into_inner(),
        seed()
    );
}

// ---------------------------------------------------------------------------------------------
// seeds: the spec's examples, valid bodies, field names and enum values of the document

struct Spec {
    /// Every object/array `example` of the document.
    examples: Vec<Value>,
    /// Every property name of every schema.
    fields: Vec<String>,
    /// Every enum value of every schema.
    enums: Vec<String>,
}

fn spec() -> &'static Spec {
    static SPEC_SEEDS: OnceLock<Spec> = OnceLock::new();
    SPEC_SEEDS.get_or_init(|| {
        let doc: Value = serde_json::from_str(SPEC).unwrap_or(Value::Null);
        let mut s = Spec {
            examples: Vec::new(),
            fields: Vec::new(),
            enums: Vec::new(),
        };
        fn walk(v: &Value, s: &mut Spec) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        match (k.as_str(), x) {
                            ("example", Value::Object(_) | Value::Array(_)) => {
                                s.examples.push(x.clone())
                            }
                            ("properties", Value::Object(p)) => {
                                s.fields.extend(p.keys().cloned());
                                walk(x, s);
                            }
                            ("enum", Value::Array(e)) => {
                                s.enums
                                    .extend(e.iter().filter_map(Value::as_str).map(str::to_owned));
                            }
                            _ => walk(x, s),
                        }
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, s)),
                _ => {}
            }
        }
        walk(&doc, &mut s);
        s.fields.sort();
        s.fields.dedup();
        s.enums.sort();
        s.enums.dedup();
        s.examples.extend(valid_bodies());
        s
    })
}

fn data_centre(name: &str, network: &str, primary: bool) -> Value {
    json!({
        "name": name, "cloudProvider": "AWS_VPC", "region": "US_EAST_1", "network": network,
        "nodeSize": "PGS-DEV-t4g.small-5", "numberOfNodes": 2, "clientToClusterEncryption": true,
        "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS"}],
        "interDataCentreReplication": [{"isPrimaryDataCentre": primary}],
        "awsSettings": [{"customVirtualNetworkId": "vpc-12345678"}],
        "tags": [{"key": "team", "value": "db"}],
        "pgBouncer": [{"pgBouncerVersion": "1.20.0", "poolMode": "TRANSACTION"}],
        "providerAccountName": "acct"
    })
}

fn create_body() -> Value {
    json!({
        "name": "my-cluster", "postgresqlVersion": "16.2.0", "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false, "description": "fuzz seed",
        "pciComplianceMode": false,
        "twoFactorDelete": [{"confirmationEmail": "ops@example.com", "confirmationPhoneNumber": "+61400000000"}],
        "resizeSettings": [{"notifySupportContacts": true, "concurrency": 1}],
        "extensions": ["PG_CRON"],
        "dataCentres": [data_centre("dc_1", "10.1.0.0/16", true), data_centre("dc_2", "10.2.0.0/16", false)]
    })
}

fn cluster_response() -> Value {
    let mut c = create_body();
    c["id"] = json!("c0e5e2ff-affe-444c-bdca-707c7b48aaad");
    c["status"] = json!("RUNNING");
    c["currentClusterOperationStatus"] = json!("NO_OPERATION");
    if let Some(dcs) = c["dataCentres"].as_array_mut() {
        for (i, dc) in dcs.iter_mut().enumerate() {
            dc["id"] = json!(format!("a8c32b20-c8f0-11e7-abc4-cec278b6b50{i}"));
            dc["status"] = json!("RUNNING");
            dc["nodes"] = json!([{
                "id": "9a27373a-0451-4121-94ba-873fc441f313", "nodeSize": "PGS-DEV-t4g.small-5",
                "status": "RUNNING", "rack": "us-east-1a", "privateAddress": "10.1.0.5",
                "publicAddress": "52.0.5.140", "nodeRoles": ["PRIMARY"],
                "startTime": "2019-08-24T14:15:22Z", "deletionTime": null
            }]);
        }
    }
    c
}

fn restore_body() -> Value {
    json!({
        "clusterNameOverride": "restored-cluster", "pointInTime": "2025-11-20T10:00:00Z",
        "restoreMode": "REPLACE_NEW_CLUSTER",
        "cdcConfigs": [{"cdcId": "a8c32b20-c8f0-11e7-abc4-cec278b6b50a", "restoreMode": "CUSTOM_VPC",
            "customVpcSettings": {"network": "10.3.0.0/16", "vpcId": "vpc-002512aa"}}]
    })
}

fn valid_bodies() -> Vec<Value> {
    let mut update = json!({"dataCentres": [data_centre("dc_1", "10.1.0.0/16", true)]});
    update["dataCentres"][0]["numberOfNodes"] = json!(3);
    vec![
        create_body(),
        update,
        restore_body(),
        cluster_response(),
        json!([cluster_response()]),
        json!([{"clusters": [{"id": "c0e5e2ff-affe-444c-bdca-707c7b48aaad", "name": "my-cluster", "status": "RUNNING"}]}]),
        json!({"errors": [{"name": "dataCentres", "message": "bad"}]}),
    ]
}

fn current() -> PostgresqlCluster {
    static CURRENT: OnceLock<Option<PostgresqlCluster>> = OnceLock::new();
    CURRENT
        .get_or_init(|| serde_json::from_value(cluster_response()).ok())
        .clone()
        .unwrap_or_else(|| {
            serde_json::from_value(
                json!({"id": "c0e5e2ff-affe-444c-bdca-707c7b48aaad", "name": "x",
                "dataCentres": []}),
            )
            .unwrap_or_else(|e| panic!("a minimal cluster must parse: {e}"))
        })
}

// ---------------------------------------------------------------------------------------------
// generators

fn interesting_string() -> BoxedStrategy<String> {
    let s = spec();
    prop_oneof![
        4 => prop::sample::select(s.enums.clone()),
        2 => prop::sample::select(s.fields.clone()),
        2 => ".{0,40}",
        1 => "[0-9]{1,20}",
        1 => "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,2}",
        1 => "[0-9a-fA-F-]{30,40}",
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})",
        1 => "[a-z0-9._%+-]{1,20}@[a-z0-9.-]{1,20}",
        1 => prop::sample::select(vec![
            String::new(), " ".into(), "\u{0}".into(), "\u{feff}".into(), "é".repeat(40),
            "x".repeat(300), "RUNNING".into(), "AWS_VPC".into(), "-1".into(),
        ]),
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => any::<i64>().prop_map(|n| json!(n)),
        1 => any::<u64>().prop_map(|n| json!(n)),
        1 => prop::sample::select(vec![0.0, -0.0, 0.5, -1.0, 1e300, -1e300, 5e-324, 1.7976931348623157e308,
            9007199254740993.0, 1e11, 1e16, 8.64e15, NOW, NOW + 1e9])
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        4 => interesting_string().prop_map(Value::String),
    ]
    .boxed()
}

fn any_json() -> BoxedStrategy<Value> {
    let fields = spec().fields.clone();
    leaf()
        .prop_recursive(6, 96, 8, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof![4 => prop::sample::select(fields.clone()), 1 => "[a-zA-Z]{0,10}"],
                        inner
                    ),
                    0..8
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replaces the node picked by the selector with a value.
    Replace(usize, Value),
    /// Removes the node (object key or array element).
    Remove(usize),
    /// Inserts a key into an object (or pushes onto an array).
    Insert(usize, String, Value),
    /// Duplicates the node in its array, or wraps it in an array.
    Wrap(usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let fields = spec().fields.clone();
    prop_oneof![
        4 => (any::<usize>(), any_json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        3 => (any::<usize>(), leaf()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<usize>().prop_map(Mutation::Remove),
        2 => (any::<usize>(), prop::sample::select(fields), any_json())
            .prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        1 => any::<usize>().prop_map(Mutation::Wrap),
    ]
    .boxed()
}

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Idx(usize),
}

fn paths(v: &Value, here: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Seg::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Seg::Idx(i));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut at = v;
    for seg in path {
        at = match seg {
            Seg::Key(k) => at.get_mut(k.as_str())?,
            Seg::Idx(i) => at.get_mut(*i)?,
        };
    }
    Some(at)
}

fn pick(v: &Value, selector: usize) -> Vec<Seg> {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    let n = all.len().max(1);
    all.into_iter().nth(selector % n).unwrap_or_default()
}

fn apply(mut v: Value, m: &Mutation) -> Value {
    match m {
        Mutation::Replace(sel, x) => {
            let p = pick(&v, *sel);
            if let Some(n) = node_mut(&mut v, &p) {
                *n = x.clone();
            }
        }
        Mutation::Remove(sel) => {
            let mut p = pick(&v, *sel);
            if let Some(last) = p.pop() {
                match (node_mut(&mut v, &p), last) {
                    (Some(Value::Object(o)), Seg::Key(k)) => {
                        o.remove(&k);
                    }
                    (Some(Value::Array(a)), Seg::Idx(i)) if i < a.len() => {
                        a.remove(i);
                    }
                    _ => {}
                }
            }
        }
        Mutation::Insert(sel, k, x) => {
            let p = pick(&v, *sel);
            match node_mut(&mut v, &p) {
                Some(Value::Object(o)) => {
                    o.insert(k.clone(), x.clone());
                }
                Some(Value::Array(a)) => a.push(x.clone()),
                _ => {}
            }
        }
        Mutation::Wrap(sel) => {
            let p = pick(&v, *sel);
            if let Some(n) = node_mut(&mut v, &p) {
                let inner = n.take();
                *n = match inner {
                    Value::Array(mut a) => {
                        if let Some(first) = a.first().cloned() {
                            a.push(first);
                        }
                        Value::Array(a)
                    }
                    other => Value::Array(vec![other]),
                };
            }
        }
    }
    v
}

/// A seed (spec example or valid body) with 1..6 mutations.
fn mutated_seed() -> BoxedStrategy<Value> {
    let n = spec().examples.len();
    (0..n, prop::collection::vec(mutation(), 1..6))
        .prop_map(|(i, ms)| {
            let seed = spec().examples.get(i).cloned().unwrap_or(Value::Null);
            ms.iter().fold(seed, apply)
        })
        .boxed()
}

fn json_value() -> BoxedStrategy<Value> {
    prop_oneof![3 => mutated_seed(), 1 => any_json()].boxed()
}

#[derive(Clone, Debug)]
enum ByteEdit {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn byte_edit() -> BoxedStrategy<ByteEdit> {
    prop_oneof![
        2 => any::<usize>().prop_map(ByteEdit::Truncate),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        2 => (any::<usize>(), prop_oneof![
                prop::collection::vec(any::<u8>(), 1..8),
                prop::sample::select(vec![
                    b"{".to_vec(), b"}".to_vec(), b"[".to_vec(), b"\"".to_vec(), b",".to_vec(),
                    b"\\u0000".to_vec(), b"\\ud800".to_vec(), b"null".to_vec(), b"1e999".to_vec(),
                    b"-".to_vec(), vec![0xff, 0xfe], vec![0xc3], vec![0xed, 0xa0, 0x80],
                ]),
            ]).prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        1 => (any::<usize>(), 1usize..32).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
    ]
    .boxed()
}

fn edit_bytes(mut b: Vec<u8>, edits: &[ByteEdit]) -> Vec<u8> {
    for e in edits {
        let len = b.len();
        match e {
            ByteEdit::Truncate(i) => b.truncate(i % (len + 1)),
            ByteEdit::Flip(i, x) => {
                if let Some(c) = b.get_mut(i % len.max(1)) {
                    *c ^= x | 1;
                }
            }
            ByteEdit::Insert(i, x) => {
                let at = i % (len + 1);
                b.splice(at..at, x.iter().copied());
            }
            ByteEdit::Delete(i, n) => {
                let at = i % (len + 1);
                let end = (at + n).min(len);
                b.drain(at..end);
            }
        }
    }
    b
}

/// Bodies as bytes: serialized JSON (mutated seeds or random trees), byte-edited seeds, random
/// bytes and deep nesting.
fn body_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        4 => json_value().prop_map(|v| v.to_string().into_bytes()),
        3 => (json_value(), prop::collection::vec(byte_edit(), 1..4))
            .prop_map(|(v, e)| edit_bytes(v.to_string().into_bytes(), &e)),
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => (1usize..4096, prop::sample::select(vec!["[", "{\"a\":", "{\"dataCentres\":[", "[{\"clusters\":"]))
            .prop_map(|(n, open)| open.repeat(n).into_bytes()),
    ]
    .boxed()
}

fn status() -> BoxedStrategy<u16> {
    prop_oneof![
        6 => prop::sample::select(vec![200u16, 201, 202, 204]),
        2 => prop::sample::select(vec![400u16, 401, 404, 409, 429, 500, 502, 503]),
        1 => any::<u16>(),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// targets

fn validators(v: &Value, now: f64) -> u64 {
    let _ = validate::create_cluster(v);
    let _ = validate::update_cluster(v);
    let _ = validate::restore_cluster(v, now);
    let _ = validate::point_in_time(v, now);
    let _ = validate::diff_cluster_update(&current(), v);
    let mut n = 5;
    if let Ok(c) = serde_json::from_value::<PostgresqlCluster>(v.clone()) {
        let _ = validate::diff_cluster_update(&c, v);
        let _ = validate::diff_cluster_update(&c, &create_body());
        n += 2;
    }
    n
}

#[test]
fn fuzz_validators_json() {
    let now = prop_oneof![4 => Just(NOW), 1 => any::<f64>()];
    campaign("validators-json", (json_value(), now), |(v, now)| {
        for vi in validate::create_cluster(&v) {
            assert!(
                !vi.message.is_empty(),
                "a violation without message at {}",
                vi.path
            );
        }
        validators(&v, now)
    });
}

#[test]
fn fuzz_validators_bytes() {
    campaign(
        "validators-bytes",
        body_bytes(),
        |b| match serde_json::from_slice::<Value>(&b) {
            Ok(v) => 1 + validators(&v, NOW),
            Err(_) => 1,
        },
    );
}

#[test]
fn fuzz_point_in_time() {
    let text = prop_oneof![
        3 => "[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}[Tt ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}([.,][0-9]{0,12})?)?([Zz]|[+-][0-9]{1,2}(:?[0-9]{1,2})?)?",
        1 => "[0-9]{0,20}",
        1 => ".{0,40}",
        1 => interesting_string(),
    ];
    let value = prop_oneof![
        3 => text.prop_map(Value::String),
        1 => leaf(),
        1 => any_json(),
    ];
    let now = prop_oneof![4 => Just(NOW), 1 => any::<f64>(), 1 => 0.0..1e16];
    campaign("point-in-time", (value, now, 0.0..NOW), |(v, now, ms)| {
        let _ = validate::point_in_time(&v, now);
        let _ = validate::format_iso_millis(now);
        // round trip: every whole millisecond up to now, formatted, parses back to itself
        let ms = ms.floor();
        let iso = validate::format_iso_millis(ms);
        assert_eq!(
            validate::point_in_time(&Value::String(iso.clone()), NOW).ok(),
            Some(ms),
            "{iso}"
        );
        3
    });
}

fn all_parsers(status: u16, b: &[u8]) -> u64 {
    let ok = (200..300).contains(&status);
    let check = |name: &str, r: Result<(), Error>| match r {
        Ok(()) => assert!(ok, "{name}: accepted status {status}"),
        Err(Error::Api { status: s, .. }) => {
            assert!(!ok && s == status, "{name}: api error for {status}")
        }
        Err(Error::Decode { .. }) => assert!(ok, "{name}: decode error for status {status}"),
        Err(e) => panic!("{name}: unexpected error kind {}", e.code()),
    };
    check("create", CreateCluster::parse(status, b).map(drop));
    check("get", GetCluster::parse(status, b).map(drop));
    check("update", UpdateCluster::parse(status, b).map(drop));
    check("delete", DeleteCluster::parse(status, b));
    check("backup", TriggerBackup::parse(status, b));
    check("backups", ListBackups::parse(status, b).map(drop));
    check("restore", RestoreCluster::parse(status, b).map(drop));
    check("versions", ListVersions::parse(status, b).map(drop));
    check(
        "compatible",
        ListCompatibleVersions::parse(status, b).map(drop),
    );
    check("sizes", ListCompatibleNodeSizes::parse(status, b).map(drop));
    check(
        "certificate",
        DownloadCertificate::parse(status, b).map(drop),
    );
    check("clusters", ListClusters::parse(status, b).map(drop));
    match parse_api_error(status, b) {
        Error::Api { status: s, raw, .. } => {
            assert_eq!(s, status);
            assert!(
                raw.map_or(0, |r| r.len()) <= MAX_RAW_BYTES + 4,
                "raw kept too long"
            );
        }
        e => panic!("parse_api_error gave {}", e.code()),
    }
    13
}

#[test]
fn fuzz_response_parsers() {
    campaign("response-parsers", (status(), body_bytes()), |(s, b)| {
        all_parsers(s, &b)
    });
}

#[test]
fn fuzz_response_parsers_valid_shapes() {
    // the document's own examples and valid answers, mutated: deeper into the decoders
    campaign("response-mutated", (status(), mutated_seed()), |(s, v)| {
        all_parsers(s, v.to_string().as_bytes())
    });
}

const DER: &[u8] = &[
    0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3, 0x11, 0x42,
];

fn valid_zip() -> Vec<u8> {
    let pem = certificate::testing::pem(DER);
    certificate::testing::zip(&[
        ("cluster-ca-certificate.pem", pem.as_bytes(), true),
        ("cluster-ca-certificate.der", DER, false),
        (
            "truststore.jks",
            &[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2],
            true,
        ),
    ])
}

/// Overwrites a little-endian field at an offset: header fields are where zip readers break.
#[derive(Clone, Debug)]
struct FieldEdit(usize, u8, u32);

fn zip_bytes() -> BoxedStrategy<Vec<u8>> {
    let field = (
        any::<usize>(),
        prop::sample::select(vec![2u8, 4]),
        prop_oneof![
            Just(0u32),
            Just(0xffff),
            Just(0xffff_ffff),
            Just(0x8000_0000),
            Just(1 << 20),
            0u32..256
        ],
    )
        .prop_map(|(a, w, x)| FieldEdit(a, w, x));
    let entries = prop::collection::vec(
        (
            "[a-z./]{0,12}(\\.pem|\\.der|\\.jks|\\.crt|/)?",
            prop::collection::vec(any::<u8>(), 0..200),
            any::<bool>(),
        ),
        0..5,
    );
    prop_oneof![
        3 => (prop::collection::vec(field, 0..4), prop::collection::vec(byte_edit(), 0..3))
            .prop_map(|(fields, edits)| {
                let mut z = valid_zip();
                for FieldEdit(at, width, x) in &fields {
                    let at = at % z.len().max(1);
                    let bytes = x.to_le_bytes();
                    for (k, b) in bytes.iter().take(*width as usize).enumerate() {
                        if let Some(c) = z.get_mut(at + k) {
                            *c = *b;
                        }
                    }
                }
                edit_bytes(z, &edits)
            }),
        2 => entries.prop_map(|es| {
            let named: Vec<(&str, &[u8], bool)> =
                es.iter().map(|(n, d, z)| (n.as_str(), d.as_slice(), *z)).collect();
            certificate::testing::zip(&named)
        }),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
    .boxed()
}

#[test]
fn fuzz_certificate_zip() {
    campaign("certificate-zip", zip_bytes(), |z| {
        if let Ok(entries) = certificate::read_zip(&z) {
            assert!(entries.len() <= certificate::MAX_ENTRIES);
            let total: usize = entries.iter().map(|e| e.data.len()).sum();
            assert!(total <= certificate::MAX_UNCOMPRESSED);
        }
        match certificate::extract(z.clone()) {
            Ok(c) => assert!(!c.der.is_empty() && c.zip == z),
            Err(Error::Decode { .. }) => {}
            Err(e) => panic!("extract gave {}", e.code()),
        }
        let _ = certificate::first_pem_block(&String::from_utf8_lossy(&z));
        let _ = DownloadCertificate::parse(200, &z);
        4
    });
}

#[test]
fn fuzz_pem() {
    let pem = prop_oneof![
        ".{0,200}",
        "(-----BEGIN CERTIFICATE-----)?[A-Za-z0-9+/= \n\r\t-]{0,200}(-----END CERTIFICATE-----)?",
        any::<usize>().prop_map(|cut| {
            let p = certificate::testing::pem(DER);
            let cut = cut % (p.len() + 1);
            p.get(..cut).unwrap_or("").to_owned()
        }),
    ];
    campaign("pem", pem, |p| {
        let _ = certificate::first_pem_block(&p);
        1
    });
}

#[test]
fn fuzz_field_helpers() {
    let text = prop_oneof![
        3 => interesting_string(),
        1 => "[0-9./]{0,24}",
        1 => "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}.?",
        1 => "\\PC{0,300}",
    ];
    campaign("field-helpers", (text.clone(), text), |(s, t)| {
        let id_ok = validate::cluster_id(&s, "clusterId").is_empty();
        assert_eq!(id_ok, validate::is_valid_uuid(&s), "{s:?}");
        let _ = validate::is_valid_name(&s);
        let _ = validate::matches_name_pattern(&s);
        let _ = validate::is_valid_version(&s);
        let _ = validate::is_valid_email(&s);
        let _ = validate::is_valid_phone(&s);
        let _ = validate::is_developer_node_size(&s);
        if let (Ok(a), Ok(b)) = (validate::parse_cidr(&s), validate::parse_cidr(&t)) {
            assert!(a.first() <= a.last());
            assert_eq!(
                validate::networks_overlap(&a, &b),
                validate::networks_overlap(&b, &a)
            );
            assert_eq!(validate::parse_cidr(&a.to_string()).ok(), Some(a), "{s:?}");
        }
        let _ = validate::parse_cidr(&t);
        11
    });
}

#[test]
fn fuzz_retry_after() {
    // the server's Retry-After header: delta seconds or an IMF-fixdate
    let value = prop_oneof![
        2 => "[0-9]{1,30}",
        2 => "(Mon|Tue|Sun|Xyz),? [0-9]{1,3} (Jan|Feb|Nov|Dec|Foo) -?[0-9]{1,20} [0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(:[0-9])? (GMT|UTC)",
        1 => " *-?[0-9.e+]{0,12} *",
        1 => ".{0,40}",
    ];
    let now = prop_oneof![3 => Just(NOW), 1 => any::<f64>()];
    campaign("retry-after", (value, now), |(v, now)| {
        let got = instaclustr_pg_core::retry::parse_retry_after(&v, now);
        let t = v.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            let secs = t.parse::<u64>().unwrap_or(u64::MAX);
            assert_eq!(got, Some(secs.saturating_mul(1000)), "{v:?}");
        }
        1
    });
}

#[test]
fn fuzz_backup_progress() {
    // what the backup waiter computes from a (hostile) list-backups answer
    let since = prop_oneof![
        Just(None),
        any::<f64>().prop_map(Some),
        (0.0..NOW).prop_map(Some)
    ];
    campaign("backup-progress", (mutated_seed(), since), |(v, since)| {
        let Ok(events) = ListBackups::parse(200, v.to_string().as_bytes()) else {
            return 1;
        };
        let (nodes, overall, _) = instaclustr_pg_core::waiter::backup_progress(&events, since);
        assert!((0.0..=1.0).contains(&overall), "overall progress {overall}");
        for n in &nodes {
            assert!(n.progress.is_none_or(|p| (0.0..=1.0).contains(&p)), "{n:?}");
        }
        2
    });
}

// ---------------------------------------------------------------------------------------------
// fixed hostile inputs (deterministic, not counted in the tallies)

#[test]
fn zip_bomb_is_refused_within_bounds() {
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bomb = certificate::testing::zip(&[("cluster-ca-certificate.pem", &zeros, true)]);
    assert!(
        bomb.len() < 200 * 1024,
        "the bomb compresses: {}",
        bomb.len()
    );
    assert!(matches!(
        certificate::extract(bomb),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn deep_nesting_is_a_decode_error() {
    for open in ["[", "{\"a\":", "[{\"dataCentres\":"] {
        let body = open.repeat(100_000);
        assert!(matches!(
            GetCluster::parse(200, body.as_bytes()),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            ListClusters::parse(200, body.as_bytes()),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            parse_api_error(500, body.as_bytes()),
            Error::Api { .. }
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// regression tests of what the campaigns found

/// Found by the hostile corpus: the document's `description` of a cluster was dropped on parse.
#[test]
fn cluster_description_is_kept() {
    let mut c = cluster_response();
    c["description"] = json!("team cluster");
    let got = GetCluster::parse(200, c.to_string().as_bytes());
    assert_eq!(
        got.ok().and_then(|c| c.description),
        Some("team cluster".to_owned())
    );
}

/// Found by the hostile corpus: a valid list where an object is expected was reported as
/// "body is not valid json" (serde_json's trailing-characters error) without its path.
#[test]
fn list_for_object_names_its_path() {
    let mut c = cluster_response();
    c["twoFactorDelete"][0] = json!(["not", "an", "object"]);
    match GetCluster::parse(200, c.to_string().as_bytes()) {
        Err(Error::Decode { message }) => {
            assert!(message.contains("twoFactorDelete[0]"), "{message}");
            assert!(!message.contains("not valid json"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // still a syntax error when the body is not json
    let cut = &c.to_string()[..40];
    assert!(
        matches!(GetCluster::parse(200, cut.as_bytes()), Err(Error::Decode { message }) if message.contains("not valid json"))
    );
}
