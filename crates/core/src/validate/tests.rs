//! Tests of the entry points: every rule valid and invalid (codes and paths), the spec's
//! examples, and property tests that nothing panics.

use serde_json::{json, Value};

use super::*;
use crate::model::PostgresqlCluster;
use ViolationCode as C;

const SPEC: &str = include_str!("../../../../spec/instaclustr-postgresql-v2.openapi.json");
const NOW: f64 = 1_700_000_000_000.0;
const ID: &str = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const ID2: &str = "a8c32b20-c8f0-11e7-abc4-cec278b6b50a";

fn example(name: &str) -> Value {
    let spec: Value = serde_json::from_str(SPEC).unwrap_or(Value::Null);
    spec["components"]["schemas"][name]["example"].clone()
}

fn found(v: &[Violation]) -> Vec<(String, C)> {
    v.iter().map(|x| (x.path.clone(), x.code)).collect()
}

fn pairs(list: &[(&str, C)]) -> Vec<(String, C)> {
    list.iter().map(|(p, c)| ((*p).to_owned(), *c)).collect()
}

/// The valid create body shared with every other test.
fn cluster() -> Value {
    serde_json::from_str(include_str!(
        "../../../../tests/fixtures/create-cluster.json"
    ))
    .expect("tests/fixtures/create-cluster.json is JSON")
}

/// The fixture's data centre under another name and network.
fn dc(name: &str, network: &str) -> Value {
    let mut d = cluster()["dataCentres"][0].take();
    d["name"] = json!(name);
    d["network"] = json!(network);
    d
}

fn two_dcs() -> Value {
    let mut c = cluster();
    let mut a = dc("dc_1", "10.1.0.0/16");
    a["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": true}]);
    let mut b = dc("dc_2", "10.2.0.0/16");
    b["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": false}]);
    b["cloudProvider"] = json!("GCP");
    b["gcpSettings"] = json!([{"customVirtualNetworkId": "projects/p/regions/r/subnetworks/s"}]);
    c["dataCentres"] = json!([a, b]);
    c
}

/// Applies `edit` to a valid cluster and returns the violations of the result.
fn create_with(edit: impl FnOnce(&mut Value)) -> Vec<(String, C)> {
    let mut c = cluster();
    edit(&mut c);
    found(&create_cluster(&c))
}

fn restore() -> Value {
    json!({
        "clusterId": ID,
        "restoredClusterName": "my-restored-cluster",
        "pointInTime": "2023-11-05T13:15:30Z",
        "cdcConfigs": [{"cdcId": ID2, "restoreMode": "NEW_VPC"}]
    })
}

fn restore_with(edit: impl FnOnce(&mut Value)) -> Vec<(String, C)> {
    let mut r = restore();
    edit(&mut r);
    found(&restore_cluster(&r, NOW))
}

#[test]
fn valid_bodies_pass() {
    assert_eq!(found(&create_cluster(&cluster())), []);
    assert_eq!(found(&create_cluster(&two_dcs())), []);
    let full = create_with(|c| {
        c["description"] = json!("team cluster");
        c["twoFactorDelete"] = json!([{"confirmationEmail": "ops@example.com", "confirmationPhoneNumber": "+61 2 1234 5678"}]);
        c["resizeSettings"] = json!([{"notifySupportContacts": true, "concurrency": 2}]);
        let d = &mut c["dataCentres"][0];
        d["pgBouncer"] = json!([{"pgBouncerVersion": "1.19.0", "poolMode": "TRANSACTION"}]);
        d["awsSettings"] = json!([{"ebsEncryptionKey": "9a27373a-0451-4121-94ba-873fc441f313", "customVirtualNetworkId": "vpc-1"}]);
        d["tags"] = json!([{"key": "team", "value": "db"}, {"key": "env", "value": ""}]);
        d["providerAccountName"] = json!("INSTACLUSTR");
        d["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": true}]);
    });
    assert_eq!(full, []);
    let mut u = json!({"dataCentres": [dc("dc_1", "10.1.0.0/16")]});
    assert_eq!(found(&update_cluster(&u)), []);
    u["dataCentres"][0]["nodeSize"] = json!("PGS-PRD-r6g.large-100");
    u["twoFactorDelete"] = json!([{"confirmationEmail": "a@b.co"}]);
    assert_eq!(found(&update_cluster(&u)), []);
    assert_eq!(found(&restore_cluster(&restore(), NOW)), []);
    assert_eq!(found(&restore_cluster(&json!({"clusterId": ID}), NOW)), []);
}

#[test]
fn read_only_and_unknown_fields_are_ignored() {
    let v = create_with(|c| {
        c["id"] = json!(5);
        c["status"] = json!(["x"]);
        c["defaultUserPassword"] = json!(false);
        c["currentClusterOperationStatus"] = json!("WHATEVER");
        c["pciComplianceMode"] = json!("yes");
        c["futureField"] = json!({});
        let d = &mut c["dataCentres"][0];
        d["id"] = json!(1);
        d["status"] = json!(1);
        d["nodes"] = json!("x");
        d["deletedNodes"] = json!(7);
    });
    assert_eq!(v, []);
    let r =
        restore_with(|r| r["restoredClusterId"] = json!("b8a32a20-d8e0-11a7-def4-sdc278a6a50b"));
    assert_eq!(r, []);
}

