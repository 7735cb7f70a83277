// The mechanics of the emulator's hosts (js/emulator/host.js: fetch, clock, stalls, drops, slow
// bodies, close; js/emulator/server.js: keep-alive with bodies answered early, drops, static
// files, the state file) over a small stand-in of the core's interface, so that they are tested
// apart from the core's rules. The real core is exercised from the packed package (project/*.test.mjs).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";

import { createHost } from "../../js/emulator/host.js";
import { readState, serve } from "../../js/emulator/server.js";

const enc = new TextEncoder();

/** A stand-in core: answers by path; `x-fault` header: stall:<ms>, drop, slow:<ms>. */
function fakeCore() {
  const calls = [];
  let clusters = 0;
  const answer = (method, path, query, headers, body, now) => {
    calls.push({ method, path, query, headers, body: new TextDecoder().decode(body), now });
    if (path === "/auth" && !headers.includes("authorization")) return ex(401, { error: "unauthorized" });
    if (path === "/create") {
      clusters += 1;
      return { ...ex(202, { clusters }), changed: true };
    }
    if (path === "/echo") return ex(200, { method, path, query, body: new TextDecoder().decode(body), now });
    if (path.startsWith("/api")) return ex(404, { error: "not found" });
    return { ...ex(404, { error: "no route" }), routed: false };
  };
  const ex = (status, json) => ({ status, headers: ["content-type", "application/json"], body: enc.encode(JSON.stringify(json)), after: "send", routed: true, changed: false });
  const fault = (headers) => {
    const i = headers.indexOf("x-fault");
    return i >= 0 ? headers[i + 1] : undefined;
  };
  return {
    calls,
    freed: false,
    begin(method, path, query, headers, body, now) {
      const f = fault(headers);
      if (f?.startsWith("stall:")) return { stallMs: Number(f.slice(6)) };
      const e = answer(method, path, query, headers, body, now);
      if (f === "drop") return { ...e, after: "drop", fault: "drop" };
      if (f?.startsWith("slow:")) return { ...e, after: "slow-body", slowMs: Number(f.slice(5)), fault: "slow-body" };
      return e;
    },
    run(method, path, query, headers, body, now) {
      return answer(method, path, query, headers, body, now);
    },
    snapshot: () => JSON.stringify({ version: 1, clusters }),
    restore(text) {
      const s = JSON.parse(text);
      if (s.version > 1) throw new Error("snapshot: version 2 is newer than this emulator's (1)");
      clusters = s.clusters;
    },
    reset() {
      clusters = 0;
    },
    free() {
      this.freed = true;
    },
  };
}

const host = (core = fakeCore()) => ({ core, emulator: createHost(core, { bodyLimit: 1024, logLine: (m, p, e) => JSON.stringify({ method: m, path: p, status: e.after === "drop" ? "dropped" : e.status }) }) });

test("fetch: Request, URL and string inputs, any base URL, query and body reach the core", async () => {
  const { emulator } = host();
  const r = await emulator.fetch("https://api.example.test/echo?x=1", { method: "POST", body: "hello" });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/json");
  assert.equal(r.url, "https://api.example.test/echo?x=1");
  const j = await r.json();
  assert.deepEqual({ ...j, now: 0 }, { method: "POST", path: "/echo", query: "x=1", body: "hello", now: 0 });
  assert.ok(Math.abs(j.now - Date.now()) < 1000);
  assert.equal((await emulator.fetch(new URL("http://x/echo"))).status, 200);
  assert.equal((await emulator.fetch(new Request("http://x/echo", { method: "PUT", body: "b" }))).status, 200);
  assert.equal((await emulator.fetch("/echo")).status, 200);
});

test("clock: advance moves now() and the now_ms given to the core; reset puts it back", async () => {
  const { emulator, core } = host();
  const before = emulator.now();
  emulator.advance(180_000);
  assert.ok(emulator.now() - before >= 180_000);
  await emulator.fetch("http://x/echo");
  assert.ok(core.calls.at(-1).now - Date.now() >= 179_000);
  assert.throws(() => emulator.advance(-1), RangeError);
  assert.throws(() => emulator.advance(Number.NaN), RangeError);
  emulator.reset();
  assert.ok(Math.abs(emulator.now() - Date.now()) < 1000);
});

