// `instaclustr-pg emulator`: the package's emulator (its WebAssembly core, js/emulator/) served
// over HTTP on 127.0.0.1 with Node's own server, no Rust needed. Options and output mirror the
// native emulator's (emulator/src/cli.rs, main.rs) where they apply: the first stdout line is
// `listening on http://127.0.0.1:<port>`, the request log (one JSON line per request) goes to
// stderr unless --quiet. The emulator's modules are loaded only when this command runs.
import { UsageError } from "./args.js";

export const EMULATOR_OPTIONS = {
  port: { type: "string", value: "N", help: "port on 127.0.0.1 (0 = a free port; default 8090)" },
  speed: { type: "string", value: "FACTOR", help: "lifecycle delays divided by this (default 1 = realistic minutes)" },
  account: {
    type: "string",
    multiple: true,
    value: "USER:KEY",
    help: "an account (repeatable); without any, the demo account demo / demo-api-key",
  },
  state: {
    type: "string",
    value: "FILE",
    help: "load the state from this JSON file at start, save it after every change (atomically)",
  },
  static: {
    type: "string",
    value: "DIR",
    help: "serve this folder at / where the API has no route (e.g. the demo console)",
  },
  "test-mode": { type: "boolean", help: "honour X-Emulator-Fault* headers, serve /__emulator/stats" },
  "fault-rate": { type: "string", value: "0..1", help: "probability of a random fault per API request (default 0)" },
  "fault-kinds": { type: "string", value: "LIST", help: "comma-separated kinds drawn by random faults" },
  seed: { type: "string", value: "N", help: "seed of the emulator's randomness (faults, ids; default random)" },
  "rate-limit": { type: "string", value: "RPS", help: "requests per second before 429 + Retry-After (default none)" },
  "body-limit": { type: "string", value: "BYTES", help: "largest request body (default 1048576)" },
  quiet: { type: "boolean", help: "no request log on stderr" },
  postgres: {
    type: "string",
    value: "MODE",
    help: "off (the default: clusters are records only) or pglite (each cluster's primary a PGlite database: npm install @electric-sql/pglite)",
  },
  "postgres-max-databases": {
    type: "string",
    value: "N",
    help: "with --postgres pglite: most live databases, about 200 MB each (default 4)",
  },
};

