//! The whole lifecycle through `InstaclustrClient` over the real `fetch` against the emulator,
//! under `wasm-pack test --node` and `--headless --chrome`. The emulator URL is baked in at
//! compile time (`EMULATOR_URL`). The test is `#[ignore]`d, so that the wasm tiers, which run no
//! emulator, report it as ignored rather than passed; scripts/test.d/40-client-emulator starts an
//! emulator, builds with `EMULATOR_URL` set and runs it with `--include-ignored`. Run without
//! `EMULATOR_URL`, it fails.
#![cfg(target_arch = "wasm32")]

// in a browser under `wasm-pack test --chrome` (build.rs), in Node under `--node`
#[cfg(wasm_test_browser)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use base64::Engine;
use instaclustr_pg::client::JsClient;
use instaclustr_pg_core::certificate::first_pem_block;
use js_sys::{Array, Promise, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const KEY: &str = "recognizable-api-key-0xC0FFEE";

fn emulator_url() -> &'static str {
    match option_env!("EMULATOR_URL") {
        Some(u) if !u.is_empty() => u,
        _ => panic!("this test needs a running emulator: build with EMULATOR_URL set (scripts/test.d/40-client-emulator does)"),
    }
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

async fn ok(p: Promise) -> JsValue {
    match JsFuture::from(p).await {
        Ok(v) => v,
        Err(e) => panic!("call failed: {:?}", get(&e, "message")),
    }
}

/// The emulator's own answer for cluster `id` (status code and JSON body), read through gloo-net
/// rather than our client: the independent witness of what the server holds.
async fn server_view(id: &str) -> (u16, Value) {
    let url = format!(
        "{}/cluster-management/v2/resources/applications/postgresql/clusters/v2/{id}/",
        emulator_url().trim_end_matches('/')
    );
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("alice:{KEY}"));
    let resp = gloo_net::http::Request::get(&url)
        .header("Authorization", &format!("Basic {auth}"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap_or_else(|e| panic!("gloo-net GET {url} failed: {e}"));
    let status = resp.status();
    let text = resp
        .text()
        .await
        .expect("the body of the emulator's answer");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, body)
}

/// The server's view of a cluster that must exist: its JSON.
async fn on_server(id: &str) -> Value {
    let (status, body) = server_view(id).await;
    assert_eq!(status, 200, "the server does not have cluster {id}: {body}");
    assert_eq!(body["id"].as_str(), Some(id));
    body
}

fn waiting(until: &str) -> JsValue {
    obj(&format!(
        r#"{{"until":"{until}","minDelayMs":20,"maxDelayMs":200,"maxWaitMs":60000}}"#
    ))
}

/// The client of alice, the emulator's account, with short retry delays.
fn client() -> JsClient {
    let url = emulator_url();
    JsClient::new(obj(&format!(
        r#"{{"baseUrl":"{url}","username":"alice","apiKey":"{KEY}","retry":{{"baseDelayMs":20,"maxDelayMs":200}}}}"#
    )))
    .unwrap()
}

/// The shared create body, under a test's own cluster name.
fn create_body(name: &str) -> JsValue {
    obj(&include_str!("fixtures/create-cluster.json").replacen(
        r#""name": "my-cluster""#,
        &format!(r#""name": "{name}""#),
        1,
    ))
}

#[wasm_bindgen_test]
#[ignore = "needs the emulator: EMULATOR_URL at compile time (tier 40-client-emulator)"]
async fn whole_lifecycle_over_fetch() {
    let c = client();
    let body = create_body("wasm-life");
    let created = ok(c.create_cluster(body, None)).await;
    let id = get(&created, "id").as_string().unwrap();
    let seen = on_server(&id).await;
    assert_eq!(seen["name"].as_str(), Some("wasm-life"));
    assert_eq!(seen["dataCentres"][0]["numberOfNodes"].as_u64(), Some(2));
    let running = ok(c.wait_for_cluster(id.clone().into(), waiting("RUNNING"))).await;
    assert_eq!(
        get(&running, "status").as_string().as_deref(),
        Some("RUNNING")
    );

    let current = ok(c.get_cluster(id.clone().into(), None)).await;
    let dcs: Array = get(&current, "dataCentres").unchecked_into();
    let dc = JSON::parse(&JSON::stringify(&dcs.get(0)).unwrap().as_string().unwrap()).unwrap();
    Reflect::set(&dc, &"nodeSize".into(), &"PGS-DEV-t4g.medium-30".into()).unwrap();
    let update = js_sys::Object::new();
    Reflect::set(&update, &"dataCentres".into(), &Array::of1(&dc)).unwrap();
    let o = js_sys::Object::new();
    Reflect::set(&o, &"current".into(), &current).unwrap();
    ok(c.update_cluster(id.clone().into(), update.into(), Some(o.into()))).await;
    ok(c.wait_for_cluster(id.clone().into(), waiting("RUNNING"))).await;
    let seen = on_server(&id).await;
    assert_eq!(
        seen["dataCentres"][0]["nodeSize"].as_str(),
        Some("PGS-DEV-t4g.medium-30"),
        "the resize is not on the server"
    );
    assert_eq!(seen["status"].as_str(), Some("RUNNING"));

    let since = js_sys::Date::now() - 5000.0;
    ok(c.trigger_backup(id.clone().into(), None)).await;
    let w = waiting("RUNNING");
    Reflect::set(&w, &"since".into(), &since.into()).unwrap();
    ok(c.wait_for_backup(id.clone().into(), w)).await;
    let backups = ok(c.list_backups(id.clone().into(), None)).await;
    assert!(
        get(&backups, "clusterDataCentres")
            .unchecked_into::<Array>()
            .length()
            > 0
    );

    let point = js_sys::Date::new(&JsValue::from(js_sys::Date::now()));
    let restore = obj(&format!(
        r#"{{"clusterId":"{id}","restoredClusterName":"wasm-life-restored"}}"#
    ));
    Reflect::set(&restore, &"pointInTime".into(), &point).unwrap();
    let restored = ok(c.restore_cluster(restore, None)).await;
    let rid = get(&restored, "restoredClusterId").as_string().unwrap();
    ok(c.wait_for_cluster(rid.clone().into(), waiting("RUNNING"))).await;
    let seen = on_server(&rid).await;
    assert_eq!(seen["name"].as_str(), Some("wasm-life-restored"));

    let certs = ok(c.download_certificate(id.clone().into(), None)).await;
    assert!(first_pem_block(&get(&certs, "pem").as_string().unwrap()).is_some());

    for cid in [id, rid] {
        ok(c.delete_cluster(cid.clone().into(), None)).await;
        ok(c.wait_for_cluster(cid.clone().into(), waiting("DELETED"))).await;
        // gone on the server: DELETED for a short while, then not found
        let (status, body) = server_view(&cid).await;
        assert!(
            status == 404 || (status == 200 && body["status"].as_str() == Some("DELETED")),
            "cluster {cid} is still on the server: {status} {body}"
        );
    }
}

/// The operations beyond the provisioning page over fetch: configurations, reloads with
/// waitForReload, the password (on the server afterwards), settings, resizes, maintenance.
#[wasm_bindgen_test]
#[ignore = "needs the emulator: EMULATOR_URL at compile time (tier 40-client-emulator)"]
async fn configurations_reloads_and_password_over_fetch() {
    let c = client();
    let body = create_body("wasm-more");
    let created = ok(c.create_cluster(body, None)).await;
    let id = get(&created, "id").as_string().unwrap();
    let cluster = ok(c.wait_for_cluster(id.clone().into(), waiting("RUNNING"))).await;

    let input = obj(&format!(
        r#"{{"clusterId":"{id}","name":"work_mem","value":"16MB"}}"#
    ));
    let set = ok(c.create_configuration(input, None)).await;
    assert_eq!(get(&set, "id").as_string(), Some(format!("{id}|work_mem")));
    let parts = obj(&format!(r#"{{"clusterId":"{id}","name":"work_mem"}}"#));
    ok(c.update_configuration(parts.clone(), obj(r#"{"value":"32MB"}"#), None)).await;
    let got = ok(c.get_configuration(format!("{id}|work_mem").into(), None)).await;
    assert_eq!(get(&got, "value").as_string().as_deref(), Some("32MB"));

    let nodes: Array = get(
        &get(&cluster, "dataCentres")
            .unchecked_into::<Array>()
            .get(0),
        "nodes",
    )
    .unchecked_into();
    for node in nodes.iter() {
        let node_id = get(&node, "id");
        ok(c.reload_node(node_id.clone(), None)).await;
        let done = ok(c.wait_for_reload(node_id, waiting("RUNNING"))).await;
        assert_eq!(
            get(&done, "status").as_string().as_deref(),
            Some("COMPLETED")
        );
    }
    ok(c.reset_configuration(parts, None)).await;
    let lists = ok(c.list_configurations(id.clone().into(), None)).await;
    let props: Array = get(
        &lists.unchecked_into::<Array>().get(0),
        "configurationProperties",
    )
    .unchecked_into();
    assert_eq!(props.length(), 0);

    ok(c.update_default_user_password(
        id.clone().into(),
        obj(r#"{"password":"N3w-Wasm-Passw0rd"}"#),
        None,
    ))
    .await;
    ok(c.update_cluster_settings(id.clone().into(), obj(r#"{"description":"wasm"}"#), None)).await;
    let seen = on_server(&id).await;
    assert_eq!(
        seen["defaultUserPassword"].as_str(),
        Some("N3w-Wasm-Passw0rd")
    );
    assert_eq!(seen["description"].as_str(), Some("wasm"));
    let dc_id = seen["dataCentres"][0]["id"].as_str().unwrap().to_owned();
    let resizes = ok(c.list_resize_operations(dc_id.into(), None, None)).await;
    assert_eq!(
        get(&resizes, "operations")
            .unchecked_into::<Array>()
            .length(),
        0
    );
    let upcoming = ok(c.list_upcoming_maintenance_events(id.clone().into(), None)).await;
    assert_eq!(upcoming.unchecked_into::<Array>().length(), 1);

    ok(c.delete_cluster(id.into(), None)).await;
}
