// Transport safety campaign in headless Chromium, through the built package (pkg/web.js): the
// cases of transport-cases.mjs run in a page served by the `same` server of servers.mjs (so its
// calls are same-origin; the other servers are other origins, with or without CORS), then what
// the servers saw. Here the browser's fetch decides: a redirect is an `opaqueredirect`, a request
// carrying Authorization across origins is preflighted, an answer without CORS headers is hidden,
// the origin has cookies. TRANSPORT_ROUNDS runs of the redirects and sizes (short 1, long 3).
// Prints
//   TALLY transport-chromium: <n> checks, <f> failed, <s> skipped, ...
import { createClusterBody } from "../fixtures/create-cluster.mjs";
import { inChromium, serveStatic } from "./chromium.mjs";
import { CAMPAIGN } from "./lib.mjs";
import { transportServers } from "./servers.mjs";
import { bigChunkedWrittenMb, checker, recordSummary, serverChecks } from "./transport-cases.mjs";

const rounds = Number(process.env.TRANSPORT_ROUNDS || (CAMPAIGN === "short" ? 1 : 3));
const servers = await transportServers({ first: serveStatic });
const env = { urls: servers.urls, browser: true, rounds, fixture: createClusterBody() };
let run;
try {
  run = await inChromium(`${servers.urls.same}/`, (p) => p.evaluate(async (env) => {
    const api = await import("/pkg/web.js");
    const { runTransport } = await import("/tests/campaign/transport-cases.mjs");
    return runTransport(api, env);
  }, env), { totalMs: 240_000, label: "transport-chromium" });
} finally {
  await servers.close();
}
if (run.skipped) {
  console.log(`TALLY transport-chromium: skipped (${run.skipped})`);
  process.exit(1);
}
const r = run.value ?? { checks: 0, failures: [], skipped: [], redirects: 0, calls: { redirects: {} } };
const c = checker();
if (run.value) serverChecks(c, servers.records, r, true);
const failures = [...r.failures, ...c.failures];
if (run.failure) failures.push(run.failure);
const skipped = [...r.skipped, ...c.skipped];
for (const f of failures) console.log(`FAIL: ${f}`);
for (const s of skipped) console.log(`SKIP: ${s}`);
for (const e of run.pageErrors) console.log(`FAIL page error: ${e.split("\n")[0]}`);
for (const l of recordSummary(servers.records)) console.log(`  server ${l}`);
console.log(`a refused 20 MB chunked body: the server wrote ${bigChunkedWrittenMb(servers.records).toFixed(1)} MB at most before the browser hung up`);
console.log(`TALLY transport-chromium: ${r.checks + c.checks} checks (${rounds} rounds), ${failures.length} failed, ${skipped.length} skipped, ${r.redirects} redirected calls, ${servers.records.target.length} reached the other origin, ${run.pageErrors.length} page errors`);
process.exit(failures.length + run.pageErrors.length > 0 || !run.value ? 1 : 0);
