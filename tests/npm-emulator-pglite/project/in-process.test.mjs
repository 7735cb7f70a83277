// `createEmulator({ postgres: "pglite" })` in-process from the installed tarball: node-postgres
// over verify-full TLS into a cluster's PGlite database (wrong password, no TLS refused, a password
// change taking effect), backup and restore (the restored data is the backup's), the limit of
// live databases (409 naming dataCentres, freed by a delete), snapshots with the databases.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";

import { InstaclustrClient } from "instaclustr-pg";
import { createEmulator } from "instaclustr-pg/emulator";

import { HOUR, createClusterBody, pgClient, until } from "./lib.mjs";

const clientOf = (emulator) => new InstaclustrClient({ username: "demo", apiKey: "demo-api-key", fetch: emulator.fetch, now: emulator.now, retry: { baseDelayMs: 1, maxDelayMs: 5 } });

test("the PATH has no cargo and no PostgreSQL", () => {
  const found = execFileSync("sh", ["-c", "for p in cargo rustc initdb postgres pg_ctl psql; do command -v $p; done; true"], { encoding: "utf8" });
  assert.equal(found.trim(), "");
});

test("a cluster's database over verify-full TLS and in-process; backup, restore, limit, snapshot", async (t) => {
  const emulator = await createEmulator({ postgres: "pglite", maxDatabases: 2, seed: 22 });
  t.after(() => emulator.close());
  const client = clientOf(emulator);
  const { id } = await client.createCluster(createClusterBody({ name: "pgl-one" }));
  emulator.advance(HOUR);
  // RUNNING only once the database answers
  const db = await emulator.database(id);
  assert.equal((await db.query("select 1 as one")).rows[0].one, 1);
  const cluster = await client.getCluster(id);
  assert.equal(cluster.status, "RUNNING");
  const { pem } = await client.downloadCertificate(id);

  const c = pgClient(cluster, pem);
  await c.connect();
  await c.query("create table items (n int primary key, label text)");
  await c.query("insert into items values ($1, $2), ($3, $4)", [1, "one", 2, "two"]);
  // a row written over the wire is visible in-process, and the other way round
  assert.equal((await db.query("select count(*)::int as n from items")).rows[0].n, 2);
  await db.query("insert into items values (3, 'three')");
  assert.equal((await c.query("select count(*)::int as n from items")).rows[0].n, 3);
  await c.end();

  for (const [what, extra] of [
    ["a wrong password", { password: "not-the-password" }],
    ["no TLS", { ssl: false }],
    ["another user", { user: "postgres" }],
  ]) {
    const bad = pgClient(cluster, pem, extra);
    await assert.rejects(bad.connect(), (e) => ["28000", "28P01", "08P01"].includes(e.code), what);
  }

  // a password change through the API takes effect on the wire
  const password = "New-pass-word-42x!";
  await client.updateDefaultUserPassword(id, { password });
  await assert.rejects(pgClient(cluster, pem).connect(), (e) => e.code === "28000" || e.code === "28P01");
  const renewed = pgClient(cluster, pem, { password });
  await renewed.connect();
  assert.equal((await renewed.query("select count(*)::int as n from items")).rows[0].n, 3);
  await renewed.end();

  // backup, write more, restore to an instant after the backup: the backup's data
  await client.triggerBackup(id);
  emulator.advance(HOUR);
  await until(async () => (await client.listBackups(id)).clusterDataCentres[0].nodes[0].events.some((e) => e.state === "COMPLETED"), 20_000, "the backup");
  const after = emulator.now();
  emulator.advance(60_000);
  await db.query("insert into items values (4, 'four')");
  const restored = await client.restoreCluster({ clusterId: id, pointInTime: new Date(after), restoredClusterName: "pgl-one-restored" });
  emulator.advance(HOUR);
  const rdb = await emulator.database(restored.restoredClusterId);
  assert.deepEqual((await rdb.query("select n from items order by n")).rows.map((r) => r.n), [1, 2, 3]);
  assert.equal((await db.query("select count(*)::int as n from items")).rows[0].n, 4);
  assert.equal((await client.getCluster(restored.restoredClusterId)).status, "RUNNING");

  // the limit (2): a third database is refused at once, naming dataCentres; a delete frees a slot
  await assert.rejects(client.createCluster(createClusterBody({ name: "pgl-three" })), (e) => e.status === 409 && JSON.stringify(e.errors ?? e.violations ?? e.message).includes("dataCentres"));
  await client.deleteCluster(restored.restoredClusterId);
  await assert.rejects(emulator.database(restored.restoredClusterId), (e) => e.code === "NO_DATABASE");
  const third = await client.createCluster(createClusterBody({ name: "pgl-three" }));
  emulator.advance(HOUR);
  await emulator.database(third.id);

  // a snapshot with the databases: a new emulator has the data back (and the backups)
  const snap = await emulator.snapshotWithDatabases();
  assert.equal(typeof snap.version, "number");
  JSON.parse(JSON.stringify(snap));
  await emulator.close();
  const again = await createEmulator({ postgres: "pglite", snapshot: snap });
  t.after(() => again.close());
  const adb = await again.database(id);
  assert.equal((await adb.query("select count(*)::int as n from items")).rows[0].n, 4);
  const back = await clientOf(again).getCluster(id);
  assert.equal(back.status, "RUNNING");
  const wire = pgClient(back, (await clientOf(again).downloadCertificate(id)).pem, { password });
  await wire.connect();
  assert.equal((await wire.query("select label from items where n = 4")).rows[0].label, "four");
  await wire.end();
});

test("one wire session at a time: a second one waits for the first, then is served", async (t) => {
  const emulator = await createEmulator({ postgres: "pglite", maxDatabases: 1 });
  t.after(() => emulator.close());
  const client = clientOf(emulator);
  const { id } = await client.createCluster(createClusterBody({ name: "pgl-sessions" }));
  emulator.advance(HOUR);
  await emulator.database(id);
  const cluster = await client.getCluster(id);
  const { pem } = await client.downloadCertificate(id);
  const first = pgClient(cluster, pem);
  await first.connect();
  await first.query("begin");
  const second = pgClient(cluster, pem);
  const connecting = second.connect();
  await new Promise((r) => setTimeout(r, 300));
  await first.end();
  await connecting;
  // the second session starts outside the first one's transaction
  assert.equal((await second.query("select 1 as x")).rows[0].x, 1);
  await second.end();
});

test("options: postgres and maxDatabases are checked", async () => {
  await assert.rejects(createEmulator({ postgres: "sqlite" }), RangeError);
  await assert.rejects(createEmulator({ postgres: "pglite", maxDatabases: 0 }), RangeError);
  await assert.rejects(createEmulator({ maxDatabases: 2 }), TypeError);
  const off = await createEmulator();
  await assert.rejects(off.database("x"), (e) => e.code === "NO_DATABASE");
  await off.close();
});
