// The figures of `postgres: "pglite"` (instaclustr-pg/emulator), printed and written to
// bench/results-emulator-pglite.json:
//   first SQL   create a cluster -> its first SQL answer: in-process (emulator.advance, then
//               emulator.database(id).query), and through `npx instaclustr-pg emulator --postgres
//               pglite --speed 1000` (HTTP create, poll until RUNNING, node-postgres over
//               verify-full TLS, `select 1`); the first cluster of a process (initdb and the
//               template dump) and a later one (from the template)
//   memory      RSS per live database (the growth over the first 3 databases of the process, / 3)
//   dump        dumpDataDir (gzip) of a small database (1000 rows) and a new PGlite from that dump
//   install     the package's install size (node_modules: instaclustr-pg and pg-gateway) with and
//               without @electric-sql/pglite
// Usage: node bench/emulator-pglite.mjs [PROJECT]   PROJECT: a project with the packed package,
// @electric-sql/pglite and pg installed (default test-output/npm-emulator-pglite/project, made by
// tests/npm-emulator-pglite/run).
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = new URL("../", import.meta.url).pathname;
const PROJECT = resolve(process.argv[2] ?? join(ROOT, "test-output/npm-emulator-pglite/project"));
if (!existsSync(join(PROJECT, "node_modules/@electric-sql/pglite"))) {
  console.error(`bench/emulator-pglite: no project with PGlite at ${PROJECT} (run tests/npm-emulator-pglite/run first)`);
  process.exit(2);
}
const mod = (p) => import(pathToFileURL(join(PROJECT, "node_modules", p)).href);
const require = createRequire(join(PROJECT, "package.json"));
const pg = require("pg");
const { InstaclustrClient } = await mod("instaclustr-pg/node.js");
const { createEmulator } = await mod("instaclustr-pg/emulator/index.js");
const { PGlite } = await mod("@electric-sql/pglite/dist/index.js");
const body = (name) => ({ ...JSON.parse(readFileSync(join(ROOT, "tests/fixtures/create-cluster.json"), "utf8")), name });
const ms = (x) => Math.round(x * 10) / 10;
const MB = (b) => Math.round((b / 1048576) * 10) / 10;
const results = {};

// in-process: create -> first SQL answer, and the RSS growth over those 3 live databases (measured
// first: memory a closed PGlite leaves behind is reused by the next one)
{
  const before = process.memoryUsage().rss;
  const emulator = await createEmulator({ postgres: "pglite", maxDatabases: 8 });
  const client = new InstaclustrClient({ username: "demo", apiKey: "demo-api-key", fetch: emulator.fetch, now: emulator.now });
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const { id } = await client.createCluster(body(`bench-${i}`));
    emulator.advance(3_600_000);
    await (await emulator.database(id)).query("select 1");
    times.push(ms(performance.now() - t0));
  }
  results.inProcessFirstSqlMs = { firstOfProcess: times[0], fromTemplate: times.slice(1) };
  results.rssPerLiveDatabaseMB = MB((process.memoryUsage().rss - before) / 3);
  await emulator.close();
  results.rssAfterCloseMB = MB(process.memoryUsage().rss);
}

// dump and restore of a small database
{
  const db = await PGlite.create();
  await db.exec("create table t (n int primary key, label text); insert into t select g, 'row ' || g from generate_series(1, 1000) g");
  let t0 = performance.now();
  const dump = await db.dumpDataDir("gzip");
  const dumpMs = ms(performance.now() - t0);
  t0 = performance.now();
  const copy = await PGlite.create({ loadDataDir: dump });
  const n = (await copy.query("select count(*)::int as n from t")).rows[0].n;
  const restoreMs = ms(performance.now() - t0);
  if (n !== 1000) throw new Error(`restored ${n} rows`);
  results.dump = { rows: 1000, dumpMs, restoreToFirstAnswerMs: restoreMs, dumpBytes: dump.size, dumpMB: MB(dump.size) };
  await Promise.all([db.close(), copy.close()]);
}

// through `npx instaclustr-pg emulator --postgres pglite --speed 1000`
{
  const t0 = performance.now();
  const child = spawn("npx", ["instaclustr-pg", "emulator", "--port", "0", "--speed", "1000", "--postgres", "pglite", "--quiet"], { cwd: PROJECT, stdio: ["ignore", "pipe", "inherit"], detached: true });
  const url = await new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/^listening on (\S+)\n/);
      if (m) ok(m[1]);
    });
    child.on("exit", (c) => fail(new Error(`exited ${c}`)));
  });
  const startMs = ms(performance.now() - t0);
  const client = new InstaclustrClient({ username: "demo", apiKey: "demo-api-key", baseUrl: url });
  const times = [];
  for (let i = 0; i < 2; i++) {
    const t1 = performance.now();
    const { id } = await client.createCluster(body(`npx-${i}`));
    let c;
    while ((c = await client.getCluster(id)).status !== "RUNNING") await new Promise((r) => setTimeout(r, 20));
    const { pem } = await client.downloadCertificate(id);
    const conn = new pg.Client({ host: c.dataCentres[0].nodes[0].publicAddress, port: 5432, user: "icpostgresql", password: c.defaultUserPassword, database: "postgres", ssl: { ca: pem, rejectUnauthorized: true } });
    await conn.connect();
    await conn.query("select 1");
    times.push(ms(performance.now() - t1));
    await conn.end();
  }
  results.npxSpeed1000 = { startToListeningMs: startMs, createToFirstSqlOverTlsMs: { firstOfProcess: times[0], fromTemplate: times[1] } };
  process.kill(-child.pid, "SIGTERM");
}

// install size
{
  const du = (p) => Number(execFileSync("du", ["-sk", join(PROJECT, "node_modules", p)], { encoding: "utf8" }).split("\t")[0]) * 1024;
  const without = du("instaclustr-pg") + du("pg-gateway");
  const pglite = du("@electric-sql/pglite");
  results.installMB = { withoutPglite: MB(without), pglite: MB(pglite), withPglite: MB(without + pglite) };
}

results.machine = { node: process.version, cpus: (await import("node:os")).cpus().length };
console.log(JSON.stringify(results, null, 2));
writeFileSync(join(ROOT, "bench/results-emulator-pglite.json"), JSON.stringify(results, null, 2) + "\n");
