//! The cluster's CA certificate download.

use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, fill_path, HttpRequest, RequestOptions};
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{Violation, ViolationCode};

/// `GET` the cluster's CA certificate zip.
#[derive(Clone, Debug, PartialEq)]
pub struct DownloadCertificate {
    /// Cluster ID: any non-empty string (percent-encoded), as the API document allows.
    pub cluster_id: String,
}

impl Endpoint for DownloadCertificate {
    const SPEC: Spec = Spec {
        operation: Operation::DownloadCertificate,
        name: "downloadCertificate",
        method: Method::Get,
        path: "/cluster-management/v2/operations/applications/postgres/clusters/v2/{clusterId}/certificate/v2/",
        query: &[],
        body: None,
        accept: "application/zip",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    /// The zip bytes as sent (the native client reads them with `certificate::extract`, the
    /// package with `js/certificate.js`).
    type Output = Vec<u8>;

    /// The request (`Accept: application/zip`).
    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        if self.cluster_id.is_empty() {
            v.push(Violation::new(
                "clusterId",
                ViolationCode::Required,
                "a cluster id is required",
            ));
        }
        let path = fill_path(Self::SPEC.path, &[&self.cluster_id]);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::bytes(status, body)
    }
}
