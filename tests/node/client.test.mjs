// InstaclustrClient of the built package (pkg/, from scripts/build) in Node: a scripted fetch
// drives errors, retries, abort and timeouts, and after every settled call no timer is left
// (checked in-process with process.getActiveResourcesInfo() and by a child process that must
// exit at once). The lifecycle against the emulator is in client-lifecycle.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

import {
  InstaclustrClient, diffClusterUpdate, ApiError, NetworkError, TimeoutError, AbortError, ValidationError, WaiterError, DecodeError,
  InstaclustrError,
} from "../../pkg/node.js";
import { createClusterBody as createBody } from "../fixtures/create-cluster.mjs";

const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const KEY = "recognizable-api-key-0xC0FFEE";
const PKG = new URL("../../pkg/node.js", import.meta.url).href;

const clusterJson = (status) => JSON.stringify({
  id: ID, name: "my-cluster", postgresqlVersion: "16.2.0", privateNetworkCluster: false, slaTier: "NON_PRODUCTION",
  synchronousModeStrict: false, status, currentClusterOperationStatus: "NO_OPERATION", dataCentres: [],
});

/** A fetch answering call n with script[n] (the last repeats); `calls` records each call. */
function scripted(script) {
  const calls = [];
  const f = (url, init) => {
    calls.push({ url, init });
    const s = script[Math.min(calls.length - 1, script.length - 1)];
    if (s === "hang") {
      return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    }
    if (s === "reset") return Promise.reject(new TypeError("fetch failed"));
    return Promise.resolve(new Response(s.status === 204 ? null : (s.body ?? ""), { status: s.status, headers: s.headers ?? {} }));
  };
  f.calls = calls;
  return f;
}

const client = (script, extra = {}) => {
  const fetch = scripted(script);
  const c = new InstaclustrClient({
    baseUrl: "https://api.example.com", username: "alice", apiKey: KEY, fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...extra,
  });
  return { c, fetch };
};

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

function noSecret(err) {
  const text = `${err.message} ${String(err)} ${JSON.stringify(err)} ${err.stack}`;
  assert.ok(!text.includes(KEY), "the api key leaked");
}

test("every method returns a promise and the class has them all", () => {
  const { c } = client([{ status: 200, body: "[]" }]);
  for (const m of ["createCluster", "getCluster", "updateCluster", "deleteCluster", "listBackups", "triggerBackup",
    "restoreCluster", "listVersions", "listCompatibleVersions", "listCompatibleNodeSizes", "downloadCertificate",
    "listClusters", "waitForCluster", "waitForBackup"]) {
    assert.equal(typeof c[m], "function", m);
  }
  const p = c.listVersions();
  assert.ok(p instanceof Promise);
  return p;
});

test("retries 503 and 429, keeps no timer afterwards", async () => {
  const { c, fetch } = client([{ status: 503 }, { status: 429, headers: { "retry-after": "0" } }, { status: 200, body: clusterJson("RUNNING") }]);
  const got = await c.getCluster(ID);
  assert.equal(got.id, ID);
  assert.equal(fetch.calls.length, 3);
  assert.equal(fetch.calls[0].init.redirect, "manual");
  assert.equal(timers(), 0);
});

test("ambiguous create: ApiError / NetworkError with outcomeUnknown, sent once", async () => {
  for (const [step, cls] of [[{ status: 502, body: "<html>bad gateway</html>" }, ApiError], ["reset", NetworkError]]) {
    const { c, fetch } = client([step, { status: 202, body: clusterJson("GENESIS") }]);
    const err = await c.createCluster(createBody()).then(() => assert.fail("resolved"), (e) => e);
    assert.ok(err instanceof cls, err.name);
    assert.equal(err.outcomeUnknown, true);
    assert.equal(err.operation, "createCluster");
    assert.equal(err.attempts, 1);
    assert.equal(typeof err.elapsedMs, "number");
    assert.match(err.hint, /name:my-cluster/);
    assert.equal(fetch.calls.length, 1);
    noSecret(err);
  }
});

