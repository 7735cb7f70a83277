// Two packages' validation speed interleaved in one process (the validation reader of
// crates/core/src/validate/text.rs and the checks over its view): per round each package's
// validateCreateCluster on the benchmark's create body, valid and with violations in every data
// centre, and buildCreateClusterRequest; prints the median of the rounds' ratios B / A.
//   node bench/ab-validate.mjs BEFORE_PKG_DIR AFTER_PKG_DIR      ROUNDS=7 (default 5)
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { opsPerSecond, median } from "./lib/measure.mjs";
import * as inputs from "./inputs.mjs";

const [dirA, dirB] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error("usage: node bench/ab-validate.mjs BEFORE_PKG_DIR AFTER_PKG_DIR");
const load = (d) => import(pathToFileURL(resolve(d, "node.js")).href);
const [a, b] = [await load(dirA), await load(dirB)];
const rounds = Number(process.env.ROUNDS || 5);
const o = { samples: 5, warmupMs: 50, sampleMs: 40 };

const valid = inputs.createBody();
const invalid = structuredClone(valid);
for (const dc of invalid.dataCentres) Object.assign(dc, { network: "10.0.0.0/33", numberOfNodes: -1 });
const cases = {
  "validateCreateCluster, valid": (p) => p.validateCreateCluster(valid),
  "validateCreateCluster, violations": (p) => p.validateCreateCluster(invalid),
  buildCreateClusterRequest: (p) => p.buildCreateClusterRequest(valid, { baseUrl: "http://127.0.0.1:1" }),
};
console.log("B / A (ops per second), median of", rounds, "rounds: A =", dirA, " B =", dirB);
for (const [name, run] of Object.entries(cases)) {
  // the two must give the same answer before they are timed against each other
  if (JSON.stringify(run(a)) !== JSON.stringify(run(b))) throw new Error(`the answers differ: ${name}`);
  const ratios = [];
  for (let round = 0; round < rounds; round += 1) {
    const [ra, rb] = [opsPerSecond(() => run(a), o).ops, opsPerSecond(() => run(b), o).ops];
    ratios.push(rb / ra);
  }
  console.log(`${name.padEnd(40)} ${median(ratios).toFixed(2)}x`);
}
