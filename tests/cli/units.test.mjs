// The command's pure parts, from js/cli/ directly (no package needed): the apply plan, argument
// and duration parsing, exit codes, tables and the progress renderer.
import { test } from "node:test";
import assert from "node:assert/strict";

import { UsageError, parseCommandArgs, parseDuration, parsePointInTimeArg } from "../../js/cli/args.js";
import { EXIT, WaitTimeout, exitCodeOf } from "../../js/cli/exit.js";
import { mapLimit } from "../../js/cli/map-limit.js";
import { palette } from "../../js/cli/output.js";
import { maskSecrets, planApply, planSettings, renderPlan, renderSettings, resizeBody } from "../../js/cli/plan.js";
import { createProgress } from "../../js/cli/progress.js";
import { renderTable } from "../../js/cli/table.js";

const dc = (over = {}) => ({
  name: "dc1", cloudProvider: "AWS_VPC", region: "US_EAST_1", network: "10.1.0.0/16", nodeSize: "S", numberOfNodes: 2,
  clientToClusterEncryption: true, intraDataCentreReplication: [{ replicationMode: "ASYNCHRONOUS" }], ...over,
});
const desired = (dcs) => ({ name: "db", postgresqlVersion: "15.2.0", slaTier: "NON_PRODUCTION", dataCentres: dcs });
const current = (dcs) => ({ ...desired(dcs.map((d) => ({ ...d, id: `id-${d.name}`, status: "RUNNING", nodes: [{ id: "n1" }] }))), id: "c1", status: "RUNNING", defaultUserPassword: "pw" });
const plain = palette(false);

test("plan: create lists every field, secrets masked", () => {
  const p = planApply({ ...desired([dc()]), defaultUserPassword: "hunter2" }, undefined);
  assert.equal(p.action, "create");
  assert.ok(p.changes.some((c) => c.path === "dataCentres[0].intraDataCentreReplication[0].replicationMode" && c.to === "ASYNCHRONOUS"));
  assert.deepEqual(p.changes.find((c) => c.path === "defaultUserPassword"), { path: "defaultUserPassword", op: "add", to: "***" });
  const text = renderPlan(p, plain).join("\n");
  assert.match(text, /\+ defaultUserPassword = \(sensitive\)/);
  assert.ok(!text.includes("hunter2"));
});

test("plan: noop, resize per data centre (matched by name), refused lists the verdict's fields", () => {
  assert.equal(planApply(desired([dc()]), current([dc()]), []).action, "noop");

  const two = current([dc(), dc({ name: "dc2", nodeSize: "S" })]);
  const p = planApply(desired([dc({ name: "dc2", nodeSize: "M" }), dc()]), two, []);
  assert.equal(p.action, "resize");
  assert.deepEqual(p.resizes.map((r) => [r.path, r.dataCentre, r.from, r.to]), [["dataCentres[0].nodeSize", "dc2", "S", "M"]]);
  // the update body: the current data centre, read-only fields removed, the new size
  assert.deepEqual(p.resizes[0].body, { dataCentres: [{ ...dc({ name: "dc2", nodeSize: "M" }) }] });
  assert.deepEqual(renderPlan(p, plain).slice(1, 2), ['  ~ dataCentres[0].nodeSize: "S" -> "M"']);

  const conflicts = [{ path: "dataCentres[0].region", code: "conflict", message: "cannot be changed" }];
  const r = planApply(desired([dc({ region: "US_WEST_2", nodeSize: "M" })]), current([dc()]), conflicts);
  assert.equal(r.action, "refused");
  assert.deepEqual(r.refused.map((x) => [x.path, x.from, x.to]), [["dataCentres[0].region", "US_EAST_1", "US_WEST_2"]]);
  const text = renderPlan(r, plain);
  assert.ok(text.includes('  ! dataCentres[0].region: "US_EAST_1" -> "US_WEST_2"'), text.join("\n"));
  assert.ok(text.some((l) => l.includes("(would be resized)")));
  assert.match(text.at(-1), /Nothing was sent/);
});

test("resizeBody and maskSecrets do not touch their input", () => {
  const d = { ...dc(), id: "x", status: "RUNNING", nodes: [], deletedNodes: [] };
  assert.deepEqual(resizeBody(d, "L"), { dataCentres: [dc({ nodeSize: "L" })] });
  assert.equal(d.id, "x");
  const c = { a: [{ defaultUserPassword: "p", b: 1 }], defaultUserPassword: null };
  assert.deepEqual(maskSecrets(c), { a: [{ defaultUserPassword: "***", b: 1 }], defaultUserPassword: null });
  assert.equal(c.a[0].defaultUserPassword, "p");
});

test("arguments: every problem at once; durations; points in time", () => {
  const command = { args: ["id"], options: { file: { type: "string", required: true }, wait: { type: "boolean" } } };
  const ok = parseCommandArgs(["x", "--file=f.json", "--wait", "--json"], command);
  assert.deepEqual([ok.positionals, ok.values.file, ok.values.wait, ok.values.json], [["x"], "f.json", true, true]);
  assert.throws(() => parseCommandArgs([], command), (e) => e instanceof UsageError && e.problems.length === 2);
  assert.throws(() => parseCommandArgs(["x", "--nope"], command), (e) => e instanceof UsageError && /--nope/.test(e.message));
  assert.throws(() => parseCommandArgs(["x", "y", "--file", "f"], command), UsageError);
  assert.equal(parseDuration("30m"), 1_800_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("2"), 2000);
  for (const bad of ["", "soon", "10x", "0s", "-1s"]) assert.throws(() => parseDuration(bad, "--timeout"), UsageError, bad);
  assert.equal(parsePointInTimeArg("1700000000000"), 1_700_000_000_000);
  assert.equal(parsePointInTimeArg("2026-01-02T03:04:05Z"), "2026-01-02T03:04:05Z");
  assert.ok(Math.abs(parsePointInTimeArg("now") - Date.now()) < 1000);
});

