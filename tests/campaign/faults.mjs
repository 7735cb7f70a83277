// Fault campaign: many randomized, seeded lifecycles through the built package
// (pkg/node.js) against an emulator that injects random faults (429, 5xx, dropped connections
// before and after acting, stalls shorter and longer than the call deadline, slow bodies,
// garbage 200s) on a share of every API request.
//
// A run: create (re-created only after a failure the client reports as known-not-performed, and
// after an outcome-unknown failure only when a look-up by name, as the error's hint says, finds
// nothing), wait until running, then a random selection of get, resize, backup, list backups,
// certificate, restore, and finally delete both clusters and wait until they are gone. Idempotent
// steps are re-run by the "user" (up to 6 times) when a call fails; every failure must carry an
// error code that the injected fault explains, and a failed POST must say `outcomeUnknown` unless
// it provably did nothing.
//
// Counted and asserted: duplicated clusters (more than one cluster with a run's name, checked
// through a fault-free listing after every create/restore, and the emulator's create counters
// against the creates accounted for), phantom clusters (a create reported as failed without
// outcomeUnknown that did create), unhandled rejections, timers left behind, lag to exit, wrong
// error codes, unsafe POST failures.
//   CAMPAIGN=short|long  RUNS=<n>  CONCURRENCY=<n>  SEED=<n>  FAULT_RATE=<0..1>
import { InstaclustrClient } from "../../pkg/node.js";
import {
  CAMPAIGN, activeTimers, clusterBody, pool, prng, startEmulator, stats, trackUnhandled, verifiedClusters,
} from "./lib.mjs";

const short = CAMPAIGN === "short";
const RUNS = Number(process.env.RUNS || (short ? 100 : 1000));
const CONCURRENCY = Number(process.env.CONCURRENCY || (short ? 25 : 50));
const SEED = Number(process.env.SEED || 7);
const FAULT_RATE = Number(process.env.FAULT_RATE || 0.12);
const CALL_TIMEOUT_MS = 2500;
const LONG_STALL_MS = 4000; // longer than a call's deadline: the call times out
const KINDS = ["429", "500", "502", "503", "504", "drop", "drop-after", "stall:200", `stall:${LONG_STALL_MS}`, "slow-body:300", "garbage"];
const USER = "faults";
const KEY = "recognizable-api-key-0xC0FFEE";

const unhandled = trackUnhandled();
const t0 = Date.now();
const emu = await startEmulator([
  "--speed", "2000", "--test-mode", "--account", `${USER}:${KEY}`,
  "--fault-rate", String(FAULT_RATE), "--seed", String(SEED), "--fault-kinds", KINDS.join(","),
]);
const url = emu.url;

const tally = {
  runs: 0, completed: 0, gaveUp: 0, duplicates: 0, phantoms: 0, lost: 0, wrongCodes: 0, unsafePosts: 0,
  createsOk: 0, createsUnknownFound: 0, createsUnknownAbsent: 0, createsKnownFailed: 0, restores: 0,
  updateConflictApplied: 0, errorsByCode: {}, samples: [],
};
const FAULT_STATUSES = new Set([429, 500, 502, 503, 504]);

function sample(kind, detail) {
  if (tally.samples.length < 12) tally.samples.push(`${kind}: ${detail}`);
}

/** Whether an injected fault explains error `e` (any operation). */
function explained(e) {
  switch (e?.code) {
    case "API_ERROR": return FAULT_STATUSES.has(e.status);
    case "NETWORK_ERROR":
    case "TIMEOUT_ERROR":
    case "DECODE_ERROR": return true;
    default: return false;
  }
}

function note(e, step) {
  const k = e?.code === "API_ERROR" ? `API_ERROR:${e.status}` : String(e?.code || "non-error");
  tally.errorsByCode[k] = (tally.errorsByCode[k] || 0) + 1;
  if (!explained(e)) {
    tally.wrongCodes++;
    sample("wrong code", `${step}: ${e?.code} ${e?.status ?? ""} ${e?.message}`);
  }
}

class GaveUp extends Error {}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An idempotent step, re-run by the user after an explained failure. */
async function idem(step, fn, tries = 6) {
  for (let t = 1; ; t++) {
    try {
      return await fn();
    } catch (e) {
      note(e, step);
      if (!explained(e) || t >= tries) throw new GaveUp(`${step}: ${e?.code} ${e?.message}`);
    }
  }
}

/** Clusters named `name`, fault-free. */
async function named(name) {
  return verifiedClusters(url, USER, KEY, name);
}

/**
 * A POST that creates a cluster (create or restore), the way a careful user does it: repeat only
 * when the client says nothing happened, or when the hinted look-up by name finds nothing.
 * Returns the new cluster's id, or null when it could not be created.
 */
