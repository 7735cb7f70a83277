//! The client over the native transport against the emulator: the whole lifecycle, and the
//! emulator's injected faults (429/503 retried within budget, Retry-After respected, ambiguous
//! create never retried, counted with `/__emulator/stats`, timeouts, abort, waiter abort).
//! Each of these tests is `#[ignore]`d, so that where no emulator runs it is reported as ignored
//! rather than passed; `scripts/test.d/40-client-emulator` starts one, sets `EMULATOR_URL` and runs
//! them with `--include-ignored`. Run without `EMULATOR_URL`, they fail.
#![cfg(not(target_arch = "wasm32"))]

mod client_support;
use client_support::{self as common, create_body};

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use instaclustr_pg_core::certificate::first_pem_block;
use instaclustr_pg_core::client::{CallError, CallOptions, Client, ClientConfig};
use instaclustr_pg_core::request::{HttpRequest, RequestOptions};
use instaclustr_pg_core::retry::RetryPolicy;
use instaclustr_pg_core::transport::native::{NativeTransport, TokioRuntime};
use instaclustr_pg_core::transport::{
    Abort, Runtime, Transport, TransportError, TransportResponse,
};
use instaclustr_pg_core::waiter::{WaitOptions, WaitUntil};
use instaclustr_pg_core::{Error, Operation};
use serde_json::json;

const KEY: &str = "recognizable-api-key-0xC0FFEE";

/// Adds `X-Emulator-Fault` to the next requests of chosen operations, one fault per attempt.
struct Faulty {
    inner: NativeTransport,
    faults: RefCell<VecDeque<(Operation, String)>>,
    sent: RefCell<Vec<Operation>>,
    /// `Retry-After` values seen, in seconds.
    retry_after: RefCell<Vec<u64>>,
}

impl Faulty {
    fn new() -> Self {
        Self {
            inner: NativeTransport::new().unwrap(),
            faults: RefCell::default(),
            sent: RefCell::default(),
            retry_after: RefCell::default(),
        }
    }
    fn inject(&self, op: Operation, fault: &str, times: usize) {
        for _ in 0..times {
            self.faults.borrow_mut().push_back((op, fault.to_owned()));
        }
    }
    fn count(&self, op: Operation) -> usize {
        self.sent.borrow().iter().filter(|o| **o == op).count()
    }
}

impl Transport for Faulty {
    async fn send(
        &self,
        req: &HttpRequest,
        max: usize,
    ) -> Result<TransportResponse, TransportError> {
        self.sent.borrow_mut().push(req.operation);
        let fault = {
            let mut f = self.faults.borrow_mut();
            match f.front() {
                Some((op, _)) if *op == req.operation => f.pop_front().map(|(_, v)| v),
                _ => None,
            }
        };
        let r = match fault {
            Some(v) => {
                let mut r = req.clone();
                r.headers.push(("X-Emulator-Fault".into(), v));
                self.inner.send(&r, max).await
            }
            None => self.inner.send(req, max).await,
        };
        if let Some(ra) = r
            .as_ref()
            .ok()
            .and_then(|r| r.header("retry-after"))
            .and_then(|v| v.trim().parse().ok())
        {
            self.retry_after.borrow_mut().push(ra);
        }
        r
    }
}

type TestClient = Client<Faulty, TokioRuntime>;

fn client(base: &str) -> TestClient {
    let config = ClientConfig {
        retry: RetryPolicy {
            base_delay_ms: 20,
            max_delay_ms: 200,
            ..RetryPolicy::default()
        },
        timeout_ms: 20_000,
        ..ClientConfig::default()
    };
    let opts = RequestOptions::new(Some(base.to_owned()), "alice", KEY);
    Client::new(Faulty::new(), TokioRuntime::seeded(7), opts, config).unwrap()
}

fn wait(until: WaitUntil) -> WaitOptions {
    WaitOptions {
        min_delay_ms: 20,
        max_delay_ms: 200,
        ..WaitOptions::new(until, 60_000)
    }
}

fn no_secret(e: &CallError) {
    assert!(!format!("{e} {e:?}").contains(KEY));
}

/// The ISO 8601 form the emulator compares points in time in (the core's one formatter).
fn iso(ms: f64) -> String {
    instaclustr_pg_core::validate::format_iso_millis(ms)
}

