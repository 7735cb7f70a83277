// One HTTP exchange of the package's fetch transport (src/fetch.rs), in plain
// JavaScript: the request goes out, the kept headers and the whole body (up to the size limit)
// come back in one settled promise, so that the wasm awaits one promise per attempt instead of
// one per body chunk and crosses to JavaScript once per header. What is decided here is only how
// the answer arrived; the retries, the deadline and the reading of the answer stay in Rust.
//
// The outcome is handed to `done(id, outcome)` (the wasm's one settling callback,
// src/settle.rs): an array whose first element (ANSWER, ... below) says what happened.
//
// Headers cross the JS/Rust line in one form, "header lines": "name\nvalue\n" per header, one
// string (one crossing, however many headers). No name or value holds a line break: the core
// builds request headers from fixed names, base64 and checked credentials, and fetch's Headers
// never hold one. `headerLines` and `headerRecord` below read and write it here; src/fetch.rs's
// `to_header_lines` and `from_header_lines` on the Rust side.

// The first element of an exchange's outcome array: the same numbers as `Outcome` of
// src/fetch.rs (tests/wasm_client.rs holds the two equal, through OUTCOME).
/** [ANSWER, status, headers, bytes]: `headers` the header lines of the kept names present, empty
 * for a 2xx answer (the client reads none of its headers) */
export const ANSWER = 0;
/** [FETCH_FAILED, error]: fetch threw or rejected (Rust classifies the error) */
export const FETCH_FAILED = 1;
/** [NOT_A_RESPONSE]: fetch resolved to something that is not a Response (of any realm) */
export const NOT_A_RESPONSE = 2;
/** [REDIRECT, status]: status 0 of an opaque redirect, or a 3xx: never followed */
export const REDIRECT = 3;
/** [BAD_STATUS, status]: a status outside 100..=599 */
export const BAD_STATUS = 4;
/** [TOO_LARGE]: the body is larger than `limit` (declared by content-length, or counted) */
export const TOO_LARGE = 5;
/** [NOT_BYTES]: a body chunk that is not a Uint8Array (of any realm) */
export const NOT_BYTES = 6;
/** [READ_FAILED, error]: reading the body failed */
export const READ_FAILED = 7;
/** [NO_FETCH]: no `fetch` given and no global one */
export const NO_FETCH = 8;
/** Every outcome by name, in the order of the numbers (read by the test; bundlers drop it). */
export const OUTCOME = {
  ANSWER,
  FETCH_FAILED,
  NOT_A_RESPONSE,
  REDIRECT,
  BAD_STATUS,
  TOO_LARGE,
  NOT_BYTES,
  READ_FAILED,
  NO_FETCH,
};

/**
 * @param {Function | undefined} custom the user's `fetch`, or undefined for the global one
 * @param {string} url
 * @param {string} method
 * @param {string} headers header lines
 * @param {string | undefined} body
 * @param {number} limit the most body bytes accepted
 * @param {string[]} kept the header names to return, lowercase
 * @param {number} id the id of the wasm future to complete
 * @param {(id: number, outcome: unknown[]) => void} done
 */
export function exchange(custom, url, method, headers, body, limit, kept, id, done) {
  const controller = typeof AbortController === "function" ? new AbortController() : undefined;
  if (controller !== undefined) inFlight.set(id, controller);
  run(custom, url, method, headers, body, controller?.signal, limit, kept).then(
    (outcome) => finish(id, outcome, done),
    (e) => finish(id, [FETCH_FAILED, e], done),
  );
}

/** The controllers of the exchanges in flight, by id. */
const inFlight = new Map();

function finish(id, outcome, done) {
  const controller = inFlight.get(id);
  inFlight.delete(id);
  // an answer left unread (refused, redirected, too large) is abandoned: abort its request
  if (outcome[0] !== ANSWER && controller !== undefined) controller.abort();
  done(id, outcome);
}

/**
 * Aborts exchange `id` if it is still in flight (the wasm dropped its future: deadline, abort or
 * cancelled call); its late outcome is then ignored by the wasm.
 * @param {number} id
 */
export function abortExchange(id) {
  const controller = inFlight.get(id);
  inFlight.delete(id);
  if (controller !== undefined) controller.abort();
}

