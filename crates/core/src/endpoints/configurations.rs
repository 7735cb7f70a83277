//! PostgreSQL configuration properties of a cluster: list, create, get, update, reset.
//!
//! A configuration property's ID is `<clusterId>|<name>`; the client takes it as that string or
//! as its two parts ([`ConfigurationRef`]) and percent-encodes the `|` in the path. Nodes apply
//! a change when they are reloaded (`reloads.rs`).

use serde_json::Value;

use super::clusters::cluster_path;
use super::Endpoint;
use crate::error::Error;
use crate::http::{assemble, fill_path, plain_body, HttpRequest, RequestOptions};
use crate::model::{ConfigurationProperties, ConfigurationProperty};
use crate::operation::{Method, Operation, RetryClass, Spec};
use crate::response;
use crate::validate::{self, Bump, Json, Violation};

const CONFIGURATIONS: &str =
    "/cluster-management/v2/resources/applications/postgresql/configurations/v2/";
const CONFIGURATION: &str =
    "/cluster-management/v2/resources/applications/postgresql/configurations/v2/{configurationId}";
/// Read-only keys dropped from a configuration body.
const READ_ONLY: &[&str] = &["id"];

/// A configuration property named by its ID `<clusterId>|<name>` or by its two parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigurationRef {
    /// `<clusterId>|<name>`, as the API writes it.
    Id(String),
    /// The cluster's ID and the parameter's name.
    Parts {
        /// Cluster ID (UUID).
        cluster_id: String,
        /// Parameter name (`work_mem`).
        name: String,
    },
}

impl ConfigurationRef {
    /// The ID `<clusterId>|<name>` and the violations of its parts (at `path` for an ID, at
    /// `path.clusterId` and `path.name` for the parts).
    pub fn resolve(&self, path: &str) -> (String, Vec<Violation>) {
        match self {
            ConfigurationRef::Id(id) => {
                let (_, _, v) = validate::configuration_id(id, path);
                (id.clone(), v)
            }
            ConfigurationRef::Parts { cluster_id, name } => (
                format!("{cluster_id}|{name}"),
                validate::configuration_parts(cluster_id, name, path),
            ),
        }
    }
}

/// The path of one configuration property and the violations of its reference.
fn configuration_path(r: &ConfigurationRef) -> (String, Vec<Violation>) {
    let (id, v) = r.resolve("configurationId");
    (fill_path(CONFIGURATION, &[&id]), v)
}

/// `GET` the configuration properties set on a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct ListConfigurations {
    /// Cluster ID (UUID).
    pub cluster_id: String,
}

impl Endpoint for ListConfigurations {
    const SPEC: Spec = Spec {
        operation: Operation::ListConfigurations,
        name: "listConfigurations",
        method: Method::Get,
        path: "/cluster-management/v2/data-sources/postgresql_cluster/{clusterId}/configurations",
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[200],
        retry: RetryClass::Idempotent,
    };
    /// One entry per cluster (the one asked for).
    type Output = Vec<ConfigurationProperties>;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = cluster_path(Self::SPEC.path, &self.cluster_id);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `POST` a configuration property (`{ clusterId, name, value }`): set if it is not set yet.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateConfiguration {
    /// The property, as JSON.
    pub body: Value,
}

impl CreateConfiguration {
    /// [`Endpoint::outcome_unknown_hint`] of every create (it does not depend on the body).
    pub const OUTCOME_UNKNOWN_HINT: &'static str =
        "the configuration may have been set: check getConfiguration before creating it again";

    /// From its three parts.
    pub fn new(cluster_id: &str, name: &str, value: &str) -> Self {
        Self {
            body: serde_json::json!({ "clusterId": cluster_id, "name": name, "value": value }),
        }
    }

