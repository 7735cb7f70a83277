// Hostile responses against the built package in Node (pkg/node.js): every case of cases.mjs,
// served by server.mjs on 127.0.0.1. Prints failures, the slowest cases, peak memory and
//   TALLY hostile-node: <kinds> kinds (<cases> cases), <ok> ok
// Exit status 1 when any case fails, a promise rejection is left unhandled or a timer remains.
//   node tests/hostile/node.mjs [name-prefix ...]
import * as api from "../../pkg/node.js";
import { KINDS, cases, runAll } from "./cases.mjs";
import { start } from "./server.mjs";

const unhandled = [];
process.on("unhandledRejection", (e) => unhandled.push(String(e?.stack ?? e)));

const only = process.argv.slice(2);
const server = await start();
const byName = new Map(cases().map((c) => [c.name, c]));
let peakRss = 0;
// HOSTILE_ROUNDS > 1 (the long campaign) repeats the corpus on the same module: memory must settle
const rounds = Math.max(1, Number(process.env.HOSTILE_ROUNDS ?? 1) || 1);
const rssAfter = [];
const liveAfter = [];
let bigWritten = 0;
const results = [];
for (let round = 0; round < rounds; round++) {
results.push(...await runAll(api, server.base, {
  only: only.length ? only : undefined,
  onResult: (r) => {
    const c = byName.get(r.name);
    if (r.ok && c?.server) {
      const problem = c.server(server.stats[r.name] ?? { requests: 0, written: 0 });
      if (problem) Object.assign(r, { ok: false, problem: `server side: ${problem}` });
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (!r.ok) console.log(`FAIL ${r.name} (${r.ms} ms, ${r.outcome}): ${r.problem}`);
  },
}));
  bigWritten = Math.max(bigWritten, server.stats["body-50mb-chunked"]?.written ?? 0);
  for (const k of Object.keys(server.stats)) server.stats[k].written = 0;
  // with --expose-gc (the campaign), collect first and follow V8 heap + external (wasm memory and
  // buffers): RSS alone wobbles with the allocator
  globalThis.gc?.();
  const m = process.memoryUsage();
  rssAfter.push(Math.round(m.rss / 1048576));
  liveAfter.push(Math.round((m.heapUsed + m.external) / 1048576));
}
await server.close();
await new Promise((ok) => setTimeout(ok, 50));

const kinds = new Map();
for (const r of results) kinds.set(r.kind, (kinds.get(r.kind) ?? true) && r.ok);
const okKinds = [...kinds.values()].filter(Boolean).length;
const okCases = results.filter((r) => r.ok).length;
const slow = [...results].sort((a, b) => b.ms - a.ms).slice(0, 3).map((r) => `${r.name} ${r.ms} ms`);
if (rounds > 1) {
  console.log(`after each round (MB): heap+external ${liveAfter.join(", ")}; rss ${rssAfter.join(", ")}`);
  // memory settles: heap + external (wasm memory included) grows by at most 16 MB from the second
  // round to the last (without --expose-gc the figure is noisier: 64 MB)
  const growth = liveAfter[liveAfter.length - 1] - liveAfter[1];
  if (growth > (globalThis.gc ? 16 : 64)) {
    console.log("FAIL memory keeps growing across rounds");
    results.push({ kind: "memory-settles", name: "memory-settles", ok: false });
  }
}
console.log(`hostile-node: ${results.length} cases, ${okCases} ok; outcomes: ${JSON.stringify(count(results.map((r) => r.outcome)))}`);
console.log(`slowest: ${slow.join(", ")}; peak rss ${(peakRss / 1048576).toFixed(0)} MB` +
  (bigWritten ? `; 50 MB chunked body: server wrote at most ${(bigWritten / 1048576).toFixed(1)} MB before the client stopped` : ""));
const timers = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
if (unhandled.length) console.log(`FAIL unhandled rejections: ${unhandled.length}\n${unhandled.slice(0, 3).join("\n")}`);
if (timers) console.log(`FAIL ${timers} timer(s) left behind`);
const expectedKinds = only.length ? kinds.size : KINDS.length + 1 + (kinds.has("memory-settles") ? 1 : 0);
console.log(`TALLY hostile-node: ${kinds.size} kinds (${results.length} cases${rounds > 1 ? `, ${rounds} rounds` : ""}), ${okKinds} ok`);
process.exit(okKinds === kinds.size && kinds.size === expectedKinds && !unhandled.length && !timers ? 0 : 1);

function count(xs) {
  const m = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
}
