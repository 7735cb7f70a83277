#!/usr/bin/env node
// Fails when modules of a crate import each other in a circle (CONVENTIONS.md: "inside a
// crate, dependencies run one way: types two modules share live in a module below both").
//
//   node scripts/lib/module-cycles.mjs [CRATE_ROOT.rs ...]
//
// With no argument it checks the library and binary roots of crates/core, crates/emulator-core
// and emulator. It reads each crate's module tree from its root (`mod x;` declarations, inline `mod x { }`), then every
// path a module's own code names: `use` trees and the paths written in its code
// (`crate::a::B`, `super::c::d()`, `child::f()`, `$crate::` in a macro). A path depends on the
// module it names (the deepest module it walks through: `use crate::request::HttpRequest`
// depends on `request` even when `request` only re-exports the name, so a re-export cannot hide
// a circle) and also on the module that defines the item, found by following `use` and
// `pub use` (so a circle between two submodules behind their parents' re-exports is seen too).
// Not dependencies:
// - code compiled only for tests (`#[cfg(test)]`, `#[cfg(all(test, ...))]`): a test module sits
//   above what it tests and may use anything;
// - a module and its own submodules using each other (a parent publishing and using its
//   children, a child using `super::Item`): the parent holds them, as Rust's module tree does.
// Exit status 1, with each circle and the lines that make it, when there is one.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const defaultRoots = [
  "src/lib.rs",
  "crates/core/src/lib.rs",
  "crates/emulator-core/src/lib.rs",
  "emulator/src/lib.rs",
  "emulator/src/main.rs",
];

// --- tokens ---------------------------------------------------------------------------------
// Rust source as identifiers, punctuation and bracket tokens, each with its line; comments,
// strings and character literals are dropped (a path inside one is no dependency).
function tokenize(src) {
  const tokens = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  const push = (type, text) => tokens.push({ type, text, line });
  while (i < n) {
    const c = src[i];
    if (c === "\n") { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      // block comments nest in Rust
      let depth = 0;
      do {
        if (src[i] === "/" && src[i + 1] === "*") { depth++; i += 2; continue; }
        if (src[i] === "*" && src[i + 1] === "/") { depth--; i += 2; continue; }
        if (src[i] === "\n") line++;
        i++;
      } while (i < n && depth > 0);
      continue;
    }
    // raw strings r"..", r#".."#, br#".."#
    const raw = /[bcr]/.test(c) && /^(b|c)?r(#*)"/.exec(src.slice(i, i + 260));
    if (raw) {
      const close = '"' + raw[2];
      let j = src.indexOf(close, i + raw[0].length);
      if (j < 0) j = n;
      for (let k = i; k < j; k++) if (src[k] === "\n") line++;
      i = j + close.length;
      push("lit", "string");
      continue;
    }
    if (c === '"' || ((c === "b" || c === "c") && src[i + 1] === '"')) {
      i += c === '"' ? 1 : 2;
      while (i < n && src[i] !== '"') {
        if (src[i] === "\\") i++;
        if (src[i] === "\n") line++;
        i++;
      }
      i++;
      push("lit", "string");
      continue;
    }
    if (c === "'" || (c === "b" && src[i + 1] === "'")) {
      const start = c === "b" ? i + 1 : i;
      // a character literal ('a', '\n', '\u{1F600}', 'é') or a lifetime ('a, 'static)
      if (src[start + 1] === "\\") {
        let j = start + 2;
        while (j < n && src[j] !== "'") j++;
        i = j + 1;
        push("lit", "char");
        continue;
      }
      const cp = src.codePointAt(start + 1);
      const width = cp > 0xffff ? 2 : 1;
      if (src[start + 1 + width] === "'") {
        i = start + 2 + width;
        push("lit", "char");
        continue;
      }
      if (c === "'") {
        let j = i + 1;
        while (j < n && /[\w]/.test(src[j])) j++;
        push("lifetime", src.slice(i, j));
        i = j;
        continue;
      }
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /\w/.test(src[j])) j++;
      let word = src.slice(i, j);
      // r#ident
      if (word === "r" && src[j] === "#" && /[A-Za-z_]/.test(src[j + 1] ?? "")) {
        let k = j + 1;
        while (k < n && /\w/.test(src[k])) k++;
        word = src.slice(j + 1, k);
        j = k;
      }
      push("ident", word);
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w.]/.test(src[j]) && !(src[j] === "." && src[j + 1] === ".")) j++;
      push("lit", src.slice(i, j));
      i = j;
      continue;
    }
    if (c === ":" && src[i + 1] === ":") { push("punct", "::"); i += 2; continue; }
    if (c === "$" && src.startsWith("$crate", i)) { push("ident", "crate"); i += 6; continue; }
    push("punct", c);
    i++;
  }
  return tokens;
}

