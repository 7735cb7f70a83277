// Issue 23 from Node with node-postgres (`pg`) through the built package (pkg/), against the
// emulator's real PostgreSQL servers (the Rust side: emulator/tests/postgres.rs,
// configurations_and_password): createConfiguration work_mem -> `SHOW work_mem` unchanged until
// reloadNode + waitForReload, then 16MB; resetConfiguration -> reload -> the value seen before;
// updateDefaultUserPassword -> the old password refused (28P01) and the new one accepted, on the
// primary and the standby. Helpers shared with node-postgres.test.mjs in lib.mjs: skipped when no PostgreSQL binaries are installed, except under REQUIRE_POSTGRES=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";

import pg from "pg";

import { InstaclustrClient } from "../../pkg/node.js";
import { createClusterBody } from "../fixtures/create-cluster.mjs";
import { wait, postgresInstalled, skip, step, startEmulator, config, withClient, refused } from "./lib.mjs";

const USER = "alice";
const KEY = "alice-node-pg-config-key-23";

test("node-postgres: configurations applied at a reload, reset, the default user's password", {
  skip, timeout: 180_000,
}, async (t) => {
  assert.ok(postgresInstalled(), "REQUIRE_POSTGRES=1 but no PostgreSQL binaries under /usr/lib/postgresql");
  const emu = await startEmulator(`${USER}:${KEY}`);
  try {
    const client = new InstaclustrClient({ baseUrl: emu.url, username: USER, apiKey: KEY, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    const { id } = await step("create", 10_000, () => client.createCluster(createClusterBody({ name: "node-pg-config" })));
    const cluster = await step("wait RUNNING", 60_000, () => client.waitForCluster(id, wait));
    assert.equal(cluster.status, "RUNNING");
    const { pem } = await step("certificate", 10_000, () => client.downloadCertificate(id));
    const password = cluster.defaultUserPassword;
    assert.ok(password);
    const nodes = cluster.dataCentres.flatMap((dc) => dc.nodes);
    assert.equal(nodes.length, 2, "a primary and a standby");
    const [primary, standby] = nodes.map((n) => n.publicAddress);
    assert.match(primary, /^127\./);
    assert.match(standby, /^127\./);
    const primaryId = nodes[0].id;

    const query = (host, pw, sql) => step(`${sql} on ${host}`, 15_000, () => withClient(config(host, pw, pem), (c) => c.query(sql)));
    const show = async (host) => (await query(host, password, "SHOW work_mem")).rows[0].work_mem;
    assert.equal((await query(primary, password, "SELECT pg_is_in_recovery() AS r")).rows[0].r, false, "node 0 is the primary");
    assert.equal((await query(standby, password, "SELECT pg_is_in_recovery() AS r")).rows[0].r, true, "node 1 is a standby");

    // 1. a configuration: written at once, applied only by the node's reload; reset likewise
    const before = await show(primary);
    assert.notEqual(before, "16MB");
    const created = await step("createConfiguration", 10_000, () => client.createConfiguration({ clusterId: id, name: "work_mem", value: "16MB" }));
    assert.equal(created.value, "16MB");
    assert.equal((await client.getConfiguration({ clusterId: id, name: "work_mem" })).value, "16MB");
    const listed = (await client.listConfigurations(id)).flatMap((p) => p.configurationProperties);
    assert.ok(listed.some((p) => p.name === "work_mem" && p.value === "16MB"), "listConfigurations has work_mem");
    assert.equal(await show(primary), before, "not applied before a reload");

    await step("reloadNode", 10_000, () => client.reloadNode(primaryId));
    assert.equal((await step("waitForReload", 30_000, () => client.waitForReload(primaryId, wait))).status, "COMPLETED");
    assert.equal(await show(primary), "16MB", "applied by the reload");

    await step("resetConfiguration", 10_000, () => client.resetConfiguration({ clusterId: id, name: "work_mem" }));
    assert.equal(await show(primary), "16MB", "a reset waits for the reload too");
    await step("reloadNode after reset", 10_000, () => client.reloadNode(primaryId));
    await step("waitForReload after reset", 30_000, () => client.waitForReload(primaryId, wait));
    assert.equal(await show(primary), before, "the default back after the reload");

    // 2. the default user's password: the old one refused, the new one accepted, primary and standby
    const newPassword = `N3w-Pw-${randomBytes(6).toString("hex")}`;
    await step("updateDefaultUserPassword", 10_000, () => client.updateDefaultUserPassword(id, { password: newPassword }));
    for (const [role, host] of [["primary", primary], ["standby", standby]]) {
      const e = await step(`old password on the ${role}`, 15_000, () => refused(config(host, password, pem)));
      assert.ok(e.code === "28P01" || /password authentication failed/.test(e.message),
        `${role}: an authentication failure, not ${e.code} ${e.message}`);
      const r = await query(host, newPassword, "SELECT current_user AS u, pg_is_in_recovery() AS r");
      assert.deepEqual(r.rows[0], { u: "icpostgresql", r: role === "standby" }, `${role}: the new password logs in`);
    }
    assert.equal((await client.getCluster(id)).defaultUserPassword, newPassword);
    assert.ok(!emu.stderr().includes(newPassword), "the password is not in the emulator's log");
    t.diagnostic(`cluster ${id}: work_mem ${before} -> 16MB -> ${before}; password changed`);

    await step("delete", 10_000, () => client.deleteCluster(id));
    await step("wait DELETED", 60_000, () => client.waitForCluster(id, { ...wait, until: "DELETED" }));
  } finally {
    await emu.kill("SIGTERM").catch(() => emu.proc.kill("SIGKILL"));
  }
});
