//! Resize operations of a data centre (`ResizeOperationInfosV2`, `ResizeOperationInfoV2`,
//! `ReplaceOperationInfoV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::{ReplaceStatus, ResizeStatus};

/// The resize operations of a data centre.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ResizeOperations {
    /// The operations, as sent (empty when the server sends none or null).
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub operations: Vec<ResizeOperation>,
}

/// One resize of a data centre's nodes, node by node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ResizeOperation {
    /// ID of the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Status of the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ResizeStatus>,
    /// The node size resized to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_node_size: Option<String>,
    /// Purpose of the nodes resized (`POSTGRESQL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_purpose: Option<String>,
    /// How many nodes are resized at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_resizes: Option<u32>,
    /// When it was created (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// When it completed (ISO 8601; absent while it runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<String>,
    /// When Instaclustr's support was alerted (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instaclustr_support_alerted: Option<String>,
    /// The replacement of each node.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub replace_operations: Vec<ReplaceOperation>,
}

/// The replacement of one node by a node of the new size.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceOperation {
    /// ID of the replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// ID of the node replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// ID of the new node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_node_id: Option<String>,
    /// Status of the replacement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReplaceStatus>,
    /// When it was created (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}
