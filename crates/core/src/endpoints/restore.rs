//! Point-in-time restore of a cluster.

use serde_json::Value;

use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, restore_body, HttpRequest, RequestOptions};
use crate::model::ClusterRestore;
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Bump, Json};

/// `POST` a point-in-time restore (`ClusterRestoreV2`).
#[derive(Clone, Debug, PartialEq)]
pub struct RestoreCluster {
    /// The restore, as JSON; `pointInTime` may be epoch ms (number or digits) or ISO 8601.
    pub body: Value,
    /// The current time in epoch ms, to refuse a point in time in the future.
    pub now_ms: f64,
}

impl Endpoint for RestoreCluster {
    const SPEC: Spec = Spec {
        operation: Operation::RestoreCluster,
        name: "restoreCluster",
        method: Method::Post,
        path: "/cluster-management/v2/operations/applications/postgres/restore/v2",
        query: &[],
        body: Some("ClusterRestoreV2"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::NeverAfterSend,
    };
    /// The accepted restore, with `restoredClusterId`.
    type Output = ClusterRestore;

    /// The request; `pointInTime` is sent as an ISO 8601 UTC string with milliseconds.
    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        Self::build_json(
            &Json::from_value(&self.body, &Bump::new()),
            self.now_ms,
            opts,
        )
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }

    fn outcome_unknown_hint(&self) -> Option<String> {
        Self::outcome_unknown_hint_json(&Json::from_value(&self.body, &Bump::new()))
    }
}

impl RestoreCluster {
    /// The request for a body read as [`Json`] (the JS builder and client read their input text
    /// this way, without a `Value`); what [`Endpoint::build`] gives for the same body as a
    /// `Value`.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the body and the options.
    pub fn build_json(
        body: &Json<'_>,
        now_ms: f64,
        opts: &RequestOptions,
    ) -> Result<HttpRequest, Error> {
        let mut v = validate::restore_cluster(body, now_ms);
        let mut iso = None;
        if let Some(pit) = body.get("pointInTime").filter(|p| !p.is_null()) {
            match validate::point_in_time(pit, now_ms) {
                Ok(ms) => iso = Some(validate::format_iso_millis(ms)),
                Err(more) => {
                    for x in more {
                        if !v.contains(&x) {
                            v.push(x);
                        }
                    }
                }
            }
        }
        let text = v.is_empty().then(|| restore_body(body, iso.as_deref()));
        assemble(&Self::SPEC, Self::SPEC.path.to_owned(), text, opts, v)
    }

    /// [`Endpoint::outcome_unknown_hint`] for a body read as [`Json`].
    pub fn outcome_unknown_hint_json(body: &Json<'_>) -> Option<String> {
        let name = body
            .get("restoredClusterName")
            .and_then(Json::as_str)
            .unwrap_or("");
        Some(format!(
            "a restored cluster may have been created: look for it with listClusters({{ search: \"name:{name}\" }}) before restoring again"
        ))
    }
}
