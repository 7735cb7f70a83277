// Runtime matrix of the packed npm package (run through ./run, which packs it and sets
// RUNTIMES_TARBALL). The tarball is installed into a scratch project under /tmp, with no other
// dependency and no configuration, and the same check runs in every runtime: validate a bad
// create body (every violation, with paths and codes), build a request, and catch a
// ValidationError that is `instanceof ValidationError`, `InstaclustrError` and `Error`.
// Browser cases are served by a tiny HTTP server on 127.0.0.1 (port 0, `application/wasm`) and
// read their result from the page; Chromium is Debian's, through playwright-core.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { startEmulator } from "../campaign/lib.mjs";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const TARBALL = process.env.RUNTIMES_TARBALL;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const CASE_TIMEOUT_MS = 20_000;

let scratch;
let context;
let emulator;
let chromiumProfile;
const servers = [];

// ---- the check every runtime runs (ESM and CommonJS copies of one body) ----
const CHECK_BODY = `
  const out = {};
  const violations = api.validateCreateCluster({ name: "x", dataCentres: [] });
  out.violations = violations.map((v) => ({ path: v.path, code: v.code, hasMessage: typeof v.message === "string" && v.message.length > 0 }));
  const request = api.buildGetClusterRequest("${ID}", { username: "alice", apiKey: "k3y" });
  out.request = { method: request.method, url: request.url, hasAuth: typeof request.headers === "object" };
  try {
    api.buildGetClusterRequest("not-a-cluster-id", { username: "alice", apiKey: "k3y" });
    out.thrown = null;
  } catch (e) {
    out.thrown = {
      validationError: e instanceof api.ValidationError,
      instaclustrError: e instanceof api.InstaclustrError,
      error: e instanceof Error,
      name: e.name,
      code: e.code,
      paths: Array.isArray(e.violations) ? e.violations.map((v) => v.path) : null,
    };
  }
  return out;
`;
// named imports (what a bundler tree-shakes with `sideEffects: false`)
const NAMES = ["validateCreateCluster", "buildGetClusterRequest", "ValidationError", "InstaclustrError"];
const NAMED_IMPORT = `import { ${NAMES.join(", ")} } from "instaclustr-pg";\nconst api = { ${NAMES.join(", ")} };`;

function assertCheck(result, label) {
  assert.ok(result && typeof result === "object", `${label}: no result`);
  assert.equal(result.error, undefined, `${label}: ${result.error}`);
  const paths = result.violations.map((v) => v.path);
  assert.ok(paths.includes("name"), `${label}: violation paths ${paths}`);
  assert.ok(result.violations.length >= 3, `${label}: every violation at once (${paths})`);
  assert.ok(result.violations.every((v) => typeof v.code === "string" && v.code && v.hasMessage), `${label}: codes and messages`);
  assert.equal(result.request.method, "GET");
  assert.ok(result.request.url.startsWith("https://api.instaclustr.com/"), result.request.url);
  assert.ok(result.request.url.includes(`/clusters/v2/${ID}`), result.request.url);
  assert.deepEqual(
    result.thrown,
    { validationError: true, instaclustrError: true, error: true, name: "ValidationError", code: "VALIDATION_ERROR", paths: ["clusterId"] },
    `${label}: thrown error`,
  );
}

