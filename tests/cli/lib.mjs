// Helpers of the command-line tests: the packed tarball installed into a scratch project (its
// `bin` is what is run), an emulator with its request log (no --quiet: one JSON line per request
// on stderr) to prove what was sent, and a runner of the bin in a child process that checks that
// the API key never appears in its output.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { EMULATOR_BIN } from "../campaign/lib.mjs";
import { createClusterBody } from "../fixtures/create-cluster.mjs";

export const USER = "cli-user";
export const KEY = "cli-secret-key-7f3a9c";
const BASIC = Buffer.from(`${USER}:${KEY}`).toString("base64");

/** Installs `tarball` into a scratch project; `{ dir, bin, remove }`. */
export function installTarball(tarball) {
  assert.ok(tarball, "CLI_TARBALL is not set: run tests/cli/run (it packs the package)");
  const dir = mkdtempSync(path.join(tmpdir(), "instaclustr-pg-cli-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "cli-scratch", private: true, version: "0.0.0" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", "--loglevel=error", tarball], { cwd: dir, stdio: "inherit", timeout: 120_000 });
  return { dir, bin: path.join(dir, "node_modules/.bin/instaclustr-pg"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the emulator on a free port with its request log; `{ url, pid, requests(), mark(),
 * since(mark), stop() }`. `since` first makes a sentinel request and waits until it is logged, so
 * every earlier request has been read.
 */
export function startLoggedEmulator(args = [], { account = `${USER}:${KEY}` } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(EMULATOR_BIN, ["--port", "0", "--speed", "500", "--account", account, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const log = [];
    let partial = "";
    let out = "";
    let sentinel = 0;
    const timer = setTimeout(() => { proc.kill("SIGKILL"); reject(new Error(`emulator printed no url: ${out}`)); }, 20_000);
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}): ${out}`)); });
    proc.stderr.on("data", (d) => {
      partial += d;
      const lines = partial.split("\n");
      partial = lines.pop();
      for (const l of lines) {
        try { log.push(JSON.parse(l)); } catch { /* not a request line */ }
      }
    });
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners("exit");
      const url = m[1];
      const api = (entries) => entries.filter((e) => !String(e.path).startsWith("/__cli-test-sentinel"));
      resolve({
        url,
        pid: proc.pid,
        mark: () => log.length,
        async since(mark) {
          const p = `/__cli-test-sentinel/${++sentinel}`;
          await fetch(url + p, { signal: AbortSignal.timeout(5000) }).then((r) => r.arrayBuffer()).catch(() => {});
          const until = Date.now() + 5000;
          while (!log.some((e) => e.path === p)) {
            if (Date.now() > until) throw new Error("the emulator did not log the sentinel request");
            await new Promise((r) => setTimeout(r, 10));
          }
          return api(log.slice(mark));
        },
        stop: () => new Promise((done) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return done();
          proc.once("exit", () => done());
          proc.kill("SIGTERM");
        }),
      });
    });
  });
}

/** The environment of a run: credentials for `url`, PATH with this node, no colours forced. */
export function cliEnv(url, extra = {}) {
  const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`, HOME: process.env.HOME ?? "/tmp", LANG: "C.UTF-8" };
  if (url) Object.assign(env, { INSTACLUSTR_USERNAME: USER, INSTACLUSTR_API_KEY: KEY, INSTACLUSTR_BASE_URL: url });
  return { ...env, ...extra };
}

/** Asserts that neither the key nor the Basic credentials appear in `text`. */
export function assertNoSecret(text, label) {
  assert.ok(!text.includes(KEY), `${label}: the API key appears in the output`);
  assert.ok(!text.includes(BASIC), `${label}: the Basic credentials appear in the output`);
}

/**
 * Runs `bin args` (a child process, stdin from `input` or empty), bounded by `timeoutMs`;
 * `{ code, signal, stdout, stderr, json() }`. Checks that no secret appears in either stream.
 */
export function runCli(bin, args, { env, input, timeoutMs = 60_000, cwd, onStderr, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${args.join(" ")}: no exit within ${timeoutMs} ms\n${stderr}`)); }, timeoutMs);
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; onStderr?.(stderr, child); });
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const label = `instaclustr-pg ${args.join(" ")}`;
      try {
        assertNoSecret(stdout, `${label} (stdout)`);
        assertNoSecret(stderr, `${label} (stderr)`);
      } catch (e) {
        return reject(e);
      }
      resolve({
        code, signal, stdout, stderr, pid: child.pid,
        json: () => JSON.parse(stdout),
        errorJson: () => JSON.parse(stderr.slice(stderr.indexOf("{\n"))).error,
      });
    });
    onSpawn?.(child);
    child.stdin.end(input ?? "");
  });
}

/** Writes `value` as JSON into a temporary file; returns its path. */
export function jsonFile(dir, name, value) {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

/**
 * A valid create body named `name`: the shared fixture with this suite's data centre name and
 * replication mode, and `overrides.dc` applied to its data centre.
 */
export function clusterFile(name, overrides = {}) {
  const body = createClusterBody({ name });
  Object.assign(body.dataCentres[0], {
    name: "AWS_VPC_US_EAST_1", intraDataCentreReplication: [{ replicationMode: "ASYNCHRONOUS" }], ...(overrides.dc ?? {}),
  });
  return body;
}

/** Only the requests that change something. */
export const writes = (entries) => entries.filter((e) => e.method !== "GET");