test("stall: waited, then run; an abort during the stall rejects and the work never runs", async () => {
  const { emulator, core } = host();
  const t0 = Date.now();
  const r = await emulator.fetch("http://x/echo", { headers: { "x-fault": "stall:80" } });
  assert.equal(r.status, 200);
  assert.ok(Date.now() - t0 >= 70);
  const n = core.calls.length;
  const ctl = new AbortController();
  const p = emulator.fetch("http://x/create", { headers: { "x-fault": "stall:5000" }, signal: ctl.signal });
  setTimeout(() => ctl.abort(), 20);
  await assert.rejects(p, { name: "AbortError" });
  assert.equal(core.calls.length, n, "the stalled work did not run");
  await assert.rejects(emulator.fetch("http://x/echo", { signal: AbortSignal.abort() }), { name: "AbortError" });
});

test("drop is a TypeError like a lost connection; slow body arrives in pieces over time", async () => {
  const { emulator } = host();
  await assert.rejects(emulator.fetch("http://x/echo", { headers: { "x-fault": "drop" } }), (e) => e instanceof TypeError && e.message === "fetch failed");
  const t0 = Date.now();
  const r = await emulator.fetch("http://x/echo", { headers: { "x-fault": "slow:200" } });
  assert.ok(Date.now() - t0 < 150, "headers come at once");
  const reader = r.body.getReader();
  let pieces = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces += 1;
    text += new TextDecoder().decode(value);
  }
  assert.ok(pieces > 3);
  assert.ok(Date.now() - t0 >= 150);
  assert.equal(JSON.parse(text).path, "/echo");
});

test("snapshot round trip with the clock offset; damaged snapshots refused; close", async () => {
  const { emulator } = host();
  await emulator.fetch("http://x/create", { method: "POST" });
  emulator.advance(60_000);
  const snap = emulator.snapshot();
  assert.equal(snap.version, 1);
  assert.equal(snap.clockOffsetMs, 60_000);
  assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  const { emulator: other } = host();
  other.restore(snap);
  assert.ok(other.now() - Date.now() >= 59_000);
  assert.equal(other.snapshot().clusters, 1);
  assert.throws(() => other.restore("x"), /snapshot/);
  assert.throws(() => other.restore({ clusters: 1 }), /version/);
  assert.throws(() => other.restore({ version: 2 }), /newer/);
  assert.throws(() => other.restore({ version: 1, clockOffsetMs: "x" }), /clockOffsetMs/);
  const { core, emulator: closing } = host();
  const pending = closing.fetch("http://x/echo", { headers: { "x-fault": "stall:5000" } });
  await closing.close();
  await assert.rejects(pending, { code: "EMULATOR_CLOSED" });
  assert.ok(core.freed);
  await assert.rejects(closing.fetch("http://x/echo"), { code: "EMULATOR_CLOSED" });
  assert.throws(() => closing.now(), { code: "EMULATOR_CLOSED" });
  await closing.close();
});

// ---- the HTTP server ----
const dirs = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const scratch = () => {
  const d = mkdtempSync(path.join(tmpdir(), "emulator-host-"));
  dirs.push(d);
  return d;
};

/** Raw HTTP/1.1 on one socket: write parts (with pauses), read responses. */
function rawConnection(port) {
  const socket = connect(port, "127.0.0.1");
  let buffer = "";
  const waiters = [];
  socket.on("data", (d) => {
    buffer += d;
    waiters.splice(0).forEach((w) => w());
  });
  let closed = false;
  socket.on("close", () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  return {
    socket,
    write: (s) => new Promise((r) => socket.write(s, r)),
    /** The next whole response (by content-length): `{ status, headers, body }`. */
    async response() {
      for (;;) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
          const head = buffer.slice(0, end).split("\r\n");
          const len = Number(head.find((l) => /^content-length:/i.test(l))?.split(":")[1] ?? 0);
          if (buffer.length >= end + 4 + len) {
            const body = buffer.slice(end + 4, end + 4 + len);
            buffer = buffer.slice(end + 4 + len);
            return { status: Number(head[0].split(" ")[1]), head, body };
          }
        }
        if (closed) throw new Error(`connection closed (buffer ${JSON.stringify(buffer)})`);
        await new Promise((r) => waiters.push(r));
      }
    },
  };
}

