// `instaclustr-pg/emulator` in-process, from the installed tarball: the lifecycle through the
// client on `emulator.fetch` with the virtual clock, snapshots, reset, close, options, faults.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";

import { ApiError, InstaclustrClient } from "instaclustr-pg";
import { createEmulator } from "instaclustr-pg/emulator";

import { HOUR, createClusterBody, lifecycle } from "./lib.mjs";

const ALICE = { username: "alice", apiKey: "key-a" };
const clientOf = (emulator, extra = {}) =>
  new InstaclustrClient({ ...ALICE, fetch: emulator.fetch, now: emulator.now, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...extra });

test("the PATH has no cargo and no PostgreSQL", () => {
  const found = execFileSync("sh", ["-c", "for p in cargo rustc initdb postgres pg_ctl psql; do command -v $p; done; true"], { encoding: "utf8" });
  assert.equal(found.trim(), "");
});

test("the client's entries never load the emulator's module (only instaclustr-pg/emulator does)", async () => {
  const { readFileSync, readdirSync } = await import("node:fs");
  const dir = new URL("./node_modules/instaclustr-pg/", import.meta.url);
  for (const f of ["web.js", "node.js", "node.cjs"]) assert.doesNotMatch(readFileSync(new URL(f, dir), "utf8"), /emulator_core|emulator\//, f);
  assert.ok(readdirSync(new URL("emulator/", dir)).includes("emulator_core_bg.wasm"));
  const pkg = JSON.parse(readFileSync(new URL("package.json", dir), "utf8"));
  assert.equal(pkg.exports["./emulator"].types, "./emulator/index.d.ts");
  assert.equal(pkg.exports["./emulator/msw"].types, "./emulator/msw.d.ts");
  assert.deepEqual(pkg.peerDependenciesMeta, { msw: { optional: true }, "@electric-sql/pglite": { optional: true } });
});

test("whole lifecycle in-process: client on emulator.fetch, advance between steps", async () => {
  const emulator = await createEmulator({ accounts: ["alice:key-a"], seed: 1 });
  try {
    await lifecycle(clientOf(emulator), emulator, "inproc-life");
  } finally {
    await emulator.close();
  }
});

test("snapshot round trip: JSON, clock offset, a second emulator agrees; reset; close", async () => {
  const emulator = await createEmulator({ accounts: ["alice:key-a"] });
  const client = clientOf(emulator);
  const { id } = await client.createCluster(createClusterBody({ name: "snap-one" }));
  emulator.advance(HOUR);
  const snap = JSON.parse(JSON.stringify(emulator.snapshot()));
  assert.equal(typeof snap.version, "number");
  assert.equal(snap.clockOffsetMs, HOUR);
  const again = await createEmulator({ accounts: ["alice:key-a"], snapshot: snap });
  assert.ok(again.now() - Date.now() >= HOUR - 1000);
  const copy = await clientOf(again).getCluster(id);
  assert.equal(copy.status, "RUNNING");
  assert.deepEqual(copy, await client.getCluster(id));
  // new ids after a restore never repeat the source's, and two restores of one snapshot continue
  // the same sequence (the generator's 64-bit state survives JSON exactly)
  const other = await clientOf(again).createCluster(createClusterBody({ name: "snap-two" }));
  assert.notEqual(other.id, id);
  const twin = await createEmulator({ accounts: ["alice:key-a"], snapshot: snap });
  assert.equal((await clientOf(twin).createCluster(createClusterBody({ name: "snap-two" }))).id, other.id);
  await twin.close();

  again.reset();
  assert.ok(Math.abs(again.now() - Date.now()) < 1000);
  assert.deepEqual(await clientOf(again).listClusters(), []);
  await again.close();
  await assert.rejects(again.fetch("https://api.instaclustr.com/"), { code: "EMULATOR_CLOSED" });
  assert.throws(() => again.snapshot(), { code: "EMULATOR_CLOSED" });
  await emulator.close();
});

test("damaged and newer-version snapshots are refused with a clear Error", async () => {
  const emulator = await createEmulator();
  const good = emulator.snapshot();
  await emulator.close();
  for (const [bad, pattern] of [
    [{ ...good, version: good.version + 1 }, /version/i],
    [{ ...good, clusters: "nope" }, /clusters|snapshot/i],
    [{ nothing: true }, /version/i],
    [{ ...good, clockOffsetMs: -5 }, /clockOffsetMs/],
  ]) {
    await assert.rejects(createEmulator({ snapshot: bad }), (e) => e instanceof Error && pattern.test(e.message), JSON.stringify(bad).slice(0, 80));
  }
});

test("options: wrong ones are a TypeError or RangeError naming the option; pglite named when it is not installed", async () => {
  await assert.rejects(createEmulator({ accounts: ["no-colon"] }), (e) => e instanceof TypeError && /accounts\[0\]/.test(e.message));
  await assert.rejects(createEmulator({ accounts: ["u:secret-key-xyz", "bad"] }), (e) => e instanceof TypeError && !e.message.includes("secret-key-xyz"));
  await assert.rejects(createEmulator({ speed: 0 }), (e) => e instanceof RangeError && /speed/.test(e.message));
  await assert.rejects(createEmulator({ faultRate: 2 }), (e) => e instanceof RangeError && /faultRate/.test(e.message));
  await assert.rejects(createEmulator({ faultKinds: ["503", "explode"] }), (e) => e instanceof RangeError && /faultKinds\[1\]/.test(e.message));
  await assert.rejects(createEmulator({ bodyLimit: -1 }), (e) => e instanceof RangeError && /bodyLimit/.test(e.message));
  await assert.rejects(createEmulator({ seed: 1.5 }), (e) => e instanceof TypeError && /seed/.test(e.message));
  await assert.rejects(createEmulator({ spead: 2 }), (e) => e instanceof TypeError && /spead/.test(e.message));
  // this project has no @electric-sql/pglite (tier 49-npm-emulator-pglite has)
  await assert.rejects(createEmulator({ postgres: "pglite" }), (e) => e.code === "PGLITE_MISSING" && /npm install @electric-sql\/pglite/.test(e.message));
  await assert.rejects(createEmulator({ postgres: "auto" }), (e) => e instanceof RangeError && /postgres/.test(e.message));
  const demo = await createEmulator();
  const list = await new InstaclustrClient({ username: "demo", apiKey: "demo-api-key", fetch: demo.fetch }).listClusters();
  assert.deepEqual(list, []);
  await assert.rejects(new InstaclustrClient({ ...ALICE, fetch: demo.fetch, maxRetries: 0 }).listClusters(), (e) => e instanceof ApiError && e.status === 401);
  await demo.close();
});

test("test mode: X-Emulator-Fault gives a 503 and a dropped connection (TypeError: fetch failed); abort", async () => {
  const emulator = await createEmulator({ accounts: ["alice:key-a"], testMode: true });
  const url = "https://api.example.test/cluster-management/v2/data-sources/clusters/v2";
  const auth = { authorization: `Basic ${btoa("alice:key-a")}` };
  const r503 = await emulator.fetch(url, { headers: { ...auth, "x-emulator-fault": "503" } });
  assert.equal(r503.status, 503);
  await r503.arrayBuffer();
  await assert.rejects(emulator.fetch(url, { headers: { ...auth, "x-emulator-fault": "drop" } }), (e) => e instanceof TypeError && e.message === "fetch failed");
  const ok = await emulator.fetch(url, { headers: auth });
  assert.equal(ok.status, 200);
  const before = await ok.text();
  // a stall is abortable: the request never runs
  const ctl = new AbortController();
  const create = "https://api.example.test/cluster-management/v2/resources/applications/postgresql/clusters/v2";
  const stalled = emulator.fetch(create, { method: "POST", headers: { ...auth, "x-emulator-fault": "stall:5000", "content-type": "application/json" }, body: JSON.stringify(createClusterBody({ name: "never-made" })), signal: ctl.signal });
  setTimeout(() => ctl.abort(), 50);
  await assert.rejects(stalled, { name: "AbortError" });
  assert.equal(await (await emulator.fetch(url, { headers: auth })).text(), before, "the stalled create never ran");
  // the client retries a 503 on a read
  let calls = 0;
  const client = new InstaclustrClient({ ...ALICE, retry: { baseDelayMs: 1, maxDelayMs: 5 }, fetch: (input, init) => {
    calls += 1;
    const headers = new Headers(init.headers);
    if (calls === 1) headers.set("x-emulator-fault", "503");
    return emulator.fetch(input, { ...init, headers });
  } });
  assert.deepEqual(await client.listClusters(), []);
  assert.equal(calls, 2);
  await emulator.close();
});
