// Two packages' parse speed interleaved in one process: per round JSON.parse of each body of
// inputs.parseBodies(), then each package from bytes and from a string; prints the median of the
// rounds' ratios to JSON.parse, and the peer's (bench/build/peer.min.js, made by bench/build-peer)
// where it takes the body. Steadier than two bench/run's on a shared machine (a package's ratio
// moves about +-5 % between runs there); use it for before/after of a parse change.
//   node bench/ab-parse.mjs BEFORE_PKG_DIR AFTER_PKG_DIR
//   ROUNDS=7 (default 5)   ONLY=<regexp of body names>   BIG=1 (the 983 KB listBackups too)
import { pathToFileURL } from "node:url";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { opsPerSecond, median } from "./lib/measure.mjs";
import * as inputs from "./inputs.mjs";

const [dirA, dirB] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: node bench/ab-parse.mjs BEFORE_PKG_DIR AFTER_PKG_DIR");
const load = (d) => import(pathToFileURL(resolve(d, "node.js")).href);
const [a, b] = [await load(dirA), await load(dirB)];
const peerFile = join(dirname(fileURLToPath(import.meta.url)), "build", "peer.min.js");
const peer = existsSync(peerFile) ? await import(pathToFileURL(peerFile).href) : null;
const only = process.env.ONLY ? new RegExp(process.env.ONLY) : null;
const rounds = Number(process.env.ROUNDS || 5);
const o = { samples: 5, warmupMs: 50, sampleMs: 40 };
const f = (x) => `${x.toFixed(2)}x`;

console.log("ours / JSON.parse, median of", rounds, "rounds: A =", dirA, " B =", dirB);
for (const [name, [text, op]] of Object.entries(inputs.parseBodies())) {
  if ((only && !only.test(name)) || (text.length > 100_000 && !process.env.BIG)) continue;
  const bytes = new TextEncoder().encode(text);
  const [pa, pb] = [a[`parse${op}Response`], b[`parse${op}Response`]];
  // the two must build the same value before they are timed against each other
  if (JSON.stringify(pa(200, bytes)) !== JSON.stringify(pb(200, bytes))) throw new Error(`the values differ: ${name}`);
  const r = { ab: [], bb: [], as: [], bs: [], pb: [], ps: [] };
  let pp = peer?.[`parse${op}Response`];
  try {
    pp?.(200, text);
  } catch {
    pp = null; // the peer's schemas refuse some nulls servers send
  }
  for (let round = 0; round < rounds; round += 1) {
    const j = opsPerSecond(() => JSON.parse(text), o).ops;
    r.ab.push(opsPerSecond(() => pa(200, bytes), o).ops / j);
    r.bb.push(opsPerSecond(() => pb(200, bytes), o).ops / j);
    r.as.push(opsPerSecond(() => pa(200, text), o).ops / j);
    r.bs.push(opsPerSecond(() => pb(200, text), o).ops / j);
    if (pp) {
      r.pb.push(opsPerSecond(() => pp(200, bytes), o).ops / j);
      r.ps.push(opsPerSecond(() => pp(200, text), o).ops / j);
    }
  }
  console.log(
    `${name.padEnd(46)} ${String(bytes.length).padStart(7)} B | bytes A ${f(median(r.ab))} B ${f(median(r.bb))}` +
      ` | string A ${f(median(r.as))} B ${f(median(r.bs))}` +
      (pp ? ` | peer bytes ${f(median(r.pb))} string ${f(median(r.ps))}` : " | peer refuses"),
  );
}
