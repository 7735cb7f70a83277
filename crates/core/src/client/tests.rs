//! Client logic over a scripted transport and a virtual clock: retries, Retry-After, POST
//! safety, DELETE 404, deadline, abort, hooks. No real time passes.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use serde_json::json;

use super::*;
use crate::transport::{Abort, Runtime, Transport, TransportError, TransportResponse};

const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";

/// Virtual clock: `sleep` advances time at once and records the delay.
#[derive(Default)]
struct VClock {
    now: Cell<f64>,
    sleeps: RefCell<Vec<u64>>,
}

impl Runtime for Rc<VClock> {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get() + ms as f64);
    }
    fn random(&self) -> f64 {
        0.5
    }
}

type Scripted = Result<TransportResponse, TransportError>;

/// Answers from a script; `None` entries hang forever (a stall). Each send takes `latency` ms.
struct Script {
    answers: RefCell<VecDeque<Option<Scripted>>>,
    sent: RefCell<Vec<(String, String)>>,
    clock: Rc<VClock>,
    latency: f64,
}

impl Transport for Script {
    async fn send(
        &self,
        r: &HttpRequest,
        _max: usize,
    ) -> Result<TransportResponse, TransportError> {
        self.sent
            .borrow_mut()
            .push((r.method.as_str().to_owned(), r.url.clone()));
        self.clock.now.set(self.clock.now.get() + self.latency);
        let next = self.answers.borrow_mut().pop_front();
        match next {
            Some(Some(a)) => a,
            Some(None) => std::future::pending().await,
            None => Err(TransportError::MaybeReached("script exhausted".into())),
        }
    }
}

fn resp(status: u16, body: &str) -> Option<Scripted> {
    Some(Ok(TransportResponse {
        status,
        headers: Vec::new(),
        body: body.as_bytes().to_vec(),
    }))
}

fn resp_h(status: u16, h: &[(&str, &str)]) -> Option<Scripted> {
    let headers = h
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Some(Ok(TransportResponse {
        status,
        headers,
        body: Vec::new(),
    }))
}

fn refused() -> Option<Scripted> {
    Some(Err(TransportError::NeverReached(
        "connection refused".into(),
    )))
}

fn reset() -> Option<Scripted> {
    Some(Err(TransportError::MaybeReached("connection reset".into())))
}

/// Runs a future whose only pending points are stalls (resolved by the virtual clock racing).
/// Every future here completes without real waiting; a stuck one fails the test.
fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(std::task::Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("future did not complete");
}

fn client(answers: Vec<Option<Scripted>>) -> (Client<Script, Rc<VClock>>, Rc<VClock>) {
    let clock = Rc::new(VClock {
        now: Cell::new(1_700_000_000_000.0),
        ..VClock::default()
    });
    let script = Script {
        answers: RefCell::new(answers.into()),
        sent: RefCell::default(),
        clock: clock.clone(),
        latency: 10.0,
    };
    let opts = RequestOptions::new(
        Some("http://127.0.0.1:1".into()),
        "alice",
        "k3y-s3cret-value",
    );
    (
        Client::new(script, clock.clone(), opts, ClientConfig::default()).unwrap(),
        clock,
    )
}

fn cluster_json(status: &str) -> String {
    json!({
        "id": ID, "name": "my-cluster", "postgresqlVersion": "16.2.0", "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false, "status": status,
        "currentClusterOperationStatus": "NO_OPERATION", "dataCentres": []
    })
    .to_string()
}

/// The valid create body shared with every other test.
fn create_body() -> Value {
    serde_json::from_str(include_str!(
        "../../../../tests/fixtures/create-cluster.json"
    ))
    .expect("tests/fixtures/create-cluster.json is JSON")
}

#[test]
fn get_retries_503_and_429_then_succeeds() {
    let (c, clock) = client(vec![
        resp(503, ""),
        resp(429, ""),
        resp(200, &cluster_json("RUNNING")),
    ]);
    let got = run(c.get_cluster(ID, &CallOptions::default())).unwrap();
    assert_eq!(got.id.as_deref(), Some(ID));
    assert_eq!(c.transport.sent.borrow().len(), 3);
    // full jitter at random 0.5: 250 then 500
    assert_eq!(*clock.sleeps.borrow(), vec![250, 500]);
}

