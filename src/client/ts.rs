//! The TypeScript declarations of the client's method options that no Rust type derives yet
//! (the client, retry, call and waiter options: `options.rs`; the hook, progress and certificate
//! outputs: `crate::outputs`) and `Symbol.dispose`. The overloads of `waitForCluster` by
//! `until` are in js/client.d.ts: an interface merged with the class must follow it in the
//! `.d.ts` for its overloads to come first, and these sections come before it.

use super::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
declare global {
    interface SymbolConstructor {
        /**
         * The method `using` calls at the end of its block (TypeScript's `esnext.disposable` lib
         * declares it too): declared here so that `InstaclustrClient`'s `[Symbol.dispose]()` needs
         * no such lib.
         */
        readonly dispose: unique symbol;
    }
}

/** Options of `listClusters`. */
export interface ListClustersOptions extends CallOptions, ListClustersParams {}

/** Options of `updateCluster`. */
export interface UpdateClusterOptions extends CallOptions {
    /** The current cluster, when already at hand (otherwise it is fetched first for the guard). */
    current?: PostgresqlCluster | undefined;
}


"#;
