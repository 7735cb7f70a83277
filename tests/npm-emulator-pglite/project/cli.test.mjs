// `npx instaclustr-pg emulator --postgres pglite` from the installed tarball: the start-up line,
// a cluster over HTTP, node-postgres over verify-full TLS to its address, a restore that logs the
// backup it used, the --state file across a restart with the data, and the clear error when
// PGlite is not installed.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

import { InstaclustrClient } from "instaclustr-pg";

import { startEmulator } from "./emulator-process.mjs";
import { createClusterBody, pgClient, until } from "./lib.mjs";

const tmp = mkdtempSync(path.resolve("tmp-"));

const clientOf = (url) => new InstaclustrClient({ username: "demo", apiKey: "demo-api-key", baseUrl: url, retry: { baseDelayMs: 1, maxDelayMs: 5 } });

async function running(client, id) {
  await until(async () => (await client.getCluster(id)).status === "RUNNING", 30_000, `cluster ${id} RUNNING`);
  return await client.getCluster(id);
}

test("--postgres pglite: the wire, a restore naming its backup, the state file with the data", async () => {
  const state = path.join(tmp, "state.json");
  let em = await startEmulator(["--postgres", "pglite", "--speed", "1000", "--state", state], { timeoutMs: 30_000 });
  assert.match(em.lines.find((l) => l.startsWith("postgres:")), /^postgres: pglite, .*standbys are records.*newest backup at or before the instant.*one session at a time.*at most 4 databases/);
  let client = clientOf(em.url);
  const { id } = await client.createCluster(createClusterBody({ name: "cli-pgl" }));
  const cluster = await running(client, id);
  const { pem } = await client.downloadCertificate(id);
  const c = pgClient(cluster, pem);
  await c.connect();
  await c.query("create table notes (t text)");
  await c.query("insert into notes values ('before the backup')");
  await c.end();

  await client.triggerBackup(id);
  await until(async () => (await client.listBackups(id)).clusterDataCentres[0].nodes[0].events.some((e) => e.state === "COMPLETED"), 30_000, "the backup");
  const instant = new Date(Date.now());
  const more = pgClient(cluster, pem);
  await more.connect();
  await more.query("insert into notes values ('after the backup')");
  await more.end();
  const restored = await client.restoreCluster({ clusterId: id, pointInTime: instant, restoredClusterName: "cli-pgl-restored" });
  const rc = await running(client, restored.restoredClusterId);
  const r = pgClient(rc, (await client.downloadCertificate(restored.restoredClusterId)).pem);
  await r.connect();
  assert.deepEqual((await r.query("select t from notes")).rows.map((x) => x.t), ["before the backup"]);
  await r.end();
  const restoreLine = em.stderr().split("\n").find((l) => l.includes('"postgres":"restore"'));
  assert.ok(restoreLine, em.stderr());
  assert.match(JSON.parse(restoreLine).backup, /^\d{4}-\d\d-\d\dT/);
  assert.ok(!em.stderr().includes(cluster.defaultUserPassword), "no password in the log");

  // a restart with the state file: the clusters and their data are back
  await em.stop();
  em = await startEmulator(["--postgres", "pglite", "--speed", "1000", "--state", state, "--quiet"], { timeoutMs: 30_000 });
  client = clientOf(em.url);
  const back = await running(client, id);
  const again = pgClient(back, (await client.downloadCertificate(id)).pem);
  await again.connect();
  assert.deepEqual((await again.query("select t from notes order by t desc")).rows.map((x) => x.t), ["before the backup", "after the backup"]);
  await again.end();
  await em.stop();
});

test("without @electric-sql/pglite installed: a clear error naming it (createEmulator and the CLI)", async () => {
  // a project holding the package and its own dependency, no PGlite (outside the scratch project,
  // whose node_modules a module lookup would reach)
  const bare = path.join(mkdtempSync(path.join(tmpdir(), "pglite-missing-")), "bare");
  mkdirSync(path.join(bare, "node_modules"), { recursive: true });
  for (const name of ["instaclustr-pg", "pg-gateway"]) cpSync(path.resolve("node_modules", name), path.join(bare, "node_modules", name), { recursive: true });
  writeFileSync(path.join(bare, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    path.join(bare, "try.mjs"),
    'import { createEmulator } from "instaclustr-pg/emulator";\ntry { await createEmulator({ postgres: "pglite" }); console.log("made"); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }\n',
  );
  const { stdout } = await promisify(execFile)("node", ["try.mjs"], { cwd: bare, timeout: 30_000 });
  const got = JSON.parse(stdout);
  assert.equal(got.code, "PGLITE_MISSING");
  assert.match(got.message, /npm install @electric-sql\/pglite/);
  const cli = await promisify(execFile)("node", ["node_modules/instaclustr-pg/cli/main.js", "emulator", "--postgres", "pglite", "--port", "0"], { cwd: bare, timeout: 30_000 }).then(
    () => assert.fail("the emulator started"),
    (e) => e,
  );
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /@electric-sql\/pglite/);
  rmSync(path.dirname(bare), { recursive: true, force: true });
});
