// `npx instaclustr-pg emulator`: the package's CLI (--json commands) against it, the state file
// across a restart, damaged state files refused and left unchanged, faults, the static folder,
// and a keep-alive connection after an answer given while the body was still arriving.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

import { createClusterBody } from "./lib.mjs";
import { startEmulator } from "./emulator-process.mjs";

const BIN = path.resolve("node_modules/.bin/instaclustr-pg");
const KEY = "cli-key-3b9d7e";
const ACCOUNT = `cli-user:${KEY}`;
const tmp = mkdtempSync(path.resolve("tmp-"));

/** Runs the package's CLI with `--json` against `url`; the parsed stdout. */
async function cli(url, ...args) {
  const env = { ...process.env, INSTACLUSTR_USERNAME: "cli-user", INSTACLUSTR_API_KEY: KEY, INSTACLUSTR_BASE_URL: url };
  const { stdout, stderr } = await promisify(execFile)(BIN, [...args, "--json"], { env, timeout: 60_000 });
  assert.ok(!stdout.includes(KEY) && !stderr.includes(KEY), "the key is never printed");
  return JSON.parse(stdout);
}

/** `--state` with a file that must be refused: exit 2, a clear message, the file unchanged. */
function refused(file) {
  const before = readFileSync(file, "utf8");
  return new Promise((resolve) => {
    const proc = spawn(BIN, ["emulator", "--port", "0", "--state", file], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (err += d));
    proc.on("exit", (code) => {
      assert.equal(code, 2, err);
      assert.match(err, /--state/);
      assert.doesNotMatch(out, /listening/);
      assert.equal(readFileSync(file, "utf8"), before, "the file is never overwritten");
      resolve(err);
    });
  });
}

test("the CLI's --json commands against npx instaclustr-pg emulator; the state file across a restart", async () => {
  const state = path.join(tmp, "state", "emulator.json");
  const body = path.join(tmp, "cluster.json");
  writeFileSync(body, JSON.stringify(createClusterBody({ name: "cli-keep" })));
  let emu = await startEmulator(["--speed", "2000", "--account", ACCOUNT, "--state", state]);
  assert.equal(emu.lines[1], "accounts: cli-user");
  assert.ok(!emu.lines.join("\n").includes(KEY));
  const created = await cli(emu.url, "create", "--file", body, "--wait", "--poll-interval", "100ms");
  assert.equal(created.status, "RUNNING");
  const got = await cli(emu.url, "get", created.id);
  assert.equal(got.id, created.id);
  await cli(emu.url, "backup", created.id, "--wait", "--poll-interval", "100ms");
  const backups = await cli(emu.url, "backups", created.id);
  assert.match(JSON.stringify(backups), /COMPLETED/);
  writeFileSync(body, JSON.stringify(createClusterBody({ name: "cli-gone" })));
  const gone = await cli(emu.url, "create", "--file", body);
  await cli(emu.url, "delete", gone.id, "--yes");
  const saved = JSON.parse(readFileSync(state, "utf8"));
  assert.equal(typeof saved.version, "number");
  // every request is logged on stderr (one JSON line each), never with the key
  const log = emu.stderr().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  assert.ok(log.some((l) => l.method === "POST" && l.status === 202));
  assert.ok(!emu.stderr().includes(KEY));
  await emu.stop();

  // the server itself (no npx between) stops cleanly on SIGTERM: exit code 0
  emu = await startEmulator(["--speed", "2000", "--account", ACCOUNT, "--state", state, "--quiet"], { npx: false });
  const again = await cli(emu.url, "get", created.id);
  assert.equal(again.status, "RUNNING");
  assert.equal(again.name, "cli-keep");
  const list = await cli(emu.url, "clusters");
  assert.ok(list.some((c) => c.id === created.id));
  assert.ok(!list.some((c) => c.id === gone.id && c.status === "RUNNING"));
  await fetch(emu.url + "/nothing-here");
  assert.equal(emu.stderr(), "", "--quiet: no request log");
  assert.deepEqual(await emu.stop(), { code: 0, signal: null });
});