#[test]
fn iso_formats_epoch_ms() {
    assert_eq!(iso(0.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso(1_583_020_799_123.0), "2020-02-29T23:59:59.123Z");
}

#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn whole_lifecycle() {
    let emu = common::emulator();
    let c = client(&emu.url);
    let none = CallOptions::default();

    let versions = c.list_versions(&none).await.unwrap();
    assert!(!versions.is_empty());
    let created = c
        .create_cluster(&create_body("life-cycle"), &none)
        .await
        .unwrap();
    let id = created.id.clone().expect("an id");

    let mut states = Vec::new();
    let running = c
        .wait_for_cluster(&id, &wait(WaitUntil::Running), &mut |p| {
            states.push(p.status.clone())
        })
        .await
        .unwrap()
        .unwrap();
    assert!(!states.is_empty());
    assert_eq!(running.status.as_ref().map(|s| s.as_str()), Some("RUNNING"));

    let got = c.get_cluster(&id, &none).await.unwrap();
    assert_eq!(got.name, "life-cycle");
    let listed = c.list_clusters(None, &none).await.unwrap();
    assert!(listed.iter().any(|s| s.id == id));

    // resize: the same data centre with another node size
    let mut dc = serde_json::to_value(&got.data_centres[0]).unwrap();
    dc["nodeSize"] = json!("PGS-DEV-t4g.medium-30");
    let update = json!({ "dataCentres": [dc] });
    c.update_cluster(&id, &update, Some(&got), &none)
        .await
        .unwrap();
    let resized = c
        .wait_for_cluster(&id, &wait(WaitUntil::Running), &mut |_| {})
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resized.data_centres[0].node_size, "PGS-DEV-t4g.medium-30");

    // a refused change never reaches the server
    let mut bad = serde_json::to_value(&resized.data_centres[0]).unwrap();
    bad["network"] = json!("10.7.0.0/16");
    let e = c
        .update_cluster(&id, &json!({ "dataCentres": [bad] }), Some(&resized), &none)
        .await
        .unwrap_err();
    assert!(matches!(e.error, Error::Validation { .. }));

    let before_backup = c.runtime().now_ms() - 5_000.0;
    c.trigger_backup(&id, &none).await.unwrap();
    let mut progress = Vec::new();
    let mut w = wait(WaitUntil::Running);
    w.since_ms = Some(before_backup);
    c.wait_for_backup(&id, &w, &mut |p| progress.push(p.progress))
        .await
        .unwrap();
    assert!(progress.iter().all(|p| (0.0..=1.0).contains(p)));
    assert_eq!(progress.last().copied(), Some(1.0));
    let backups = c.list_backups(&id, &none).await.unwrap();
    assert!(backups
        .cluster_data_centres
        .iter()
        .flat_map(|d| &d.nodes)
        .any(|n| !n.events.is_empty()));

    let point = iso(c.runtime().now_ms());
    let restore = json!({ "clusterId": id, "pointInTime": point, "restoredClusterName": "life-cycle-restored" });
    let restored = c.restore_cluster(&restore, &none).await.unwrap();
    let rid = restored
        .restored_cluster_id
        .clone()
        .expect("restoredClusterId");
    c.wait_for_cluster(&rid, &wait(WaitUntil::Running), &mut |_| {})
        .await
        .unwrap();

    let certs = c.download_certificate(&id, &none).await.unwrap();
    let der = first_pem_block(&certs.pem).expect("the PEM holds a certificate");
    assert_eq!(
        der.first(),
        Some(&0x30),
        "DER of an X.509 certificate starts with a SEQUENCE"
    );
    assert!(!certs.zip.is_empty());

    for cid in [&id, &rid] {
        c.delete_cluster(cid, &none).await.unwrap();
        let gone = c
            .wait_for_cluster(cid, &wait(WaitUntil::Deleted), &mut |_| {})
            .await
            .unwrap();
        assert!(gone
            .as_ref()
            .is_none_or(|g| g.status.as_ref().map(|s| s.as_str()) == Some("DELETED")));
    }
}

#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn transient_faults_are_retried_within_budget() {
    let emu = common::emulator();
    let c = client(&emu.url);
    let none = CallOptions::default();
    c.transport().inject(Operation::ListVersions, "503", 2);
    c.transport().inject(Operation::ListVersions, "429", 1);
    c.list_versions(&none).await.unwrap();
    assert_eq!(c.transport().count(Operation::ListVersions), 4);

    c.transport().inject(Operation::ListVersions, "503", 10);
    let e = c.list_versions(&none).await.unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 503, .. }));
    assert_eq!(e.attempts, 4);
    no_secret(&e);
    c.transport().faults.borrow_mut().clear();

    // connections dropped on a GET: retried
    c.transport().inject(Operation::ListVersions, "drop", 2);
    c.list_versions(&none).await.unwrap();
}