#[test]
fn spec_create_example_flags_only_the_version() {
    let v = create_cluster(&example("PostgresqlClusterV2"));
    assert_eq!(found(&v), pairs(&[("postgresqlVersion", C::Pattern)]));
}

#[test]
fn spec_update_example_flags_objects_instead_of_arrays() {
    let v = update_cluster(&example("PostgresqlClusterUpdateV2"));
    assert_eq!(
        found(&v),
        pairs(&[
            ("dataCentres[0].intraDataCentreReplication", C::Type),
            ("dataCentres[0].interDataCentreReplication", C::Type),
        ])
    );
}

#[test]
fn spec_restore_example_passes() {
    assert_eq!(
        found(&restore_cluster(&example("ClusterRestoreV2"), NOW)),
        []
    );
}

#[test]
fn wrong_top_level_types() {
    for body in [json!([]), json!("x"), json!(1), json!(null), json!(true)] {
        let want = pairs(&[("", C::Type)]);
        assert_eq!(found(&create_cluster(&body)), want);
        assert_eq!(found(&update_cluster(&body)), want);
        assert_eq!(found(&restore_cluster(&body, NOW)), want);
    }
}

#[test]
fn required_fields_and_null_as_missing() {
    let v = found(&create_cluster(&json!({"name": null})));
    let want = pairs(&[
        ("name", C::Required),
        ("postgresqlVersion", C::Required),
        ("privateNetworkCluster", C::Required),
        ("synchronousModeStrict", C::Required),
        ("slaTier", C::Required),
        ("dataCentres", C::Required),
    ]);
    assert_eq!(v, want);
    let v = create_with(|c| c["dataCentres"] = json!([{"network": null}]));
    let p = |f: &str| (format!("dataCentres[0].{f}"), C::Required);
    assert_eq!(
        v,
        vec![
            p("name"),
            p("cloudProvider"),
            p("region"),
            p("network"),
            p("nodeSize"),
            p("numberOfNodes"),
            p("clientToClusterEncryption"),
            p("intraDataCentreReplication"),
        ]
    );
    assert_eq!(
        found(&update_cluster(&json!({}))),
        pairs(&[("dataCentres", C::Required)])
    );
    assert_eq!(
        found(&restore_cluster(&json!({"clusterId": null}), NOW)),
        pairs(&[("clusterId", C::Required)])
    );
}

#[test]
fn json_types() {
    let v = create_with(|c| {
        c["name"] = json!(1);
        c["postgresqlVersion"] = json!(15);
        c["privateNetworkCluster"] = json!("false");
        c["synchronousModeStrict"] = json!(0);
        c["slaTier"] = json!(["PRODUCTION"]);
        c["description"] = json!({});
        c["twoFactorDelete"] = json!({"confirmationEmail": "a@b.co"});
        c["resizeSettings"] = json!([{"notifySupportContacts": "yes", "concurrency": "2"}]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("name", C::Type),
            ("postgresqlVersion", C::Type),
            ("privateNetworkCluster", C::Type),
            ("synchronousModeStrict", C::Type),
            ("slaTier", C::Type),
            ("description", C::Type),
            ("twoFactorDelete", C::Type),
            ("resizeSettings[0].notifySupportContacts", C::Type),
            ("resizeSettings[0].concurrency", C::Type),
        ])
    );
    let v = create_with(|c| c["dataCentres"] = json!("dc"));
    assert_eq!(v, pairs(&[("dataCentres", C::Type)]));
    let v = create_with(|c| c["dataCentres"] = json!([7]));
    assert_eq!(v, pairs(&[("dataCentres[0]", C::Type)]));
    let v = create_with(|c| {
        let d = &mut c["dataCentres"][0];
        d["name"] = json!(true);
        d["region"] = json!(1);
        d["network"] = json!([]);
        d["nodeSize"] = json!({});
        d["numberOfNodes"] = json!("2");
        d["clientToClusterEncryption"] = json!("true");
        d["intraDataCentreReplication"] = json!([{"replicationMode": 1}]);
        d["pgBouncer"] = json!(["x"]);
        d["tags"] = json!([{"key": 1, "value": false}]);
        d["providerAccountName"] = json!(3);
    });
    let p = |f: &str| (format!("dataCentres[0].{f}"), C::Type);
    assert_eq!(
        v,
        vec![
            p("name"),
            p("region"),
            p("network"),
            p("nodeSize"),
            p("numberOfNodes"),
            p("clientToClusterEncryption"),
            p("intraDataCentreReplication[0].replicationMode"),
            p("pgBouncer[0]"),
            p("tags[0].key"),
            p("tags[0].value"),
            p("providerAccountName"),
        ]
    );
}