async function run(custom, url, method, headers, body, signal, limit, kept) {
  // a plain record rather than a Headers: a user fetch reads init.headers.Authorization
  const init = { method, headers: headerRecord(headers), redirect: "manual", credentials: "omit" };
  if (body !== undefined) init.body = body;
  if (signal !== undefined) init.signal = signal;
  let resp;
  try {
    if (custom !== undefined) {
      resp = await custom(url, init);
    } else {
      if (typeof globalThis.fetch !== "function") return [NO_FETCH];
      resp = await globalThis.fetch(url, init);
    }
  } catch (e) {
    return [FETCH_FAILED, e];
  }
  if (!isResponse(resp)) return [NOT_A_RESPONSE];
  const status = resp.status;
  if (resp.type === "opaqueredirect" || (status >= 300 && status < 400)) return [REDIRECT, status];
  if (!(status >= 100 && status <= 599)) return [BAD_STATUS, status];
  // the client reads headers only from a non-2xx answer (core's TransportResponse::headers)
  const got = status < 200 || status >= 300 ? headerLines(resp.headers, kept) : "";
  if (declaredAbove(resp.headers.get("content-length"), limit)) return [TOO_LARGE];
  const stream = resp.body;
  if (stream === null) return [ANSWER, status, got, new Uint8Array(0)];
  const read = await readAll(stream, limit);
  return read[0] === ANSWER ? [ANSWER, status, got, read[1]] : read;
}

/**
 * The request the build*Request functions return: { method, url, headers, body? }.
 * @param {string} method
 * @param {string} url
 * @param {string} headers header lines
 * @param {string | undefined} body
 */
export function request(method, url, headers, body) {
  const o = { method, url, headers: headerRecord(headers) };
  if (body !== undefined) o.body = body;
  return o;
}

/**
 * The header lines of the `names` that `headers` holds.
 * @param {Headers} headers
 * @param {string[]} names lowercase
 */
function headerLines(headers, names) {
  let lines = "";
  for (const name of names) {
    const v = headers.get(name);
    if (v !== null) lines += `${name}\n${v}\n`;
  }
  return lines;
}

/** Header lines as a plain record. */
function headerRecord(lines) {
  const h = {};
  const parts = lines.split("\n");
  for (let i = 0; i + 1 < parts.length; i += 2) h[parts[i]] = parts[i + 1];
  return h;
}

/**
 * Every byte of a stream, up to `limit`: [ANSWER, bytes], or [TOO_LARGE], [NOT_BYTES],
 * [READ_FAILED, error]. Also the
 * reading of the certificate's inflated entries (js/certificate.js).
 * @param {ReadableStream} stream
 * @param {number} limit
 */
export async function readAll(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    let r;
    try {
      r = await reader.read();
    } catch (e) {
      return [READ_FAILED, e];
    }
    if (r.done === true) break;
    const v = r.value;
    if (!isBytes(v)) return [NOT_BYTES];
    if (total + v.length > limit) {
      // settled here, so that no rejection is left unhandled
      reader.cancel().catch(() => {});
      return [TOO_LARGE];
    }
    chunks.push(v);
    total += v.length;
  }
  if (chunks.length === 1) return [ANSWER, chunks[0]];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return [ANSWER, bytes];
}

// The type checks below look at a value's tag, not at `instanceof`: a test environment (Vitest's
// jsdom and happy-dom) puts its own `Uint8Array`, `Response` or `fetch` in place of the realm's,
// while Node's fetch and streams keep giving values of Node's realm. Such a value is used as it
// is (a typed array's bytes are read through its own methods, copied once into the wasm).

/** Whether `v` is a `Response` of this realm or of another one. */
function isResponse(v) {
  try {
    return v instanceof Response || Object.prototype.toString.call(v) === "[object Response]";
  } catch {
    return false;
  }
}

/** Whether `v` is a `Uint8Array` of any realm (a view of the tag `Uint8Array`). */
function isBytes(v) {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === "[object Uint8Array]";
}

/** Whether a content-length value is a decimal integer (as Rust's u64 parse reads it) above `limit`. */
function declaredAbove(value, limit) {
  if (value === null) return false;
  const t = value.trim();
  if (!/^\+?[0-9]+$/.test(t)) return false;
  const n = BigInt(t);
  return n <= 18446744073709551615n && n > BigInt(limit);
}
