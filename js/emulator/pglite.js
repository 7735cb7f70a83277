// The databases of `postgres: "pglite"`: each cluster's primary is a PGlite database (the app's own
// `@electric-sql/pglite`, an optional peer dependency), made from a template dump so that it starts
// fast. The core (crates/emulator-wasm/src/pglite.rs) assigns addresses, keeps the limit and
// queues the work; this module drains the queue after each exchange and carries the work out
// asynchronously, per cluster in order, then reports back (a database answers, a backup ended, a
// failure) so that a cluster is RUNNING only once its database answers. In Node, each database
// also listens on its cluster's loopback address, port 5432, through pg-gateway: TLS with a
// certificate signed by the cluster CA, SCRAM-SHA-256 for `icpostgresql` with the cluster's
// current password. PGlite has one connection: one wire session at a time per database (a second
// one waits up to SESSION_WAIT_MS for the first to end, then is refused with 53300).

const PGLITE = "@electric-sql/pglite";
/** The port of every node (Instaclustr's). */
const PORT = 5432;
/** The default user, whose password is the cluster's. */
const USER = "icpostgresql";
/** How long a second wire session waits for the database's current one to end. */
const SESSION_WAIT_MS = 5000;

/** A PGlite database dump made once per realm from a fresh database (the first one made). */
let template;

/** The PGlite class, or an Error naming the package to install. */
export async function loadPGlite() {
  try {
    // a computed specifier: the app's own PGlite, never bundled with this package
    const name = PGLITE;
    const mod = await import(/* webpackIgnore: true */ /* @vite-ignore */ name);
    if (typeof mod.PGlite?.create !== "function") throw new Error("no PGlite class in it");
    return mod.PGlite;
  } catch (e) {
    const err = new Error(
      `postgres: "pglite" needs the package ${PGLITE} (an optional peer dependency of instaclustr-pg): npm install ${PGLITE} (${e?.code ?? e?.message ?? e})`,
      { cause: e },
    );
    err.code = "PGLITE_MISSING";
    throw err;
  }
}

/** A fresh database: the first one by initdb (its dump becomes the template), later ones from the template. */
async function freshDatabase(PGlite) {
  if (template) {
    try {
      return await PGlite.create({ loadDataDir: await template });
    } catch {
      // the template failed to be made: make one again below
    }
  }
  let done;
  template = new Promise((resolve, reject) => (done = { resolve, reject }));
  template.catch(() => {});
  try {
    const db = await PGlite.create();
    done.resolve(await db.dumpDataDir("none"));
    return db;
  } catch (e) {
    template = undefined;
    done.reject(e);
    throw e;
  }
}

