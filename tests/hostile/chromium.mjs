// Hostile responses against the built package in headless Chromium (pkg/web.js): the page, the
// package and cases.mjs are served by server.mjs on 127.0.0.1 (one origin), the page runs every
// case and the server-side checks run here. Debian's /usr/bin/chromium through playwright-core
// (tests/e2e/node_modules, installed by tests/e2e/run or scripts/campaign.d/20-hostile). Prints
//   TALLY hostile-chromium: <kinds> kinds (<cases> cases), <ok> ok
import { inChromium } from "../campaign/chromium.mjs";
import { KINDS, cases } from "./cases.mjs";
import { start } from "./server.mjs";

const TOTAL_MS = 180_000;
const server = await start({ statics: true });
let results = [];
let failure = null;
const run = await inChromium(`${server.base}/`, async (page) => {
  await page.waitForFunction(() => window.__hostile?.done === true, null, { timeout: TOTAL_MS, polling: 200 });
  const state = await page.evaluate(() => window.__hostile);
  if (state.error) failure = `the page failed: ${state.error}`;
  results = state.results;
  // the page is still usable afterwards: the module answers a synchronous call
  const alive = await page.evaluate(async () => {
    const api = await import("/pkg/web.js");
    return Array.isArray(api.validateCreateCluster({}));
  });
  if (!alive) failure ??= "the module does not answer after the corpus";
}, { totalMs: TOTAL_MS + 60_000, label: "hostile-chromium" });
await server.close();
// no browser is a failure here, as every other problem of the run
failure ??= run.skipped ?? run.failure;
const pageErrors = run.pageErrors;

const byName = new Map(cases().map((c) => [c.name, c]));
for (const r of results) {
  const c = byName.get(r.name);
  if (r.ok && c?.server) {
    const problem = c.server(server.stats[r.name] ?? { requests: 0, written: 0 });
    if (problem) Object.assign(r, { ok: false, problem: `server side: ${problem}` });
  }
  if (!r.ok) console.log(`FAIL ${r.name} (${r.ms} ms, ${r.outcome}): ${r.problem}`);
}
if (pageErrors.length) console.log(`FAIL uncaught page errors: ${pageErrors.slice(0, 3).join(" | ")}`);
if (failure) console.log(`FAIL ${failure}`);
const kinds = new Map();
for (const r of results) kinds.set(r.kind, (kinds.get(r.kind) ?? true) && r.ok);
const okKinds = [...kinds.values()].filter(Boolean).length;
const outcomes = {};
for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
const big = server.stats["body-50mb-chunked"];
console.log(`hostile-chromium: ${results.length} cases, ${results.filter((r) => r.ok).length} ok; outcomes: ${JSON.stringify(outcomes)}` +
  (big ? `; 50 MB chunked body: server wrote ${(big.written / 1048576).toFixed(1)} MB before the client stopped` : ""));
console.log(`TALLY hostile-chromium: ${kinds.size} kinds (${results.length} cases), ${okKinds} ok`);
const complete = kinds.size === KINDS.length + 1 && results.length === cases().length;
process.exit(okKinds === kinds.size && complete && !failure && !pageErrors.length ? 0 : 1);
