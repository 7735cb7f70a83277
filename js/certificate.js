// The certificate zip of `downloadCertificate` read in JavaScript: its entries listed from the
// central directory within fixed bounds, the deflated ones inflated by the platform's
// `DecompressionStream`, every entry checked against its declared size and CRC-32, then the PEM,
// DER and Java keystore taken from them. The wasm hands over the downloaded bytes and gets back
// `{ zip, pem, der, jks }` or the message of a `DecodeError` (src/client/certificate.rs).
//
// Why here: the package's .wasm holds no zip reader; this costs about 1.5 KB of minified
// JavaScript against about 6.4 KB of gzip'd .wasm for a reader in Rust (bench/FINDINGS.md). The
// native client reads the zip with the `zip` crate (crates/core/src/certificate); this file keeps
// its bounds and its verdicts (which fields of the end record count, which faults refuse a zip,
// and the messages of the refusals both phrase alike), with the wasm's 32-bit sizes;
// tests/wasm_client.rs holds the two to the same answers over corrupted and hostile zips.
//
// `"deflate-raw"` came to Node in 21.2 / 20.12 and to Chrome in 103. Where the platform lacks it
// (Node 18), the stream is wrapped in a gzip member, which every platform with
// `DecompressionStream` reads; the gzip reader also checks the trailer made of the declared
// CRC-32 and size, so there a deflated entry whose declared CRC-32 or size is wrong is refused as
// "does not inflate within its declared size" rather than with the native reader's size or
// CRC-32 message. Browsers also refuse bytes left after the end of the deflate stream (within
// the entry's compressed size), which Node and the native reader ignore.

import { ANSWER, readAll } from "./transport.js";

/** Largest number of entries read (crates/core/src/certificate MAX_ENTRIES). */
const MAX_ENTRIES = 64;
/** Largest total uncompressed size of the entries, 1 MiB (MAX_UNCOMPRESSED). */
const MAX_UNCOMPRESSED = 1024 * 1024;
/** The largest `usize` of the wasm: a sum above it overflowed there. */
const USIZE_MAX = 0xffffffff;

/** A refusal of the zip: the message of the `DecodeError`. */
class Refused {
  constructor(message) {
    this.message = `certificate zip: ${message}`;
  }
}

/**
 * Reads `zip` and settles the wasm future `id` through `done` with `{ zip, pem, der, jks }`, or
 * with the message (a string) of the `DecodeError`.
 * @param {Uint8Array} zip
 * @param {number} id
 * @param {(id: number, value: unknown) => void} done
 */
export function extractCertificate(zip, id, done) {
  extract(zip).then(
    (c) => done(id, c),
    (e) => done(id, e instanceof Refused ? e.message : `certificate zip: ${e}`),
  );
}

async function extract(zip) {
  const entries = await readZip(zip);
  const find = (exts) => entries.find((e) => exts.includes(extension(e.name)));
  const pemEntry = find(["pem", "crt"]);
  if (pemEntry === undefined) throw new Refused("no .pem entry");
  let pem;
  try {
    pem = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(pemEntry.data);
  } catch {
    throw new Refused("the .pem entry is not utf-8 text");
  }
  const derFromPem = firstPemBlock(pem);
  if (derFromPem === null) throw new Refused("the .pem entry holds no certificate");
  const der = find(["der", "cer"])?.data ?? derFromPem;
  const jks = find(["jks"])?.data ?? new Uint8Array(0);
  return { zip, pem, der, jks };
}

/** What follows the last dot of a name, ASCII letters lowercased ("" without a dot). */
function extension(name) {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The bytes of the first CERTIFICATE block of a PEM text, or null. */
function firstPemBlock(pem) {
  const BEGIN = "-----BEGIN CERTIFICATE-----";
  const begin = pem.indexOf(BEGIN);
  if (begin < 0) return null;
  const start = begin + BEGIN.length;
  const end = pem.indexOf("-----END CERTIFICATE-----", start);
  if (end < 0) return null;
  const der = base64(pem.slice(start, end).replace(/[ \t\n\f\r]/g, ""));
  return der !== null && der.length > 0 ? der : null;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with canonical padding and no stray bits (as the core's decoding), or null. */
function base64(text) {
  const m = /^[A-Za-z0-9+/]*(={0,2})$/.exec(text);
  if (m === null || text.length % 4 !== 0) return null;
  const pad = m[1].length;
  if (pad > 0) {
    const last = ALPHABET.indexOf(text[text.length - pad - 1]);
    if ((last & (pad === 2 ? 15 : 3)) !== 0) return null;
  }
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** A name as Rust's `{:?}` prints it (the core reader's messages quote names so). */
function quoted(name) {
  let out = '"';
  for (const c of name) {
    const escaped = { "\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", '"': '\\"', "\\": "\\\\" }[c];
    if (escaped !== undefined) out += escaped;
    else if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Grapheme_Extend}]|[^\P{Zs} ]/u.test(c)) {
      out += `\\u{${c.codePointAt(0).toString(16)}}`;
    } else out += c;
  }
  return `${out}"`;
}

/** The entries of a zip ({ name, data }), directories skipped. */
async function readZip(bytes) {
  const { entries, fault } = list(bytes);
  const out = [];
  for (const e of entries) {
    const data = e.stored ? e.data.slice() : await inflate(e.data, e.size, e.crc);
    if (data === null) throw new Refused(`entry ${quoted(e.name)} does not inflate within its declared size`);
    if (data.length !== e.size) throw new Refused(`entry ${quoted(e.name)} is not of its declared size`);
    if (crc32(data) !== e.crc) throw new Refused(`entry ${quoted(e.name)} fails its crc-32 check`);
    out.push({ name: e.name, data });
  }
  if (fault !== null) throw fault;
  return out;
}

