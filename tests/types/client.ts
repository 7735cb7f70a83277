// Type-check of the client surface (tsc --noEmit): every method is Promise-typed with the model
// types, options objects are checked, errors narrow by class.
import {
  InstaclustrClient, InstaclustrError, diffClusterUpdate, ApiError, WaiterError,
  type PostgresqlCluster, type ClusterBackupEvents, type Certificates, type WaitProgress, type HookEvent,
  type ClusterSummary, type Violation, type ClusterRestore,
} from "../../pkg/index.js";

export async function useClient(signal: AbortSignal): Promise<void> {
  const client = new InstaclustrClient({
    username: "alice",
    apiKey: "key",
    baseUrl: "http://127.0.0.1:8080",
    timeoutMs: 30_000,
    maxRetries: 2,
    retry: { baseDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 60_000 },
    maxResponseBytes: 1 << 20,
    fetch: (input, init) => fetch(input, init),
    onRequest: (e: HookEvent) => void e.attempt,
    onResponse: (e: HookEvent) => void e.status,
    now: () => Date.now(),
  });
  // @ts-expect-error: now returns epoch milliseconds, not a Date
  void new InstaclustrClient({ username: "a", apiKey: "k", now: () => new Date() });
  const env = InstaclustrClient.fromEnv({ timeoutMs: 1000 });
  void env;
  const c: PostgresqlCluster = await client.getCluster("id", { signal, timeoutMs: 5000 });
  // waitForCluster by until: RUNNING (the default) gives the cluster
  const ready: PostgresqlCluster = await client.waitForCluster(c.id, {
    maxWaitMs: 60_000,
    until: "RUNNING",
    onProgress: (p: WaitProgress) => console.log(p.status, p.nodes.length, p.progress),
  });
  const byDefault: PostgresqlCluster = await client.waitForCluster(c.id, { maxWaitMs: 60_000 });
  const nodes: number = ready.dataCentres[0]?.nodes.length ?? 0;
  // DELETED: the cluster as last seen, or undefined once it is gone
  const gone: PostgresqlCluster | undefined = await client.waitForCluster(c.id, { until: "DELETED", maxWaitMs: 60_000 });
  // @ts-expect-error: DELETED may give undefined
  const notGone: PostgresqlCluster = await client.waitForCluster(c.id, { until: "DELETED", maxWaitMs: 60_000 });
  const until = Math.random() < 0.5 ? "RUNNING" : "DELETED";
  const either: PostgresqlCluster | undefined = await client.waitForCluster(c.id, { until, maxWaitMs: 60_000 });
  void [byDefault, nodes, gone, notGone, either];
  // options take undefined wherever the runtime does (exactOptionalPropertyTypes)
  const fromForm: string | undefined = undefined;
  const maybe = new InstaclustrClient({ username: "alice", apiKey: "key", baseUrl: fromForm, timeoutMs: undefined, fetch: undefined });
  await maybe.listClusters({ search: fromForm, signal: undefined });
  await maybe.waitForCluster("id", { maxWaitMs: 1, signal: undefined, onProgress: undefined, minDelayMs: undefined });
  InstaclustrClient.fromEnv({ baseUrl: fromForm });
  // free(), idempotent; [Symbol.dispose]() with `using`
  maybe.free();
  maybe.free();
  maybe[Symbol.dispose]();
  const events: ClusterBackupEvents = await client.waitForBackup("id", { maxWaitMs: 1000, since: new Date() });
  void events;
  const certs: Certificates = await client.downloadCertificate("id");
  const pem: string = certs.pem;
  const der: Uint8Array = certs.der;
  void pem;
  void der;
  const list: ClusterSummary[] = await client.listClusters({ search: "name:x" });
  void list;
  const restored: ClusterRestore = await client.restoreCluster({ clusterId: "id", pointInTime: new Date() });
  void restored;
  await client.deleteCluster("id");
  const refused: Violation[] = diffClusterUpdate(c, { dataCentres: c.dataCentres });
  void refused;
  try {
    await client.triggerBackup("id");
  } catch (e) {
    if (e instanceof ApiError) console.log(e.status, e.errors);
    if (e instanceof WaiterError) console.log(e.code);
    if (e instanceof ApiError && e.outcomeUnknown) console.log(e.hint?.length, e.headers?.["retry-after"], e.retryAfterMs);
    if (e instanceof InstaclustrError && e.code === "ABORT_ERROR") console.log(e.cause);
    if (e instanceof InstaclustrError && e.code === "WAITER_ERROR") console.log(e.lastStatus);
  }
}
