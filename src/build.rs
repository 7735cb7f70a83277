//! Request builders for JS: `build<Operation>Request(..., options?)` returns
//! `{ method, url, headers, body? }` or throws a `ValidationError` with every violation.

use wasm_bindgen::prelude::*;

use crate::errors::{to_js_error, validation_error};
use crate::fetch::request_to_js;
use crate::params::{JsListClustersParams, JsListCompatibleNodeSizesParams};
use crate::{arena, now_ms, to_json_view};
use instaclustr_pg_core::request::{self as rq, HttpRequest};
use instaclustr_pg_core::validate::{Bump, Json, Violation, ViolationCode};
use instaclustr_pg_core::{Endpoint, Error};

/// A path or query parameter that must be a string.
fn string_param(js: &JsValue, path: &str, v: &mut Vec<Violation>) -> String {
    match js.as_string() {
        Some(s) => s,
        None => {
            let code = if js.is_undefined() || js.is_null() {
                ViolationCode::Required
            } else {
                ViolationCode::Type
            };
            v.push(Violation::new(path, code, "must be a string"));
            String::new()
        }
    }
}

/// A body as a [`Json`] view of its text (kept in `text`); `null` when it
/// could not be read (a violation).
fn body_view<'t>(
    js: &JsValue,
    text: &'t mut String,
    arena: &'t Bump,
    v: &mut Vec<Violation>,
) -> Json<'t> {
    match to_json_view(js, "", text, arena) {
        Ok(value) => value,
        Err(violation) => {
            v.push(violation);
            Json::Null
        }
    }
}

/// Runs `build`, merging the violations found while reading the JS arguments (first) with the
/// builder's own, so that every problem is reported at once; an argument that could not be read
/// is reported once, as the client methods do (not also as the empty value the builder saw).
fn finish(early: Vec<Violation>, built: Result<HttpRequest, Error>) -> Result<JsValue, JsValue> {
    match built {
        Ok(req) if early.is_empty() => Ok(request_to_js(&req)),
        Ok(_) => Err(validation_error(early)),
        Err(Error::Validation { violations }) => {
            let unread: Vec<String> = early.iter().map(|v| v.path.clone()).collect();
            let mut all = early;
            for x in violations {
                if !all.contains(&x) && !unread.contains(&x.path) {
                    all.push(x);
                }
            }
            Err(validation_error(all))
        }
        Err(other) => Err(to_js_error(&other, None)),
    }
}

macro_rules! id_builder {
    ($doc:literal, $js:ident, $rust:ident, $ty:ident) => {
        #[doc = $doc]
        ///
        /// # Errors
        /// Throws a `ValidationError` with every violation; nothing is sent.
        #[wasm_bindgen(js_name = $js, unchecked_return_type = "HttpRequest")]
        pub fn $rust(
            #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")]
            cluster_id: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<
                JsValue,
            >,
        ) -> Result<JsValue, JsValue> {
            let mut v = Vec::new();
            let cluster_id = string_param(&cluster_id, "clusterId", &mut v);
            let opts = crate::request_options::read(&options, &mut v);
            finish(v, rq::$ty { cluster_id }.build(&opts))
        }
    };
}

id_builder!(
    "`GET` a cluster.",
    buildGetClusterRequest,
    build_get_cluster_request,
    GetCluster
);
id_builder!(
    "`DELETE` a cluster.",
    buildDeleteClusterRequest,
    build_delete_cluster_request,
    DeleteCluster
);
id_builder!(
    "`GET` the backup events of the last 7 days.",
    buildListBackupsRequest,
    build_list_backups_request,
    ListBackups
);
id_builder!(
    "`POST` a manual backup.",
    buildTriggerBackupRequest,
    build_trigger_backup_request,
    TriggerBackup
);
id_builder!(
    "`GET` the cluster's CA certificate zip (any non-empty ID, percent-encoded).",
    buildDownloadCertificateRequest,
    build_download_certificate_request,
    DownloadCertificate
);

/// `POST` a new cluster.
///
/// # Errors
/// Throws a `ValidationError` with every violation of the body and the options.
#[wasm_bindgen(js_name = buildCreateClusterRequest, unchecked_return_type = "HttpRequest")]
pub fn build_create_cluster_request(
    #[wasm_bindgen(unchecked_param_type = "PostgresqlClusterInput")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    let mut text = String::new();
    let arena = arena();
    let body = body_view(&body, &mut text, &arena, &mut v);
    let opts = crate::request_options::read(&options, &mut v);
    finish(v, rq::CreateCluster::build_json(&body, &opts))
}

