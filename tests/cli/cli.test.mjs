// The `instaclustr-pg` command as a user runs it: the bin of the installed tarball, in child
// processes, against a live emulator (free port, --speed 500) whose request log proves what was
// sent. Every run also checks that the API key never appears on stdout or stderr (lib.mjs).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { KEY, USER, assertNoSecret, cliEnv, clusterFile, installTarball, jsonFile, runCli, startLoggedEmulator, writes } from "./lib.mjs";

const FAST = ["--poll-interval", "100ms"];
const COMMANDS = ["versions", "node-sizes", "compatible-versions", "clusters", "get", "create", "resize", "delete", "backups", "backup", "restore", "certificate", "wait", "apply", "config", "reload", "password", "settings", "resizes", "maintenance", "connect", "connection-string"];

let scratch;
let emu;
let env;
let files;
const cli = (args, opts = {}) => runCli(scratch.bin, args, { env, ...opts });

before(async () => {
  scratch = installTarball(process.env.CLI_TARBALL);
  emu = await startLoggedEmulator();
  env = cliEnv(emu.url);
  files = mkdtempSync(path.join(tmpdir(), "instaclustr-pg-cli-files-"));
});

after(async () => {
  await emu?.stop();
  scratch?.remove();
  if (files) rmSync(files, { recursive: true, force: true });
});

describe("help and usage", () => {
  test("--help lists every command and the exit codes; each command has its help", { timeout: 60_000 }, async () => {
    const r = await cli(["--help"]);
    assert.equal(r.code, 0, r.stderr);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} `, "m"), c);
    for (const code of ["0", "1", "2", "3", "4", "130"]) assert.match(r.stdout, new RegExp(`^  ${code} +\\w`, "m"), `exit code ${code}`);
    for (const c of COMMANDS) {
      const h = await cli([c, "--help"]);
      assert.equal(h.code, 0, `${c} --help: ${h.stderr}`);
      assert.ok(h.stdout.startsWith(`instaclustr-pg ${c}: `), h.stdout);
      assert.ok(h.stdout.includes(`Usage: instaclustr-pg ${c}`), h.stdout);
    }
  });

  test("usage errors exit 2 with a JSON error and send nothing", { timeout: 60_000 }, async () => {
    const mark = emu.mark();
    const cases = [
      [[], "no command"],
      [["frobnicate", "--json"], "unknown command"],
      [["versions", "--bogus", "--json"], "unknown option"],
      [["create", "--json"], "missing --file"],
      [["get", "--json"], "missing argument"],
      [["wait", "x", "--timeout", "soon", "--json"], "bad duration"],
      [["create", "--file", "/nonexistent.json", "--wait", "--poll-interval", "fast", "--json"], "bad poll interval"],
      [["create", "--file", "/nonexistent.json", "--json"], "unreadable file"],
    ];
    for (const [args, label] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${label}: ${r.stderr}`);
      assert.equal(r.stdout, "", `${label}: nothing on stdout`);
      if (args.includes("--json")) assert.equal(r.errorJson().code, "USAGE_ERROR", label);
    }
    const noCredentials = await runCli(scratch.bin, ["versions", "--json"], { env: cliEnv(undefined, { INSTACLUSTR_BASE_URL: emu.url }) });
    assert.equal(noCredentials.code, 2, noCredentials.stderr);
    assert.equal(noCredentials.errorJson().problems.length, 2, "user name and key both reported");
    assert.deepEqual(await emu.since(mark), [], "nothing was sent");
  });
});

describe("credentials", () => {
  test("flags or environment; --verbose logs requests but never the key; a wrong key exits 1", { timeout: 60_000 }, async () => {
    const flags = await runCli(scratch.bin, ["versions", "--verbose", "--json", "--username", USER, "--api-key", KEY, "--base-url", emu.url], { env: cliEnv(undefined) });
    assert.equal(flags.code, 0, flags.stderr);
    assert.match(flags.stderr, /^> GET http:\/\/127\.0\.0\.1:\d+\/\S+ \(listVersions, attempt 1\)$/m);
    assert.match(flags.stderr, /^< 200 GET /m);
    assert.ok(Array.isArray(flags.json()));
    const wrong = await runCli(scratch.bin, ["versions", "--json", "--verbose"], { env: cliEnv(emu.url, { INSTACLUSTR_API_KEY: "not-the-key" }) });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.equal(wrong.errorJson().status, 401);
    assert.ok(!wrong.stderr.includes("not-the-key"), "a wrong key is not printed either");
  });
});

