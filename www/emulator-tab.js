// "An emulator in this tab": the package's in-process emulator (instaclustr-pg/emulator, loaded
// only when chosen) stands in for the API, so the console works from any static file server with
// nothing else running. Its state (clusters and clock) is kept across reloads in IndexedDB: one
// record, written in one transaction after every request that may change it and after a skip
// ahead. A stored state the emulator refuses (damaged, or from a newer package) is never
// overwritten: the console says so, and only "Start afresh" removes it. When the page can load
// PGlite (index.html's import map names www/vendor/pglite/, a copy of @electric-sql/pglite's dist/),
// the emulator runs with `postgres: "pglite"`: each cluster has a database (the cluster page's SQL
// box), kept in the stored state with the clusters.

const DB = "instaclustr-pg-console";
const STORE = "emulator";
const KEY = "snapshot";
/** Lifecycle speed of the in-tab emulator: a 2-node cluster is RUNNING after about 20 s. */
export const TAB_SPEED = 10;

let emulator = null;
let saving = Promise.resolve();
/** Whether the in-tab emulator has PGlite databases. */
let databases = false;

/** The in-tab emulator's database of cluster `id` (a PGlite), or null when it has none. */
export const tabDatabase = () => (emulator && databases ? (id) => emulator.database(id) : null);

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `fn(store)` in one transaction of mode `mode`; resolves with the request's result once committed. */
async function inStore(mode, fn) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onabort = tx.onerror = () => reject(tx.error ?? req.error);
    });
  } finally {
    db.close();
  }
}

const loadSnapshot = () => inStore("readonly", (s) => s.get(KEY));
const storeSnapshot = (snapshot) => inStore("readwrite", (s) => s.put(snapshot, KEY));

/** Removes the stored state (the "Start afresh" of a refused one). */
export const forgetState = () => inStore("readwrite", (s) => s.delete(KEY));

/** Saves the emulator's state, one save after another (a later one never lands before an earlier). */
function save() {
  const current = emulator;
  saving = saving
    .then(async () => current && storeSnapshot(databases ? await current.snapshotWithDatabases() : current.snapshot()))
    .catch((err) => {
      console.warn("the in-tab emulator state could not be saved", err);
    });
  return saving;
}

/**
 * The in-tab emulator, created on first use from the stored state (if any).
 * @throws {Error} when the stored state is refused; `err.storedStateRefused` is then true
 */
export async function tabEmulator() {
  if (emulator) return emulator;
  const { createEmulator } = await import("./pkg/emulator/index.js");
  const snapshot = await loadSnapshot().catch(() => undefined);
  const options = { speed: TAB_SPEED, ...(snapshot ? { snapshot } : {}) };
  try {
    try {
      emulator = await createEmulator({ ...options, postgres: "pglite" });
      databases = true;
    } catch (err) {
      // no PGlite beside the console: clusters are records
      if (err?.code !== "PGLITE_MISSING") throw err;
      emulator = await createEmulator(options);
    }
  } catch (err) {
    if (!snapshot) throw err;
    const refused = new Error(
      `the emulator state kept in this browser was refused (${err?.message ?? err}); it is left as it was: "Start afresh" removes it`,
    );
    refused.storedStateRefused = true;
    throw refused;
  }
  return emulator;
}

/** A fetch for the client: the emulator's, saving the state after any request but a GET. */
export function tabFetch(em) {
  return async (input, init) => {
    const response = await em.fetch(input, init);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    if (method !== "GET") await save();
    return response;
  };
}

/** Moves the in-tab emulator's clock forward by `ms` and saves. */
export async function skipAhead(ms) {
  if (!emulator) return;
  emulator.advance(ms);
  await save();
}

/** Removes every cluster of the in-tab emulator and puts its clock back (saved). */
export async function resetTab() {
  if (!emulator) return;
  emulator.reset();
  await save();
}
