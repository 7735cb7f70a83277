// The figures of the emulator in the package (instaclustr-pg/emulator), each against the native
// emulator in the same run:
//   size       the emulator module's .wasm (raw and gzip -9), beside the client's
//   getCluster requests per second through the client: in-process (emulator.fetch) vs the native
//              emulator on loopback (release build), and the ratio
//   start      `npx instaclustr-pg emulator` (node pkg/cli/main.js emulator) from spawn to the first
//              answered request, vs the native binary
//   lifecycle  create -> RUNNING -> backup -> restore -> delete (both clusters gone) through the
//              client: in-process with emulator.advance vs the native emulator at --speed 1000
// Usage: node bench/emulator.mjs [--quick]   (pkg/ from scripts/build, the native binary from
// EMULATOR or target/release/instaclustr-pg-emulator); writes bench/results-emulator.json.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { cpus } from "node:os";
import { createInterface } from "node:readline";

const ROOT = new URL("../", import.meta.url);
const PKG = new URL("pkg/", ROOT);
const NATIVE = process.env.EMULATOR ?? new URL("target/release/instaclustr-pg-emulator", ROOT).pathname;
const QUICK = process.argv.includes("--quick");
const USER = "bench";
const KEY = "bench-api-key";

const { InstaclustrClient } = await import(new URL("node.js", PKG));
const { createEmulator } = await import(new URL("emulator/index.js", PKG));
const { createClusterBody } = await import(new URL("tests/fixtures/create-cluster.mjs", ROOT));

if (!existsSync(NATIVE)) {
  console.error(`bench/emulator: no native emulator at ${NATIVE} (cargo build --release -p instaclustr-pg-emulator)`);
  process.exit(2);
}

/** Starts a server command, resolves with its URL (first stdout line) and a stop function. */
function start(cmd, args) {
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} printed no address in 30 s: ${err}`)), 30_000);
    child.on("exit", (code) => reject(new Error(`${cmd} exited (${code}): ${err}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1], t0,
        stop: () => new Promise((r) => { child.removeAllListeners("exit"); child.once("exit", r); child.kill("SIGTERM"); }),
      });
    });
  });
}

const native = (speed) => start(NATIVE, ["--port", "0", "--speed", String(speed), "--quiet", "--postgres", "off", "--account", `${USER}:${KEY}`]);
const npm = (speed) => start(process.execPath, [new URL("cli/main.js", PKG).pathname, "emulator", "--port", "0", "--speed", String(speed), "--quiet", "--account", `${USER}:${KEY}`]);

const fast = { minDelayMs: 20, maxDelayMs: 50, maxWaitMs: 120_000 };

/** The lifecycle through `client`; `advance(ms)` jumps the emulator's clock (in-process) or does nothing. */
async function lifecycle(client, advance, now) {
  const created = await client.createCluster(createClusterBody({ name: `bench-${Math.random().toString(36).slice(2, 8)}` }));
  await advance(10 * 60_000);
  await client.waitForCluster(created.id, fast);
  const since = now() - 1000;
  await client.triggerBackup(created.id);
  await advance(10 * 60_000);
  await client.waitForBackup(created.id, { ...fast, since });
  // the present: the backup completed before it (waitForBackup saw it), on the emulator's clock
  const restored = await client.restoreCluster({ clusterId: created.id, pointInTime: new Date(now()).toISOString(), restoredClusterName: "bench-restored" });
  await advance(10 * 60_000);
  await client.waitForCluster(restored.restoredClusterId, fast);
  for (const id of [created.id, restored.restoredClusterId]) {
    await client.deleteCluster(id);
    await advance(10 * 60_000);
    await client.waitForCluster(id, { ...fast, until: "DELETED" });
  }
}