test("exit codes", () => {
  const cases = [
    [{ code: "USAGE_ERROR" }, EXIT.USAGE],
    [{ code: "VALIDATION_ERROR" }, EXIT.USAGE],
    [new WaitTimeout("t"), EXIT.WAIT_TIMEOUT],
    [{ code: "ABORT_ERROR" }, EXIT.INTERRUPTED],
    [{ code: "NETWORK_ERROR", outcomeUnknown: true }, EXIT.OUTCOME_UNKNOWN],
    [{ code: "TIMEOUT_ERROR", outcomeUnknown: false }, EXIT.FAILURE],
    [{ code: "API_ERROR", status: 404 }, EXIT.FAILURE],
    [{ code: "WAITER_ERROR" }, EXIT.FAILURE],
    [new Error("anything"), EXIT.FAILURE],
  ];
  for (const [err, code] of cases) assert.equal(exitCodeOf(err, false), code, JSON.stringify(err));
  assert.equal(exitCodeOf({ code: "API_ERROR" }, true), EXIT.INTERRUPTED, "Ctrl-C wins");
  assert.deepEqual(Object.values(EXIT), [0, 1, 2, 3, 4, 130]);
});

test("tables pad by visible width (colours excluded)", () => {
  const c = palette(true);
  const lines = renderTable([{ a: "x", b: c.green("RUNNING") }, { a: "longer", b: undefined }], [{ key: "a", title: "A" }, { key: "b", title: "B" }]);
  assert.deepEqual(lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, "")), ["A       B", "x       RUNNING", "longer  -"]);
});

test("progress: a redrawn bar with node states on a terminal, one timestamped line per change otherwise", () => {
  const p = { status: "PROVISIONING", currentClusterOperationStatus: "OPERATION_IN_PROGRESS", progress: 0.5, elapsedMs: 2000, nodes: [{ id: "aaaaaaaa-1", status: "RUNNING" }, { id: "bbbbbbbb-2", status: "PROVISIONING" }] };
  let tty = "";
  const bar = createProgress({ stderr: { write: (s) => { tty += s; }, columns: 200 }, tty: true, c: plain, label: "provisioning db" });
  bar.update(p);
  bar.done();
  assert.equal(tty, "\r\x1b[2Kprovisioning db [############------------]  50 % PROVISIONING / OPERATION_IN_PROGRESS  aaaaaaaa RUNNING, bbbbbbbb PROVISIONING  2s\n");
  let lines = "";
  const log = createProgress({ stderr: { write: (s) => { lines += s; } }, tty: false, c: plain, label: "provisioning db", now: () => new Date(0) });
  log.update(p);
  log.update(p);
  log.done();
  assert.equal(lines, "1970-01-01T00:00:00.000Z provisioning db: PROVISIONING OPERATION_IN_PROGRESS 50% nodes aaaaaaaa=RUNNING bbbbbbbb=PROVISIONING\n");
});

test("mapLimit: `limit` calls pending at once (not one after another), results in order, the first rejection stops it", async () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));
  let pending = 0;
  let most = 0;
  const started = [];
  const fn = async (x) => {
    started.push(x);
    pending++;
    most = Math.max(most, pending);
    await tick();
    pending--;
    if (x === "bad") throw new RangeError(x);
    return x * 10;
  };
  assert.deepEqual(await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, fn), [10, 20, 30, 40, 50, 60, 70]);
  assert.equal(most, 3);
  most = 0;
  assert.deepEqual(await mapLimit([1, 2], 4, fn), [10, 20]);
  assert.equal(most, 2);
  assert.deepEqual(await mapLimit([], 4, fn), []);
  started.length = 0;
  await assert.rejects(mapLimit([1, "bad", 3, 4, 5, 6], 2, fn), RangeError);
  await tick();
  assert.deepEqual(started, [1, "bad", 3]);
});

test("plan: description and configurations (set, change, reset; a file without them leaves them alone)", () => {
  const cur = { ...current([dc()]), description: "old" };
  const p = planSettings({ description: "new", configurations: { work_mem: "16MB", a: "1" } }, cur, { work_mem: "4MB", b: "2", a: "1" });
  assert.deepEqual(p.settings, [{ path: "description", op: "change", from: "old", to: "new" }]);
  assert.deepEqual(p.configs.map((x) => [x.path, x.op]), [["configurations.work_mem", "change"], ["configurations.b", "reset"]]);
  assert.deepEqual(renderSettings(p, plain, true), [
    '  ~ description: "old" -> "new"',
    '  ~ configurations.work_mem: "4MB" -> "16MB"',
    '  - configurations.b: "2" (reset to the default)',
    "Configurations: 1 to set, 1 to reset; then every node is reloaded, one at a time.",
  ]);
  assert.deepEqual(planSettings({}, cur, { b: "2" }), { settings: [], configs: [] });
  assert.deepEqual(planSettings({ description: "old" }, cur, {}).settings, []);
});
