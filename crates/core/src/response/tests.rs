//! Every parser on the spec's examples, on error statuses and on bad bodies.

use serde_json::{json, Value};

use super::*;
use crate::endpoints::*;
use crate::model::{BackupEventState, ClusterStatus, PointInTimeValue};

const SPEC: &str = include_str!("../../../../spec/instaclustr-postgresql-v2.openapi.json");

/// The example of `method path` for `status` in the API document, as bytes.
fn example(path: &str, method: &str, status: &str) -> Vec<u8> {
    let spec: Value = serde_json::from_str(SPEC).unwrap();
    let resp = &spec["paths"][path][method]["responses"][status]["content"]["application/json"];
    let ex = if resp["example"].is_null() {
        // fall back to the schema's example
        let r = resp["schema"]["$ref"]
            .as_str()
            .unwrap_or_default()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        spec["components"]["schemas"][r.as_str()]["example"].clone()
    } else {
        resp["example"].clone()
    };
    assert!(!ex.is_null(), "no example for {method} {path} {status}");
    serde_json::to_vec(&ex).unwrap()
}

fn decode_message(e: Error) -> String {
    match e {
        Error::Decode { message } => message,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

const CLUSTER: &str =
    "/cluster-management/v2/resources/applications/postgresql/clusters/v2/{clusterId}/";

#[test]
fn spec_examples_parse() {
    let c = GetCluster::parse(200, &example(CLUSTER, "get", "200")).unwrap();
    assert!(!c.data_centres.is_empty());
    let created = example(
        "/cluster-management/v2/resources/applications/postgresql/clusters/v2/",
        "post",
        "202",
    );
    assert!(CreateCluster::parse(202, &created).is_ok());
    let u = UpdateCluster::parse(202, &example(CLUSTER, "put", "202")).unwrap();
    assert!(u.is_some());
    let b = ListBackups::parse(
        200,
        &example("/cluster-management/v2/data-sources/applications/postgresql/clusters/v2/{clusterId}/list-backups/v2/", "get", "200"),
    )
    .unwrap();
    assert!(!b.cluster_data_centres.is_empty());
    let r = RestoreCluster::parse(
        202,
        &example(
            "/cluster-management/v2/operations/applications/postgres/restore/v2",
            "post",
            "202",
        ),
    )
    .unwrap();
    assert!(r.restored_cluster_id.is_some());
    let v = ListVersions::parse(
        200,
        &example(
            "/cluster-management/v2/data-sources/applications/postgresql/versions/v2/",
            "get",
            "200",
        ),
    )
    .unwrap();
    assert!(!v.is_empty());
    let cv = ListCompatibleVersions::parse(
        200,
        &example("/cluster-management/v2/data-sources/applications/postgresql/compatible-versions/v2/{version}", "get", "200"),
    )
    .unwrap();
    assert_eq!(cv[0].application_versions[0].application, "PGBOUNCER");
    let n = ListCompatibleNodeSizes::parse(
        200,
        &example(
            "/cluster-management/v2/data-sources/applications/postgresql/compatible-node-sizes/v2/",
            "get",
            "200",
        ),
    )
    .unwrap();
    assert!(!n.is_empty());
}

#[test]
fn cluster_values() {
    let body = json!({
        "id": "c0e5e2ff-affe-444c-bdca-707c7b48aaad", "name": "c1", "postgresqlVersion": "16.2.0",
        "privateNetworkCluster": false, "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false,
        "status": "SOMETHING_NEW", "defaultUserPassword": "pw", "unknownField": [1, 2, {"x": null}],
        "dataCentres": [{
            "name": "dc", "cloudProvider": "AWS_VPC", "region": "US_EAST_1", "network": "10.1.0.0/16",
            "nodeSize": "PGS-DEV-t4g.small-5", "numberOfNodes": 1, "clientToClusterEncryption": false,
            "intraDataCentreReplication": [{"replicationMode": "ASYNCHRONOUS"}],
            "nodes": [{"id": "n", "status": "RUNNING", "nodeRoles": ["POSTGRESQL"]}]
        }]
    });
    let c = GetCluster::parse(200, body.to_string().as_bytes()).unwrap();
    assert_eq!(c.status, Some(ClusterStatus::Other("SOMETHING_NEW".into())));
    assert_eq!(
        c.default_user_password.as_ref().map(|s| s.expose()),
        Some("pw")
    );
    assert_eq!(c.data_centres[0].nodes.as_ref().map(Vec::len), Some(1));
}

#[test]
fn backups_are_lenient() {
    let body = br#"{"clusterDataCentres":[{"nodes":[{"events":[{"start":1,"end":null,"progress":0.5,"state":"ACTIVE","type":"postgresql-backup"}]}]}]}"#;
    let b = ListBackups::parse(200, body).unwrap();
    let e = &b.cluster_data_centres[0].nodes[0].events[0];
    assert_eq!(
        (e.end, e.state.clone()),
        (None, Some(BackupEventState::Active))
    );
    let empty = ListBackups::parse(200, br#"{"clusterDataCentres":null}"#).unwrap();
    assert!(empty.cluster_data_centres.is_empty());
}

#[test]
fn restore_point_in_time_number_or_string() {
    let n = RestoreCluster::parse(
        202,
        br#"{"clusterId":"x","pointInTime":1420070400000,"restoredClusterId":"y"}"#,
    )
    .unwrap();
    assert_eq!(
        n.point_in_time,
        Some(PointInTimeValue::Millis(1_420_070_400_000.0))
    );
    let s = RestoreCluster::parse(
        202,
        br#"{"clusterId":"x","pointInTime":"2015-01-01T00:00:00.000Z"}"#,
    )
    .unwrap();
    assert_eq!(
        s.point_in_time,
        Some(PointInTimeValue::Text("2015-01-01T00:00:00.000Z".into()))
    );
}

#[test]
fn empty_bodies() {
    assert_eq!(UpdateCluster::parse(202, b"").unwrap(), None);
    assert_eq!(UpdateCluster::parse(202, b" \n").unwrap(), None);
    assert_eq!(DeleteCluster::parse(204, b""), Ok(()));
    assert_eq!(DeleteCluster::parse(200, b"{\"anything\":1}"), Ok(()));
    assert_eq!(TriggerBackup::parse(202, b""), Ok(()));
    assert!(matches!(
        GetCluster::parse(200, b""),
        Err(Error::Decode { .. })
    ));
    assert!(matches!(
        DownloadCertificate::parse(200, b""),
        Err(Error::Decode { .. })
    ));
}

#[test]
fn certificate_bytes_as_sent() {
    let zip = [0x50u8, 0x4b, 3, 4, 0xff, 0];
    assert_eq!(DownloadCertificate::parse(200, &zip).unwrap(), zip.to_vec());
}

#[test]
fn list_clusters_values() {
    let body = br#"[{"accountId":"a","clusters":[{"application":"POSTGRESQL","id":"i1"},{"application":"NEW_APP","id":"i2"}]}]"#;
    let l = ListClusters::parse(200, body).unwrap();
    assert_eq!(l[0].clusters.len(), 2);
    assert_eq!(l[0].clusters[1].application.as_str(), "NEW_APP");
}

#[test]
fn api_errors() {
    let e = GetCluster::parse(
        404,
        br#"{"errors":[{"name":"clusterId","message":"not found"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::Api {
            status: 404,
            errors: vec![ErrorResponse::new("clusterId", "not found")],
            raw: None
        }
    );
    assert_eq!(e.code(), "API_ERROR");
    // tolerant: missing or mistyped fields, extra fields
    let t = parse_api_error(
        400,
        br#"{"errors":[{"message":"bad"},{"name":3},"plain",7],"extra":true}"#,
    );
    let Error::Api { errors, raw, .. } = t else {
        panic!()
    };
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0].message.as_deref(), Some("bad"));
    assert_eq!(errors[1], ErrorResponse::default());
    assert_eq!(errors[2].message.as_deref(), Some("plain"));
    assert_eq!(raw, None);
    // not an error list: raw text
    let h = DeleteCluster::parse(502, b"<html>bad gateway</html>").unwrap_err();
    assert_eq!(
        h,
        Error::Api {
            status: 502,
            errors: vec![],
            raw: Some("<html>bad gateway</html>".into())
        }
    );
    let j = parse_api_error(500, br#"{"message":"boom"}"#);
    assert!(matches!(j, Error::Api { raw: Some(_), .. }));
    // empty body
    assert_eq!(
        parse_api_error(503, b""),
        Error::Api {
            status: 503,
            errors: vec![],
            raw: None
        }
    );
    // redirects and 1xx are not successes
    assert!(matches!(
        ListVersions::parse(302, b""),
        Err(Error::Api { status: 302, .. })
    ));
}

#[test]
fn raw_is_truncated_at_a_char_boundary() {
    let long = "é".repeat(2000);
    let Error::Api { raw: Some(raw), .. } = parse_api_error(500, long.as_bytes()) else {
        panic!()
    };
    assert!(raw.len() <= MAX_RAW_BYTES + 4);
    assert!(raw.starts_with("éé"));
}

#[test]
fn decode_errors_name_the_path() {
    let m = decode_message(GetCluster::parse(200, b"\xff\xfe").unwrap_err());
    assert!(m.contains("utf-8"), "{m}");
    let m = decode_message(GetCluster::parse(200, b"{not json").unwrap_err());
    assert!(m.contains("json"), "{m}");
    let m = decode_message(ListVersions::parse(200, b"[] trailing").unwrap_err());
    assert!(m.contains("json"), "{m}");
    let wrong = json!({"name": "c", "postgresqlVersion": "1.2.3", "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false,
        "dataCentres": [{"name": "dc", "cloudProvider": "GCP", "region": "r", "network": "n", "nodeSize": "s",
            "numberOfNodes": "two", "clientToClusterEncryption": false, "intraDataCentreReplication": []}]});
    let m = decode_message(GetCluster::parse(200, wrong.to_string().as_bytes()).unwrap_err());
    assert!(m.contains("dataCentres[0].numberOfNodes"), "{m}");
    let m = decode_message(GetCluster::parse(200, br#"{"name":"c"}"#).unwrap_err());
    assert!(
        m.contains("postgresqlVersion") || m.contains("missing field"),
        "{m}"
    );
    let m = decode_message(ListVersions::parse(200, br#"{"applicationVersions":[]}"#).unwrap_err());
    assert!(m.contains("sequence"), "{m}");
    let m =
        decode_message(ListClusters::parse(200, br#"[{"clusters":[{"id":"x"}]}]"#).unwrap_err());
    assert!(m.contains("[0].clusters[0]"), "{m}");
}

#[test]
fn decode_errors_never_quote_a_password() {
    let body = json!({"name": "c", "postgresqlVersion": "1.2.3", "privateNetworkCluster": false,
        "slaTier": "NON_PRODUCTION", "synchronousModeStrict": false, "dataCentres": [],
        "defaultUserPassword": 987654321});
    let m = decode_message(GetCluster::parse(200, body.to_string().as_bytes()).unwrap_err());
    assert!(
        m.contains("defaultUserPassword") && !m.contains("987654321"),
        "{m}"
    );
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        ListVersions::parse(200, deep.as_bytes()),
        Err(Error::Decode { .. })
    ));
    let deep_obj = format!(
        r#"{{"errors":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(matches!(
        parse_api_error(400, deep_obj.as_bytes()),
        Error::Api { .. }
    ));
    // an unknown field is skipped without recursion: deep nesting there is harmless
    let unknown = format!(
        r#"{{"clusterDataCentres":[],"x":{}{}}}"#,
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let _ = ListBackups::parse(200, unknown.as_bytes());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Null)),
            any::<i64>().prop_map(|i| json!(i)),
            ".{0,12}".prop_map(Value::String),
            prop::sample::select(vec!["RUNNING", "AWS_VPC", "ACTIVE", "POSTGRESQL", "1.2.3"])
                .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec![
                        "name",
                        "id",
                        "errors",
                        "message",
                        "dataCentres",
                        "nodes",
                        "events",
                        "clusters",
                        "applicationVersions",
                        "cloudProviderNodeSizes",
                        "clusterDataCentres",
                        "pointInTime",
                        "clusterId",
                        "status",
                        "nodeSizes",
                        "versions",
                        "x",
                    ])
                    .prop_map(str::to_owned),
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn all(status: u16, b: &[u8]) {
        let _ = CreateCluster::parse(status, b);
        let _ = GetCluster::parse(status, b);
        let _ = UpdateCluster::parse(status, b);
        let _ = DeleteCluster::parse(status, b);
        let _ = TriggerBackup::parse(status, b);
        let _ = ListBackups::parse(status, b);
        let _ = RestoreCluster::parse(status, b);
        let _ = ListVersions::parse(status, b);
        let _ = ListCompatibleVersions::parse(status, b);
        let _ = ListCompatibleNodeSizes::parse(status, b);
        let _ = DownloadCertificate::parse(status, b);
        let _ = ListClusters::parse(status, b);
        let _ = parse_api_error(status, b);
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..256)) {
            all(status, &body);
        }

        #[test]
        fn random_json_never_panics(status in prop::sample::select(vec![200u16, 202, 204, 400, 404, 500]), v in arb_json()) {
            all(status, v.to_string().as_bytes());
        }
    }
}

