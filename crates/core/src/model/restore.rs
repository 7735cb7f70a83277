//! Point-in-time restore (`ClusterRestoreV2`, `ClusterDataCentreRestoreConfigV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::RestoreMode;

/// A restore request, and the server's answer to it (which adds `restoredClusterId`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRestore {
    /// ID (UUID) of the cluster to restore.
    pub cluster_id: String,
    /// Per data centre placement of the restored cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cdc_configs: Option<Vec<DataCentreRestoreConfig>>,
    /// The instant to restore to. Requests carry an ISO 8601 UTC string; responses may carry
    /// epoch milliseconds as a number or a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_in_time: Option<PointInTimeValue>,
    /// Name of the restored cluster (3..48, name pattern).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_cluster_name: Option<String>,
    /// ID of the restored cluster (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_cluster_id: Option<String>,
}

/// `pointInTime` as it travels: a string (ISO 8601 or digits) or a number of milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum PointInTimeValue {
    /// Epoch milliseconds as a number.
    Millis(f64),
    /// An ISO 8601 date-time or a digit string.
    Text(String),
}

/// Placement of one data centre of the restored cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct DataCentreRestoreConfig {
    /// ID (UUID) of the original cluster data centre.
    pub cdc_id: String,
    /// Where to place it.
    pub restore_mode: RestoreMode,
    /// The VPC to use; required exactly when `restoreMode` is `CUSTOM_VPC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_vpc_settings: Option<CustomVpcSettings>,
}

/// A custom VPC for a restored data centre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CustomVpcSettings {
    /// VPC ID.
    pub vpc_id: String,
    /// Network of the VPC, CIDR.
    pub network: String,
}