const OPEN = { "(": ")", "[": "]", "{": "}" };

// Index just past the bracket group opening at `i`.
function skipGroup(tokens, i) {
  const stack = [];
  do {
    const t = tokens[i].text;
    if (tokens[i].type === "punct" && OPEN[t]) stack.push(OPEN[t]);
    else if (tokens[i].type === "punct" && t === stack[stack.length - 1]) stack.pop();
    i++;
  } while (i < tokens.length && stack.length > 0);
  return i;
}

// Whether a `#[cfg(...)]` predicate (tokens inside the parentheses) holds only under `test`.
function testOnly(pred) {
  if (pred.length === 1 && pred[0].text === "test") return true;
  if (pred[0]?.text === "all" && pred[1]?.text === "(") {
    // all(a, b, ...): test-only when one of its parts is
    let i = 2;
    let part = [];
    const end = skipGroup(pred, 1) - 1;
    for (; i <= end; i++) {
      const t = pred[i];
      if (i === end || (t.text === "," && part.length)) {
        if (testOnly(part)) return true;
        part = [];
        continue;
      }
      if (t.type === "punct" && OPEN[t.text]) {
        const j = skipGroup(pred, i);
        part.push(...pred.slice(i, j));
        i = j - 1;
        continue;
      }
      part.push(t);
    }
  }
  return false;
}

// --- use trees ------------------------------------------------------------------------------
// The leaves of a `use` tree starting at `i` (just past `use`): each a list of path segments,
// the name it binds (null for a glob) and its line. Returns them and the index past the `;`.
function parseUse(tokens, i) {
  const leaves = [];
  function tree(prefix) {
    const segs = [...prefix];
    if (tokens[i].text === "::") i++;
    for (;;) {
      const t = tokens[i];
      const line = t.line;
      if (t.text === "*") { i++; leaves.push({ segs, name: null, line }); return; }
      if (t.text === "{") {
        i++;
        while (tokens[i].text !== "}") {
          tree(segs);
          if (tokens[i].text === ",") i++;
        }
        i++;
        return;
      }
      if (t.type !== "ident") throw new Error(`unexpected ${t.text} in a use tree, line ${t.line}`);
      i++;
      if (tokens[i].text === "::") {
        segs.push(t.text);
        i++;
        continue;
      }
      // `self` in braces names the module the prefix leads to
      const path = t.text === "self" && segs.length ? segs : [...segs, t.text];
      let name = t.text === "self" && segs.length ? segs[segs.length - 1] : t.text;
      if (tokens[i].text === "as") { name = tokens[i + 1].text; i += 2; }
      leaves.push({ segs: path, name, line });
      return;
    }
  }
  tree([]);
  if (tokens[i].text !== ";") throw new Error(`expected ; after a use tree, line ${tokens[i].line}`);
  return { leaves, end: i + 1 };
}

// --- modules --------------------------------------------------------------------------------
// A module: its file, parent, submodules, the items it defines by name, its imports
// ({ segs, name, line }, name null for a glob) and the other paths its code names ({ segs, line }).
function newModule(name, file, parent, childDir) {
  return { name, file, parent, childDir, children: new Map(), defs: new Set(), imports: [], paths: [] };
}

function loadFile(mod) {
  parseItems(mod, tokenize(readFileSync(mod.file, "utf8")), 0, null);
}

const ITEM = new Set(["struct", "enum", "union", "trait", "type", "fn", "const", "static"]);
const QUALIFIER = new Set(["async", "unsafe", "extern", "default", "const", "mut"]);

// The name an item defines (`struct Name`, `pub(crate) const fn name`, `static mut NAME`,
// `macro_rules! name`), if any.
function itemName(tokens, i, end) {
  for (; i < end; i++) {
    const t = tokens[i];
    if (t.text === "macro_rules" && tokens[i + 1]?.text === "!") return tokens[i + 2]?.text;
    if (ITEM.has(t.text)) {
      const k = tokens[i + 1]?.text === "mut" ? i + 2 : i + 1;
      const name = tokens[k];
      if (name?.type === "ident" && !ITEM.has(name.text) && !QUALIFIER.has(name.text)) {
        return name.text;
      }
      continue;
    }
    // `extern "C"`, `async`, `unsafe`
    if (t.type !== "lit" && !QUALIFIER.has(t.text)) return null;
  }
  return null;
}

