//! The operations of the API (their names, HTTP methods and retry class) and the path prefixes
//! their URLs start with; each request builder in `request` appends its own path.

/// HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// Every operation of the client (the 11 of the PostgreSQL tag and the account cluster list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// POST a new cluster.
    CreateCluster,
    /// GET a cluster.
    GetCluster,
    /// PUT a cluster update (resize).
    UpdateCluster,
    /// DELETE a cluster.
    DeleteCluster,
    /// GET the backup events of the last 7 days.
    ListBackups,
    /// POST a manual backup.
    TriggerBackup,
    /// POST a point-in-time restore.
    RestoreCluster,
    /// GET the PostgreSQL (and add-on) versions.
    ListVersions,
    /// GET the add-on versions compatible with a PostgreSQL version.
    ListCompatibleVersions,
    /// GET the node sizes per provider.
    ListCompatibleNodeSizes,
    /// GET the cluster's CA certificate zip.
    DownloadCertificate,
    /// GET the account's clusters.
    ListClusters,
}

/// Path prefixes of the API (exact spellings of the API document).
pub mod paths {
    /// Cluster resources (create, get, update, delete).
    pub const CLUSTERS: &str =
        "/cluster-management/v2/resources/applications/postgresql/clusters/v2/";
    /// Data sources of a cluster (list backups).
    pub const DATA_SOURCES_CLUSTERS: &str =
        "/cluster-management/v2/data-sources/applications/postgresql/clusters/v2/";
    /// Operations on a cluster (trigger backup, certificate).
    pub const OPERATIONS_CLUSTERS: &str =
        "/cluster-management/v2/operations/applications/postgres/clusters/v2/";
    /// Restore.
    pub const RESTORE: &str = "/cluster-management/v2/operations/applications/postgres/restore/v2";
    /// PostgreSQL versions.
    pub const VERSIONS: &str =
        "/cluster-management/v2/data-sources/applications/postgresql/versions/v2/";
    /// Compatible versions, followed by the PostgreSQL version.
    pub const COMPATIBLE_VERSIONS: &str =
        "/cluster-management/v2/data-sources/applications/postgresql/compatible-versions/v2/";
    /// Compatible node sizes.
    pub const COMPATIBLE_NODE_SIZES: &str =
        "/cluster-management/v2/data-sources/applications/postgresql/compatible-node-sizes/v2/";
    /// The account's clusters.
    pub const ACCOUNT_CLUSTERS: &str = "/cluster-management/v2/data-sources/clusters/v2";
}

impl Operation {
    /// All operations.
    pub const ALL: [Operation; 12] = [
        Operation::CreateCluster,
        Operation::GetCluster,
        Operation::UpdateCluster,
        Operation::DeleteCluster,
        Operation::ListBackups,
        Operation::TriggerBackup,
        Operation::RestoreCluster,
        Operation::ListVersions,
        Operation::ListCompatibleVersions,
        Operation::ListCompatibleNodeSizes,
        Operation::DownloadCertificate,
        Operation::ListClusters,
    ];

    /// camelCase name, as the JS method (`createCluster`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateCluster => "createCluster",
            Operation::GetCluster => "getCluster",
            Operation::UpdateCluster => "updateCluster",
            Operation::DeleteCluster => "deleteCluster",
            Operation::ListBackups => "listBackups",
            Operation::TriggerBackup => "triggerBackup",
            Operation::RestoreCluster => "restoreCluster",
            Operation::ListVersions => "listVersions",
            Operation::ListCompatibleVersions => "listCompatibleVersions",
            Operation::ListCompatibleNodeSizes => "listCompatibleNodeSizes",
            Operation::DownloadCertificate => "downloadCertificate",
            Operation::ListClusters => "listClusters",
        }
    }

    /// HTTP method.
    pub fn method(self) -> Method {
        match self {
            Operation::CreateCluster | Operation::TriggerBackup | Operation::RestoreCluster => {
                Method::Post
            }
            Operation::UpdateCluster => Method::Put,
            Operation::DeleteCluster => Method::Delete,
            _ => Method::Get,
        }
    }

    /// Whether repeating the request is harmless (GET, PUT, DELETE). The POSTs have no
    /// idempotency key in this API: repeating one after it may have reached the server could
    /// create a second cluster, backup or restore.
    pub fn is_idempotent(self) -> bool {
        self.method() != Method::Post
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