#[test]
fn retry_budget_is_bounded() {
    let (c, _) = client(vec![resp(503, ""); 10]);
    let e = run(c.get_cluster(ID, &CallOptions::default())).unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 503, .. }));
    assert_eq!(e.attempts, 4);
    assert_eq!(e.operation, "getCluster");
    assert_eq!(c.transport.sent.borrow().len(), 4);
}

/// A certificate zip that cannot be read after a retried download: a decode error that says how
/// many attempts the download took.
#[cfg(feature = "inflate")]
#[test]
fn unreadable_certificate_reports_the_download_attempts() {
    let (c, _) = client(vec![resp(503, ""), resp(200, "not a zip")]);
    let e = run(c.download_certificate(ID, &CallOptions::default())).unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    assert_eq!((e.operation, e.attempts), ("downloadCertificate", 2));
    assert_eq!(c.transport.sent.borrow().len(), 2);
}

#[test]
fn retry_after_seconds_is_a_lower_bound() {
    let (c, clock) = client(vec![
        resp_h(429, &[("retry-after", "3")]),
        resp(200, &cluster_json("RUNNING")),
    ]);
    run(c.get_cluster(ID, &CallOptions::default())).unwrap();
    assert_eq!(*clock.sleeps.borrow(), vec![3000]);
}

#[test]
fn retry_after_too_long_ends_retries_with_the_header_kept() {
    let (c, clock) = client(vec![
        resp_h(429, &[("retry-after", "3600")]),
        resp(200, "{}"),
    ]);
    let e = run(c.get_cluster(ID, &CallOptions::default())).unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 429, .. }));
    assert_eq!(e.attempts, 1);
    assert!(clock.sleeps.borrow().is_empty());
    assert!(e
        .headers
        .iter()
        .any(|(k, v)| k == "retry-after" && v == "3600"));
}

#[test]
fn create_is_not_retried_after_an_ambiguous_failure() {
    for answer in [resp(503, ""), resp(502, "<html>"), reset()] {
        let (c, _) = client(vec![answer, resp(202, &cluster_json("GENESIS"))]);
        let e = run(c.create_cluster(&create_body(), &CallOptions::default())).unwrap_err();
        assert_eq!(c.transport.sent.borrow().len(), 1);
        assert!(e.outcome_unknown, "{e:?}");
        assert!(e
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("name:my-cluster")));
        assert_eq!(e.attempts, 1);
    }
}

#[test]
fn create_is_retried_when_provably_not_received() {
    let (c, _) = client(vec![
        refused(),
        resp(429, ""),
        resp(202, &cluster_json("GENESIS")),
    ]);
    let got = run(c.create_cluster(&create_body(), &CallOptions::default())).unwrap();
    assert_eq!(got.name, "my-cluster");
    assert_eq!(c.transport.sent.borrow().len(), 3);
}

#[test]
fn create_timeout_is_outcome_unknown_and_not_retried() {
    let (c, _) = client(vec![None, resp(202, &cluster_json("GENESIS"))]);
    let e = run(c.create_cluster(
        &create_body(),
        &CallOptions {
            abort: None,
            timeout_ms: Some(5000),
        },
    ))
    .unwrap_err();
    assert!(matches!(e.error, Error::Timeout { .. }));
    assert!(e.outcome_unknown);
    assert_eq!(c.transport.sent.borrow().len(), 1);
}

#[test]
fn invalid_input_sends_nothing() {
    let (c, _) = client(vec![]);
    let e = run(c.get_cluster("not-a-uuid", &CallOptions::default()));
    // validation of the ID is the builders' business; whatever it decides, a refusal sends nothing
    if let Err(e) = e {
        if matches!(e.error, Error::Validation { .. }) {
            assert!(c.transport.sent.borrow().is_empty());
            assert_eq!(e.attempts, 0);
        }
    }
}

#[test]
fn delete_404_on_retry_is_success_but_not_on_first_attempt() {
    let (c, _) = client(vec![reset(), resp(404, "")]);
    run(c.delete_cluster(ID, &CallOptions::default())).unwrap();
    let (c, _) = client(vec![resp(404, "")]);
    let e = run(c.delete_cluster(ID, &CallOptions::default())).unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 404, .. }));
}

