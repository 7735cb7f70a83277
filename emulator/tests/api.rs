//! The emulator over HTTP: every operation, every error status, the lifecycle at high speed,
//! restore rules, certificates, persistence, concurrency; responses checked against the spec.

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::*;
use instaclustr_pg_emulator::Config;
use serde_json::{json, Value};

const CLUSTER: &str =
    "/cluster-management/v2/resources/applications/postgresql/clusters/v2/{clusterId}/";
const CREATE: &str = "/cluster-management/v2/resources/applications/postgresql/clusters/v2/";

fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    (3..=48).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

#[tokio::test]
async fn whole_lifecycle_matches_the_spec() {
    let emu = fast().await;
    let doc = spec();

    // catalogue
    let r = emu
        .call(
            "GET",
            "/data-sources/applications/postgresql/versions/v2/",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_schema(
        &doc,
        "/cluster-management/v2/data-sources/applications/postgresql/versions/v2/",
        "get",
        200,
        &r.json(),
    );
    assert_eq!(
        r.json()[0]["applicationVersions"][0]["versions"],
        json!(["13.9.0", "13.10.0", "14.6.0", "14.7.0", "15.2.0"])
    );
    let r = emu
        .call(
            "GET",
            "/data-sources/applications/postgresql/compatible-versions/v2/14.7.0",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_schema(&doc, "/cluster-management/v2/data-sources/applications/postgresql/compatible-versions/v2/{version}", "get", 200, &r.json());
    assert_eq!(
        r.json()[0]["applicationVersions"][0]["application"],
        "PGBOUNCER"
    );
    let all = emu
        .call(
            "GET",
            "/data-sources/applications/postgresql/compatible-node-sizes/v2/",
            None,
        )
        .await;
    let pgb = emu
        .call(
            "GET",
            "/data-sources/applications/postgresql/compatible-node-sizes/v2?pgbouncerRequired=true",
            None,
        )
        .await;
    for r in [&all, &pgb] {
        assert_eq!(r.status, 200);
        assert_schema(
            &doc,
            "/cluster-management/v2/data-sources/applications/postgresql/compatible-node-sizes/v2/",
            "get",
            200,
            &r.json(),
        );
    }
    let count = |v: &Value| {
        v[0]["cloudProviderNodeSizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["nodeSizes"].as_array().unwrap().len())
            .sum::<usize>()
    };
    assert!(count(&pgb.json()) < count(&all.json()));
    assert!(
        all.json().to_string().contains("PGS-DEV-") && all.json().to_string().contains("PGS-PRD-")
    );

    // create
    let mut body = create_body("life-cycle");
    body["dataCentres"][0]["pgBouncer"] =
        json!([{"pgBouncerVersion": "1.20.0", "poolMode": "TRANSACTION"}]);
    body["dataCentres"][0]["nodeSize"] = json!("PGS-DEV-t4g.medium-30");
    let r = emu
        .call(
            "POST",
            "/resources/applications/postgresql/clusters/v2/",
            Some(&body),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let c = r.json();
    assert_schema(&doc, CREATE, "post", 202, &c);
    assert_eq!(c["status"], "PROVISIONING");
    assert_eq!(c["currentClusterOperationStatus"], "OPERATION_IN_PROGRESS");
    assert!(c["defaultUserPassword"]
        .as_str()
        .is_some_and(|p| p.len() >= 16));
    let id = c["id"].as_str().unwrap().to_owned();
    let nodes = c["dataCentres"][0]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 2);
    for n in nodes {
        assert!(n["privateAddress"].as_str().unwrap().starts_with("10.1."));
        assert!(n["publicAddress"].is_string());
        assert!(n["rack"].is_string());
        assert_eq!(n["nodeRoles"], json!(["POSTGRESQL", "PGBOUNCER"]));
    }

    // nodes become RUNNING one by one, then the cluster
    let mut seen_partial = false;
    let t = Instant::now();
    let running = loop {
        let r = emu.get(&id).await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_schema(&doc, CLUSTER, "get", 200, &v);
        let up = v["dataCentres"][0]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["status"] == "RUNNING")
            .count();
        if up == 1 && v["status"] == "PROVISIONING" {
            seen_partial = true;
        }
        if v["status"] == "RUNNING" {
            break v;
        }
        assert!(t.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert!(seen_partial, "one node running before the other");
    assert_eq!(running["currentClusterOperationStatus"], "NO_OPERATION");

    // list, with and without search
    let l = emu.call("GET", "/data-sources/clusters/v2", None).await;
    assert_schema(
        &doc,
        "/cluster-management/v2/data-sources/clusters/v2",
        "get",
        200,
        &l.json(),
    );
    assert_eq!(l.json()[0]["clusters"][0]["id"], json!(id));
    let l = emu
        .call("GET", "/data-sources/clusters/v2?search=name:nope", None)
        .await;
    assert_eq!(l.json()[0]["clusters"], json!([]));
    let l = emu
        .call(
            "GET",
            "/data-sources/clusters/v2/?search=name%3Alife-cycle",
            None,
        )
        .await;
    assert_eq!(l.json()[0]["clusters"].as_array().unwrap().len(), 1);

    // resize
    let mut dc = running["dataCentres"][0].clone();
    dc["nodeSize"] = json!("PGS-PRD-m7g.large-250");
    let r = emu
        .call(
            "PUT",
            &format!("/resources/applications/postgresql/clusters/v2/{id}"),
            Some(&json!({"dataCentres": [dc]})),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    assert_schema(&doc, CLUSTER, "put", 202, &r.json());
    assert_eq!(
        r.json()["currentClusterOperationStatus"],
        "OPERATION_IN_PROGRESS"
    );
    let resized = emu.wait_running(&id).await;
    assert_eq!(
        resized["dataCentres"][0]["nodeSize"],
        "PGS-PRD-m7g.large-250"
    );
    assert!(resized["dataCentres"][0]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["nodeSize"] == "PGS-PRD-m7g.large-250"));

    // backup
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2/"),
            None,
        )
        .await;
    assert_eq!(r.status, 202);
    assert!(r.body.is_empty());
    let mut progress = Vec::new();
    let t = Instant::now();
    loop {
        let r = emu
            .call(
                "GET",
                &format!("/data-sources/applications/postgresql/clusters/v2/{id}/list-backups/v2"),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_schema(&doc, "/cluster-management/v2/data-sources/applications/postgresql/clusters/v2/{clusterId}/list-backups/v2/", "get", 200, &v);
        let ev = &v["clusterDataCentres"][0]["nodes"][0]["events"][0];
        assert_eq!(ev["type"], "postgresql-backup");
        progress.push(ev["progress"].as_f64().unwrap());
        if ev["state"] == "COMPLETED" {
            assert!(ev["end"].as_f64().unwrap() >= ev["start"].as_f64().unwrap());
            break;
        }
        assert_eq!(ev["state"], "ACTIVE");
        assert!(ev.get("end").is_none());
        assert!(t.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");
    assert_eq!(progress.last(), Some(&1.0));
    assert!(progress.len() > 1, "seen while active");
    // a node with a longer backup: wait for every node
    tokio::time::sleep(Duration::from_millis(50)).await;

    // restore (default name)
    let restore = json!({"clusterId": id, "pointInTime": instaclustr_pg_core::validate::format_iso_millis(now())});
    let r = emu
        .call(
            "POST",
            "/operations/applications/postgres/restore/v2",
            Some(&restore),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_schema(
        &doc,
        "/cluster-management/v2/operations/applications/postgres/restore/v2",
        "post",
        202,
        &v,
    );
    let rid = v["restoredClusterId"].as_str().unwrap().to_owned();
    let rname = v["restoredClusterName"].as_str().unwrap();
    assert!(
        rname.starts_with("life-cycle-restored-") && is_name(rname),
        "{rname}"
    );
    let restored = emu.wait_running(&rid).await;
    assert_eq!(restored["name"], json!(rname));
    assert_ne!(
        restored["defaultUserPassword"],
        running["defaultUserPassword"]
    );

    // certificate
    let r = emu
        .call(
            "GET",
            &format!("/operations/applications/postgres/clusters/v2/{id}/certificate/v2/"),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").as_deref(), Some("application/zip"));

    // delete: 204, DELETED, then 404 and out of the list
    for cid in [&id, &rid] {
        let r = emu
            .call(
                "DELETE",
                &format!("/resources/applications/postgresql/clusters/v2/{cid}/"),
                None,
            )
            .await;
        assert_eq!(r.status, 204);
        assert!(r.body.is_empty());
    }
    let r = emu.get(&id).await;
    assert!(r.status == 404 || r.json()["status"] == "DELETED");
    let gone = emu.wait_until(&id, |r| r.status == 404).await;
    assert_error_list(&doc, &gone.json());
    let l = emu.call("GET", "/data-sources/clusters/v2", None).await;
    assert!(!l.json().to_string().contains(&id));
    emu.server.shutdown().await;
}

#[tokio::test]
async fn error_statuses_have_json_bodies() {
    let emu = fast().await;
    let doc = spec();
    let path = "/resources/applications/postgresql/clusters/v2/";

    // 400 with every violation
    let bad = json!({"name": "x", "postgresqlVersion": "99", "dataCentres": []});
    let r = emu.call("POST", path, Some(&bad)).await;
    assert_eq!(r.status, 400);
    assert_error_list(&doc, &r.json());
    let names = r.error_names();
    for n in ["name", "postgresqlVersion", "dataCentres", "slaTier"] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    // catalogue: version and node size not offered
    let mut b = create_body("not-offered");
    b["postgresqlVersion"] = json!("16.2.0");
    b["dataCentres"][0]["nodeSize"] = json!("PGS-DEV-huge-1");
    let r = emu.call("POST", path, Some(&b)).await;
    assert_eq!(r.status, 400);
    let names = r.error_names();
    assert!(
        names.contains(&"postgresqlVersion".to_owned())
            && names.contains(&"dataCentres[0].nodeSize".to_owned()),
        "{names:?}"
    );
    // not json, empty, wrong type
    let r = emu
        .call_as(
            Some((USER, KEY)),
            "POST",
            path,
            None,
            &[("Content-Type", "application/json")],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    assert_error_list(&doc, &r.json());
    let r = emu
        .http
        .post(format!("{}{BASE}{path}", emu.url))
        .basic_auth(USER, Some(KEY))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = emu
        .http
        .post(format!("{}{BASE}{path}", emu.url))
        .basic_auth(USER, Some(KEY))
        .header("Content-Type", "text/plain")
        .body(create_body("abc").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert!(r.json::<Value>().await.unwrap()["errors"].is_array());
    // 413
    let big = "x".repeat(1_100_000);
    let r = emu
        .http
        .post(format!("{}{BASE}{path}", emu.url))
        .basic_auth(USER, Some(KEY))
        .header("Content-Type", "application/json")
        .body(format!("{{\"name\":\"{big}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.json::<Value>().await.unwrap()["errors"].is_array());

    // 401: missing, wrong key, unknown user, other scheme
    for creds in [None, Some((USER, "wrong")), Some(("mallory", KEY))] {
        let r = emu
            .call_as(creds, "GET", "/data-sources/clusters/v2", None, &[])
            .await
            .unwrap();
        assert_eq!(r.status, 401);
        assert_error_list(&doc, &r.json());
        assert!(!String::from_utf8_lossy(&r.body).contains(KEY));
    }
    let r = emu
        .call_as(
            None,
            "GET",
            "/data-sources/clusters/v2",
            None,
            &[("Authorization", "Bearer x")],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 401);

    // 404: unknown, other account's, malformed id is 400
    let c = emu.create("mine-only").await;
    let id = c["id"].as_str().unwrap();
    let r = emu
        .call_as(
            Some(("bob", "bob-key")),
            "GET",
            &format!("/resources/applications/postgresql/clusters/v2/{id}/"),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    assert_error_list(&doc, &r.json());
    let r = emu
        .call_as(
            Some(("bob", "bob-key")),
            "DELETE",
            &format!("/resources/applications/postgresql/clusters/v2/{id}/"),
            None,
            &[],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(emu.get(id).await.status, 200);
    let r = emu.get("0b0b0b0b-0000-4000-8000-000000000000").await;
    assert_eq!(r.status, 404);
    let r = emu.get("not-a-uuid").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), vec!["clusterId"]);
    let r = emu.call("GET", "/no/such/path", None).await;
    assert_eq!(r.status, 404);
    assert_error_list(&doc, &r.json());

    // 405 with Allow
    let r = emu
        .call(
            "PATCH",
            &format!("/resources/applications/postgresql/clusters/v2/{id}"),
            None,
        )
        .await;
    assert_eq!(r.status, 405);
    let allow = r.header("allow").unwrap();
    for m in ["GET", "PUT", "DELETE"] {
        assert!(allow.contains(m), "{allow}");
    }
    assert_error_list(&doc, &r.json());
    let r = emu
        .call("GET", "/operations/applications/postgres/restore/v2", None)
        .await;
    assert_eq!(
        (r.status, r.header("allow").as_deref()),
        (405, Some("POST"))
    );
    // HEAD is no method of the API (not served as a GET), with or without the trailing slash
    for path in [
        "/data-sources/applications/postgresql/versions/v2/",
        "/data-sources/applications/postgresql/versions/v2",
    ] {
        let r = emu.call("HEAD", path, None).await;
        assert_eq!((r.status, r.header("allow").as_deref()), (405, Some("GET")));
    }
    // credentials are checked before the path's cluster id; a 405 needs none
    let bad_id = "/resources/applications/postgresql/clusters/v2/not%2Da%20uuid";
    let r = emu.call_as(None, "GET", bad_id, None, &[]).await.unwrap();
    assert_eq!(r.status, 401);
    let r = emu.call_as(None, "PATCH", bad_id, None, &[]).await.unwrap();
    assert_eq!(r.status, 405);
    let r = emu.call("DELETE", bad_id, None).await;
    assert_eq!(
        (r.status, r.error_names()),
        (400, vec!["clusterId".to_owned()])
    );

    // bodiless requests ignore Content-Type and unknown headers
    let r = emu
        .call_as(
            Some((USER, KEY)),
            "GET",
            &format!("/resources/applications/postgresql/clusters/v2/{id}"),
            None,
            &[
                ("Content-Type", "application/json"),
                ("Instaclustr-Source", "operator"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 200);

    // update: unchangeable field refused, busy cluster is 409
    let running = emu.wait_running(id).await;
    let mut dc = running["dataCentres"][0].clone();
    dc["network"] = json!("10.9.0.0/16");
    dc["numberOfNodes"] = json!(3);
    let r = emu
        .call(
            "PUT",
            &format!("/resources/applications/postgresql/clusters/v2/{id}/"),
            Some(&json!({"dataCentres": [dc]})),
        )
        .await;
    assert_eq!(r.status, 400);
    let names = r.error_names();
    assert!(
        names.iter().any(|n| n.ends_with("network"))
            && names.iter().any(|n| n.ends_with("numberOfNodes")),
        "{names:?}"
    );
    let fresh = emu.create("busy-one").await;
    let fid = fresh["id"].as_str().unwrap();
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{fid}/trigger-backup/v2"),
            None,
        )
        .await;
    assert_eq!(r.status, 409);
    assert_error_list(&doc, &r.json());
    emu.server.shutdown().await;
}

#[tokio::test]
async fn restore_rules() {
    let emu = fast().await;
    let name = "a-rather-long-cluster-name-of-forty-chars-x";
    let c = emu.create(name).await;
    let id = c["id"].as_str().unwrap().to_owned();
    emu.wait_running(&id).await;
    let path = "/operations/applications/postgres/restore/v2/";

    // no completed backup yet
    let r = emu
        .call("POST", path, Some(&json!({"clusterId": id})))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), vec!["pointInTime"]);

    let before = now() - 1000.0;
    let r = emu
        .call(
            "POST",
            &format!("/operations/applications/postgres/clusters/v2/{id}/trigger-backup/v2"),
            None,
        )
        .await;
    assert_eq!(r.status, 202);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // in the future
    let r = emu
        .call(
            "POST",
            path,
            Some(&json!({"clusterId": id, "pointInTime": now() + 60_000.0})),
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.error_names(), vec!["pointInTime"]);
    // before the first completed backup, as a number and as a string of digits
    for pit in [json!(before), json!(format!("{}", before as u64))] {
        let r = emu
            .call(
                "POST",
                path,
                Some(&json!({"clusterId": id, "pointInTime": pit})),
            )
            .await;
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.error_names(), vec!["pointInTime"]);
    }
    // unknown cluster, another account
    let r = emu
        .call(
            "POST",
            path,
            Some(&json!({"clusterId": "0b0b0b0b-0000-4000-8000-000000000000"})),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = emu
        .call_as(
            Some(("bob", "bob-key")),
            "POST",
            path,
            Some(&json!({"clusterId": id})),
            &[],
        )
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    // several violations at once
    let r = emu
        .call(
            "POST",
            path,
            Some(&json!({"clusterId": "nope", "restoredClusterName": "!", "pointInTime": true})),
        )
        .await;
    assert_eq!(r.status, 400);
    let names = r.error_names();
    for n in ["clusterId", "restoredClusterName", "pointInTime"] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }

    // now (number), default name within 48 characters
    let r = emu
        .call(
            "POST",
            path,
            Some(&json!({"clusterId": id, "pointInTime": now()})),
        )
        .await;
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let rname = v["restoredClusterName"].as_str().unwrap();
    assert!(is_name(rname) && rname.contains("-restored-"), "{rname}");
    let rid = v["restoredClusterId"].as_str().unwrap();
    let restored = emu.get(rid).await.json();
    assert_eq!(restored["status"], "PROVISIONING");
    assert_eq!(restored["name"], json!(rname));
    emu.wait_running(rid).await;
    // named restore
    let r = emu
        .call(
            "POST",
            path,
            Some(&json!({"clusterId": id, "restoredClusterName": "my-copy"})),
        )
        .await;
    assert_eq!(r.status, 202);
    assert_eq!(r.json()["restoredClusterName"], "my-copy");
    emu.server.shutdown().await;
}

#[tokio::test]
async fn certificate_zip_holds_the_same_certificate_three_ways() {
    let emu = fast().await;
    let c = emu.create("cert-check").await;
    let id = c["id"].as_str().unwrap();
    let r = emu
        .call(
            "GET",
            &format!("/operations/applications/postgres/clusters/v2/{id}/certificate/v2"),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(r.body.clone())).expect("a zip");
    let mut read = |name: &str| {
        let mut f = zip
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} in zip"));
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        v
    };
    let pem = String::from_utf8(read("cluster-ca-certificate.pem")).unwrap();
    let der = read("cluster-ca-certificate.der");
    let jks = read("truststore.jks");
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let from_pem = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(from_pem, der);
    assert_eq!(der[0], 0x30);
    // JKS: magic, version, one entry, the DER inside, SHA-1 integrity digest
    assert_eq!(&jks[0..4], &[0xFE, 0xED, 0xFE, 0xED]);
    assert_eq!(&jks[4..12], &[0, 0, 0, 2, 0, 0, 0, 1]);
    assert!(jks.windows(der.len()).any(|w| w == der.as_slice()));
    use sha1::Digest;
    let mut h = sha1::Sha1::new();
    for u in "changeit".encode_utf16() {
        h.update(u.to_be_bytes());
    }
    h.update(b"Mighty Aphrodite");
    h.update(&jks[..jks.len() - 20]);
    assert_eq!(h.finalize().as_slice(), &jks[jks.len() - 20..]);
    // the same certificate on every download, another per cluster
    let again = emu
        .call(
            "GET",
            &format!("/operations/applications/postgres/clusters/v2/{id}/certificate/v2/"),
            None,
        )
        .await;
    let mut z2 = zip::ZipArchive::new(std::io::Cursor::new(again.body)).unwrap();
    let mut d2 = Vec::new();
    z2.by_name("cluster-ca-certificate.der")
        .unwrap()
        .read_to_end(&mut d2)
        .unwrap();
    assert_eq!(d2, der);
    let other = emu.create("cert-other").await;
    let oid = other["id"].as_str().unwrap();
    let r = emu
        .call(
            "GET",
            &format!("/operations/applications/postgres/clusters/v2/{oid}/certificate/v2/"),
            None,
        )
        .await;
    // the library's reader accepts it
    let certs = instaclustr_pg_core::certificate::extract(r.body).expect("library extracts");
    assert_ne!(certs.der, der);
    emu.server.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = temp_dir("state");
    let file = dir.join("state.sqlite");
    let config = || Config {
        speed: 1000.0,
        state_file: Some(file.clone()),
        ..Config::default()
    };
    let emu = start(config()).await;
    let c = emu.create("persisted").await;
    let id = c["id"].as_str().unwrap().to_owned();
    let deleted = emu.create("deleted-before-restart").await;
    let did = deleted["id"].as_str().unwrap().to_owned();
    emu.call(
        "DELETE",
        &format!("/resources/applications/postgresql/clusters/v2/{did}/"),
        None,
    )
    .await;
    emu.server.shutdown().await;

    let emu = start(config()).await;
    let r = emu.get(&id).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["name"], "persisted");
    assert_eq!(v["defaultUserPassword"], c["defaultUserPassword"]);
    assert_eq!(
        v["dataCentres"][0]["nodes"][0]["id"],
        c["dataCentres"][0]["nodes"][0]["id"]
    );
    emu.wait_running(&id).await;
    let gone = emu.wait_until(&did, |r| r.status == 404).await;
    assert_eq!(gone.status, 404);
    emu.server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh folder for a state file.
#[tokio::test]
async fn a_damaged_or_newer_state_file_is_refused_and_left_as_it_is() {
    let dir = temp_dir("refused");
    let file = dir.join("state.sqlite");
    let config = || Config {
        speed: 1000.0,
        state_file: Some(file.clone()),
        quiet: true,
        ..Config::default()
    };
    let emu = start(config()).await;
    emu.create("kept").await;
    emu.server.shutdown().await;
    let conn = rusqlite::Connection::open(&file).unwrap();
    let good: String = conn
        .query_row("SELECT data FROM snapshot WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    let mut newer: Value = serde_json::from_str(&good).unwrap();
    newer["version"] = json!(99);
    for (bad, word) in [
        (newer.to_string(), "newer"),
        (good.replace("\"clusters\"", "\"clusterz\""), "damaged"),
        ("{\"version\": 1, \"clusters\": [".to_owned(), "damaged"),
    ] {
        conn.execute("UPDATE snapshot SET data = ?1 WHERE id = 1", [&bad])
            .unwrap();
        let err = instaclustr_pg_emulator::serve(config())
            .await
            .err()
            .expect("refused");
        assert!(err.contains(word), "{err}");
        let after: String = conn
            .query_row("SELECT data FROM snapshot WHERE id = 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(after, bad, "the file is left as it is");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_state_file_of_the_earlier_layout_is_read() {
    let dir = temp_dir("legacy");
    let file = dir.join("state.sqlite");
    let config = || Config {
        speed: 1000.0,
        state_file: Some(file.clone()),
        ..Config::default()
    };
    let emu = start(config()).await;
    let c = emu.create("from-the-old-layout").await;
    let id = c["id"].as_str().unwrap().to_owned();
    emu.server.shutdown().await;
    // the same cluster as the earlier layout stored it: one row per cluster, no snapshot
    let conn = rusqlite::Connection::open(&file).unwrap();
    let snap: String = conn
        .query_row("SELECT data FROM snapshot WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    let snap: Value = serde_json::from_str(&snap).unwrap();
    conn.execute_batch(
        "DROP TABLE snapshot;
         CREATE TABLE clusters (id TEXT PRIMARY KEY, account TEXT NOT NULL, data TEXT NOT NULL);",
    )
    .unwrap();
    for rec in snap["clusters"].as_array().unwrap() {
        conn.execute(
            "INSERT INTO clusters (id, account, data) VALUES (?1, ?2, ?3)",
            [
                rec["id"].as_str().unwrap(),
                rec["account"].as_str().unwrap(),
                &rec.to_string(),
            ],
        )
        .unwrap();
    }
    drop(conn);
    let emu = start(config()).await;
    let r = emu.get(&id).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["defaultUserPassword"], c["defaultUserPassword"]);
    emu.server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn fifty_concurrent_creates_give_fifty_clusters() {
    let emu = fast().await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let http = emu.http.clone();
        let url = format!(
            "{}{BASE}/resources/applications/postgresql/clusters/v2/",
            emu.url
        );
        tasks.push(tokio::spawn(async move {
            let r = http
                .post(url)
                .basic_auth(USER, Some(KEY))
                .json(&create_body(&format!("parallel-{i}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 202);
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    let l = emu
        .call("GET", "/data-sources/clusters/v2", None)
        .await
        .json();
    assert_eq!(l[0]["clusters"].as_array().unwrap().len(), 50);
    let s = emu.call("GET", "/__emulator/stats", None).await.json();
    assert_eq!(s["clustersCreated"], 50);
    assert_eq!(s["clustersCreatedByAccount"][USER], 50);
    emu.server.shutdown().await;
}

async fn fault(emu: &Emu, kind: &str, extra: &[(&str, &str)]) -> Result<Reply, reqwest::Error> {
    let mut h = vec![("X-Emulator-Fault", kind)];
    h.extend_from_slice(extra);
    emu.call_as(
        Some((USER, KEY)),
        "GET",
        "/data-sources/applications/postgresql/versions/v2/",
        None,
        &h,
    )
    .await
}

fn created(s: &Value) -> u64 {
    s["clustersCreated"].as_u64().unwrap()
}

#[tokio::test]
async fn injected_faults() {
    let emu = fast().await;
    for code in ["500", "502", "503", "504"] {
        let r = fault(&emu, code, &[]).await.unwrap();
        assert_eq!(r.status.to_string(), code);
        assert!(r.json()["errors"].is_array());
    }
    let r = fault(&emu, "429", &[]).await.unwrap();
    assert_eq!(
        (r.status, r.header("retry-after").as_deref()),
        (429, Some("1"))
    );
    let r = fault(&emu, "429", &[("X-Emulator-Retry-After", "3")])
        .await
        .unwrap();
    assert_eq!(r.header("retry-after").as_deref(), Some("3"));
    let r = fault(&emu, "garbage", &[]).await.unwrap();
    assert_eq!(r.status, 200);
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());
    assert!(fault(&emu, "drop", &[]).await.is_err());
    let r = fault(&emu, "nonsense", &[]).await.unwrap();
    assert_eq!(r.status, 400);

    // stall beyond a client timeout; slow body still arrives whole
    let t = Instant::now();
    let e = emu
        .http
        .get(format!(
            "{}{BASE}/data-sources/applications/postgresql/versions/v2/",
            emu.url
        ))
        .basic_auth(USER, Some(KEY))
        .header("X-Emulator-Fault", "stall:5000")
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(e.is_err_and(|e| e.is_timeout()));
    assert!(t.elapsed() < Duration::from_secs(3));
    let t = Instant::now();
    let r = fault(&emu, "slow-body:500", &[]).await.unwrap();
    assert_eq!(r.status, 200);
    assert!(r.json()[0]["applicationVersions"].is_array());
    assert!(t.elapsed() >= Duration::from_millis(400));

    // not performed (503, drop) vs performed (drop-after, garbage)
    let stats = || async { emu.call("GET", "/__emulator/stats", None).await.json() };
    let path = "/resources/applications/postgresql/clusters/v2/";
    for (kind, performed) in [
        ("503", false),
        ("drop", false),
        ("drop-after", true),
        ("garbage", true),
    ] {
        let before = created(&stats().await);
        let r = emu
            .call_as(
                Some((USER, KEY)),
                "POST",
                path,
                Some(&create_body(&format!("f-{kind}"))),
                &[("X-Emulator-Fault", kind)],
            )
            .await;
        match kind {
            "drop" | "drop-after" => assert!(r.is_err(), "{kind}"),
            _ => assert!(r.is_ok()),
        }
        assert_eq!(
            created(&stats().await) - before,
            u64::from(performed),
            "{kind}"
        );
    }

    // once per token, and the first n
    let once = [("X-Emulator-Fault-Once", "tok-1")];
    assert_eq!(fault(&emu, "503", &once).await.unwrap().status, 503);
    assert_eq!(fault(&emu, "503", &once).await.unwrap().status, 200);
    let twice = [
        ("X-Emulator-Fault-Once", "tok-2"),
        ("X-Emulator-Fault-Count", "2"),
    ];
    let s: Vec<u16> = [
        fault(&emu, "500", &twice).await.unwrap().status,
        fault(&emu, "500", &twice).await.unwrap().status,
        fault(&emu, "500", &twice).await.unwrap().status,
    ]
    .to_vec();
    assert_eq!(s, vec![500, 500, 200]);
    let s = stats().await;
    assert!(s["requestsByOperation"]["listVersions"].as_u64().unwrap() >= 10);
    assert!(s["faultsInjected"].as_u64().unwrap() >= 10);
    emu.server.shutdown().await;

    // without test mode the header is ignored and there are no stats
    let plain = start(Config {
        speed: 1000.0,
        ..Config::default()
    })
    .await;
    assert_eq!(fault(&plain, "503", &[]).await.unwrap().status, 200);
    assert_eq!(
        plain.call("GET", "/__emulator/stats", None).await.status,
        404
    );
    plain.server.shutdown().await;
}

#[tokio::test]
async fn random_faults_and_rate_limit() {
    let emu = start(Config {
        fault_rate: 1.0,
        seed: Some(7),
        fault_kinds: vec!["503".into()],
        ..Config::default()
    })
    .await;
    assert_eq!(
        emu.call(
            "GET",
            "/data-sources/applications/postgresql/versions/v2/",
            None
        )
        .await
        .status,
        503
    );
    emu.server.shutdown().await;
    let emu = start(Config {
        fault_rate: 0.5,
        seed: Some(42),
        fault_kinds: vec!["500".into()],
        ..Config::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(
            emu.call(
                "GET",
                "/data-sources/applications/postgresql/versions/v2/",
                None,
            )
            .await
            .status,
        );
    }
    let failed = statuses.iter().filter(|s| **s == 500).count();
    assert!((5..=35).contains(&failed), "{failed}");
    emu.server.shutdown().await;

    let emu = start(Config {
        rate_limit: Some(2.0),
        ..Config::default()
    })
    .await;
    let mut limited = None;
    for _ in 0..6 {
        let r = emu
            .call(
                "GET",
                "/data-sources/applications/postgresql/versions/v2/",
                None,
            )
            .await;
        if r.status == 429 {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("a 429 within 6 quick requests at 2/s");
    assert!(r
        .header("retry-after")
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|s| s >= 1));
    assert!(r.json()["errors"].is_array());
    emu.server.shutdown().await;
}

#[tokio::test]
async fn cors_and_static_folder() {
    let dir = temp_dir("static");
    std::fs::write(dir.join("index.html"), "<h1>console</h1>").unwrap();
    let emu = start(Config {
        static_dir: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let r = emu.http.get(format!("{}/", emu.url)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("console"));
    let r = emu
        .http
        .get(format!("{}/missing.js", emu.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.json::<Value>().await.unwrap()["errors"].is_array());

    let r = emu
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}{BASE}/data-sources/clusters/v2", emu.url),
        )
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "DELETE")
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let h = |n: &str| {
        r.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    assert_eq!(h("access-control-allow-origin"), "*");
    assert!(h("access-control-allow-headers").contains("authorization"));
    assert!(h("access-control-allow-methods").contains("delete"));
    let r = emu
        .call_as(
            Some((USER, KEY)),
            "GET",
            "/data-sources/clusters/v2",
            None,
            &[("Origin", "http://localhost:5173")],
        )
        .await
        .unwrap();
    assert_eq!(
        r.header("access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert!(r
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .contains("retry-after"));
    emu.server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_prints_its_address_first_and_serves() {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_instaclustr-pg-emulator"))
        .args(["--port", "0", "--speed", "100", "--quiet"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let mut second = String::new();
    out.read_line(&mut second).unwrap();
    let result = std::panic::catch_unwind(|| {
        let url = first
            .trim()
            .strip_prefix("listening on ")
            .expect("first line")
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"));
        assert!(
            second.contains("demo") && second.contains("demo-api-key"),
            "{second}"
        );
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let r = reqwest::Client::new()
                .get(format!(
                    "{url}{BASE}/data-sources/applications/postgresql/versions/v2"
                ))
                .basic_auth("demo", Some("demo-api-key"))
                .timeout(Duration::from_secs(10))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        });
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
