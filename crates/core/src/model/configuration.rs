//! PostgreSQL configuration properties of a cluster (`PostgresqlConfigurationPropertyV2`,
//! `PostgresqlConfigurationPropertiesV2`).

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

/// One configuration property set on a cluster: a PostgreSQL parameter and its value. Its `id`
/// is `<clusterId>|<name>`. Nodes apply it when they are reloaded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationProperty {
    /// `<clusterId>|<name>` (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// ID of the cluster (required, as in the API document).
    pub cluster_id: String,
    /// Name of the parameter (`work_mem`; required).
    pub name: String,
    /// Value, as PostgreSQL reads it (`16MB`; required).
    pub value: String,
}

/// The configuration properties of a cluster.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct ConfigurationProperties {
    /// ID of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    /// The properties set (empty when the server sends none or null).
    #[serde(default, deserialize_with = "super::lenient::null_as_default")]
    pub configuration_properties: Vec<ConfigurationProperty>,
}
