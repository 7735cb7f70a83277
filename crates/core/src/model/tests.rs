//! The spec's response examples parse; unknown values and fields are kept or ignored.

use super::*;

const SPEC: &str = include_str!("../../../../spec/instaclustr-postgresql-v2.openapi.json");

fn spec() -> serde_json::Value {
    serde_json::from_str(SPEC).expect("spec is JSON")
}

fn schema_example(name: &str) -> serde_json::Value {
    spec()["components"]["schemas"][name]["example"].clone()
}

#[test]
fn cluster_example_parses() {
    let c: PostgresqlCluster =
        serde_json::from_value(schema_example("PostgresqlClusterV2")).unwrap();
    assert_eq!(c.name, "test_apiv2_postgresql_create");
    assert_eq!(c.sla_tier, SlaTier::NonProduction);
    assert_eq!(
        c.data_centres[0].intra_data_centre_replication[0].replication_mode,
        ReplicationMode::Synchronous
    );
}

#[test]
fn update_example_is_not_a_valid_update_body() {
    // The document's update example uses objects where arrays are required.
    let r: Result<PostgresqlClusterUpdate, _> =
        serde_json::from_value(schema_example("PostgresqlClusterUpdateV2"));
    assert!(r.is_err());
}

#[test]
fn backup_and_restore_examples_parse() {
    let b: ClusterBackupEvents =
        serde_json::from_value(schema_example("CommonClusterBackupEventsV2")).unwrap();
    let e = &b.cluster_data_centres[0].nodes[0].events[0];
    assert_eq!(e.state, Some(BackupEventState::Active));
    assert_eq!(e.event_type.as_deref(), Some("snapshot-upload"));
    let r: ClusterRestore = serde_json::from_value(schema_example("ClusterRestoreV2")).unwrap();
    assert_eq!(
        r.point_in_time,
        Some(PointInTimeValue::Millis(1420070400000.0))
    );
    assert_eq!(
        r.cdc_configs.unwrap()[0].restore_mode,
        RestoreMode::CustomVpc
    );
}

#[test]
fn every_path_response_example_parses() {
    let spec = spec();
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(responses) = op.get("responses").and_then(|r| r.as_object()) else {
                continue;
            };
            for (status, resp) in responses {
                let Some(ex) = resp.pointer("/content/application~1json/example") else {
                    continue;
                };
                let ok = if path.ends_with("/list-backups/v2/") {
                    serde_json::from_value::<ClusterBackupEvents>(ex.clone()).is_ok()
                } else if path.ends_with("/compatible-node-sizes/v2/") {
                    serde_json::from_value::<Vec<CloudProviderNodeSizesList>>(ex.clone()).is_ok()
                } else if path.contains("versions/v2") {
                    serde_json::from_value::<Vec<ApplicationVersionsList>>(ex.clone()).is_ok()
                } else {
                    panic!("unexpected example at {method} {path} {status}")
                };
                assert!(ok, "example of {method} {path} {status} does not parse");
                checked += 1;
            }
        }
    }
    assert!(checked >= 4, "only {checked} examples found");
}

#[test]
fn unknown_enum_values_and_fields_are_tolerated() {
    let json = r#"{"name":"abc","postgresqlVersion":"15.2.0","privateNetworkCluster":false,
        "synchronousModeStrict":false,"slaTier":"PLATINUM","status":"HIBERNATING","brandNew":{"x":1},
        "dataCentres":[{"name":"dc","cloudProvider":"MARS","region":"R","network":"10.0.0.0/16",
        "nodeSize":"n","numberOfNodes":1,"clientToClusterEncryption":true,
        "intraDataCentreReplication":[{"replicationMode":"QUANTUM"}],"awsSettings":null}]}"#;
    let c: PostgresqlCluster = serde_json::from_str(json).unwrap();
    assert_eq!(c.sla_tier, SlaTier::Other("PLATINUM".into()));
    assert_eq!(c.status, Some(ClusterStatus::Other("HIBERNATING".into())));
    assert_eq!(c.data_centres[0].cloud_provider.as_str(), "MARS");
    assert!(!c.data_centres[0].cloud_provider.is_known());
    // round trip keeps the unknown value
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(back["slaTier"], "PLATINUM");
}

#[test]
fn backup_event_end_may_be_null() {
    let e: BackupEvent =
        serde_json::from_str(r#"{"start":1,"end":null,"progress":0.2,"state":"ACTIVE"}"#).unwrap();
    assert_eq!(e.end, None);
}

#[test]
fn ts_declarations_are_open() {
    assert_eq!(
        SlaTier::TS_DECL,
        r#"export type SlaTier = "PRODUCTION" | "NON_PRODUCTION" | (string & {});"#
    );
}
