//! Maintenance events of a cluster: in progress, past and upcoming (three paths of the API, one
//! operation each).

use super::clusters::cluster_path;
use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, HttpRequest, RequestOptions};
use crate::model::{MaintenanceEvents, MaintenanceSchedules};
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;

/// One maintenance-events endpoint: a cluster ID in, a list out.
macro_rules! maintenance {
    ($(#[$doc:meta])* $name:ident, $js:literal, $when:literal, $out:ty) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            /// Cluster ID (UUID).
            pub cluster_id: String,
        }

        impl Endpoint for $name {
            const SPEC: Spec = Spec {
                operation: Operation::$name,
                name: $js,
                method: Method::Get,
                path: concat!(
                    "/cluster-management/v2/data-sources/cluster/{clusterId}/maintenance-events/v2/",
                    $when,
                    "/v2/"
                ),
                query: &[],
                body: None,
                accept: "application/json",
                statuses: &[200],
                retry: RetryClass::Idempotent,
            };
            /// One entry per cluster.
            type Output = Vec<$out>;

            fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
                let (path, v) = cluster_path(Self::SPEC.path, &self.cluster_id);
                assemble(&Self::SPEC, path, None, opts, v)
            }

            fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
                response::json(status, body)
            }
        }
    };
}

maintenance! {
    /// `GET` the maintenance events in progress.
    ListInProgressMaintenanceEvents, "listInProgressMaintenanceEvents", "in-progress", MaintenanceEvents
}
maintenance! {
    /// `GET` the past maintenance events.
    ListPastMaintenanceEvents, "listPastMaintenanceEvents", "past", MaintenanceEvents
}
maintenance! {
    /// `GET` the upcoming maintenance events.
    ListUpcomingMaintenanceEvents, "listUpcomingMaintenanceEvents", "upcoming", MaintenanceSchedules
}
