//! The JS shapes of the package's outputs that are not API models: the built request, the hook
//! event, the waiter progress and the certificates. Each struct here is the declaration of its
//! type (tsify writes its `.d.ts`); the value is built key by key where it is made, with the same
//! keys in the same order: `request_to_js` in `fetch.rs`, `hook_object` in `client/hooks.rs`,
//! `progress_object` in `client/wait.rs` (both tied to their struct by its `From`), and
//! js/certificate.js for the certificates.

use serde::Serialize;
use tsify::Tsify;

use instaclustr_pg_core::client::HookEvent;
use instaclustr_pg_core::waiter::{NodeProgress, Progress};

// The declaration only: the value is built key by key from an `HttpRequest` by
// `request_to_js` (fetch.rs, through js/transport.js's `request`), in this field order.
/// A request ready to send with `fetch`; nothing was sent.
#[derive(Tsify)]
#[tsify(rename = "HttpRequest")]
#[allow(dead_code)]
pub(crate) struct JsHttpRequest<'a> {
    #[tsify(type = "HttpMethod")]
    method: &'a str,
    /// Absolute URL, path and query percent-encoded.
    url: &'a str,
    /// `Accept`, then `Content-Type` (with a body), then `Authorization` (with credentials).
    #[tsify(type = "Record<string, string>")]
    headers: &'a [(String, String)],
    /// JSON body (create, update, restore).
    #[tsify(optional)]
    body: Option<&'a str>,
}

/// What `onRequest` / `onResponse` receive: no headers, no body, no credentials.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "HookEvent")]
pub(crate) struct JsHookEvent<'a> {
    operation: &'a str,
    #[tsify(type = "HttpMethod")]
    method: &'a str,
    url: &'a str,
    /// From 1.
    attempt: u32,
    /// `onResponse` with an answer only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    status: Option<u16>,
    /// `onResponse` without an answer: `NETWORK_ERROR`, `TIMEOUT_ERROR`, `ABORT_ERROR`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    error: Option<&'a str>,
    elapsed_ms: f64,
}

impl<'a> From<&'a HookEvent> for JsHookEvent<'a> {
    fn from(e: &'a HookEvent) -> Self {
        JsHookEvent {
            operation: e.operation,
            method: e.method,
            url: &e.url,
            attempt: e.attempt,
            status: e.status,
            error: e.error,
            elapsed_ms: e.elapsed_ms as f64,
        }
    }
}

/// A node as seen by a waiter.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "WaitNode")]
pub(crate) struct JsWaitNode<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    id: Option<&'a str>,
    data_centre: &'a str,
    /// Node status (clusters) or state of its newest backup event (backups).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    status: Option<&'a str>,
    /// Backup progress 0..1 (backups).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    progress: Option<f64>,
}

impl<'a> From<&'a NodeProgress> for JsWaitNode<'a> {
    fn from(n: &'a NodeProgress) -> Self {
        JsWaitNode {
            id: n.id.as_deref(),
            data_centre: &n.data_centre,
            status: n.status.as_deref(),
            progress: n.progress,
        }
    }
}

/// One observation of a waiter.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "WaitProgress")]
pub(crate) struct JsWaitProgress<'a> {
    cluster_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    current_cluster_operation_status: Option<&'a str>,
    #[tsify(type = "WaitNode[]")]
    nodes: Vec<JsWaitNode<'a>>,
    /// 0..1
    progress: f64,
    polls: u32,
    elapsed_ms: f64,
}

impl<'a> From<&'a Progress> for JsWaitProgress<'a> {
    fn from(p: &'a Progress) -> Self {
        JsWaitProgress {
            cluster_id: &p.cluster_id,
            status: p.status.as_deref(),
            current_cluster_operation_status: p.operation_status.as_deref(),
            nodes: p.nodes.iter().map(JsWaitNode::from).collect(),
            progress: p.progress,
            polls: p.polls,
            elapsed_ms: p.elapsed_ms as f64,
        }
    }
}

// The declaration only: the value is built by js/certificate.js (`client/certificate.rs`), with
// these keys in this order.
/// The CA certificate of a cluster.
#[derive(Tsify)]
#[tsify(rename = "Certificates")]
#[allow(dead_code)]
pub(crate) struct JsCertificates<'a> {
    /// The zip as downloaded.
    #[tsify(type = "Uint8Array")]
    zip: &'a [u8],
    /// PEM text: pass it as `ca` to `tls` or `pg`.
    pem: &'a str,
    #[tsify(type = "Uint8Array")]
    der: &'a [u8],
    /// Java keystore (empty if the zip had none).
    #[tsify(type = "Uint8Array")]
    jks: &'a [u8],
}
