//! A cluster's general settings (`ClusterSettingsUpdateV2`): what `change-settings` changes.

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::cluster::TwoFactorDeleteSettings;

/// The settings of a cluster that are not PostgreSQL's: its description and the contacts asked
/// to confirm a delete. The request and the answer have this shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ClusterSettings {
    /// Free-text description of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who confirms a delete (one object here, a one-item list in a cluster).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_delete: Option<TwoFactorDeleteSettings>,
}