// The items of `mod` from tokens[i] up to index `close` (its `}`), or the end of the file.
function parseItems(mod, tokens, i, close) {
  const end = close ?? tokens.length;
  while (i < end) {
    let t = tokens[i];
    // attributes: #[...] and #![...]
    let test = false;
    while (i < end && t.text === "#") {
      let j = i + 1;
      if (tokens[j].text === "!") j++;
      const past = skipGroup(tokens, j);
      const attr = tokens.slice(j + 1, past - 1);
      if (attr[0]?.text === "cfg" && testOnly(attr.slice(2, attr.length - 1))) test = true;
      if (attr[0]?.text === "path") throw new Error(`${mod.file}:${t.line}: #[path] is not supported`);
      i = past;
      t = tokens[i];
    }
    if (i >= end) break;
    // visibility
    if (t.text === "pub") {
      i++;
      if (tokens[i].text === "(") i = skipGroup(tokens, i);
      t = tokens[i];
    }
    if (t.text === "mod" && tokens[i + 1].type === "ident") {
      const name = tokens[i + 1].text;
      const after = tokens[i + 2].text;
      if (after === ";") {
        i += 3;
        if (test) continue;
        const file = [join(mod.childDir, `${name}.rs`), join(mod.childDir, name, "mod.rs")]
          .find(existsSync);
        if (!file) throw new Error(`${mod.file}: no file for mod ${name}`);
        const childDir = file.endsWith("mod.rs") ? dirname(file) : join(mod.childDir, name);
        const child = newModule(name, file, mod, childDir);
        mod.children.set(name, child);
        loadFile(child);
        continue;
      }
      if (after === "{") {
        const open = i + 2;
        i = skipGroup(tokens, open);
        if (test) continue;
        // an inline module: same file, its own names
        const child = newModule(name, mod.file, mod, join(mod.childDir, name));
        mod.children.set(name, child);
        parseItems(child, tokens, open + 1, i - 1);
        continue;
      }
    }
    if (t.text === "use") {
      const { leaves, end: past } = parseUse(tokens, i + 1);
      i = past;
      if (!test) mod.imports.push(...leaves);
      continue;
    }
    // any other item: up to a `;` outside brackets or the end of its first `{ }` body
    const start = i;
    while (i < end) {
      const x = tokens[i];
      if (x.type === "punct" && x.text === ";") { i++; break; }
      if (x.type === "punct" && x.text === "{") { i = skipGroup(tokens, i); break; }
      if (x.type === "punct" && OPEN[x.text]) { i = skipGroup(tokens, i); continue; }
      i++;
    }
    if (test) continue;
    const name = itemName(tokens, start, i);
    if (name) mod.defs.add(name);
    scanCode(mod, tokens, start, i);
  }
}

// The paths named by the code in tokens[start..end), `use` items in function bodies included,
// what is compiled only for tests inside them left out.
function scanCode(mod, tokens, start, end) {
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t.text === "#" && tokens[i + 1]?.text === "[") {
      const close = skipGroup(tokens, i + 1);
      const attr = tokens.slice(i + 2, close - 1);
      i = close - 1;
      if (attr[0]?.text === "cfg" && testOnly(attr.slice(2, attr.length - 1))) {
        // the next statement or item
        let j = close;
        while (j < end && tokens[j].text !== ";" && tokens[j].text !== "{") {
          j = tokens[j].type === "punct" && OPEN[tokens[j].text] ? skipGroup(tokens, j) : j + 1;
        }
        i = tokens[j]?.text === "{" ? skipGroup(tokens, j) - 1 : j;
      }
      continue;
    }
    if (t.type !== "ident" || tokens[i - 1]?.text === "::") continue;
    if (t.text === "use" && tokens[i + 1]?.type === "ident") {
      const { leaves, end: past } = parseUse(tokens, i + 1);
      mod.imports.push(...leaves);
      i = past - 1;
      continue;
    }
    const segs = [t.text];
    while (tokens[i + 1]?.text === "::" && tokens[i + 2]?.type === "ident") {
      segs.push(tokens[i + 2].text);
      i += 2;
    }
    if (segs.length > 1) mod.paths.push({ segs, line: t.line });
  }
}

// --- dependencies ---------------------------------------------------------------------------
// Where a path written in `mod` leads: the deepest module it walks through and the rest of it,
// or null for a path outside the crate (std, another crate) or a local name.
function walk(mod, segs, root) {
  let cur;
  let k = 0;
  if (segs[0] === "crate") {
    cur = root;
    k = 1;
  } else if (segs[0] === "self") {
    cur = mod;
    k = 1;
  } else if (segs[0] === "super") {
    cur = mod;
    while (segs[k] === "super") { cur = cur.parent; k++; }
  } else if (mod.children.has(segs[0])) {
    cur = mod;
  } else {
    return null;
  }
  while (k < segs.length && cur.children.has(segs[k])) { cur = cur.children.get(segs[k]); k++; }
  return { module: cur, rest: segs.slice(k) };
}

