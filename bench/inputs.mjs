// Deterministic, seeded inputs of the benchmarks (same seed, same bytes, on every machine):
//   createBody()            a valid create-cluster body (2 data centres, every optional block)
//   getClusterResponse()    a getCluster response body: 2 data centres x 5 nodes (JSON text)
//   listBackupsResponse()   a listBackups response body: 2 data centres x 5 nodes x 1,000 events
//                           (about 1 MB of JSON text)
//   parseBodies()           the bodies of the parse section, by name: clusters of 0.5 to 5 KB as
//                           servers send them (`null` optional fields, tags, unknown fields), each
//                           also without its `null`s, and a small and the large listBackups
// `node bench/inputs.mjs` prints their sizes and SHA-256 digests.

import { createHash } from "node:crypto";

export const SEED = 0x1c5a_2026;

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for shaped test data. */
export function rng(seed = SEED) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuid(r) {
  const hex = () => Math.floor(r() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, hex).join("");
  return `${part(8)}-${part(4)}-4${part(3)}-${"89ab"[Math.floor(r() * 4)]}${part(3)}-${part(12)}`;
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

/** A valid create-cluster body (PostgresqlClusterV2 as sent): two data centres, one primary. */
export function createBody(seed = SEED) {
  const r = rng(seed);
  const dc = (i, primary) => ({
    name: `dc_${i + 1}_${Math.floor(r() * 1000)}`,
    cloudProvider: "AWS_VPC",
    region: pick(r, ["US_EAST_1", "US_WEST_2", "EU_WEST_1", "AP_SOUTHEAST_2"]),
    network: `10.${i * 16 + 1}.0.0/16`,
    nodeSize: "PGS-PRD-m6g.large-100",
    numberOfNodes: 1 + Math.floor(r() * 5),
    clientToClusterEncryption: true,
    intraDataCentreReplication: [{ replicationMode: pick(r, ["SYNCHRONOUS", "ASYNCHRONOUS"]) }],
    interDataCentreReplication: [{ isPrimaryDataCentre: primary }],
    pgBouncer: [{ pgBouncerVersion: "1.20.0", poolMode: pick(r, ["TRANSACTION", "SESSION", "STATEMENT"]) }],
    awsSettings: [{ ebsEncryptionKey: uuid(r) }],
    tags: [
      { key: "team", value: `team-${Math.floor(r() * 100)}` },
      { key: "env", value: "staging" },
    ],
  });
  return {
    name: `bench-cluster-${Math.floor(r() * 1e6)}`,
    postgresqlVersion: "15.4.0",
    slaTier: "PRODUCTION",
    privateNetworkCluster: false,
    synchronousModeStrict: false,
    description: "Cluster managed by the benchmark",
    dataCentres: [dc(0, true), dc(1, false)],
    twoFactorDelete: [{ confirmationEmail: "ops@example.com", confirmationPhoneNumber: "+61 400 000 000" }],
    resizeSettings: [{ notifySupportContacts: false, concurrency: 1 }],
  };
}

function ip(r, first) {
  return `${first}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;
}

/** The getCluster response object: 2 data centres x 5 nodes each (as the server sends it). */
export function getClusterObject(seed = SEED) {
  const r = rng(seed + 1);
  const body = createBody(seed);
  const start = Date.UTC(2026, 10, 1);
  const node = (dc) => ({
    id: uuid(r),
    rack: `${dc.region.toLowerCase()}${pick(r, ["a", "b", "c"])}`,
    nodeSize: dc.nodeSize,
    privateAddress: ip(r, 10),
    publicAddress: ip(r, 52),
    startTime: new Date(start + Math.floor(r() * 1e9)).toISOString(),
    status: "RUNNING",
    nodeRoles: ["POSTGRESQL", "PGBOUNCER"],
  });
  return {
    id: uuid(r),
    ...body,
    status: "RUNNING",
    currentClusterOperationStatus: "NO_OPERATION",
    pciComplianceMode: false,
    dataCentres: body.dataCentres.map((dc) => ({
      id: uuid(r),
      ...dc,
      numberOfNodes: 5,
      status: "RUNNING",
      nodes: Array.from({ length: 5 }, () => node(dc)),
      deletedNodes: [],
    })),
  };
}

/** The getCluster response body as JSON text. */
export function getClusterResponse(seed = SEED) {
  return JSON.stringify(getClusterObject(seed));
}

/** The listBackups response object: `dcs` x `nodes` x `events` backup events. */
export function listBackupsObject(seed = SEED, { dcs = 2, nodes = 5, events = 1000 } = {}) {
  const r = rng(seed + 2);
  const t0 = Date.UTC(2026, 10, 20);
  return {
    id: uuid(r),
    name: "bench-cluster",
    clusterDataCentres: Array.from({ length: dcs }, (_, d) => ({
      id: uuid(r),
      name: `AWS_VPC_US_EAST_${d + 1}`,
      nodes: Array.from({ length: nodes }, () => ({
        id: uuid(r),
        privateAddress: ip(r, 10),
        publicAddress: ip(r, 52),
        events: Array.from({ length: events }, (_, e) => {
          const start = t0 + e * 600_000 + Math.floor(r() * 60_000);
          const state = r() < 0.97 ? "COMPLETED" : pick(r, ["ACTIVE", "FAILED"]);
          return {
            start,
            // a running event has no end yet: the server sends null
            end: state === "ACTIVE" ? null : start + Math.floor(r() * 300_000),
            progress: state === "COMPLETED" ? 1 : Math.round(r() * 1000) / 1000,
            state,
            type: pick(r, ["snapshot-upload", "commitlog-upload", "wal-upload"]),
          };
        }),
      })),
    })),
  };
}

/** The listBackups response body as JSON text (about 1 MB). */
export function listBackupsResponse(seed = SEED, shape) {
  return JSON.stringify(listBackupsObject(seed, shape));
}

/**
 * A getCluster response object shaped as servers send it: `dcs` data centres of `nodes` nodes;
 * `nulls` adds the optional fields a server writes as `null` when they have no value (a node's
 * `deletionTime`, a data centre's `providerAccountName`, `gcpSettings`, `azureSettings`, the
 * cluster's `defaultUserPassword`), `tags` a data centre's tags, `unknown` fields the model does
 * not list (kept by the parse), `lean` drops the optional blocks of the create body.
 */
export function clusterObject(seed = SEED, { dcs = 2, nodes = 5, nulls = false, tags = true, unknown = false, lean = false } = {}) {
  const c = getClusterObject(seed);
  const r = rng(seed + 3);
  c.dataCentres = c.dataCentres.slice(0, dcs).map((dc) => {
    const d = { ...dc, numberOfNodes: nodes, nodes: dc.nodes.slice(0, nodes) };
    if (!tags) delete d.tags;
    if (lean) for (const k of ["interDataCentreReplication", "pgBouncer", "awsSettings"]) delete d[k];
    if (nulls) {
      Object.assign(d, { providerAccountName: null, gcpSettings: null, azureSettings: null });
      d.nodes = d.nodes.map((n) => ({ ...n, deletionTime: null }));
    }
    if (unknown) {
      d.maintenanceWindow = { dayOfWeek: "SUNDAY", startHour: Math.floor(r() * 24), durationHours: 4 };
      d.nodes = d.nodes.map((n) => ({ ...n, diskUsage: Math.round(r() * 1000) / 1000, monitoring: { enabled: true } }));
    }
    return d;
  });
  if (lean) for (const k of ["twoFactorDelete", "resizeSettings", "description"]) delete c[k];
  if (nulls) c.defaultUserPassword = null;
  if (unknown) Object.assign(c, { accountId: uuid(r), features: ["backups", "pitr"], billing: { plan: "standard" } });
  return c;
}

/** The bodies of the parse section: name -> [JSON text, the `parse*Response` function's name]. */
export function parseBodies(seed = SEED) {
  const cluster = (o) => [JSON.stringify(clusterObject(seed, o)), "GetCluster"];
  const backups = (shape) => [listBackupsResponse(seed, shape), "ListBackups"];
  return {
    getCluster: [getClusterResponse(seed), "GetCluster"],
    "getCluster provisioning": cluster({ dcs: 1, nodes: 0, tags: false, lean: true }),
    "getCluster provisioning, nulls": cluster({ dcs: 1, nodes: 0, tags: false, lean: true, nulls: true }),
    "getCluster 1 node lean": cluster({ dcs: 1, nodes: 1, tags: false, lean: true }),
    "getCluster 1 node lean, nulls": cluster({ dcs: 1, nodes: 1, tags: false, lean: true, nulls: true }),
    "getCluster 1x4 nodes": cluster({ dcs: 1, nodes: 4 }),
    "getCluster 1x4 nodes, nulls": cluster({ dcs: 1, nodes: 4, nulls: true }),
    "getCluster 2x5 nodes, nulls": cluster({ dcs: 2, nodes: 5, nulls: true }),
    "getCluster 2x5 nodes, unknown fields": cluster({ dcs: 2, nodes: 5, unknown: true }),
    "getCluster 2x5 nodes, unknown fields, nulls": cluster({ dcs: 2, nodes: 5, unknown: true, nulls: true }),
    "listBackups 1x2x5 events": backups({ dcs: 1, nodes: 2, events: 5 }),
    listBackups: backups(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const digest = (s) => createHash("sha256").update(s).digest("hex").slice(0, 16);
  for (const [name, text] of [
    ["createBody", JSON.stringify(createBody())],
    ["getClusterResponse", getClusterResponse()],
    ["listBackupsResponse", listBackupsResponse()],
    ...Object.entries(parseBodies()).map(([k, [text]]) => [`parse: ${k}`, text]),
  ]) {
    console.log(`${name.padEnd(48)} ${String(Buffer.byteLength(text)).padStart(8)} bytes  sha256 ${digest(text)}`);
  }
}