#[test]
fn name_rules() {
    assert_eq!(
        create_with(|c| c["name"] = json!("ab")),
        pairs(&[("name", C::Length)])
    );
    assert_eq!(
        create_with(|c| c["name"] = json!("a".repeat(49))),
        pairs(&[("name", C::Length)])
    );
    assert_eq!(
        create_with(|c| c["name"] = json!("_abc")),
        pairs(&[("name", C::Pattern)])
    );
    assert_eq!(
        create_with(|c| c["name"] = json!("my cluster")),
        pairs(&[("name", C::Pattern)])
    );
    assert_eq!(
        create_with(|c| c["name"] = json!("a.")),
        pairs(&[("name", C::Length), ("name", C::Pattern)])
    );
    assert_eq!(create_with(|c| c["name"] = json!("a".repeat(48))), []);
    assert_eq!(
        create_with(|c| c["dataCentres"][0]["name"] = json!(" ")),
        pairs(&[("dataCentres[0].name", C::Length)])
    );
}

#[test]
fn version_rules() {
    for bad in ["[x.y.z]", "15.4", "15.4.0-beta", " 15.4.0"] {
        assert_eq!(
            create_with(|c| c["postgresqlVersion"] = json!(bad)),
            pairs(&[("postgresqlVersion", C::Pattern)]),
            "{bad}"
        );
    }
    let v = create_with(|c| {
        c["dataCentres"][0]["pgBouncer"] =
            json!([{"pgBouncerVersion": "1.19", "poolMode": "POOL"}]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("dataCentres[0].pgBouncer[0].pgBouncerVersion", C::Pattern),
            ("dataCentres[0].pgBouncer[0].poolMode", C::Enum)
        ])
    );
    let v = create_with(|c| c["dataCentres"][0]["pgBouncer"] = json!([{}]));
    assert_eq!(
        v,
        pairs(&[
            ("dataCentres[0].pgBouncer[0].pgBouncerVersion", C::Required),
            ("dataCentres[0].pgBouncer[0].poolMode", C::Required)
        ])
    );
}

#[test]
fn number_of_nodes() {
    for ok in [1, 5] {
        assert_eq!(
            create_with(|c| c["dataCentres"][0]["numberOfNodes"] = json!(ok)),
            []
        );
    }
    for bad in [json!(0), json!(6), json!(-1), json!(u64::MAX)] {
        assert_eq!(
            create_with(|c| c["dataCentres"][0]["numberOfNodes"] = bad.clone()),
            pairs(&[("dataCentres[0].numberOfNodes", C::Range)]),
            "{bad}"
        );
    }
    for bad in [json!(2.5), json!(2.0)] {
        assert_eq!(
            create_with(|c| c["dataCentres"][0]["numberOfNodes"] = bad.clone()),
            pairs(&[("dataCentres[0].numberOfNodes", C::Type)]),
            "{bad}"
        );
    }
}

#[test]
fn enums_refuse_unknown_values() {
    let v = create_with(|c| {
        c["slaTier"] = json!("production");
        c["dataCentres"][0]["cloudProvider"] = json!("AWS");
        c["dataCentres"][0]["intraDataCentreReplication"] = json!([{"replicationMode": "SEMI"}]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("slaTier", C::Enum),
            ("dataCentres[0].cloudProvider", C::Enum),
            (
                "dataCentres[0].intraDataCentreReplication[0].replicationMode",
                C::Enum
            ),
        ])
    );
    for p in ["AWS_VPC", "GCP", "AZURE", "AZURE_AZ", "ONPREMISES"] {
        assert_eq!(
            create_with(|c| c["dataCentres"][0]["cloudProvider"] = json!(p)),
            [],
            "{p}"
        );
    }
}

#[test]
fn item_counts() {
    assert_eq!(
        create_with(|c| c["dataCentres"] = json!([])),
        pairs(&[("dataCentres", C::Count)])
    );
    let three = create_with(|c| {
        c["dataCentres"] = json!([
            dc("a1", "10.1.0.0/16"),
            dc("a2", "10.2.0.0/16"),
            dc("a3", "10.3.0.0/16")
        ]);
    });
    assert!(
        three.contains(&("dataCentres".to_owned(), C::Count)),
        "{three:?}"
    );
    let v = create_with(|c| {
        c["twoFactorDelete"] =
            json!([{"confirmationEmail": "a@b.co"}, {"confirmationEmail": "c@d.co"}]);
        c["resizeSettings"] = json!([{}, {}]);
        let d = &mut c["dataCentres"][0];
        d["intraDataCentreReplication"] = json!([]);
        d["interDataCentreReplication"] =
            json!([{"isPrimaryDataCentre": true}, {"isPrimaryDataCentre": true}]);
        d["pgBouncer"] = json!([{"pgBouncerVersion": "1.19.0", "poolMode": "SESSION"}, {"pgBouncerVersion": "1.20.0", "poolMode": "STATEMENT"}]);
        d["awsSettings"] = json!([{}, {}]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("twoFactorDelete", C::Count),
            ("resizeSettings", C::Count),
            ("dataCentres[0].intraDataCentreReplication", C::Count),
            ("dataCentres[0].interDataCentreReplication", C::Count),
            ("dataCentres[0].pgBouncer", C::Count),
            ("dataCentres[0].awsSettings", C::Count),
        ])
    );
    let v = create_with(|c| {
        c["dataCentres"][0]["intraDataCentreReplication"] =
            json!([{"replicationMode": "SYNCHRONOUS"}, {"replicationMode": "ASYNCHRONOUS"}]);
    });
    assert_eq!(
        v,
        pairs(&[("dataCentres[0].intraDataCentreReplication", C::Count)])
    );
    let two = json!({"dataCentres": [dc("dc_1", "10.1.0.0/16"), dc("dc_2", "10.2.0.0/16")]});
    assert_eq!(
        found(&update_cluster(&two)),
        pairs(&[("dataCentres", C::Count)])
    );
    assert_eq!(
        found(&update_cluster(&json!({"dataCentres": []}))),
        pairs(&[("dataCentres", C::Count)])
    );
}

