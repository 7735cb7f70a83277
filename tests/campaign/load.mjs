// Load campaign: 50 concurrent clients (the built package in Node), spread
// over 5 accounts, doing mixed lifecycles against one emulator (no faults) for a bounded time.
// Asserted: no cluster lost (every cluster a client created and did not delete is still listed;
// every create listed exactly once), none duplicated (emulator create counter = creates made),
// no 5xx, emulator memory bounded (VmRSS sampled from /proc). Reported: requests/second and the
// p50/p99 latency of single HTTP exchanges (onRequest to onResponse).
//   CAMPAIGN=short (20 s) | long (300 s); DURATION_S, CLIENTS override.
import { readFileSync } from "node:fs";
import { InstaclustrClient } from "../../pkg/node.js";
import {
  CAMPAIGN, activeTimers, clusterBody, percentile, pool, rssMb, startEmulator, stats, trackUnhandled, verifiedClusters,
} from "./lib.mjs";

const DURATION_S = Number(process.env.DURATION_S || (CAMPAIGN === "short" ? 20 : 300));
const CLIENTS = Number(process.env.CLIENTS || 50);
const ACCOUNTS = Array.from({ length: 5 }, (_, i) => [`load${i}`, `recognizable-api-key-0xC0FFEE-${i}`]);
const RSS_LIMIT_MB = Number(process.env.RSS_LIMIT_MB || 512);

const unhandled = trackUnhandled();
const emu = await startEmulator(["--speed", "2000", "--test-mode", ...ACCOUNTS.flatMap(([u, k]) => ["--account", `${u}:${k}`])]);
const url = emu.url;

const rss = [];
const first = rssMb(emu.pid);
const sampler = setInterval(() => rss.push(rssMb(emu.pid).rss), 250);

const latencies = [];
const statuses = {};
let requests = 0;
let fiveXX = 0;
let creates = 0;
let restores = 0;
let lifecycles = 0;
let dup = 0;
let lost = 0;
const problems = [];
const live = new Map(); // id -> account, clusters created and not (yet) deleted
const fast = { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 30_000 };
const cpuSeconds = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks of 10 ms
  } catch { return 0; }
};
const t0 = Date.now();
const nodeCpu0 = process.cpuUsage();
const emuCpu0 = cpuSeconds(emu.pid);
const deadline = t0 + DURATION_S * 1000;

async function worker(w) {
  const [user, key] = ACCOUNTS[w % ACCOUNTS.length];
  let sentAt = 0;
  const client = new InstaclustrClient({
    baseUrl: url, username: user, apiKey: key, retry: { baseDelayMs: 10, maxDelayMs: 100 },
    onRequest: () => { sentAt = performance.now(); },
    onResponse: (e) => {
      requests++;
      latencies.push(performance.now() - sentAt);
      const k = e.status ?? e.error;
      statuses[k] = (statuses[k] || 0) + 1;
      if (e.status >= 500 || e.error) fiveXX++;
    },
  });
  for (let n = 0; Date.now() < deadline; n++) {
    const name = `l${w}-${n}`;
    try {
      const c = await client.createCluster(clusterBody(name));
      creates++;
      live.set(c.id, user);
      const listed = await client.listClusters({ search: `name:${name}` });
      if (listed.length !== 1) { dup += Math.max(0, listed.length - 1); lost += listed.length === 0 ? 1 : 0; problems.push(`${name} listed ${listed.length} times`); }
      await client.waitForCluster(c.id, fast);
      await client.getCluster(c.id);
      const ids = [c.id];
      const mix = n % 4;
      if (mix === 0 || mix === 2) {
        const current = await client.getCluster(c.id);
        await client.updateCluster(c.id, { dataCentres: [{ ...current.dataCentres[0], nodeSize: "PGS-DEV-t4g.medium-30" }] }, { current });
        await client.waitForCluster(c.id, fast);
      }
      if (mix === 1 || mix === 2) {
        const since = Date.now() - 1000;
        await client.triggerBackup(c.id);
        await client.waitForBackup(c.id, { ...fast, since });
        await client.listBackups(c.id);
        if (mix === 2) {
          const r = await client.restoreCluster({ clusterId: c.id, pointInTime: new Date(), restoredClusterName: `${name}-r` });
          restores++;
          live.set(r.restoredClusterId, user);
          ids.push(r.restoredClusterId);
          await client.waitForCluster(r.restoredClusterId, fast);
        }
      }
      if (mix === 3) {
        await client.downloadCertificate(c.id);
        await client.listVersions();
        await client.listCompatibleNodeSizes();
      }
      for (const id of ids) {
        await client.deleteCluster(id);
        live.delete(id);
        await client.waitForCluster(id, { ...fast, until: "DELETED" });
      }
      lifecycles++;
    } catch (e) {
      problems.push(`${name}: ${e?.code} ${e?.status ?? ""} ${e?.message}`);
    }
  }
}

