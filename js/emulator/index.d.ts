// Types of `instaclustr-pg/emulator`.

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Accounts as `"username:apiKey"`; default the demo account `demo` / `demo-api-key`. */
  accounts?: string[];
  /** Lifecycle delays divided by this (1 = realistic minutes, as the native `--speed`). */
  speed?: number;
  /** Seed of the emulator's randomness (ids, random faults); default a random one. */
  seed?: number | bigint;
  /**
   * `"off"` (the default): clusters are records, no databases. `"pglite"`: each cluster's primary
   * is a PGlite database (install `@electric-sql/pglite`, an optional peer dependency; without it
   * `createEmulator` rejects with an `Error` of code `PGLITE_MISSING` naming it), reached with
   * {@link Emulator.database} and, in Node, over the PostgreSQL wire on the cluster's reported
   * loopback address, port 5432: TLS with a certificate signed by the cluster CA (the one
   * `downloadCertificate` returns, so `sslmode=verify-full` works), SCRAM-SHA-256 for
   * `icpostgresql` with the cluster's current password; without TLS or with a wrong password the
   * connection is refused. In browsers there is no listener, only {@link Emulator.database}.
   *
   * What is not real: standbys are records (only the primary has a database); a point-in-time
   * restore returns the data of the newest backup taken at or before the instant (the request log
   * of `npx instaclustr-pg emulator` names it), with no replay to the instant; the server is
   * PGlite's PostgreSQL version whatever the cluster's `postgresqlVersion`, and sessions run as
   * PGlite's own superuser; PGlite has one connection, so one wire session at a time per cluster
   * (a second one waits up to 5 s for the first to end, then is refused with 53300), and
   * {@link Emulator.database} queries share it. A cluster is RUNNING only once its database
   * answers: after {@link Emulator.advance}, `await emulator.database(id)` before expecting it.
   */
  postgres?: "off" | "pglite";
  /**
   * With `postgres: "pglite"`: the most live databases (default 4; each holds about 200 MB that
   * PGlite never gives back). Over it, creating or restoring a cluster is refused at once with a
   * 409 naming `dataCentres`; deleting a cluster frees its slot.
   */
  maxDatabases?: number;
  /** A state {@link Emulator.snapshot} returned (a damaged or newer-version one is refused). */
  snapshot?: EmulatorSnapshot;
  /** Honour the `X-Emulator-Fault*` request headers and serve `/__emulator/stats`. */
  testMode?: boolean;
  /** Probability (0..1) of a random fault per API request. */
  faultRate?: number;
  /** Kinds drawn by random faults (`"503"`, `"drop"`, `"stall:3000"`, ...). */
  faultKinds?: string[];
  /** Requests per second before a 429 with `Retry-After`. */
  rateLimit?: number;
  /** Largest request body in bytes (default 1 MiB; 413 above). */
  bodyLimit?: number;
}

/** What {@link Emulator.database} resolves to: a PGlite instance (typed loosely, so that this package does not need PGlite's types). */
export interface PGliteDatabase {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown[]>;
  [key: string]: unknown;
}

/** The emulator's whole state: plain JSON, versioned. */
export interface EmulatorSnapshot {
  version: number;
  /** How far {@link Emulator.advance} moved the clock. */
  clockOffsetMs?: number;
  [key: string]: unknown;
}

/** An emulator of the Instaclustr PostgreSQL API in this process. */
export interface Emulator {
  /**
   * A standard `fetch` answered by the emulator, for any base URL: pass it as the client's
   * `fetch`. Honours `init.signal`; an injected dropped connection rejects with
   * `TypeError("fetch failed")`.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The emulator's clock (epoch milliseconds): the wall clock plus every {@link advance}. */
  now(): number;
  /** Moves the emulator's clock forward by `ms` (a 3-minute provisioning at once); the new {@link now}. */
  advance(ms: number): number;
  /**
   * The whole state (clusters, their secrets, the clock offset) as a JSON-serialisable object.
   * With `postgres: "pglite"` it holds no database: a snapshot restored then starts each
   * cluster's database empty; {@link snapshotWithDatabases} keeps them.
   */
  snapshot(): EmulatorSnapshot;
  /**
   * {@link snapshot} plus, with `postgres: "pglite"`, each live database's dump and each backup's
   * (base64 gzip'd PGlite data directories under `pglite`: a few MB each), which
   * `createEmulator({ snapshot })` takes back.
   */
  snapshotWithDatabases(): Promise<EmulatorSnapshot>;
  /**
   * The PGlite database of cluster `clusterId` (`postgres: "pglite"`), once it answers: a
   * `PGlite` of `@electric-sql/pglite` (`query`, `exec`, ...). Rejects with an `Error` of code
   * `NO_DATABASE` for an unknown or deleted cluster, or without `postgres: "pglite"`.
   */
  database(clusterId: string): Promise<PGliteDatabase>;
  /**
   * Replaces the state with a snapshot's. Throws an `Error` saying what is wrong for a damaged
   * or newer-version snapshot (the state is then unchanged).
   */
  restore(snapshot: EmulatorSnapshot): void;
  /** Removes every cluster and puts the clock back; the accounts stay. */
  reset(): void;
  /** Releases the emulator (its WebAssembly memory, its timers, its databases and listeners); later calls fail with code `EMULATOR_CLOSED`. */
  close(): Promise<void>;
}

/**
 * An emulator in this process (Node 18+, browsers, Workers). Rejects with a `TypeError` or
 * `RangeError` naming a wrong option, an `Error` for a refused snapshot.
 */
export function createEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** The demo account used when `accounts` is not given. */
export const DEMO_ACCOUNT: { readonly username: "demo"; readonly apiKey: "demo-api-key" };
