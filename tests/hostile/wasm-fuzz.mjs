// Fuzzing through the JS boundary of the BUILT package (pkg/node.js, release wasm, panic=abort):
// every exported parser (`parse*Response(status, body)`), validator, `parsePointInTime`,
// `diffClusterUpdate` and request builder is called with random and mutated inputs, including
// values JSON cannot hold (undefined, BigInt, symbols, functions, cycles, proxies that throw,
// typed arrays, sparse arrays). Each call must return or throw an `InstaclustrError`; a wasm trap
// (`RuntimeError`, what a Rust panic becomes) or any other throw fails. Seeded (WASM_FUZZ_SEED),
// WASM_FUZZ_ITERS calls (default 3000). Prints `TALLY fuzz-wasm-boundary: <n> execs, 0 panics`.
import * as api from "../../pkg/node.js";
import { goodCluster, positions, withValueAt } from "./cases.mjs";

const ITERS = Number(process.env.WASM_FUZZ_ITERS ?? 3000) || 3000;
const SEED = Number(process.env.WASM_FUZZ_SEED ?? Date.now() % 2 ** 31);
let state = SEED >>> 0;
const rnd = () => { // mulberry32
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n) => Math.floor(rnd() * n);
const pick = (xs) => xs[int(xs.length)];

const STRINGS = ["", "x", "RUNNING", "AWS_VPC", "10.1.0.0/16", "2023-11-05T13:15:30Z", "1699190130000", "16.2.0",
  "c0e5e2ff-affe-444c-bdca-707c7b48aaad", "my-cluster", "\u0000", "\ud800", "é".repeat(50), "x".repeat(5000), "-1", "1e400"];
function odd() {
  const cyc = { name: "x" };
  cyc.self = cyc;
  cyc.dataCentres = [cyc];
  const sparse = [];
  sparse[1000] = 1;
  return pick([undefined, null, 1n, Symbol("s"), () => 1, new Map([["a", 1]]), new Set([1]), new Date(), NaN, Infinity,
    -Infinity, -0, 2 ** 53 + 2, 1e308, cyc, sparse, new Uint8Array(4), new ArrayBuffer(3), Object.create(null),
    new Proxy({}, { get() { throw new Error("trap"); }, ownKeys() { throw new Error("trap"); } }), new Error("e"),
    Promise.resolve(1), /re/]);
}
function leaf() {
  switch (int(6)) {
    case 0: return pick(STRINGS);
    case 1: return rnd() < 0.5 ? int(10) : (rnd() - 0.5) * 10 ** int(20);
    case 2: return rnd() < 0.5;
    case 3: return null;
    case 4: return odd();
    default: return String.fromCharCode(...Array.from({ length: int(12) }, () => int(0x3000)));
  }
}
function tree(depth = 0) {
  if (depth > 4 || rnd() < 0.4) return leaf();
  if (rnd() < 0.5) return Array.from({ length: int(5) }, () => tree(depth + 1));
  const o = {};
  const keys = ["name", "dataCentres", "network", "numberOfNodes", "pointInTime", "clusterId", "cdcConfigs", "id", "status", "x"];
  for (let i = int(6); i > 0; i--) o[pick(keys)] = tree(depth + 1);
  return o;
}
const POS = positions();
function mutatedCluster() {
  let c = goodCluster();
  for (let i = 1 + int(3); i > 0; i--) {
    const p = pick(POS);
    try { c = structuredClone(withValueAt(p, () => (rnd() < 0.5 ? leaf() : tree(2)))); } catch { /* an odd value */ }
  }
  return c;
}
function value() {
  const r = rnd();
  return r < 0.4 ? mutatedCluster() : r < 0.8 ? tree() : odd();
}
function body() {
  const text = JSON.stringify(mutatedCluster()) ?? "";
  switch (int(6)) {
    case 0: return text;
    case 1: return text.slice(0, int(text.length + 1));
    case 2: { const b = new TextEncoder().encode(text); for (let i = int(4); i >= 0; i--) b[int(b.length)] = int(256); return b; }
    case 3: return new Uint8Array(Array.from({ length: int(64) }, () => int(256))).buffer;
    case 4: return JSON.stringify(tree()) ?? "";
    default: return value();
  }
}
const status = () => (rnd() < 0.7 ? pick([200, 201, 202, 204, 400, 404, 500]) : pick([0, -1, 99, 600, 65536, 1e20, NaN, 200.5, "200", null, undefined]));

const parsers = Object.keys(api).filter((k) => /^parse.*Response$/.test(k));
const builders = Object.keys(api).filter((k) => /^build.*Request$/.test(k));
// each entry: [export name, () => its arguments]
const calls = [
  ...parsers.map((f) => [f, () => [status(), body()]]),
  ...builders.map((f) => [f, () => [value(), rnd() < 0.5 ? { username: "u", apiKey: "k" } : value()]]),
  ["validateCreateCluster", () => [value()]],
  ["validateUpdateCluster", () => [value()]],
  ["validateRestoreCluster", () => [value()]],
  ["parsePointInTime", () => [rnd() < 0.5 ? pick(STRINGS) : value()]],
  ["diffClusterUpdate", () => [rnd() < 0.7 ? goodCluster() : value(), value()]],
];
const show = (a) => { try { return JSON.stringify(a, (k, v) => (typeof v === "bigint" ? `${v}n` : v))?.slice(0, 300); } catch { try { return String(a); } catch { return "<an argument that throws when printed>"; } } };

let execs = 0;
const counts = { returned: 0, typed: 0 };
for (let i = 0; i < ITERS; i++) {
  const [name, gen] = pick(calls);
  let args;
  try {
    args = gen();
  } catch {
    i--; // the generator itself choked on an odd value (e.g. a cycle in JSON.stringify): redraw
    continue;
  }
  execs++;
  try {
    api[name](...args);
    counts.returned++;
  } catch (e) {
    if (e instanceof api.InstaclustrError) { counts.typed++; continue; }
    console.log(`FAIL ${name} call ${i} (seed ${SEED}): ${e?.name}: ${e?.message}\nargs: ${show(args)}`);
    console.log(`TALLY fuzz-wasm-boundary: ${execs} execs, 1 failure`);
    process.exit(1);
  }
}
const alive = Array.isArray(api.validateCreateCluster({}));
console.log(`wasm boundary: ${parsers.length} parsers, ${builders.length} builders, 5 validators; ${counts.returned} returned, ${counts.typed} typed errors; module alive: ${alive}`);
console.log(`TALLY fuzz-wasm-boundary: ${execs} execs (seed ${SEED}), 0 panics`);
process.exit(alive ? 0 : 1);
