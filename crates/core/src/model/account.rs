//! The account cluster list (`AccountClustersV2`, `ClusterSummaryV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::ClusterApplication;

/// The clusters of one account.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct AccountClusters {
    /// Account ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Its clusters.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub clusters: Vec<ClusterSummary>,
}

/// One cluster of the account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ClusterSummary {
    /// Application of the cluster.
    pub application: ClusterApplication,
    /// Cluster ID.
    pub id: String,
}
