// Shared helpers of the hardening campaigns (scripts/campaign.d/30-faults .. 60-transport):
// start the emulator on 127.0.0.1 (port 0), read its stats, list an account's clusters without
// random faults, a seeded PRNG, process hooks counting unhandled rejections.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

import { createClusterBody } from "../fixtures/create-cluster.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const EMULATOR_BIN = process.env.EMULATOR_BIN || path.join(ROOT, "target/debug/instaclustr-pg-emulator");
export const CAMPAIGN = process.env.CAMPAIGN === "short" ? "short" : "long";

/** Starts the emulator with `args` (port 0, quiet, records only: `--postgres off`, the campaigns
 * create hundreds of clusters); resolves once it printed its URL. */
export function startEmulator(args, { timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(EMULATOR_BIN, ["--port", "0", "--quiet", "--postgres", "off", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => { proc.kill("SIGKILL"); reject(new Error(`emulator printed no url: ${out}${err}`)); }, timeoutMs);
    proc.stderr.on("data", (d) => { if (err.length < 10_000) err += d; });
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}): ${out}${err}`)); });
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        proc.removeAllListeners("exit");
        proc.stdout.removeAllListeners("data");
        proc.stdout.resume();
        // never outlive the campaign, even when it exits early (process.exit, a watchdog)
        process.once("exit", () => proc.kill("SIGKILL"));
        resolve({ url: m[1], proc, pid: proc.pid, stop: () => stopProcess(proc) });
      }
    });
  });
}

/** Kills a child and resolves when it has exited. */
export function stopProcess(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

/** `GET /__emulator/stats` (test mode; no auth, no faults). */
export async function stats(url) {
  const r = await fetch(`${url}/__emulator/stats`);
  return r.json();
}

/** Basic auth header value. */
export function basic(user, key) {
  return "Basic " + Buffer.from(`${user}:${key}`).toString("base64");
}

/**
 * The account's clusters (`{ id, application }`; only those named `name` when given), bypassing the random faults: a request that carries a fault header with
 * an already used `X-Emulator-Fault-Once` token gets no fault at all (explicit headers win over
 * `--fault-rate`), so the verifier burns one token first and then sees the true state.
 */
export async function verifiedClusters(url, user, key, name) {
  const token = `verify-${user}`;
  const headers = { authorization: basic(user, key), "x-emulator-fault": "418", "x-emulator-fault-once": token };
  const q = name === undefined ? "" : `?search=${encodeURIComponent(`name:${name}`)}`;
  const listUrl = `${url}/cluster-management/v2/data-sources/clusters/v2${q}`;
  for (let i = 0; i < 3; i++) {
    const r = await fetch(listUrl, { headers });
    const text = await r.text();
    if (r.status === 418) continue; // the burnt token
    if (r.status !== 200) throw new Error(`verifier: list answered ${r.status}: ${text.slice(0, 200)}`);
    const accounts = JSON.parse(text);
    return accounts.flatMap((a) => a.clusters || []);
  }
  throw new Error("verifier: could not get past the fault token");
}

/** Reads `VmRSS` and `VmHWM` of a process, in MB (Linux). */
export function rssMb(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+) kB`, "m")) || [])[1] || 0);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** mulberry32: a small seeded PRNG for reproducible run parameters. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

/** Counts unhandled rejections and uncaught exceptions from now on. */
export function trackUnhandled() {
  const seen = { unhandled: 0, uncaught: 0, samples: [] };
  process.on("unhandledRejection", (reason) => {
    seen.unhandled++;
    if (seen.samples.length < 5) seen.samples.push(String(reason?.stack || reason));
  });
  process.on("uncaughtException", (e) => {
    seen.uncaught++;
    if (seen.samples.length < 5) seen.samples.push(String(e?.stack || e));
  });
  return seen;
}

/** Active timers of the process (`Timeout` resources). */
export function activeTimers() {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

/** Runs `tasks` (functions returning promises) with at most `limit` at once. */
export async function pool(count, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) {
      const i = next++;
      await fn(i);
    }
  });
  await Promise.all(workers);
}

/** Percentile of an array of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** A lifecycle cluster body: the shared fixture named `name`, with 1 to 3 nodes when given a `rnd`. */
export function clusterBody(name, rnd) {
  const body = createClusterBody({ name });
  if (rnd) body.dataCentres[0].numberOfNodes = rnd.int(1, 3);
  return body;
}
