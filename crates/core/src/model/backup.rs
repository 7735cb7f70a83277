//! Backup events of a cluster (`CommonClusterBackupEventsV2` and its nested types).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::BackupEventState;

/// Backup and restore events of every node of a cluster, for the last 7 days.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ClusterBackupEvents {
    /// Cluster ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Cluster name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Data centres with their nodes' events (empty when the server sends none or null).
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub cluster_data_centres: Vec<BackupDataCentre>,
}

/// A data centre's backup events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct BackupDataCentre {
    /// Data centre ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Data centre name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Nodes with their events.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub nodes: Vec<BackupNode>,
}

/// A node's backup events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct BackupNode {
    /// Node ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Private IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_address: Option<String>,
    /// Public IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_address: Option<String>,
    /// Events, oldest first as sent.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub events: Vec<BackupEvent>,
}

/// One backup event of a node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BackupEvent {
    /// Start, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub start: Option<f64>,
    /// End, epoch milliseconds (absent or null while running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub end: Option<f64>,
    /// Progress, 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub progress: Option<f64>,
    /// State.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub state: Option<BackupEventState>,
    /// Event type, e.g. `postgresql-backup`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub event_type: Option<String>,
}