// ---- scratch project ----
function write(rel, text) {
  const file = join(scratch, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

before(async () => {
  assert.ok(TARBALL, "RUNTIMES_TARBALL is not set: run tests/runtimes/run");
  scratch = mkdtempSync(join(tmpdir(), "instaclustr-pg-runtimes-"));
  write("package.json", JSON.stringify({ name: "scratch-app", private: true, version: "0.0.0" }, null, 2));
  // a local tarball without dependencies installs offline
  await run("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", TARBALL], { cwd: scratch, timeout: 120_000 });

  write("check.mjs", `export function check(api) {${CHECK_BODY}}\n`);
  write("check.cjs", `module.exports = function check(api) {${CHECK_BODY}};\n`);
  if (process.env.RUNTIMES_KEEP) console.log(`# scratch project: ${scratch}`);
});

after(async () => {
  if (emulator) await (await emulator).stop();
  if (context) await context.close().catch(() => {});
  if (chromiumProfile) rmSync(chromiumProfile, { recursive: true, force: true });
  for (const s of servers) s.close();
  if (scratch && !process.env.RUNTIMES_KEEP) rmSync(scratch, { recursive: true, force: true });
});

// ---- Node ----
test("tarball: one client .wasm for every entry, one .d.ts; the emulator's own module apart in emulator/", () => {
  const dir = join(scratch, "node_modules/instaclustr-pg");
  const files = readdirSync(dir, { recursive: true }).map(String);
  assert.deepEqual(files.filter((f) => f.endsWith(".wasm")).sort(), ["emulator/emulator_core_bg.wasm", "instaclustr_pg_bg.wasm"]);
  assert.deepEqual(files.filter((f) => f.endsWith(".d.ts")).sort(), ["emulator/index.d.ts", "emulator/msw.d.ts", "index.d.ts"]);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  assert.equal(pkg.sideEffects, false);
  const main = pkg.exports["."];
  assert.deepEqual(Object.keys(main), ["types", "browser", "node", "import", "require", "default"]);
  assert.deepEqual(main.node, { import: "./node.js", require: "./node.cjs" });
});

test("Node ESM import", { timeout: 60_000 }, async () => {
  write(
    "node/app.mjs",
    `import * as api from "instaclustr-pg";
import { createRequire } from "node:module";
import { check } from "../check.mjs";
const result = check(api);
result.entry = import.meta.resolve("instaclustr-pg");
const required = createRequire(import.meta.url)("instaclustr-pg");
result.sharedWithRequire = required.ValidationError === api.ValidationError && required.validateCreateCluster === api.validateCreateCluster;
console.log(JSON.stringify(result));
`,
  );
  const { stdout } = await run(process.execPath, ["node/app.mjs"], { cwd: scratch, timeout: 30_000 });
  const result = JSON.parse(stdout);
  assertCheck(result, "node esm");
  assert.ok(result.entry.endsWith("/node_modules/instaclustr-pg/node.js"), result.entry);
  assert.equal(result.sharedWithRequire, true, "import and require share one instance");
});

test("Node CommonJS require", { timeout: 60_000 }, async () => {
  write(
    "node/app.cjs",
    `const api = require("instaclustr-pg");
const check = require("../check.cjs");
const result = check(api);
result.entry = require.resolve("instaclustr-pg");
result.wasm = require.resolve("instaclustr-pg/instaclustr_pg_bg.wasm");
console.log(JSON.stringify(result));
`,
  );
  const { stdout } = await run(process.execPath, ["node/app.cjs"], { cwd: scratch, timeout: 30_000 });
  const result = JSON.parse(stdout);
  assertCheck(result, "node cjs");
  assert.ok(result.entry.endsWith("/node_modules/instaclustr-pg/node.cjs"), result.entry);
  assert.ok(result.wasm.endsWith("/node_modules/instaclustr-pg/instaclustr_pg_bg.wasm"), result.wasm);
});

test("TypeScript: the package's types through its exports (bundler and nodenext resolution, strict flags)", { timeout: 120_000 }, async () => {
  const tsc = createRequire(join(repo, "package.json")).resolve("typescript/bin/tsc");
  write(
    "ts/app.ts",
    `import { validateCreateCluster, buildGetClusterRequest, InstaclustrClient, InstaclustrError, ValidationError, type Violation, type HttpRequest, type PostgresqlCluster } from "instaclustr-pg";
const violations: Violation[] = validateCreateCluster({ name: "x" });
const request: HttpRequest = buildGetClusterRequest("${ID}", { username: "a", apiKey: "k", baseUrl: undefined });
try { buildGetClusterRequest("bad"); } catch (e) { if (e instanceof ValidationError) { const v: Violation[] = e.violations; console.log(v.length); } }
console.log(violations.length, request.method);
export async function use(client: InstaclustrClient): Promise<string> {
  try {
    const running: PostgresqlCluster = await client.waitForCluster("${ID}", { maxWaitMs: 1000, signal: AbortSignal.timeout(500) });
    client[Symbol.dispose]();
    return running.dataCentres[0]?.nodes[0]?.privateAddress ?? running.id;
  } catch (e) {
    if (e instanceof InstaclustrError && e.code === "API_ERROR") return String(e.status);
    throw e;
  }
}
`,
  );
  const flags = ["--strict", "--exactOptionalPropertyTypes", "--noUncheckedIndexedAccess", "--skipLibCheck", "false"];
  for (const [module, resolution] of [["esnext", "bundler"], ["nodenext", "nodenext"]]) {
    await run(
      process.execPath,
      [tsc, "--noEmit", ...flags, "--target", "es2022", "--lib", "es2022,dom", "--module", module, "--moduleResolution", resolution, "ts/app.ts"],
      { cwd: scratch, timeout: 90_000 },
    ).catch((e) => assert.fail(`tsc (${resolution}): ${e.stdout}${e.stderr}`));
  }
});

// ---- Chromium ----
const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css",
  ".wasm": "application/wasm",
};

/** Serves `dir` on 127.0.0.1 (a free port); resolves to its base URL. */
function serve(dir) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(base, path.endsWith("/") ? `${path}index.html` : path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] || "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
  });
  servers.push(server);
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(`http://127.0.0.1:${server.address().port}`)));
}

