//! A PostgreSQL cluster: `PostgresqlClusterV2`, its data centres, nodes and settings, and the
//! update body `PostgresqlClusterUpdateV2`.

use serde::{Deserialize, Serialize};

use crate::shape::Shape;

use super::enums::{
    CloudProvider, ClusterStatus, NodeRole, OperationStatus, PoolMode, ReplicationMode, SlaTier,
};
use super::secret::Secret;

/// A PostgreSQL cluster as created (request) and as described by the server (response).
/// Read-only fields (`id`, `status`, `defaultUserPassword`, ...) are parsed, never required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct PostgresqlCluster {
    /// Cluster ID (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Cluster name: 3..48 characters, `[a-zA-Z0-9][a-zA-Z0-9_-]*`.
    pub name: String,
    /// PostgreSQL version, `x.y.z`.
    pub postgresql_version: String,
    /// One or two data centres.
    pub data_centres: Vec<PostgresqlDataCentre>,
    /// Private network only.
    pub private_network_cluster: bool,
    /// SLA tier.
    pub sla_tier: SlaTier,
    /// Strict synchronous replication mode.
    pub synchronous_mode_strict: bool,
    /// Two-factor delete settings (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_delete: Option<Vec<TwoFactorDeleteSettings>>,
    /// Resize settings (at most one, write-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resize_settings: Option<Vec<ResizeSettings>>,
    /// Cluster status (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ClusterStatus>,
    /// Whether an operation is in progress (read-only in practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_cluster_operation_status: Option<OperationStatus>,
    /// Password of the default `icpostgresql` user (read-only, secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_user_password: Option<Secret>,
    /// PCI compliance mode (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pci_compliance_mode: Option<bool>,
    /// Free-text description of the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl PostgresqlCluster {
    /// A cluster with its required values; optional ones are public fields.
    pub fn new(
        name: impl Into<String>,
        postgresql_version: impl Into<String>,
        data_centres: Vec<PostgresqlDataCentre>,
        sla_tier: SlaTier,
    ) -> Self {
        Self {
            id: None,
            name: name.into(),
            postgresql_version: postgresql_version.into(),
            data_centres,
            private_network_cluster: false,
            sla_tier,
            synchronous_mode_strict: false,
            two_factor_delete: None,
            resize_settings: None,
            status: None,
            current_cluster_operation_status: None,
            default_user_password: None,
            pci_compliance_mode: None,
            description: None,
        }
    }
}

/// A data centre of a PostgreSQL cluster (`PostgresqlDataCentreV2`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct PostgresqlDataCentre {
    /// Data centre ID (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Data centre name, unique in the cluster.
    pub name: String,
    /// Cloud provider.
    pub cloud_provider: CloudProvider,
    /// Provider region, e.g. `US_EAST_1`.
    pub region: String,
    /// Private IPv4 network in CIDR notation, prefix /12 to /22.
    pub network: String,
    /// Node size, e.g. `PGS-DEV-t4g.small-5`.
    pub node_size: String,
    /// Number of nodes, 1..5.
    pub number_of_nodes: u32,
    /// Client-to-cluster encryption.
    pub client_to_cluster_encryption: bool,
    /// Replication inside the data centre (exactly one item).
    pub intra_data_centre_replication: Vec<IntraDataCentreReplication>,
    /// Replication between data centres (at most one item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inter_data_centre_replication: Option<Vec<InterDataCentreReplication>>,
    /// PgBouncer add-on (at most one item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pg_bouncer: Option<Vec<PgBouncerDetails>>,
    /// AWS settings (at most one item, only with `AWS_VPC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aws_settings: Option<Vec<ProviderAwsSettings>>,
    /// GCP settings (at most one item, only with `GCP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcp_settings: Option<Vec<ProviderGcpSettings>>,
    /// Azure settings (at most one item, only with `AZURE`/`AZURE_AZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_settings: Option<Vec<ProviderAzureSettings>>,
    /// Provider tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<ProviderTag>>,
    /// Provider account to run in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_account_name: Option<String>,
    /// Data centre status (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ClusterStatus>,
    /// Nodes (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<NodeDetails>>,
    /// Deleted nodes (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_nodes: Option<Vec<NodeDetails>>,
}

