// The benchmark: instaclustr-pg (the built package) against the peer client (bench/peer, built
// by bench/build-peer), one run, medians of repeated samples after warm-up, ours/peer ratios.
// Run through `bench/run`, which builds what is missing and passes:
//   OURS_PKG   directory of the built package (pkg/ of scripts/build, release)
//   EMULATOR   path of the emulator binary (sections 5 and 6 are skipped without it)
//   BENCH_QUICK=1  fewer samples (a smoke run; the committed results are never quick)
// Writes bench/results.json and bench/results.md.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as inputs from "./inputs.mjs";
import { latencies, median, opsPerSecond, quantile } from "./lib/measure.mjs";
import { packageSizes, sizes } from "./lib/package-size.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const build = join(here, "build");
const oursDir = resolve(process.env.OURS_PKG || join(root, "pkg"));
const peerFile = join(build, "peer.min.js");
const quick = process.env.BENCH_QUICK === "1";
const only = (process.env.BENCH_ONLY || "").split(/[ ,]+/).filter(Boolean);
const want = (s) => only.length === 0 || only.includes(s);

const log = (...a) => console.error("[bench]", ...a);
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN);

const ours = await import(pathToFileURL(join(oursDir, "node.js")).href);
const peer = await import(pathToFileURL(peerFile).href);

const body = inputs.createBody();
const clusterText = inputs.getClusterResponse();
const backupsText = inputs.listBackupsResponse();
const clusterBytes = new TextEncoder().encode(clusterText);
const backupsBytes = new TextEncoder().encode(backupsText);
const opts = { baseUrl: "https://api.instaclustr.com", username: "bench-user", apiKey: "bench-key-0123456789" };

// the two must agree on the inputs before they are timed against each other
{
  const a = ours.validateCreateCluster(body);
  const b = peer.validateCreateCluster(body);
  if (a.length !== 0 || b.length !== 0) throw new Error(`the create body must be valid: ours ${JSON.stringify(a)} peer ${JSON.stringify(b)}`);
  const ra = ours.buildCreateClusterRequest(body, opts);
  const rb = peer.buildCreateClusterRequest(body, opts);
  if (ra.url !== rb.url || ra.headers.Authorization !== rb.headers.Authorization) throw new Error("the built requests differ");
  const ca = ours.parseGetClusterResponse(200, clusterText);
  const cb = peer.parseGetClusterResponse(200, clusterText);
  if (ca.dataCentres.length !== 2 || cb.dataCentres.length !== 2 || ca.dataCentres[1].nodes.length !== 5) throw new Error("getCluster parse");
  const ba = ours.parseListBackupsResponse(200, backupsText);
  const bb = peer.parseListBackupsResponse(200, backupsText);
  const n = (x) => x.clusterDataCentres.reduce((s, d) => s + d.nodes.reduce((t, nd) => t + nd.events.length, 0), 0);
  if (n(ba) !== 10_000 || n(bb) !== 10_000) throw new Error(`listBackups parse: ${n(ba)} ${n(bb)}`);
}

const results = { machine: machine(), config: { quick, oursDir: oursDir.replace(root + "/", ""), seed: inputs.SEED }, sections: {} };

function machine() {
  const sh = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8" }).trim();
    } catch {
      return undefined;
    }
  };
  const commit = sh("git", ["-C", root, "rev-parse", "--short", "HEAD"]);
  const dirty = sh("git", ["-C", root, "status", "--porcelain", "--", "src", "js", "Cargo.toml", "Cargo.lock"]);
  return {
    date: new Date().toISOString(),
    nproc: Number(sh("nproc", [])) || cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: sh("uname", ["-sr"]),
    node: process.version,
    v8: process.versions.v8,
    commit: commit && (dirty ? `${commit} (+uncommitted src changes)` : commit),
    wasmPack: sh("wasm-pack", ["--version"]),
    hyperfine: sh("hyperfine", ["--version"]),
  };
}

// ---- 1. size ----------------------------------------------------------------------------------
function sectionSize() {
  const snippets = join(oursDir, "snippets");
  const errors = [];
  if (existsSync(snippets)) {
    const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".js") && errors.push(join(d, e.name))));
    walk(snippets);
  }
  // web.js is the whole browser glue since the package layout of scripts/build (older packages
  // split it into web.js + instaclustr_pg.js)
  const glueFiles = [join(oursDir, "web.js"), join(oursDir, "instaclustr_pg.js"), ...errors].filter((f) => existsSync(f));
  const glue = Buffer.concat(glueFiles.map((f) => readFileSync(f)));
  // what an app ships: the .wasm and the glue minified by esbuild (lib/package-size.mjs, the
  // measurement bench/size-budget holds CI to)
  let measured;
  try {
    measured = packageSizes(oursDir);
  } catch (e) {
    log("esbuild of the glue failed:", e.message);
    const w = sizes(readFileSync(join(oursDir, "instaclustr_pg_bg.wasm")));
    const gm = sizes(glue);
    measured = { wasm: w, glueMinified: gm, total: { raw: w.raw + gm.raw, gzip: w.gzip + gm.gzip, brotli: w.brotli + gm.brotli } };
  }
  const p = sizes(readFileSync(peerFile));
  return { wasm: measured.wasm, glue: sizes(glue), glueMinified: measured.glueMinified, oursTotal: measured.total, peer: p, budgetGzip: 100 * 1024 };
}

