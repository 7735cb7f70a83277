//! Unit tests of the core through its public API: routing, the lifecycle on an advancing
//! clock, snapshots, faults, CORS, the rate limit, certificates, and garbage input.

use std::sync::Arc;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::{After, Begin, Emulator, Off, Options, Outcome, Request};

const T0: f64 = 1_780_000_000_000.0;
const CLUSTERS: &str = "/cluster-management/v2/resources/applications/postgresql/clusters/v2/";
const VERSIONS: &str = "/cluster-management/v2/data-sources/applications/postgresql/versions/v2/";

fn off() -> Arc<Off> {
    Arc::new(Off {
        reason: "test".into(),
    })
}

fn emulator(options: Options) -> Emulator {
    Emulator::new(options, 42, off()).expect("valid options")
}

fn basic(user: &str, key: &str) -> String {
    let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{key}"));
    format!("Basic {b}")
}

/// A request's headers: the demo account's credentials, JSON, and `extra`.
fn headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut h = vec![
        ("authorization".to_owned(), basic("demo", "demo-api-key")),
        ("content-type".to_owned(), "application/json".to_owned()),
    ];
    h.extend(
        extra
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    h
}

fn send(
    e: &Emulator,
    method: &str,
    path: &str,
    body: &[u8],
    extra: &[(&str, &str)],
    now: f64,
) -> Outcome {
    send_with(e, method, path, body, &headers(extra), now)
}

/// `send` with exactly the headers `h` (no credentials or content type added).
fn send_with(
    e: &Emulator,
    method: &str,
    path: &str,
    body: &[u8],
    h: &[(String, String)],
    now: f64,
) -> Outcome {
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let req = Request {
        method,
        path,
        query,
        headers: h,
        body,
    };
    match e.begin(&req, now) {
        Begin::Done(o) => o,
        Begin::Stall { .. } => e.run(&req, now),
    }
}

fn json_of(o: &Outcome) -> Value {
    serde_json::from_slice(&o.reply.body).unwrap_or(Value::Null)
}

/// The tests' one create body (tests/fixtures/create-cluster.json) named `name`.
fn create_body(name: &str) -> Value {
    let mut body: Value =
        serde_json::from_str(include_str!("../../../tests/fixtures/create-cluster.json"))
            .expect("the fixture is JSON");
    body["name"] = json!(name);
    body
}

fn create(e: &Emulator, now: f64) -> String {
    let o = send(
        e,
        "POST",
        CLUSTERS,
        create_body("shop").to_string().as_bytes(),
        &[],
        now,
    );
    assert_eq!(
        o.reply.status,
        202,
        "{}",
        String::from_utf8_lossy(&o.reply.body)
    );
    assert!(o.changed);
    json_of(&o)["id"].as_str().expect("id").to_owned()
}

#[test]
fn routes_with_and_without_the_trailing_slash() {
    let e = emulator(Options::default());
    for path in [VERSIONS, VERSIONS.trim_end_matches('/')] {
        let o = send(&e, "GET", path, b"", &[], T0);
        assert_eq!(o.reply.status, 200, "{path}");
        assert!(o.routed);
        assert_eq!(o.reply.header("content-type"), Some("application/json"));
        assert_eq!(o.reply.header("access-control-allow-origin"), Some("*"));
    }
}

#[test]
fn another_method_is_a_json_405_naming_the_allowed_ones_head_included() {
    let e = emulator(Options::default());
    for method in ["PUT", "HEAD", "DELETE"] {
        let o = send(&e, method, VERSIONS, b"", &[], T0);
        assert_eq!(o.reply.status, 405, "{method}");
        assert_eq!(o.reply.header("allow"), Some("GET"));
        assert_eq!(json_of(&o)["errors"][0]["name"], "method");
    }
    let o = send(&e, "PATCH", CLUSTERS, b"", &[], T0);
    assert_eq!(o.reply.status, 405);
    assert_eq!(o.reply.header("allow"), Some("POST"));
}