/// `PUT` a cluster update (exactly one data centre).
///
/// # Errors
/// Throws a `ValidationError` with every violation of the ID, the body and the options.
#[wasm_bindgen(js_name = buildUpdateClusterRequest, unchecked_return_type = "HttpRequest")]
pub fn build_update_cluster_request(
    #[wasm_bindgen(js_name = clusterId, unchecked_param_type = "string")] cluster_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PostgresqlClusterUpdate")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    let cluster_id = string_param(&cluster_id, "clusterId", &mut v);
    let mut text = String::new();
    let arena = arena();
    let body = body_view(&body, &mut text, &arena, &mut v);
    let opts = crate::request_options::read(&options, &mut v);
    finish(v, rq::UpdateCluster::build_json(&cluster_id, &body, &opts))
}

/// `POST` a point-in-time restore; `pointInTime` is sent as an ISO 8601 UTC string.
///
/// # Errors
/// Throws a `ValidationError` with every violation of the body and the options.
#[wasm_bindgen(js_name = buildRestoreClusterRequest, unchecked_return_type = "HttpRequest")]
pub fn build_restore_cluster_request(
    #[wasm_bindgen(unchecked_param_type = "RestoreClusterInput")] body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    let mut text = String::new();
    let arena = arena();
    let body = body_view(&body, &mut text, &arena, &mut v);
    let opts = crate::request_options::read(&options, &mut v);
    finish(v, rq::RestoreCluster::build_json(&body, now_ms(), &opts))
}

/// `GET` the PostgreSQL (and add-on) versions.
///
/// # Errors
/// Throws a `ValidationError` when the options are invalid.
#[wasm_bindgen(js_name = buildListVersionsRequest, unchecked_return_type = "HttpRequest")]
pub fn build_list_versions_request(
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    let opts = crate::request_options::read(&options, &mut v);
    finish(v, rq::ListVersions.build(&opts))
}

/// `GET` the add-on versions compatible with a PostgreSQL version (`x.y.z`).
///
/// # Errors
/// Throws a `ValidationError` when the version or the options are invalid.
#[wasm_bindgen(js_name = buildListCompatibleVersionsRequest, unchecked_return_type = "HttpRequest")]
pub fn build_list_compatible_versions_request(
    #[wasm_bindgen(js_name = postgresqlVersion, unchecked_param_type = "string")]
    postgresql_version: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    let postgresql_version = string_param(&postgresql_version, "postgresqlVersion", &mut v);
    let opts = crate::request_options::read(&options, &mut v);
    finish(
        v,
        rq::ListCompatibleVersions { postgresql_version }.build(&opts),
    )
}

fn check_params_object(js: &Option<JsValue>, v: &mut Vec<Violation>) {
    if js
        .as_ref()
        .is_some_and(|p| !p.is_undefined() && !p.is_null() && !p.is_object())
    {
        v.push(Violation::new(
            "params",
            ViolationCode::Type,
            "must be an object",
        ));
    }
}

/// `GET` the node sizes per provider; `pgbouncerRequired` is sent only when given.
///
/// # Errors
/// Throws a `ValidationError` when the parameters or the options are invalid.
#[wasm_bindgen(js_name = buildListCompatibleNodeSizesRequest, unchecked_return_type = "HttpRequest")]
pub fn build_list_compatible_node_sizes_request(
    #[wasm_bindgen(unchecked_optional_param_type = "ListCompatibleNodeSizesParams")] params: Option<
        JsValue,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    check_params_object(&params, &mut v);
    let p: JsListCompatibleNodeSizesParams = crate::params::read(params.as_ref());
    let flag = p.pgbouncer_required.0;
    let pgbouncer_required = if flag.is_undefined() || flag.is_null() {
        None
    } else {
        let b = flag.as_bool();
        if b.is_none() {
            // the same path as the client method's (`params` is the argument's name)
            v.push(Violation::new(
                "params.pgbouncerRequired",
                ViolationCode::Type,
                "must be a boolean",
            ));
        }
        b
    };
    let opts = crate::request_options::read(&options, &mut v);
    finish(
        v,
        rq::ListCompatibleNodeSizes { pgbouncer_required }.build(&opts),
    )
}

/// `GET` the account's clusters, optionally filtered (`search`, e.g. `name:my-cluster`).
///
/// # Errors
/// Throws a `ValidationError` when the parameters or the options are invalid.
#[wasm_bindgen(js_name = buildListClustersRequest, unchecked_return_type = "HttpRequest")]
pub fn build_list_clusters_request(
    #[wasm_bindgen(unchecked_optional_param_type = "ListClustersParams")] params: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut v = Vec::new();
    check_params_object(&params, &mut v);
    let p: JsListClustersParams = crate::params::read(params.as_ref());
    let s = p.search.0;
    let search = if s.is_undefined() || s.is_null() {
        None
    } else {
        Some(string_param(&s, "search", &mut v))
    };
    let opts = crate::request_options::read(&options, &mut v);
    finish(v, rq::ListClusters { search }.build(&opts))
}
