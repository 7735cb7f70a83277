// The emulator over HTTP with Node's own server (`npx instaclustr-pg emulator`, js/cli/emulator.js):
// each request is read whole (its body up to the core's limit + 1 byte) and answered by the
// in-process emulator; the host adds what needs sockets and files: dropped connections, slow
// bodies, the static folder and the state file.
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, dirname, extname, join, relative, resolve, sep, isAbsolute } from "node:path";

import { EXCHANGE, LOG_LINE } from "./host.js";

/** Content types of the static folder's files (the demo console: html, js, css, svg, json, wasm). */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};
const SLOW_PIECES = 10;

/**
 * Reads a state file written by `saveState`: the snapshot object, or undefined when the file does
 * not exist. Throws an Error naming the file when it is not JSON (the emulator's restore refuses
 * damaged and newer snapshots).
 */
export function readState(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return undefined;
    throw new Error(`--state ${file}: cannot read it (${e.code ?? e.message})`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`--state ${file}: not a snapshot (not JSON: ${e.message}); the file is left as it is`, {
      cause: e,
    });
  }
}

/** Writes the snapshot atomically: a temporary file in the same folder, then a rename over `file`. */
export function saveState(file, snapshot) {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, JSON.stringify(snapshot) + "\n");
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw e;
  }
}

/**
 * Serves `emulator` on 127.0.0.1:`port`. Resolves to `{ url, port, close() }` once listening.
 * `bodyLimit`: the emulator's (bytes of a body read). `stateFile`: saved after every request that changed the state. `staticDir`: served for GET and
 * HEAD where the API has no route. `log(line)`: the request log (nothing when absent).
 * `snapshot()`: what the state file holds (an object or a promise of one; default
 * `emulator.snapshot()`); the server's `save()` writes it now (saves run one after the other).
 */