#[test]
fn decode_error_paths_match_the_value() {
    let msg = |body: &str| decode_message(ListClusters::parse(200, body.as_bytes()).unwrap_err());
    // a value of the wrong type: the value's own path
    let m = msg(
        r#"[{"clusters":[{"application":"POSTGRESQL","id":"a"},{"application":"POSTGRESQL","id":7}]}]"#,
    );
    assert!(m.starts_with("at [0].clusters[1].id:"), "{m}");
    // an object where a string belongs (reported before the object is read)
    let m = msg(r#"[ {"clusters" : [ {"id" : {"x": [1, 2]} } ] } ]"#);
    assert!(m.starts_with("at [0].clusters[0].id:"), "{m}");
    // the root itself
    let m = decode_message(ListVersions::parse(200, br#"  {"a": 1}  "#).unwrap_err());
    assert!(!m.starts_with("at "), "{m}");
    // keys with escapes are decoded; across lines
    let m = msg("[\n{\"clusters\":\n[{\"application\":\n\"POSTGRESQL\",\n\"i\\u0064\": 5}]}]");
    assert!(m.starts_with("at [0].clusters[0].id:"), "{m}");
}

#[test]
fn path_walk_never_panics_on_odd_prefixes() {
    for text in [
        "", "\"", "\"\\", "[", "]]]", "{\"a\"", "{\"a\":", ":,:,", "[1,2,", "{,}",
    ] {
        for offset in 0..text.len() + 3 {
            let _ = super::path_at(text.as_bytes(), offset);
        }
    }
}

// ---- the operations beyond the provisioning page (spec/instaclustr-v2-postgresql-more) ----

const MORE: &str = include_str!("../../../../spec/instaclustr-v2-postgresql-more.openapi.json");

fn more() -> Value {
    serde_json::from_str(MORE).unwrap()
}

/// The example of schema `name` in the second document, as bytes.
fn schema_example(name: &str) -> Vec<u8> {
    let ex = more()["components"]["schemas"][name]["example"].clone();
    assert!(!ex.is_null(), "no example for {name}");
    serde_json::to_vec(&ex).unwrap()
}

/// The inline example of `GET path`'s 200 in the second document, as bytes.
fn inline_example(path: &str) -> Vec<u8> {
    let ex = more()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        ["example"]
        .clone();
    assert!(!ex.is_null(), "no example for {path}");
    serde_json::to_vec(&ex).unwrap()
}

/// The examples of the second document, parsed as data, and their quirks (each asserted, so
/// that a corrected document shows here):
/// 1. `PostgresqlConfigurationPropertiesV2`'s example is one object where the list operation
///    answers a list of them, and a property's `name` has trailing spaces (`"statement_timeout  "`);
///    no property has the read-only `id`.
/// 2. `PostgresqlReloadOperationV2`'s example has `"string"` for `nodeId` and `operationId`.
/// 3. `ClusterMaintenanceEventScheduleV2`'s example spells `isFinalised` (the schema:
///    `isFinalized`) and gives it the string `"false"`; its `scheduledStartTimeMin` is after its
///    `scheduledStartTimeMax`.
/// 4. The maintenance lists' examples carry a top-level `clusterId` their schemas do not have;
///    the upcoming list's inline example has the fields of an event that started (`startTime`,
///    `endTime`, `outcome`), not those of a schedule; an in-progress event's `outcome` is
///    `"string"`.
/// 5. `ResizeOperationInfosV2`, `PostgresqlReloadOperationsV2` and `ClusterSettingsUpdateV2` have
///    no example (only some properties do, e.g. a resize's `nodePurpose` `CASSANDRA`).
#[test]
fn more_spec_examples_parse_with_their_quirks() {
    // 1
    let one = schema_example("PostgresqlConfigurationPropertiesV2");
    let p: crate::model::ConfigurationProperties = crate::response::json(200, &one).unwrap();
    assert_eq!(p.configuration_properties.len(), 2);
    assert_eq!(p.configuration_properties[0].name, "statement_timeout  ");
    assert!(p.configuration_properties.iter().all(|c| c.id.is_none()));
    // the operation answers a list: the single object is not one
    assert!(matches!(
        ListConfigurations::parse(200, &one),
        Err(Error::Decode { .. })
    ));
    let list = format!("[{}]", String::from_utf8(one).unwrap());
    let l = ListConfigurations::parse(200, list.as_bytes()).unwrap();
    assert_eq!(
        l[0].cluster_id.as_deref(),
        Some("b997a00d-5bd4-4774-9bd7-5c0ad6189246")
    );
    let c =
        GetConfiguration::parse(202, &schema_example("PostgresqlConfigurationPropertyV2")).unwrap();
    assert_eq!(
        (c.name.as_str(), c.value.as_str()),
        ("idle_in_transaction_session_timeout", "1")
    );
    assert_eq!(c.id, None);
    // the same answer with 200 (what the Go client expects of a GET) is accepted too
    assert!(
        GetConfiguration::parse(200, &schema_example("PostgresqlConfigurationPropertyV2")).is_ok()
    );
    assert!(
        UpdateConfiguration::parse(202, &schema_example("PostgresqlConfigurationPropertyV2"))
            .is_ok()
    );
    assert!(
        CreateConfiguration::parse(202, &schema_example("PostgresqlConfigurationPropertyV2"))
            .is_ok()
    );
    assert_eq!(ResetConfiguration::parse(204, b""), Ok(()));

    // 2
    let r = GetNodeReload::parse(202, &schema_example("PostgresqlReloadOperationV2")).unwrap();
    assert_eq!(r.status, Some(crate::model::ReloadStatus::Genesis));
    assert_eq!(r.node_id.as_deref(), Some("string"));
    assert_eq!(r.operation_id.as_deref(), Some("string"));
    assert!(GetNodeReload::parse(200, &schema_example("PostgresqlReloadOperationV2")).is_ok());
    assert!(ReloadNode::parse(202, &schema_example("PostgresqlReloadOperationV2")).is_ok());
    let unknown = GetNodeReload::parse(200, br#"{"status":"RELOADING","extra":1}"#).unwrap();
    assert_eq!(
        unknown.status,
        Some(crate::model::ReloadStatus::Other("RELOADING".into()))
    );

    // 3
    let s: crate::model::MaintenanceSchedule =
        crate::response::json(200, &schema_example("ClusterMaintenanceEventScheduleV2")).unwrap();
    assert_eq!(
        s.is_finalized, None,
        "isFinalised is not the schema's field"
    );
    assert!(s.scheduled_start_time_min > s.scheduled_start_time_max);

    // 4
    const M: &str =
        "/cluster-management/v2/data-sources/cluster/{clusterId}/maintenance-events/v2/";
    let ip = ListInProgressMaintenanceEvents::parse(
        200,
        &inline_example(&format!("{M}in-progress/v2/")),
    )
    .unwrap();
    assert_eq!(ip[0].maintenance_events.len(), 2);
    assert_eq!(
        ip[0].maintenance_events[0].outcome.as_deref(),
        Some("string")
    );
    let past =
        ListPastMaintenanceEvents::parse(200, &inline_example(&format!("{M}past/v2/"))).unwrap();
    assert_eq!(past, ip);
    let up =
        ListUpcomingMaintenanceEvents::parse(200, &inline_example(&format!("{M}upcoming/v2/")))
            .unwrap();
    let first = &up[0].maintenance_events[0];
    assert_eq!(
        first.description.as_deref(),
        Some("Upgrade Debian on nodes to 11.3")
    );
    assert_eq!(
        first.scheduled_start_time, None,
        "the example has startTime instead"
    );
    let sched: crate::model::MaintenanceSchedules =
        crate::response::json(200, &schema_example("ClusterMaintenanceEventSchedulesV2")).unwrap();
    assert_eq!(sched.maintenance_events.len(), 1);
    let events: crate::model::MaintenanceEvents =
        crate::response::json(200, &schema_example("ClusterMaintenanceEventsV2")).unwrap();
    assert_eq!(
        events.maintenance_events[0].outcome.as_deref(),
        Some("COMPLETED")
    );

    // 5
    let doc = more();
    for name in [
        "ResizeOperationInfosV2",
        "PostgresqlReloadOperationsV2",
        "ClusterSettingsUpdateV2",
    ] {
        assert!(
            doc["components"]["schemas"][name]["example"].is_null(),
            "{name} has an example now"
        );
    }
    let resize = ListResizeOperations::parse(
        200,
        br#"{"operations":[{"id":"657d1cec-1eb8-449f-8be4-467ab1f2b856","status":"COMPLETED","nodePurpose":"CASSANDRA","concurrentResizes":2,"newNodeSize":"CAS-DEV-t4g.small-30","replaceOperations":[{"status":"GENESIS","nodeId":"n"}]}]}"#,
    )
    .unwrap();
    assert_eq!(resize.operations[0].concurrent_resizes, Some(2));
    assert_eq!(
        resize.operations[0].replace_operations[0].status,
        Some(crate::model::ReplaceStatus::Genesis)
    );
    let reloads = ListReloads::parse(202, br#"{"clusterId":"c","reloadOperations":null}"#).unwrap();
    assert!(reloads.reload_operations.is_empty());
    let settings = UpdateClusterSettings::parse(
        202,
        br#"{"description":"Cluster managed by the integration team.","twoFactorDelete":{"confirmationEmail":"a@example.com"}}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        settings.description.as_deref(),
        Some("Cluster managed by the integration team.")
    );
    assert_eq!(UpdateClusterSettings::parse(202, b""), Ok(None));

    // the password update's answer echoes the password: not read, not returned
    let echo = schema_example("PostgresqlUserSummary");
    assert_eq!(UpdateDefaultUserPassword::parse(202, &echo), Ok(()));
}

#[test]
fn more_errors_are_api_errors_naming_the_field() {
    let body = br#"{"errors":[{"name":"password","message":"too weak"}]}"#;
    match UpdateDefaultUserPassword::parse(400, body) {
        Err(Error::Api { status, errors, .. }) => {
            assert_eq!(status, 400);
            assert_eq!(errors[0].name.as_deref(), Some("password"));
        }
        other => panic!("{other:?}"),
    }
    for status in [404, 500] {
        assert!(matches!(
            GetConfiguration::parse(status, b"{}"),
            Err(Error::Api { status: s, .. }) if s == status
        ));
    }
}