#[test]
fn backoff_never_crosses_the_deadline() {
    let (c, clock) = client(vec![
        resp_h(503, &[("retry-after", "30")]),
        resp(200, &cluster_json("RUNNING")),
    ]);
    let e = run(c.get_cluster(
        ID,
        &CallOptions {
            abort: None,
            timeout_ms: Some(10_000),
        },
    ))
    .unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 503, .. }));
    assert!(clock.sleeps.borrow().is_empty());
}

#[test]
fn stall_times_out_at_the_deadline() {
    let (c, clock) = client(vec![None]);
    let e = run(c.get_cluster(
        ID,
        &CallOptions {
            abort: None,
            timeout_ms: Some(1234),
        },
    ))
    .unwrap_err();
    assert!(matches!(e.error, Error::Timeout { .. }));
    assert!(!e.outcome_unknown);
    assert_eq!(e.code(), "TIMEOUT_ERROR");
    assert_eq!(*clock.sleeps.borrow(), vec![1234]); // one timer: the deadline
}

#[test]
fn abort_before_and_during() {
    let abort = Abort::new();
    abort.abort();
    let (c, _) = client(vec![resp(200, &cluster_json("RUNNING"))]);
    let e = run(c.get_cluster(ID, &CallOptions::with_abort(abort))).unwrap_err();
    assert_eq!(e.error, Error::Aborted);
    assert!(c.transport.sent.borrow().is_empty());
}

struct Recorder(Rc<RefCell<Vec<HookEvent>>>);

impl Hooks for Recorder {
    fn on_request(&self, e: &HookEvent) {
        self.0.borrow_mut().push(e.clone());
    }
    fn on_response(&self, e: &HookEvent) {
        self.0.borrow_mut().push(e.clone());
    }
}

#[test]
fn hooks_see_every_attempt_without_credentials() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let (c, _) = client(vec![
        resp(503, ""),
        reset(),
        resp(200, &cluster_json("RUNNING")),
    ]);
    let c = c.with_hooks(Box::new(Recorder(log.clone())));
    run(c.get_cluster(ID, &CallOptions::default())).unwrap();
    let log = log.borrow();
    assert_eq!(log.len(), 6);
    assert_eq!(log[1].status, Some(503));
    assert_eq!(log[3].error, Some("NETWORK_ERROR"));
    assert_eq!(log[5].status, Some(200));
    assert_eq!(log[4].attempt, 3);
    assert!(log
        .iter()
        .all(|e| e.operation == "getCluster" && e.method == "GET"));
    assert!(!format!("{log:?}").contains("k3y-s3cret-value"));
}

#[test]
fn errors_never_show_the_key() {
    let (c, _) = client(vec![resp(
        401,
        r#"{"errors":[{"name":"auth","message":"bad"}]}"#,
    )]);
    let e = run(c.get_cluster(ID, &CallOptions::default())).unwrap_err();
    assert!(!format!("{e} {e:?} {c:?}").contains("k3y-s3cret-value"));
}

#[test]
fn too_large_and_redirect_are_typed_and_not_retried() {
    let (c, _) = client(vec![
        Some(Err(TransportError::TooLarge { limit: 5 })),
        resp(200, "{}"),
    ]);
    let e = run(c.get_cluster(ID, &CallOptions::default())).unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    let (c, _) = client(vec![Some(Err(TransportError::Redirect { status: 302 }))]);
    let e = run(c.get_cluster(ID, &CallOptions::default())).unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 302, .. }));
    assert_eq!(c.transport.sent.borrow().len(), 1);
}

