//! Hardening of secrets and of the transport, natively: no secret in any `Debug`/`Display` of an error,
//! of the client or of a request, even when the server echoes the credentials back; a POST whose
//! 2xx answer cannot be read says `outcome_unknown`; redirects (every 3xx, to another port or
//! host name of the same machine) are never followed; only loopback hosts may use plain http.
//! Servers bind 127.0.0.1, port 0, and answer canned bytes.
#![cfg(not(target_arch = "wasm32"))]

mod client_support;
use client_support::{create_body, http_response as reply, read_request};

use std::sync::{Arc, Mutex};

use instaclustr_pg_core::client::{CallError, CallOptions, Client, ClientConfig};
use instaclustr_pg_core::endpoints::Endpoint;
use instaclustr_pg_core::request::RequestOptions;
use instaclustr_pg_core::retry::RetryPolicy;
use instaclustr_pg_core::transport::native::{NativeTransport, TokioRuntime};
use instaclustr_pg_core::Error;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const KEY: &str = "recognizable-api-key-0xC0FFEE";
/// base64("alice:recognizable-api-key-0xC0FFEE")
const BASIC: &str = "YWxpY2U6cmVjb2duaXphYmxlLWFwaS1rZXktMHhDMEZGRUU=";

/// A server answering every request with `answer(head)`; records the request heads.
struct Server {
    url: String,
    heads: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn server(answer: impl Fn(&str) -> String + Send + Sync + 'static) -> Server {
    let answer = Arc::new(answer);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let h2 = heads.clone();
    let task = tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let h3 = h2.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                if let Some((head, _)) = read_request(&mut sock).await {
                    h3.lock().unwrap().push(head.clone());
                    let _ = sock.write_all(answer(&head).as_bytes()).await;
                    let _ = sock.shutdown().await;
                }
            });
        }
    });
    Server { url, heads, task }
}

/// The request's `Authorization` value, echoed back by hostile servers.
fn auth_of(head: &str) -> String {
    head.lines()
        .find_map(|l| {
            l.to_lowercase()
                .starts_with("authorization:")
                .then(|| l[14..].trim().to_owned())
        })
        .unwrap_or_default()
}

fn client(base: &str) -> Client<NativeTransport, TokioRuntime> {
    Client::new(
        NativeTransport::new().unwrap(),
        TokioRuntime::seeded(1),
        RequestOptions::new(Some(base.to_owned()), "alice", KEY),
        ClientConfig {
            retry: RetryPolicy {
                max_retries: 1,
                base_delay_ms: 1,
                max_delay_ms: 2,
                max_retry_after_ms: 10,
            },
            timeout_ms: 3000,
            ..ClientConfig::default()
        },
    )
    .unwrap()
}

fn assert_clean(label: &str, e: &CallError) {
    for text in [
        format!("{e}"),
        format!("{e:?}"),
        format!("{:#?}", e.error),
        e.error.to_string(),
    ] {
        assert!(!text.contains(KEY), "{label}: the key leaked: {text}");
        assert!(
            !text.contains(BASIC),
            "{label}: the basic token leaked: {text}"
        );
    }
}