/** Bytes as base64 (Node's Buffer where there is one, else btoa by pieces). */
function toBase64(bytes) {
  if (typeof Buffer === "function")
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text) {
  if (typeof Buffer === "function") return new Uint8Array(Buffer.from(text, "base64"));
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function dumpBytes(db) {
  const blob = await db.dumpDataDir("gzip");
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * The PGlite side of an emulator over `core`. `now()` is the emulator's clock; `log(object)` a
 * line of the emulator's log (nothing when absent); `wire`: listen on the clusters' addresses
 * (Node only).
 */
export async function createPgliteBackend(core, { now, log = () => {}, wire }) {
  const PGlite = await loadPGlite();
  const gateway = wire ? await loadGateway() : undefined;
  /** Live clusters by ID: `{ address, db (a promise), chain, server, sockets }`. */
  const clusters = new Map();
  /** Dumps of backups by cluster ID: `[{ startMs, dump (a promise of bytes) }]`. */
  const backups = new Map();
  /** Dumps of a snapshot being restored, by cluster ID (bytes). */
  let restoring = new Map();
  let closed = false;

  const report = (f) => {
    if (closed) return;
    try {
      f();
    } catch {
      // the emulator was closed meanwhile
    }
  };
  const fail = (id, what, e) => {
    const message = `${what}: ${e?.message ?? e}`;
    log({ postgres: "failed", cluster: id, message });
    report(() => core.databaseFailed(id, message));
  };

  /** Runs `work` after the cluster's earlier work (a failure does not stop later work). */
  const then = (c, work) => {
    c.chain = c.chain.then(work).catch(() => {});
    return c.chain;
  };

  const start = (job, source) => {
    const c = {
      address: job.address,
      chain: Promise.resolve(),
      server: undefined,
      sockets: new Set(),
      session: undefined,
    };
    clusters.set(job.clusterId, c);
    c.db = (async () => {
      const bytes = await source();
      // what a snapshot holds until the database answers (none: the template)
      c.sourceBytes = bytes;
      const db = bytes ? await PGlite.create({ loadDataDir: new Blob([bytes]) }) : await freshDatabase(PGlite);
      if (gateway) {
        try {
          await listen(job.clusterId, c, db);
        } catch (e) {
          await db.close().catch(() => {});
          throw e;
        }
      }
      c.ready = true;
      if (closed || !clusters.has(job.clusterId)) return db;
      log({ postgres: "ready", cluster: job.clusterId, address: c.address });
      report(() => core.databaseReady(job.clusterId, now()));
      return db;
    })();
    c.db.catch((e) => fail(job.clusterId, "cannot start its PGlite database", e));
    then(c, () => c.db);
  };

  /** The newest backup of `sourceId` at or before `atMs` (its dump awaited), or undefined. */
  const backupAt = async (sourceId, atMs) => {
    const candidates = (backups.get(sourceId) ?? [])
      .filter((b) => b.startMs <= atMs)
      .sort((a, b) => b.startMs - a.startMs);
    for (const b of candidates) {
      try {
        return { startMs: b.startMs, bytes: await b.dump };
      } catch {
        // a failed backup: the one before it
      }
    }
    return undefined;
  };

  const handle = (job) => {
    const id = job.clusterId;
    switch (job.kind) {
      case "provision":
        start(job, async () => {
          if (job.restoreFrom === undefined) return undefined;
          const b = await backupAt(job.restoreFrom, job.restoreToMs);
          log({
            postgres: "restore",
            cluster: id,
            from: job.restoreFrom,
            pointInTime: new Date(job.restoreToMs).toISOString(),
            backup: b ? new Date(b.startMs).toISOString() : null,
            note: b
              ? "the data of this backup (no replay to the instant)"
              : "no backup of the source at or before the instant: an empty database",
          });
          return b?.bytes;
        });
        break;
      case "resume": {
        const bytes = restoring.get(id);
        start(job, async () => bytes);
        break;
      }
      case "backup": {
        const c = clusters.get(id);
        if (!c) break;
        const entry = { startMs: job.startMs };
        entry.dump = new Promise((resolve, reject) => {
          then(c, async () => {
            try {
              const bytes = await dumpBytes(await c.db);
              resolve(bytes);
              report(() => core.backupEnded(id, job.startMs, now(), true));
              log({
                postgres: "backup",
                cluster: id,
                startedAt: new Date(job.startMs).toISOString(),
                bytes: bytes.length,
              });
            } catch (e) {
              reject(e);
              report(() => core.backupEnded(id, job.startMs, now(), false));
              log({ postgres: "backup failed", cluster: id, message: e?.message ?? String(e) });
            }
          });
        });
        entry.dump.catch(() => {});
        if (!backups.has(id)) backups.set(id, []);
        backups.get(id).push(entry);
        break;
      }
      case "delete": {
        const c = clusters.get(id);
        if (!c) break;
        clusters.delete(id);
        then(c, () => stop(c));
        break;
      }
      default:
        break;
    }
  };

  /** Stops a cluster's listener and closes its database. */
  const stop = async (c) => {
    if (c.server) {
      for (const s of c.sockets) s.destroy();
      await new Promise((done) => c.server.close(() => done()));
    }
    const db = await c.db.catch(() => undefined);
    await db?.close().catch(() => {});
  };

  /** The wire: pg-gateway on the cluster's address, TLS and SCRAM, one session at a time. */
  const listen = async (id, c, db) => {
    const { net, createScramSha256Data, BackendError, fromNodeSocket } = gateway;
    const { certPem, keyPem } = core.serverCertificate(id, c.address, now());
    const tls = { key: Buffer.from(keyPem), cert: Buffer.from(certPem) };
    const version = (await db.query("SHOW server_version")).rows[0]?.server_version ?? "unknown";
    // a wrong user is refused like a wrong password: a secret nobody knows
    const unknown = createScramSha256Data(toBase64(globalThis.crypto.getRandomValues(new Uint8Array(24))));
    const waiting = [];
    const acquire = (socket) =>
      new Promise((resolve, reject) => {
        if (!c.session) {
          c.session = socket;
          return resolve();
        }
        const entry = { socket, resolve };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(entry), 1);
          reject(
            BackendError.create({
              severity: "FATAL",
              code: "53300",
              message: `PGlite serves one session at a time and cluster ${id} already has one: close it first (or use one connection, e.g. a pool of max 1)`,
            }),
          );
        }, SESSION_WAIT_MS);
        entry.resolve = () => {
          clearTimeout(timer);
          c.session = socket;
          resolve();
        };
        waiting.push(entry);
      });
    const release = async (socket) => {
      if (c.session !== socket) {
        const i = waiting.findIndex((w) => w.socket === socket);
        if (i >= 0) waiting.splice(i, 1);
        return;
      }
      // the next session starts outside any transaction the last one left open
      await db.exec("ROLLBACK").catch(() => {});
      c.session = undefined;
      waiting.shift()?.resolve();
    };
    const server = net.createServer((socket) => {
      c.sockets.add(socket);
      socket.on("error", () => {});
      socket.once("close", () => {
        c.sockets.delete(socket);
        release(socket);
      });
      fromNodeSocket(socket, {
        serverVersion: version,
        tls,
        auth: {
          method: "scram-sha-256",
          getScramSha256Data: ({ username }) => {
            const password = username === USER ? core.clusterPassword(id) : undefined;
            return password ? createScramSha256Data(password) : unknown;
          },
        },
        async onStartup() {
          await acquire(socket);
        },
        async onMessage(data, { isAuthenticated }) {
          if (!isAuthenticated) return undefined;
          return await db.execProtocolRaw(data);
        },
      }).catch(() => socket.destroy());
    });
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(PORT, c.address, () => {
        server.off("error", reject);
        resolve();
      });
    });
    c.server = server;
  };

  return {
    description: () => core.description(),
    /** Carries out the work the core queued (call after every call into the core). */
    drain() {
      if (closed) return;
      let jobs;
      try {
        jobs = JSON.parse(core.takeJobs());
      } catch {
        return;
      }
      for (const job of jobs) handle(job);
      restoring = new Map();
    },
    /** The database of cluster `id` once it answers. */
    async database(id) {
      const c = clusters.get(id);
      if (!c) {
        const e = new Error(
          `no PGlite database for cluster ${id} (unknown, deleted, or not made with postgres: "pglite")`,
        );
        e.code = "NO_DATABASE";
        throw e;
      }
      return await c.db;
    },
    /**
     * Each live database's dump and each backup's, base64, for a snapshot. A database still being
     * made is not waited for: the snapshot holds what it is made from (nothing: the template).
     */
    async dumps() {
      const databases = {};
      for (const [id, c] of clusters) {
        if (!c.ready) {
          if (c.sourceBytes) databases[id] = toBase64(c.sourceBytes);
          continue;
        }
        await then(c, async () => {
          databases[id] = toBase64(await dumpBytes(await c.db));
        });
      }
      const saved = {};
      for (const [id, list] of backups) {
        for (const b of list) {
          try {
            (saved[id] ??= {})[b.startMs] = toBase64(await b.dump);
          } catch {
            // a failed backup has no dump
          }
        }
      }
      return { databases, backups: saved };
    },
    /** Takes a snapshot's dumps (`{ databases, backups }`), before the core's restore resumes the clusters. */
    load(data) {
      restoring = new Map();
      backups.clear();
      if (data === undefined) return;
      if (data === null || typeof data !== "object")
        throw new Error("snapshot: pglite: expected { databases, backups }");
      for (const [id, b64] of Object.entries(data.databases ?? {})) {
        if (typeof b64 !== "string") throw new Error(`snapshot: pglite.databases.${id}: expected base64 text`);
        restoring.set(id, fromBase64(b64));
      }
      for (const [id, list] of Object.entries(data.backups ?? {})) {
        backups.set(
          id,
          Object.entries(list ?? {}).map(([startMs, b64]) => ({
            startMs: Number(startMs),
            dump: Promise.resolve(fromBase64(String(b64))),
          })),
        );
      }
    },
    /** Forgets every backup (reset). */
    clearBackups() {
      backups.clear();
    },
    /** Stops every listener and closes every database. */
    async close() {
      closed = true;
      const all = [...clusters.values()];
      clusters.clear();
      await Promise.all(all.map((c) => c.chain.then(() => stop(c)).catch(() => {})));
    },
  };
}

/** pg-gateway and node:net (Node only). */
async function loadGateway() {
  const [net, gw, gwNode] = await Promise.all([import("node:net"), import("pg-gateway"), import("pg-gateway/node")]);
  return {
    net,
    createScramSha256Data: gw.createScramSha256Data,
    BackendError: gw.BackendError,
    fromNodeSocket: gwNode.fromNodeSocket,
  };
}