#[test]
fn an_unusable_exchange_is_a_network_error_never_retried() {
    // the client's own failure (a user fetch that gave no response): one attempt, whatever
    // the operation; the outcome is unknown only when the request may have reached the server
    // and may have changed something
    for maybe_reached in [false, true] {
        let unusable = || {
            Some(Err(TransportError::Unusable {
                message: "fetch gave no response".into(),
                maybe_reached,
            }))
        };
        let (c, _) = client(vec![unusable(), resp(200, "{}")]);
        let e = run(c.get_cluster(ID, &CallOptions::default())).unwrap_err();
        assert_eq!(e.code(), "NETWORK_ERROR");
        assert_eq!((e.attempts, e.outcome_unknown), (1, false));
        assert_eq!(c.transport.sent.borrow().len(), 1);
        let (c, _) = client(vec![unusable(), resp(204, "")]);
        let e = run(c.trigger_backup(ID, &CallOptions::default())).unwrap_err();
        assert_eq!(e.code(), "NETWORK_ERROR");
        assert_eq!((e.attempts, e.outcome_unknown), (1, maybe_reached));
        assert_eq!(c.transport.sent.borrow().len(), 1);
    }
}

#[test]
fn plain_http_remote_base_url_is_refused() {
    let clock = Rc::new(VClock::default());
    let script = Script {
        answers: RefCell::default(),
        sent: RefCell::default(),
        clock: clock.clone(),
        latency: 0.0,
    };
    let opts = RequestOptions::new(Some("http://api.example.com".into()), "a", "b");
    assert!(matches!(
        Client::new(script, clock, opts, ClientConfig::default()),
        Err(Error::Validation { .. })
    ));
}

#[test]
fn redact_url_removes_user_info() {
    assert_eq!(
        redact_url("https://u:p@h.example/x?a=b@c"),
        "https://h.example/x?a=b@c"
    );
    assert_eq!(redact_url("https://h.example/x"), "https://h.example/x");
    assert_eq!(redact_url("nonsense"), "nonsense");
}

#[test]
fn wait_for_cluster_polls_with_growing_delay_and_fails_fast() {
    use crate::waiter::{WaitOptions, WaitUntil};
    let (c, clock) = client(vec![
        resp(200, &cluster_json("GENESIS")),
        resp(200, &cluster_json("PROVISIONING")),
        resp(200, &cluster_json("RUNNING")),
    ]);
    let mut seen = Vec::new();
    let got = run(c.wait_for_cluster(
        ID,
        &WaitOptions::new(WaitUntil::Running, 600_000),
        &mut |p| seen.push(p.status.clone()),
    ))
    .unwrap();
    assert!(got.is_some());
    assert_eq!(seen.len(), 3);
    assert_eq!(*clock.sleeps.borrow(), vec![5000, 7500]);

    let (c, _) = client(vec![
        resp(200, &cluster_json("GENESIS")),
        resp(200, &cluster_json("FAILED")),
    ]);
    let e = run(c.wait_for_cluster(
        ID,
        &WaitOptions::new(WaitUntil::Running, 600_000),
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(e.code(), "WAITER_ERROR");
    assert_eq!(e.operation, "waitForCluster");

    let (c, _) = client(vec![resp(200, &cluster_json("DELETING")), resp(404, "")]);
    let got = run(c.wait_for_cluster(
        ID,
        &WaitOptions::new(WaitUntil::Deleted, 600_000),
        &mut |_| {},
    ))
    .unwrap();
    assert!(got.is_none());

    // max wait
    let (c, _) = client(vec![resp(200, &cluster_json("GENESIS")); 50]);
    let e = wait_error(&c, false, WaitUntil::Running);
    assert!(matches!(e.error, Error::Waiter { .. }));
}

#[test]
fn waiter_stops_on_abort() {
    use crate::waiter::{WaitOptions, WaitUntil};
    let abort = Abort::new();
    let (c, _) = client(vec![resp(200, &cluster_json("GENESIS")); 50]);
    let mut opts = WaitOptions::new(WaitUntil::Running, 600_000);
    opts.abort = Some(abort.clone());
    let mut n = 0;
    let e = run(c.wait_for_cluster(ID, &opts, &mut |_| {
        n += 1;
        if n == 2 {
            abort.abort();
        }
    }))
    .unwrap_err();
    assert_eq!(e.error, Error::Aborted);
    assert_eq!(c.transport.sent.borrow().len(), 2);
}

fn running_cluster_with_dc() -> String {
    json!({
        "id": ID, "name": "my-cluster", "postgresqlVersion": "16.2.0", "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false, "status": "RUNNING",
        "currentClusterOperationStatus": "NO_OPERATION",
        "dataCentres": [{
            "name": "dc_1", "cloudProvider": "AWS_VPC", "region": "US_EAST_1", "network": "10.1.0.0/16",
            "nodeSize": "PGS-DEV-t4g.small-5", "numberOfNodes": 2, "clientToClusterEncryption": true,
            "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS"}]
        }]
    })
    .to_string()
}

