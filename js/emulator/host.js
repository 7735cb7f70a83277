// The in-process host of the emulator core: the emulator object `createEmulator` returns (its
// `fetch`, virtual clock, snapshots, reset and close) over any object with the core's interface
// (`begin`, `run`, `snapshot`, `restore`, `reset`, `free`; the WebAssembly module's `EmulatorCore`
// in the package). The core decides every answer; this module only does what needs I/O: the
// clock, the waits of stalls and slow bodies, Request and Response objects.

/** Symbols the package's own HTTP server (server.js) uses to reach the raw exchange. */
export const EXCHANGE = Symbol("instaclustr-pg.emulator.exchange");
export const LOG_LINE = Symbol("instaclustr-pg.emulator.logLine");
/** createEmulator's option (server.js): the host serves a static folder where the API has no route. */
export const STATIC_FILES = Symbol("instaclustr-pg.emulator.staticFiles");
/** createEmulator's option (the CLI): `log(object)` receives the PGlite side's log lines. */
export const LOG = Symbol("instaclustr-pg.emulator.log");
/** The emulator's start-up `postgres:` line (the CLI). */
export const DESCRIPTION = Symbol("instaclustr-pg.emulator.description");

/** The key of a snapshot holding the emulator's clock offset (the rest is the core's state). */
const OFFSET_KEY = "clockOffsetMs";
/** The key of a snapshot holding PGlite databases' dumps (`snapshotWithDatabases`). */
const PGLITE_KEY = "pglite";
/** Pieces of a slow body (the core's `After::SlowBody`: about ten over its time). */
const SLOW_PIECES = 10;
/** Statuses whose response has no body (the Fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function closedError() {
  const e = new Error("the emulator is closed (emulator.close() was called)");
  e.code = "EMULATOR_CLOSED";
  return e;
}

/** An AbortSignal's reason, as `fetch` rejects with it. */
function abortReason(signal) {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

/** Methods `fetch` passes as they are (other spellings take the standard path, which normalises or refuses them). */
const PLAIN_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const encoder = new TextEncoder();

/** The URL of a fetch input; a path without an origin (`/cluster-management/...`) is the emulator's. */
function requestUrl(input) {
  if (typeof input === "string" && input.startsWith("/")) return new URL(input, "http://emulator.invalid");
  return new URL(input);
}

/**
 * The request of the common call shape, a URL and a plain init with a string or byte body (what
 * the client sends), read without a `Request` object: building one costs more than the
 * emulator's whole answer in Node. Its method, headers, body and content type are those a
 * `Request` would give; `null` for any other shape, which `standardRequest` reads.
 */
function plainRequest(input, init) {
  if (!(typeof input === "string" || input instanceof URL)) return null;
  if (init != null && (typeof init !== "object" || Object.getPrototypeOf(init) !== Object.prototype)) return null;
  const method = init?.method ?? "GET";
  const raw = init?.body ?? null;
  if (!PLAIN_METHODS.has(method) || (raw !== null && (method === "GET" || method === "HEAD"))) return null;
  let bytes;
  if (raw === null) bytes = new Uint8Array(0);
  else if (typeof raw === "string") bytes = encoder.encode(raw);
  else if (raw instanceof Uint8Array) bytes = raw.slice();
  else return null;
  let url;
  let headers;
  try {
    url = requestUrl(input);
    headers = new Headers(init?.headers);
  } catch {
    return null;
  }
  if (typeof raw === "string" && !headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
  const signal = init?.signal ?? null;
  if (signal !== null && !(signal instanceof AbortSignal)) return null;
  return { method, url, headers, body: null, bytes, signal };
}

/** Any other fetch input, read through a standard `Request`. */
function standardRequest(input, init) {
  let request;
  try {
    request = new Request(input, init);
  } catch (e) {
    if (typeof input === "string" && input.startsWith("/")) request = new Request(requestUrl(input), init);
    else throw e;
  }
  return {
    method: request.method,
    url: new URL(request.url),
    headers: request.headers,
    body: request.body,
    bytes: new Uint8Array(0),
    signal: request.signal,
  };
}

/**
 * The emulator over `core`. `logLine(method, path, exchange, wallMs, nowMs)` is the core's log
 * line; `bodyLimit` the core's (a body is read up to one byte more, as the core wants).
 * `pg`: the PGlite side (pglite.js) of `postgres: "pglite"`, whose queue is drained after every
 * call into the core.
 */
export function createHost(core, { bodyLimit, logLine, pg }) {
  let offset = 0;
  let closed = false;
  // waits in progress (stalls, slow bodies): cancelled by close()
  const waits = new Set();

  const check = () => {
    if (closed) throw closedError();
  };
  const now = () => {
    check();
    return Date.now() + offset;
  };
  const drain = () => pg?.drain();

  /** Waits `ms` of wall time; rejects on abort (with the signal's reason) and on close. */
  const wait = (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const entry = {
        cancel(error) {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          waits.delete(entry);
          reject(error);
        },
      };
      const onAbort = () => entry.cancel(abortReason(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        waits.delete(entry);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
      waits.add(entry);
    });

  /**
   * One exchange through the core: `begin`, then after a stall (waited, abortable: an abort
   * during the stall means the work never runs) `run`. Resolves to the core's Exchange.
   */
  const exchange = async ({ method, path, query, headers, body, signal }) => {
    check();
    const first = core.begin(method, path, query, headers, body, now());
    drain();
    if (first.stallMs === undefined) return first;
    await wait(first.stallMs, signal);
    check();
    const ex = core.run(method, path, query, headers, body, now());
    drain();
    // the log names the stall
    if (first.fault !== undefined) ex.fault = first.fault;
    return ex;
  };

  /** A body that arrives in pieces over `ms` (the slow-body fault). */
  const slowBody = (bytes, ms, signal) => {
    let sent = 0;
    const size = Math.max(1, Math.ceil(bytes.length / SLOW_PIECES));
    const step = Math.max(1, Math.round(ms / SLOW_PIECES));
    return new ReadableStream({
      async pull(controller) {
        try {
          await wait(step, signal);
        } catch (e) {
          controller.error(e);
          return;
        }
        controller.enqueue(bytes.slice(sent, sent + size));
        sent += size;
        if (sent >= bytes.length) controller.close();
      },
    });
  };

  async function emulatorFetch(input, init) {
    check();
    const request = plainRequest(input, init) ?? standardRequest(input, init);
    const { signal } = request;
    if (signal?.aborted) throw abortReason(signal);
    const body = request.body ? await readBody(request.body, bodyLimit + 1, signal) : request.bytes;
    const url = request.url;
    const headers = [];
    for (const [name, value] of request.headers) headers.push(name, value);
    const ex = await exchange({
      method: request.method,
      path: url.pathname,
      query: url.search ? url.search.slice(1) : undefined,
      headers,
      body,
      signal,
    });
    if (signal?.aborted) throw abortReason(signal);
    if (ex.after === "drop") {
      // what fetch does when the server closes the connection without answering
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("the emulator closed the connection without answering (an injected fault)"), {
          code: "UND_ERR_SOCKET",
        }),
      });
    }
    const responseHeaders = new Headers();
    for (let i = 0; i + 1 < ex.headers.length; i += 2) responseHeaders.append(ex.headers[i], ex.headers[i + 1]);
    const noBody = NULL_BODY.has(ex.status) || request.method === "HEAD";
    let responseBody = noBody ? null : ex.body;
    if (!noBody && ex.after === "slow-body") responseBody = slowBody(ex.body, ex.slowMs ?? 0, signal);
    const response = new Response(responseBody, { status: ex.status, headers: responseHeaders });
    // a fetch response names the URL it answers (Response.url is a getter returning "" otherwise)
    Object.defineProperty(response, "url", { value: url.href });
    return response;
  }

  const emulator = {
    fetch: emulatorFetch,
    now,
    advance(ms) {
      check();
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        throw new RangeError(
          `advance(ms): ms must be a finite, non-negative number of milliseconds (got ${typeof ms === "number" ? ms : typeof ms})`,
        );
      }
      offset += ms;
      return now();
    },
    snapshot() {
      check();
      const state = JSON.parse(core.snapshot());
      state[OFFSET_KEY] = offset;
      return state;
    },
    async snapshotWithDatabases() {
      check();
      const dumps = pg ? await pg.dumps() : undefined;
      const state = emulator.snapshot();
      if (dumps) state[PGLITE_KEY] = dumps;
      return state;
    },
    async database(clusterId) {
      check();
      if (!pg) {
        const e = new Error(
          'emulator.database(): this emulator has no databases (createEmulator({ postgres: "pglite" }) has)',
        );
        e.code = "NO_DATABASE";
        throw e;
      }
      return await pg.database(clusterId);
    },
    reset() {
      check();
      core.reset();
      drain();
      pg?.clearBackups();
      offset = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const w of [...waits]) w.cancel(closedError());
      await pg?.close();
      core.free();
    },
    [EXCHANGE]: exchange,
    [DESCRIPTION]: () => (pg ? pg.description() : "postgres: off (--postgres off), clusters are records only"),
    [LOG_LINE]: (method, path, ex, wallMs) => logLine(method, path, ex, wallMs, now()),
  };
  return Object.assign(emulator, {
    /** Replaces the state with a snapshot's (createEmulator's `snapshot` option). */
    restore(snapshot) {
      check();
      const { state, offsetMs, pglite } = splitSnapshot(snapshot);
      // the dumps first: the core's restore queues the clusters' resumption, which reads them
      pg?.load(pglite);
      core.restore(JSON.stringify(state));
      offset = offsetMs;
      drain();
    },
  });
}