#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn retry_after_is_respected() {
    let emu = common::emulator();
    let c = client(&emu.url);
    c.transport().inject(Operation::ListVersions, "429", 1);
    let t = Instant::now();
    c.list_versions(&CallOptions::default()).await.unwrap();
    // the emulator's 429 carries Retry-After, and the wait is at least that long
    let asked = c.transport().retry_after.borrow().first().copied();
    let secs = asked.expect("the emulator's 429 carries a Retry-After in seconds");
    assert!(secs > 0, "a Retry-After of 0 s checks no wait");
    assert!(
        t.elapsed() >= Duration::from_secs(secs),
        "{:?} < {secs} s",
        t.elapsed()
    );
    assert_eq!(c.transport().count(Operation::ListVersions), 2);
}

#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn ambiguous_create_is_never_retried() {
    let emu = common::emulator();
    let c = client(&emu.url);
    let none = CallOptions::default();
    // clusters counted by name: the other tests of this file create clusters at the same time
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    async fn named(c: &TestClient, name: &str) -> usize {
        let search = format!("name:{name}");
        let none = CallOptions::default();
        c.list_clusters(Some(&search), &none)
            .await
            .expect("list")
            .len()
    }
    for (i, fault) in ["503", "drop", "drop-after", "garbage"].iter().enumerate() {
        c.transport().inject(Operation::CreateCluster, fault, 1);
        let name = format!("ambiguous-{i}-{run}");
        let r = c.create_cluster(&create_body(&name), &none).await;
        let created = named(&c, &name).await;
        assert_eq!(
            c.transport().count(Operation::CreateCluster),
            i + 1,
            "{fault}: create sent once"
        );
        assert!(created <= 1, "{fault}: never two clusters");
        match r {
            Err(e) => {
                assert!(
                    e.outcome_unknown || matches!(e.error, Error::Decode { .. }),
                    "{fault}: {e:?}"
                );
                if e.outcome_unknown {
                    assert!(e.hint.as_deref().is_some_and(|h| h.contains(&name)));
                }
                no_secret(&e);
            }
            Ok(_) => assert_eq!(created, 1),
        }
    }
    // refused before processing: 429 is retried and creates exactly one
    let name = format!("after-429-{run}");
    c.transport().inject(Operation::CreateCluster, "429", 1);
    c.create_cluster(&create_body(&name), &none).await.unwrap();
    assert_eq!(named(&c, &name).await, 1);
}

#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn stall_times_out_and_abort_is_immediate() {
    let emu = common::emulator();
    let c = client(&emu.url);
    c.transport()
        .inject(Operation::ListVersions, "stall:30000", 1);
    let t = Instant::now();
    let e = c
        .list_versions(&CallOptions {
            abort: None,
            timeout_ms: Some(300),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "TIMEOUT_ERROR");
    assert!(t.elapsed() < Duration::from_secs(5));

    c.transport()
        .inject(Operation::ListVersions, "stall:30000", 1);
    let abort = Abort::new();
    let a2 = abort.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        a2.abort();
    });
    let t = Instant::now();
    let e = c
        .list_versions(&CallOptions::with_abort(abort))
        .await
        .unwrap_err();
    assert_eq!(e.error, Error::Aborted);
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn waiter_stops_on_abort() {
    let emu = common::emulator();
    let c = client(&emu.url);
    let created = c
        .create_cluster(&create_body("waiter-abort"), &CallOptions::default())
        .await
        .unwrap();
    let id = created.id.unwrap();
    let abort = Abort::new();
    let mut w = WaitOptions::new(WaitUntil::Deleted, 600_000);
    w.min_delay_ms = 60_000;
    w.abort = Some(abort.clone());
    let a2 = abort.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        a2.abort();
    });
    let t = Instant::now();
    let e = c.wait_for_cluster(&id, &w, &mut |_| {}).await.unwrap_err();
    assert_eq!(e.error, Error::Aborted);
    assert!(t.elapsed() < Duration::from_secs(5));
}

