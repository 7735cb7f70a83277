//! The account's cluster list (every application; the client keeps the PostgreSQL ones).

use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, percent_encode, HttpRequest, RequestOptions};
use crate::model::AccountClusters;
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;

/// `GET` the account's clusters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListClusters {
    /// Filter such as `name:my-cluster`; omitted when `None` or empty.
    pub search: Option<String>,
}

impl Endpoint for ListClusters {
    const SPEC: Spec = Spec {
        operation: Operation::ListClusters,
        name: "listClusters",
        method: Method::Get,
        path: "/cluster-management/v2/data-sources/clusters/v2",
        query: &["search"],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    /// One entry per account.
    type Output = Vec<AccountClusters>;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut path = Self::SPEC.path.to_owned();
        if let Some(s) = self.search.as_deref().filter(|s| !s.is_empty()) {
            path.push_str("?search=");
            path.push_str(&percent_encode(s));
        }
        assemble(&Self::SPEC, path, None, opts, Vec::new())
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}