test("ApiError carries status, errors, headers and retryAfterMs", async () => {
  const { c } = client([{ status: 429, headers: { "retry-after": "3600", "x-request-id": "r-1" }, body: '{"errors":[{"name":"rate","message":"slow down"}]}' }]);
  const err = await c.getCluster(ID).catch((e) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, "API_ERROR");
  assert.equal(err.status, 429);
  assert.equal(err.errors[0].message, "slow down");
  assert.equal(err.headers["x-request-id"], "r-1");
  assert.equal(err.retryAfterMs, 3_600_000);
  noSecret(err);
});

test("timeout aborts the fetch and leaves no timer", async () => {
  const { c, fetch } = client(["hang"]);
  const err = await c.getCluster(ID, { timeoutMs: 50 }).catch((e) => e);
  assert.ok(err instanceof TimeoutError, err.name);
  assert.equal(fetch.calls[0].init.signal.aborted, true);
  assert.equal(timers(), 0);
});

test("AbortSignal cancels the request and a long backoff at once, no timer left", async () => {
  const { c } = client(["hang"]);
  const first = new AbortController();
  setTimeout(() => first.abort(), 20);
  let err = await c.getCluster(ID, { signal: first.signal }).catch((e) => e);
  assert.ok(err instanceof AbortError, err.name);
  assert.equal(err.code, "ABORT_ERROR");
  assert.equal(err.cause?.name, "AbortError"); // the signal's default reason
  assert.equal(timers(), 0);

  const r = client([{ status: 503, headers: { "retry-after": "30" } }], { timeoutMs: 120_000 });
  const ac = new AbortController();
  const reason = new Error("user navigated away");
  const t = Date.now();
  setTimeout(() => ac.abort(reason), 20);
  err = await r.c.getCluster(ID, { signal: ac.signal }).catch((e) => e);
  assert.ok(err instanceof AbortError);
  assert.equal(err.cause, reason);
  assert.ok(!Object.keys(err).includes("cause"), "cause is not enumerable, as Error's own");
  assert.ok(Date.now() - t < 5000);
  assert.equal(timers(), 0);

  // a signal aborted before the call: its reason too
  err = await r.c.getCluster(ID, { signal: AbortSignal.abort(reason) }).catch((e) => e);
  assert.ok(err instanceof AbortError);
  assert.equal(err.cause, reason);
});

test("AbortSignal.timeout gives a TimeoutError with the signal's reason as cause", async () => {
  const { c, fetch } = client(["hang"]);
  const err = await c.getCluster(ID, { signal: AbortSignal.timeout(20) }).catch((e) => e);
  assert.ok(err instanceof TimeoutError, err.name);
  assert.equal(err.code, "TIMEOUT_ERROR");
  assert.equal(err.cause?.name, "TimeoutError");
  assert.equal(err.operation, "getCluster");
  assert.equal(err.outcomeUnknown, false);
  assert.equal(fetch.calls[0].init.signal.aborted, true);
  // a POST that may have reached the server keeps saying so
  const e2 = await c.triggerBackup(ID, { signal: AbortSignal.timeout(20) }).catch((e) => e);
  assert.ok(e2 instanceof TimeoutError, e2.name);
  assert.equal(e2.outcomeUnknown, true);
  assert.equal(timers(), 0);
});

test("waiter reports progress, fails on FAILED, stops on abort; no timer left", async () => {
  let { c } = client([{ status: 200, body: clusterJson("GENESIS") }, { status: 200, body: clusterJson("RUNNING") }]);
  const seen = [];
  const done = await c.waitForCluster(ID, { maxWaitMs: 10_000, minDelayMs: 1, onProgress: (p) => seen.push(p.status) });
  assert.equal(done.status, "RUNNING");
  assert.deepEqual(seen, ["GENESIS", "RUNNING"]);

  ({ c } = client([{ status: 200, body: clusterJson("FAILED") }]));
  const err = await c.waitForCluster(ID, { maxWaitMs: 10_000 }).catch((e) => e);
  assert.ok(err instanceof WaiterError);
  assert.equal(err.lastStatus, "FAILED");

  ({ c } = client([{ status: 200, body: clusterJson("GENESIS") }]));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  const e2 = await c.waitForCluster(ID, { maxWaitMs: 600_000, minDelayMs: 60_000, signal: ac.signal }).catch((e) => e);
  assert.ok(e2 instanceof AbortError);
  assert.equal(e2.cause?.name, "AbortError");
  assert.equal(timers(), 0);

  ({ c } = client([{ status: 200, body: clusterJson("GENESIS") }]));
  const e3 = await c.waitForCluster(ID, { maxWaitMs: 600_000, minDelayMs: 60_000, signal: AbortSignal.timeout(30) }).catch((e) => e);
  assert.ok(e3 instanceof TimeoutError, e3.name);
  assert.equal(e3.cause?.name, "TimeoutError");
  assert.equal(timers(), 0);
});