describe("catalog commands", () => {
  test("versions, node-sizes, compatible-versions --json", { timeout: 60_000 }, async () => {
    const versions = (await cli(["versions", "--json"])).json();
    const pg = versions.flatMap((l) => l.applicationVersions).find((a) => a.application === "POSTGRESQL");
    assert.ok(pg.versions.includes("15.2.0"), JSON.stringify(versions));

    const sizes = (await cli(["node-sizes", "--provider", "AWS_VPC", "--json"])).json();
    const providers = sizes.flatMap((l) => l.cloudProviderNodeSizes.map((p) => p.cloudProvider));
    assert.deepEqual([...new Set(providers)], ["AWS_VPC"]);
    assert.ok(sizes[0].cloudProviderNodeSizes[0].nodeSizes.includes("PGS-DEV-t4g.medium-30"));
    const pgb = await cli(["node-sizes", "--pgbouncer", "--json"]);
    assert.equal(pgb.code, 0, pgb.stderr);
    assert.ok(Array.isArray(pgb.json()));

    const compat = (await cli(["compatible-versions", "15.2.0", "--json"])).json();
    assert.ok(compat.flatMap((l) => l.applicationVersions).some((a) => a.application === "PGBOUNCER"), JSON.stringify(compat));

    const table = await cli(["versions"]);
    assert.match(table.stdout, /^APPLICATION +VERSIONS$/m);
    assert.doesNotMatch(table.stdout, /\x1b\[/, "no colour when stdout is not a terminal");
  });
});

describe("errors and exit codes", () => {
  test("a validation error exits 2 with every violation and sends nothing", { timeout: 60_000 }, async () => {
    const bad = clusterFile("x", { dc: { network: "8.8.0.0/16" } });
    const file = jsonFile(files, "bad.json", bad);
    const mark = emu.mark();
    for (const cmd of [["create", "--file", file], ["apply", "--file", file], ["apply", "--file", file, "--dry-run"]]) {
      const r = await cli([...cmd, "--json"]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "");
      const e = r.errorJson();
      assert.equal(e.code, "VALIDATION_ERROR");
      const paths = e.violations.map((v) => v.path);
      assert.ok(paths.includes("name") && paths.includes("dataCentres[0].network"), paths.join(", "));
    }
    const human = await cli(["create", "--file", file]);
    assert.equal(human.code, 2);
    assert.match(human.stderr, /dataCentres\[0\]\.network: /);
    assert.deepEqual(await emu.since(mark), [], "nothing was sent");
  });

  test("an unknown id exits 1 (API_ERROR 404); an unknown name exits 1 (NOT_FOUND)", { timeout: 60_000 }, async () => {
    const r = await cli(["get", "00000000-0000-4000-8000-000000000000", "--json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    const e = r.errorJson();
    assert.equal(e.code, "API_ERROR");
    assert.equal(e.status, 404);
    assert.ok(Array.isArray(e.errors) && e.errors.length >= 1);
    const n = await cli(["backups", "no-such-cluster", "--json"]);
    assert.equal(n.code, 1, n.stderr);
    assert.equal(n.errorJson().code, "NOT_FOUND");
  });

  test("a create whose outcome is unknown exits 4 and says how to look it up", { timeout: 60_000 }, async () => {
    const faulty = await startLoggedEmulator(["--fault-rate", "1", "--fault-kinds", "drop-after"]);
    try {
      const file = jsonFile(files, "unknown.json", clusterFile("outcome-unknown"));
      const r = await runCli(scratch.bin, ["create", "--file", file, "--json"], { env: cliEnv(faulty.url) });
      assert.equal(r.code, 4, r.stderr);
      const e = r.errorJson();
      assert.equal(e.outcomeUnknown, true);
      assert.equal(e.lookup, "instaclustr-pg clusters --name outcome-unknown");
      const posts = writes(await faulty.since(0));
      assert.equal(posts.length, 1, "the create was sent once, never repeated");
    } finally {
      await faulty.stop();
    }
  });
});

describe("Ctrl-C", () => {
  test("SIGINT aborts a request in flight at once (exit 130)", { timeout: 60_000 }, async () => {
    const stalled = await startLoggedEmulator(["--fault-rate", "1", "--fault-kinds", "stall:30000"]);
    try {
      let at = 0;
      const r = await runCli(scratch.bin, ["versions", "--json"], {
        env: cliEnv(stalled.url),
        onSpawn: (child) => setTimeout(() => { at = Date.now(); child.kill("SIGINT"); }, 1000),
      });
      assert.equal(r.code, 130, r.stderr);
      assert.ok(Date.now() - at < 3000, "the stalled request did not hold the exit");
      assert.equal(r.errorJson().code, "ABORT_ERROR");
      assert.equal(r.stdout, "");
      assert.throws(() => process.kill(r.pid, 0), { code: "ESRCH" }, "no process left");
    } finally {
      await stalled.stop();
    }
  });
});

describe("dry runs send nothing", () => {
  test("create --dry-run prints the exact request with the key masked; the log shows no request", { timeout: 60_000 }, async () => {
    const file = jsonFile(files, "dry.json", clusterFile("dry-run-db"));
    const mark = emu.mark();
    const r = await cli(["create", "--file", file, "--dry-run", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const { request } = r.json();
    assert.equal(request.method, "POST");
    assert.equal(request.url, `${emu.url}/cluster-management/v2/resources/applications/postgresql/clusters/v2/`);
    assert.equal(request.headers.Authorization, "Basic ***");
    assert.equal(request.body.name, "dry-run-db");
    const human = await cli(["create", "--file", file, "--dry-run"]);
    assert.match(human.stdout, /^POST http:\/\/127\.0\.0\.1:\d+\/cluster-management\//m);
    assert.match(human.stdout, /^Authorization: Basic \*\*\*$/m);
    assert.deepEqual(await emu.since(mark), [], "nothing was sent");
  });
});

describe("apply", () => {
  const name = "apply-db";
  test("create, nothing to do, resize, refused, dry-run resize", { timeout: 120_000 }, async () => {
    const desired = clusterFile(name);
    const file = jsonFile(files, "apply.json", desired);

    // new file: create
    let mark = emu.mark();
    const created = await cli(["apply", "--file", file, "--yes", "--wait", ...FAST, "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const c = created.json();
    assert.equal(c.action, "create");
    assert.equal(c.applied, true);
    assert.equal(c.result.status, "RUNNING");
    assert.ok(c.changes.some((ch) => ch.path === "dataCentres[0].nodeSize" && ch.op === "add"));
    assert.deepEqual(writes(await emu.since(mark)).map((e) => e.method), ["POST"]);
    const id = c.result.id;

    // same file: nothing to do
    mark = emu.mark();
    const again = await cli(["apply", "--file", file, "--json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().action, "noop");
    assert.equal(again.json().cluster.id, id);
    const human = await cli(["apply", "--file", file]);
    assert.match(human.stdout, /nothing to do/);
    assert.deepEqual(writes(await emu.since(mark)), []);

    // bigger node size: the dry run shows the PUT and sends nothing
    const bigger = jsonFile(files, "apply-bigger.json", clusterFile(name, { dc: { nodeSize: "PGS-DEV-t4g.medium-30" } }));
    mark = emu.mark();
    const dry = await cli(["apply", "--file", bigger, "--dry-run", "--json"]);
    assert.equal(dry.code, 0, dry.stderr);
    const d = dry.json();
    assert.equal(d.action, "resize");
    assert.equal(d.requests.length, 1);
    assert.equal(d.requests[0].method, "PUT");
    assert.ok(d.requests[0].url.endsWith(`/clusters/v2/${id}/`), d.requests[0].url);
    assert.equal(d.requests[0].headers.Authorization, "Basic ***");
    assert.equal(d.requests[0].body.dataCentres[0].nodeSize, "PGS-DEV-t4g.medium-30");
    const dryHuman = await cli(["apply", "--file", bigger, "--dry-run"]);
    assert.match(dryHuman.stdout, /~ dataCentres\[0\]\.nodeSize: "PGS-DEV-t4g\.small-5" -> "PGS-DEV-t4g\.medium-30"/);
    assert.deepEqual(writes(await emu.since(mark)), [], "a dry run sends no change");

    // ... without --yes and no terminal: not confirmed, nothing sent
    mark = emu.mark();
    const unconfirmed = await cli(["apply", "--file", bigger, "--json"]);
    assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
    assert.deepEqual(writes(await emu.since(mark)), []);

    // ... applied: one PUT, the cluster has the new size
    mark = emu.mark();
    const resized = await cli(["apply", "--file", bigger, "--yes", "--wait", ...FAST, "--json"]);
    assert.equal(resized.code, 0, resized.stderr);
    const rz = resized.json();
    assert.equal(rz.action, "resize");
    assert.equal(rz.result.dataCentres[0].nodeSize, "PGS-DEV-t4g.medium-30");
    assert.deepEqual(writes(await emu.since(mark)).map((e) => e.method), ["PUT"]);

    // changed region: refused, exit 2, every unchangeable field listed, nothing sent
    const moved = jsonFile(files, "apply-moved.json", clusterFile(name, { dc: { nodeSize: "PGS-DEV-t4g.medium-30", region: "US_WEST_2", network: "10.2.0.0/16" } }));
    mark = emu.mark();
    const refused = await cli(["apply", "--file", moved, "--yes", "--json"]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.equal(refused.stdout, "");
    const e = refused.errorJson();
    assert.equal(e.code, "VALIDATION_ERROR");
    assert.equal(e.plan.action, "refused");
    assert.deepEqual(e.plan.refused.map((r) => r.path).sort(), ["dataCentres[0].network", "dataCentres[0].region"]);
    assert.deepEqual(e.violations.map((v) => v.code), ["conflict", "conflict"]);
    const refusedHuman = await cli(["apply", "--file", moved, "--yes"]);
    assert.equal(refusedHuman.code, 2);
    assert.match(refusedHuman.stdout, /! dataCentres\[0\]\.region: "US_EAST_1" -> "US_WEST_2"/);
    assert.deepEqual(writes(await emu.since(mark)), [], "nothing was sent");
  });
});

describe("cluster commands", () => {
  const name = "ops-db";
  let id;
  test("create --wait, clusters, get by name, resize, backup, backups, restore, certificate", { timeout: 120_000 }, async () => {
    const file = jsonFile(files, "ops.json", clusterFile(name));
    const created = await cli(["create", "--file", file, "--wait", ...FAST, "--json"]);
    assert.equal(created.code, 0, created.stderr);
    id = created.json().id;
    assert.equal(created.json().status, "RUNNING");

    const list = await cli(["clusters", "--name", name, "--json"]);
    assert.deepEqual(list.json().map((c) => [c.id, c.name, c.status]), [[id, name, "RUNNING"]]);
    const all = await cli(["clusters", "--json"]);
    assert.ok(all.json().some((c) => c.id === id));

    const got = await cli(["get", name, "--json"]);
    assert.equal(got.json().id, id);
    // the default user's password, which the API returns with every cluster, is never printed
    const auth = { authorization: `Basic ${Buffer.from(`${USER}:${KEY}`).toString("base64")}` };
    const raw = await (await fetch(`${emu.url}/cluster-management/v2/resources/applications/postgresql/clusters/v2/${id}/`, { headers: auth })).json();
    assert.ok(raw.defaultUserPassword, "the emulator returns a password");
    assert.equal(got.json().defaultUserPassword, "***");
    for (const r of [created, got]) assert.ok(!r.stdout.includes(raw.defaultUserPassword), "the password is masked");
    const gotHuman = await cli(["get", id]);
    assert.match(gotHuman.stdout, /^status +RUNNING$/m);

    const resizeDry = await cli(["resize", name, "--node-size", "PGS-DEV-t4g.medium-30", "--dry-run", "--json"]);
    assert.equal(resizeDry.json().request.method, "PUT");
    const resized = await cli(["resize", name, "--node-size", "PGS-DEV-t4g.medium-30", "--wait", ...FAST, "--json"]);
    assert.equal(resized.code, 0, resized.stderr);
    assert.equal(resized.json().dataCentres[0].nodeSize, "PGS-DEV-t4g.medium-30");

    const backup = await cli(["backup", name, "--wait", ...FAST, "--json"]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.equal(backup.json().triggered, true);
    const states = backup.json().backups.clusterDataCentres.flatMap((dc) => dc.nodes.map((n) => n.events.at(-1).state));
    assert.ok(states.length >= 1 && states.every((s) => s === "COMPLETED"), states.join(","));
    const backups = await cli(["backups", id, "--json"]);
    assert.ok(backups.json().clusterDataCentres.length >= 1);

    const restored = await cli(["restore", name, "--at", "now", "--name", `${name}-restored`, "--wait", ...FAST, "--json"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(restored.json().cluster.name, `${name}-restored`);
    assert.equal(restored.json().cluster.status, "RUNNING");
    const mark = emu.mark();
    const badRestore = await cli(["restore", name, "--at", "yesterday", "--json"]);
    assert.equal(badRestore.code, 2, badRestore.stderr);
    assert.equal(badRestore.errorJson().violations[0].path, "pointInTime");
    assert.deepEqual(await emu.since(mark), [], "an invalid restore sends nothing, not even the name lookup");

    const out = path.join(files, "certs");
    const cert = await cli(["certificate", name, "--out", out, "--json"]);
    assert.equal(cert.code, 0, cert.stderr);
    const { files: written, psql } = cert.json();
    assert.ok(readFileSync(written.pem, "utf8").startsWith("-----BEGIN CERTIFICATE-----"));
    assert.ok(existsSync(written.der));
    assert.match(psql, /sslrootcert=.*ca\.pem/);
  });

  test("wait --timeout exits 3; SIGINT during wait exits 130 and leaves no process", { timeout: 60_000 }, async () => {
    assert.ok(id, "the cluster of the previous test");
    const timedOut = await cli(["wait", id, "--until", "DELETED", "--timeout", "400ms", ...FAST, "--json"]);
    assert.equal(timedOut.code, 3, timedOut.stderr);
    assert.equal(timedOut.errorJson().code, "WAIT_TIMEOUT");

    let sent = false;
    let interruptedAt = 0;
    const r = await cli(["wait", name, "--until", "DELETED", "--timeout", "10m", "--poll-interval", "200ms", "--json"], {
      onStderr: (text, child) => {
        if (!sent && /waiting for/.test(text)) {
          sent = true;
          interruptedAt = Date.now();
          child.kill("SIGINT");
        }
      },
    });
    assert.ok(sent, "the wait reported progress");
    assert.equal(r.code, 130, r.stderr);
    assert.ok(Date.now() - interruptedAt < 3000, "exits at once");
    assert.equal(r.errorJson().interrupted, true);
    assert.throws(() => process.kill(r.pid, 0), { code: "ESRCH" }, "no process left");
  });

  test("delete asks for the name, --yes skips it; --wait waits until DELETED", { timeout: 60_000 }, async () => {
    let mark = emu.mark();
    const refused = await cli(["delete", name, "--json"]);
    assert.equal(refused.code, 2, refused.stderr);
    const wrong = await cli(["delete", name, "--json"], { input: "not-the-name\n" });
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.deepEqual(writes(await emu.since(mark)), [], "nothing was deleted");

    mark = emu.mark();
    const confirmed = await cli(["delete", name, "--wait", ...FAST, "--json"], { input: `${name}\n` });
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.deepEqual(confirmed.json(), { id, name, deleted: true, waited: true });
    assert.deepEqual(writes(await emu.since(mark)).map((e) => e.method), ["DELETE"]);

    const yes = await cli(["delete", `${name}-restored`, "--yes", "--json"]);
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(yes.json().deleted, true);
  });
});

describe("progress", () => {
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  const BAR = /\r\x1b\[2K[^\n]*\[[^\]]*#[^\]]*\] +\d+ %/;

  test("a terminal shows a progress bar with node states; a pipe shows timestamped lines only", { timeout: 90_000, skip: hasScript ? false : "util-linux script is not installed" }, async () => {
    const tty = (name, extra = {}) => {
      const file = jsonFile(files, `${name}.json`, clusterFile(name));
      const cmd = [scratch.bin, "create", "--file", file, "--wait", ...FAST].map((a) => `'${a}'`).join(" ");
      return runCli("script", ["-qfec", cmd, "/dev/null"], { env: { ...env, ...extra, TERM: "xterm" } });
    };
    const t = await tty("tty-db");
    assert.equal(t.code, 0, t.stdout);
    assert.match(t.stdout, BAR, "a bar redrawn in place");
    assert.match(t.stdout, /RUNNING/);
    assert.match(t.stdout, /\x1b\[32m/, "colours on a terminal");

    const plain = await tty("tty-nocolor-db", { NO_COLOR: "1" });
    assert.equal(plain.code, 0, plain.stdout);
    assert.match(plain.stdout, /\r\x1b\[2K/, "still redrawn in place");
    assert.doesNotMatch(plain.stdout, /\x1b\[\d+m/, "NO_COLOR: no colours");

    const file = jsonFile(files, "pipe-db.json", clusterFile("pipe-db"));
    const p = await cli(["create", "--file", file, "--wait", ...FAST]);
    assert.equal(p.code, 0, p.stderr);
    assert.doesNotMatch(p.stderr, /\r|\x1b\[/, "no bar, no escapes on a pipe");
    assert.match(p.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z provisioning pipe-db: /m, "timestamped lines");
    assert.doesNotMatch(p.stdout, /provisioning/, "progress never on stdout");
    assertNoSecret(t.stdout + plain.stdout, "tty");
  });

  test("on a terminal, delete asks for the cluster's name and reads it", { timeout: 60_000, skip: hasScript ? false : "util-linux script is not installed" }, async () => {
    const cmd = [scratch.bin, "delete", "tty-db"].map((a) => `'${a}'`).join(" ");
    const mark = emu.mark();
    const r = await runCli("script", ["-qfec", cmd, "/dev/null"], { env: { ...env, TERM: "xterm" }, input: "tty-db\r" });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Type its name to confirm: /);
    assert.match(r.stdout, /delete of tty-db \(\S+\) requested/);
    assert.deepEqual(writes(await emu.since(mark)).map((e) => e.method), ["DELETE"]);
  });
});

describe("configurations, reloads, the password, settings, resizes, maintenance", () => {
  const name = "conf-db";
  test("config set/list/reset, reload --wait, password from stdin (never printed), settings, resizes, maintenance", { timeout: 120_000 }, async () => {
    const file = jsonFile(files, "conf.json", clusterFile(name));
    const created = await cli(["create", "--file", file, "--wait", ...FAST, "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const id = created.json().id;

    const set = await cli(["config", "set", name, "work_mem=16MB", "--json"]);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual([set.json().name, set.json().value, set.json().changed], ["work_mem", "16MB", true]);
    const human = await cli(["config", "set", name, "work_mem=32MB"]);
    assert.match(human.stdout, /^work_mem = "32MB" \(was "16MB"\): reload the nodes/m);
    const again = await cli(["config", "set", name, "work_mem=32MB", "--json"]);
    assert.equal(again.json().changed, false, "the same value again is nothing to do");
    const list = await cli(["config", "list", name, "--json"]);
    assert.deepEqual(list.json(), [{ name: "work_mem", value: "32MB" }]);
    const listed = await cli(["config", "list", id]);
    assert.match(listed.stdout, /^work_mem +32MB$/m);

    // refused before sending (usage, the client's checks) or by the server (PostgreSQL's checks)
    const mark = emu.mark();
    for (const args of [["config", "set", name, "work_mem"], ["config", "set", name, "work mem=1"], ["config", "drop", name], ["config", "list", name, "extra"]]) {
      const r = await cli([...args, "--json"]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
    const sent = (await emu.since(mark)).filter((e) => !String(e.path).includes("/clusters/v2") && !String(e.path).includes("data-sources/clusters"));
    assert.deepEqual(sent, [], "nothing but the name lookups was sent");
    const refused = await cli(["config", "set", name, "work_mem=lots", "--json"]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.errorJson().status, 400);
    assert.equal(refused.errorJson().errors[0].name, "value");

    const reload = await cli(["reload", name, "--wait", ...FAST, "--json"]);
    assert.equal(reload.code, 0, reload.stderr);
    assert.deepEqual(reload.json().map((r) => r.status), ["COMPLETED", "COMPLETED"]);
    const node = created.json().dataCentres[0].nodes[0].id;
    const one = await cli(["reload", name, "--node", node, "--json"]);
    assert.deepEqual(one.json().map((r) => [r.nodeId, r.status]), [[node, "GENESIS"]]);
    const noNode = await cli(["reload", name, "--node", "nope", "--json"]);
    assert.equal(noNode.code, 2, noNode.stderr);

    const reset = await cli(["config", "reset", name, "work_mem", "--json"]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual((await cli(["config", "list", name, "--json"])).json(), []);
    const resetAgain = await cli(["config", "reset", name, "work_mem", "--json"]);
    assert.equal(resetAgain.code, 1);
    assert.equal(resetAgain.errorJson().status, 404);

    // the new password: from standard input, never printed (not even with --verbose)
    const pw = "N3w-Cli-Passw0rd";
    const changed = await cli(["password", name, "--verbose", "--json"], { input: `${pw}\n` });
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(changed.json().passwordChanged, true);
    assert.ok(!changed.stdout.includes(pw) && !changed.stderr.includes(pw), "the password is never printed");
    const auth = { authorization: `Basic ${Buffer.from(`${USER}:${KEY}`).toString("base64")}` };
    const raw = await (await fetch(`${emu.url}/cluster-management/v2/resources/applications/postgresql/clusters/v2/${id}/`, { headers: auth })).json();
    assert.equal(raw.defaultUserPassword, pw, "the server has the new password");
    const weak = await cli(["password", name, "--json"], { input: "weakpassword\n" });
    assert.equal(weak.code, 2, weak.stderr);
    assert.equal(weak.errorJson().violations[0].path, "password");
    assert.ok(!weak.stderr.includes("weakpassword"));
    const empty = await cli(["password", name, "--json"], { input: "" });
    assert.equal(empty.code, 2, empty.stderr);

    const settings = await cli(["settings", name, "--description", "Team A", "--confirmation-email", "ops@example.com", "--json"]);
    assert.equal(settings.code, 0, settings.stderr);
    assert.equal(settings.json().description, "Team A");
    assert.equal((await cli(["get", name, "--json"])).json().description, "Team A");
    assert.equal((await cli(["settings", name, "--json"])).code, 2, "settings without a change is a usage error");

    const resizes = await cli(["resizes", name, "--json"]);
    assert.deepEqual(resizes.json(), []);
    await cli(["resize", name, "--node-size", "PGS-DEV-t4g.medium-30", "--wait", ...FAST, "--json"]);
    const after = await cli(["resizes", name, "--json"]);
    assert.deepEqual(after.json().map((o) => [o.status, o.newNodeSize, o.replaceOperations.length]), [["COMPLETED", "PGS-DEV-t4g.medium-30", 2]]);
    assert.deepEqual((await cli(["resizes", name, "--active", "--json"])).json(), []);
    const maintenance = await cli(["maintenance", name, "--json"]);
    assert.deepEqual(maintenance.json(), { upcoming: [], inProgress: [], past: [] });
  });
});

describe("apply with a description and configurations", () => {
  const name = "apply-conf-db";
  test("create with configurations (then reloads), nothing to do, change, reset with --no-reload, refused input", { timeout: 120_000 }, async () => {
    const base = clusterFile(name);
    const file = (extra) => jsonFile(files, "apply-conf.json", { ...base, ...extra });
    const kind = (p) => (p.includes("/configurations/") ? "configuration" : p.endsWith("/reload") ? "reload" : p.includes("change-settings") ? "settings" : p.includes("/clusters/v2") ? "cluster" : p);
    const methods = async (mark) => writes(await emu.since(mark)).map((e) => `${e.method} ${kind(String(e.path))}`);

    let mark = emu.mark();
    const created = await cli(["apply", "--file", file({ description: "A", configurations: { work_mem: "16MB" } }), "--yes", ...FAST, "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const c = created.json();
    assert.equal(c.action, "create");
    assert.equal(c.reload, true);
    assert.ok(c.changes.some((ch) => ch.path === "configurations.work_mem" && ch.op === "add" && ch.to === "16MB"));
    const id = c.result.id;
    // the cluster (its description in the body), its configuration once RUNNING, then each node reloaded
    assert.deepEqual(await methods(mark), ["POST cluster", "POST configuration", "POST reload", "POST reload"]);
    assert.deepEqual((await cli(["config", "list", name, "--json"])).json(), [{ name: "work_mem", value: "16MB" }]);
    assert.equal((await cli(["get", name, "--json"])).json().description, "A");

    mark = emu.mark();
    const again = await cli(["apply", "--file", file({ description: "A", configurations: { work_mem: "16MB" } }), "--json"]);
    assert.equal(again.json().action, "noop", again.stdout);
    assert.deepEqual(await methods(mark), [], "a second apply of the same file sends nothing");

    const changed = file({ description: "B", configurations: { work_mem: "32MB", idle_in_transaction_session_timeout: "60s" } });
    mark = emu.mark();
    const dry = await cli(["apply", "--file", changed, "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /will be updated in place:/);
    assert.match(dry.stdout, /^  ~ description: "A" -> "B"$/m);
    assert.match(dry.stdout, /^  ~ configurations\.work_mem: "16MB" -> "32MB"$/m);
    assert.match(dry.stdout, /^  \+ configurations\.idle_in_transaction_session_timeout = "60s"$/m);
    assert.match(dry.stdout, /^Configurations: 2 to set, 0 to reset; then every node is reloaded, one at a time\.$/m);
    assert.deepEqual(await methods(mark), [], "a dry run sends nothing");
    mark = emu.mark();
    const updated = await cli(["apply", "--file", changed, "--yes", ...FAST, "--json"]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(updated.json().action, "update");
    assert.deepEqual(await methods(mark), ["PUT settings", "PUT configuration", "POST configuration", "POST reload", "POST reload"]);
    assert.equal((await cli(["get", name, "--json"])).json().description, "B");

    const fewer = file({ description: "B", configurations: { idle_in_transaction_session_timeout: "60s" } });
    const plan = await cli(["apply", "--file", fewer, "--dry-run", "--no-reload"]);
    assert.match(plan.stdout, /^  - configurations\.work_mem: "32MB" \(reset to the default\)$/m);
    assert.match(plan.stdout, /the nodes are not reloaded \(--no-reload\)/);
    mark = emu.mark();
    const reset = await cli(["apply", "--file", fewer, "--yes", "--no-reload", "--json"]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.deepEqual(await methods(mark), ["DELETE configuration"], "a reset and no reload");
    assert.deepEqual((await cli(["config", "list", id, "--json"])).json(), [{ name: "idle_in_transaction_session_timeout", value: "60s" }]);

    mark = emu.mark();
    const bad = await cli(["apply", "--file", file({ configurations: { "work mem": "1", work_mem: 5 } }), "--yes", "--json"]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.deepEqual(bad.errorJson().violations.map((x) => x.path), ["configurations.work mem", "configurations.work_mem"]);
    assert.deepEqual(await emu.since(mark), [], "nothing sent, not even the lookup");
  });
});

describe("connecting", () => {
  const name = "connect-db";
  test("connect runs psql with the CA and the password in its environment only; connection-string and get reveal only when asked", { timeout: 120_000 }, async () => {
    const created = await cli(["create", "--file", jsonFile(files, "connect.json", clusterFile(name)), "--wait", ...FAST, "--json"]);
    assert.equal(created.code, 0, created.stderr);
    const id = created.json().id;
    const auth = { authorization: `Basic ${Buffer.from(`${USER}:${KEY}`).toString("base64")}` };
    const raw = await (await fetch(`${emu.url}/cluster-management/v2/resources/applications/postgresql/clusters/v2/${id}/`, { headers: auth })).json();
    const password = raw.defaultUserPassword;
    const host = raw.dataCentres[0].nodes[0].publicAddress;
    assert.ok(password && host);
    const hidden = (r) => assert.ok(!r.stdout.includes(password) && !r.stderr.includes(password), "the password is not printed");

    // a stand-in psql records what it was given
    const rec = mkdtempSync(path.join(tmpdir(), "fake-psql-"));
    const fake = path.join(rec, "psql");
    writeFileSync(fake, `#!/bin/sh\nprintf '%s' "$1" > "${rec}/args"\nprintf '%s' "$PGPASSWORD" > "${rec}/password"\nca=$(printf '%s' "$1" | sed -n 's/.*sslrootcert=\\([^ ]*\\).*/\\1/p')\nhead -1 "$ca" > "${rec}/ca"\nprintf '%s' "$ca" > "${rec}/ca-path"\n`, { mode: 0o755 });
    const connected = await cli(["connect", name, "--psql", fake, "--verbose"]);
    assert.equal(connected.code, 0, connected.stderr);
    hidden(connected);
    const args = readFileSync(path.join(rec, "args"), "utf8");
    assert.match(args, new RegExp(`^host=${host.replaceAll(".", "\\.")} port=5432 user=icpostgresql dbname=postgres sslmode=verify-full sslrootcert=\\S+ca\\.pem$`));
    assert.ok(!args.includes(password), "not in the arguments");
    assert.equal(readFileSync(path.join(rec, "password"), "utf8"), password, "in the environment");
    assert.equal(readFileSync(path.join(rec, "ca"), "utf8").trim(), "-----BEGIN CERTIFICATE-----");
    assert.ok(!existsSync(readFileSync(path.join(rec, "ca-path"), "utf8")), "the CA's temporary folder is removed after psql");
    const missing = await cli(["connect", name, "--psql", path.join(rec, "no-such-psql"), "--json"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.errorJson().code, "PSQL_NOT_FOUND");
    assert.match(missing.errorJson().message, /install the PostgreSQL client/);
    hidden(missing);
    rmSync(rec, { recursive: true, force: true });

    const masked = await cli(["connection-string", name]);
    assert.equal(masked.stdout.trim(), `postgresql://icpostgresql:***@${host}:5432/postgres?sslmode=verify-full&sslrootcert=ca.pem`);
    hidden(masked);
    const revealed = await cli(["connection-string", name, "--reveal-password", "--json"]);
    assert.equal(revealed.json().url, `postgresql://icpostgresql:${encodeURIComponent(password)}@${host}:5432/postgres?sslmode=verify-full&sslrootcert=ca.pem`);
    assert.equal((await cli(["get", name, "--json"])).json().defaultUserPassword, "***");
    assert.equal((await cli(["get", name, "--reveal-password", "--json"])).json().defaultUserPassword, password);
    assert.match((await cli(["get", name, "--reveal-password"])).stdout, new RegExp(`^password +${password}$`, "m"));
  });
});
