// Transport safety campaign, through the built package in Node:
// - a plain-http remote base URL is refused (ValidationError at baseUrl), loopback allowed;
// - no redirect is followed: a 127.0.0.1 server answering 301/302/303/307/308 to another port,
//   and to `localhost` (another origin), never gets the target a request, let alone the
//   Authorization header; the call fails with an ApiError carrying the 3xx status;
// - the response size is bounded (maxResponseBytes): declared and undeclared (chunked) lengths,
//   just under / at / over the limit, the 16 MiB default against a 20 MB body, the module keeps
//   working afterwards.
import http from "node:http";
import { ApiError, DecodeError, InstaclustrClient, ValidationError } from "../../pkg/node.js";
import { trackUnhandled, activeTimers } from "./lib.mjs";

const KEY = "recognizable-api-key-0xC0FFEE";
const ID = "c0e5e2ff-affe-444c-bdca-707c7b48aaad";
const unhandled = trackUnhandled();
const failures = [];
let checks = 0;
function check(ok, what) {
  checks++;
  if (!ok) failures.push(what);
}
async function rejects(p, Cls, what, extra = () => true) {
  try {
    await p;
    check(false, `${what}: resolved`);
  } catch (e) {
    check(e instanceof Cls && extra(e), `${what}: got ${e?.name} ${e?.code} ${e?.status ?? ""} ${e?.message}`);
  }
}

function listen(handler) {
  const s = http.createServer(handler);
  return new Promise((r) => s.listen(0, "127.0.0.1", () => r({ server: s, port: s.address().port })));
}
const close = (s) => new Promise((r) => { s.closeAllConnections?.(); s.close(r); });

// --- 1. base URLs
const make = (baseUrl, more = {}) => new InstaclustrClient({ baseUrl, username: "alice", apiKey: KEY, ...more });
for (const u of ["http://api.example.com", "http://10.0.0.1:8090", "http://127.0.0.1.example.com", "http://localhost.example.com", "ftp://127.0.0.1", "http://alice:pw@127.0.0.1"]) {
  try {
    make(u);
    check(false, `${u} accepted`);
  } catch (e) {
    check(e instanceof ValidationError && e.violations.some((v) => v.path.endsWith("baseUrl")), `${u}: ${e?.name} ${JSON.stringify(e?.violations)}`);
    check(!JSON.stringify(e).includes(KEY) && !String(e).includes("pw@"), `${u}: the error shows credentials`);
  }
}
for (const u of ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://api.example.com"]) {
  try { make(u); check(true, u); } catch (e) { check(false, `${u} refused: ${e?.message}`); }
}

// --- 2. redirects
const reached = [];
const target = await listen((req, res) => {
  reached.push({ url: req.url, authorization: req.headers.authorization ?? null });
  res.writeHead(200, { "content-type": "application/json" });
  res.end("{}");
});
const path = `/cluster-management/v2/resources/applications/postgresql/clusters/v2/${ID}`;
let redirects = 0;
for (const status of [301, 302, 303, 307, 308]) {
  for (const host of ["127.0.0.1", "localhost"]) {
    const r = await listen((req, res) => {
      res.writeHead(status, { location: `http://${host}:${target.port}${path}` });
      res.end();
    });
    const c = make(`http://127.0.0.1:${r.port}`, { retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    await rejects(c.getCluster(ID), ApiError, `${status} to ${host}`, (e) => e.status === status);
    await rejects(c.deleteCluster(ID), ApiError, `${status} to ${host} (DELETE)`, (e) => e.status === status);
    redirects += 2;
    await close(r.server);
  }
}
check(reached.length === 0, `the redirect target was reached: ${JSON.stringify(reached.map((x) => ({ ...x, authorization: x.authorization && "(present)" })))}`);
await close(target.server);

// --- 3. bounded bodies
const BIG = 20 * 1024 * 1024;
const sizes = await listen((req, res) => {
  const u = new URL(req.url, "http://x");
  const n = Number(u.searchParams.get("n") || 0);
  const chunked = u.pathname.startsWith("/chunked");
  const body = Buffer.alloc(n, 0x20); // spaces: n bytes of valid JSON whitespace around {}
  if (n >= 2) { body[0] = 0x7b; body[n - 1] = 0x7d; }
  res.writeHead(200, chunked ? { "content-type": "application/json" } : { "content-type": "application/json", "content-length": String(n) });
  if (chunked) {
    let sent = 0;
    const step = 64 * 1024;
    const push = () => {
      while (sent < n) {
        const part = body.subarray(sent, Math.min(n, sent + step));
        sent += part.length;
        if (!res.write(part)) return res.once("drain", push);
      }
      res.end();
    };
    push();
  } else {
    res.end(body);
  }
});
{
  // The size asked of the server goes in the query, added by a wrapping `fetch`.
  const call = (kind, n, limit) => {
    const c = new InstaclustrClient({
      baseUrl: `http://127.0.0.1:${sizes.port}/${kind}`, username: "alice", apiKey: KEY, maxRetries: 0,
      ...(limit === undefined ? {} : { maxResponseBytes: limit }),
      fetch: (u, init) => fetch(`${u}${u.includes("?") ? "&" : "?"}n=${n}`, init),
    });
    return c.listVersions();
  };
  for (const kind of ["declared", "chunked"]) {
    await rejects(call(kind, 1001, 1000), DecodeError, `${kind} 1001 > 1000`);
    await rejects(call(kind, 10 * 1024 * 1024, 4096), DecodeError, `${kind} 10 MB > 4 KB`);
    const before = process.memoryUsage().rss;
    await rejects(call(kind, BIG), DecodeError, `${kind} 20 MB > 16 MiB default`);
    const grown = (process.memoryUsage().rss - before) / 1048576;
    check(grown < 200, `${kind}: memory grew ${grown.toFixed(0)} MB reading a refused 20 MB body`);
    // at the limit: accepted ("{ ... }" is an object, not the array listVersions expects, so a
    // DecodeError about the shape is fine, but not about the size)
    try {
      await call(kind, 1000, 1000);
    } catch (e) {
      check(!/limit/.test(e.message), `${kind} 1000 = 1000 refused for size: ${e.message}`);
    }
  }
  await rejects(Promise.resolve().then(() => new InstaclustrClient({ username: "a", apiKey: KEY, maxResponseBytes: -1 })), ValidationError, "negative maxResponseBytes");
}
await close(sizes.server);

await new Promise((r) => setImmediate(r));
const timers = activeTimers();
const u = unhandled.unhandled + unhandled.uncaught;
for (const f of failures) console.log(`FAIL: ${f}`);
for (const s of unhandled.samples) console.log(`  unhandled: ${s}`);
console.log(`TALLY transport: ${checks} checks, ${failures.length} failed, ${redirects} redirected calls, ${reached.length} reached the other origin, ${u} unhandled, ${timers} leaked timers`);
process.exitCode = failures.length + u + timers > 0 ? 1 : 0;
