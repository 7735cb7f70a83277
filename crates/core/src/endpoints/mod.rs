//! The endpoint table: every operation of the API defined once, one file per resource.
//!
//! Each operation is a request struct implementing [`Endpoint`]: its [`Spec`] (name, method,
//! path template and parameters as in the API document, request body schema, response content
//! type, documented success statuses, retry class), its output type, how it is built into an
//! [`HttpRequest`] (every input validated at once), how its answer is parsed, and the hint given
//! when its outcome is unknown. Request building, response parsing, the client's methods and
//! the emulator's routes all read it; `tests.rs` checks each entry against
//! `spec/instaclustr-postgresql-v2.openapi.json`.
//!
//! The list of the operations is the [`operations!`] call below, and nowhere else: a new
//! operation is a struct in its resource's file plus one line there.

mod account;
mod backups;
mod catalogue;
mod certificate;
mod clusters;
mod restore;
#[cfg(test)]
mod tests;

pub use account::ListClusters;
pub use backups::{ListBackups, TriggerBackup};
pub use catalogue::{ListCompatibleNodeSizes, ListCompatibleVersions, ListVersions};
pub use certificate::DownloadCertificate;
pub use clusters::{CreateCluster, DeleteCluster, GetCluster, UpdateCluster};
pub use restore::RestoreCluster;

use crate::error::Error;
use crate::operation::Method;
use crate::request::{HttpRequest, RequestOptions};

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

/// One operation: its description, input (the implementing struct), output and the two
/// directions of its exchange.
pub trait Endpoint {
    /// Its description.
    const SPEC: Spec;
    /// What a success answer is parsed into.
    type Output;

    /// The request, with every violation of the input and of `opts` at once.
    ///
    /// # Errors
    /// [`Error::Validation`] listing every problem.
    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error>;

    /// The answer: the output for a 2xx, the API's error otherwise.
    ///
    /// # Errors
    /// [`Error::Api`] for a non-2xx status, [`Error::Decode`] for a malformed body.
    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error>;

    /// What to tell the caller when the request may or may not have taken effect.
    fn outcome_unknown_hint(&self) -> Option<String> {
        None
    }
}

/// THE list of operations: generates [`Operation`], [`Operation::ALL`] and [`Operation::spec`].
macro_rules! operations {
    ($($(#[$doc:meta])* $variant:ident => $endpoint:ty,)*) => {
        /// Every operation of the client (the 11 of the PostgreSQL tag and the account cluster
        /// list), in the order of [`Operation::ALL`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($(#[$doc])* $variant,)*
        }

        impl Operation {
            /// All operations.
            pub const ALL: [Operation; [$(stringify!($variant)),*].len()] =
                [$(Operation::$variant),*];

            /// The operation's entry in the endpoint table.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Operation::$variant => &<$endpoint as Endpoint>::SPEC,)*
                }
            }
        }
    };
}

operations! {
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
}
