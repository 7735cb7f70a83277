//! Cluster resources: create, get, update (resize), delete.

use serde_json::Value;

use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, cluster_body, fill_path, HttpRequest, RequestOptions};
use crate::model::{PostgresqlCluster, PostgresqlClusterUpdate};
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Bump, Json};

const CLUSTERS: &str = "/cluster-management/v2/resources/applications/postgresql/clusters/v2/";
const CLUSTER: &str =
    "/cluster-management/v2/resources/applications/postgresql/clusters/v2/{clusterId}/";

/// A path to one cluster, with the ID's violations.
pub(super) fn cluster_path(template: &str, id: &str) -> (String, Vec<validate::Violation>) {
    (
        fill_path(template, &[id]),
        validate::cluster_id(id, "clusterId"),
    )
}

/// `POST` a new cluster (`PostgresqlClusterV2`).
#[derive(Clone, Debug, PartialEq)]
pub struct CreateCluster {
    /// The cluster, as JSON (typed input from JS arrives this way; see [`CreateCluster::from_model`]).
    pub body: Value,
}

impl CreateCluster {
    /// From a typed cluster.
    pub fn from_model(cluster: &PostgresqlCluster) -> Self {
        Self {
            body: serde_json::to_value(cluster).unwrap_or(Value::Null),
        }
    }

    /// The request for a body read as [`Json`] (the JS builder reads its input text this way,
    /// without a `Value`); what [`Endpoint::build`] gives for the same body as a `Value`.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the body and the options.
    pub fn build_json(body: &Json<'_>, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let v = validate::create_cluster(body);
        // the body text only when it will be sent
        let text = v.is_empty().then(|| cluster_body(body));
        assemble(&Self::SPEC, CLUSTERS.to_owned(), text, opts, v)
    }

    /// [`Endpoint::outcome_unknown_hint`] for a body read as [`Json`].
    pub fn outcome_unknown_hint_json(body: &Json<'_>) -> Option<String> {
        let name = body.get("name").and_then(Json::as_str).unwrap_or("");
        Some(format!(
            "the cluster may have been created: look for it with listClusters({{ search: \"name:{name}\" }}) before creating it again"
        ))
    }
}

impl Endpoint for CreateCluster {
    const SPEC: Spec = Spec {
        operation: Operation::CreateCluster,
        name: "createCluster",
        method: Method::Post,
        path: CLUSTERS,
        query: &[],
        body: Some("PostgresqlClusterV2"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::NeverAfterSend,
    };
    /// The accepted cluster (with its `id`).
    type Output = PostgresqlCluster;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        Self::build_json(&Json::from_value(&self.body, &Bump::new()), opts)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }

    fn outcome_unknown_hint(&self) -> Option<String> {
        Self::outcome_unknown_hint_json(&Json::from_value(&self.body, &Bump::new()))
    }
}

/// `GET` a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct GetCluster {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl Endpoint for GetCluster {
    const SPEC: Spec = Spec {
        operation: Operation::GetCluster,
        name: "getCluster",
        method: Method::Get,
        path: CLUSTER,
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    type Output = PostgresqlCluster;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = cluster_path(CLUSTER, &self.cluster_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `PUT` a cluster update (`PostgresqlClusterUpdateV2`, exactly one data centre).
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateCluster {
    /// Cluster ID (UUID).
    pub cluster_id: String,
    /// The update, as JSON.
    pub body: Value,
}

impl UpdateCluster {
    /// [`Endpoint::outcome_unknown_hint`] of every update (it does not depend on the body).
    pub const OUTCOME_UNKNOWN_HINT: &'static str =
        "an earlier attempt may have started this resize: check getCluster before updating again";

    /// From a typed update.
    pub fn from_model(cluster_id: impl Into<String>, update: &PostgresqlClusterUpdate) -> Self {
        Self {
            cluster_id: cluster_id.into(),
            body: serde_json::to_value(update).unwrap_or(Value::Null),
        }
    }

    /// The request for a body read as [`Json`]; what [`Endpoint::build`] gives for the same
    /// body as a `Value`.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the ID, the body and the options.
    pub fn build_json(
        cluster_id: &str,
        body: &Json<'_>,
        opts: &RequestOptions,
    ) -> Result<HttpRequest, Error> {
        let (path, mut v) = cluster_path(CLUSTER, cluster_id);
        v.extend(validate::update_cluster(body));
        let text = v.is_empty().then(|| cluster_body(body));
        assemble(&Self::SPEC, path, text, opts, v)
    }
}

impl Endpoint for UpdateCluster {
    const SPEC: Spec = Spec {
        operation: Operation::UpdateCluster,
        name: "updateCluster",
        method: Method::Put,
        path: CLUSTER,
        query: &[],
        body: Some("PostgresqlClusterUpdateV2"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    /// The cluster, or `None` when the 2xx body is empty.
    type Output = Option<PostgresqlCluster>;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        Self::build_json(
            &self.cluster_id,
            &Json::from_value(&self.body, &Bump::new()),
            opts,
        )
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::optional_json(status, body)
    }

    fn outcome_unknown_hint(&self) -> Option<String> {
        Some(Self::OUTCOME_UNKNOWN_HINT.to_owned())
    }
}

/// `DELETE` a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct DeleteCluster {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl Endpoint for DeleteCluster {
    const SPEC: Spec = Spec {
        operation: Operation::DeleteCluster,
        name: "deleteCluster",
        method: Method::Delete,
        path: CLUSTER,
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[204],
        retry: RetryClass::Idempotent,
    };
    /// Nothing: any 2xx (204 per the document); the body is ignored.
    type Output = ();

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = cluster_path(CLUSTER, &self.cluster_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::empty(status, body)
    }
}
