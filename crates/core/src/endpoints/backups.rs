//! Backups of a cluster: list the events, trigger one.

use super::clusters::cluster_path;
use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, HttpRequest, RequestOptions};
use crate::model::ClusterBackupEvents;
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;

/// `GET` the backup events of the last 7 days.
#[derive(Clone, Debug, PartialEq)]
pub struct ListBackups {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl Endpoint for ListBackups {
    const SPEC: Spec = Spec {
        operation: Operation::ListBackups,
        name: "listBackups",
        method: Method::Get,
        path: "/cluster-management/v2/data-sources/applications/postgresql/clusters/v2/{clusterId}/list-backups/v2/",
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    type Output = ClusterBackupEvents;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = cluster_path(Self::SPEC.path, &self.cluster_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `POST` a manual backup.
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerBackup {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl Endpoint for TriggerBackup {
    const SPEC: Spec = Spec {
        operation: Operation::TriggerBackup,
        name: "triggerBackup",
        method: Method::Post,
        path: "/cluster-management/v2/operations/applications/postgres/clusters/v2/{clusterId}/trigger-backup/v2/",
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::NeverAfterSend,
    };
    /// Nothing: any 2xx (202 per the document); the body is ignored.
    type Output = ();

    /// The request (no body).
    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = cluster_path(Self::SPEC.path, &self.cluster_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::empty(status, body)
    }

    fn outcome_unknown_hint(&self) -> Option<String> {
        Some("a backup may have started: check listBackups before triggering another".into())
    }
}
