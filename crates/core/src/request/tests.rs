//! Exact method, URL, headers and body of every built request.

use serde_json::{json, Value};

use super::*;
use crate::error::Error;
use crate::http::percent_encode;
use crate::model::PostgresqlCluster;
use crate::model::Secret;
use crate::model::{CloudProvider, PostgresqlDataCentre, ReplicationMode, SlaTier};
use crate::operation::{Method, Operation};
use crate::Endpoint;

const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const BASE: &str = "https://api.instaclustr.com";
/// base64("alice:k3y-s3cret")
const AUTH: &str = "Basic YWxpY2U6azN5LXMzY3JldA==";

fn creds() -> RequestOptions {
    RequestOptions::new(None, "alice", "k3y-s3cret")
}

fn hdrs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn get_headers() -> Vec<(String, String)> {
    hdrs(&[("Accept", "application/json"), ("Authorization", AUTH)])
}

fn body_headers() -> Vec<(String, String)> {
    hdrs(&[
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
        ("Authorization", AUTH),
    ])
}

fn violation_paths(e: Error) -> Vec<String> {
    match e {
        Error::Validation { violations } => violations.into_iter().map(|v| v.path).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn cluster_json() -> Value {
    json!({
        "name": "my-cluster",
        "postgresqlVersion": "16.2.0",
        "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION",
        "synchronousModeStrict": false,
        "dataCentres": [{
            "name": "dc_1",
            "cloudProvider": "AWS_VPC",
            "region": "US_EAST_1",
            "network": "10.1.0.0/16",
            "nodeSize": "PGS-DEV-t4g.small-5",
            "numberOfNodes": 2,
            "clientToClusterEncryption": true,
            "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS"}]
        }]
    })
}

#[test]
fn create_cluster_exact() {
    let r = CreateCluster {
        body: cluster_json(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.operation, Operation::CreateCluster);
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/resources/applications/postgresql/clusters/v2/")
    );
    assert_eq!(r.headers, body_headers());
    assert_eq!(
        r.body.as_deref(),
        Some(concat!(
            r#"{"dataCentres":[{"clientToClusterEncryption":true,"cloudProvider":"AWS_VPC","#,
            r#""intraDataCentreReplication":[{"replicationMode":"SYNCHRONOUS"}],"name":"dc_1","#,
            r#""network":"10.1.0.0/16","nodeSize":"PGS-DEV-t4g.small-5","numberOfNodes":2,"#,
            r#""region":"US_EAST_1"}],"name":"my-cluster","postgresqlVersion":"16.2.0","#,
            r#""privateNetworkCluster":false,"slaTier":"NON_PRODUCTION","synchronousModeStrict":false}"#
        ))
    );
}

