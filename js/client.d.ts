// Declarations of InstaclustrClient that wasm-bindgen cannot write, appended by
// scripts/build after the generated class (an interface merged with a class must follow it for
// its overloads to come first).

/**
 * `waitForCluster` by `until`: an interface merged with the class declared above, whose own
 * signature (any `until`) stays the last overload.
 */
export interface InstaclustrClient {
    /**
     * Polls `getCluster` until the cluster is RUNNING with no operation in progress, and gives
     * it; a `WaiterError` on OPERATION_FAILED, a terminal status or `maxWaitMs`.
     */
    waitForCluster(clusterId: string, options: WaitOptions & { until?: "RUNNING" | undefined }): Promise<PostgresqlCluster>;
    /**
     * Polls `getCluster` until the cluster is DELETED: the cluster as last seen (status
     * `DELETED`), or `undefined` once the API answers 404; a `WaiterError` after `maxWaitMs`.
     */
    waitForCluster(clusterId: string, options: WaitOptions & { until: "DELETED" }): Promise<PostgresqlCluster | undefined>;
}
