//! Response parsers for JS: `parse<Operation>Response(status, body)`, `body` a string or a
//! `Uint8Array`. Non-2xx statuses throw an `ApiError`, malformed bodies a `DecodeError`.

use wasm_bindgen::prelude::*;

use crate::errors::{to_js_error, validation_error};
use crate::to_js;
use instaclustr_pg_core::response as rs;
use instaclustr_pg_core::validate::{Violation, ViolationCode};
use instaclustr_pg_core::{Error, Operation};

/// The status and the body bytes, or a `ValidationError` for arguments of the wrong type.
fn args(status: &JsValue, body: &JsValue) -> Result<(u16, Vec<u8>), JsValue> {
    let mut v = Vec::new();
    let code = match status.as_f64() {
        Some(n) if n.fract() == 0.0 && (100.0..=599.0).contains(&n) => n as u16,
        _ => {
            v.push(Violation::new(
                "status",
                ViolationCode::Range,
                "must be an http status, an integer from 100 to 599",
            ));
            0
        }
    };
    let bytes = if let Some(s) = body.as_string() {
        s.into_bytes()
    } else if let Some(u) = body.dyn_ref::<js_sys::Uint8Array>() {
        u.to_vec()
    } else if let Some(b) = body.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(b).to_vec()
    } else if body.is_undefined() || body.is_null() {
        Vec::new()
    } else {
        v.push(Violation::new(
            "body",
            ViolationCode::Type,
            "must be a string or a Uint8Array",
        ));
        Vec::new()
    };
    if v.is_empty() {
        Ok((code, bytes))
    } else {
        Err(validation_error(v))
    }
}

fn out<T: serde::Serialize>(op: Operation, r: Result<T, Error>) -> Result<JsValue, JsValue> {
    let ctx = crate::errors::ErrorContext {
        operation: Some(op),
        ..Default::default()
    };
    match r {
        Ok(value) => to_js(&value),
        Err(e) => Err(to_js_error(&e, Some(&ctx))),
    }
}

macro_rules! parser {
    ($doc:literal, $js:ident, $rust:ident, $parse:path, $op:ident, $ts:literal) => {
        #[doc = $doc]
        ///
        /// # Errors
        /// Throws an `ApiError` for a non-2xx status, a `DecodeError` for a malformed body, a
        /// `ValidationError` for arguments of the wrong type.
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $ts)]
        pub fn $rust(
            #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
            #[wasm_bindgen(unchecked_param_type = "ResponseBody")] body: JsValue,
        ) -> Result<JsValue, JsValue> {
            let (status, bytes) = args(&status, &body)?;
            out(Operation::$op, $parse(status, &bytes))
        }
    };
}

parser!(
    "The created cluster.",
    parseCreateClusterResponse,
    parse_create_cluster_response,
    rs::parse_create_cluster,
    CreateCluster,
    "PostgresqlCluster"
);
parser!(
    "The cluster.",
    parseGetClusterResponse,
    parse_get_cluster_response,
    rs::parse_get_cluster,
    GetCluster,
    "PostgresqlCluster"
);
parser!(
    "The updated cluster, or `undefined` when the 2xx body is empty.",
    parseUpdateClusterResponse,
    parse_update_cluster_response,
    rs::parse_update_cluster,
    UpdateCluster,
    "PostgresqlCluster | undefined"
);
macro_rules! unit_parser {
    ($doc:literal, $js:ident, $rust:ident, $parse:path, $op:ident) => {
        #[doc = $doc]
        ///
        /// # Errors
        /// Throws an `ApiError` for a non-2xx status, a `ValidationError` for arguments of the
        /// wrong type.
        #[wasm_bindgen(js_name = $js)]
        pub fn $rust(
            #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
            #[wasm_bindgen(unchecked_param_type = "ResponseBody")] body: JsValue,
        ) -> Result<(), JsValue> {
            let (status, bytes) = args(&status, &body)?;
            let ctx = crate::errors::ErrorContext {
                operation: Some(Operation::$op),
                ..Default::default()
            };
            $parse(status, &bytes).map_err(|e| to_js_error(&e, Some(&ctx)))
        }
    };
}

unit_parser!(
    "Nothing (the delete was accepted).",
    parseDeleteClusterResponse,
    parse_delete_cluster_response,
    rs::parse_delete_cluster,
    DeleteCluster
);
unit_parser!(
    "Nothing (the backup was started).",
    parseTriggerBackupResponse,
    parse_trigger_backup_response,
    rs::parse_trigger_backup,
    TriggerBackup
);
parser!(
    "The backup events of the last 7 days.",
    parseListBackupsResponse,
    parse_list_backups_response,
    rs::parse_list_backups,
    ListBackups,
    "ClusterBackupEvents"
);
parser!(
    "The accepted restore, with `restoredClusterId`.",
    parseRestoreClusterResponse,
    parse_restore_cluster_response,
    rs::parse_restore_cluster,
    RestoreCluster,
    "ClusterRestore"
);
parser!(
    "The PostgreSQL (and add-on) versions.",
    parseListVersionsResponse,
    parse_list_versions_response,
    rs::parse_list_versions,
    ListVersions,
    "ApplicationVersionsList[]"
);
parser!(
    "The add-on versions compatible with a PostgreSQL version.",
    parseListCompatibleVersionsResponse,
    parse_list_compatible_versions_response,
    rs::parse_list_compatible_versions,
    ListCompatibleVersions,
    "ApplicationVersionsList[]"
);
parser!(
    "The node sizes per provider.",
    parseListCompatibleNodeSizesResponse,
    parse_list_compatible_node_sizes_response,
    rs::parse_list_compatible_node_sizes,
    ListCompatibleNodeSizes,
    "CloudProviderNodeSizesList[]"
);
parser!(
    "The account's clusters.",
    parseListClustersResponse,
    parse_list_clusters_response,
    rs::parse_list_clusters,
    ListClusters,
    "AccountClusters[]"
);

/// The certificate zip, as sent.
///
/// # Errors
/// Throws an `ApiError` for a non-2xx status, a `DecodeError` for an empty body, a
/// `ValidationError` for arguments of the wrong type.
#[wasm_bindgen(js_name = parseDownloadCertificateResponse)]
pub fn parse_download_certificate_response(
    #[wasm_bindgen(unchecked_param_type = "number")] status: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ResponseBody")] body: JsValue,
) -> Result<js_sys::Uint8Array, JsValue> {
    let (status, bytes) = args(&status, &body)?;
    match rs::parse_download_certificate(status, &bytes) {
        Ok(zip) => Ok(js_sys::Uint8Array::from(zip.as_slice())),
        Err(e) => {
            let ctx = crate::errors::ErrorContext {
                operation: Some(Operation::DownloadCertificate),
                ..Default::default()
            };
            Err(to_js_error(&e, Some(&ctx)))
        }
    }
}