#[test]
fn provider_settings_match_the_cloud_provider() {
    let v = create_with(|c| {
        let d = &mut c["dataCentres"][0];
        d["gcpSettings"] = json!([{"customVirtualNetworkId": "n"}]);
        d["azureSettings"] = json!([{"resourceGroup": "g"}]);
        d["awsSettings"] = json!([{"ebsEncryptionKey": "not-a-uuid", "customVirtualNetworkId": 5}]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("dataCentres[0].awsSettings[0].ebsEncryptionKey", C::Format),
            (
                "dataCentres[0].awsSettings[0].customVirtualNetworkId",
                C::Type
            ),
            ("dataCentres[0].gcpSettings", C::Conflict),
            ("dataCentres[0].azureSettings", C::Conflict),
        ])
    );
    for p in ["AZURE", "AZURE_AZ"] {
        let v = create_with(|c| {
            c["dataCentres"][0]["cloudProvider"] = json!(p);
            c["dataCentres"][0]["azureSettings"] = json!([{"resourceGroup": "g"}]);
            c["dataCentres"][0]["awsSettings"] = json!([]);
        });
        assert_eq!(v, [], "{p}");
    }
    let v = create_with(|c| {
        c["dataCentres"][0]["cloudProvider"] = json!("GCP");
        c["dataCentres"][0]["awsSettings"] = json!([{}]);
    });
    assert_eq!(v, pairs(&[("dataCentres[0].awsSettings", C::Conflict)]));
}

#[test]
fn tags() {
    let v = create_with(|c| {
        c["dataCentres"][0]["tags"] = json!([{"value": "v"}, {"key": "k"}, {"key": "", "value": "v"}, {"key": "a", "value": "1"}, {"key": "a", "value": "2"}]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("dataCentres[0].tags[0].key", C::Required),
            ("dataCentres[0].tags[1].value", C::Required),
            ("dataCentres[0].tags[2].key", C::Length),
            ("dataCentres[0].tags[4].key", C::Conflict),
        ])
    );
}

#[test]
fn two_factor_delete_and_resize_settings() {
    let v = create_with(|c| {
        c["twoFactorDelete"] = json!([{"confirmationPhoneNumber": "+61 412 345 678"}])
    });
    assert_eq!(
        v,
        pairs(&[("twoFactorDelete[0].confirmationEmail", C::Required)])
    );
    let v = create_with(|c| {
        c["twoFactorDelete"] =
            json!([{"confirmationEmail": "not-an-email", "confirmationPhoneNumber": "12-ab"}])
    });
    assert_eq!(
        v,
        pairs(&[
            ("twoFactorDelete[0].confirmationEmail", C::Format),
            ("twoFactorDelete[0].confirmationPhoneNumber", C::Format)
        ])
    );
    let v = create_with(|c| c["resizeSettings"] = json!([{"concurrency": 0}]));
    assert_eq!(v, pairs(&[("resizeSettings[0].concurrency", C::Range)]));
    let v = create_with(|c| c["resizeSettings"] = json!([{"concurrency": 1.5}]));
    assert_eq!(v, pairs(&[("resizeSettings[0].concurrency", C::Type)]));
    let u = json!({"dataCentres": [dc("dc_1", "10.1.0.0/16")], "twoFactorDelete": [{"confirmationEmail": "x"}], "resizeSettings": [{"concurrency": -2}]});
    assert_eq!(
        found(&update_cluster(&u)),
        pairs(&[
            ("twoFactorDelete[0].confirmationEmail", C::Format),
            ("resizeSettings[0].concurrency", C::Range)
        ])
    );
}

#[test]
fn networks() {
    let net = |n: &str| create_with(|c| c["dataCentres"][0]["network"] = json!(n));
    assert_eq!(net("192.168.0.0/18"), []);
    assert_eq!(net("172.16.0.0/12"), []);
    assert_eq!(
        net("10.1.0.0/23"),
        pairs(&[("dataCentres[0].network", C::Range)])
    );
    assert_eq!(
        net("10.0.0.0/11"),
        pairs(&[("dataCentres[0].network", C::Range)])
    );
    assert_eq!(
        net("100.64.0.0/16"),
        pairs(&[("dataCentres[0].network", C::Range)])
    );
    assert_eq!(
        net("10.1.0.5/16"),
        pairs(&[("dataCentres[0].network", C::Format)])
    );
    assert_eq!(
        net("10.1.0.0"),
        pairs(&[("dataCentres[0].network", C::Format)])
    );
    assert_eq!(
        net("10.1.0.0/16 "),
        pairs(&[("dataCentres[0].network", C::Format)])
    );
}

