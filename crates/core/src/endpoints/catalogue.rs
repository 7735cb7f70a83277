//! The catalogue: PostgreSQL versions, compatible add-on versions, node sizes.

use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, fill_path, HttpRequest, RequestOptions};
use crate::model::{ApplicationVersionsList, CloudProviderNodeSizesList};
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Violation, ViolationCode};

/// `GET` the PostgreSQL (and add-on) versions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListVersions;

impl Endpoint for ListVersions {
    const SPEC: Spec = Spec {
        operation: Operation::ListVersions,
        name: "listVersions",
        method: Method::Get,
        path: "/cluster-management/v2/data-sources/applications/postgresql/versions/v2/",
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    type Output = Vec<ApplicationVersionsList>;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        assemble(
            &Self::SPEC,
            Self::SPEC.path.to_owned(),
            None,
            opts,
            Vec::new(),
        )
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `GET` the add-on versions compatible with a PostgreSQL version.
#[derive(Clone, Debug, PartialEq)]
pub struct ListCompatibleVersions {
    /// PostgreSQL version, `x.y.z`.
    pub postgresql_version: String,
}

impl Endpoint for ListCompatibleVersions {
    const SPEC: Spec = Spec {
        operation: Operation::ListCompatibleVersions,
        name: "listCompatibleVersions",
        method: Method::Get,
        // no trailing slash after the version, as in the API document
        path: "/cluster-management/v2/data-sources/applications/postgresql/compatible-versions/v2/{version}",
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    type Output = Vec<ApplicationVersionsList>;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut v = Vec::new();
        let ver = &self.postgresql_version;
        if ver.is_empty() {
            v.push(Violation::new(
                "postgresqlVersion",
                ViolationCode::Required,
                "a postgresql version is required",
            ));
        } else if !validate::is_valid_version(ver) {
            v.push(Violation::new(
                "postgresqlVersion",
                ViolationCode::Pattern,
                "must be a version x.y.z (digits)",
            ));
        }
        let path = fill_path(Self::SPEC.path, &[ver]);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `GET` the node sizes per provider.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListCompatibleNodeSizes {
    /// Only sizes usable with PgBouncer (`pgbouncerRequired`), sent only when given.
    pub pgbouncer_required: Option<bool>,
}

impl Endpoint for ListCompatibleNodeSizes {
    const SPEC: Spec = Spec {
        operation: Operation::ListCompatibleNodeSizes,
        name: "listCompatibleNodeSizes",
        method: Method::Get,
        path:
            "/cluster-management/v2/data-sources/applications/postgresql/compatible-node-sizes/v2/",
        query: &["pgbouncerRequired"],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    type Output = Vec<CloudProviderNodeSizesList>;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let mut path = Self::SPEC.path.to_owned();
        if let Some(b) = self.pgbouncer_required {
            path.push_str(if b {
                "?pgbouncerRequired=true"
            } else {
                "?pgbouncerRequired=false"
            });
        }
        assemble(&Self::SPEC, path, None, opts, Vec::new())
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}
