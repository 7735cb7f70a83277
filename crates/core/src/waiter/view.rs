//! What a waiter judges of an observation: a small view of a cluster (its status, operation
//! status and nodes) or of backup events (per node, the start, state and progress of each
//! event). The native client makes it from its typed model; the wasm client, which lets
//! `JSON.parse` build the value it returns, reads the same few fields from that value (after the
//! shape check), so the typed decode of the big models stays out of the wasm. `from_json` is that
//! reading, over any [`Parsed`] value; the tests below prove it gives the view of the typed model
//! for the same body (unknown fields, `null`s, escapes, open enumeration values).

use serde_json::Value;

use super::NodeProgress;
use crate::model::{ClusterBackupEvents, PostgresqlCluster};

/// What a cluster waiter needs of a cluster.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClusterView {
    /// `status` (the wire value).
    pub status: Option<String>,
    /// `currentClusterOperationStatus` (the wire value).
    pub operation_status: Option<String>,
    /// Every node of every data centre, in order (`progress` is `None`).
    pub nodes: Vec<NodeProgress>,
}

/// One backup event as a waiter judges it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventView {
    /// Start, epoch milliseconds.
    pub start: Option<f64>,
    /// State (the wire value).
    pub state: Option<String>,
    /// Progress, 0..1 as sent.
    pub progress: Option<f64>,
}

/// A node's backup events.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackupNodeView {
    /// Node ID.
    pub id: Option<String>,
    /// Name of its data centre (`""` when the server sends none).
    pub data_centre: String,
    /// Its events, in the order sent.
    pub events: Vec<EventView>,
}

/// What a backup waiter needs of a cluster's backup events: every node, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackupView {
    /// The nodes of every data centre.
    pub nodes: Vec<BackupNodeView>,
}

impl From<&PostgresqlCluster> for ClusterView {
    fn from(c: &PostgresqlCluster) -> Self {
        let nodes = c
            .data_centres
            .iter()
            .flat_map(|dc| {
                dc.nodes.iter().flatten().map(move |n| NodeProgress {
                    id: n.id.clone(),
                    data_centre: dc.name.clone(),
                    status: n.status.as_ref().map(|s| s.as_str().to_owned()),
                    progress: None,
                })
            })
            .collect();
        Self {
            status: c.status.as_ref().map(|s| s.as_str().to_owned()),
            operation_status: c
                .current_cluster_operation_status
                .as_ref()
                .map(|s| s.as_str().to_owned()),
            nodes,
        }
    }
}

impl From<&ClusterBackupEvents> for BackupView {
    fn from(events: &ClusterBackupEvents) -> Self {
        let nodes = events
            .cluster_data_centres
            .iter()
            .flat_map(|dc| {
                dc.nodes.iter().map(move |n| BackupNodeView {
                    id: n.id.clone(),
                    data_centre: dc.name.clone().unwrap_or_default(),
                    events: n
                        .events
                        .iter()
                        .map(|e| EventView {
                            start: e.start,
                            state: e.state.as_ref().map(|s| s.as_str().to_owned()),
                            progress: e.progress,
                        })
                        .collect(),
                })
            })
            .collect();
        Self { nodes }
    }
}

/// A parsed JSON value the views are read from: serde_json's `Value` natively (the tests), the
/// value `JSON.parse` built in the wasm crate. One reading of the fields serves both, so the tests
/// below, which hold it against the view of the typed model, cover what the wasm client runs.
pub trait Parsed: Sized {
    /// The string at `key` of an object (`None` when absent, `null` or not a string).
    fn text(&self, key: &str) -> Option<String>;
    /// The number at `key` of an object (`None` when absent, `null` or not a number).
    fn number(&self, key: &str) -> Option<f64>;
    /// The items of the list at `key` (none when absent, `null` or not a list).
    fn items(&self, key: &str) -> Vec<Self>;
}

impl Parsed for Value {
    fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_owned)
    }
    fn number(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }
    fn items(&self, key: &str) -> Vec<Self> {
        self.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }
}

impl ClusterView {
    /// The view of a cluster body that the shape check of `PostgresqlCluster` accepted (on other
    /// JSON, what can be read: a field of the wrong type counts as absent).
    pub fn from_json<V: Parsed>(c: &V) -> Self {
        let mut nodes = Vec::new();
        for dc in c.items("dataCentres") {
            let name = dc.text("name").unwrap_or_default();
            for n in dc.items("nodes") {
                nodes.push(NodeProgress {
                    id: n.text("id"),
                    data_centre: name.clone(),
                    status: n.text("status"),
                    progress: None,
                });
            }
        }
        Self {
            status: c.text("status"),
            operation_status: c.text("currentClusterOperationStatus"),
            nodes,
        }
    }
}

