//! The update guard for JS (`diffClusterUpdate`) and the reading of a caller's cluster.

use super::*;
use crate::checked::{checked_text, view};
use crate::errors::validation_error;
use instaclustr_pg_core::shape::HasShape;

/// The fields of `desired` (an update body or a whole cluster) that differ from `current` (a
/// cluster from `getCluster`) although the API does not allow them to change: `conflict`
/// violations, empty when the update may be sent. Pure: nothing is sent.
#[wasm_bindgen(js_name = diffClusterUpdate, unchecked_return_type = "Violation[]")]
pub fn diff_cluster_update(
    #[wasm_bindgen(unchecked_param_type = "PostgresqlCluster")] current: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "PostgresqlClusterUpdate | PostgresqlClusterInput | PostgresqlCluster"
    )]
    desired: JsValue,
) -> Result<JsValue, JsValue> {
    let current = parse_current(&current, "current").map_err(|v| validation_error(vec![v]))?;
    let (mut text, arena) = (String::new(), arena());
    let desired = body_view(&desired, "desired", &mut text, &arena)?;
    Ok(crate::lists::violations(
        &instaclustr_pg_core::validate::diff_cluster_update(&view(&current, &arena), &desired),
    ))
}

/// A cluster given by the caller (as returned by `getCluster`): its JSON text checked as a
/// `getCluster` answer (so exactly what the typed decode accepted is accepted), kept as that
/// text for the guard to read as a `Json` view (no typed decode of the cluster in the wasm).
pub(crate) fn parse_current(v: &JsValue, path: &str) -> Result<Vec<u8>, Violation> {
    let text = js_sys::JSON::stringify(v)
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    checked_text(&PostgresqlCluster::SHAPE, 200, text.as_bytes()).map_err(|_| {
        Violation::new(
            path,
            ViolationCode::Type,
            "must be a cluster as returned by getCluster",
        )
    })
}
