// Types of `instaclustr-pg/emulator`.

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** Accounts as `"username:apiKey"`; default the demo account `demo` / `demo-api-key`. */
  accounts?: string[];
  /** Lifecycle delays divided by this (1 = realistic minutes, as the native `--speed`). */
  speed?: number;
  /** Seed of the emulator's randomness (ids, random faults); default a random one. */
  seed?: number | bigint;
  /** `"off"` (the default): clusters are records, no databases. `"pglite"` is not yet available. */
  postgres?: "off";
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
  /** The whole state (clusters, their secrets, the clock offset) as a JSON-serialisable object. */
  snapshot(): EmulatorSnapshot;
  /**
   * Replaces the state with a snapshot's. Throws an `Error` saying what is wrong for a damaged
   * or newer-version snapshot (the state is then unchanged).
   */
  restore(snapshot: EmulatorSnapshot): void;
  /** Removes every cluster and puts the clock back; the accounts stay. */
  reset(): void;
  /** Releases the emulator (its WebAssembly memory, its timers); later calls fail with code `EMULATOR_CLOSED`. */
  close(): Promise<void>;
}

/**
 * An emulator in this process (Node 18+, browsers, Workers). Rejects with a `TypeError` or
 * `RangeError` naming a wrong option, an `Error` for a refused snapshot.
 */
export function createEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** The demo account used when `accounts` is not given. */
export const DEMO_ACCOUNT: { readonly username: "demo"; readonly apiKey: "demo-api-key" };
