// The hostile test server: 127.0.0.1, port 0. `/k/<case>/...` answers that case of cases.mjs,
// `/good/...` answers like a healthy API (the module-alive check), and with `static: true` it also
// serves the browser page (`/`), `pkg/` and `tests/hostile/` for the Chromium runner (one origin,
// so no CORS). `stats[case]` records what the server wrote (bytes) for the size checks.
import { createServer } from "node:http";
import { crc32, deflateRawSync } from "node:zlib";

import { servePage } from "../campaign/chromium.mjs";
import { BIG, ID, cases, goodCluster } from "./cases.mjs";

/** A zip of `{ name, data, deflate, claimSize?, crc? }` entries (central directory, no ZIP64). */
export function zip(entries) {
  const parts = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const payload = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = e.crc ?? crc32(e.data);
    const size = e.claimSize ?? e.data.length;
    const method = e.deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, payload);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(payload.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + payload.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, eocd]);
}

const DER = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00, 0xc3, 0x11, 0x42]);
const PEM = Buffer.from(`-----BEGIN CERTIFICATE-----\n${DER.toString("base64")}\n-----END CERTIFICATE-----\n`);
const goodEntries = () => [
  { name: "cluster-ca-certificate.pem", data: PEM, deflate: true },
  { name: "cluster-ca-certificate.der", data: DER, deflate: false },
  { name: "truststore.jks", data: Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]), deflate: true },
];
export const goodZip = () => zip(goodEntries());

let bombCache;
const bombData = () => (bombCache ??= Buffer.alloc(64 * 1024 * 1024));

const ZIPS = {
  "zip-truncated": () => goodZip().subarray(0, 60),
  "zip-bad-crc": () => zip(goodEntries().map((e, i) => (i === 0 ? { ...e, crc: 0xdeadbeef } : e))),
  "zip-no-pem": () => zip(goodEntries().slice(1)),
  "zip-bomb": () => zip([{ name: "cluster-ca-certificate.pem", data: bombData(), deflate: true }]),
  "zip-bomb-lying": () => zip([{ name: "cluster-ca-certificate.pem", data: bombData(), deflate: true, claimSize: 1024 }]),
  "zip-many": () => zip(Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}.pem`, data: PEM, deflate: false }))),
};
const zipCache = new Map();

function goodAnswer(path) {
  if (path.endsWith("/certificate") || path.includes("certificate")) {
    return { status: 200, headers: { "content-type": "application/zip" }, body: goodZip() };
  }
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(goodCluster()) };
}

function send(res, a) {
  const body = a.body instanceof Uint8Array ? a.body : Array.isArray(a.body) ? Buffer.from(a.body) : Buffer.from(a.body ?? "");
  res.writeHead(a.status, { ...a.headers, "content-length": body.length });
  res.end(body);
}

/** Writes `total` bytes of a JSON-looking body in 64 KB chunks, honouring back-pressure. */
function stream(res, stat, total, declare) {
  res.writeHead(200, { "content-type": "application/json", ...(declare ? { "content-length": total } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let stopped = false;
  res.on("close", () => { stopped = true; });
  const pump = () => {
    while (!stopped && stat.written < total) {
      const ok = res.write(chunk);
      stat.written += chunk.length;
      if (!ok) { res.once("drain", pump); return; }
    }
    if (!stopped) res.end();
  };
  pump();
}

const SPECIAL = {
  "big-declared": (req, res, stat) => stream(res, stat, BIG, true),
  "big-chunked": (req, res, stat) => stream(res, stat, BIG, false),
  "length-lie": (req, res, stat) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 100000 });
    res.write('{"id":"abc"');
    stat.written += 11;
    setTimeout(() => res.socket?.destroy(), 20);
  },
  "reset-mid-body": (req, res, stat) => {
    const body = JSON.stringify(goodCluster());
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.write(body.slice(0, 100));
    stat.written += 100;
    setTimeout(() => res.socket?.destroy(), 20);
  },
  "slow-drip": (req, res, stat) => {
    res.writeHead(200, { "content-type": "application/json" });
    const body = JSON.stringify(goodCluster());
    let i = 0;
    const t = setInterval(() => {
      if (res.destroyed || i >= body.length) { clearInterval(t); res.end(); return; }
      res.write(body[i++]);
      stat.written += 1;
    }, 100);
    res.on("close", () => clearInterval(t));
  },
};

const PAGE = `<!doctype html><meta charset="utf-8"><title>hostile</title><script type="module">
import * as api from "/pkg/web.js";
import { runAll } from "/tests/hostile/cases.mjs";
window.__hostile = { done: false, results: [] };
runAll(api, location.origin, { onResult: (r) => { window.__hostile.results.push(r); } })
  .then(() => { window.__hostile.done = true; }, (e) => { window.__hostile.error = String(e && e.stack || e); window.__hostile.done = true; });
</script>`;

function serveStatic(path, res) {
  return servePage(path, res, PAGE, ["/pkg/", "/tests/hostile/"]);
}

/** Starts the server; resolves to `{ base, stats, close }`. */
export async function start({ statics = false } = {}) {
  const byName = new Map(cases().map((c) => [c.name, c]));
  const stats = {};
  const server = createServer(async (req, res) => {
    res.on("error", () => {});
    const path = new URL(req.url, "http://x").pathname;
    if (path.startsWith("/good/")) return send(res, goodAnswer(path));
    const m = path.match(/^\/k\/([^/]+)\//);
    if (m) {
      const name = decodeURIComponent(m[1]);
      const c = byName.get(name);
      if (!c) return send(res, { status: 500, headers: {}, body: `unknown case ${name}` });
      const stat = (stats[name] ??= { requests: 0, written: 0 });
      stat.requests += 1;
      if (c.special && ZIPS[c.special]) {
        if (!zipCache.has(c.special)) zipCache.set(c.special, ZIPS[c.special]());
        return send(res, { status: 200, headers: { "content-type": "application/zip" }, body: zipCache.get(c.special) });
      }
      if (c.special) return SPECIAL[c.special](req, res, stat);
      return send(res, c.answer);
    }
    if (statics && (await serveStatic(path, res))) return;
    send(res, { status: 404, headers: {}, body: "not found" });
  });
  server.keepAliveTimeout = 1000;
  server.on("connection", (socket) => socket.on("error", () => {}));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    stats,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

export { ID };
