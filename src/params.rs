//! The parameter objects of the list operations, shared by the builders and the client methods:
//! read by serde (through [`Key`]) and declared in the `.d.ts` by tsify from the same structs.

use serde::de::DeserializeOwned;
use tsify::Tsify;
use wasm_bindgen::JsValue;

use crate::key::Key;

/// Options of `buildListClustersRequest` (and the `search` of `listClusters`).
#[derive(serde::Deserialize, Tsify, Default)]
#[tsify(rename = "ListClustersParams")]
pub(crate) struct JsListClustersParams {
    /// Filter such as `name:my-cluster`.
    #[tsify(optional, type = "string | undefined")]
    pub(crate) search: Key,
}

/// Options of `buildListCompatibleNodeSizesRequest`.
#[derive(serde::Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(rename = "ListCompatibleNodeSizesParams")]
pub(crate) struct JsListCompatibleNodeSizesParams {
    /// Only node sizes usable with PgBouncer; the query parameter is sent only when given.
    #[tsify(optional, type = "boolean | undefined")]
    pub(crate) pgbouncer_required: Key,
}

/// The keys of `js` read by serde into `T`; every key absent when `js` is not an object (absent,
/// `null`, or of the wrong type: the caller reports that).
pub(crate) fn read<T: DeserializeOwned + Default>(js: Option<&JsValue>) -> T {
    match js.filter(|o| o.is_object()) {
        Some(o) => crate::key::read_object(o).unwrap_or_default(),
        None => T::default(),
    }
}
