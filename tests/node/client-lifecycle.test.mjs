// The README-style lifecycle with the built package against the emulator at EMULATOR_URL:
// create, wait, get, resize, wait, trigger backup, wait, list backups, restore to a point in
// time, wait, certificate (the PEM parses as X.509), delete, wait until deleted. Skipped without
// EMULATOR_URL, except with REQUIRE_EMULATOR set (scripts/test.d/40-client-emulator starts the emulator).
import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";

import { InstaclustrClient, ValidationError } from "../../pkg/node.js";
import { createClusterBody } from "../fixtures/create-cluster.mjs";

const url = process.env.EMULATOR_URL;
const KEY = "recognizable-api-key-0xC0FFEE";
const fast = { minDelayMs: 20, maxDelayMs: 200, maxWaitMs: 60_000 };

test("whole lifecycle against the emulator", { skip: !url && !process.env.REQUIRE_EMULATOR && "no EMULATOR_URL" }, async () => {
  assert.ok(url, "REQUIRE_EMULATOR is set but EMULATOR_URL is not");
  const hooks = [];
  const client = new InstaclustrClient({
    baseUrl: url, username: "alice", apiKey: KEY, retry: { baseDelayMs: 20, maxDelayMs: 200 },
    onResponse: (e) => hooks.push(e),
  });

  const created = await client.createCluster(createClusterBody({ name: "node-life" }));
  const id = created.id;
  const seen = [];
  const running = await client.waitForCluster(id, { ...fast, onProgress: (p) => seen.push(p) });
  assert.equal(running.status, "RUNNING");
  assert.ok(seen.length >= 1 && seen.every((p) => Array.isArray(p.nodes)));

  const current = await client.getCluster(id);
  assert.ok((await client.listClusters()).some((c) => c.id === id));
  const dc = { ...current.dataCentres[0], nodeSize: "PGS-DEV-t4g.medium-30" };
  await assert.rejects(
    client.updateCluster(id, { dataCentres: [{ ...dc, network: "10.9.0.0/16" }] }, { current }), ValidationError);
  await client.updateCluster(id, { dataCentres: [dc] }, { current });
  const resized = await client.waitForCluster(id, fast);
  assert.equal(resized.dataCentres[0].nodeSize, "PGS-DEV-t4g.medium-30");

  const since = Date.now() - 5000;
  await client.triggerBackup(id);
  const progress = [];
  await client.waitForBackup(id, { ...fast, since, onProgress: (p) => progress.push(p.progress) });
  assert.equal(progress.at(-1), 1);
  const backups = await client.listBackups(id);
  assert.ok(backups.clusterDataCentres.length > 0);

  const restored = await client.restoreCluster({
    clusterId: id, pointInTime: new Date(), restoredClusterName: "node-life-restored",
  });
  await client.waitForCluster(restored.restoredClusterId, fast);

  const certs = await client.downloadCertificate(id);
  const x509 = new X509Certificate(certs.pem);
  assert.ok(x509.subject.length > 0);
  assert.ok(certs.der instanceof Uint8Array && certs.zip instanceof Uint8Array && certs.jks instanceof Uint8Array);

  for (const cid of [id, restored.restoredClusterId]) {
    await client.deleteCluster(cid);
    await client.waitForCluster(cid, { ...fast, until: "DELETED" });
  }
  assert.ok(hooks.length > 10);
  assert.ok(!JSON.stringify(hooks).includes(KEY));
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length, 0);
});