#[test]
fn cross_field_data_centres() {
    // duplicate names and overlapping networks
    let v = create_with(|c| c["dataCentres"] = two_dcs()["dataCentres"].clone());
    assert_eq!(v, []);
    let mut c = two_dcs();
    c["dataCentres"][1]["name"] = json!("dc_1");
    c["dataCentres"][1]["network"] = json!("10.1.128.0/17");
    assert_eq!(
        found(&create_cluster(&c)),
        pairs(&[
            ("dataCentres[1].name", C::Conflict),
            ("dataCentres[1].network", C::Conflict)
        ])
    );
    // no primary, two primaries
    let mut c = two_dcs();
    c["dataCentres"][0]["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": false}]);
    assert_eq!(
        found(&create_cluster(&c)),
        pairs(&[("dataCentres", C::Conflict)])
    );
    c["dataCentres"][0]
        .as_object_mut()
        .map(|m| m.remove("interDataCentreReplication"));
    c["dataCentres"][1]
        .as_object_mut()
        .map(|m| m.remove("interDataCentreReplication"));
    assert_eq!(
        found(&create_cluster(&c)),
        pairs(&[("dataCentres", C::Conflict)])
    );
    let mut c = two_dcs();
    c["dataCentres"][1]["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": true}]);
    assert_eq!(
        found(&create_cluster(&c)),
        pairs(&[(
            "dataCentres[1].interDataCentreReplication[0].isPrimaryDataCentre",
            C::Conflict
        )])
    );
    // one data centre: true or absent
    assert_eq!(
        create_with(|c| c["dataCentres"][0]["interDataCentreReplication"] =
            json!([{"isPrimaryDataCentre": false}])),
        pairs(&[(
            "dataCentres[0].interDataCentreReplication[0].isPrimaryDataCentre",
            C::Conflict
        )])
    );
    assert_eq!(
        create_with(|c| c["dataCentres"][0]["interDataCentreReplication"] = json!([{}])),
        pairs(&[(
            "dataCentres[0].interDataCentreReplication[0].isPrimaryDataCentre",
            C::Required
        )])
    );
    // ...but not checked on an update (it may describe the secondary)
    let mut d = dc("dc_2", "10.2.0.0/16");
    d["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": false}]);
    assert_eq!(found(&update_cluster(&json!({"dataCentres": [d]}))), []);
}

#[test]
fn production_refuses_developer_node_sizes() {
    let v = create_with(|c| c["slaTier"] = json!("PRODUCTION"));
    assert_eq!(v, pairs(&[("dataCentres[0].nodeSize", C::Conflict)]));
    let v = create_with(|c| {
        c["slaTier"] = json!("PRODUCTION");
        c["dataCentres"][0]["nodeSize"] = json!("PGS-PRD-r6g.large-100");
    });
    assert_eq!(v, []);
    let mut c = two_dcs();
    c["slaTier"] = json!("PRODUCTION");
    c["dataCentres"][1]["nodeSize"] = json!("PGS-PRD-n2.large-100");
    assert_eq!(
        found(&create_cluster(&c)),
        pairs(&[("dataCentres[0].nodeSize", C::Conflict)])
    );
    assert!(is_developer_node_size("pgs-dev-t4g.small-5"));
    assert!(!is_developer_node_size("PGS-PRD-DEVX"));
}

#[test]
fn many_problems_at_once() {
    let body = json!({
        "name": "x",
        "postgresqlVersion": "[x.y.z]",
        "privateNetworkCluster": "no",
        "slaTier": "GOLD",
        "dataCentres": [
            {"name": "dc", "cloudProvider": "AWS_VPC", "region": "US_EAST_1", "network": "10.0.0.0/16",
             "nodeSize": "n", "numberOfNodes": 9, "clientToClusterEncryption": true,
             "intraDataCentreReplication": {"replicationMode": "SYNCHRONOUS"}},
            {"name": "dc", "cloudProvider": "GCP", "region": "x", "network": "10.0.128.0/17",
             "nodeSize": "n", "numberOfNodes": 1, "clientToClusterEncryption": true,
             "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS"}], "awsSettings": [{}]}
        ]
    });
    let v = found(&create_cluster(&body));
    let want = pairs(&[
        ("name", C::Length),
        ("postgresqlVersion", C::Pattern),
        ("privateNetworkCluster", C::Type),
        ("synchronousModeStrict", C::Required),
        ("slaTier", C::Enum),
        ("dataCentres[0].numberOfNodes", C::Range),
        ("dataCentres[0].intraDataCentreReplication", C::Type),
        ("dataCentres[1].awsSettings", C::Conflict),
        ("dataCentres[1].name", C::Conflict),
        ("dataCentres[1].network", C::Conflict),
        ("dataCentres", C::Conflict),
    ]);
    assert_eq!(v, want);
}

#[test]
fn messages_are_lowercase_without_trailing_period() {
    let v = create_cluster(&json!({"name": "x", "dataCentres": [{"network": "1.2.3.4/5"}]}));
    assert!(!v.is_empty());
    for x in v {
        assert!(!x.message.ends_with('.'), "{x}");
        assert!(
            x.message.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{x}"
        );
    }
}