await pool(CLIENTS, CLIENTS, worker);
const elapsed = (Date.now() - t0) / 1000;
clearInterval(sampler);
const nodeCpu = process.cpuUsage(nodeCpu0);
const emuCpu = cpuSeconds(emu.pid) - emuCpu0;

// Every cluster created and not deleted must still be there, once.
for (const [user, key] of ACCOUNTS) {
  const listed = new Set((await verifiedClusters(url, user, key)).map((c) => c.id));
  for (const [id, owner] of live) if (owner === user && !listed.has(id)) { lost++; problems.push(`${id} lost`); }
}
const st = await stats(url);
if (st.clustersCreated !== creates) { dup += Math.max(0, st.clustersCreated - creates); problems.push(`emulator created ${st.clustersCreated}, clients ${creates}`); }
if (st.clustersRestored !== restores) { dup += Math.max(0, st.clustersRestored - restores); problems.push(`emulator restored ${st.clustersRestored}, clients ${restores}`); }
const last = rssMb(emu.pid);
await emu.stop();
await new Promise((r) => setImmediate(r));

const rssMax = Math.max(first.rss, ...rss);
const q = rss.length >> 2;
const firstQuarter = Math.max(...rss.slice(0, Math.max(1, q)));
const lastQuarter = Math.max(...rss.slice(-Math.max(1, q)));
const u = unhandled.unhandled + unhandled.uncaught;
const timers = activeTimers();
console.log(`load: ${CLIENTS} clients over ${ACCOUNTS.length} accounts for ${elapsed.toFixed(1)} s: ${lifecycles} lifecycles, ${creates} creates, ${restores} restores, ${requests} requests`);
console.log(`statuses: ${JSON.stringify(statuses)}; latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${percentile(latencies, 100).toFixed(1)} ms`);
console.log(`emulator rss: start ${first.rss.toFixed(1)} MB, max ${rssMax.toFixed(1)} MB (first quarter ${firstQuarter.toFixed(1)}, last quarter ${lastQuarter.toFixed(1)}), high-water ${last.hwm.toFixed(1)} MB, ${rss.length} samples`);
console.log(`cpu: emulator ${emuCpu.toFixed(1)} s (${(100 * emuCpu / elapsed).toFixed(0)}% of one core), node client ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s (${(100 * (nodeCpu.user + nodeCpu.system) / 1e6 / elapsed).toFixed(0)}%)`);
for (const p of problems.slice(0, 10)) console.log(`  ${p}`);
for (const s of unhandled.samples) console.log(`  unhandled: ${s}`);
console.log(`TALLY load: ${CLIENTS} clients ${elapsed.toFixed(0)} s, ${(requests / elapsed).toFixed(0)} req/s, p99 ${percentile(latencies, 99).toFixed(1)} ms, `
  + `${lost} lost, ${dup} dup, ${fiveXX} 5xx/no answer, rss max ${rssMax.toFixed(0)} MB, ${lifecycles} lifecycles, ${problems.length} failed calls, ${u} unhandled, ${timers} leaked timers`);
const bad = lost + dup + fiveXX + problems.length + u + timers + (rssMax > RSS_LIMIT_MB ? 1 : 0) + (lifecycles === 0 ? 1 : 0);
if (rssMax > RSS_LIMIT_MB) console.log(`FAIL: emulator rss ${rssMax.toFixed(0)} MB above ${RSS_LIMIT_MB} MB`);
process.exitCode = bad > 0 ? 1 : 0;
