//! The operations beyond the provisioning page over HTTP (spec/instaclustr-v2-postgresql-more):
//! configurations, the default user's password, node reloads, cluster settings, resize
//! operations and maintenance events; statuses and bodies checked against the document.

mod common;

use common::*;
use serde_json::{json, Value};

const CONFIGS: &str = "/resources/applications/postgresql/configurations/v2/";
const CONFIG: &str =
    "/cluster-management/v2/resources/applications/postgresql/configurations/v2/{configurationId}";
const NIL: &str = "00000000-0000-4000-8000-000000000000";

fn more_spec() -> Value {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/instaclustr-v2-postgresql-more.openapi.json"
    );
    serde_json::from_str(&std::fs::read_to_string(p).expect("spec")).expect("spec json")
}

/// A running cluster: its id, first data centre's id and node ids.
async fn running(emu: &Emu, name: &str) -> (String, String, Vec<String>) {
    let c = emu.create(name).await;
    let id = c["id"].as_str().unwrap().to_owned();
    let c = emu.wait_running(&id).await;
    let dc = c["dataCentres"][0]["id"].as_str().unwrap().to_owned();
    let nodes = c["dataCentres"][0]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    (id, dc, nodes)
}

#[tokio::test]
async fn configurations_are_set_read_changed_and_reset() {
    let emu = fast().await;
    let doc = more_spec();
    let (id, _, _) = running(&emu, "configs").await;
    async fn list(emu: &Emu, id: String) -> Value {
        let r = emu
            .call(
                "GET",
                &format!("/data-sources/postgresql_cluster/{id}/configurations"),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
        assert_schema(
            &more_spec(),
            "/cluster-management/v2/data-sources/postgresql_cluster/{clusterId}/configurations",
            "get",
            200,
            &r.json(),
        );
        r.json()
    }
    let l = list(&emu, id.clone()).await;
    assert_eq!(
        l,
        json!([{ "clusterId": id, "configurationProperties": [] }])
    );

    let body = json!({"clusterId": id, "name": "work_mem", "value": "16MB"});
    let r = emu.call("POST", CONFIGS, Some(&body)).await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    assert_schema(
        &doc,
        "/cluster-management/v2/resources/applications/postgresql/configurations/v2/",
        "post",
        202,
        &r.json(),
    );
    assert_eq!(r.json()["id"], json!(format!("{id}|work_mem")));

    // the id with its `|` raw (as Instaclustr's Go client sends it) or percent-encoded
    for path in [
        format!("{CONFIGS}{id}|work_mem"),
        format!("{CONFIGS}{id}%7Cwork_mem"),
        format!("{CONFIGS}{id}%7cwork_mem"),
    ] {
        let r = emu.call("GET", &path, None).await;
        assert_eq!(
            r.status,
            202,
            "{path}: {}",
            String::from_utf8_lossy(&r.body)
        );
        assert_schema(&doc, CONFIG, "get", 202, &r.json());
        assert_eq!(r.json()["value"], "16MB");
    }
    let one = format!("{CONFIGS}{id}%7Cwork_mem");
    let r = emu.call("PUT", &one, Some(&json!({"value": "32MB"}))).await;
    assert_eq!(r.status, 202);
    assert_schema(&doc, CONFIG, "put", 202, &r.json());
    assert_eq!(r.json()["value"], "32MB");
    let r = emu
        .call(
            "POST",
            CONFIGS,
            Some(&json!({"clusterId": id, "name": "idle_in_transaction_session_timeout", "value": "60s"})),
        )
        .await;
    assert_eq!(r.status, 202);
    let l = list(&emu, id.clone()).await;
    let props = l[0]["configurationProperties"].as_array().unwrap();
    assert_eq!(props.len(), 2);
    assert!(props
        .iter()
        .any(|p| p["name"] == "work_mem" && p["value"] == "32MB"));

    // reset: gone (its GET a 404), twice a 404
    let r = emu.call("DELETE", &one, None).await;
    assert_eq!(r.status, 204);
    assert!(r.body.is_empty());
    for method in ["GET", "DELETE"] {
        let r = emu.call(method, &one, None).await;
        assert_eq!(r.status, 404, "{method}");
        assert_eq!(r.error_names(), ["configurationId"]);
    }
    let r = emu.call("PUT", &one, Some(&json!({"value": "1MB"}))).await;
    assert_eq!(r.status, 404);
    assert_eq!(
        list(&emu, id.clone()).await[0]["configurationProperties"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // errors: each field named, unknown clusters 404, a malformed id 400
    let r = emu
        .call(
            "POST",
            CONFIGS,
            Some(&json!({"clusterId": id, "name": "work mem"})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), ["name", "value"]);
    let r = emu
        .call(
            "POST",
            CONFIGS,
            Some(&json!({"clusterId": NIL, "name": "work_mem", "value": "1MB"})),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_names(), ["clusterId"]);
    let r = emu
        .call(
            "PUT",
            &format!("{CONFIGS}{id}%7Cwork_mem"),
            Some(&json!({"value": 5})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), ["value"]);
    for bad in ["work_mem", "not-a-uuid|work_mem"] {
        let r = emu.call("GET", &format!("{CONFIGS}{bad}"), None).await;
        assert_eq!(r.status, 400, "{bad}");
        assert_eq!(r.error_names(), ["configurationId"]);
    }
    let r = emu
        .call("GET", &format!("{CONFIGS}{NIL}%7Cwork_mem"), None)
        .await;
    assert_eq!(r.status, 404);
    // another account's cluster is not found
    let r = emu
        .call_as(
            Some(("bob", "bob-key")),
            "GET",
            &format!("/data-sources/postgresql_cluster/{id}/configurations"),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn the_default_users_password_changes() {
    let emu = fast().await;
    let doc = more_spec();
    let (id, _, _) = running(&emu, "password").await;
    let path = format!(
        "/operations/applications/postgresql/clusters/v2/{id}/update-default-user-password"
    );
    for (weak, _) in [("short1A", "length"), ("alllowercase", "pattern")] {
        let r = emu
            .call("PUT", &path, Some(&json!({ "password": weak })))
            .await;
        assert_eq!(r.status, 400);
        assert_eq!(r.error_names(), ["password"]);
        assert!(!String::from_utf8_lossy(&r.body).contains(weak));
    }
    let r = emu.call("PUT", &path, Some(&json!({}))).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), ["password"]);
    let r = emu
        .call(
            "PUT",
            &format!("/operations/applications/postgresql/clusters/v2/{NIL}/update-default-user-password"),
            Some(&json!({"password": "N3w-Passw0rd!"})),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = emu
        .call("PUT", &path, Some(&json!({"password": "N3w-Passw0rd!"})))
        .await;
    assert_eq!(r.status, 202);
    assert_schema(
        &doc,
        "/cluster-management/v2/operations/applications/postgresql/clusters/v2/{clusterId}/update-default-user-password",
        "put",
        202,
        &r.json(),
    );
    let c = emu.get(&id).await.json();
    assert_eq!(c["defaultUserPassword"], "N3w-Passw0rd!");
}

#[tokio::test]
async fn reloads_go_from_genesis_to_completed() {
    let emu = fast().await;
    let doc = more_spec();
    let (id, _, nodes) = running(&emu, "reloads").await;
    const NODE: &str =
        "/cluster-management/v2/operations/applications/postgresql/nodes/v2/{nodeId}/reload";
    let node = |n: &str| format!("/operations/applications/postgresql/nodes/v2/{n}/reload");
    // never reloaded: 404
    let r = emu.call("GET", &node(&nodes[0]), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_names(), ["nodeId"]);
    let r = emu.call("POST", &node(&nodes[0]), None).await;
    assert_eq!(r.status, 202);
    assert_schema(&doc, NODE, "post", 202, &r.json());
    assert_eq!(r.json()["status"], "GENESIS");
    assert_eq!(r.json()["nodeId"], json!(nodes[0]));
    // 200 (what Instaclustr's Go client requires), the document's 202 schema; COMPLETED after
    // 10 s / speed
    let t = std::time::Instant::now();
    let done = loop {
        let r = emu.call("GET", &node(&nodes[0]), None).await;
        assert_eq!(r.status, 200);
        assert_schema(&doc, NODE, "get", 202, &r.json());
        if r.json()["status"] == "COMPLETED" {
            break r.json();
        }
        assert_eq!(r.json()["status"], "GENESIS");
        assert!(t.elapsed().as_secs() < 10);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    };
    assert!(done["timeModified"].as_str() > done["timeCreated"].as_str());
    let r = emu
        .call(
            "GET",
            &format!("/operations/applications/postgresql/clusters/v2/{id}/reload"),
            None,
        )
        .await;
    assert_eq!(r.status, 202);
    assert_schema(
        &doc,
        "/cluster-management/v2/operations/applications/postgresql/clusters/v2/{clusterId}/reload",
        "get",
        202,
        &r.json(),
    );
    let ops = r.json()["reloadOperations"].as_array().unwrap().clone();
    assert_eq!(ops.len(), 1, "only the node reloaded");
    assert_eq!(ops[0]["nodeId"], json!(nodes[0]));
    // unknown and malformed nodes
    let r = emu.call("POST", &node(NIL), None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.error_names(), ["nodeId"]);
    let r = emu.call("POST", &node("n1"), None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), ["nodeId"]);
    let r = emu
        .call_as(
            Some(("bob", "bob-key")),
            "POST",
            &node(&nodes[1]),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404, "another account's node");
}

#[tokio::test]
async fn settings_are_stored_and_returned() {
    let emu = fast().await;
    let doc = more_spec();
    let (id, _, _) = running(&emu, "settings").await;
    let path = format!("/operations/clusters/v2/{id}/change-settings/v2");
    let body = json!({"description": "Team A", "twoFactorDelete": {"confirmationEmail": "ops@example.com"}});
    let r = emu.call("PUT", &path, Some(&body)).await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    assert_schema(
        &doc,
        "/cluster-management/v2/operations/clusters/v2/{clusterId}/change-settings/v2",
        "put",
        202,
        &r.json(),
    );
    assert_eq!(r.json(), body);
    let c = emu.get(&id).await.json();
    assert_eq!(c["description"], "Team A");
    assert_eq!(
        c["twoFactorDelete"],
        json!([{"confirmationEmail": "ops@example.com"}])
    );
    // the description alone keeps the two-factor delete
    let r = emu
        .call("PUT", &path, Some(&json!({"description": "Team B"})))
        .await;
    assert_eq!(
        r.json()["twoFactorDelete"]["confirmationEmail"],
        "ops@example.com"
    );
    assert_eq!(emu.get(&id).await.json()["description"], "Team B");
    let r = emu.call("PUT", &path, Some(&json!({}))).await;
    assert_eq!(r.status, 400);
    let r = emu
        .call(
            "PUT",
            &path,
            Some(&json!({"twoFactorDelete": {"confirmationEmail": "nope"}})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), ["twoFactorDelete.confirmationEmail"]);
    let r = emu
        .call(
            "PUT",
            &format!("/operations/clusters/v2/{NIL}/change-settings/v2"),
            Some(&body),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn resize_operations_follow_the_resize() {
    let emu = fast().await;
    let (id, dc, nodes) = running(&emu, "resizes").await;
    const OPS: &str = "/cluster-management/v2/data-sources/cluster-data-centres/v2/{clusterDataCentreId}/resize/operations/v2";
    let ops = |q: &'static str| {
        let path = format!("/data-sources/cluster-data-centres/v2/{dc}/resize/operations/v2{q}");
        let emu = &emu;
        async move {
            let r = emu.call("GET", &path, None).await;
            assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
            assert_schema(&more_spec(), OPS, "get", 200, &r.json());
            r.json()["operations"].as_array().unwrap().clone()
        }
    };
    assert!(ops("").await.is_empty());
    let mut body = create_body("resizes");
    body["dataCentres"][0]["nodeSize"] = json!("PGS-DEV-t4g.medium-30");
    let update = json!({"dataCentres": body["dataCentres"]});
    let r = emu
        .call(
            "PUT",
            &format!("/resources/applications/postgresql/clusters/v2/{id}/"),
            Some(&update),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let all = ops("").await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["newNodeSize"], "PGS-DEV-t4g.medium-30");
    assert_eq!(
        all[0]["replaceOperations"].as_array().unwrap().len(),
        nodes.len()
    );
    emu.wait_running(&id).await;
    let done = ops("").await;
    assert_eq!(done[0]["status"], "COMPLETED");
    assert!(done[0]["completed"].is_string());
    assert!(done[0]["replaceOperations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "REPLACED"));
    assert_eq!(done[0]["id"], all[0]["id"]);
    assert!(ops("?activeOnly=true").await.is_empty());
    assert_eq!(ops("?activeOnly=false").await.len(), 1);
    let r = emu
        .call(
            "GET",
            &format!("/data-sources/cluster-data-centres/v2/{NIL}/resize/operations/v2"),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let r = emu
        .call(
            "GET",
            &format!(
                "/data-sources/cluster-data-centres/v2/{dc}/resize/operations/v2?activeOnly=yes"
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), ["activeOnly"]);
}

#[tokio::test]
async fn maintenance_events_are_empty_unless_a_test_schedules_one() {
    let emu = fast().await;
    let doc = more_spec();
    let (id, _, _) = running(&emu, "maintenance").await;
    let list = |when: &'static str| {
        let path = format!("/data-sources/cluster/{id}/maintenance-events/v2/{when}/v2/");
        let emu = &emu;
        let doc = &doc;
        async move {
            let r = emu.call("GET", &path, None).await;
            assert_eq!(r.status, 200);
            assert_schema(
                doc,
                &format!("/cluster-management/v2/data-sources/cluster/{{clusterId}}/maintenance-events/v2/{when}/v2/"),
                "get",
                200,
                &r.json(),
            );
            r.json()[0]["maintenanceEvents"].as_array().unwrap().clone()
        }
    };
    for when in ["in-progress", "past", "upcoming"] {
        assert!(list(when).await.is_empty(), "{when}");
    }
    let schedule = |start: f64, duration: f64, what: &'static str| {
        let emu = &emu;
        let path = format!("/__emulator/maintenance/{id}");
        async move {
            let r = emu
                .call(
                    "POST",
                    &path,
                    Some(&json!({"startInMs": start, "durationMs": duration, "description": what})),
                )
                .await;
            assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
        }
    };
    schedule(3_600_000.0, 3_600_000.0, "later").await;
    schedule(-1000.0, 3_600_000.0, "now").await;
    schedule(-7_200_000.0, 3_600_000.0, "before").await;
    let up = list("upcoming").await;
    assert_eq!(up.len(), 1);
    assert_eq!(up[0]["description"], "later");
    assert!(up[0]["scheduledStartTime"].is_string());
    assert_eq!(list("in-progress").await[0]["description"], "now");
    let past = list("past").await;
    assert_eq!(past[0]["description"], "before");
    assert_eq!(past[0]["outcome"], "COMPLETED");
    let r = emu
        .call(
            "GET",
            &format!("/data-sources/cluster/{NIL}/maintenance-events/v2/past/v2/"),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    // outside test mode there is no scheduling
    let plain = start(instaclustr_pg_emulator::Config {
        speed: 1000.0,
        ..Default::default()
    })
    .await;
    let r = plain
        .call(
            "POST",
            &format!("/__emulator/maintenance/{id}"),
            Some(&json!({"startInMs": 0, "durationMs": 1})),
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn a_restored_cluster_keeps_the_configurations_of_its_source() {
    let emu = fast().await;
    let (id, _, _) = running(&emu, "configs-source").await;
    let body = json!({"clusterId": id, "name": "work_mem", "value": "16MB"});
    assert_eq!(emu.call("POST", CONFIGS, Some(&body)).await.status, 202);
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2/"),
            None,
        )
        .await;
    assert_eq!(r.status, 202);
    // a restore is refused until a backup has completed: retry until it is accepted
    let t = std::time::Instant::now();
    let rid = loop {
        let restore = json!({"clusterId": id, "pointInTime": instaclustr_pg_core::validate::format_iso_millis(now())});
        let r = emu
            .call(
                "POST",
                "/operations/applications/postgres/restore/v2",
                Some(&restore),
            )
            .await;
        if r.status == 202 {
            break r.json()["restoredClusterId"].as_str().unwrap().to_owned();
        }
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
        assert!(
            t.elapsed() < std::time::Duration::from_secs(20),
            "no backup completed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    emu.wait_running(&rid).await;
    let r = emu
        .call(
            "GET",
            &format!("/data-sources/postgresql_cluster/{rid}/configurations"),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!([{ "clusterId": rid, "configurationProperties": [
            { "id": format!("{rid}|work_mem"), "clusterId": rid, "name": "work_mem", "value": "16MB" }
        ] }])
    );
}
