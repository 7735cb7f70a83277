//! TypeScript declarations that no Rust type derives: the enumerations of the models (closed
//! where an input holds them, open where only answers do), the models whose input and output
//! differ (the core's `model::ts`), and the inputs that accept more than the wire type (the
//! builders' options, parameters and result are derived: `request_options.rs`, `params.rs`,
//! `outputs.rs`).

use wasm_bindgen::prelude::*;

use instaclustr_pg_core::model::{
    ts, BackupEventState, CloudProvider, ClusterApplication, ClusterStatus, NodeRole,
    OperationStatus, PoolMode, ReplicationMode, RestoreMode, SlaTier,
};

// One section per enumeration (written by `string_enum!`): closed (`TS_CLOSED`) for the five
// an input holds, whose answers' fields say `Name | (string & {})`; open (`TS_DECL`) for the
// others, which only answers hold.
#[wasm_bindgen(typescript_custom_section)]
const TS_CLOUD_PROVIDER: &str = CloudProvider::TS_CLOSED;
#[wasm_bindgen(typescript_custom_section)]
const TS_SLA_TIER: &str = SlaTier::TS_CLOSED;
#[wasm_bindgen(typescript_custom_section)]
const TS_OPERATION_STATUS: &str = OperationStatus::TS_DECL;
#[wasm_bindgen(typescript_custom_section)]
const TS_CLUSTER_STATUS: &str = ClusterStatus::TS_DECL;
#[wasm_bindgen(typescript_custom_section)]
const TS_POOL_MODE: &str = PoolMode::TS_CLOSED;
#[wasm_bindgen(typescript_custom_section)]
const TS_REPLICATION_MODE: &str = ReplicationMode::TS_CLOSED;
#[wasm_bindgen(typescript_custom_section)]
const TS_RESTORE_MODE: &str = RestoreMode::TS_CLOSED;
#[wasm_bindgen(typescript_custom_section)]
const TS_BACKUP_EVENT_STATE: &str = BackupEventState::TS_DECL;
#[wasm_bindgen(typescript_custom_section)]
const TS_NODE_ROLE: &str = NodeRole::TS_DECL;
#[wasm_bindgen(typescript_custom_section)]
const TS_CLUSTER_APPLICATION: &str = ClusterApplication::TS_DECL;

// The models whose input and output differ, or whose output says more than a tsify derive
// can (instaclustr_pg_core::model::ts, where tests hold them to the models).
#[wasm_bindgen(typescript_custom_section)]
const TS_CLUSTER: &str = ts::TS_CLUSTER;
#[wasm_bindgen(typescript_custom_section)]
const TS_RESTORE: &str = ts::TS_RESTORE;
#[wasm_bindgen(typescript_custom_section)]
const TS_LISTS: &str = ts::TS_LISTS;
#[wasm_bindgen(typescript_custom_section)]
const TS_MORE: &str = ts::TS_MORE;

#[wasm_bindgen(typescript_custom_section)]
const TS_REQUESTS: &str = r#"
/** HTTP method of an operation. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** A point in time: epoch milliseconds (number or digit string), an ISO 8601 date-time, or a `Date`. */
export type PointInTimeInput = number | string | Date;
/** The present of a check against it (`parsePointInTime`, `validateRestoreCluster`). */
export interface PresentOptions {
  /** Epoch milliseconds (default `Date.now()`), e.g. `emulator.now()` of `instaclustr-pg/emulator`. */
  now?: number;
}


/**
 * A response body as received: text or bytes (`Uint8Array` is the fast form: a string costs a
 * UTF-16 to UTF-8 copy). JSON bodies are checked against the response model and built by
 * `JSON.parse`: the value has the model's fields (a `null` optional field is left out, a `null`
 * or missing list is `[]`) and keeps any field the server adds that the model does not list.
 */
export type ResponseBody = string | Uint8Array;
"#;

// The operations beyond the provisioning page (configurations, reloads, settings, resizes,
// maintenance events): their open enumerations and the inputs
// that are not models (their models' declarations are `ts::TS_MORE`).
#[wasm_bindgen(typescript_custom_section)]
const TS_RELOAD_STATUS: &str = instaclustr_pg_core::model::ReloadStatus::TS_DECL;
#[wasm_bindgen(typescript_custom_section)]
const TS_RESIZE_STATUS: &str = instaclustr_pg_core::model::ResizeStatus::TS_DECL;
#[wasm_bindgen(typescript_custom_section)]
const TS_REPLACE_STATUS: &str = instaclustr_pg_core::model::ReplaceStatus::TS_DECL;

#[wasm_bindgen(typescript_custom_section)]
const TS_MORE_INPUTS: &str = r#"
/** A configuration property's ID: `<clusterId>|<name>` (the client percent-encodes the `|`), or its two parts. */
export type ConfigurationId = string | { clusterId: string; name: string };

/** The parameters of `listResizeOperations`. */
export interface ListResizeOperationsParams {
    /** Only the operations running. */
    activeOnly?: boolean | undefined;
}
"#;