fn update_body(network: &str, size: &str) -> Value {
    json!({"dataCentres": [{
        "name": "dc_1", "cloudProvider": "AWS_VPC", "region": "US_EAST_1", "network": network,
        "nodeSize": size, "numberOfNodes": 2, "clientToClusterEncryption": true,
        "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS"}]
    }]})
}

#[test]
fn the_update_guard_gives_one_verdict_on_models_values_and_views() {
    use crate::validate::{Bump, Json};
    let text = running_cluster_with_dc();
    let typed: PostgresqlCluster = serde_json::from_str(&text).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    let arena = Bump::new();
    let view = Json::from_value(&value, &arena);
    let same = update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30");
    assert_eq!(update_guard(&typed, &same), Ok(()));
    assert_eq!(
        update_guard(&view, &Json::from_value(&same, &arena)),
        Ok(())
    );
    let moved = update_body("10.2.0.0/16", "PGS-DEV-t4g.medium-30");
    let refused = update_guard(&typed, &moved);
    match &refused {
        Err(Error::Validation { violations }) => {
            let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
            assert_eq!(paths, ["dataCentres[0].network"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        update_guard(&view, &Json::from_value(&moved, &arena)),
        refused
    );
}

#[test]
fn the_list_filter_keeps_the_postgresql_clusters_of_every_account_in_order() {
    let accounts = vec![
        vec![("a", "POSTGRESQL"), ("b", "KAFKA")],
        vec![],
        vec![("c", "NEW_APP"), ("d", "POSTGRESQL")],
    ];
    let mut kept = Vec::new();
    postgresql_clusters(
        accounts,
        |c: &(&str, &str)| Some(c.1.to_owned()),
        |c| kept.push(c),
    );
    assert_eq!(kept, [("a", "POSTGRESQL"), ("d", "POSTGRESQL")]);
    postgresql_clusters(vec![vec![1]], |_: &i32| None, |c| panic!("kept {c}"));
}

#[test]
fn update_guard_refuses_unchangeable_fields_before_sending() {
    let (c, _) = client(vec![resp(200, &running_cluster_with_dc()), resp(202, "")]);
    let e = run(c.update_cluster(
        ID,
        &update_body("10.2.0.0/16", "PGS-DEV-t4g.medium-30"),
        None,
        &CallOptions::default(),
    ))
    .unwrap_err();
    match &e.error {
        Error::Validation { violations } => {
            assert!(
                violations
                    .iter()
                    .any(|v| v.path == "dataCentres[0].network"),
                "{violations:?}"
            );
            assert!(!violations.iter().any(|v| v.path.ends_with("nodeSize")));
        }
        other => panic!("{other:?}"),
    }
    let sent = c.transport.sent.borrow();
    assert_eq!(sent.len(), 1, "only the GET of the current cluster");
    assert_eq!(sent[0].0, "GET");
}

#[test]
fn update_with_only_a_resize_is_sent() {
    let (c, _) = client(vec![resp(200, &running_cluster_with_dc()), resp(202, "")]);
    run(c.update_cluster(
        ID,
        &update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30"),
        None,
        &CallOptions::default(),
    ))
    .unwrap();
    let sent = c.transport.sent.borrow();
    assert_eq!(
        sent.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["GET", "PUT"]
    );
    // with the current cluster given, no GET
    let current: PostgresqlCluster = serde_json::from_str(&running_cluster_with_dc()).unwrap();
    let (c, _) = client(vec![resp(202, "")]);
    run(c.update_cluster(
        ID,
        &update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30"),
        Some(&current),
        &CallOptions::default(),
    ))
    .unwrap();
    assert_eq!(c.transport.sent.borrow().len(), 1);
}

#[test]
fn resize_conflict_after_a_lost_answer_is_outcome_unknown() {
    let current: PostgresqlCluster = serde_json::from_str(&running_cluster_with_dc()).unwrap();
    let body = update_body("10.1.0.0/16", "PGS-DEV-t4g.medium-30");
    // the first PUT's connection resets (it may have been applied), the retry meets 409
    let (c, _) = client(vec![reset(), resp(409, "")]);
    let e = run(c.update_cluster(ID, &body, Some(&current), &CallOptions::default())).unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 409, .. }));
    assert!(e.outcome_unknown);
    assert!(e.hint.as_deref().is_some_and(|h| h.contains("getCluster")));
    // a 409 on the first attempt is someone else's operation: a plain conflict
    let (c, _) = client(vec![resp(409, "")]);
    let e = run(c.update_cluster(ID, &body, Some(&current), &CallOptions::default())).unwrap_err();
    assert!(!e.outcome_unknown && e.hint.is_none());
}

