//! The client over the native transport against a scripted raw HTTP server on 127.0.0.1:
//! redirects not followed (no credentials to another origin), bounded bodies, never-reached vs
//! maybe-reached failures, deadlines, abort, Retry-After. Every server stops with its test.
#![cfg(not(target_arch = "wasm32"))]

mod client_support;
use client_support::{create_body, http_response, read_request};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use instaclustr_pg_core::client::{CallOptions, Client, ClientConfig};
use instaclustr_pg_core::request::RequestOptions;
use instaclustr_pg_core::retry::RetryPolicy;
use instaclustr_pg_core::transport::native::{NativeTransport, TokioRuntime};
use instaclustr_pg_core::transport::Abort;
use instaclustr_pg_core::Error;
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const KEY: &str = "recognizable-api-key-0xC0FFEE";

/// What the server does with one request.
#[derive(Clone)]
enum Act {
    /// Answer with raw bytes (status line, headers, body).
    Raw(Vec<u8>),
    /// Close the connection without answering.
    Drop,
    /// Never answer.
    Stall,
}

fn http(status: u16, headers: &[(&str, &str)], body: &str) -> Act {
    Act::Raw(http_response(status, headers, body).into_bytes())
}

struct Server {
    url: String,
    requests: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server answering request n with `script[n]` (the last entry repeats).
async fn server(script: Vec<Act>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (r2, s2) = (requests.clone(), seen.clone());
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (r3, s3, script) = (r2.clone(), s2.clone(), script.clone());
            tokio::spawn(async move {
                let Some((_, buf)) = read_request(&mut sock).await else {
                    return;
                };
                let n = r3.fetch_add(1, Ordering::SeqCst);
                s3.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf).into_owned());
                let act = script
                    .get(n)
                    .or(script.last())
                    .cloned()
                    .unwrap_or(Act::Drop);
                match act {
                    Act::Raw(bytes) => {
                        let _ = sock.write_all(&bytes).await;
                        let _ = sock.shutdown().await;
                    }
                    Act::Drop => drop(sock),
                    Act::Stall => tokio::time::sleep(Duration::from_secs(60)).await,
                }
            });
        }
    });
    Server {
        url,
        requests,
        seen,
        task,
    }
}

fn client(base: &str, config: ClientConfig) -> Client<NativeTransport, TokioRuntime> {
    let opts = RequestOptions::new(Some(base.to_owned()), "alice", KEY);
    Client::new(
        NativeTransport::new().unwrap(),
        TokioRuntime::seeded(1),
        opts,
        config,
    )
    .unwrap()
}

fn fast() -> ClientConfig {
    ClientConfig {
        retry: RetryPolicy {
            base_delay_ms: 10,
            max_delay_ms: 50,
            ..RetryPolicy::default()
        },
        timeout_ms: 10_000,
        ..ClientConfig::default()
    }
}