async function browser() {
  if (context) return context;
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(join(tmpdir(), "instaclustr-pg-runtimes-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  chromiumProfile = userDataDir;
  return context;
}

/** Opens `url` and returns `window.__result` once the page sets it; page errors fail the case. */
async function pageResult(url) {
  const page = await (await browser()).newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  // failed loads are reported with their URL (the console message has none); a missing favicon is no problem
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`http ${r.status()}: ${r.url()}`));
  const wasmResponses = [];
  page.on("response", (r) => r.url().endsWith(".wasm") && wasmResponses.push({ status: r.status(), type: r.headers()["content-type"] }));
  try {
    await page.goto(url, { timeout: CASE_TIMEOUT_MS });
    await page
      .waitForFunction(() => window.__result !== undefined, null, { timeout: CASE_TIMEOUT_MS })
      .catch(() => assert.fail(`no result from ${url}: ${problems.join("; ") || "no error seen"}`));
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(problems, [], "no page errors");
    return { result, wasmResponses };
  } finally {
    await page.close();
  }
}

const REPORT = (body) => `try { ${body} } catch (e) { window.__result = { error: String(e && e.stack || e) }; }`;

test("browser: plain <script type=\"module\"> with an import map", { timeout: 90_000 }, async () => {
  write(
    "browser/index.html",
    `<!doctype html><meta charset="utf-8"><title>plain module</title>
<script type="importmap">{ "imports": { "instaclustr-pg": "/node_modules/instaclustr-pg/web.js" } }</script>
<script type="module">
${REPORT(`const api = await import("instaclustr-pg"); const { check } = await import("/check.mjs"); const out = check(api);
try { api.InstaclustrClient.fromEnv(); out.fromEnv = "no error"; } catch (e) { out.fromEnv = { code: e.code, paths: e.violations.map((v) => v.path) }; }
window.__result = out;`)}
</script>`,
  );
  const base = await serve(scratch);
  const { result, wasmResponses } = await pageResult(`${base}/browser/index.html`);
  assertCheck(result, "browser");
  // a browser has no process.env: fromEnv says so first
  assert.deepEqual(result.fromEnv, { code: "VALIDATION_ERROR", paths: ["process.env", "options.username", "options.apiKey"] });
  assert.deepEqual(wasmResponses, [{ status: 200, type: "application/wasm" }]);
});

test("browser: module Web Worker", { timeout: 90_000 }, async () => {
  write(
    "worker/worker.js",
    `import * as api from "/node_modules/instaclustr-pg/web.js";
import { check } from "/check.mjs";
let result;
try { result = check(api); result.inWorker = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope; }
catch (e) { result = { error: String(e && e.stack || e) }; }
postMessage(result);
`,
  );
  write(
    "worker/index.html",
    `<!doctype html><meta charset="utf-8"><title>worker</title>
<script type="module">
const worker = new Worker("/worker/worker.js", { type: "module" });
worker.onmessage = (e) => { window.__result = e.data; };
worker.onerror = (e) => { window.__result = { error: "worker error: " + (e.message || "module failed to load") }; };
</script>`,
  );
  const base = await serve(scratch);
  const { result } = await pageResult(`${base}/worker/index.html`);
  assertCheck(result, "worker");
  assert.equal(result.inWorker, true);
});

