// `instaclustr-pg/emulator`: the Instaclustr PostgreSQL API emulator in-process, for tests and
// demos in Node 18+, browsers and Workers. `createEmulator(options)` loads the emulator's own
// WebAssembly module (emulator_core_bg.wasm beside this file; an app that never imports this
// entry never loads it) and returns an emulator whose `fetch` answers every request for any base
// URL, with a virtual clock (`now`, `advance`), snapshots, `reset` and `close`.
import init, { EmulatorCore } from "./emulator_core.js";
import { LOG, STATIC_FILES, createHost } from "./host.js";

/** The demo account of the native emulator, used when `accounts` is not given. */
export const DEMO_ACCOUNT = Object.freeze({ username: "demo", apiKey: "demo-api-key" });
const DEFAULT_BODY_LIMIT = 1 << 20;
const OPTIONS = new Set([
  "accounts",
  "speed",
  "seed",
  "postgres",
  "maxDatabases",
  "snapshot",
  "testMode",
  "faultRate",
  "faultKinds",
  "rateLimit",
  "bodyLimit",
]);

let loading;

/** Instantiates the module once per realm: from the file in Node (fs), by fetch elsewhere. */
function loadModule() {
  loading ??= (async () => {
    const url = new URL("./emulator_core_bg.wasm", import.meta.url);
    let source;
    if (url.protocol === "file:") {
      // a computed specifier, so that bundlers for browsers leave Node's fs alone
      const fs = "node:fs/promises";
      source = await (await import(/* webpackIgnore: true */ /* @vite-ignore */ fs)).readFile(url);
    } else {
      source = fetch(url);
    }
    await init({ module_or_path: source });
  })().catch((e) => {
    loading = undefined;
    throw new Error(`instaclustr-pg/emulator: cannot load its WebAssembly module (${e?.message ?? e})`, { cause: e });
  });
  return loading;
}

/** The options checked and turned into the core's options JSON and seed. */
function checkOptions(options = {}) {
  if (options === null || typeof options !== "object")
    throw new TypeError("createEmulator(options): options must be an object");
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key))
      throw new TypeError(`createEmulator: unknown option ${JSON.stringify(key)} (known: ${[...OPTIONS].join(", ")})`);
  }
  const core = {};
  if (options.accounts !== undefined) {
    if (!Array.isArray(options.accounts))
      throw new TypeError('accounts: expected an array of "username:apiKey" strings');
    core.accounts = options.accounts.map((a, i) => {
      const at = typeof a === "string" ? a.indexOf(":") : -1;
      // the message never repeats the value: it holds a key
      if (at <= 0 || at === a.length - 1) throw new TypeError(`accounts[${i}]: expected "username:apiKey"`);
      return [a.slice(0, at), a.slice(at + 1)];
    });
  }
  const positive = (name, value) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
      throw new RangeError(`${name}: must be a positive number`);
    return value;
  };
  if (options.speed !== undefined) core.speed = positive("speed", options.speed);
  if (options.rateLimit !== undefined) core.rateLimit = positive("rateLimit", options.rateLimit);
  if (options.testMode !== undefined) {
    if (typeof options.testMode !== "boolean") throw new TypeError("testMode: must be a boolean");
    core.testMode = options.testMode;
  }
  if (options.faultRate !== undefined) {
    const r = options.faultRate;
    if (typeof r !== "number" || !(r >= 0 && r <= 1))
      throw new RangeError("faultRate: must be a number between 0 and 1");
    core.faultRate = r;
  }
  if (options.faultKinds !== undefined) {
    if (!Array.isArray(options.faultKinds) || !options.faultKinds.every((k) => typeof k === "string"))
      throw new TypeError("faultKinds: expected an array of strings");
    core.faultKinds = options.faultKinds;
  }
  core.bodyLimit = DEFAULT_BODY_LIMIT;
  if (options.bodyLimit !== undefined) {
    const b = options.bodyLimit;
    if (typeof b !== "number" || !Number.isSafeInteger(b) || b < 0)
      throw new RangeError("bodyLimit: must be a non-negative integer (bytes)");
    core.bodyLimit = b;
  }
  const postgres = options.postgres ?? "off";
  if (postgres !== "off" && postgres !== "pglite")
    throw new RangeError(
      `postgres: expected "off" or "pglite" (got ${typeof postgres === "string" ? JSON.stringify(postgres) : typeof postgres})`,
    );
  core.postgres = postgres;
  if (options.maxDatabases !== undefined) {
    const m = options.maxDatabases;
    if (postgres !== "pglite") throw new TypeError('maxDatabases: only with postgres: "pglite"');
    if (typeof m !== "number" || !Number.isSafeInteger(m) || m < 1)
      throw new RangeError("maxDatabases: must be a whole number of at least 1");
    core.maxDatabases = m;
  }
  if (options[STATIC_FILES]) core.staticFiles = true;
  return { core, seed: checkSeed(options.seed) };
}

/** The seed as two 32-bit halves; without one, a random seed (ids never repeat across runs). */
function checkSeed(seed) {
  if (seed === undefined) {
    const [hi, lo] = globalThis.crypto.getRandomValues(new Uint32Array(2));
    return { hi, lo };
  }
  let big;
  if (typeof seed === "bigint") big = seed;
  else if (typeof seed === "number" && Number.isSafeInteger(seed)) big = BigInt(seed);
  else throw new TypeError("seed: must be an integer (number or bigint)");
  if (big < 0n || big >= 1n << 64n) throw new RangeError("seed: must be between 0 and 2^64 - 1");
  return { hi: Number(big >> 32n), lo: Number(big & 0xffffffffn) };
}

/**
 * An emulator in this process. Rejects with a TypeError or RangeError naming a wrong option, an
 * Error for a damaged or newer-version `snapshot`.
 */
export async function createEmulator(options = {}) {
  const { core: coreOptions, seed } = checkOptions(options);
  // a missing PGlite is said before anything is made
  const pglite = coreOptions.postgres === "pglite" ? await import("./pglite.js") : undefined;
  if (pglite) await pglite.loadPGlite();
  await loadModule();
  let core;
  try {
    core = new EmulatorCore(JSON.stringify(coreOptions), seed.hi, seed.lo);
  } catch (e) {
    // what the core refuses of options already well-formed here is a value out of its range
    throw new RangeError(e.message, { cause: e });
  }
  let emulator;
  let pg;
  if (pglite) {
    try {
      pg = await pglite.createPgliteBackend(core, {
        now: () => emulator.now(),
        log: options[LOG],
        // the wire needs sockets: Node (and runtimes with node:net) only
        wire: typeof process === "object" && typeof process.versions?.node === "string",
      });
    } catch (e) {
      core.free();
      throw e;
    }
  }
  emulator = createHost(core, { bodyLimit: coreOptions.bodyLimit, logLine: (...a) => EmulatorCore.logLine(...a), pg });
  if (options.snapshot !== undefined) {
    try {
      emulator.restore(options.snapshot);
    } catch (e) {
      await emulator.close();
      throw e;
    }
  }
  return emulator;
}