function number(values, flag, check, what) {
  const text = values[flag];
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || !check(v))
    throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not ${what}`);
  return v;
}

/** The emulator's options and the server's from the command's flags; a UsageError for a wrong one. */
export function emulatorSettings(values) {
  const port = number(values, "port", (v) => Number.isInteger(v) && v >= 0 && v <= 65535, "a port (0-65535)") ?? 8090;
  const options = {};
  const speed = number(values, "speed", (v) => v > 0, "a positive number");
  if (speed !== undefined) options.speed = speed;
  if (values.account?.length) {
    options.accounts = values.account.map((a) => {
      const at = a.indexOf(":");
      // never the value: it holds a key
      if (at <= 0 || at === a.length - 1) throw new UsageError("--account: expected <username>:<apiKey>");
      return a;
    });
  }
  if (values["test-mode"]) options.testMode = true;
  const faultRate = number(values, "fault-rate", (v) => v >= 0 && v <= 1, "between 0 and 1");
  if (faultRate !== undefined) options.faultRate = faultRate;
  if (values["fault-kinds"] !== undefined)
    options.faultKinds = values["fault-kinds"]
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (values.seed !== undefined) {
    if (!/^\d+$/.test(values.seed) || BigInt(values.seed) >= 1n << 64n)
      throw new UsageError(`--seed: ${JSON.stringify(values.seed)} is not a whole number below 2^64`);
    options.seed = BigInt(values.seed);
  }
  const rateLimit = number(values, "rate-limit", (v) => v > 0, "a positive number");
  if (rateLimit !== undefined) options.rateLimit = rateLimit;
  const bodyLimit = number(values, "body-limit", (v) => Number.isSafeInteger(v) && v >= 0, "a whole number of bytes");
  if (bodyLimit !== undefined) options.bodyLimit = bodyLimit;
  const postgres = values.postgres ?? "off";
  if (postgres !== "off" && postgres !== "pglite")
    throw new UsageError(`--postgres: ${JSON.stringify(postgres)} is not a mode (off, pglite)`);
  if (postgres === "pglite") options.postgres = "pglite";
  const maxDatabases = number(
    values,
    "postgres-max-databases",
    (v) => Number.isSafeInteger(v) && v >= 1,
    "a whole number of at least 1",
  );
  if (maxDatabases !== undefined) {
    if (postgres !== "pglite") throw new UsageError("--postgres-max-databases: only with --postgres pglite");
    options.maxDatabases = maxDatabases;
  }
  return { port, options, bodyLimit: bodyLimit ?? 1 << 20 };
}

/**
 * Runs the emulator until Ctrl-C (the `signal`) or SIGTERM; resolves to undefined (nothing more
 * to print) once the server is closed.
 */
export async function runEmulator(values, { stdout, stderr, signal }) {
  const { port, options, bodyLimit } = emulatorSettings(values);
  if (values.static !== undefined) {
    const { statSync } = await import("node:fs");
    let dir = false;
    try {
      dir = statSync(values.static).isDirectory();
    } catch {
      // reported below
    }
    if (!dir) throw new UsageError(`--static ${values.static}: not a folder`);
  }
  const [{ createEmulator }, server, { DESCRIPTION, LOG, STATIC_FILES }] = await Promise.all([
    import("../emulator/index.js"),
    import("../emulator/server.js"),
    import("../emulator/host.js"),
  ]);
  const quiet = Boolean(values.quiet);
  // the PGlite side's lines (a database ready, a backup, which backup a restore used) beside the request log
  if (!quiet)
    options[LOG] = (fields) => stderr.write(JSON.stringify({ time: new Date().toISOString(), ...fields }) + "\n");
  // outside the API, methods other than GET and HEAD are then a 405 (the native emulator's answer)
  if (values.static !== undefined) options[STATIC_FILES] = true;
  if (values.state !== undefined) {
    let snapshot;
    try {
      snapshot = server.readState(values.state);
      if (snapshot !== undefined) options.snapshot = snapshot;
    } catch (e) {
      throw new UsageError(e.message);
    }
  }
  let emulator;
  try {
    emulator = await createEmulator(options);
  } catch (e) {
    // a refused snapshot: the file is never overwritten (nothing was served)
    if (options.snapshot !== undefined)
      throw new UsageError(`--state ${values.state}: ${e.message}; the file is left as it is`);
    throw new UsageError(e.message);
  }
  // with databases, the state file holds their dumps too (taken at each change and at the stop)
  const snapshot = options.postgres === "pglite" ? () => emulator.snapshotWithDatabases() : () => emulator.snapshot();
  let listening;
  try {
    listening = await server.serve(emulator, {
      port,
      bodyLimit,
      staticDir: values.static,
      stateFile: values.state,
      log: quiet ? undefined : (line) => stderr.write(line + "\n"),
      onError: (e) => stderr.write(`emulator: ${e?.message ?? e}\n`),
      snapshot,
    });
  } catch (e) {
    await emulator.close();
    throw new Error(`cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}`, { cause: e });
  }
  const lines = [`listening on ${listening.url}`];
  if (options.accounts) lines.push(`accounts: ${options.accounts.map((a) => a.slice(0, a.indexOf(":"))).join(", ")}`);
  else lines.push("demo account: username demo, api key demo-api-key");
  lines.push(emulator[DESCRIPTION]());
  lines.push(`speed: ${options.speed ?? 1}`);
  stdout.write(lines.join("\n") + "\n");

  await new Promise((done) => {
    if (signal?.aborted) return done();
    signal?.addEventListener("abort", done, { once: true });
    process.once("SIGTERM", done);
  });
  // what was written over the wire since the last change is in the state file too
  if (options.postgres === "pglite")
    await listening.save().catch((e) => stderr.write(`emulator: cannot save the state: ${e?.message ?? e}\n`));
  await listening.close();
  await emulator.close();
  return undefined;
}
