// The emulator's real PostgreSQL servers seen from Node with node-postgres (`pg`), driven through
// the built package (pkg/): create -> waitForCluster -> downloadCertificate -> a verify-full TLS
// login to the primary (the CA from the download, the server's address checked against its
// certificate) -> table and row A; refused logins (no TLS, wrong password, wrong name checked,
// another CA: a public one and the restored cluster's);
// icpostgresql is no superuser but creates a database; a standby is read-only and sees the rows;
// triggerBackup -> waitForBackup -> rows B, instant, C -> restoreCluster at that instant -> the
// restored cluster has A and B, not C; resize keeps the data; delete leaves no server process and
// no data folder; SIGTERM and SIGKILL to the emulator leave no server process.
// Skipped when no PostgreSQL binaries are installed, except under REQUIRE_POSTGRES=1 (tier
// scripts/test.d/42-postgres), where that is a failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import tls from "node:tls";
import path from "node:path";

import pg from "pg";

import { InstaclustrClient } from "../../pkg/node.js";
import { createClusterBody } from "../fixtures/create-cluster.mjs";
import { SPEED, wait, postgresInstalled, skip, sleep, step, startEmulator, serversOf, noServersLeft, nodesOf, config, withClient, refused } from "./lib.mjs";

const USER = "alice";
const KEY = "alice-node-pg-key-42";
const names = async (c) => (await c.query("SELECT name FROM items ORDER BY name")).rows.map((r) => r.name);

