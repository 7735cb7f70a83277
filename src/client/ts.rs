//! The TypeScript declarations of the client's method options that no Rust type derives yet
//! (the client, retry, call and waiter options: `options.rs`; the hook, progress and certificate
//! outputs: `crate::outputs`).

use super::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
/** Options of `listClusters`. */
export interface ListClustersOptions extends CallOptions, ListClustersParams {}

/** Options of `updateCluster`. */
export interface UpdateClusterOptions extends CallOptions {
    /** The current cluster, when already at hand (otherwise it is fetched first for the guard). */
    current?: PostgresqlCluster;
}

"#;