test("bad options and arguments are ValidationErrors, nothing sent", async () => {
  assert.throws(() => new InstaclustrClient({ username: "alice" }), ValidationError);
  assert.throws(() => new InstaclustrClient({ username: "a", apiKey: KEY, baseUrl: "http://api.example.com" }), ValidationError);
  const { c, fetch } = client([{ status: 200, body: "{}" }]);
  await assert.rejects(c.getCluster(42), ValidationError);
  await assert.rejects(c.waitForCluster(ID, {}), ValidationError);
  assert.equal(fetch.calls.length, 0);
});

test("body limit gives DecodeError", async () => {
  const { c } = client([{ status: 200, body: "x".repeat(5000) }], { maxResponseBytes: 100 });
  await assert.rejects(c.getCluster(ID), DecodeError);
});

test("fromEnv reads INSTACLUSTR_* variables", async () => {
  const saved = { ...process.env };
  try {
    process.env.INSTACLUSTR_USERNAME = "alice";
    process.env.INSTACLUSTR_API_KEY = KEY;
    process.env.INSTACLUSTR_BASE_URL = "http://127.0.0.1:9";
    const fetch = scripted([{ status: 200, body: "[]" }]);
    const c = InstaclustrClient.fromEnv({ fetch });
    await c.listVersions();
    assert.equal(fetch.calls[0].url, "http://127.0.0.1:9/cluster-management/v2/data-sources/applications/postgresql/versions/v2/");
    assert.equal(fetch.calls[0].init.headers.Authorization, `Basic ${Buffer.from(`alice:${KEY}`).toString("base64")}`);
    delete process.env.INSTACLUSTR_API_KEY;
    assert.throws(() => InstaclustrClient.fromEnv(), ValidationError);
  } finally {
    process.env = saved;
  }
});