impl PostgresqlDataCentre {
    /// A data centre with its required values and one intra-DC replication setting.
    pub fn new(
        name: impl Into<String>,
        cloud_provider: CloudProvider,
        region: impl Into<String>,
        network: impl Into<String>,
        node_size: impl Into<String>,
        number_of_nodes: u32,
        replication_mode: ReplicationMode,
    ) -> Self {
        Self {
            id: None,
            name: name.into(),
            cloud_provider,
            region: region.into(),
            network: network.into(),
            node_size: node_size.into(),
            number_of_nodes,
            client_to_cluster_encryption: false,
            intra_data_centre_replication: vec![IntraDataCentreReplication { replication_mode }],
            inter_data_centre_replication: None,
            pg_bouncer: None,
            aws_settings: None,
            gcp_settings: None,
            azure_settings: None,
            tags: None,
            provider_account_name: None,
            status: None,
            nodes: None,
            deleted_nodes: None,
        }
    }
}

/// A node of a data centre (`NodeDetailsV2`, all read-only).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NodeDetails {
    /// Node ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub id: Option<String>,
    /// Rack (availability zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub rack: Option<String>,
    /// Node size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub node_size: Option<String>,
    /// Private IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub private_address: Option<String>,
    /// Public IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub public_address: Option<String>,
    /// Start time, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub start_time: Option<String>,
    /// Deletion time, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub deletion_time: Option<String>,
    /// Node status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub status: Option<ClusterStatus>,
    /// Roles of the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional))]
    pub node_roles: Option<Vec<NodeRole>>,
}

/// Replication inside a data centre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct IntraDataCentreReplication {
    /// Replication mode.
    pub replication_mode: ReplicationMode,
}

/// Replication between data centres.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct InterDataCentreReplication {
    /// Whether this data centre is the primary.
    pub is_primary_data_centre: bool,
}

/// PgBouncer add-on settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct PgBouncerDetails {
    /// PgBouncer version, `x.y.z`.
    pub pg_bouncer_version: String,
    /// Pool mode.
    pub pool_mode: PoolMode,
}

/// AWS-specific settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProviderAwsSettings {
    /// KMS key ID (UUID) for EBS encryption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "string | undefined"))]
    pub ebs_encryption_key: Option<String>,
    /// ID of an existing VPC to provision in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "string | undefined"))]
    pub custom_virtual_network_id: Option<String>,
}

/// GCP-specific settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProviderGcpSettings {
    /// ID of an existing network to provision in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "string | undefined"))]
    pub custom_virtual_network_id: Option<String>,
}

/// Azure-specific settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProviderAzureSettings {
    /// Resource group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "string | undefined"))]
    pub resource_group: Option<String>,
}

/// A provider tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProviderTag {
    /// Tag key.
    pub key: String,
    /// Tag value.
    pub value: String,
}

/// Two-factor delete settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorDeleteSettings {
    /// E-mail address asked to confirm a delete.
    pub confirmation_email: String,
    /// Phone number asked to confirm a delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "string | undefined"))]
    pub confirmation_phone_number: Option<String>,
}

/// Resize settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Shape)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ResizeSettings {
    /// Notify the account's support contacts when the resize completes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "boolean | undefined"))]
    pub notify_support_contacts: Option<bool>,
    /// Number of nodes resized at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "tsify", tsify(optional, type = "number | undefined"))]
    pub concurrency: Option<u32>,
}

/// Body of an update (`PostgresqlClusterUpdateV2`): exactly one data centre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Shape)]
#[serde(rename_all = "camelCase")]
pub struct PostgresqlClusterUpdate {
    /// Exactly one data centre.
    pub data_centres: Vec<PostgresqlDataCentre>,
    /// Two-factor delete settings (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_delete: Option<Vec<TwoFactorDeleteSettings>>,
    /// Resize settings (at most one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resize_settings: Option<Vec<ResizeSettings>>,
}
