//! Exact method, URL, headers and body of every built request.

use serde_json::{json, Value};

use super::*;
use crate::endpoints::*;
use crate::error::Error;
use crate::http::percent_encode;
use crate::model::PostgresqlCluster;
use crate::model::Secret;
use crate::model::{CloudProvider, PostgresqlDataCentre, ReplicationMode, SlaTier};
use crate::operation::{Method, Operation};

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

// ---- the operations beyond the provisioning page (spec/instaclustr-v2-postgresql-more) ----

const NODE: &str = "5b1c3f7e-9a0d-4e2b-8c6f-1d2e3f4a5b6c";

fn violations(e: Error) -> Vec<(String, crate::validate::ViolationCode)> {
    match e {
        Error::Validation { violations } => {
            violations.into_iter().map(|v| (v.path, v.code)).collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn configurations_exact() {
    let r = ListConfigurations {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.operation, Operation::ListConfigurations);
    assert_eq!(r.method, Method::Get);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/data-sources/postgresql_cluster/{ID}/configurations")
    );
    assert_eq!(r.headers, get_headers());
    assert_eq!(r.body, None);

    let r = CreateConfiguration::new(ID, "work_mem", "16MB")
        .build(&creds())
        .unwrap();
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url,
        format!(
            "{BASE}/cluster-management/v2/resources/applications/postgresql/configurations/v2/"
        )
    );
    assert_eq!(r.headers, body_headers());
    assert_eq!(
        r.body.as_deref(),
        Some(format!(r#"{{"clusterId":"{ID}","name":"work_mem","value":"16MB"}}"#).as_str())
    );
    // the read-only id is not sent, an unknown field is
    let mut body = CreateConfiguration::new(ID, "work_mem", "16MB").body;
    body["id"] = json!(format!("{ID}|work_mem"));
    body["zNew"] = json!(1);
    let r = CreateConfiguration { body }.build(&creds()).unwrap();
    assert_eq!(
        r.body.as_deref(),
        Some(
            format!(r#"{{"clusterId":"{ID}","name":"work_mem","value":"16MB","zNew":1}}"#).as_str()
        )
    );

    // the id's `|` is percent-encoded; the id or its parts give the same request
    let one = format!(
        "{BASE}/cluster-management/v2/resources/applications/postgresql/configurations/v2/{ID}%7Cwork_mem"
    );
    for configuration in [
        ConfigurationRef::Id(format!("{ID}|work_mem")),
        ConfigurationRef::Parts {
            cluster_id: ID.into(),
            name: "work_mem".into(),
        },
    ] {
        let get = GetConfiguration {
            configuration: configuration.clone(),
        }
        .build(&creds())
        .unwrap();
        assert_eq!((get.method, get.url.as_str()), (Method::Get, one.as_str()));
        assert_eq!(get.headers, get_headers());
        let put = UpdateConfiguration {
            configuration: configuration.clone(),
            body: json!({"value": "32MB"}),
        }
        .build(&creds())
        .unwrap();
        assert_eq!((put.method, put.url.as_str()), (Method::Put, one.as_str()));
        assert_eq!(put.body.as_deref(), Some(r#"{"value":"32MB"}"#));
        assert_eq!(put.headers, body_headers());
        let del = ResetConfiguration { configuration }
            .build(&creds())
            .unwrap();
        assert_eq!(
            (del.method, del.url.as_str()),
            (Method::Delete, one.as_str())
        );
        assert_eq!(del.body, None);
    }
}

#[test]
fn configuration_validation() {
    use crate::validate::ViolationCode as C;
    // every problem at once, each at its field
    let e = CreateConfiguration {
        body: json!({"clusterId": "nope", "name": "1work mem", "value": 16}),
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(
        violations(e),
        vec![
            ("clusterId".into(), C::Format),
            ("name".into(), C::Pattern),
            ("value".into(), C::Type)
        ]
    );
    let e = CreateConfiguration { body: json!({}) }
        .build(&creds())
        .unwrap_err();
    assert_eq!(
        violations(e),
        vec![
            ("clusterId".into(), C::Required),
            ("name".into(), C::Required),
            ("value".into(), C::Required)
        ]
    );
    for bad in [
        "",
        "a..b",
        ".a",
        "a.",
        "work-mem",
        "wörk_mem",
        &"a".repeat(64),
    ] {
        let e = CreateConfiguration::new(ID, bad, "1")
            .build(&creds())
            .unwrap_err();
        assert_eq!(violations(e), vec![("name".into(), C::Pattern)], "{bad:?}");
    }
    for good in [
        "work_mem",
        "_x",
        "pg_stat_statements.max",
        "A1",
        &"a".repeat(63),
    ] {
        assert!(
            CreateConfiguration::new(ID, good, "")
                .build(&creds())
                .is_ok(),
            "{good:?}"
        );
    }
    // a configuration id: its form, or its parts each at its path
    let e = GetConfiguration {
        configuration: ConfigurationRef::Id("work_mem".into()),
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(violations(e), vec![("configurationId".into(), C::Format)]);
    let e = GetConfiguration {
        configuration: ConfigurationRef::Id(format!("{ID}|bad name")),
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(violations(e), vec![("configurationId".into(), C::Pattern)]);
    let e = ResetConfiguration {
        configuration: ConfigurationRef::Parts {
            cluster_id: "x".into(),
            name: String::new(),
        },
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(
        violations(e),
        vec![
            ("configurationId.clusterId".into(), C::Format),
            ("configurationId.name".into(), C::Pattern)
        ]
    );
    let e = UpdateConfiguration {
        configuration: ConfigurationRef::Id(format!("{ID}|work_mem")),
        body: json!({"value": null}),
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(violations(e), vec![("value".into(), C::Required)]);
}

#[test]
fn password_exact_and_never_shown() {
    let pw = "Sec-ret-Pa55";
    let r = UpdateDefaultUserPassword {
        cluster_id: ID.into(),
        password: Secret::new(pw),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.operation, Operation::UpdateDefaultUserPassword);
    assert_eq!(r.method, Method::Put);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/operations/applications/postgresql/clusters/v2/{ID}/update-default-user-password")
    );
    assert_eq!(r.headers, body_headers());
    assert_eq!(r.body.as_deref(), Some(r#"{"password":"Sec-ret-Pa55"}"#));
    assert_eq!(r.secret.as_ref().map(Secret::expose), Some(pw));
    assert!(!format!("{r:?}").contains(pw), "{r:?}");
    let op = UpdateDefaultUserPassword {
        cluster_id: ID.into(),
        password: Secret::new(pw),
    };
    assert!(!format!("{op:?}").contains(pw));
}

#[test]
fn password_rules() {
    use crate::validate::ViolationCode as C;
    let check = |pw: &str| {
        UpdateDefaultUserPassword {
            cluster_id: ID.into(),
            password: Secret::new(pw),
        }
        .build(&creds())
    };
    // three classes of four, 8 characters at least
    for good in [
        "Abcdefg1",
        "abcdef1!",
        "ABCDEF1!",
        "Abcdefg!",
        "Pässwört1",
        "ab CD 12",
    ] {
        assert!(check(good).is_ok(), "{good:?}");
    }
    for (bad, code) in [
        ("Abcde1!", C::Length),
        ("", C::Length),
        ("abcdefgh", C::Pattern),
        ("abcdefg1", C::Pattern),
        ("ABCDEFG!", C::Pattern),
        ("12345678!", C::Pattern),
        ("ÄÖÜäöüßé", C::Pattern),
    ] {
        let e = check(bad).unwrap_err();
        let text = format!("{e} {e:?}");
        assert_eq!(violations(e), vec![("password".into(), code)], "{bad:?}");
        if !bad.is_empty() {
            assert!(!text.contains(bad), "the password is repeated: {text}");
        }
    }
    // missing, or not a string; with a bad cluster id too
    let e = UpdateDefaultUserPassword::build_json(
        "x",
        &crate::validate::Json::Object(Default::default()),
        &creds(),
    )
    .unwrap_err();
    assert_eq!(
        violations(e),
        vec![
            ("clusterId".into(), C::Format),
            ("password".into(), C::Required)
        ]
    );
}

#[test]
fn reloads_exact() {
    let node = format!(
        "{BASE}/cluster-management/v2/operations/applications/postgresql/nodes/v2/{NODE}/reload"
    );
    let r = ReloadNode {
        node_id: NODE.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(
        (r.method, r.url.as_str(), r.body),
        (Method::Post, node.as_str(), None)
    );
    assert_eq!(r.headers, get_headers());
    let r = GetNodeReload {
        node_id: NODE.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!((r.method, r.url.as_str()), (Method::Get, node.as_str()));
    let r = ListReloads {
        cluster_id: ID.into(),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(
        r.url,
        format!(
            "{BASE}/cluster-management/v2/operations/applications/postgresql/clusters/v2/{ID}/reload"
        )
    );
    let e = ReloadNode {
        node_id: "n1".into(),
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(
        violations(e),
        vec![("nodeId".into(), crate::validate::ViolationCode::Format)]
    );
}

#[test]
fn cluster_settings_exact_and_checked() {
    use crate::validate::ViolationCode as C;
    let r = UpdateClusterSettings {
        cluster_id: ID.into(),
        body: json!({"twoFactorDelete": {"confirmationEmail": "ops@example.com"}, "description": "Team A"}),
    }
    .build(&creds())
    .unwrap();
    assert_eq!(r.method, Method::Put);
    assert_eq!(
        r.url,
        format!("{BASE}/cluster-management/v2/operations/clusters/v2/{ID}/change-settings/v2")
    );
    assert_eq!(r.headers, body_headers());
    assert_eq!(
        r.body.as_deref(),
        Some(
            r#"{"description":"Team A","twoFactorDelete":{"confirmationEmail":"ops@example.com"}}"#
        )
    );
    let typed = UpdateClusterSettings::from_model(
        ID,
        &crate::model::ClusterSettings {
            description: Some("Team A".into()),
            two_factor_delete: None,
        },
    )
    .build(&creds())
    .unwrap();
    assert_eq!(typed.body.as_deref(), Some(r#"{"description":"Team A"}"#));
    let bad = |body: Value| {
        violations(
            UpdateClusterSettings {
                cluster_id: ID.into(),
                body,
            }
            .build(&creds())
            .unwrap_err(),
        )
    };
    assert_eq!(bad(json!({})), vec![(String::new(), C::Required)]);
    assert_eq!(
        bad(json!({"description": 3})),
        vec![("description".into(), C::Type)]
    );
    assert_eq!(
        bad(json!({"twoFactorDelete": {"confirmationPhoneNumber": "x"}})),
        vec![
            ("twoFactorDelete.confirmationEmail".into(), C::Required),
            ("twoFactorDelete.confirmationPhoneNumber".into(), C::Format)
        ]
    );
    assert_eq!(
        bad(json!({"twoFactorDelete": {"confirmationEmail": "nope"}})),
        vec![("twoFactorDelete.confirmationEmail".into(), C::Format)]
    );
}

#[test]
fn resizes_and_maintenance_exact() {
    let base = format!(
        "{BASE}/cluster-management/v2/data-sources/cluster-data-centres/v2/{NODE}/resize/operations/v2"
    );
    for (active_only, query) in [
        (None, ""),
        (Some(true), "?activeOnly=true"),
        (Some(false), "?activeOnly=false"),
    ] {
        let r = ListResizeOperations {
            data_centre_id: NODE.into(),
            active_only,
        }
        .build(&creds())
        .unwrap();
        assert_eq!(r.url, format!("{base}{query}"));
        assert_eq!(r.headers, get_headers());
    }
    let e = ListResizeOperations {
        data_centre_id: "dc".into(),
        active_only: None,
    }
    .build(&creds())
    .unwrap_err();
    assert_eq!(
        violations(e),
        vec![(
            "dataCentreId".into(),
            crate::validate::ViolationCode::Format
        )]
    );
    let m = |when: &str| {
        format!("{BASE}/cluster-management/v2/data-sources/cluster/{ID}/maintenance-events/v2/{when}/v2/")
    };
    let id = || ID.to_owned();
    let urls = [
        ListInProgressMaintenanceEvents { cluster_id: id() }
            .build(&creds())
            .unwrap()
            .url,
        ListPastMaintenanceEvents { cluster_id: id() }
            .build(&creds())
            .unwrap()
            .url,
        ListUpcomingMaintenanceEvents { cluster_id: id() }
            .build(&creds())
            .unwrap()
            .url,
    ];
    assert_eq!(urls, [m("in-progress"), m("past"), m("upcoming")]);
    assert!(ListPastMaintenanceEvents {
        cluster_id: "x".into()
    }
    .build(&creds())
    .is_err());
}