async function createOnce(step, name, send, idOf) {
  for (let t = 1; t <= 5; t++) {
    try {
      const r = await send();
      tally[step === "create" ? "createsOk" : "restores"]++;
      const found = await named(name);
      if (found.length !== 1) {
        tally.duplicates += Math.max(0, found.length - 1);
        if (found.length === 0) { tally.lost++; sample("lost", `${step} ${name} succeeded but is not listed`); }
        if (found.length > 1) sample("duplicate", `${step} ${name}: ${found.length} clusters`);
      }
      return idOf(r);
    } catch (e) {
      note(e, step);
      const ambiguous = e?.outcomeUnknown === true;
      const mayHaveActed = ["NETWORK_ERROR", "TIMEOUT_ERROR", "DECODE_ERROR"].includes(e?.code)
        || (e?.code === "API_ERROR" && e.status >= 500);
      if (mayHaveActed && !ambiguous && !(e?.code === "NETWORK_ERROR" && /ECONNREFUSED/.test(e.message))) {
        tally.unsafePosts++;
        sample("unsafe", `${step}: ${e.code} ${e.status ?? ""} without outcomeUnknown`);
      }
      if (ambiguous && !/name:/.test(e.hint || "")) sample("no hint", `${step}: ${e.code}`);
      // A request stalled by the server is still processed after the client gave up: wait it out
      // before looking (what a user should do before acting on the hint).
      if (ambiguous) await sleep(LONG_STALL_MS + 300);
      const found = await named(name);
      if (found.length > 1) {
        tally.duplicates += found.length - 1;
        sample("duplicate", `${step} ${name}: ${found.length} clusters`);
      }
      if (ambiguous) {
        if (found.length >= 1) {
          if (step === "create") tally.createsUnknownFound++; else tally.restores++;
          return found[0].id;
        }
        if (step === "create") tally.createsUnknownAbsent++;
      } else {
        if (found.length >= 1) {
          tally.phantoms++;
          sample("phantom", `${step} ${name} reported ${e?.code} ${e?.status ?? ""} (outcome known) but exists`);
          if (step === "create") tally.createsUnknownFound++; else tally.restores++;
          return found[0].id;
        }
        if (step === "create") tally.createsKnownFailed++;
      }
      if (!explained(e)) return null;
    }
  }
  return null;
}

async function lifecycle(i) {
  const rnd = prng(SEED * 1_000_003 + i);
  const name = `f${SEED}-${i}`;
  const client = new InstaclustrClient({
    baseUrl: url, username: USER, apiKey: KEY, timeoutMs: CALL_TIMEOUT_MS,
    retry: { baseDelayMs: 5, maxDelayMs: 80, maxRetryAfterMs: 1500 },
  });
  const fast = { minDelayMs: 5, maxDelayMs: 40, maxWaitMs: 20_000 };
  tally.runs++;
  const ids = [];
  try {
    const id = await createOnce("create", name, () => client.createCluster(clusterBody(name, rnd)), (c) => c.id);
    if (!id) throw new GaveUp("create");
    ids.push(id);
    await idem("waitRunning", () => client.waitForCluster(id, fast));
    if (rnd.chance(0.6)) await idem("getCluster", () => client.getCluster(id));
    if (rnd.chance(0.4)) await idem("listClusters", () => client.listClusters({ search: `name:${name}` }));
    if (rnd.chance(0.4)) {
      const current = await idem("getCluster", () => client.getCluster(id));
      const dc = { ...current.dataCentres[0], nodeSize: "PGS-DEV-t4g.medium-30" };
      await idem("updateCluster", async () => {
        try {
          return await client.updateCluster(id, { dataCentres: [dc] }, { current });
        } catch (e) {
          // A PUT retried after a dropped answer meets its own resize in progress: 409, which
          // the client flags outcomeUnknown with a hint to check getCluster.
          if (e?.code === "API_ERROR" && e.status === 409) {
            if (e.attempts > 1 && !(e.outcomeUnknown && e.hint)) tally.wrongCodes++;
            const now = await idem("getCluster", () => client.getCluster(id));
            if (now.dataCentres[0].nodeSize === dc.nodeSize) { tally.updateConflictApplied++; return null; }
          }
          throw e;
        }
      });
      await idem("waitRunning", () => client.waitForCluster(id, fast));
    }
    if (rnd.chance(0.5)) await idem("certificate", () => client.downloadCertificate(id));
    if (rnd.chance(0.5)) {
      const since = Date.now() - 1000;
      let triggered = false;
      for (let t = 0; t < 4 && !triggered; t++) {
        try {
          await client.triggerBackup(id);
          triggered = true;
        } catch (e) {
          if (e?.code === "API_ERROR" && e.status === 409) break; // a backup from an ambiguous try is running
          note(e, "triggerBackup");
          if (!explained(e)) throw new GaveUp("triggerBackup");
          if (e.outcomeUnknown) {
            const events = await idem("listBackups", () => client.listBackups(id));
            if (JSON.stringify(events).includes("postgresql-backup")) triggered = true;
          }
        }
      }
      await idem("waitBackup", () => client.waitForBackup(id, { ...fast, since }));
      await idem("listBackups", () => client.listBackups(id));
      if (rnd.chance(0.5)) {
        const rname = `${name}-r`;
        const rid = await createOnce("restore", rname, () => client.restoreCluster({
          clusterId: id, pointInTime: new Date(), restoredClusterName: rname,
        }), (r) => r.restoredClusterId);
        if (rid) {
          ids.push(rid);
          await idem("waitRunning", () => client.waitForCluster(rid, fast));
        }
      }
    }
    for (const cid of ids) {
      // after a delete that failed with an explained error (a timeout, a reset) the server may
      // have deleted the cluster already: the user's re-run then meets a 404, which means done
      let failedOnce = false;
      await idem("deleteCluster", async () => {
        try {
          await client.deleteCluster(cid);
        } catch (e) {
          if (failedOnce && e?.code === "API_ERROR" && e.status === 404) return;
          failedOnce = true;
          throw e;
        }
      });
      await idem("waitDeleted", () => client.waitForCluster(cid, { ...fast, until: "DELETED" }));
    }
    tally.completed++;
  } catch (e) {
    if (!(e instanceof GaveUp)) {
      tally.wrongCodes++;
      sample("unexpected", `${name}: ${e?.code} ${e?.status ?? ""} ${e?.message}`);
    } else {
      tally.gaveUp++;
      if (tally.samples.length < 12 && !/^create$/.test(e.message)) sample("gave up", `${name}: ${e.message}`);
    }
  }
}