fn cluster_body() -> String {
    json!({"id": ID, "name": "my-cluster", "postgresqlVersion": "16.2.0", "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false, "status": "RUNNING", "dataCentres": []})
    .to_string()
}

#[tokio::test]
async fn cross_origin_redirect_is_not_followed() {
    let other = server(vec![http(200, &[], &cluster_body())]).await;
    let location = format!("{}/steal", other.url);
    let s = server(vec![http(302, &[("location", &location)], "")]).await;
    let e = client(&s.url, fast())
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(e.error, Error::Api { status: 302, .. }), "{e:?}");
    assert_eq!(s.requests.load(Ordering::SeqCst), 1);
    assert_eq!(
        other.requests.load(Ordering::SeqCst),
        0,
        "credentials must never reach another origin"
    );
    // the credentials did reach the right server
    assert!(s.seen.lock().unwrap()[0]
        .to_lowercase()
        .contains("authorization: basic"));
}

#[tokio::test]
async fn response_size_is_bounded() {
    let big = "x".repeat(5000);
    // declared length over the limit
    let s = server(vec![http(200, &[], &big)]).await;
    let cfg = ClientConfig {
        max_response_bytes: 1000,
        ..fast()
    };
    let e = client(&s.url, cfg)
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    assert_eq!(e.attempts, 1);
    // no declared length: the stream is cut at the limit
    let raw = format!("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{big}");
    let s = server(vec![Act::Raw(raw.into_bytes())]).await;
    let e = client(&s.url, cfg)
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    // at the limit: accepted
    let cfg = ClientConfig {
        max_response_bytes: cluster_body().len(),
        ..fast()
    };
    let s = server(vec![http(200, &[], &cluster_body())]).await;
    client(&s.url, cfg)
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_create() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{port}"), fast());
    let e = c
        .create_cluster(&create_body("my-cluster"), &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "NETWORK_ERROR");
    assert_eq!(e.attempts, 4, "never reached: every retry is safe");
    assert!(!e.outcome_unknown);
}

#[tokio::test]
async fn dropped_create_is_never_retried_and_says_outcome_unknown() {
    let s = server(vec![Act::Drop, http(202, &[], &cluster_body())]).await;
    let e = client(&s.url, fast())
        .create_cluster(&create_body("my-cluster"), &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "NETWORK_ERROR");
    assert!(e.outcome_unknown);
    assert!(e.hint.is_some());
    assert_eq!(s.requests.load(Ordering::SeqCst), 1);
    let text = format!("{e} {e:?}");
    assert!(!text.contains(KEY));
}

#[tokio::test]
async fn dropped_get_is_retried() {
    let s = server(vec![
        Act::Drop,
        http(503, &[], ""),
        http(200, &[], &cluster_body()),
    ])
    .await;
    let got = client(&s.url, fast())
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap();
    assert_eq!(got.name, "my-cluster");
    assert_eq!(s.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn stall_times_out_within_the_deadline() {
    let s = server(vec![Act::Stall]).await;
    let t = Instant::now();
    let call = CallOptions {
        abort: None,
        timeout_ms: Some(300),
    };
    let e = client(&s.url, fast())
        .get_cluster(ID, &call)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "TIMEOUT_ERROR");
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn abort_cancels_the_request_at_once() {
    let s = server(vec![Act::Stall]).await;
    let abort = Abort::new();
    let a2 = abort.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        a2.abort();
    });
    let t = Instant::now();
    let e = client(&s.url, fast())
        .get_cluster(ID, &CallOptions::with_abort(abort))
        .await
        .unwrap_err();
    assert_eq!(e.error, Error::Aborted);
    assert!(t.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn retry_after_is_respected() {
    let s = server(vec![
        http(429, &[("retry-after", "1")], ""),
        http(200, &[], &cluster_body()),
    ])
    .await;
    let t = Instant::now();
    client(&s.url, fast())
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap();
    assert!(
        t.elapsed() >= Duration::from_millis(1000),
        "waited {:?}",
        t.elapsed()
    );
    assert_eq!(s.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn abort_during_backoff_is_immediate() {
    let s = server(vec![http(503, &[("retry-after", "30")], "")]).await;
    let abort = Abort::new();
    let a2 = abort.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        a2.abort();
    });
    let t = Instant::now();
    let call = CallOptions {
        abort: Some(abort),
        timeout_ms: Some(120_000),
    };
    let e = client(&s.url, fast())
        .get_cluster(ID, &call)
        .await
        .unwrap_err();
    assert_eq!(e.error, Error::Aborted);
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn plain_http_remote_is_refused() {
    let opts = RequestOptions::new(Some("http://api.example.com".into()), "alice", KEY);
    let r = Client::new(
        NativeTransport::new().unwrap(),
        TokioRuntime::new(),
        opts,
        ClientConfig::default(),
    );
    match r {
        Err(Error::Validation { violations }) => assert_eq!(violations[0].path, "baseUrl"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}