#[test]
fn unknown_paths_are_json_404s_and_outside_the_api_not_routed() {
    let e = emulator(Options::default());
    let o = send(
        &e,
        "GET",
        "/cluster-management/v2/nothing-here",
        b"",
        &[],
        T0,
    );
    assert_eq!(o.reply.status, 404);
    assert!(o.routed);
    assert_eq!(json_of(&o)["errors"][0]["name"], "path");
    let o = send(&e, "GET", "/index.html", b"", &[], T0);
    assert_eq!(o.reply.status, 404);
    assert!(!o.routed);
    // test-mode routes are 404s outside test mode
    let o = send(&e, "GET", "/__emulator/stats", b"", &[], T0);
    assert_eq!(o.reply.status, 404);
}

#[test]
fn path_parameters_are_percent_decoded_and_checked() {
    let e = emulator(Options::default());
    let o = send(
        &e,
        "GET",
        &format!("{CLUSTERS}not%20a%20uuid"),
        b"",
        &[],
        T0,
    );
    assert_eq!(o.reply.status, 400);
    assert_eq!(json_of(&o)["errors"][0]["name"], "clusterId");
    let id = create(&e, T0);
    let o = send(
        &e,
        "GET",
        &format!("{CLUSTERS}{}", id.replace('-', "%2D")),
        b"",
        &[],
        T0,
    );
    assert_eq!(o.reply.status, 200);
}

#[test]
fn authentication_is_required_and_never_echoes_the_key() {
    let e = emulator(Options::default());
    let h = vec![(
        "authorization".to_owned(),
        basic("demo", "wrong-secret-key"),
    )];
    let req = Request {
        method: "GET",
        path: VERSIONS,
        query: None,
        headers: &h,
        body: b"",
    };
    let Begin::Done(o) = e.begin(&req, T0) else {
        panic!("no stall asked")
    };
    assert_eq!(o.reply.status, 401);
    assert!(!String::from_utf8_lossy(&o.reply.body).contains("wrong-secret-key"));
    assert!(!format!("{req:?}").contains("wrong-secret-key"));
    assert!(!format!("{e:?}").contains("demo-api-key"));
}

#[test]
fn debug_output_never_shows_a_password() {
    let e = emulator(Options::default());
    let o = send(
        &e,
        "POST",
        CLUSTERS,
        create_body("shop").to_string().as_bytes(),
        &[],
        T0,
    );
    let password = json_of(&o)["defaultUserPassword"]
        .as_str()
        .expect("password")
        .to_owned();
    assert!(!format!("{o:?}").contains(&password));
}

#[test]
fn a_cluster_provisions_then_runs_as_the_clock_advances() {
    let e = emulator(Options::default());
    let id = create(&e, T0);
    let get = |now| json_of(&send(&e, "GET", &format!("{CLUSTERS}{id}"), b"", &[], now));
    assert_eq!(get(T0 + 1_000.0)["status"], "PROVISIONING");
    // two nodes: 120 s + 45 s, then 15 s for the cluster
    assert_eq!(get(T0 + 179_000.0)["status"], "PROVISIONING");
    let c = get(T0 + 180_000.0);
    assert_eq!(c["status"], "RUNNING");
    assert_eq!(
        c["dataCentres"][0]["nodes"][0]["startTime"],
        "2026-05-28T20:28:40.000Z"
    );
    // backup, then delete: the DELETED window, then gone
    let backup = format!("/cluster-management/v2/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2/");
    assert_eq!(
        send(&e, "POST", &backup, b"", &[], T0 + 200_000.0)
            .reply
            .status,
        202
    );
    let o = send(
        &e,
        "DELETE",
        &format!("{CLUSTERS}{id}"),
        b"",
        &[],
        T0 + 300_000.0,
    );
    assert_eq!(o.reply.status, 204);
    assert!(o.changed);
    assert_eq!(get(T0 + 301_000.0)["status"], "DELETED");
    let o = send(
        &e,
        "GET",
        &format!("{CLUSTERS}{id}"),
        b"",
        &[],
        T0 + 361_000.0,
    );
    assert_eq!(o.reply.status, 404);
    assert!(o.changed, "the purge changed the state");
}