#[test]
fn create_cluster_drops_read_only_fields_and_keeps_unknown_ones() {
    let mut body = cluster_json();
    body["id"] = json!(ID);
    body["status"] = json!("RUNNING");
    body["currentClusterOperationStatus"] = json!("NO_OPERATION");
    body["defaultUserPassword"] = json!("pw-secret");
    body["pciComplianceMode"] = json!(false);
    body["futureField"] = json!({"b": 1, "a": 2});
    body["dataCentres"][0]["id"] = json!("dc-id");
    body["dataCentres"][0]["status"] = json!("RUNNING");
    body["dataCentres"][0]["nodes"] = json!([{"id": "n1"}]);
    body["dataCentres"][0]["deletedNodes"] = json!([]);
    let r = CreateCluster { body }.build(&creds()).unwrap();
    let sent: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    let mut expected = cluster_json();
    expected["futureField"] = json!({"a": 2, "b": 1});
    assert_eq!(sent, expected);
    let text = r.body.unwrap();
    assert!(!text.contains("pw-secret"));
    assert!(
        text.contains(r#""futureField":{"a":2,"b":1}"#),
        "keys sorted at every level: {text}"
    );
}

#[test]
fn create_from_model_matches_json() {
    let mut dc = PostgresqlDataCentre::new(
        "dc_1",
        CloudProvider::AwsVpc,
        "US_EAST_1",
        "10.1.0.0/16",
        "PGS-DEV-t4g.small-5",
        2,
        ReplicationMode::Synchronous,
    );
    dc.client_to_cluster_encryption = true;
    let c = PostgresqlCluster::new("my-cluster", "16.2.0", vec![dc], SlaTier::NonProduction);
    let a = CreateCluster::from_model(&c).build(&creds()).unwrap();
    let b = CreateCluster {
        body: cluster_json(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(a.body, b.body);
}

#[test]
fn get_delete_cluster_exact() {
    let url =
        format!("{BASE}/cluster-management/v2/resources/applications/postgresql/clusters/v2/{ID}/");
    let g = GetCluster {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(
        (g.method, g.url.as_str(), g.body.as_deref()),
        (Method::Get, url.as_str(), None)
    );
    assert_eq!(g.headers, get_headers());
    let d = DeleteCluster {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(
        (d.method, d.url.as_str(), d.body.as_deref()),
        (Method::Delete, url.as_str(), None)
    );
    assert_eq!(d.headers, get_headers());
    assert_eq!(d.operation, Operation::DeleteCluster);
}

#[test]
fn update_cluster_exact() {
    let mut body = json!({"dataCentres": [cluster_json()["dataCentres"][0].clone()]});
    body["dataCentres"][0]["nodeSize"] = json!("PGS-PRD-r6g.large-100");
    body["dataCentres"][0]["nodes"] = json!([]);
    body["dataCentres"][0]["id"] = json!("x");
    let r = UpdateCluster {
        cluster_id: ID.into(),
        body,
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.method, Method::Put);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/resources/applications/postgresql/clusters/v2/{ID}/")
    );
    assert_eq!(r.headers, body_headers());
    assert_eq!(
        r.body.as_deref(),
        Some(concat!(
            r#"{"dataCentres":[{"clientToClusterEncryption":true,"cloudProvider":"AWS_VPC","#,
            r#""intraDataCentreReplication":[{"replicationMode":"SYNCHRONOUS"}],"name":"dc_1","#,
            r#""network":"10.1.0.0/16","nodeSize":"PGS-PRD-r6g.large-100","numberOfNodes":2,"#,
            r#""region":"US_EAST_1"}]}"#
        ))
    );
}

#[test]
fn backups_exact() {
    let l = ListBackups {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(l.method, Method::Get);
    assert_eq!(
        l.url,
        format!("{BASE}/cluster-management/v2/data-sources/applications/postgresql/clusters/v2/{ID}/list-backups/v2/")
    );
    assert_eq!(l.headers, get_headers());
    let t = TriggerBackup {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(t.method, Method::Post);
    assert_eq!(
        t.url,
        format!("{BASE}/cluster-management/v2/operations/applications/postgres/clusters/v2/{ID}/trigger-backup/v2/")
    );
    assert_eq!(t.headers, get_headers(), "no body, so no content-type");
    assert_eq!(t.body, None);
}

#[test]
fn restore_exact_with_epoch_millis() {
    let body = json!({
        "clusterId": ID,
        "pointInTime": 1_420_070_400_000_u64,
        "restoredClusterName": "my-restored-cluster",
        "restoredClusterId": "b8a32a20-d8e0-11a7-def4-sdc278a6a50b",
        "cdcConfigs": [{"cdcId": "a8c32b20-c8f0-11e7-abc4-cec278b6b50a", "restoreMode": "NEW_VPC"}]
    });
    let r = RestoreCluster {
        body,
        now_ms: 1_700_000_000_000.0,
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/operations/applications/postgres/restore/v2")
    );
    assert_eq!(r.headers, body_headers());
    assert_eq!(
        r.body.as_deref(),
        Some(concat!(
            r#"{"cdcConfigs":[{"cdcId":"a8c32b20-c8f0-11e7-abc4-cec278b6b50a","restoreMode":"NEW_VPC"}],"#,
            r#""clusterId":"c0e5e2ff-affe-444c-bdca-707c7b48aaad","pointInTime":"2015-01-01T00:00:00.000Z","#,
            r#""restoredClusterName":"my-restored-cluster"}"#
        ))
    );
}

#[test]
fn restore_digit_string_is_normalized() {
    let body = json!({"clusterId": ID, "pointInTime": "1700000000123"});
    let r = RestoreCluster {
        body,
        now_ms: 1_800_000_000_000.0,
    }
    .build(&RequestOptions::default())
    .unwrap();
    let sent: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(sent["pointInTime"], json!("2023-11-14T22:13:20.123Z"));
}

#[test]
fn catalogue_exact() {
    let v = ListVersions.build(&creds()).unwrap();
    assert_eq!(
        v.url,
        format!("{BASE}/cluster-management/v2/data-sources/applications/postgresql/versions/v2/")
    );
    assert_eq!((v.method, v.headers.clone()), (Method::Get, get_headers()));
    let c = ListCompatibleVersions {
        postgresql_version: "16.2.0".into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(
        c.url,
        format!("{BASE}/cluster-management/v2/data-sources/applications/postgresql/compatible-versions/v2/16.2.0")
    );
    assert_eq!(c.headers, get_headers());
    let sizes =
        "/cluster-management/v2/data-sources/applications/postgresql/compatible-node-sizes/v2/";
    let n = ListCompatibleNodeSizes::default().build(&creds()).unwrap();
    assert_eq!(n.url, format!("{BASE}{sizes}"));
    assert_eq!(n.headers, get_headers());
    let t = ListCompatibleNodeSizes {
        pgbouncer_required: Some(true),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(t.url, format!("{BASE}{sizes}?pgbouncerRequired=true"));
    let f = ListCompatibleNodeSizes {
        pgbouncer_required: Some(false),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(f.url, format!("{BASE}{sizes}?pgbouncerRequired=false"));
}

#[test]
fn compatible_versions_checks_the_version() {
    for bad in ["", "[x.y.z]", "16.2", "16.2.0/../x", "a.b.c"] {
        let e = ListCompatibleVersions {
            postgresql_version: bad.into(),
        }
        .build(&creds())
        .unwrap_err();
        assert_eq!(violation_paths(e), vec!["postgresqlVersion"], "{bad:?}");
    }
}

#[test]
fn certificate_exact_and_encoded() {
    let r = DownloadCertificate {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.method, Method::Get);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/operations/applications/postgres/clusters/v2/{ID}/certificate/v2/")
    );
    assert_eq!(
        r.headers,
        hdrs(&[("Accept", "application/zip"), ("Authorization", AUTH)])
    );
    let odd = DownloadCertificate {
        cluster_id: "a b/c?d#é".into(),
    }
    .build(&creds())
    .unwrap();
    assert!(
        odd.url
            .ends_with("/clusters/v2/a%20b%2Fc%3Fd%23%C3%A9/certificate/v2/"),
        "{}",
        odd.url
    );
    let e = DownloadCertificate {
        cluster_id: String::new(),
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(violation_paths(e), vec!["clusterId"]);
}

#[test]
fn list_clusters_exact() {
    let r = ListClusters::default().build(&creds()).unwrap();
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/data-sources/clusters/v2")
    );
    assert_eq!((r.method, r.headers.clone()), (Method::Get, get_headers()));
    let s = ListClusters {
        search: Some("name:my cluster&x=1".into()),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(s.url, format!("{BASE}/cluster-management/v2/data-sources/clusters/v2?search=name%3Amy%20cluster%26x%3D1"));
    let empty = ListClusters {
        search: Some(String::new()),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(empty.url, r.url);
}

#[test]
fn no_credentials_no_authorization() {
    let r = ListVersions.build(&RequestOptions::default()).unwrap();
    assert_eq!(r.headers, hdrs(&[("Accept", "application/json")]));
    let only_user = RequestOptions {
        username: Some("alice".into()),
        ..Default::default()
    };
    assert_eq!(
        ListVersions
            .build(&only_user)
            .unwrap()
            .header("authorization"),
        None
    );
}

#[test]
fn base_url_rules() {
    let ok = |u: &str| {
        base_url(&RequestOptions {
            base_url: Some(u.into()),
            ..Default::default()
        })
    };
    assert_eq!(
        base_url(&RequestOptions::default()).unwrap(),
        DEFAULT_BASE_URL
    );
    assert_eq!(ok("https://example.com/").unwrap(), "https://example.com");
    assert_eq!(
        ok("https://example.com:8443/api/").unwrap(),
        "https://example.com:8443/api"
    );
    assert_eq!(ok("HTTPS://Example.com").unwrap(), "https://Example.com");
    assert_eq!(
        ok("http://127.0.0.1:8080/").unwrap(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(ok("http://127.3.4.5").unwrap(), "http://127.3.4.5");
    assert_eq!(
        ok("http://localhost:3000").unwrap(),
        "http://localhost:3000"
    );
    assert_eq!(ok("http://[::1]:9000/").unwrap(), "http://[::1]:9000");
    for bad in [
        "",
        "http://example.com",
        "http://10.0.0.1",
        "http://128.0.0.1",
        "http://localhost.evil.com",
        "ftp://example.com",
        "example.com",
        "https://",
        "https://user:pw@example.com",
        "https://example.com?x=1",
        "https://example.com/#f",
        "https://exa mple.com",
        "https://example.com:99999",
        "https://example.com:",
        "https://[zz]:1",
        "http://[::2]",
    ] {
        let e = ok(bad).unwrap_err();
        assert_eq!(violation_paths(e), vec!["baseUrl"], "{bad:?}");
    }
}

#[test]
fn built_url_uses_base_url() {
    let opts = RequestOptions {
        base_url: Some("http://127.0.0.1:4010/".into()),
        ..creds()
    };
    let r = GetCluster {
        cluster_id: ID.into(),
    }
    .build(&opts)
    .unwrap();
    assert_eq!(r.url, format!("http://127.0.0.1:4010/cluster-management/v2/resources/applications/postgresql/clusters/v2/{ID}/"));
}

#[test]
fn all_violations_at_once() {
    let opts = RequestOptions {
        base_url: Some("http://example.com".into()),
        username: Some("a:b".into()),
        ..creds()
    };
    let e = DownloadCertificate {
        cluster_id: String::new(),
    }
    .build(&opts)
    .unwrap_err();
    assert_eq!(violation_paths(e), vec!["clusterId", "baseUrl", "username"]);
}

#[test]
fn debug_and_errors_never_show_the_key() {
    let r = ListVersions.build(&creds()).unwrap();
    let dbg = format!("{r:?} {:?}", creds());
    assert!(
        !dbg.contains("k3y-s3cret") && !dbg.contains("YWxpY2U6azN5LXMzY3JldA"),
        "{dbg}"
    );
    let bad = RequestOptions {
        api_key: Some(Secret::new("k3y\ns3cret")),
        ..creds()
    };
    let e = ListVersions.build(&bad).unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains("s3cret"), "{text}");
    assert_eq!(violation_paths(e), vec!["apiKey"]);
}

#[test]
fn percent_encoding() {
    assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(
        percent_encode("/?#[]@!$&'()*+,;= %"),
        "%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%25"
    );
}

/// The restore body's `pointInTime` is written by validate's formatter (the copy here is gone).
#[test]
fn iso_millis_formatting() {
    use crate::validate::format_iso_millis;
    assert_eq!(format_iso_millis(0.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(
        format_iso_millis(951_782_400_000.0),
        "2000-02-29T00:00:00.000Z"
    );
    assert_eq!(
        format_iso_millis(1_700_000_000_123.0),
        "2023-11-14T22:13:20.123Z"
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn builders_never_panic(id in ".{0,40}", url in ".{0,40}", user in ".{0,10}", ver in ".{0,12}") {
            let opts = RequestOptions { base_url: Some(url), username: Some(user), api_key: Some(Secret::new("k")) };
            let _ = GetCluster { cluster_id: id.clone() }.build(&opts);
            let _ = DownloadCertificate { cluster_id: id.clone() }.build(&opts);
            let _ = ListCompatibleVersions { postgresql_version: ver }.build(&opts);
            let _ = ListClusters { search: Some(id) }.build(&opts);
        }
    }
}