#[test]
fn restore_rules() {
    assert_eq!(
        restore_with(|r| r["clusterId"] = json!("nope")),
        pairs(&[("clusterId", C::Format)])
    );
    assert_eq!(
        restore_with(|r| r["clusterId"] = json!(7)),
        pairs(&[("clusterId", C::Type)])
    );
    assert_eq!(
        restore_with(|r| r["restoredClusterName"] = json!("a")),
        pairs(&[("restoredClusterName", C::Length)])
    );
    assert_eq!(
        restore_with(|r| r["restoredClusterName"] = json!("-abc")),
        pairs(&[("restoredClusterName", C::Pattern)])
    );
    assert_eq!(restore_with(|r| r["restoredClusterName"] = json!(null)), []);
    assert_eq!(restore_with(|r| r["pointInTime"] = json!(null)), []);
    assert_eq!(
        restore_with(|r| r["pointInTime"] = json!(1_420_070_400_000_u64)),
        []
    );
    assert_eq!(
        restore_with(|r| r["pointInTime"] = json!("1420070400000")),
        []
    );
    assert_eq!(
        restore_with(|r| r["pointInTime"] = json!(1_420_070_400)),
        pairs(&[("pointInTime", C::Format)])
    );
    assert_eq!(
        restore_with(|r| r["pointInTime"] = json!("2015-02-30T00:00:00Z")),
        pairs(&[("pointInTime", C::Format)])
    );
    assert_eq!(
        restore_with(|r| r["pointInTime"] = json!("2099-01-01T00:00:00Z")),
        pairs(&[("pointInTime", C::Range)])
    );
    assert_eq!(
        restore_with(|r| r["pointInTime"] = json!(true)),
        pairs(&[("pointInTime", C::Type)])
    );
    assert_eq!(
        restore_with(|r| r["cdcConfigs"] = json!({})),
        pairs(&[("cdcConfigs", C::Type)])
    );
}

#[test]
fn restore_cdc_configs() {
    let v = restore_with(|r| {
        r["cdcConfigs"] = json!([{}, 5, {"cdcId": "x", "restoreMode": "OTHER_VPC"}])
    });
    assert_eq!(
        v,
        pairs(&[
            ("cdcConfigs[0].cdcId", C::Required),
            ("cdcConfigs[0].restoreMode", C::Required),
            ("cdcConfigs[1]", C::Type),
            ("cdcConfigs[2].cdcId", C::Format),
            ("cdcConfigs[2].restoreMode", C::Enum),
        ])
    );
    let v =
        restore_with(|r| r["cdcConfigs"] = json!([{"cdcId": ID2, "restoreMode": "CUSTOM_VPC"}]));
    assert_eq!(
        v,
        pairs(&[("cdcConfigs[0].customVpcSettings", C::Required)])
    );
    let v = restore_with(|r| {
        r["cdcConfigs"] = json!([{"cdcId": ID2, "restoreMode": "SAME_VPC", "customVpcSettings": {"vpcId": "vpc-1", "network": "10.0.0.0/16"}}]);
    });
    assert_eq!(
        v,
        pairs(&[("cdcConfigs[0].customVpcSettings", C::Conflict)])
    );
    let v = restore_with(|r| {
        r["cdcConfigs"] = json!([
            {"cdcId": ID2, "restoreMode": "CUSTOM_VPC", "customVpcSettings": {"vpcId": "", "network": "10.0.0.1/16"}},
            {"cdcId": ID2.to_uppercase(), "restoreMode": "CUSTOM_VPC", "customVpcSettings": {}},
            {"cdcId": ID, "restoreMode": "CUSTOM_VPC", "customVpcSettings": "vpc-1"}
        ]);
    });
    assert_eq!(
        v,
        pairs(&[
            ("cdcConfigs[0].customVpcSettings.vpcId", C::Length),
            ("cdcConfigs[0].customVpcSettings.network", C::Format),
            ("cdcConfigs[1].cdcId", C::Conflict),
            ("cdcConfigs[1].customVpcSettings.vpcId", C::Required),
            ("cdcConfigs[1].customVpcSettings.network", C::Required),
            ("cdcConfigs[2].customVpcSettings", C::Type),
        ])
    );
    let v = restore_with(|r| {
        r["cdcConfigs"] = json!([{"cdcId": ID2, "restoreMode": "CUSTOM_VPC", "customVpcSettings": {"vpcId": "vpc-1", "network": "203.0.113.0/24"}}]);
    });
    assert_eq!(v, []);
}

#[test]
fn cluster_ids() {
    assert!(cluster_id(ID, "clusterId").is_empty());
    assert!(cluster_id(&ID.to_uppercase(), "clusterId").is_empty());
    for bad in [
        "",
        "x",
        "c0e5e2ff-affe-444c-bdca-707c7b48aaa",
        "c0e5e2ffaaffe-444c-bdca-707c7b48aaad",
        "../../etc",
    ] {
        assert_eq!(
            found(&cluster_id(bad, "path.id")),
            pairs(&[("path.id", C::Format)]),
            "{bad:?}"
        );
    }
}