    /// The request for a body read as [`Json`]; what [`Endpoint::build`] gives for the same
    /// body as a `Value`.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the body and the options.
    pub fn build_json(body: &Json<'_>, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let v = validate::create_configuration(body);
        let text = v.is_empty().then(|| plain_body(body, READ_ONLY));
        assemble(&Self::SPEC, CONFIGURATIONS.to_owned(), text, opts, v)
    }
}

impl Endpoint for CreateConfiguration {
    const SPEC: Spec = Spec {
        operation: Operation::CreateConfiguration,
        name: "createConfiguration",
        method: Method::Post,
        path: CONFIGURATIONS,
        query: &[],
        body: Some("PostgresqlConfigurationPropertyV2"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::NeverAfterSend,
    };
    /// The property set, with its `id`.
    type Output = ConfigurationProperty;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        Self::build_json(&Json::from_value(&self.body, &Bump::new()), opts)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }

    fn outcome_unknown_hint(&self) -> Option<String> {
        Some(Self::OUTCOME_UNKNOWN_HINT.to_owned())
    }
}

/// `GET` one configuration property (a 404 when it is not set).
#[derive(Clone, Debug, PartialEq)]
pub struct GetConfiguration {
    /// Which property.
    pub configuration: ConfigurationRef,
}

impl Endpoint for GetConfiguration {
    const SPEC: Spec = Spec {
        operation: Operation::GetConfiguration,
        name: "getConfiguration",
        method: Method::Get,
        path: CONFIGURATION,
        query: &[],
        body: None,
        accept: "application/json",
        // the document's; Instaclustr's own clients accept any 2xx, and so does this one
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    type Output = ConfigurationProperty;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = configuration_path(&self.configuration);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `PUT` a configuration property's new value (`{ value }`).
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateConfiguration {
    /// Which property.
    pub configuration: ConfigurationRef,
    /// The update, as JSON (`{ "value": "16MB" }`).
    pub body: Value,
}

impl UpdateConfiguration {
    /// The request for a body read as [`Json`]; what [`Endpoint::build`] gives for the same
    /// body as a `Value`.
    ///
    /// # Errors
    /// [`Error::Validation`] with every violation of the reference, the body and the options.
    pub fn build_json(
        configuration: &ConfigurationRef,
        body: &Json<'_>,
        opts: &RequestOptions,
    ) -> Result<HttpRequest, Error> {
        let (path, mut v) = configuration_path(configuration);
        v.extend(validate::update_configuration(body));
        let text = v.is_empty().then(|| plain_body(body, &[]));
        assemble(&Self::SPEC, path, text, opts, v)
    }
}

impl Endpoint for UpdateConfiguration {
    const SPEC: Spec = Spec {
        operation: Operation::UpdateConfiguration,
        name: "updateConfiguration",
        method: Method::Put,
        path: CONFIGURATION,
        query: &[],
        body: Some("PostgresqlConfigurationPropertyUpdateV2"),
        accept: "application/json",
        statuses: &[202],
        retry: RetryClass::Idempotent,
    };
    type Output = ConfigurationProperty;

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        Self::build_json(
            &self.configuration,
            &Json::from_value(&self.body, &Bump::new()),
            opts,
        )
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::json(status, body)
    }
}

/// `DELETE` a configuration property: the parameter goes back to its default (at the nodes'
/// next reload) and the property is gone.
#[derive(Clone, Debug, PartialEq)]
pub struct ResetConfiguration {
    /// Which property.
    pub configuration: ConfigurationRef,
}

impl Endpoint for ResetConfiguration {
    const SPEC: Spec = Spec {
        operation: Operation::ResetConfiguration,
        name: "resetConfiguration",
        method: Method::Delete,
        path: CONFIGURATION,
        query: &[],
        body: None,
        accept: "application/json",
        statuses: &[204],
        retry: RetryClass::Idempotent,
    };
    /// Nothing: any 2xx (204 per the document).
    type Output = ();

    fn build(&self, opts: &RequestOptions) -> Result<HttpRequest, Error> {
        let (path, v) = configuration_path(&self.configuration);
        assemble(&Self::SPEC, path, None, opts, v)
    }

    fn parse(status: u16, body: &[u8]) -> Result<Self::Output, Error> {
        response::empty(status, body)
    }
}