test("bundler: esbuild (the .wasm copied beside the bundle)", { timeout: 120_000 }, async () => {
  const esbuild = await import("esbuild");
  write("esbuild/main.js", `${NAMED_IMPORT}\nimport { check } from "../check.mjs";\n${REPORT("window.__result = check(api);")}\n`);
  const outdir = join(scratch, "esbuild/dist");
  const built = await esbuild.build({
    absWorkingDir: scratch,
    entryPoints: ["esbuild/main.js"],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    outdir,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(built.metafile.inputs);
  assert.ok(inputs.includes("node_modules/instaclustr-pg/web.js"), `the browser entry is bundled: ${inputs}`);
  assert.ok(!inputs.some((f) => f.endsWith(".cjs")), `no CommonJS entry in a browser bundle: ${inputs}`);
  // esbuild does not copy `new URL("./x.wasm", import.meta.url)` assets (evanw/esbuild#795): the
  // one documented step is to put the package's .wasm beside the bundle
  const wasm = createRequire(join(scratch, "package.json")).resolve("instaclustr-pg/instaclustr_pg_bg.wasm");
  copyFileSync(wasm, join(outdir, "instaclustr_pg_bg.wasm"));
  write("esbuild/dist/index.html", `<!doctype html><meta charset="utf-8"><title>esbuild</title><script type="module" src="./main.js"></script>`);
  const base = await serve(outdir);
  const { result, wasmResponses } = await pageResult(`${base}/index.html`);
  assertCheck(result, "esbuild");
  assert.deepEqual(wasmResponses, [{ status: 200, type: "application/wasm" }]);
});

test("bundler: Vite build, no configuration", { timeout: 150_000 }, async () => {
  const vite = await import("vite");
  const root = join(scratch, "vite");
  write("vite/index.html", `<!doctype html><meta charset="utf-8"><title>vite</title><script type="module" src="/main.js"></script>`);
  write("vite/main.js", `${NAMED_IMPORT}\nimport { check } from "../check.mjs";\n${REPORT("window.__result = check(api);")}\n`);
  await vite.build({ root, configFile: false, logLevel: "warn", build: { outDir: join(root, "dist"), emptyOutDir: true } });
  const assets = readdirSync(join(root, "dist/assets"));
  assert.equal(assets.filter((f) => f.endsWith(".wasm")).length, 1, `Vite emitted the .wasm once: ${assets}`);
  const base = await serve(join(root, "dist"));
  const { result, wasmResponses } = await pageResult(`${base}/index.html`);
  assertCheck(result, "vite");
  assert.deepEqual(wasmResponses, [{ status: 200, type: "application/wasm" }]);
});

test("bundler: Vite dev server, no configuration", { timeout: 90_000 }, async () => {
  const vite = await import("vite");
  const root = join(scratch, "vite-dev");
  write("vite-dev/index.html", `<!doctype html><meta charset="utf-8"><title>vite dev</title><script type="module" src="/main.js"></script>`);
  write("vite-dev/main.js", `${NAMED_IMPORT}\nimport { check } from "./check.mjs";\n${REPORT("window.__result = check(api);")}\n`);
  copyFileSync(join(scratch, "check.mjs"), join(root, "check.mjs"));
  const server = await vite.createServer({
    root,
    configFile: false,
    logLevel: "warn",
    cacheDir: join(root, ".vite"),
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  try {
    await server.listen();
    const url = server.resolvedUrls.local[0];
    assert.ok(url.startsWith("http://127.0.0.1:"), url);
    const { result, wasmResponses } = await pageResult(url);
    assertCheck(result, "vite dev");
    assert.deepEqual(wasmResponses, [{ status: 200, type: "application/wasm" }]);
  } finally {
    await server.close();
  }
});

// ---- Vitest in DOM environments ----
// tests/runtimes/vitest/ (its own package.json, installed by ./run): Vitest with jsdom and with
// happy-dom, the client over msw on the global fetch and over a live emulator, in the scratch
// project (its tests import the installed tarball; vitest and msw are linked in from the
// sub-project). Every test must pass; none may be skipped.
const VITEST = join(here, "vitest");

function vitestProject() {
  const dir = join(scratch, "vitest");
  if (!readdirSync(scratch).includes("vitest")) {
    mkdirSync(dir);
    for (const f of readdirSync(VITEST).filter((f) => f.endsWith(".test.js"))) copyFileSync(join(VITEST, f), join(dir, f));
    for (const name of ["vitest", "msw"]) symlinkSync(join(VITEST, "node_modules", name), join(scratch, "node_modules", name), "dir");
  }
  return dir;
}

for (const environment of ["jsdom", "happy-dom"]) {
  test(`Vitest with ${environment}: msw on the global fetch, and a live emulator`, { timeout: 240_000 }, async () => {
    const dir = vitestProject();
    emulator ??= startEmulator(["--speed", "2000", "--account", "vitest:vitest-api-key"]);
    const { url } = await emulator;
    const report = join(dir, `report-${environment}.json`);
    const vitest = join(VITEST, "node_modules/vitest/vitest.mjs");
    const env = { ...process.env, EMULATOR_URL: url, EMULATOR_USERNAME: "vitest", EMULATOR_API_KEY: "vitest-api-key", NO_COLOR: "1" };
    const args = [vitest, "run", "--root", dir, "--environment", environment, "--reporter=json", `--outputFile=${report}`];
    const ran = await run(process.execPath, args, { cwd: dir, env, timeout: 200_000 }).catch((e) => e);
    let result;
    try {
      result = JSON.parse(readFileSync(report, "utf8"));
    } catch {
      assert.fail(`vitest (${environment}) wrote no report: ${ran.stdout ?? ""}${ran.stderr ?? ""}`);
    }
    const failures = result.testResults
      .flatMap((f) => f.assertionResults)
      .filter((t) => t.status !== "passed")
      .map((t) => `${t.fullName}: ${t.status} ${(t.failureMessages ?? []).join(" ").slice(0, 400)}`);
    assert.deepEqual(failures, [], `vitest (${environment})`);
    assert.ok(result.numPassedTests >= 8 && result.numPassedTests === result.numTotalTests, JSON.stringify(result.numPassedTests));
  });
}