// The module defining `name` as seen from `mod`: `mod` itself when it defines it (or when the
// item is out of sight, e.g. made by a macro), else where its import leads; null for an item of
// another crate.
function definer(mod, name, root, depth = 0) {
  if (depth > 16 || mod.defs.has(name)) return mod;
  const found = mod.imports.find((imp) => imp.name === name);
  if (found) {
    const to = walk(mod, found.segs, root);
    if (!to) return null;
    return to.rest.length ? definer(to.module, to.rest[0], root, depth + 1) : to.module;
  }
  for (const glob of mod.imports.filter((imp) => imp.name === null)) {
    const to = walk(mod, glob.segs, root);
    if (!to || to.rest.length) continue;
    const m = to.module;
    if (m.defs.has(name) || m.imports.some((imp) => imp.name === name)) {
      return definer(m, name, root, depth + 1);
    }
  }
  return mod;
}

// The modules a path written in `mod` depends on: the one it names and the one defining the item.
function targets(mod, segs, root) {
  const to = walk(mod, segs, root);
  if (!to) return [];
  if (!to.rest.length) return [to.module];
  const def = definer(to.module, to.rest[0], root);
  return def && def !== to.module ? [to.module, def] : [to.module];
}

function allModules(root) {
  const out = [];
  const visit = (m) => { out.push(m); for (const c of m.children.values()) visit(c); };
  visit(root);
  return out;
}

const rel = (f) => relative(repo, f);

// `crate::a::b`
function modPath(m) {
  const names = [];
  for (; m; m = m.parent) names.unshift(m.name);
  return names.join("::");
}

function holds(a, b) {
  for (; b; b = b.parent) if (a === b) return true;
  return false;
}

// Map module -> Map module -> [evidence lines].
function dependencies(root) {
  const edges = new Map();
  const add = (from, to, line, what) => {
    if (holds(from, to) || holds(to, from)) return;
    if (!edges.has(from)) edges.set(from, new Map());
    const out = edges.get(from);
    if (!out.has(to)) out.set(to, []);
    const where = `${rel(from.file)}:${line}: ${what}`;
    if (!out.get(to).includes(where)) out.get(to).push(where);
  };
  for (const mod of allModules(root)) {
    const named = [
      ...mod.paths.map((p) => ({ ...p, what: p.segs.join("::") })),
      ...mod.imports.map((imp) => ({
        ...imp, what: `use ${imp.segs.join("::")}${imp.name === null ? "::*" : ""}`,
      })),
    ];
    for (const { segs, line, what } of named) {
      for (const to of targets(mod, segs, root)) add(mod, to, line, what);
    }
  }
  return edges;
}

// Strongly connected components of more than one module (Tarjan).
function circles(edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc);
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

// The shortest way from the first module of a circle (by name) back to itself, inside it.
function shortestCycle(edges, scc) {
  const inside = new Set(scc);
  const start = [...scc].sort((a, b) => modPath(a).localeCompare(modPath(b)))[0];
  const from = new Map();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = from.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

const shown = (m) => `${modPath(m)} (${rel(m.file)})`;
const roots = process.argv.length > 2
  ? process.argv.slice(2)
  : defaultRoots.map((r) => join(repo, r));
let found = 0;
for (const rootFile of roots) {
  const root = newModule("crate", rootFile, null, dirname(rootFile));
  loadFile(root);
  const edges = dependencies(root);
  for (const scc of circles(edges)) {
    found++;
    const inside = new Set(scc);
    const names = scc.map(modPath).sort();
    console.log(`circle in ${rel(rootFile)}: ${names.join(", ")} use each other`);
    console.log(`  for one: ${shortestCycle(edges, scc).map(modPath).join(" -> ")}`);
    for (const from of scc) {
      for (const [to, why] of edges.get(from)) {
        if (!inside.has(to)) continue;
        console.log(`  ${shown(from)} -> ${shown(to)}`);
        for (const w of why.slice(0, 4)) console.log(`      ${w}`);
        if (why.length > 4) console.log(`      ... and ${why.length - 4} more`);
      }
    }
  }
  console.log(`${rel(rootFile)}: ${allModules(root).length} modules checked`);
}
if (found) {
  console.log(`${found} import circle(s): move what both sides share into a module below both`);
  process.exit(1);
}
console.log("no import circle among the modules");
