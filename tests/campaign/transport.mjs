// Transport safety campaign in Node, through the built package (pkg/node.js): the cases of
// transport-cases.mjs (plain-http remotes refused, no redirect followed to another origin,
// bounded response sizes, the cross-origin cases as Node sees them: no CORS, no cookies) against
// the servers of servers.mjs, then what those servers saw. TRANSPORT_ROUNDS runs of the
// redirects and sizes (short 1, long 3). transport-chromium.mjs runs the same cases in headless
// Chromium. Prints
//   TALLY transport: <n> checks, <f> failed, <s> skipped, ...
import * as api from "../../pkg/node.js";
import { createClusterBody } from "../fixtures/create-cluster.mjs";
import { CAMPAIGN, activeTimers, trackUnhandled } from "./lib.mjs";
import { transportServers } from "./servers.mjs";
import { bigChunkedWrittenMb, checker, recordSummary, runTransport, serverChecks } from "./transport-cases.mjs";

const rounds = Number(process.env.TRANSPORT_ROUNDS || (CAMPAIGN === "short" ? 1 : 3));
const unhandled = trackUnhandled();
const servers = await transportServers();
let r;
try {
  r = await runTransport(api, {
    urls: servers.urls, browser: false, rounds, fixture: createClusterBody(),
    memoryMb: () => process.memoryUsage().rss / 1048576,
  });
} finally {
  await servers.close();
}
const c = checker();
serverChecks(c, servers.records, r, false);
const failures = [...r.failures, ...c.failures];
const skipped = [...r.skipped, ...c.skipped];

await new Promise((ok) => setImmediate(ok));
const timers = activeTimers();
const u = unhandled.unhandled + unhandled.uncaught;
for (const f of failures) console.log(`FAIL: ${f}`);
for (const s of skipped) console.log(`SKIP: ${s}`);
for (const s of unhandled.samples) console.log(`  unhandled: ${s}`);
for (const l of recordSummary(servers.records)) console.log(`  server ${l}`);
console.log(`a refused 20 MB chunked body: the server wrote ${bigChunkedWrittenMb(servers.records).toFixed(1)} MB at most before the client hung up`);
console.log(`TALLY transport: ${r.checks + c.checks} checks (${rounds} rounds), ${failures.length} failed, ${skipped.length} skipped, ${r.redirects} redirected calls, ${servers.records.target.length} reached the other origin, ${u} unhandled, ${timers} leaked timers`);
process.exitCode = failures.length + u + timers > 0 ? 1 : 0;
