// Short names for what the .wasm and the wasm-bindgen glue call each other (used by
// assemble-package.mjs).
//
// wasm-bindgen names every function the .wasm imports from its glue `__wbg_<name>_<16 hex
// digits>` (or `__wbindgen_<name>_<hex>`): a hash that gzip cannot compress, written twice, once
// in the .wasm's import section and once as a key of the glue's import object. Renaming them
// `a`, `b`, ... in both places (a plain rewrite of the import section; the code refers to
// imports by index, not by name) keeps those hashes out of both (what it saves:
// bench/FINDINGS.md). The exports, which the glue reads as `wasm.<name>` (some of them hashed
// closure names 150 characters long), are renamed likewise. binaryen's --minify-imports only renames `env` imports and
// its -and-modules variant renames the module too, so this is done here by hand.

/** The name of the `n`th import: a, b, ..., Z, aa, ab, ... */
function shortName(n) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / letters.length)) {
    s = letters[(k - 1) % letters.length] + s;
  }
  return s;
}

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/**
 * Renames the imports of `module` in the wasm binary `bytes` and in the glue source `glue`,
 * where each is an object key written `        <name>: function(` exactly once, and every
 * export, which the glue reads as `wasm.<name>`.
 * Returns `{ wasm, glue, imports, exports }` (the counts); throws on anything it does not
 * recognise, so that a change of wasm-bindgen's output cannot ship a package whose glue and
 * .wasm disagree.
 */
export function shortNames(bytes, glue, module) {
  const fail = (m) => {
    throw new Error(`short-imports: ${m}`);
  };
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) fail("not a wasm binary");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const encoder = new TextEncoder();
  let i = 8;
  const read = () => {
    let r = 0;
    let shift = 0;
    let b;
    do {
      if (i >= bytes.length) fail("truncated leb128");
      b = bytes[i++];
      r += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return r;
  };
  const name = () => {
    const len = read();
    const s = decoder.decode(bytes.subarray(i, i + len));
    i += len;
    return s;
  };
  const limits = () => {
    const flags = bytes[i++];
    read();
    if (flags & 1) read();
  };
  const parts = [bytes.subarray(0, 8)];
  const renamed = new Map();
  const exported = new Map();
  const encodeName = (s) => {
    const b = encoder.encode(s);
    return [...uleb(b.length), ...b];
  };
  while (i < bytes.length) {
    const start = i;
    const id = bytes[i++];
    const size = read();
    const end = i + size;
    if (id === 7) {
      const count = read();
      const body = [...uleb(count)];
      for (let n = 0; n < count; n++) {
        const field = name();
        const desc = i;
        i++; // kind
        read(); // index
        const short = shortName(exported.size);
        exported.set(field, short);
        body.push(...encodeName(short), ...bytes.subarray(desc, i));
      }
      if (i !== end) fail("export section length");
      parts.push(Uint8Array.of(7, ...uleb(body.length), ...body));
      continue;
    }
    if (id !== 2) {
      i = end;
      parts.push(bytes.subarray(start, end));
      continue;
    }
    const count = read();
    const body = [...uleb(count)];
    for (let n = 0; n < count; n++) {
      const mod = name();
      let field = name();
      const desc = i;
      const kind = bytes[i++];
      if (kind === 0) read(); // function: type index
      else if (kind === 1) { i++; limits(); } // table: reference type, limits
      else if (kind === 2) limits(); // memory
      else if (kind === 3) i += 2; // global: value type, mutability
      else if (kind === 4) { i++; read(); } // tag: attribute, type index
      else fail(`import kind ${kind}`);
      if (mod === module) {
        if (renamed.has(field)) fail(`import ${field} twice`);
        const short = shortName(renamed.size);
        renamed.set(field, short);
        field = short;
      }
      body.push(...encodeName(mod), ...encodeName(field), ...bytes.subarray(desc, i));
    }
    if (i !== end) fail("import section length");
    parts.push(Uint8Array.of(2, ...uleb(body.length), ...body));
  }
  for (const [long, short] of renamed) {
    const key = new RegExp(`^( +)${long.replace(/\$/g, "\\$")}(: function\\()`, "gm");
    const hits = glue.match(key);
    if (!hits || hits.length !== 1) fail(`glue: import ${long} found ${hits ? hits.length : 0} times`);
    if (glue.split(long).length !== 2) fail(`glue: ${long} used outside the import object`);
    glue = glue.replace(key, `$1${short}$2`);
  }
  // every `wasm.<name>` of the glue is an export of the .wasm
  glue = glue.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, long) => {
    const short = exported.get(long);
    if (short === undefined) fail(`glue: wasm.${long} is not an export of the .wasm`);
    return `wasm.${short}`;
  });
  const total = parts.reduce((n, p) => n + p.length, 0);
  const wasm = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    wasm.set(p, at);
    at += p.length;
  }
  return { wasm, glue, imports: renamed.size, exports: exported.size };
}