/**
 * A snapshot's core state and clock offset. Throws an Error saying what is wrong when it is not a
 * snapshot this host can read (the core checks the state itself).
 */
export function splitSnapshot(snapshot) {
  if (snapshot === null || typeof snapshot !== "object" || Array.isArray(snapshot)) {
    throw new Error(
      `snapshot: expected the object emulator.snapshot() returned, got ${snapshot === null ? "null" : Array.isArray(snapshot) ? "an array" : typeof snapshot}`,
    );
  }
  if (typeof snapshot.version !== "number")
    throw new Error("snapshot: no numeric version (not an emulator snapshot, or damaged)");
  const { [OFFSET_KEY]: offsetMs = 0, [PGLITE_KEY]: pglite, ...state } = snapshot;
  if (typeof offsetMs !== "number" || !Number.isFinite(offsetMs) || offsetMs < 0) {
    throw new Error(`snapshot: ${OFFSET_KEY} must be a finite, non-negative number`);
  }
  return { state, offsetMs, pglite };
}

/** A request body stream's bytes, at most `max` (the core refuses a longer one by its first bytes). */
async function readBody(stream, max, signal) {
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  try {
    while (size < max) {
      if (signal?.aborted) throw abortReason(signal);
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    if (size >= max) reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
  const out = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
    if (at >= out.length) break;
  }
  return out;
}