test("fromEnv without process.env says so", () => {
  const script = `
    import { InstaclustrClient, ValidationError } from ${JSON.stringify(PKG)};
    const proc = globalThis.process;
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    const seen = [];
    for (const overrides of [undefined, { username: "alice" }, { username: "alice", apiKey: "k" }]) {
      try {
        InstaclustrClient.fromEnv(overrides);
        seen.push("ok");
      } catch (e) {
        seen.push(e instanceof ValidationError ? e.violations.map((v) => v.path + " " + v.code) : String(e));
      }
    }
    globalThis.process = proc;
    console.log(JSON.stringify(seen));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), [
    ["process.env required", "options.username required", "options.apiKey required"],
    ["process.env required", "options.apiKey required"],
    "ok", // the credentials given: no environment needed
  ]);
});

test("free() is idempotent, later calls reject with CLIENT_FREED, calls in flight finish", async () => {
  const { c, fetch } = client([{ status: 200, body: "[]" }]);
  const inFlight = c.listVersions();
  c.free();
  assert.deepEqual(await inFlight, []);
  c.free();
  assert.ok(c instanceof InstaclustrClient);
  for (const call of [() => c.listVersions(), () => c.getCluster(ID), () => c.waitForCluster(ID, { maxWaitMs: 1 })]) {
    const p = call();
    assert.ok(p instanceof Promise);
    const err = await p.catch((e) => e);
    assert.ok(err instanceof InstaclustrError, String(err));
    assert.equal(err.code, "CLIENT_FREED");
    assert.equal(typeof err.operation, "string");
  }
  assert.equal(fetch.calls.length, 1);
  // Symbol.dispose (Node 20 has it) is free(), idempotent too
  const d = client([{ status: 200, body: "[]" }]).c;
  assert.equal(typeof Symbol.dispose, "symbol");
  d[Symbol.dispose]();
  d[Symbol.dispose]();
  d.free();
  assert.equal((await d.listVersions().catch((e) => e)).code, "CLIENT_FREED");
  // other clients are untouched
  assert.deepEqual(await client([{ status: 200, body: "[]" }]).c.listVersions(), []);
});

test("a process whose calls timed out or were aborted exits at once", () => {
  const script = `
    import { InstaclustrClient } from ${JSON.stringify(PKG)};
    const hang = (url, init) => new Promise((_, rej) => init.signal.addEventListener("abort", () => rej(init.signal.reason)));
    const c = new InstaclustrClient({ baseUrl: "https://api.example.com", username: "a", apiKey: "k", fetch: hang });
    const r503 = () => Promise.resolve(new Response("", { status: 503, headers: { "retry-after": "50" } }));
    const d = new InstaclustrClient({ baseUrl: "https://api.example.com", username: "a", apiKey: "k", fetch: r503, timeoutMs: 120000 });
    const ac = new AbortController();
    const waits = [
      c.getCluster("${ID}", { timeoutMs: 30 }).catch((e) => e.code),
      d.getCluster("${ID}", { signal: ac.signal }).catch((e) => e.code),
      c.waitForCluster("${ID}", { maxWaitMs: 600000, signal: AbortSignal.timeout(40) }).catch((e) => e.code),
    ];
    setTimeout(() => ac.abort(), 30);
    console.log(JSON.stringify(await Promise.all(waits)));
  `;
  const t = Date.now();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  const elapsed = Date.now() - t;
  assert.equal(r.status, 0, r.stderr);
  // AbortSignal.timeout fired the last: a TimeoutError
  assert.deepEqual(JSON.parse(r.stdout.trim()), ["TIMEOUT_ERROR", "ABORT_ERROR", "TIMEOUT_ERROR"]);
  assert.ok(elapsed < 5000, `process took ${elapsed} ms to exit: a timer was left running`);
});


test("diffClusterUpdate lists refused fields; updateCluster sends nothing then", async () => {
  const current = { ...JSON.parse(clusterJson("RUNNING")), dataCentres: createBody().dataCentres };
  const desired = { dataCentres: [{ ...createBody().dataCentres[0], network: "10.9.0.0/16", nodeSize: "PGS-DEV-t4g.medium-30" }] };
  const v = diffClusterUpdate(current, desired);
  assert.deepEqual(v.map((x) => [x.path, x.code]), [["dataCentres[0].network", "conflict"]]);
  const { c, fetch } = client([{ status: 202 }]);
  await assert.rejects(c.updateCluster(ID, desired, { current }), ValidationError);
  assert.equal(fetch.calls.length, 0);
  desired.dataCentres[0].network = "10.1.0.0/16";
  assert.deepEqual(diffClusterUpdate(current, desired), []);
  await c.updateCluster(ID, desired, { current });
  assert.equal(fetch.calls[0].init.method, "PUT");
});

test("the now option is the present of the point-in-time check; a bad one is a ValidationError", async () => {
  const hour = 3_600_000;
  const inAnHour = new Date(Date.now() + hour).toISOString();
  const restore = (c) => c.restoreCluster({ clusterId: ID, pointInTime: inAnHour });
  const plain = client([{ status: 202, body: JSON.stringify({ clusterId: ID }) }]);
  const future = await restore(plain.c).then(() => null, (e) => e);
  assert.ok(future instanceof ValidationError, "a point in time an hour ahead of the real clock is refused");
  assert.deepEqual(future.violations.map((v) => v.path), ["pointInTime"]);
  assert.equal(plain.fetch.calls.length, 0);

  const ahead = client([{ status: 202, body: JSON.stringify({ clusterId: ID }) }], { now: () => Date.now() + 2 * hour });
  await restore(ahead.c);
  assert.equal(ahead.fetch.calls.length, 1, "with a clock two hours ahead the same instant is in the past and sent");
  assert.equal(JSON.parse(ahead.fetch.calls[0].init.body).pointInTime, inAnHour);

  assert.throws(() => new InstaclustrClient({ username: "a", apiKey: KEY, now: 5 }), (e) => e instanceof ValidationError && e.violations[0].path === "options.now");
  for (const now of [() => "soon", () => { throw new Error("clock broke"); }]) {
    const bad = client([{ status: 202, body: "{}" }], { now });
    const e = await restore(bad.c).then(() => null, (x) => x);
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.violations.map((v) => v.path), ["options.now"]);
    assert.equal(bad.fetch.calls.length, 0);
  }
});
