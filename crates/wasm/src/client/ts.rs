//! The TypeScript declarations of the client's method options that no Rust type derives yet
//! (the client, retry and call options: `options.rs`; the hook, progress and certificate
//! outputs: `crate::outputs`).

use super::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
/** Options of `listClusters`. */
export interface ListClustersOptions extends CallOptions {
    /** Filter such as `name:my-cluster`. */
    search?: string;
}

/** Options of `updateCluster`. */
export interface UpdateClusterOptions extends CallOptions {
    /** The current cluster, when already at hand (otherwise it is fetched first for the guard). */
    current?: PostgresqlCluster;
}

/** Options of the waiters. Defaults: first delay 5000 ms, growing 1.5x to 30000 ms. */
export interface WaitOptions {
    /** `waitForCluster` only (default "RUNNING"). */
    until?: "RUNNING" | "DELETED";
    minDelayMs?: number;
    maxDelayMs?: number;
    /** Give up after this long with a `WaiterError`. */
    maxWaitMs: number;
    signal?: AbortSignal;
    onProgress?: (progress: WaitProgress) => void;
    /** `waitForBackup` only: ignore events started before this instant (epoch ms or Date). */
    since?: number | Date;
}

"#;
