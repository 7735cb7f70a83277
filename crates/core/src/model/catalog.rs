//! The catalogue: versions and node sizes (`ApplicationVersionsListV2`, `CloudProviderNodeSizesListV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::CloudProvider;

/// A group of applications with their versions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationVersionsList {
    /// Applications and their versions.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub application_versions: Vec<ApplicationVersions>,
}

/// The versions of one application.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationVersions {
    /// Application, e.g. `POSTGRESQL` or `PGBOUNCER`.
    #[serde(default)]
    pub application: String,
    /// Versions, `x.y.z`.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub versions: Vec<String>,
}

/// A group of node sizes per provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct CloudProviderNodeSizesList {
    /// Node sizes per provider.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub cloud_provider_node_sizes: Vec<CloudProviderNodeSizes>,
}

/// The node sizes of one provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct CloudProviderNodeSizes {
    /// Provider.
    pub cloud_provider: CloudProvider,
    /// Node sizes.
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub node_sizes: Vec<String>,
    /// Link to the provider's documentation of the sizes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}