#[test]
fn the_speed_divides_every_delay() {
    let e = emulator(Options {
        speed: 1000.0,
        ..Options::default()
    });
    let id = create(&e, T0);
    let o = send(&e, "GET", &format!("{CLUSTERS}{id}"), b"", &[], T0 + 180.0);
    assert_eq!(json_of(&o)["status"], "RUNNING");
}

#[test]
fn body_checks_413_415_and_400() {
    let e = emulator(Options {
        body_limit: 10,
        ..Options::default()
    });
    let o = send(&e, "POST", CLUSTERS, &[b' '; 11], &[], T0);
    assert_eq!(o.reply.status, 413);
    let o = send(&e, "POST", CLUSTERS, b"  ", &[], T0);
    assert_eq!(o.reply.status, 400);
    let h = vec![
        ("authorization".to_owned(), basic("demo", "demo-api-key")),
        ("content-type".to_owned(), "text/plain".to_owned()),
    ];
    let o = send_with(&e, "POST", CLUSTERS, b"{}", &h, T0);
    assert_eq!(o.reply.status, 415);
    let o = send(&e, "POST", CLUSTERS, b"{x", &[], T0);
    assert_eq!(o.reply.status, 400);
}

#[test]
fn snapshot_round_trip() {
    let e = emulator(Options::default());
    let id = create(&e, T0);
    let snap = e.snapshot();
    assert_eq!(snap["version"], 1);
    let text = snap.to_string();
    let back: Value = serde_json::from_str(&text).expect("json");
    let f = emulator(Options::default());
    f.restore(&back).expect("restores");
    let path = format!("{CLUSTERS}{id}");
    let a = send(&e, "GET", &path, b"", &[], T0 + 5_000.0);
    let b = send(&f, "GET", &path, b"", &[], T0 + 5_000.0);
    assert_eq!(a.reply, b.reply);
    assert_eq!(f.snapshot(), e.snapshot());
    // the generators continue alike
    let x = create(&e, T0 + 6_000.0);
    let y = create(&f, T0 + 6_000.0);
    assert_eq!(x, y);
}

#[test]
fn damaged_or_newer_snapshots_are_refused_and_change_nothing() {
    let e = emulator(Options::default());
    let id = create(&e, T0);
    let before = e.snapshot();
    let mut newer = before.clone();
    newer["version"] = json!(2);
    let err = e.restore(&newer).expect_err("newer");
    assert!(err.contains("newer"), "{err}");
    let mut damaged = before.clone();
    damaged["clusters"][0]["createdMs"] = json!("yesterday");
    damaged["clusters"][0]["created_ms"] = json!("yesterday");
    let err = e.restore(&damaged).expect_err("damaged");
    assert!(err.contains("damaged"), "{err}");
    for bad in [
        json!(null),
        json!([]),
        json!({"version": "1"}),
        json!({"version": 1}),
    ] {
        assert!(e.restore(&bad).is_err(), "{bad}");
    }
    assert_eq!(e.snapshot(), before);
    let o = send(&e, "GET", &format!("{CLUSTERS}{id}"), b"", &[], T0);
    assert_eq!(o.reply.status, 200);
}

#[test]
fn reset_removes_every_cluster_and_keeps_the_accounts() {
    let e = emulator(Options::default());
    let id = create(&e, T0);
    e.reset();
    let o = send(&e, "GET", &format!("{CLUSTERS}{id}"), b"", &[], T0);
    assert_eq!(o.reply.status, 404);
    assert_eq!(send(&e, "GET", VERSIONS, b"", &[], T0).reply.status, 200);
}

