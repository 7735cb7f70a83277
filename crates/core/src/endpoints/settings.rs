//! A cluster's general settings: description and two-factor delete (`change-settings`).

use serde_json::Value;

use super::clusters::cluster_path;
use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, plain_body, HttpRequest, RequestOptions};
use crate::model::ClusterSettings;
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Bump, Json};

/// `PUT` a cluster's settings (`ClusterSettingsUpdateV2`: `description`, `twoFactorDelete`).
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateClusterSettings {
    /// Cluster ID (UUID).
    pub cluster_id: String,
    /// The settings, as JSON.
    pub body: Value,
}

impl UpdateClusterSettings {
    /// From typed settings.
    pub fn from_model(cluster_id: impl Into<String>, settings: &ClusterSettings) -> Self {
        Self {
            cluster_id: cluster_id.into(),
            body: serde_json::to_value(settings).unwrap_or(Value::Null),
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
        let (path, mut v) = cluster_path(Self::SPEC.path, cluster_id);
        v.extend(validate::cluster_settings(body));
        let text = v.is_empty().then(|| plain_body(body, &[]));
        assemble(&Self::SPEC, path, text, opts, v)
    }
}

impl Endpoint for UpdateClusterSettings {
    const SPEC: Spec = Spec {
        operation: Operation::UpdateClusterSettings,
        name: "updateClusterSettings",
        method: Method::Put,
        path: "/cluster-management/v2/operations/clusters/v2/{clusterId}/change-settings/v2",
        query: &[],
        body: Some("ClusterSettingsUpdateV2"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    /// The settings as applied, or `None` when the 2xx body is empty.
    type Output = Option<ClusterSettings>;

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
}