await pool(RUNS, CONCURRENCY, lifecycle);
const elapsed = (Date.now() - t0) / 1000;

// Global check: every create the emulator performed is one the campaign accounted for.
const st = await stats(url);
const accounted = tally.createsOk + tally.createsUnknownFound;
const createdByEmulator = st.clustersCreatedByAccount?.[USER] ?? st.clustersCreated;
if (createdByEmulator !== accounted) {
  tally.duplicates += Math.max(0, createdByEmulator - accounted);
  sample("counter", `emulator created ${createdByEmulator}, campaign accounted ${accounted}`);
}
if (st.clustersRestored > tally.restores) {
  tally.duplicates += st.clustersRestored - tally.restores;
  sample("counter", `emulator restored ${st.clustersRestored}, campaign accounted ${tally.restores}`);
}
await emu.stop();

// Nothing of the client may keep the process alive: no timers now, and the process exits soon.
await new Promise((r) => setImmediate(r));
const leakedTimers = activeTimers();
const endAt = Date.now();
process.on("exit", (code) => {
  const lag = Date.now() - endAt;
  const u = unhandled.unhandled + unhandled.uncaught;
  console.log(`faults: ${RUNS} runs (seed ${SEED}, fault rate ${FAULT_RATE}, concurrency ${CONCURRENCY}) in ${elapsed.toFixed(1)} s; `
    + `${st.faultsInjected} faults injected over ${Object.values(st.requestsByOperation).reduce((a, b) => a + b, 0)} requests`);
  console.log(`errors seen by code: ${JSON.stringify(tally.errorsByCode)}`);
  console.log(`creates: ${tally.createsOk} ok, ${tally.createsUnknownFound} outcome-unknown and found, ${tally.createsUnknownAbsent} outcome-unknown and absent, `
    + `${tally.createsKnownFailed} known-failed; restores ${tally.restores}; update 409 already applied ${tally.updateConflictApplied}`);
  for (const s of [...tally.samples, ...unhandled.samples]) console.log(`  ${s}`);
  console.log(`TALLY faults: ${RUNS} runs, ${tally.duplicates} duplicates, ${u} unhandled, ${leakedTimers} leaked timers, `
    + `${tally.phantoms} phantom creates, ${tally.lost} lost, ${tally.wrongCodes} wrong error codes, ${tally.unsafePosts} unsafe POST failures, `
    + `${tally.completed} completed, ${tally.gaveUp} gave up, exit lag ${lag} ms`);
  const bad = tally.duplicates + u + leakedTimers + tally.phantoms + tally.lost + tally.wrongCodes + tally.unsafePosts;
  if (tally.completed < RUNS * 0.5) console.log("FAIL: fewer than half of the runs completed");
  if (lag > 5000) console.log("FAIL: the process took more than 5 s to exit");
  if (bad > 0 || lag > 5000 || tally.completed < RUNS * 0.5) process.exitCode = 1;
  else process.exitCode = code;
});
