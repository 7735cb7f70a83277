// The small HTTP servers of the secrets and transport campaigns, for their Node and Chromium
// runs alike (Node-only module): all on 127.0.0.1 with port 0, each closing by itself after its
// lifetime. The ones a page of Chromium calls across origins send CORS headers as the emulator
// does (any origin, the asked method and headers), except those whose point is to send none.
import { createServer } from "node:http";

/**
 * A server answering with `handler(req, res)`, after `first(req, res)` when given (resolving true
 * when it answered: the page and static files of chromium.mjs). Closes by itself after
 * `lifetimeMs` (an unref'd timer: it never keeps the process alive).
 * Resolves to `{ port, url, close }`.
 */
export async function listen(handler, { first, lifetimeMs = 600_000 } = {}) {
  const server = createServer(async (req, res) => {
    res.on("error", () => {});
    try {
      if (first && (await first(new URL(req.url, "http://x").pathname, res))) return;
      await handler(req, res);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e?.message ?? e));
    }
  });
  server.keepAliveTimeout = 1000;
  server.on("connection", (socket) => socket.on("error", () => {}));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const port = server.address().port;
  let closed = false;
  const close = () => {
    if (closed) return Promise.resolve();
    closed = true;
    return new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); });
  };
  setTimeout(close, lifetimeMs).unref();
  return { port, url: `http://127.0.0.1:${port}`, close };
}

/** CORS headers for `req`, as the emulator sends them. */
export function corsHeaders(req) {
  const h = { "access-control-allow-origin": "*", "access-control-max-age": "600" };
  if (req.headers["access-control-request-method"]) h["access-control-allow-methods"] = req.headers["access-control-request-method"];
  if (req.headers["access-control-request-headers"]) h["access-control-allow-headers"] = req.headers["access-control-request-headers"];
  return h;
}

/** A URL of 127.0.0.1 on which nothing listens (a port just bound and released). */
export async function refusedUrl() {
  const s = createServer();
  await new Promise((ok) => s.listen(0, "127.0.0.1", ok));
  const port = s.address().port;
  await new Promise((ok) => s.close(ok));
  return `http://127.0.0.1:${port}`;
}

/**
 * The secrets campaign's echoing server: it copies the request's Authorization header and body (a
 * new password) into error bodies (`/echo500`, `/echo502html`) and into a 200 with a garbage body
 * and a response header (any other path); the client must not copy any of it into its errors.
 * CORS for the page.
 */
