// What the node-postgres tests of the emulator's real servers share (node-postgres.test.mjs,
// node-postgres-configurations.test.mjs): the emulator binary started with real servers, deadlines
// per step, verify-full TLS client configs, logins that must work or be refused, and the checks
// that no server process is left.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import tls from "node:tls";
import path from "node:path";
import { fileURLToPath } from "node:url";

import pg from "pg";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const EMULATOR_BIN = process.env.EMULATOR_BIN || path.join(ROOT, "target/debug/instaclustr-pg-emulator");
export const SPEED = 100;
export const wait = { minDelayMs: 50, maxDelayMs: 250, maxWaitMs: 60_000 };

/** PostgreSQL binaries as the emulator's `--postgres auto` looks for them. */
export function postgresInstalled() {
  try {
    return readdirSync("/usr/lib/postgresql").some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`));
  } catch {
    return false;
  }
}
export const required = process.env.REQUIRE_POSTGRES === "1";
export const skip = !postgresInstalled() && !required && "no PostgreSQL binaries under /usr/lib/postgresql";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `f` with a deadline; the error names the step. */
export async function step(name, ms, f) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step "${name}" took more than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([f(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the emulator binary (port 0, real servers, `account` as `user:key`); resolves with its URL and data folder. */
export function startEmulator(account) {
  return new Promise((resolve, reject) => {
    const proc = spawn(EMULATOR_BIN, [
      "--port", "0", "--quiet", "--postgres", "auto", "--speed", String(SPEED), "--account", account,
    ], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const fail = (e) => { clearTimeout(timer); proc.kill("SIGKILL"); reject(e); };
    const timer = setTimeout(() => fail(new Error(`emulator did not start: ${out}${err}`)), 20_000);
    proc.on("error", fail);
    proc.stderr.on("data", (d) => { if (err.length < 20_000) err += d; });
    proc.on("exit", (code, signal) => { clearTimeout(timer); reject(new Error(`emulator exited (${code ?? signal}): ${out}${err}`)); });
    proc.stdout.on("data", (d) => {
      out += d;
      const url = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      const banner = out.match(/^postgres: (.*)$/m);
      if (!url || !banner) return;
      clearTimeout(timer);
      proc.removeAllListeners("exit");
      proc.stdout.removeAllListeners("data");
      proc.stdout.resume();
      if (!banner[1].startsWith("real servers")) {
        proc.kill("SIGKILL");
        return reject(new Error(`the emulator runs no real servers: ${banner[0]}`));
      }
      const base = banner[1].match(/data in (.+)$/)[1].trim();
      const exited = new Promise((r) => {
        if (proc.exitCode !== null || proc.signalCode !== null) r();
        else proc.once("exit", () => r());
      });
      const kill = async (signal) => { proc.kill(signal); await step(`emulator exits on ${signal}`, 40_000, () => exited); };
      resolve({ url: url[1], base, proc, kill, stderr: () => err });
    });
  });
}

/** Processes whose command line contains `needle` (a data folder, or `postgres: <cluster_name>`). */
export function processesWith(needle) {
  const found = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue; // gone meanwhile
    }
    if (cmd.includes(needle)) found.push(`${pid}: ${cmd}`);
  }
  return found;
}

/** The server processes of cluster `id`: postmasters (by data folder) and backends (by title). */
export const serversOf = (id, base) => [...processesWith(path.join(base, id)), ...processesWith(`postgres: ${id.slice(0, 8)}-`)];

/** Resolves once no server process of `id` is left (within 30 s). */
export async function noServersLeft(id, base) {
  const t = Date.now();
  for (;;) {
    const left = serversOf(id, base);
    if (left.length === 0) return;
    if (Date.now() - t > 30_000) assert.fail(`postgres processes left: ${left.join("; ")}`);
    await sleep(100);
  }
}

export const nodesOf = (cluster) => cluster.dataCentres.flatMap((dc) => dc.nodes);

/** A pg client config for `host` with verify-full TLS against `ca`; counts identity checks in `checks`. */
export function config(host, password, ca, checks = { n: 0 }, extra = {}) {
  return {
    host, port: 5432, user: "icpostgresql", password, database: "postgres",
    connectionTimeoutMillis: 10_000, query_timeout: 10_000, statement_timeout: 10_000,
    ssl: {
      ca,
      rejectUnauthorized: true,
      // tls.connect calls this with the name it checks (pg passes `host`, the IP); wrap the
      // default check to prove it ran on that IP, and keep its verdict.
      checkServerIdentity: (name, cert) => { checks.n++; checks.names = [...(checks.names || []), name]; return tls.checkServerIdentity(name, cert); },
      ...extra,
    },
  };
}

/** Connects, runs `f(client)`, always ends the connection. */
export async function withClient(cfg, f) {
  const c = new pg.Client(cfg);
  c.on("error", () => {}); // a server going away after the test is not a test failure
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** A login that must be refused: resolves with the error. */
export async function refused(cfg) {
  const c = new pg.Client(cfg);
  c.on("error", () => {});
  try {
    await c.connect();
  } catch (e) {
    return e;
  } finally {
    await c.end().catch(() => {});
  }
  assert.fail(`login to ${cfg.host} was accepted`);
}