#[test]
fn wait_for_backup_reports_progress_and_fails_or_times_out_as_before() {
    use crate::waiter::{WaitOptions, WaitUntil};
    let events = |state: &str, p: f64| {
        json!({"clusterDataCentres": [{"name": "dc", "nodes": [
            {"id": "a", "events": [{"start": 1.0, "state": state, "progress": p}]},
            {"id": "b", "events": [{"start": 2.0, "state": "COMPLETED", "progress": 1.0}]}
        ]}]})
        .to_string()
    };
    let (c, clock) = client(vec![
        resp(200, &events("ACTIVE", 0.5)),
        resp(200, &events("COMPLETED", 1.0)),
    ]);
    let mut seen = Vec::new();
    let got = run(c.wait_for_backup(
        ID,
        &WaitOptions::new(WaitUntil::Running, 600_000),
        &mut |p| seen.push(p.clone()),
    ))
    .unwrap();
    assert_eq!(got.cluster_data_centres[0].nodes.len(), 2);
    assert_eq!(*clock.sleeps.borrow(), vec![5000]);
    assert_eq!(
        seen.iter()
            .map(|p| (p.progress, p.polls))
            .collect::<Vec<_>>(),
        [(0.75, 1), (1.0, 2)]
    );
    assert_eq!(seen[0].status, None);
    assert_eq!(seen[0].nodes[0].status.as_deref(), Some("ACTIVE"));
    assert_eq!(seen[0].nodes[0].data_centre, "dc");

    let (c, _) = client(vec![resp(200, &events("FAILED", 0.1))]);
    let e = run(c.wait_for_backup(
        ID,
        &WaitOptions::new(WaitUntil::Running, 600_000),
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(e.operation, "waitForBackup");
    assert_eq!(
        e.error,
        Error::Waiter {
            message: "a node's backup FAILED".into(),
            last_status: Some("FAILED".into())
        }
    );

    let (c, _) = client(vec![resp(200, &events("ACTIVE", 0.5)); 50]);
    let e = wait_error(&c, true, WaitUntil::Running);
    assert_eq!(
        e.error,
        Error::Waiter {
            message: "the backup did not complete within 20000 ms".into(),
            last_status: None
        }
    );
    // a poll's own error is the waiter's, 404 included (no "gone" for backups)
    let (c, _) = client(vec![resp(404, "")]);
    let e = wait_error(&c, true, WaitUntil::Deleted);
    assert!(matches!(e.error, Error::Api { status: 404, .. }));
    assert_eq!((e.operation, e.attempts), ("waitForBackup", 1));
}

#[test]
fn wait_for_cluster_reports_the_status_it_gave_up_on() {
    use crate::waiter::{WaitOptions, WaitUntil};
    let (c, _) = client(vec![resp(200, &cluster_json("PROVISIONING")); 50]);
    let e = wait_error(&c, false, WaitUntil::Running);
    assert_eq!(
        e.error,
        Error::Waiter {
            message: "the cluster did not reach the target state within 20000 ms".into(),
            last_status: Some("PROVISIONING".into())
        }
    );
    let (c, _) = client(vec![resp(200, &cluster_json("DELETING"))]);
    let e = wait_error(&c, false, WaitUntil::Running);
    assert_eq!(
        e.error,
        Error::Waiter {
            message: "the cluster is DELETING while waiting for RUNNING".into(),
            last_status: Some("DELETING".into())
        }
    );
    // a bad cluster ID is the getCluster validation error, renamed, at the first poll
    let (c, _) = client(vec![]);
    let e = run(c.wait_for_cluster(
        "nope",
        &WaitOptions::new(WaitUntil::Running, 20_000),
        &mut |_| {},
    ))
    .unwrap_err();
    assert!(matches!(e.error, Error::Validation { .. }));
    assert_eq!((e.operation, e.attempts), ("waitForCluster", 1));
}

/// The error a waiter (`backup`: `wait_for_backup`, else `wait_for_cluster`) of `c` ends with,
/// waiting at most 20 s for `until`.
fn wait_error(
    c: &Client<Script, Rc<VClock>>,
    backup: bool,
    until: crate::waiter::WaitUntil,
) -> CallError {
    let o = crate::waiter::WaitOptions::new(until, 20_000);
    if backup {
        run(c.wait_for_backup(ID, &o, &mut |_| {})).map(drop)
    } else {
        run(c.wait_for_cluster(ID, &o, &mut |_| {})).map(drop)
    }
    .unwrap_err()
}

#[test]
fn errors_never_show_the_new_password() {
    // a server (or proxy) echoing the request body into its error and into a garbage 2xx
    let pw = "Echo\"d-Pa55word";
    let escaped = r#"Echo\"d-Pa55word"#;
    let echo = format!(r#"{{"errors":[{{"name":"password","message":"bad: {escaped} / {pw}"}}]}}"#);
    for answer in [
        resp(400, &echo),
        resp(500, &format!("<html>{pw} {escaped}</html>")),
    ] {
        let (c, _) = client(vec![answer]);
        let op = endpoints::UpdateDefaultUserPassword {
            cluster_id: ID.into(),
            password: crate::model::Secret::new(pw),
        };
        let e = run(c.send(&op, &CallOptions::default())).unwrap_err();
        assert_eq!(e.code(), "API_ERROR");
        let text = format!("{e} {e:?} {op:?}");
        assert!(!text.contains(pw), "{text}");
        assert!(!text.contains(escaped), "{text}");
    }
}

#[test]
fn wait_for_reload_until_completed_and_fails_fast() {
    use crate::waiter::{WaitOptions, WaitUntil};
    const NODE: &str = "5b1c3f7e-9a0d-4e2b-8c6f-1d2e3f4a5b6c";
    let reload = |s: &str| format!(r#"{{"nodeId":"{NODE}","operationId":"r1","status":"{s}"}}"#);
    let (c, clock) = client(vec![
        resp(202, &reload("GENESIS")),
        resp(200, &reload("GENESIS")),
        resp(200, &reload("COMPLETED")),
    ]);
    let mut seen = Vec::new();
    let got = run(c.wait_for_reload(
        NODE,
        &WaitOptions::new(WaitUntil::Running, 600_000),
        &mut |p| seen.push((p.status.clone(), p.progress, p.nodes[0].id.clone())),
    ))
    .unwrap();
    assert_eq!(got.operation_id.as_deref(), Some("r1"));
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2], (Some("COMPLETED".into()), 1.0, Some(NODE.into())));
    assert_eq!(*clock.sleeps.borrow(), vec![5000, 7500]);
    assert!(c.transport.sent.borrow()[0]
        .1
        .ends_with(&format!("/nodes/v2/{NODE}/reload")));

    let (c, _) = client(vec![
        resp(200, &reload("GENESIS")),
        resp(200, &reload("FAILED")),
    ]);
    let e = run(c.wait_for_reload(
        NODE,
        &WaitOptions::new(WaitUntil::Running, 600_000),
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(e.code(), "WAITER_ERROR");
    assert_eq!(e.operation, "waitForReload");
    assert!(matches!(&e.error, Error::Waiter { last_status: Some(s), .. } if s == "FAILED"));
    // a malformed node id is refused before anything is sent
    let (c, _) = client(vec![]);
    let e = run(c.wait_for_reload(
        "n1",
        &WaitOptions::new(WaitUntil::Running, 1000),
        &mut |_| {},
    ))
    .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(c.transport.sent.borrow().is_empty());
}
