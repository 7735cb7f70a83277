//! Node reloads: a node's server re-reads its configuration (what makes a configuration change
//! take effect).

use super::clusters::cluster_path;
use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, fill_path, HttpRequest, RequestOptions};
use crate::model::{ReloadOperation, ReloadOperations};
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Violation, ViolationCode};

const NODE_RELOAD: &str =
    "/cluster-management/v2/operations/applications/postgresql/nodes/v2/{nodeId}/reload";

/// The path of a node's reload, with the node ID's violations.
fn node_path(id: &str) -> (String, Vec<Violation>) {
    let mut v = Vec::new();
    if !validate::is_valid_uuid(id) {
        v.push(Violation::new(
            "nodeId",
            ViolationCode::Format,
            "must be a node id: a uuid (8-4-4-4-12 hexadecimal digits)",
        ));
    }
    (fill_path(NODE_RELOAD, &[id]), v)
}

/// `POST` a reload of a node.
#[derive(Clone, Debug, PartialEq)]
pub struct ReloadNode {
    /// Node ID (UUID).
    pub node_id: String,
}

impl Endpoint for ReloadNode {
    const SPEC: Spec = Spec {
        operation: Operation::ReloadNode,
        name: "reloadNode",
        method: Method::Post,
        path: NODE_RELOAD,
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::NeverAfterSend,
    };
    /// The reload, `GENESIS` at first.
    type Output = ReloadOperation;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = node_path(&self.node_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }

    fn outcome_unknown_hint(&self) -> Option<String> {
        Some("a reload may have started: check getNodeReload before reloading again".into())
    }
}

/// `GET` a node's latest reload.
#[derive(Clone, Debug, PartialEq)]
pub struct GetNodeReload {
    /// Node ID (UUID).
    pub node_id: String,
}

impl Endpoint for GetNodeReload {
    const SPEC: Spec = Spec {
        operation: Operation::GetNodeReload,
        name: "getNodeReload",
        method: Method::Get,
        path: NODE_RELOAD,
        query: &[],
        body: None,
        accept: "application/json",
        // the document's; Instaclustr's own Go client requires 200: any 2xx is accepted
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    type Output = ReloadOperation;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = node_path(&self.node_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `GET` the latest reload of each node of a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct ListReloads {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl Endpoint for ListReloads {
    const SPEC: Spec = Spec {
        operation: Operation::ListReloads,
        name: "listReloads",
        method: Method::Get,
        path: "/cluster-management/v2/operations/applications/postgresql/clusters/v2/{clusterId}/reload",
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    type Output = ReloadOperations;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = cluster_path(Self::SPEC.path, &self.cluster_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}
