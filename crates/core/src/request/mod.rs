//! Request building without any network (after async-stripe): the request struct of each
//! operation (defined in [`crate::endpoints`], re-exported here) validates every input at once
//! (body, path parameters, options) in `build` and returns the exact [`HttpRequest`] to send:
//! method, URL, headers and JSON body. What every request shares (the options, the built
//! request, the base URL check, percent-encoding, the canonical bodies and the assembly of URL
//! and headers) lives in `crate::http`, below the endpoint table that uses it, and is
//! re-exported here: this module is above both and holds only their public names.

pub use crate::endpoints::{
    ConfigurationRef, CreateCluster, CreateConfiguration, DeleteCluster, DownloadCertificate,
    GetCluster, GetConfiguration, GetNodeReload, ListBackups, ListClusters,
    ListCompatibleNodeSizes, ListCompatibleVersions, ListConfigurations,
    ListInProgressMaintenanceEvents, ListPastMaintenanceEvents, ListReloads, ListResizeOperations,
    ListUpcomingMaintenanceEvents, ListVersions, ReloadNode, ResetConfiguration, RestoreCluster,
    TriggerBackup, UpdateCluster, UpdateClusterSettings, UpdateConfiguration,
    UpdateDefaultUserPassword,
};
pub use crate::http::{base_url, HttpRequest, RequestOptions, DEFAULT_BASE_URL};

#[cfg(test)]
mod tests;