export function echoServer(key, opts) {
  return listen((req, res) => {
    const cors = corsHeaders(req);
    if (req.method === "OPTIONS") { res.writeHead(204, cors); res.end(); return; }
    const auth = req.headers.authorization || "";
    // the request body too (a new password), read before answering
    let sent = "";
    req.on("data", (c) => { sent += c; });
    req.on("end", () => {
      if (req.url.includes("echo500")) {
        res.writeHead(500, { ...cors, "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ name: "Authorization", message: `bad ${auth} ${key} ${sent}` }] }));
      } else if (req.url.includes("echo502html")) {
        res.writeHead(502, { ...cors, "content-type": "text/html" });
        res.end(`<html>proxy saw ${auth} ${sent}</html>`);
      } else {
        res.writeHead(200, { ...cors, "content-type": "application/json", "x-request-id": auth, "access-control-expose-headers": "x-request-id" });
        res.end(`{"id": 42, "echo": "${auth}", "sent": ${JSON.stringify(sent)}`);
      }
    });
  }, opts);
}

/**
 * The transport campaign's servers (see transport-cases.mjs), each recording every request it got
 * in `records[name]` as `{ method, path, authorization, cookie }` (`authorization`: whether the
 * header came; `cookie`: the Cookie header or null):
 * - `target`: where every redirect points; it must never get a request. Answers 200 `[]` with CORS,
 *   so that a redirect a browser did follow would succeed visibly.
 * - `same`, `cors`, `bare`: `/redirect/<status>/<host>/<path>` answers `<status>` with a Location
 *   on `<host>` and the target's port; `/api/...` answers a GET with `[]` and a POST with a 400
 *   error list, `/api/probe` with 204. `cors` sends CORS headers on every answer and answers the
 *   preflight; `bare` sends none and refuses the preflight (405); `same` sends none: in Chromium it
 *   is also the page's server (`first`: chromium.mjs's serveStatic), so its calls are same-origin.
 * - `half`: answers the preflight with CORS but the request itself without (the browser sends the
 *   request, then hides the answer).
 * - `sizes`: `/<declared|chunked>/...?n=<bytes>` answers a JSON array of exactly n bytes
 *   (`[`, spaces, `]`), with or without content-length; CORS. Its records also hold `n` and
 *   `written`, the bytes it wrote before the end or the client's hang-up.
 * Resolves to `{ urls, records, close }`.
 */
export async function transportServers({ first } = {}) {
  const records = { target: [], same: [], cors: [], bare: [], half: [], sizes: [] };
  const note = (name, req) => {
    const r = {
      method: req.method, path: new URL(req.url, "http://x").pathname,
      authorization: req.headers.authorization !== undefined, cookie: req.headers.cookie ?? null,
    };
    records[name].push(r);
    return r;
  };
  let targetPort = 0;
  const target = await listen((req, res) => {
    note("target", req);
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, { ...corsHeaders(req), "content-type": "application/json" });
    res.end(req.method === "OPTIONS" ? undefined : "[]");
  });
  targetPort = target.port;

  const api = (name, mode) => (req, res) => {
    const r = note(name, req);
    const cors = mode === "cors" ? corsHeaders(req) : {};
    if (req.method === "OPTIONS") {
      if (mode === "cors" || mode === "half") res.writeHead(204, corsHeaders(req));
      else res.writeHead(405, { allow: "GET, POST, DELETE" });
      res.end();
      return;
    }
    const m = r.path.match(/^\/redirect\/(\d{3})\/([^/]+)(\/.*)$/);
    if (m) {
      res.writeHead(Number(m[1]), { ...cors, location: `http://${m[2]}:${targetPort}${m[3]}` });
      res.end();
    } else if (r.path === "/api/probe") {
      res.writeHead(204, cors);
      res.end();
    } else if (r.path.startsWith("/api/") && req.method === "POST") {
      res.writeHead(400, { ...cors, "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ name: "name", message: "refused by the campaign's server" }] }));
      req.resume();
    } else if (r.path.startsWith("/api/")) {
      res.writeHead(200, { ...cors, "content-type": "application/json" });
      res.end("[]");
    } else {
      res.writeHead(404, cors);
      res.end();
    }
  };
  const same = await listen(api("same", "same"), { first });
  const cors = await listen(api("cors", "cors"));
  const bare = await listen(api("bare", "bare"));
  const half = await listen(api("half", "half"));

  const sizes = await listen((req, res) => {
    const r = note("sizes", req);
    const cors = corsHeaders(req);
    if (req.method === "OPTIONS") { res.writeHead(204, cors); res.end(); return; }
    const n = Math.max(2, Number(new URL(req.url, "http://x").searchParams.get("n") || 2));
    const chunked = r.path.startsWith("/chunked");
    const body = Buffer.alloc(n, 0x20); // "[", n - 2 spaces, "]": a valid empty list of n bytes
    body[0] = 0x5b;
    body[n - 1] = 0x5d;
    r.n = n;
    r.written = 0;
    res.writeHead(200, chunked ? { ...cors, "content-type": "application/json" } : { ...cors, "content-type": "application/json", "content-length": String(n) });
    let stopped = false;
    res.on("close", () => { stopped = true; });
    const step = 64 * 1024;
    const push = () => {
      while (!stopped && r.written < n) {
        const part = body.subarray(r.written, Math.min(n, r.written + step));
        r.written += part.length;
        if (!res.write(part)) return res.once("drain", push);
      }
      if (!stopped) res.end();
    };
    push();
  });

  const all = { target, same, cors, bare, half, sizes };
  const urls = Object.fromEntries(Object.entries(all).map(([k, s]) => [k, s.url]));
  return { urls, records, close: () => Promise.all(Object.values(all).map((s) => s.close())) };
}
