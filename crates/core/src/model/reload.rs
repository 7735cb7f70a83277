//! Node reloads (`PostgresqlReloadOperationV2`, `PostgresqlReloadOperationsV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::ReloadStatus;

/// A reload of one node: the node's server re-reads its configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ReloadOperation {
    /// ID of the reload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// ID of the node reloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// Status: `GENESIS` until done, then `COMPLETED` (or `FAILED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReloadStatus>,
    /// Message of the reload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// When it was asked for (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<String>,
    /// When its status last changed (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_modified: Option<String>,
}

/// The latest reload of each node of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ReloadOperations {
    /// ID of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// One reload per node that has been reloaded.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub reload_operations: Vec<ReloadOperation>,
}
