// Helpers of the PGlite tests (copied into the scratch project by tests/npm-emulator-pglite/run).
import { readFileSync } from "node:fs";

import pg from "pg";

export const HOUR = 3_600_000;
const body = readFileSync(new URL("./create-cluster.json", import.meta.url), "utf8");
/** The tests' create body (tests/fixtures/create-cluster.json) with `overrides`. */
export const createClusterBody = (overrides = {}) => ({ ...JSON.parse(body), ...overrides });

/** The primary's reported address (public unless private-network only). */
export const primaryAddress = (cluster) => {
  const n = cluster.dataCentres[0].nodes[0];
  return n.publicAddress ?? n.privateAddress;
};

/** A node-postgres client as for Instaclustr: verify-full TLS with the cluster CA, `icpostgresql`. */
export const pgClient = (cluster, ca, extra = {}) =>
  new pg.Client({
    host: primaryAddress(cluster),
    port: 5432,
    user: "icpostgresql",
    password: cluster.defaultUserPassword,
    database: "postgres",
    ssl: { ca, rejectUnauthorized: true },
    connectionTimeoutMillis: 10_000,
    ...extra,
  });

/** Resolves when `check()` is true (polled every 50 ms), rejects after `ms`. */
export async function until(check, ms = 20_000, what = "condition") {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
