//! Resize operations of a cluster data centre.

use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, fill_path, HttpRequest, RequestOptions};
use crate::model::ResizeOperations;
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Violation, ViolationCode};

/// `GET` the resize operations of a data centre (`activeOnly`: only those running).
#[derive(Clone, Debug, PartialEq)]
pub struct ListResizeOperations {
    /// Cluster data centre ID (UUID).
    pub data_centre_id: String,
    /// Only running operations (`activeOnly`), sent only when given.
    pub active_only: Option<bool>,
}

impl Endpoint for ListResizeOperations {
    const SPEC: Spec = Spec {
        operation: Operation::ListResizeOperations,
        name: "listResizeOperations",
        method: Method::Get,
        path: "/cluster-management/v2/data-sources/cluster-data-centres/v2/{clusterDataCentreId}/resize/operations/v2",
        query: &["activeOnly"],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    type Output = ResizeOperations;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        if !validate::is_valid_uuid(&self.data_centre_id) {
            v.push(Violation::new(
                "dataCentreId",
                ViolationCode::Format,
                "must be a data centre id: a uuid (8-4-4-4-12 hexadecimal digits)",
            ));
        }
        let mut path = fill_path(Self::SPEC.path, &[&self.data_centre_id]);
        if let Some(b) = self.active_only {
            path.push_str(if b {
                "?activeOnly=true"
            } else {
                "?activeOnly=false"
            });
        }
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}
