//! What an operation of the API is, below every module that handles one: the [`Operation`]
//! enumeration and THE list of the operations it is generated from (`operations!`), the HTTP
//! [`Method`], the [`RetryClass`] and the [`Spec`] (an entry of the endpoint table). The table
//! itself ([`crate::endpoints`], one file per resource) expands the same list to map each
//! operation to its request struct, and answers [`Operation::spec`], [`Operation::name`],
//! [`Operation::method`] and [`Operation::is_idempotent`] from the entry.
//!
//! A private module: its public items have one path each, the crate root's
//! (`instaclustr_pg_core::Operation`, `Method`, `RetryClass`, `Spec`).

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

/// Whether a request may be repeated after it may have reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryClass {
    /// Repeating it is harmless (GET, PUT, DELETE): retried on any transient failure.
    Idempotent,
    /// No idempotency key in this API: retried only when it certainly never reached the
    /// server, since a repeat could create a second cluster, backup or restore.
    NeverAfterSend,
}

/// The fixed description of an operation, as in the API document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The operation.
    pub operation: Operation,
    /// camelCase name, as the JS method (`createCluster`).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{name}` placeholders, exactly as in the API document.
    pub path: &'static str,
    /// Query parameters (each optional), as named in the API document.
    pub query: &'static [&'static str],
    /// Schema of the JSON request body in the API document, if the operation has one.
    pub body: Option<&'static str>,
    /// Content type of the success response (`Accept` header).
    pub accept: &'static str,
    /// Success statuses documented by the API (any 2xx is accepted, for forward compatibility).
    pub statuses: &'static [u16],
    /// Retry class.
    pub retry: RetryClass,
}

impl Spec {
    /// The names of the path parameters, in order (`{clusterId}` gives `clusterId`).
    pub fn path_params(&self) -> impl Iterator<Item = &'static str> {
        let path = self.path;
        path.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
    }
}

/// THE list of operations, and nowhere else: each line is an [`Operation`] variant and the
/// request struct of the endpoint table that implements it (named as `crate::endpoints` sees
/// it: the struct is resolved where the list is expanded). A new operation is a struct in its
/// resource's file of `endpoints/` plus one line here.
///
/// `operations!(then)` calls the macro `then!` with the list, so that each module expands the
/// one list into what it needs: [`Operation`] and [`Operation::ALL`] below, the table's
/// [`Operation::spec`] in `endpoints/mod.rs` (which this module, below the table, cannot name).
macro_rules! operations {
    ($then:ident) => {
        $then! {
            /// POST a new cluster.
            CreateCluster => CreateCluster,
            /// GET a cluster.
            GetCluster => GetCluster,
            /// PUT a cluster update (resize).
            UpdateCluster => UpdateCluster,
            /// DELETE a cluster.
            DeleteCluster => DeleteCluster,
            /// GET the backup events of the last 7 days.
            ListBackups => ListBackups,
            /// POST a manual backup.
            TriggerBackup => TriggerBackup,
            /// POST a point-in-time restore.
            RestoreCluster => RestoreCluster,
            /// GET the PostgreSQL (and add-on) versions.
            ListVersions => ListVersions,
            /// GET the add-on versions compatible with a PostgreSQL version.
            ListCompatibleVersions => ListCompatibleVersions,
            /// GET the node sizes per provider.
            ListCompatibleNodeSizes => ListCompatibleNodeSizes,
            /// GET the cluster's CA certificate zip.
            DownloadCertificate => DownloadCertificate,
            /// GET the account's clusters.
            ListClusters => ListClusters,
            /// GET a cluster's configuration properties.
            ListConfigurations => ListConfigurations,
            /// POST a configuration property.
            CreateConfiguration => CreateConfiguration,
            /// GET a configuration property.
            GetConfiguration => GetConfiguration,
            /// PUT a configuration property's value.
            UpdateConfiguration => UpdateConfiguration,
            /// DELETE a configuration property (back to the default).
            ResetConfiguration => ResetConfiguration,
            /// PUT the default user's password.
            UpdateDefaultUserPassword => UpdateDefaultUserPassword,
            /// POST a node reload.
            ReloadNode => ReloadNode,
            /// GET a node's latest reload.
            GetNodeReload => GetNodeReload,
            /// GET the latest reload of each node of a cluster.
            ListReloads => ListReloads,
            /// PUT a cluster's general settings (description, two-factor delete).
            UpdateClusterSettings => UpdateClusterSettings,
            /// GET a data centre's resize operations.
            ListResizeOperations => ListResizeOperations,
            /// GET the maintenance events in progress.
            ListInProgressMaintenanceEvents => ListInProgressMaintenanceEvents,
            /// GET the past maintenance events.
            ListPastMaintenanceEvents => ListPastMaintenanceEvents,
            /// GET the upcoming maintenance events.
            ListUpcomingMaintenanceEvents => ListUpcomingMaintenanceEvents,
        }
    };
}
pub(crate) use operations;

/// [`Operation`] and [`Operation::ALL`] from the list.
macro_rules! operation_enum {
    ($($(#[$doc:meta])* $variant:ident => $endpoint:ty,)*) => {
        /// Every operation of the client (the 11 of the PostgreSQL tag, the account cluster
        /// list, and the 14 of configurations, the default user's password, reloads, cluster
        /// settings, resize operations and maintenance events), in the order of
        /// [`Operation::ALL`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($(#[$doc])* $variant,)*
        }

        impl Operation {
            /// All operations.
            pub const ALL: [Operation; [$(stringify!($variant)),*].len()] =
                [$(Operation::$variant),*];
        }
    };
}

operations!(operation_enum);