// ---- 2. cold start ----------------------------------------------------------------------------
function coldScripts() {
  const dir = join(build, "cold");
  mkdirSync(dir, { recursive: true });
  const b = JSON.stringify(body);
  const files = {
    nothing: "// a process importing nothing\n",
    ours: `import { validateCreateCluster } from ${JSON.stringify(pathToFileURL(join(oursDir, "node.js")).href)};\nconst v = validateCreateCluster(${b});\nif (v.length) process.exit(1);\n`,
    oursWeb: `import { validateCreateCluster } from ${JSON.stringify(pathToFileURL(join(oursDir, "web.js")).href)};\nconst v = validateCreateCluster(${b});\nif (v.length) process.exit(1);\n`,
    peer: `import { validateCreateCluster } from ${JSON.stringify(pathToFileURL(peerFile).href)};\nconst v = validateCreateCluster(${b});\nif (v.length) process.exit(1);\n`,
  };
  const out = {};
  for (const [k, src] of Object.entries(files)) {
    out[k] = join(dir, `${k}.mjs`);
    writeFileSync(out[k], src);
    const r = spawnSync(process.execPath, [out[k]]);
    if (r.status !== 0) throw new Error(`cold script ${k} failed: ${r.stderr}`);
  }
  return out;
}

function sectionCold() {
  const scripts = coldScripts();
  const runs = quick ? 10 : 40;
  const names = Object.keys(scripts);
  const res = {};
  const hf = spawnSync("hyperfine", ["--version"]).status === 0;
  if (hf) {
    const json = join(build, "cold", "hyperfine.json");
    const args = ["-N", "--warmup", "5", "--runs", String(runs), "--export-json", json, "--style", "none"];
    for (const n of names) args.push("-n", n, `${process.execPath} ${scripts[n]}`);
    const r = spawnSync("hyperfine", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr}`);
    for (const x of JSON.parse(readFileSync(json, "utf8")).results) {
      const ms = x.times.map((t) => t * 1000);
      res[x.command] = { median: median(ms), p90: quantile(ms, 0.9), runs: ms.length };
    }
    res.tool = "hyperfine -N";
  } else {
    const times = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < runs + 5; i += 1) {
      for (const n of names) {
        const a = performance.now();
        spawnSync(process.execPath, [scripts[n]]);
        if (i >= 5) times[n].push(performance.now() - a);
      }
    }
    for (const n of names) res[n] = { median: median(times[n]), p90: quantile(times[n], 0.9), runs };
    res.tool = "spawnSync loop";
  }
  for (const n of ["ours", "oursWeb", "peer"]) res[n].added = res[n].median - res.nothing.median;
  return res;
}

// ---- 3. validate and build ----------------------------------------------------------------------
function sectionBuild() {
  const o = quick ? { samples: 5, warmupMs: 100 } : {};
  const r = {
    validate: { ours: opsPerSecond(() => ours.validateCreateCluster(body), o), peer: opsPerSecond(() => peer.validateCreateCluster(body), o) },
    build: { ours: opsPerSecond(() => ours.buildCreateClusterRequest(body, opts), o), peer: opsPerSecond(() => peer.buildCreateClusterRequest(body, opts), o) },
  };
  return r;
}

// ---- 4. parse and validate responses ------------------------------------------------------------
function sectionParse() {
  const o = quick ? { samples: 5, warmupMs: 100 } : {};
  const big = quick ? { samples: 5, warmupMs: 200, sampleMs: 150 } : { samples: 15, warmupMs: 600, sampleMs: 200 };
  const out = {};
  // every body of inputs.parseBodies(): servers' small and large bodies, with and without `null`
  // fields, tags, unknown fields, so that a slow path cannot hide behind one input
  for (const [name, [text, op]] of Object.entries(inputs.parseBodies())) {
    const bytes = new TextEncoder().encode(text);
    const parseOurs = ours[`parse${op}Response`];
    const parsePeer = peer[`parse${op}Response`];
    // the peer's schemas refuse some `null`s servers send: no peer figure for those bodies
    let peerTakes = true;
    try {
      parsePeer(200, text);
    } catch {
      peerTakes = false;
    }
    const oo = bytes.length > 100_000 ? big : o;
    log(`   ${name} (${bytes.length} B)${peerTakes ? "" : ", refused by the peer"}`);
    out[name] = {
      bytes: bytes.length,
      jsonParse: opsPerSecond(() => JSON.parse(text), oo),
      oursString: opsPerSecond(() => parseOurs(200, text), oo),
      oursBytes: opsPerSecond(() => parseOurs(200, bytes), oo),
      peerString: peerTakes ? opsPerSecond(() => parsePeer(200, text), oo) : null,
      peerBytes: peerTakes ? opsPerSecond(() => parsePeer(200, bytes), oo) : null,
    };
  }
  return out;
}

// ---- 5 and 6: against the emulator ---------------------------------------------------------------
async function startEmulator(speed) {
  const bin = process.env.EMULATOR;
  if (!bin || !existsSync(bin)) return undefined;
  const child = spawn(bin, ["--port", "0", "--speed", String(speed), "--account", `${opts.username}:${opts.apiKey}`], { stdio: ["ignore", "pipe", "inherit"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), 10 * 60_000); // bounded whatever happens
  killer.unref();
  const url = await new Promise((res, rej) => {
    let buf = "";
    const t = setTimeout(() => rej(new Error("the emulator did not start within 20 s")), 20_000);
    child.stdout.on("data", (d) => {
      buf += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        res(m[1]);
      }
    });
    child.on("exit", (c) => rej(new Error(`the emulator exited (${c})`)));
  });
  child.stdout.resume();
  return {
    url,
    stop: () => {
      clearTimeout(killer);
      child.kill("SIGTERM");
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const auth = `Basic ${Buffer.from(`${opts.username}:${opts.apiKey}`).toString("base64")}`;

/** The benchmark's create body with a version, node size and PgBouncer version from the emulator's
 * catalogue (it refuses values it does not offer), read through the package itself. */
async function emulatorBody(base) {
  const o = { ...opts, baseUrl: base };
  const get = async (req) => {
    const r = await fetch(req.url, { headers: req.headers });
    return [r.status, await r.text()];
  };
  const apps = ours.parseListVersionsResponse(...(await get(ours.buildListVersionsRequest(o)))).flatMap((l) => l.applicationVersions);
  const versions = (app) => apps.find((a) => a.application === app)?.versions ?? [];
  const pg = versions("POSTGRESQL").at(-1);
  const bouncer = versions("PGBOUNCER").at(-1);
  const providers = ours.parseListCompatibleNodeSizesResponse(...(await get(ours.buildListCompatibleNodeSizesRequest({ pgbouncerRequired: true }, o)))).flatMap((l) => l.cloudProviderNodeSizes);
  const dataCentres = body.dataCentres.map((dc) => {
    const sizes = providers.find((p) => p.cloudProvider === dc.cloudProvider)?.nodeSizes ?? [];
    const nodeSize = sizes.find((n) => n.startsWith("PGS-PRD")) ?? sizes[0] ?? dc.nodeSize;
    return { ...dc, nodeSize, pgBouncer: (dc.pgBouncer ?? []).map((b) => ({ ...b, pgBouncerVersion: bouncer ?? b.pgBouncerVersion })) };
  });
  return { ...body, postgresqlVersion: pg ?? body.postgresqlVersion, dataCentres };
}

const emulatorBodies = new Map();
async function createCluster(base, name) {
  if (!emulatorBodies.has(base)) emulatorBodies.set(base, await emulatorBody(base));
  const req = ours.buildCreateClusterRequest({ ...emulatorBodies.get(base), name }, { ...opts, baseUrl: base });
  const r = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
  const text = await r.text();
  if (!r.ok) throw new Error(`create failed: ${r.status} ${text.slice(0, 2000)}`);
  return ours.parseCreateClusterResponse(r.status, text).id;
}

async function rawStatus(base, id) {
  const req = ours.buildGetClusterRequest(id, { ...opts, baseUrl: base });
  const r = await fetch(req.url, { headers: req.headers });
  const c = JSON.parse(await r.text());
  return `${c.status}/${c.currentClusterOperationStatus}`;
}

async function sectionRoundTrip() {
  let emu;
  try {
    emu = await startEmulator(1000);
  } catch (e) {
    return { skipped: `the emulator did not start: ${e.message}` };
  }
  if (!emu) return { skipped: "no emulator binary" };
  try {
    const base = emu.url;
    const id = await createCluster(base, "bench-roundtrip");
    const client = new ours.InstaclustrClient({ ...opts, baseUrl: base });
    await client.waitForCluster(id, { maxWaitMs: 60_000, minDelayMs: 20, maxDelayMs: 200 });
    const pclient = new peer.PeerClient({ ...opts, baseUrl: base });
    const req = ours.buildGetClusterRequest(id, { ...opts, baseUrl: base });
    const raw = async () => JSON.parse(await (await fetch(req.url, { headers: req.headers })).text());
    const fns = { raw, ours: () => client.getCluster(id), peer: () => pclient.getCluster(id) };
    const n = quick ? 100 : 1000;
    const times = { raw: [], ours: [], peer: [] };
    for (let i = 0; i < 50; i += 1) for (const f of Object.values(fns)) await f(); // warm-up
    // interleaved, so that drift affects all three alike
    for (let i = 0; i < n; i += 1) {
      for (const k of Object.keys(fns)) {
        const a = performance.now();
        await fns[k]();
        times[k].push(performance.now() - a);
      }
    }
    const stat = (xs) => ({ median: median(xs), p99: quantile(xs, 0.99), n: xs.length });
    const r = { raw: stat(times.raw), ours: stat(times.ours), peer: stat(times.peer), bodyBytes: (await (await fetch(req.url, { headers: req.headers })).text()).length };
    for (const k of ["ours", "peer"]) {
      r[k].addedMedian = r[k].median - r.raw.median;
      r[k].addedP99 = r[k].p99 - r.raw.p99;
      r[k].addedPct = (100 * r[k].addedMedian) / r.raw.median;
    }
    return r;
  } finally {
    emu.stop();
  }
}

async function sectionWaiter() {
  const speed = Number(process.env.BENCH_WAIT_SPEED || 20);
  let emu;
  try {
    emu = await startEmulator(speed);
  } catch (e) {
    return { skipped: `the emulator did not start: ${e.message}` };
  }
  if (!emu) return { skipped: "no emulator binary" };
  const base = emu.url;
  const scale = 1 / speed; // the waiters' delays shrink with the emulator's clock
  const counting = () => {
    const c = { n: 0 };
    c.fetch = (input, init) => {
      c.n += 1;
      return fetch(input, init);
    };
    return c;
  };
  // an oracle polls every 50 ms of real time to find when the cluster became ready
  async function run(name, wait) {
    const id = await createCluster(base, `bench-wait-${name}`);
    const t0 = performance.now();
    let readyAt;
    let stop = false;
    const oracle = (async () => {
      while (!stop) {
        if ((await rawStatus(base, id)) === "RUNNING/NO_OPERATION") {
          readyAt = performance.now();
          return;
        }
        await sleep(50);
      }
    })();
    const counter = counting();
    await wait(id, counter);
    const doneAt = performance.now();
    stop = true;
    await oracle;
    const apiSeconds = ((readyAt ?? doneAt) - t0) * speed / 1000;
    return { requests: counter.n, readyAfterApiS: apiSeconds, detectLagApiS: ((doneAt - (readyAt ?? doneAt)) * speed) / 1000 };
  }
  try {
    const maxWaitMs = 10 * 60_000;
    const r = { speed, minimum: 1 };
    r.ours = await run("ours", (id, c) =>
      new ours.InstaclustrClient({ ...opts, baseUrl: base, fetch: c.fetch }).waitForCluster(id, { maxWaitMs, minDelayMs: 5000 * scale, maxDelayMs: 30000 * scale }),
    );
    r.peer = await run("peer", (id, c) => new peer.PeerClient({ ...opts, baseUrl: base, fetch: c.fetch }).waitForCluster(id, { maxWaitMs, intervalMs: 5000 * scale }));
    return r;
  } finally {
    emu.stop();
  }
}

// ---- run ----------------------------------------------------------------------------------------
if (want("size")) {
  log("1. size");
  results.sections.size = sectionSize();
}
if (want("cold")) {
  log("2. cold start");
  results.sections.cold = sectionCold();
}
if (want("build")) {
  log("3. validate and build");
  results.sections.build = sectionBuild();
}
if (want("parse")) {
  log("4. parse");
  results.sections.parse = sectionParse();
}
if (want("roundtrip")) {
  log("5. round trip");
  results.sections.roundTrip = await sectionRoundTrip();
}
if (want("waiter")) {
  log("6. waiter");
  results.sections.waiter = await sectionWaiter();
}

const outJson = process.env.BENCH_OUT_JSON || join(here, "results.json");
const outMd = process.env.BENCH_OUT_MD || join(here, "results.md");
writeFileSync(outJson, JSON.stringify(results, null, 2) + "\n");
const md = (await import("./lib/report.mjs")).markdown(results);
writeFileSync(outMd, md);
process.stdout.write(md);
