//! The TypeScript declarations of the client class, its options, hooks, progress and
//! certificate types (hand-written: no Rust type derives them yet).

use super::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &str = r#"
/** Retry settings; see the README for the defaults and their reasons. */
export interface RetryOptions {
    /** Retries after the first attempt (default 3). */
    maxRetries?: number;
    /** First backoff ceiling, ms (default 500); doubled per retry, full jitter. */
    baseDelayMs?: number;
    /** Largest backoff ceiling, ms (default 20000). */
    maxDelayMs?: number;
    /** Largest `Retry-After` honoured, ms (default 60000); a longer one ends the retries. */
    maxRetryAfterMs?: number;
}


/** Options of `new InstaclustrClient(...)`. */
export interface ClientOptions {
    username: string;
    /** Provisioning API key; never appears in any error, hook or log. */
    apiKey: string;
    /** Default `https://api.instaclustr.com`; `http://` only to a loopback host. */
    baseUrl?: string;
    /** Deadline of each call in ms, retries included (default 60000). */
    timeoutMs?: number;
    /** Shorthand for `retry.maxRetries` (default 3). */
    maxRetries?: number;
    retry?: RetryOptions;
    /** Largest response body accepted, bytes (default 16 MiB); larger gives a `DecodeError`. */
    maxResponseBytes?: number;
    /** Replaces the global `fetch` (same signature). */
    fetch?: (input: string, init: RequestInit) => Promise<Response>;
    onRequest?: (event: HookEvent) => void;
    onResponse?: (event: HookEvent) => void;
}

/** The last argument of every client method. */
export interface CallOptions {
    /** Cancels the call at once (in-flight request and any wait) with an `AbortError`. */
    signal?: AbortSignal;
    /** Deadline of this call in ms, retries included. */
    timeoutMs?: number;
}

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