fn current() -> PostgresqlCluster {
    let mut c = two_dcs();
    c["dataCentres"][0]["pgBouncer"] =
        json!([{"pgBouncerVersion": "1.19.0", "poolMode": "TRANSACTION"}]);
    c["dataCentres"][0]["tags"] = json!([{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]);
    c["dataCentres"][0]["awsSettings"] = json!([{"customVirtualNetworkId": "vpc-computed"}]);
    c["dataCentres"][0]["id"] = json!(ID2);
    c["dataCentres"][0]["nodes"] = json!([{"id": "n1"}]);
    c["id"] = json!(ID);
    c["defaultUserPassword"] = json!("s3cret-pw");
    serde_json::from_value(c).unwrap_or_else(|e| panic!("current cluster: {e}"))
}

fn desired_dc0() -> Value {
    let mut d = dc("dc_1", "10.1.0.0/16");
    d["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": true}]);
    d["pgBouncer"] = json!([{"pgBouncerVersion": "1.19.0", "poolMode": "TRANSACTION"}]);
    d
}

fn diff_with(edit: impl FnOnce(&mut Value)) -> Vec<(String, C)> {
    let mut d = desired_dc0();
    edit(&mut d);
    found(&diff_cluster_update(
        &current(),
        &json!({"dataCentres": [d]}),
    ))
}

#[test]
fn diff_allows_node_size_and_ignores_read_only() {
    assert_eq!(diff_with(|_| {}), []);
    assert_eq!(
        diff_with(|d| {
            d["nodeSize"] = json!("PGS-PRD-r6g.large-100");
            d["status"] = json!("RUNNING");
            d["nodes"] = json!([]);
            d["id"] = json!("other");
            d["tags"] = json!([{"key": "b", "value": "2"}, {"key": "a", "value": "1"}]);
            d["awsSettings"] = json!([]);
            d["numberOfNodes"] = json!(2.0);
        }),
        []
    );
    assert_eq!(
        diff_with(|d| d["awsSettings"] = json!([{"customVirtualNetworkId": "vpc-computed"}])),
        []
    );
    assert_eq!(
        diff_with(|d| d["awsSettings"] = json!([{"customVirtualNetworkId": null}])),
        []
    );
}

#[test]
fn diff_flags_unchangeable_fields() {
    let v = diff_with(|d| {
        d["cloudProvider"] = json!("GCP");
        d["region"] = json!("US_WEST_2");
        d["network"] = json!("10.3.0.0/16");
        d["numberOfNodes"] = json!(3);
        d["clientToClusterEncryption"] = json!(false);
        d["intraDataCentreReplication"] = json!([{"replicationMode": "ASYNCHRONOUS"}]);
        d["interDataCentreReplication"] = json!([{"isPrimaryDataCentre": false}]);
        d["pgBouncer"] = json!([{"pgBouncerVersion": "1.20.0", "poolMode": "TRANSACTION"}]);
        d["awsSettings"] = json!([{"customVirtualNetworkId": "vpc-other"}]);
        d["gcpSettings"] = json!([{"customVirtualNetworkId": "n"}]);
        d["tags"] = json!([{"key": "a", "value": "1"}]);
        d["providerAccountName"] = json!("MINE");
    });
    let p = |f: &str| (format!("dataCentres[0].{f}"), C::Conflict);
    assert_eq!(
        v,
        vec![
            p("cloudProvider"),
            p("region"),
            p("network"),
            p("numberOfNodes"),
            p("clientToClusterEncryption"),
            p("intraDataCentreReplication"),
            p("interDataCentreReplication"),
            p("pgBouncer"),
            p("awsSettings"),
            p("gcpSettings"),
            p("tags"),
            p("providerAccountName"),
        ]
    );
    // removing pgBouncer is a change
    let v = diff_with(|d| {
        d.as_object_mut().map(|m| m.remove("pgBouncer"));
    });
    assert_eq!(v, vec![p("pgBouncer")]);
}

#[test]
fn diff_matches_data_centres_by_name_then_position() {
    // the second data centre, by name: it is GCP with 10.2.0.0/16
    let mut d = dc("dc_2", "10.2.0.0/16");
    d["cloudProvider"] = json!("GCP");
    assert_eq!(
        found(&diff_cluster_update(
            &current(),
            &json!({"dataCentres": [d]})
        )),
        []
    );
    // an unknown name: compared with the first, and the name itself differs
    let v = diff_with(|d| d["name"] = json!("renamed"));
    assert_eq!(v, pairs(&[("dataCentres[0].name", C::Conflict)]));
}

#[test]
fn diff_compares_cluster_level_fields_of_a_whole_body() {
    let mut whole = two_dcs();
    whole["dataCentres"][0]["pgBouncer"] =
        json!([{"pgBouncerVersion": "1.19.0", "poolMode": "TRANSACTION"}]);
    assert_eq!(found(&diff_cluster_update(&current(), &whole)), []);
    whole["name"] = json!("other");
    whole["postgresqlVersion"] = json!("16.0.0");
    whole["slaTier"] = json!("PRODUCTION");
    whole["privateNetworkCluster"] = json!(true);
    whole["synchronousModeStrict"] = json!(true);
    let v = diff_cluster_update(&current(), &whole);
    assert_eq!(
        found(&v),
        pairs(&[
            ("name", C::Conflict),
            ("postgresqlVersion", C::Conflict),
            ("slaTier", C::Conflict),
            ("privateNetworkCluster", C::Conflict),
            ("synchronousModeStrict", C::Conflict),
        ])
    );
    for x in &v {
        assert!(!x.message.contains("s3cret"), "{x}");
    }
}