#[test]
fn fault_headers_in_test_mode() {
    let e = emulator(Options {
        test_mode: true,
        ..Options::default()
    });
    let o = send(&e, "GET", VERSIONS, b"", &[("x-emulator-fault", "503")], T0);
    assert_eq!(o.reply.status, 503);
    assert_eq!(o.fault.as_deref(), Some("503"));
    assert_eq!(
        json_of(&o)["errors"][0]["message"],
        "injected fault: 503 Service Unavailable"
    );
    let o = send(&e, "GET", VERSIONS, b"", &[("x-emulator-fault", "429")], T0);
    assert_eq!(o.reply.header("retry-after"), Some("1"));
    let o = send(
        &e,
        "GET",
        VERSIONS,
        b"",
        &[("x-emulator-fault", "drop")],
        T0,
    );
    assert_eq!(o.after, After::Drop);
    let o = send(
        &e,
        "GET",
        VERSIONS,
        b"",
        &[("x-emulator-fault", "slow-body:100")],
        T0,
    );
    assert_eq!(o.after, After::SlowBody { ms: 100 });
    assert_eq!(o.reply.status, 200);
    let o = send(
        &e,
        "GET",
        VERSIONS,
        b"",
        &[("x-emulator-fault", "garbage")],
        T0,
    );
    assert_eq!(o.reply.header("content-type"), Some("text/html"));
    let h = headers(&[("x-emulator-fault", "stall:250")]);
    let req = Request {
        method: "GET",
        path: VERSIONS,
        query: None,
        headers: &h,
        body: b"",
    };
    assert_eq!(
        e.begin(&req, T0),
        Begin::Stall {
            ms: 250,
            fault: "stall:250".into()
        }
    );
    assert_eq!(e.run(&req, T0 + 250.0).reply.status, 200);
    // once per token
    let once = [("x-emulator-fault", "500"), ("x-emulator-fault-once", "t1")];
    assert_eq!(send(&e, "GET", VERSIONS, b"", &once, T0).reply.status, 500);
    assert_eq!(send(&e, "GET", VERSIONS, b"", &once, T0).reply.status, 200);
    let o = send(
        &e,
        "GET",
        VERSIONS,
        b"",
        &[("x-emulator-fault", "nonsense")],
        T0,
    );
    assert_eq!(o.reply.status, 400);
    let stats = json_of(&send(&e, "GET", "/__emulator/stats", b"", &[], T0));
    assert_eq!(stats["faultsInjected"], 7);
}

#[test]
fn random_faults_are_drawn_from_the_seed() {
    let draw = |seed| {
        let e = Emulator::new(
            Options {
                fault_rate: 0.5,
                fault_kinds: vec!["503".into()],
                ..Options::default()
            },
            seed,
            off(),
        )
        .expect("valid");
        (0..40)
            .map(|_| send(&e, "GET", VERSIONS, b"", &[], T0).reply.status)
            .collect::<Vec<_>>()
    };
    let a = draw(1);
    assert_eq!(a, draw(1));
    assert!(a.contains(&503) && a.contains(&200), "{a:?}");
}

#[test]
fn the_rate_limit_runs_on_the_injected_clock() {
    let e = emulator(Options {
        rate_limit: Some(2.0),
        ..Options::default()
    });
    let statuses: Vec<u16> = (0..3)
        .map(|_| send(&e, "GET", VERSIONS, b"", &[], T0).reply.status)
        .collect();
    assert_eq!(statuses, [200, 200, 429]);
    assert_eq!(
        send(&e, "GET", VERSIONS, b"", &[], T0 + 500.0).reply.status,
        200
    );
}

#[test]
fn cors_preflights_and_headers() {
    let e = emulator(Options::default());
    let o = send(
        &e,
        "OPTIONS",
        CLUSTERS,
        b"",
        &[
            ("origin", "http://example.test"),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "authorization,content-type",
            ),
        ],
        T0,
    );
    assert_eq!(o.reply.status, 200);
    assert_eq!(o.reply.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(
        o.reply.header("access-control-allow-headers"),
        Some("authorization,content-type")
    );
    assert_eq!(o.reply.header("access-control-max-age"), Some("600"));
    let o = send(&e, "GET", VERSIONS, b"", &[], T0);
    assert_eq!(
        o.reply.header("access-control-expose-headers"),
        Some("retry-after,allow,content-disposition")
    );
}