impl BackupView {
    /// The view of a body that the shape check of `ClusterBackupEvents` accepted (on other JSON,
    /// what can be read: a field of the wrong type counts as absent).
    pub fn from_json<V: Parsed>(events: &V) -> Self {
        let mut nodes = Vec::new();
        for dc in events.items("clusterDataCentres") {
            let name = dc.text("name").unwrap_or_default();
            for n in dc.items("nodes") {
                let events = n
                    .items("events")
                    .iter()
                    .map(|e| EventView {
                        start: e.number("start"),
                        state: e.text("state"),
                        progress: e.number("progress"),
                    })
                    .collect();
                nodes.push(BackupNodeView {
                    id: n.text("id"),
                    data_centre: name.clone(),
                    events,
                });
            }
        }
        Self { nodes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cluster() -> Value {
        json!({
            "id": "c1", "name": "my-cluster", "postgresqlVersion": "16.2.0",
            "privateNetworkCluster": false, "slaTier": "NON_PRODUCTION",
            "synchronousModeStrict": false, "status": "PROVISIONING",
            "currentClusterOperationStatus": "SOME_NEW_STATUS", "futureField": {"x": 1},
            "dataCentres": [
                {"name": "dc_1", "cloudProvider": "AWS_VPC", "region": "US_EAST_1",
                 "network": "10.1.0.0/16", "nodeSize": "s", "numberOfNodes": 2,
                 "clientToClusterEncryption": true,
                 "intraDataCentreReplication": [{"replicationMode": "SYNCHRONOUS"}],
                 "nodes": [{"id": "n1", "status": "RUNNING", "extra": true},
                           {"id": null, "status": null}, {}]},
                {"name": "dc_\u{e9}\"2", "cloudProvider": "GCP", "region": "r", "network": "n",
                 "nodeSize": "s", "numberOfNodes": 1, "clientToClusterEncryption": false,
                 "intraDataCentreReplication": [], "nodes": null},
                {"name": "dc_3", "cloudProvider": "GCP", "region": "r", "network": "n",
                 "nodeSize": "s", "numberOfNodes": 1, "clientToClusterEncryption": false,
                 "intraDataCentreReplication": [], "nodes": [{"id": "n9", "status": "NEW"}]}
            ]
        })
    }

    #[test]
    fn cluster_view_from_json_equals_the_view_from_the_typed_model() {
        let mut bodies = vec![cluster()];
        let mut bare = cluster();
        bare["status"] = Value::Null;
        bare.as_object_mut()
            .unwrap()
            .remove("currentClusterOperationStatus");
        bare["dataCentres"] = json!([]);
        bodies.push(bare);
        for body in bodies {
            let typed: PostgresqlCluster = serde_json::from_value(body.clone()).unwrap();
            let view = ClusterView::from_json(&body);
            assert_eq!(view, ClusterView::from(&typed), "{body}");
        }
        let view = ClusterView::from_json(&cluster());
        assert_eq!(view.status.as_deref(), Some("PROVISIONING"));
        assert_eq!(view.operation_status.as_deref(), Some("SOME_NEW_STATUS"));
        let ids: Vec<_> = view.nodes.iter().map(|n| n.id.as_deref()).collect();
        assert_eq!(ids, [Some("n1"), None, None, Some("n9")]);
        assert_eq!(view.nodes[3].data_centre, "dc_3");
    }

    fn backups() -> Value {
        json!({
            "id": "c1", "unknown": [1, 2],
            "clusterDataCentres": [
                {"name": "dc", "nodes": [
                    {"id": "a", "events": [
                        {"start": 1, "state": "COMPLETED", "progress": 1.0, "end": 2},
                        {"start": 5.5, "state": "ACTIVE", "progress": 0.25, "end": null, "type": "t"}]},
                    {"id": null, "events": null},
                    {"events": [{"start": null, "state": null, "progress": null}, {}]}
                ]},
                {"nodes": [{"id": "b", "events": [{"start": 18446744073709551615u64, "state": "NEW"}]}]},
                {"name": "empty", "nodes": null},
                {"name": null}
            ]
        })
    }

    #[test]
    fn backup_view_from_json_equals_the_view_from_the_typed_model() {
        for body in [backups(), json!({}), json!({"clusterDataCentres": null})] {
            let typed: ClusterBackupEvents = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(
                BackupView::from_json(&body),
                BackupView::from(&typed),
                "{body}"
            );
        }
        let view = BackupView::from_json(&backups());
        assert_eq!(view.nodes.len(), 4);
        assert_eq!(view.nodes[0].events[1].progress, Some(0.25));
        assert_eq!(view.nodes[3].data_centre, "");
        assert_eq!(view.nodes[3].events[0].state.as_deref(), Some("NEW"));
    }
}