test("server: a body sent slowly to an early answer (401) leaves the keep-alive connection usable", async () => {
  const { emulator } = host();
  const srv = await serve(emulator, { port: 0, bodyLimit: 1024 });
  try {
    const c = rawConnection(srv.port);
    const body = JSON.stringify({ name: "x".repeat(200) });
    await c.write(`POST /auth HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    for (let i = 0; i < body.length; i += 50) {
      await new Promise((r) => setTimeout(r, 30));
      await c.write(body.slice(i, i + 50));
    }
    const first = await c.response();
    assert.equal(first.status, 401);
    assert.ok(!first.head.some((l) => /^connection: close/i.test(l)));
    await c.write("GET /echo HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    const second = await c.response();
    assert.equal(second.status, 200);
    assert.equal(JSON.parse(second.body).path, "/echo");
    c.socket.destroy();
  } finally {
    await srv.close();
  }
});

test("server: drop closes without answering; slow body; static folder without escapes; state file", async () => {
  const { emulator } = host();
  const dir = scratch();
  const www = path.join(dir, "www");
  mkdirSync(www);
  writeFileSync(path.join(www, "index.html"), "<h1>console</h1>");
  writeFileSync(path.join(dir, "secret.txt"), "secret");
  symlinkSync(path.join(dir, "secret.txt"), path.join(www, "link.txt"));
  const stateFile = path.join(dir, "state", "emulator.json");
  const lines = [];
  const srv = await serve(emulator, { port: 0, bodyLimit: 1024, staticDir: www, stateFile, log: (l) => lines.push(JSON.parse(l)) });
  try {
    await assert.rejects(fetch(`${srv.url}/echo`, { headers: { "x-fault": "drop" } }), TypeError);
    const slow = await fetch(`${srv.url}/echo`, { headers: { "x-fault": "slow:150" } });
    assert.equal((await slow.json()).path, "/echo");
    const page = await fetch(`${srv.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type"), /text\/html/);
    assert.equal(await page.text(), "<h1>console</h1>");
    for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/link.txt", "/missing.js"]) {
      const r = await fetch(`${srv.url}${p}`);
      assert.equal(r.status, 404, p);
      assert.doesNotMatch(await r.text(), /secret/, p);
    }
    assert.equal((await fetch(`${srv.url}/api/x`)).status, 404);
    // paths as sent, not normalised by a client
    for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/../www/../secret.txt"]) {
      const c = rawConnection(srv.port);
      await c.write(`GET ${p} HTTP/1.1\r\nhost: x\r\n\r\n`);
      const res = await c.response();
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(res.body, /secret/, p);
      c.socket.destroy();
    }
    assert.equal(readState(stateFile), undefined);
    assert.equal((await fetch(`${srv.url}/create`, { method: "POST" })).status, 202);
    assert.equal(JSON.parse(readFileSync(stateFile, "utf8")).clusters, 1);
    assert.ok(lines.some((l) => l.status === "dropped"));
    assert.ok(lines.some((l) => l.path === "/" && l.status === 200));
  } finally {
    await srv.close();
  }
});

test("server: a body far over the limit is answered at once (413) with Connection: close", async () => {
  const core = fakeCore();
  const base = core.begin.bind(core);
  core.begin = (method, path, query, headers, body, now) => (body.length > 1024 ? { status: 413, headers: [], body: new Uint8Array(0), after: "send", routed: true, changed: false } : base(method, path, query, headers, body, now));
  const { emulator } = host(core);
  const srv = await serve(emulator, { port: 0, bodyLimit: 1024 });
  try {
    const c = rawConnection(srv.port);
    const size = 4 << 20;
    await c.write(`POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: ${size}\r\n\r\n`);
    // more than the limit plus a read's worth, not the whole body
    c.socket.write(Buffer.alloc(2 << 20, 97));
    const res = await c.response();
    assert.equal(res.status, 413);
    assert.ok(res.head.some((l) => /^connection: close$/i.test(l)), res.head.join("\n"));
    c.socket.destroy();
  } finally {
    await srv.close();
  }
});
