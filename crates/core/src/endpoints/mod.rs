//! The endpoint table: every operation of the API defined once, one file per resource.
//!
//! Each operation is a request struct implementing [`Endpoint`]: its [`Spec`] (name, method,
//! path template and parameters as in the API document, request body schema, response content
//! type, documented success statuses, retry class), its output type, how it is built into an
//! [`HttpRequest`] (every input validated at once), how its answer is parsed, and the hint given
//! when its outcome is unknown. Request building, response parsing, the client's methods and
//! the emulator's routes all read it; `tests.rs` checks each entry against its API document:
//! `spec/instaclustr-postgresql-v2.openapi.json` for the provisioning page's operations and the
//! account list, `spec/instaclustr-v2-postgresql-more.openapi.json` (an unchanged excerpt of
//! Instaclustr's OpenAPI v2 document as published in the instaclustr/operator repository, its
//! `info.description` says which file and version) for the configurations, the default user's
//! password, reloads, cluster settings, resize operations and maintenance events.
//!
//! The list of the operations is the `operations!` macro of `operation.rs`, and nowhere
//! else: a new operation is a struct in its resource's file plus one line there. The list lives
//! below this module with the [`Operation`] enumeration it generates, since the built request
//! ([`HttpRequest`]) names its operation; this module expands the same list into
//! [`Operation::spec`], each operation's entry being its struct's [`Endpoint::SPEC`].

mod account;
mod backups;
mod catalogue;
mod certificate;
mod clusters;
mod configurations;
mod maintenance;
mod reloads;
mod resizes;
mod restore;
mod settings;
#[cfg(test)]
mod tests;
mod users;

pub use account::ListClusters;
pub use backups::{ListBackups, TriggerBackup};
pub use catalogue::{ListCompatibleNodeSizes, ListCompatibleVersions, ListVersions};
pub use certificate::DownloadCertificate;
pub use clusters::{CreateCluster, DeleteCluster, GetCluster, UpdateCluster};
pub use configurations::{
    ConfigurationRef, CreateConfiguration, GetConfiguration, ListConfigurations,
    ResetConfiguration, UpdateConfiguration,
};
pub use maintenance::{
    ListInProgressMaintenanceEvents, ListPastMaintenanceEvents, ListUpcomingMaintenanceEvents,
};
pub use reloads::{GetNodeReload, ListReloads, ReloadNode};
pub use resizes::ListResizeOperations;
pub use restore::RestoreCluster;
pub use settings::UpdateClusterSettings;
pub use users::UpdateDefaultUserPassword;

use crate::error::Error;
use crate::http::{HttpRequest, RequestOptions};
use crate::operation::{Method, Operation, RetryClass, Spec};

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

/// The table's half of the list: [`Operation::spec`] from each line's struct.
macro_rules! endpoint_table {
    ($($(#[$doc:meta])* $variant:ident => $endpoint:ty,)*) => {
        impl Operation {
            /// The operation's entry in the endpoint table.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Operation::$variant => &<$endpoint as Endpoint>::SPEC,)*
                }
            }
        }
    };
}

crate::operation::operations!(endpoint_table);

// What an operation answers from its entry: here beside the table rather than in
// `operation.rs`, which stays below the table.
impl Operation {
    /// camelCase name, as the JS method (`createCluster`).
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// HTTP method.
    pub fn method(self) -> Method {
        self.spec().method
    }

    /// Whether repeating the request is harmless (GET, PUT, DELETE). The POSTs have no
    /// idempotency key in this API: repeating one after it may have reached the server could
    /// create a second cluster, backup or restore.
    pub fn is_idempotent(self) -> bool {
        self.spec().retry == RetryClass::Idempotent
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