/// The operations beyond the provisioning page against the emulator: configurations (by id and
/// by parts), reloads until COMPLETED with the waiter, the password (the new one on the server;
/// a faulty answer never shows it), settings, resize operations, maintenance events.
#[tokio::test]
#[ignore = "needs the emulator: EMULATOR_URL (tier 40-client-emulator)"]
async fn configurations_reloads_password_and_settings() {
    use instaclustr_pg_core::endpoints::*;
    use instaclustr_pg_core::model::{ReloadStatus, Secret};
    let emu = common::emulator();
    let c = client(&emu.url);
    let call = CallOptions::default();
    let body = json!(create_body("native-more"));
    let created = c.create_cluster(&body, &call).await.unwrap();
    let id = created.id.clone().unwrap();
    let cluster = c
        .wait_for_cluster(&id, &wait(WaitUntil::Running), &mut |_| {})
        .await
        .unwrap()
        .unwrap();

    let set = c
        .send(&CreateConfiguration::new(&id, "work_mem", "16MB"), &call)
        .await
        .unwrap();
    assert_eq!(set.id.as_deref(), Some(format!("{id}|work_mem").as_str()));
    let parts = ConfigurationRef::Parts {
        cluster_id: id.clone(),
        name: "work_mem".into(),
    };
    let updated = c
        .send(
            &UpdateConfiguration {
                configuration: parts.clone(),
                body: json!({"value": "32MB"}),
            },
            &call,
        )
        .await
        .unwrap();
    assert_eq!(updated.value, "32MB");
    let got = c
        .send(
            &GetConfiguration {
                configuration: ConfigurationRef::Id(format!("{id}|work_mem")),
            },
            &call,
        )
        .await
        .unwrap();
    assert_eq!(got.value, "32MB");
    let e = c
        .send(&CreateConfiguration::new(&id, "work_mem", "lots"), &call)
        .await
        .unwrap_err();
    assert!(
        matches!(&e.error, Error::Api { status: 400, errors, .. } if errors[0].name.as_deref() == Some("value"))
    );

    for dc in &cluster.data_centres {
        for node in dc.nodes.iter().flatten() {
            let node_id = node.id.clone().unwrap();
            let r = c
                .send(
                    &ReloadNode {
                        node_id: node_id.clone(),
                    },
                    &call,
                )
                .await
                .unwrap();
            assert_eq!(r.status, Some(ReloadStatus::Genesis));
            let done = c
                .wait_for_reload(&node_id, &wait(WaitUntil::Running), &mut |_| {})
                .await
                .unwrap();
            assert_eq!(done.status, Some(ReloadStatus::Completed));
        }
    }
    let reloads = c
        .send(
            &ListReloads {
                cluster_id: id.clone(),
            },
            &call,
        )
        .await
        .unwrap();
    assert_eq!(reloads.reload_operations.len(), 2);
    c.send(
        &ResetConfiguration {
            configuration: parts.clone(),
        },
        &call,
    )
    .await
    .unwrap();
    let e = c
        .send(
            &GetConfiguration {
                configuration: parts,
            },
            &call,
        )
        .await
        .unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 404, .. }));
    let lists = c
        .send(
            &ListConfigurations {
                cluster_id: id.clone(),
            },
            &call,
        )
        .await
        .unwrap();
    assert!(lists[0].configuration_properties.is_empty());

    let password = "N3w-Native-Passw0rd";
    c.send(
        &UpdateDefaultUserPassword {
            cluster_id: id.clone(),
            password: Secret::new(password),
        },
        &call,
    )
    .await
    .unwrap();
    let now = c.get_cluster(&id, &call).await.unwrap();
    assert_eq!(
        now.default_user_password.as_ref().map(Secret::expose),
        Some(password)
    );
    let e = c
        .send(
            &UpdateDefaultUserPassword {
                cluster_id: "00000000-0000-4000-8000-000000000000".into(),
                password: Secret::new(password),
            },
            &call,
        )
        .await
        .unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 404, .. }));
    assert!(!format!("{e} {e:?}").contains(password));

    let settings = c
        .send(
            &UpdateClusterSettings {
                cluster_id: id.clone(),
                body: json!({"description": "native"}),
            },
            &call,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(settings.description.as_deref(), Some("native"));
    assert_eq!(
        c.get_cluster(&id, &call)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("native")
    );
    let dc_id = cluster.data_centres[0].id.clone().unwrap();
    let resizes = c
        .send(
            &ListResizeOperations {
                data_centre_id: dc_id,
                active_only: None,
            },
            &call,
        )
        .await
        .unwrap();
    assert!(resizes.operations.is_empty());
    let upcoming = c
        .send(
            &ListUpcomingMaintenanceEvents {
                cluster_id: id.clone(),
            },
            &call,
        )
        .await
        .unwrap();
    assert!(upcoming[0].maintenance_events.is_empty());
    c.delete_cluster(&id, &call).await.unwrap();
}