test("damaged and newer-version state files are refused (exit 2) and left unchanged", async () => {
  const damaged = path.join(tmp, "damaged.json");
  writeFileSync(damaged, '{"version": 1, "clusters": [');
  await refused(damaged);
  const newer = path.join(tmp, "newer.json");
  writeFileSync(newer, JSON.stringify({ version: 999, clusters: [] }));
  assert.match(await refused(newer), /version/i);
  const wrong = path.join(tmp, "wrong.json");
  writeFileSync(wrong, JSON.stringify({ version: 1, clusters: [{ id: 5 }] }));
  await refused(wrong);
});

test("faults in test mode (503, drop), the static folder, keep-alive after an early answer to a slow body", async () => {
  const www = path.join(tmp, "www");
  mkdirSync(www, { recursive: true });
  writeFileSync(path.join(www, "index.html"), "<title>console</title>");
  writeFileSync(path.join(tmp, "outside.txt"), "OUTSIDE-CONTENT");
  const emu = await startEmulator(["--account", ACCOUNT, "--test-mode", "--static", www, "--quiet"]);
  try {
    const api = `${emu.url}/cluster-management/v2/data-sources/clusters/v2`;
    const auth = { authorization: `Basic ${Buffer.from(ACCOUNT).toString("base64")}` };
    const r = await fetch(api, { headers: { ...auth, "x-emulator-fault": "503" } });
    assert.equal(r.status, 503);
    await r.arrayBuffer();
    await assert.rejects(fetch(api, { headers: { ...auth, "x-emulator-fault": "drop" } }), TypeError);
    assert.equal((await fetch(api, { headers: auth })).status, 200);

    const page = await fetch(`${emu.url}/`);
    assert.equal(page.status, 200);
    assert.equal(await page.text(), "<title>console</title>");
    for (const p of ["/../outside.txt", "/%2e%2e/outside.txt", "/..%2foutside.txt"]) {
      const res = await fetch(emu.url + p);
      assert.notEqual(res.status, 200, p);
      assert.doesNotMatch(await res.text(), /OUTSIDE-CONTENT/, p);
    }

    // the body arrives slowly after the headers; the answer (401: no credentials) must leave the
    // connection usable for the next request
    const port = Number(new URL(emu.url).port);
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (d) => (received += d));
    const payload = JSON.stringify(createClusterBody({ name: "slow-body" }));
    socket.write(`POST /cluster-management/v2/resources/applications/postgresql/clusters/v2 HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${payload.length}\r\n\r\n`);
    for (let i = 0; i < payload.length; i += 40) {
      await new Promise((done) => setTimeout(done, 15));
      socket.write(payload.slice(i, i + 40));
    }
    const until = Date.now() + 5000;
    while (!/^HTTP\/1\.1 401/.test(received) && Date.now() < until) await new Promise((done) => setTimeout(done, 10));
    assert.match(received, /^HTTP\/1\.1 401/);
    socket.write(`GET /cluster-management/v2/data-sources/clusters/v2 HTTP/1.1\r\nhost: x\r\nauthorization: ${auth.authorization}\r\n\r\n`);
    while (!/HTTP\/1\.1 200/.test(received) && Date.now() < until) await new Promise((done) => setTimeout(done, 10));
    assert.match(received, /HTTP\/1\.1 200/, "the second request on the same connection is answered");
    socket.destroy();
  } finally {
    await emu.stop();
  }
});

test("wrong options: exit 2 with the option named; --postgres pglite names the missing PGlite", async () => {
  for (const [args, pattern] of [[["--port", "x"], /--port/], [["--postgres", "pglite"], /@electric-sql\/pglite/], [["--postgres", "sqlite"], /--postgres/], [["--account", "nocolon"], /--account/], [["--fault-rate", "3"], /--fault-rate/]]) {
    const err = await new Promise((resolve) => {
      const proc = spawn(BIN, ["emulator", ...args], { stdio: ["ignore", "ignore", "pipe"] });
      let e = "";
      proc.stderr.on("data", (d) => (e += d));
      proc.on("exit", (code) => {
        assert.equal(code, 2, e);
        resolve(e);
      });
    });
    assert.match(err, pattern);
  }
});
