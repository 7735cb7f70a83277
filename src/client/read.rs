//! How the client reads a final answer, one [`Read`] per kind of output: a checked model, no
//! body, the account's PostgreSQL clusters, the certificate zip, and the update guard's current
//! cluster.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::js::get;
use crate::checked::{checked_text, Text};
use instaclustr_pg_core::client::postgresql_clusters;
use instaclustr_pg_core::endpoints::{self, Endpoint};
use instaclustr_pg_core::model::{AccountClusters, PostgresqlCluster};
use instaclustr_pg_core::shape::HasShape;
use instaclustr_pg_core::Error;

/// A final answer read, before it becomes a JS value.
pub(crate) enum Answer {
    /// Built by JavaScript already (crate::checked), or `undefined`.
    Js(JsValue),
    /// The CA certificate zip, to extract (`downloadCertificate`).
    Zip(Vec<u8>),
    /// The current cluster of the update guard (JSON text the shape check of a cluster
    /// accepted).
    Current(Vec<u8>),
}

/// How a final answer is read: a plain function, not a generic, so `JsClient::send` is one.
pub(crate) type Read = fn(u16, &[u8]) -> Result<Answer, Error>;

/// Endpoint `E`'s final answer checked against the shape of its output and built by
/// `JSON.parse` (crate::checked).
pub(crate) fn checked<E: Endpoint>(status: u16, body: &[u8]) -> Result<Answer, Error>
where
    E::Output: HasShape,
{
    crate::checked::answer(&<E::Output as HasShape>::SHAPE, status, body, Text::Wasm)
        .map(Answer::Js)
}

/// An answer without a body (`undefined`).
pub(crate) fn empty<E: Endpoint<Output = ()>>(status: u16, body: &[u8]) -> Result<Answer, Error> {
    E::parse(status, body).map(|()| Answer::Js(JsValue::UNDEFINED))
}

/// The current cluster of the update guard, as JSON text the shape check of a cluster accepted.
pub(crate) fn current_cluster(status: u16, body: &[u8]) -> Result<Answer, Error> {
    checked_text(&PostgresqlCluster::SHAPE, status, body).map(Answer::Current)
}

/// The PostgreSQL clusters of the account list: the checked list built by `JSON.parse`, then
/// the clusters the core's filter keeps (`postgresql_clusters`, as the native client), with
/// their unknown fields.
pub(crate) fn clusters(status: u16, body: &[u8]) -> Result<Answer, Error> {
    let shape = &<Vec<AccountClusters>>::SHAPE;
    let accounts = crate::checked::answer(shape, status, body, Text::Wasm)?;
    // the check accepted a list of accounts, each with a list of clusters (`null` or missing
    // made `[]` by the fixes), each with a string `application`
    let accounts = accounts.unchecked_into::<js_sys::Array>();
    let accounts = accounts.iter().map(|account| {
        let clusters = get(&account, "clusters").unchecked_into::<js_sys::Array>();
        (0..clusters.length()).map(move |i| clusters.get(i))
    });
    let out = js_sys::Array::new();
    postgresql_clusters(
        accounts,
        |c| get(c, "application").as_string(),
        |c| {
            out.push(&c);
        },
    );
    Ok(Answer::Js(out.into()))
}

/// The certificate zip.
pub(crate) fn zip(status: u16, body: &[u8]) -> Result<Answer, Error> {
    endpoints::DownloadCertificate::parse(status, body).map(Answer::Zip)
}