export function serve(
  emulator,
  {
    port = 8090,
    bodyLimit = 1 << 20,
    staticDir,
    stateFile,
    log,
    onError = () => {},
    snapshot = () => emulator.snapshot(),
  } = {},
) {
  const root = staticDir === undefined ? undefined : realpathSync(staticDir);
  const sockets = new Set();
  const timers = new Set();
  if (stateFile) mkdirSync(dirname(resolve(stateFile)), { recursive: true });
  let saving = Promise.resolve();
  const save = () => {
    const next = saving.then(async () => saveState(stateFile, await snapshot()));
    saving = next.catch(() => {});
    return next;
  };

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    let ex;
    try {
      const { body, whole } = await readBody(req, bodyLimit + 1);
      const headers = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
        headers.push(req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]);
      // the path as sent (percent-encoded, no query)
      const raw = (req.url ?? "/").split("?")[0];
      const query = (req.url ?? "").includes("?") ? req.url.slice(req.url.indexOf("?") + 1) : undefined;
      const controller = new AbortController();
      const abort = () => controller.abort();
      req.socket.once("close", abort);
      try {
        ex = await emulator[EXCHANGE]({
          method: req.method,
          path: raw.startsWith("/") ? raw : path,
          query,
          headers,
          body,
          signal: controller.signal,
        });
      } finally {
        req.socket.off("close", abort);
      }
      // a body longer than the limit was not read to its end: the connection cannot be reused
      if (!whole) res.setHeader("connection", "close");
      if (ex.changed && stateFile) await save();
      if (ex.after === "drop") {
        req.socket.destroy();
      } else if (
        !ex.routed &&
        root &&
        (req.method === "GET" || req.method === "HEAD") &&
        serveStatic(root, path, req, res, corsOf(ex))
      ) {
        ex = { ...ex, status: res.statusCode, fault: undefined };
      } else {
        const out = {};
        for (let i = 0; i + 1 < ex.headers.length; i += 2) {
          const name = ex.headers[i].toLowerCase();
          out[name] = name in out ? [].concat(out[name], ex.headers[i + 1]) : ex.headers[i + 1];
        }
        // a length rather than chunks, when the core gave none (HEAD: the core's headers as they are)
        if (!("content-length" in out) && req.method !== "HEAD" && ex.status !== 204 && ex.status !== 304)
          out["content-length"] = String(ex.body.length);
        res.writeHead(ex.status, out);
        if (req.method === "HEAD") res.end();
        else if (ex.after === "slow-body") sendSlowly(res, ex.body, ex.slowMs ?? 0, timers);
        else res.end(ex.body);
      }
    } catch (e) {
      if (req.socket.destroyed) return;
      onError(e);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ errors: [{ name: "emulator", message: "internal error of the emulator host" }] }) + "\n",
        );
      } else {
        req.socket.destroy();
      }
      ex = { status: 500, headers: [], after: "send", routed: true, changed: false };
    }
    // CORS preflights are not logged (as the native emulator)
    if (log && req.method !== "OPTIONS") {
      try {
        log(emulator[LOG_LINE](req.method, path, ex, Math.round((performance.now() - started) * 10) / 10));
      } catch {
        // the log never stops the server
      }
    }
  });
  server.keepAliveTimeout = 5000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_e, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });

  return new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const bound = server.address().port;
      resolveListen({
        url: `http://127.0.0.1:${bound}`,
        port: bound,
        save: () => (stateFile ? save() : Promise.resolve()),
        close: () =>
          new Promise((done) => {
            for (const t of timers) clearTimeout(t);
            timers.clear();
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

/**
 * The request's body, at most `max` bytes kept; the rest is read and discarded, so that an answer
 * that does not need the whole body (401, 404, 413) never leaves unread bytes on a keep-alive
 * connection. A body far over the limit is not waited for: `whole` is then false (the answer says
 * `Connection: close`).
 */
function readBody(req, max) {
  return new Promise((resolveBody, reject) => {
    const chunks = [];
    let size = 0;
    let settled = false;
    const finish = (whole) => {
      if (settled) return;
      settled = true;
      const all = Buffer.concat(chunks);
      resolveBody({ body: new Uint8Array(all.buffer, all.byteOffset, Math.min(all.length, max)), whole });
    };
    req.on("data", (chunk) => {
      if (size < max) chunks.push(chunk);
      size += chunk.length;
      // past the limit by more than a read's worth: answer now (413), close afterwards
      if (size > max + (1 << 20)) finish(false);
    });
    req.on("end", () => finish(true));
    req.on("error", (e) => {
      if (!settled) {
        settled = true;
        reject(e);
      }
    });
  });
}

/** Writes `body` in pieces over `ms` (the slow-body fault). */
function sendSlowly(res, body, ms, timers) {
  const size = Math.max(1, Math.ceil(body.length / SLOW_PIECES));
  const step = Math.max(1, Math.round(ms / SLOW_PIECES));
  let sent = 0;
  const next = () => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (res.destroyed) return;
      res.write(body.subarray(sent, sent + size));
      sent += size;
      if (sent >= body.length) res.end();
      else next();
    }, step);
    timers.add(t);
  };
  next();
}

/**
 * Serves the file of `root` that `path` names (a folder's index.html); false when there is none.
 * No path leaves the folder: `..`, encoded separators and links pointing outside are refused.
 */
function serveStatic(root, path, req, res, cors) {
  let decoded;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return false;
  let file = resolve(root, "." + decoded);
  if (!inside(root, file)) return false;
  try {
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    file = realpathSync(file);
    if (!inside(root, file) || !statSync(file).isFile()) return false;
  } catch {
    return false;
  }
  const data = readFileSync(file);
  res.writeHead(200, {
    ...cors,
    "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "content-length": data.length,
    "cache-control": "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : data);
  return true;
}

/** The CORS headers of the core's reply (`access-control-*`, `vary`), for a static file's answer. */
function corsOf(ex) {
  const out = {};
  for (let i = 0; i + 1 < ex.headers.length; i += 2) {
    const name = ex.headers[i].toLowerCase();
    if (name.startsWith("access-control-") || name === "vary") out[name] = ex.headers[i + 1];
  }
  return out;
}

function inside(root, file) {
  const rel = relative(root, file);
  return rel === "" || (!rel.startsWith(".." + sep) && rel !== ".." && !isAbsolute(rel));
}
