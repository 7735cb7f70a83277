//! Request and response models of the API, one file per resource. Responses are parsed leniently:
//! unknown fields are ignored, unknown enum values are kept, `null` lists read as empty.

mod account;
mod api_error;
mod backup;
mod catalog;
mod cluster;
mod configuration;
mod enums;
mod lenient;
mod maintenance;
mod reload;
mod resize;
mod restore;
mod secret;
mod settings;
mod string_enum;
#[cfg(any(test, feature = "tsify"))]
pub mod ts;

pub use account::{AccountClusters, ClusterSummary};
pub use api_error::{ErrorListResponse, ErrorResponse};
pub use backup::{BackupDataCentre, BackupEvent, BackupNode, ClusterBackupEvents};
pub use catalog::{
    ApplicationVersions, ApplicationVersionsList, CloudProviderNodeSizes,
    CloudProviderNodeSizesList,
};
pub use cluster::{
    InterDataCentreReplication, IntraDataCentreReplication, NodeDetails, PgBouncerDetails,
    PostgresqlCluster, PostgresqlClusterUpdate, PostgresqlDataCentre, ProviderAwsSettings,
    ProviderAzureSettings, ProviderGcpSettings, ProviderTag, ResizeSettings,
    TwoFactorDeleteSettings,
};
pub use configuration::{ConfigurationProperties, ConfigurationProperty};
pub use enums::{
    BackupEventState, CloudProvider, ClusterApplication, ClusterStatus, NodeRole, OperationStatus,
    PoolMode, ReloadStatus, ReplaceStatus, ReplicationMode, ResizeStatus, RestoreMode, SlaTier,
};
pub use maintenance::{
    MaintenanceEvent, MaintenanceEvents, MaintenanceSchedule, MaintenanceSchedules,
};
pub use reload::{ReloadOperation, ReloadOperations};
pub use resize::{ReplaceOperation, ResizeOperation, ResizeOperations};
pub use restore::{ClusterRestore, CustomVpcSettings, DataCentreRestoreConfig, PointInTimeValue};
pub use secret::Secret;
pub use settings::ClusterSettings;

#[cfg(test)]
mod tests;
