// Helpers of the scratch project's tests (copied there by tests/npm-emulator/run, beside the
// installed package): the create body, and the lifecycle every in-process host runs.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

export const HOUR = 3_600_000;
const body = readFileSync(new URL("./create-cluster.json", import.meta.url), "utf8");
/** The tests' create body (tests/fixtures/create-cluster.json) with `overrides`. */
export const createClusterBody = (overrides = {}) => ({ ...JSON.parse(body), ...overrides });

/**
 * create -> advance -> RUNNING -> trigger backup -> advance -> backup listed -> restore to an
 * instant of the emulator's clock -> advance -> RUNNING -> delete both -> advance -> gone, through
 * `client`, with `emulator.advance` between the steps (a whole provisioning at once).
 */
export async function lifecycle(client, emulator, name) {
  const created = await client.createCluster(createClusterBody({ name }));
  const id = created.id;
  assert.notEqual((await client.getCluster(id)).status, "RUNNING");
  emulator.advance(HOUR);
  const running = await client.getCluster(id);
  assert.equal(running.status, "RUNNING");
  assert.ok((await client.listClusters()).some((c) => c.id === id));

  await client.triggerBackup(id);
  emulator.advance(HOUR);
  const backups = await client.listBackups(id);
  const events = backups.clusterDataCentres.flatMap((dc) => dc.nodes.flatMap((n) => n.events));
  assert.ok(events.some((e) => e.state === "COMPLETED"), JSON.stringify(backups));

  // an instant after the advanced backup: the client agrees with the emulator's clock (its `now`)
  const restored = await client.restoreCluster({ clusterId: id, pointInTime: new Date(emulator.now() - 1000), restoredClusterName: `${name}-restored` });
  emulator.advance(HOUR);
  assert.equal((await client.getCluster(restored.restoredClusterId)).status, "RUNNING");

  for (const cid of [id, restored.restoredClusterId]) await client.deleteCluster(cid);
  emulator.advance(HOUR);
  for (const cid of [id, restored.restoredClusterId]) {
    const gone = await client.getCluster(cid).then((c) => c.status === "DELETED", (e) => e.status === 404);
    assert.ok(gone, `${cid} is deleted`);
  }
  return { id, restoredId: restored.restoredClusterId };
}