#[tokio::test]
async fn echoed_credentials_never_reach_errors() {
    let echo500 = server(|h| {
        let a = auth_of(h);
        reply(
            500,
            &[("content-type", "application/json"), ("x-request-id", &a)],
            &format!(r#"{{"errors":[{{"name":"{a}","message":"bad {a} {KEY}"}}]}}"#),
        )
    })
    .await;
    let html502 =
        server(|h| reply(502, &[], &format!("<html>proxy saw {}</html>", auth_of(h)))).await;
    let garbage = server(|h| {
        reply(
            200,
            &[],
            &format!(r#"{{"id": 42, "echo": "{}""#, auth_of(h)),
        )
    })
    .await;
    let wrong_type = server(|h| reply(200, &[], &format!(r#"{{"id": ["{}"]}}"#, auth_of(h)))).await;
    let mut n = 0;
    for s in [&echo500, &html502, &garbage, &wrong_type] {
        let c = client(&s.url);
        let e = c
            .get_cluster(ID, &CallOptions::default())
            .await
            .unwrap_err();
        assert_clean(&s.url, &e);
        let e = c
            .create_cluster(&create_body("hardening-1"), &CallOptions::default())
            .await
            .unwrap_err();
        assert_clean(&s.url, &e);
        assert!(
            e.outcome_unknown,
            "a create answered 5xx or unreadable 2xx may have acted: {e:?}"
        );
        assert!(
            s.heads.lock().unwrap().iter().any(|h| h.contains(BASIC)),
            "credentials were sent"
        );
        n += 2;
    }
    assert_eq!(n, 8);
    // the client, its options and a built request
    let c = client(&echo500.url);
    for text in [format!("{c:?}"), format!("{:?}", c.request_options())] {
        assert!(!text.contains(KEY) && !text.contains(BASIC), "{text}");
    }
    let req = instaclustr_pg_core::endpoints::GetCluster {
        cluster_id: ID.into(),
    }
    .build(c.request_options())
    .unwrap();
    let text = format!("{req:?} {:?}", req.redacted_headers());
    assert!(!text.contains(KEY) && !text.contains(BASIC), "{text}");
}

#[tokio::test]
async fn unreadable_2xx_to_a_create_is_outcome_unknown_with_a_hint() {
    let s = server(|_| reply(200, &[("content-type", "text/html")], "<html>ok</html>")).await;
    let e = client(&s.url)
        .create_cluster(&create_body("hardening-1"), &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    assert!(e.outcome_unknown);
    assert!(
        e.hint
            .as_deref()
            .is_some_and(|h| h.contains("name:hardening-1")),
        "{e:?}"
    );
    assert_eq!(s.heads.lock().unwrap().len(), 1, "never repeated");
    // a GET with the same answer: nothing can have happened
    let e = client(&s.url)
        .get_cluster(ID, &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    assert!(!e.outcome_unknown);
}

#[tokio::test]
async fn no_redirect_is_followed_to_another_origin() {
    let target = server(|_| reply(200, &[], "{}")).await;
    let port = target.url.rsplit(':').next().unwrap().to_owned();
    for status in [301u16, 302, 303, 307, 308] {
        for host in ["127.0.0.1", "localhost"] {
            let location = format!("http://{host}:{port}/cluster-management/v2/resources/applications/postgresql/clusters/v2/{ID}");
            let r = server(move |_| reply(status, &[("location", &location)], "")).await;
            let e = client(&r.url)
                .get_cluster(ID, &CallOptions::default())
                .await
                .unwrap_err();
            assert!(
                matches!(e.error, Error::Api { status: s, .. } if s == status),
                "{e:?}"
            );
            assert_eq!(
                r.heads.lock().unwrap().len(),
                1,
                "a redirect is not retried"
            );
        }
    }
    assert!(
        target.heads.lock().unwrap().is_empty(),
        "nothing, let alone the credentials, may reach the redirect target"
    );
}

#[test]
fn only_loopback_may_use_plain_http() {
    let ok = [
        "http://127.0.0.1:8090",
        "http://localhost:1",
        "http://[::1]:80",
        "https://api.example.com",
        "https://10.0.0.1",
    ];
    let refused = [
        "http://api.example.com",
        "http://10.0.0.1",
        "http://192.168.1.1:8090",
        "http://127.0.0.1.example.com",
        "http://localhost.example.com",
        "http://0.0.0.0",
        "ftp://127.0.0.1",
        "http://user:pw@127.0.0.1",
    ];
    let build = |u: &str| {
        Client::new(
            NativeTransport::new().unwrap(),
            TokioRuntime::new(),
            RequestOptions::new(Some(u.to_owned()), "alice", KEY),
            ClientConfig::default(),
        )
    };
    for u in ok {
        assert!(build(u).is_ok(), "{u} should be accepted");
    }
    for u in refused {
        match build(u) {
            Err(Error::Validation { violations }) => {
                assert_eq!(violations[0].path, "baseUrl", "{u}");
                assert!(!format!("{violations:?}").contains(KEY));
            }
            other => panic!("{u} should be refused, got {other:?}"),
        }
    }
}
