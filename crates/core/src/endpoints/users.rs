//! The default PostgreSQL user (`icpostgresql`): its password.

use serde_json::Value;

use super::clusters::cluster_path;
use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, plain_body, HttpRequest, RequestOptions};
use crate::model::Secret;
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Bump, Json};

/// `PUT` the default user's new password (`{ password }`). The password is a secret: the built
/// request carries it in [`HttpRequest::secret`] too, so that `Debug` and errors mask it; the
/// answer (which echoes it) is not returned.
#[derive(Clone, PartialEq)]
pub struct UpdateDefaultUserPassword {
    /// Cluster ID (UUID).
    pub cluster_id: String,
    /// The new password.
    pub password: Secret,
}

impl std::fmt::Debug for UpdateDefaultUserPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateDefaultUserPassword")
            .field("cluster_id", &self.cluster_id)
            .field("password", &self.password)
            .finish()
    }
}

impl UpdateDefaultUserPassword {
    /// The request for a body read as [`Json`] (`{ password }`); what [`Endpoint::build`] gives
    /// for the same password.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the ID, the body and the options; no
    /// message repeats the password.
    pub fn build_json(
        cluster_id: &str,
        body: &Json<'_>,
        opts: &RequestOptions,
    ) -> Result<HttpRequest, Error> {
        let (path, mut v) = cluster_path(Self::SPEC.path, cluster_id);
        v.extend(validate::default_user_password(body));
        let text = v.is_empty().then(|| plain_body(body, &[]));
        let mut req = assemble(&Self::SPEC, path, text, opts, v)?;
        req.secret = body.get("password").and_then(Json::as_str).map(Secret::new);
        Ok(req)
    }
}

impl Endpoint for UpdateDefaultUserPassword {
    const SPEC: Spec = Spec {
        operation: Operation::UpdateDefaultUserPassword,
        name: "updateDefaultUserPassword",
        method: Method::Put,
        path: "/cluster-management/v2/operations/applications/postgresql/clusters/v2/{clusterId}/update-default-user-password",
        query: &[],
        body: Some("PostgresqlUserSummary"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    /// Nothing: any 2xx; the body, which echoes the password, is not read.
    type Output = ();

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let body = Value::Object(
            [("password".to_owned(), Value::from(self.password.expose()))]
                .into_iter()
                .collect(),
        );
        Self::build_json(
            &self.cluster_id,
            &Json::from_value(&body, &Bump::new()),
            opts,
        )
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::empty(status, body)
    }
}