test("node-postgres against the emulator's real servers: TLS, users, standby, PITR, resize, delete", {
  skip, timeout: 300_000,
}, async (t) => {
  assert.ok(postgresInstalled(), "REQUIRE_POSTGRES=1 but no PostgreSQL binaries under /usr/lib/postgresql");
  const emu = await startEmulator(`${USER}:${KEY}`);
  try {
    const client = new InstaclustrClient({ baseUrl: emu.url, username: USER, apiKey: KEY, retry: { baseDelayMs: 20, maxDelayMs: 200 } });

    // create -> wait -> certificate -> first verify-full query
    const t0 = performance.now();
    const { id } = await step("create", 10_000, () => client.createCluster(createClusterBody({ name: "node-pg" })));
    const cluster = await step("wait RUNNING", 60_000, () => client.waitForCluster(id, wait));
    assert.equal(cluster.status, "RUNNING");
    const { pem } = await step("certificate", 10_000, () => client.downloadCertificate(id));
    const password = cluster.defaultUserPassword;
    assert.ok(password);
    const [primary, standby] = nodesOf(cluster).map((n) => n.publicAddress);
    assert.ok(primary && standby && primary !== standby);
    assert.match(primary, /^127\./);
    const checks = { n: 0 };
    await step("first TLS query", 15_000, () => withClient(config(primary, password, pem, checks), async (c) => {
      const r = await c.query("SELECT inet_server_addr()::text AS addr, ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
      assert.equal(r.rows[0].ssl, true);
      assert.equal(r.rows[0].addr.split("/")[0], primary);
      assert.match(r.rows[0].version, /^TLSv1\.[23]$/);
    }));
    const firstQueryMs = performance.now() - t0;
    t.diagnostic(`create -> first verify-full query (speed ${SPEED}, 2 nodes): ${Math.round(firstQueryMs)} ms`);
    assert.equal(checks.n, 1, "the server identity was checked");
    assert.deepEqual(checks.names, [primary], "against the address connected to");

    // the identity check really rejects: the primary's certificate does not name the standby's address
    const wrongName = await step("wrong name refused", 15_000, () => refused(config(primary, password, pem, {}, { host: standby })));
    assert.equal(wrongName.code, "ERR_TLS_CERT_ALTNAME_INVALID");
    // ... and a CA other than the cluster's is not trusted
    const otherCa = await step("other CA refused", 15_000, () => refused(config(primary, password, tls.rootCertificates)));
    assert.match(otherCa.code, /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
    // no TLS, wrong password: refused by the server (no hostnossl line; SCRAM)
    const plain = await step("no TLS refused", 15_000, () => refused({ ...config(primary, password, pem), ssl: false }));
    assert.equal(plain.code, "28000", "invalid_authorization_specification (no pg_hba.conf entry)");
    const badPassword = await step("wrong password refused", 15_000, () => refused(config(primary, `${password}x`, pem)));
    assert.equal(badPassword.code, "28P01", "invalid_password");

    // table, row A; icpostgresql is no superuser and creates a database
    await step("primary work", 15_000, () => withClient(config(primary, password, pem), async (c) => {
      await c.query("CREATE TABLE items (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");
      await c.query("INSERT INTO items (name) VALUES ('A')");
      const me = await c.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
      assert.equal(me.rows[0].rolsuper, false);
      assert.equal((await c.query("SHOW is_superuser")).rows[0].is_superuser, "off");
      await assert.rejects(c.query("ALTER SYSTEM SET work_mem = '4MB'"), (e) => e.code === "42501");
      await c.query("CREATE DATABASE node_pg_db");
      const db = await c.query("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = 'node_pg_db'");
      assert.equal(db.rows[0].owner, "icpostgresql");
    }));
    await step("login to the new database", 15_000, () => withClient({ ...config(primary, password, pem), database: "node_pg_db" },
      async (c) => assert.equal((await c.query("SELECT current_database() AS d")).rows[0].d, "node_pg_db")));

    // the standby: read-only, sees row A
    await step("standby", 20_000, () => withClient(config(standby, password, pem), async (c) => {
      assert.equal((await c.query("SELECT pg_is_in_recovery() AS r")).rows[0].r, true);
      await assert.rejects(c.query("INSERT INTO items (name) VALUES ('S')"), (e) => e.code === "25006");
      for (;;) {
        if ((await names(c)).includes("A")) break;
        await sleep(100);
      }
      assert.deepEqual(await names(c), ["A"]);
    }));

    // backup, B, instant, C, restore at the instant
    const since = Date.now() - 1000;
    await step("trigger backup", 10_000, () => client.triggerBackup(id));
    await step("wait backup", 60_000, () => client.waitForBackup(id, { ...wait, since }));
    let instant;
    await step("rows B and C", 15_000, () => withClient(config(primary, password, pem), async (c) => {
      await c.query("INSERT INTO items (name) VALUES ('B')");
      await sleep(300);
      instant = new Date();
      await sleep(300);
      await c.query("INSERT INTO items (name) VALUES ('C')");
      const at = Object.fromEntries((await c.query("SELECT name, at FROM items")).rows.map((r) => [r.name, r.at]));
      assert.ok(at.B < instant && instant < at.C, "B before the instant, C after it");
    }));
    const restore = await step("restore", 15_000, () => client.restoreCluster({
      clusterId: id, pointInTime: instant, restoredClusterName: "node-pg-restored",
    }));
    const restoredId = restore.restoredClusterId;
    const restored = await step("wait restored", 90_000, () => client.waitForCluster(restoredId, wait));
    const restoredPem = (await step("restored certificate", 10_000, () => client.downloadCertificate(restoredId))).pem;
    const restoredPrimary = nodesOf(restored)[0].publicAddress;
    // each cluster has its own CA: the restored cluster's does not vouch for the source's servers
    assert.notEqual(restoredPem, pem);
    const crossCa = await step("other cluster's CA refused", 15_000, () => refused(config(primary, password, restoredPem)));
    assert.match(crossCa.code, /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
    await step("restored data", 15_000, () => withClient(config(restoredPrimary, restored.defaultUserPassword, restoredPem),
      async (c) => assert.deepEqual(await names(c), ["A", "B"])));

    // resize keeps the data (and the servers really restarted with the new memory)
    const current = await client.getCluster(id);
    const dc = { ...current.dataCentres[0], nodeSize: "PGS-DEV-t4g.medium-30" };
    await step("resize", 10_000, () => client.updateCluster(id, { dataCentres: [dc] }, { current }));
    const resized = await step("wait resized", 60_000, () => client.waitForCluster(id, wait));
    assert.equal(resized.dataCentres[0].nodeSize, "PGS-DEV-t4g.medium-30");
    for (const host of [primary, standby]) {
      await step(`data after resize on ${host}`, 20_000, () => withClient(config(host, password, pem), async (c) => {
        assert.equal((await c.query("SHOW shared_buffers")).rows[0].shared_buffers, "24MB");
        for (;;) {
          if ((await names(c)).length === 3) break;
          await sleep(100);
        }
        assert.deepEqual(await names(c), ["A", "B", "C"]);
      }));
    }

    // delete: no server process and no data folder left
    for (const cid of [id, restoredId]) {
      assert.ok(serversOf(cid, emu.base).length > 0, "servers of the cluster run before the delete");
      assert.ok(existsSync(path.join(emu.base, cid)), "the cluster's data folder exists before the delete");
      await step("delete", 10_000, () => client.deleteCluster(cid));
      await step("wait DELETED", 60_000, () => client.waitForCluster(cid, { ...wait, until: "DELETED" }));
      await step("no servers left", 35_000, () => noServersLeft(cid, emu.base));
      const t1 = Date.now();
      while (existsSync(path.join(emu.base, cid)) && Date.now() - t1 < 20_000) await sleep(100);
      assert.equal(existsSync(path.join(emu.base, cid)), false, "the cluster's data folder is removed");
    }
    assert.ok(!emu.stderr().includes(password), "the password is not in the emulator's log");
  } finally {
    await emu.kill("SIGTERM").catch(() => emu.proc.kill("SIGKILL"));
  }
});

for (const signal of ["SIGTERM", "SIGKILL"]) {
  test(`${signal} to the emulator leaves no postgres process`, { skip, timeout: 120_000 }, async () => {
    assert.ok(postgresInstalled(), "REQUIRE_POSTGRES=1 but no PostgreSQL binaries under /usr/lib/postgresql");
    const emu = await startEmulator(`${USER}:${KEY}`);
    let id;
    try {
      const client = new InstaclustrClient({ baseUrl: emu.url, username: USER, apiKey: KEY });
      const body = createClusterBody({ name: `node-pg-${signal.toLowerCase()}` });
      body.dataCentres[0].numberOfNodes = 1;
      ({ id } = await step("create", 10_000, () => client.createCluster(body)));
      await step("wait RUNNING", 60_000, () => client.waitForCluster(id, wait));
      assert.ok(serversOf(id, emu.base).length > 0, "the cluster's server runs before the signal");
      await emu.kill(signal);
      await step("no servers left", 35_000, () => noServersLeft(id, emu.base));
    } finally {
      emu.proc.kill("SIGKILL");
      // after SIGKILL the emulator could not remove its temporary folder
      if (emu.base.includes("instaclustr-pg-emulator.")) rmSync(emu.base, { recursive: true, force: true });
    }
  });
}