#[test]
fn diff_of_malformed_bodies_is_empty() {
    for body in [
        json!(null),
        json!([]),
        json!({"dataCentres": "x"}),
        json!({"dataCentres": [1, null]}),
    ] {
        assert_eq!(found(&diff_cluster_update(&current(), &body)), [], "{body}");
    }
    let mut empty = current();
    empty.data_centres.clear();
    assert_eq!(
        found(&diff_cluster_update(
            &empty,
            &json!({"dataCentres": [desired_dc0()]})
        )),
        []
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2000)
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,24}".prop_map(Value::String),
            "[0-9]{1,20}".prop_map(Value::String),
            prop_oneof![
                Just("dataCentres"),
                Just("name"),
                Just("network"),
                Just("interDataCentreReplication"),
                Just("10.1.0.0/16"),
                Just("CUSTOM_VPC"),
                Just("AWS_VPC"),
                Just("2023-11-05T13:15:30Z")
            ]
            .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop_oneof![
                            Just("dataCentres".to_owned()),
                            Just("name".to_owned()),
                            Just("network".to_owned()),
                            Just("cdcConfigs".to_owned()),
                            Just("restoreMode".to_owned()),
                            Just("customVpcSettings".to_owned()),
                            Just("interDataCentreReplication".to_owned()),
                            Just("isPrimaryDataCentre".to_owned()),
                            Just("pointInTime".to_owned()),
                            Just("tags".to_owned()),
                            "[a-zA-Z]{1,12}"
                        ],
                        inner
                    ),
                    0..6
                )
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// A valid body with the value at one (dotted) path replaced by a random value.
    fn mutate(mut body: Value, path: &[&str], v: Value) -> Value {
        let mut at = &mut body;
        for seg in path {
            at = match seg.parse::<usize>() {
                Ok(i) => match at.get_mut(i) {
                    Some(x) => x,
                    None => return body,
                },
                Err(_) => match at.get_mut(*seg) {
                    Some(x) => x,
                    None => return body,
                },
            };
        }
        *at = v;
        body
    }

    const PATHS: &[&[&str]] = &[
        &["name"],
        &["postgresqlVersion"],
        &["slaTier"],
        &["dataCentres"],
        &["dataCentres", "0"],
        &["dataCentres", "1", "network"],
        &["dataCentres", "0", "numberOfNodes"],
        &["dataCentres", "1", "interDataCentreReplication"],
        &["dataCentres", "0", "interDataCentreReplication", "0"],
        &["dataCentres", "1", "gcpSettings"],
        &["dataCentres", "0", "cloudProvider"],
        &[
            "dataCentres",
            "0",
            "intraDataCentreReplication",
            "0",
            "replicationMode",
        ],
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn random_json_never_panics(v in any_json(), now in any::<f64>()) {
            let _ = create_cluster(&v);
            let _ = update_cluster(&v);
            let _ = restore_cluster(&v, now);
            let _ = point_in_time(&v, now);
            let _ = diff_cluster_update(&current(), &v);
        }

        #[test]
        fn random_strings_never_panic(s in ".{0,64}", now in any::<f64>()) {
            let v = Value::String(s.clone());
            let _ = point_in_time(&v, now);
            let _ = point_in_time(&v, NOW);
            let _ = cluster_id(&s, "clusterId");
            let _ = parse_cidr(&s);
            let _ = is_valid_email(&s);
            let _ = is_valid_phone(&s);
            let _ = is_valid_name(&s);
            let _ = is_valid_version(&s);
            let _ = format_iso_millis(now);
        }

        #[test]
        fn date_like_strings_never_panic(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{0,10})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?") {
            let _ = point_in_time(&Value::String(s), NOW);
        }

        #[test]
        fn mutated_valid_bodies_never_panic(i in 0..PATHS.len(), v in any_json()) {
            let path = PATHS.get(i).copied().unwrap_or(&[]);
            let body = mutate(two_dcs(), path, v.clone());
            let _ = create_cluster(&body);
            let _ = update_cluster(&body);
            let _ = diff_cluster_update(&current(), &body);
            let r = mutate(restore(), &["cdcConfigs", "0", "customVpcSettings"], v);
            let _ = restore_cluster(&r, NOW);
        }
    }
}

#[test]
fn violation_code_names_are_their_serialized_form() {
    for c in [
        C::Required,
        C::Type,
        C::Length,
        C::Pattern,
        C::Range,
        C::Enum,
        C::Count,
        C::Format,
        C::Conflict,
    ] {
        assert_eq!(
            serde_json::to_value(c).unwrap(),
            serde_json::Value::from(c.as_str())
        );
    }
}