#[test]
fn the_certificate_zip_reads_back() {
    let e = emulator(Options::default());
    let id = create(&e, T0);
    let path = format!(
        "/cluster-management/v2/operations/applications/postgres/clusters/v2/{id}/certificate/v2/"
    );
    let o = send(&e, "GET", &path, b"", &[], T0);
    assert_eq!(o.reply.status, 200);
    assert_eq!(o.reply.header("content-type"), Some("application/zip"));
    let certs = instaclustr_pg_core::certificate::extract(o.reply.body).expect("zip reads");
    assert!(certs.pem.contains("BEGIN CERTIFICATE"));
}

#[test]
fn a_server_certificate_passes_openssl_verify_against_its_ca() {
    let mut rng = fastrand::Rng::with_seed(3);
    let ca = crate::cert::generate_ca(
        "6f1c2f4e-0000-4000-8000-000000000001",
        "2026-12-06T10:00:00.000Z",
        &mut rng,
    )
    .expect("ca");
    let server = crate::cert::server_cert(
        &ca,
        std::net::Ipv4Addr::new(127, 0, 0, 2),
        "2026-12-06T10:00:00.000Z",
        &mut rng,
    )
    .expect("server cert");
    assert!(server.key_pem.contains("BEGIN PRIVATE KEY"));
    let dir = std::env::temp_dir().join(format!("emucore-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("ca.pem"), &ca.pem).expect("write");
    std::fs::write(dir.join("server.pem"), &server.cert_pem).expect("write");
    let out = std::process::Command::new("openssl")
        .args(["verify", "-CAfile", "ca.pem", "server.pem"])
        .current_dir(&dir)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Err(_) => println!("SKIPPED: openssl not found, the chain was not verified"),
        Ok(out) => assert!(
            out.status.success(),
            "openssl verify: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn never_panics_on_garbage() {
    let e = emulator(Options {
        test_mode: true,
        rate_limit: Some(1000.0),
        ..Options::default()
    });
    let id = create(&e, T0);
    let mut rng = fastrand::Rng::with_seed(9);
    let methods = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "", "get", "\u{0}",
    ];
    let pieces = [
        "/cluster-management/v2/",
        "resources/applications/postgresql/clusters/v2/",
        &id,
        "%",
        "%zz",
        "%ff%fe",
        "/",
        "//",
        "..",
        "{clusterId}",
        "\u{fffd}",
        "?",
        "data-sources/",
        "operations/",
        "__emulator/",
        "stats",
        "maintenance/",
        "reload",
        "configurations",
        "|",
        "%7C",
    ];
    for i in 0..3000 {
        let mut path = String::new();
        for _ in 0..rng.usize(0..8) {
            path.push_str(pieces[rng.usize(..pieces.len())]);
        }
        let body: Vec<u8> = match i % 3 {
            0 => (0..rng.usize(0..64)).map(|_| rng.u8(..)).collect(),
            1 => create_body("x").to_string().into_bytes(),
            _ => json!({"clusterId": id, "name": "work_mem", "value": rng.u32(..).to_string(),
                        "startInMs": rng.f64(), "durationMs": -1, "password": "p"})
            .to_string()
            .into_bytes(),
        };
        let fault = ["", "503", "drop", "stall:1", "garbage", "x"][rng.usize(..6)];
        let method = methods[rng.usize(..methods.len())];
        let now = T0 + f64::from(i) * 1000.0;
        let _ = send(
            &e,
            method,
            &path,
            &body,
            &[("x-emulator-fault", fault)],
            now,
        );
    }
    // clocks no host should have
    for now in [
        f64::NAN,
        f64::INFINITY,
        -1e20,
        -1.0,
        0.0,
        1e20,
        253_402_300_799_000.0,
    ] {
        let _ = send(
            &e,
            "POST",
            CLUSTERS,
            create_body("x").to_string().as_bytes(),
            &[],
            now,
        );
        let _ = send(&e, "GET", &format!("{CLUSTERS}{id}"), b"", &[], now);
    }
    let snap = e.snapshot();
    emulator(Options::default())
        .restore(&snap)
        .expect("own snapshot restores");
}

#[test]
fn the_emulator_is_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Emulator>();
}