/**
 * Walks the central directory: the listed file entries up to the first fault, and that fault
 * (reported after the listed entries are read, as one pass would). A fault of the end record is
 * thrown at once.
 */
function list(b) {
  const n = b.length;
  const u16 = (at) => (at + 2 <= n ? b[at] | (b[at + 1] << 8) : undefined);
  const u32 = (at) =>
    at + 4 <= n ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0 : undefined;
  if (n < 22) throw new Refused("too short to be a zip");
  // the end record: 22 bytes and a comment of at most 65535, found from the end
  const lowest = Math.max(0, n - 22 - 65535);
  let eocd = -1;
  for (let i = n - 22; i >= lowest; i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Refused("no end of central directory record");
  // the entries of this disk and the directory's offset, as the native reader (the zip crate)
  // takes them; the total count and the directory's size are not read, as there
  const count = u16(eocd + 8);
  const cdSize = u32(eocd + 12);
  const cdOffset = u32(eocd + 16);
  if (count === undefined || cdSize === undefined || cdOffset === undefined) throw new Refused("truncated end record");
  if ((u16(eocd + 4) ?? 1) !== 0 || (u16(eocd + 6) ?? 1) !== 0) throw new Refused("multi-disk zips are not supported");
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new Refused("zip64 is not supported");
  if (count > MAX_ENTRIES) throw new Refused(`${count} entries, at most ${MAX_ENTRIES} allowed`);
  if (eocd + 22 + (u16(eocd + 20) ?? 0) > n) throw new Refused("the end record's comment runs past the file");

  const entries = [];
  let total = 0;
  let at = cdOffset;
  const fault = (() => {
    for (let k = 0; k < count; k++) {
      if (u32(at) !== 0x02014b50 || at + 46 > n) return new Refused("bad central directory entry");
      const flags = u16(at + 8);
      const method = u16(at + 10);
      const crc = u32(at + 16);
      const csize = u32(at + 20);
      const size = u32(at + 24);
      const nameLen = u16(at + 28);
      const extraLen = u16(at + 30);
      const commentLen = u16(at + 32);
      const local = u32(at + 42);
      if (local === undefined) return new Refused("truncated central directory");
      if (at + 46 + nameLen > n) return new Refused("truncated entry name");
      const name = new TextDecoder("utf-8", { ignoreBOM: true }).decode(b.subarray(at + 46, at + 46 + nameLen));
      at = at + 46 + nameLen + extraLen + commentLen;
      if (at > n) return new Refused("central directory entry overruns the file");
      if (name.endsWith("/")) continue;
      if ((flags & 1) !== 0) return new Refused(`entry ${quoted(name)} is encrypted`);
      if (csize === 0xffffffff || size === 0xffffffff) return new Refused("zip64 is not supported");
      total += size;
      if (total > USIZE_MAX) return new Refused("sizes overflow");
      if (total > MAX_UNCOMPRESSED) return new Refused(`uncompressed size exceeds ${MAX_UNCOMPRESSED} bytes`);
      // the local header repeats name and extra, with lengths of its own
      if (u32(local) !== 0x04034b50) return new Refused(`entry ${quoted(name)} has no local header`);
      const lname = u16(local + 26);
      const lextra = u16(local + 28);
      if (lname === undefined || lextra === undefined) return new Refused("truncated local header");
      const start = local + 30 + lname + lextra;
      if (start + csize > USIZE_MAX || start + csize > n)
        return new Refused(`entry ${quoted(name)} lies outside the file`);
      if (method === 0 && csize !== size) return new Refused(`stored entry ${quoted(name)} has mismatched sizes`);
      if (method !== 0 && method !== 8) {
        return new Refused(
          `entry ${quoted(name)} uses compression method ${method}, only stored and deflate are supported`,
        );
      }
      entries.push({ name, crc, size, stored: method === 0, data: b.subarray(start, start + csize) });
    }
    return null;
  })();
  return { entries, fault };
}

/** The inflated bytes of a raw deflate stream, or null when it fails or gives more than `size`. */
async function inflate(data, size, crc) {
  let stream;
  let input = data;
  try {
    stream = new DecompressionStream("deflate-raw");
  } catch {
    try {
      stream = new DecompressionStream("gzip");
      input = gzipMember(data, crc, size);
    } catch {
      return null;
    }
  }
  try {
    const outcome = await readAll(new Response(input).body.pipeThrough(stream), size);
    return outcome[0] === ANSWER ? outcome[1] : null;
  } catch {
    return null;
  }
}

/** The gzip member (RFC 1952) holding a raw deflate stream: header, stream, CRC-32, size. */
function gzipMember(deflate, crc, size) {
  const out = new Uint8Array(deflate.length + 18);
  // magic, method deflate, no flags, no mtime, no extra flags, OS unknown
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  out.set(deflate, 10);
  const trailer = new DataView(out.buffer, 10 + deflate.length);
  trailer.setUint32(0, crc, true);
  trailer.setUint32(4, size >>> 0, true);
  return out;
}

/** CRC-32 (IEEE, reflected), bit by bit: a certificate is a few KB. */
function crc32(data) {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