/** getCluster calls per second over `ms` of wall time. */
async function throughput(client, id, ms) {
  for (let i = 0; i < 50; i++) await client.getCluster(id); // warm-up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await client.getCluster(id);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, quick: QUICK };

// size
const sizeOf = (file) => { const b = readFileSync(file); return { raw: b.length, gzip: gzipSync(b, { level: 9 }).length }; };
results.size = { emulator: sizeOf(new URL("emulator/emulator_core_bg.wasm", PKG)), client: sizeOf(new URL("instaclustr_pg_bg.wasm", PKG)) };

// getCluster throughput
const windowMs = QUICK ? 1000 : 5000;
const emulator = await createEmulator({ accounts: [`${USER}:${KEY}`], speed: 1000 });
const inproc = new InstaclustrClient({ username: USER, apiKey: KEY, fetch: emulator.fetch, now: emulator.now });
const nat = await native(1000);
const natClient = new InstaclustrClient({ username: USER, apiKey: KEY, baseUrl: nat.url });
const a = await inproc.createCluster(createClusterBody({ name: "bench-get" }));
const b = await natClient.createCluster(createClusterBody({ name: "bench-get" }));
const rounds = QUICK ? 1 : 3;
const rps = { inProcess: [], native: [] };
for (let r = 0; r < rounds; r++) { // alternated, so that both see the same machine state
  rps.inProcess.push(await throughput(inproc, a.id, windowMs));
  rps.native.push(await throughput(natClient, b.id, windowMs));
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
results.getCluster = { inProcessRps: median(rps.inProcess), nativeRps: median(rps.native), ratio: median(rps.inProcess) / median(rps.native), rounds };
await nat.stop();
emulator.close();

// start to first answer
async function firstAnswer(launch) {
  const s = await launch(1);
  const client = new InstaclustrClient({ username: USER, apiKey: KEY, baseUrl: s.url });
  await client.listClusters();
  const ms = performance.now() - s.t0;
  await s.stop();
  return ms;
}
const starts = { npm: [], native: [] };
for (let r = 0; r < (QUICK ? 1 : 5); r++) {
  starts.npm.push(await firstAnswer(npm));
  starts.native.push(await firstAnswer(native));
}
results.start = { npmMs: median(starts.npm), nativeMs: median(starts.native), ratio: median(starts.npm) / median(starts.native) };

// lifecycle
async function timed(fn) { const t0 = performance.now(); await fn(); return performance.now() - t0; }
const life = { inProcess: [], native: [] };
for (let r = 0; r < (QUICK ? 1 : 3); r++) {
  const em = await createEmulator({ accounts: [`${USER}:${KEY}`] });
  const c = new InstaclustrClient({ username: USER, apiKey: KEY, fetch: em.fetch, now: em.now });
  life.inProcess.push(await timed(() => lifecycle(c, async (ms) => em.advance(ms), () => em.now())));
  em.close();
  const n = await native(1000);
  const nc = new InstaclustrClient({ username: USER, apiKey: KEY, baseUrl: n.url });
  life.native.push(await timed(() => lifecycle(nc, async () => {}, () => Date.now())));
  await n.stop();
}
results.lifecycle = { inProcessMs: median(life.inProcess), nativeSpeed1000Ms: median(life.native), ratio: median(life.inProcess) / median(life.native) };

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`emulator module: ${kb(results.size.emulator.raw)} raw, ${kb(results.size.emulator.gzip)} gzip (client .wasm ${kb(results.size.client.gzip)} gzip)`);
console.log(`getCluster: in-process ${results.getCluster.inProcessRps.toFixed(0)}/s, native loopback ${results.getCluster.nativeRps.toFixed(0)}/s, ratio ${results.getCluster.ratio.toFixed(2)}x`);
console.log(`start to first answer: npx ${results.start.npmMs.toFixed(0)} ms, native ${results.start.nativeMs.toFixed(0)} ms, ratio ${results.start.ratio.toFixed(2)}x`);
console.log(`lifecycle: in-process with advance ${results.lifecycle.inProcessMs.toFixed(0)} ms, native --speed 1000 ${results.lifecycle.nativeSpeed1000Ms.toFixed(0)} ms, ratio ${results.lifecycle.ratio.toFixed(3)}x`);
if (!QUICK) writeFileSync(new URL("results-emulator.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
