// The commands of `instaclustr-pg`: for each, its arguments, options, help and what it does, on
// the package's public API only (client methods, waiters, validators, request builders).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  buildCreateClusterRequest,
  buildDeleteClusterRequest,
  buildRestoreClusterRequest,
  buildTriggerBackupRequest,
  buildUpdateClusterRequest,
  diffClusterUpdate,
  validateCreateCluster,
  validateRestoreCluster,
  validateUpdateCluster,
} from "instaclustr-pg";

import { applyCommand } from "./apply.js";
import { UsageError, parsePointInTimeArg } from "./args.js";
import { check, readJsonFile } from "./input.js";
import { mapLimit } from "./map-limit.js";
import { resizeBody } from "./plan.js";
import { CONNECT_COMMANDS } from "./connect.js";
import { EMULATOR_OPTIONS, runEmulator } from "./emulator.js";
import { MORE_COMMANDS } from "./settings.js";
import { isClusterId, resolveId } from "./resolve.js";
import { backupTable, clusterLines, dryRunResult, nodesOf } from "./views.js";

const wait = { type: "boolean", help: "wait until the cluster is done (progress on stderr)" };
const timeout = {
  type: "string",
  value: "DURATION",
  help: "longest wait: 90s, 30m, 1h (default 30m; exit 3 when reached)",
};
const poll = { type: "string", value: "DURATION", help: "delay between polls of a wait (default 5s growing to 30s)" };
const dryRun = {
  type: "boolean",
  help: "print the exact request (method, URL, body; the key masked) and send nothing",
};
const yes = { type: "boolean", short: "y", help: "do not ask for confirmation" };
const NIL_ID = "00000000-0000-4000-8000-000000000000";
const waitOpts = { wait, timeout, "poll-interval": poll };
/** `getCluster` calls of `clusters` pending at once. */
const CLUSTER_READS = 4;

/** The output of `versions` and `compatible-versions` (both answer a list of `applicationVersions`). */
function versionsOutput(list) {
  const rows = list.flatMap((a) =>
    a.applicationVersions.map((v) => ({ application: v.application, versions: v.versions.join(", ") })),
  );
  const cols = [
    { key: "application", title: "APPLICATION" },
    { key: "versions", title: "VERSIONS" },
  ];
  return { data: list, table: [rows, cols] };
}

/** Every command, in help order. `run(ctx, args)` returns `{ data, human }` for the output. */
export const COMMANDS = {
  versions: {
    summary: "PostgreSQL (and add-on) versions",
    async run(ctx) {
      return versionsOutput(await ctx.client().listVersions(ctx.call()));
    },
  },
  "node-sizes": {
    summary: "node sizes per cloud provider",
    options: {
      provider: { type: "string", value: "PROVIDER", help: "only this provider (AWS_VPC, GCP, AZURE_AZ, ...)" },
      pgbouncer: { type: "boolean", help: "only sizes usable with PgBouncer" },
    },
    async run(ctx, _args, v) {
      let list = await ctx.client().listCompatibleNodeSizes(v.pgbouncer ? { pgbouncerRequired: true } : {}, ctx.call());
      if (v.provider)
        list = list.map((l) => ({
          ...l,
          cloudProviderNodeSizes: l.cloudProviderNodeSizes.filter((p) => p.cloudProvider === v.provider),
        }));
      const rows = list.flatMap((l) =>
        l.cloudProviderNodeSizes.flatMap((p) =>
          p.nodeSizes.map((nodeSize) => ({ provider: p.cloudProvider, nodeSize })),
        ),
      );
      const cols = [
        { key: "provider", title: "PROVIDER" },
        { key: "nodeSize", title: "NODE SIZE" },
      ];
      return { data: list, table: [rows, cols] };
    },
  },
  "compatible-versions": {
    summary: "add-on versions compatible with a PostgreSQL version",
    args: ["version"],
    async run(ctx, [version]) {
      return versionsOutput(await ctx.client().listCompatibleVersions(version, ctx.call()));
    },
  },
  clusters: {
    summary: "the clusters of the account",
    options: { name: { type: "string", value: "NAME", help: "only the clusters of this name" } },
    async run(ctx, _args, v) {
      const client = ctx.client();
      const list = await client.listClusters(ctx.call(v.name !== undefined ? { search: `name:${v.name}` } : {}));
      const read = await mapLimit(list, CLUSTER_READS, async (s) => {
        let c;
        try {
          c = await client.getCluster(s.id, ctx.call());
        } catch (e) {
          // deleted between the list and the read
          if (e?.status === 404) return null;
          throw e;
        }
        return {
          id: s.id,
          application: s.application,
          name: c.name,
          status: c.status,
          postgresqlVersion: c.postgresqlVersion,
          nodes: nodesOf(c).length,
        };
      });
      const rows = read.filter((r) => r !== null);
      const cols = [
        { key: "id", title: "ID" },
        { key: "name", title: "NAME" },
        { key: "status", title: "STATUS", format: (s) => ctx.out.c.status(s) },
        { key: "postgresqlVersion", title: "VERSION" },
        { key: "nodes", title: "NODES" },
      ];
      return { data: rows, table: [rows, cols] };
    },
  },
  get: {
    summary: "one cluster",
    args: ["id|name"],
    options: {
      "reveal-password": { type: "boolean", help: "show the default user's password (masked otherwise; for scripts)" },
    },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const cl = await ctx.client().getCluster(id, ctx.call());
      const reveal = Boolean(v["reveal-password"]);
      const human = (c) => [
        ...clusterLines(cl, c),
        ...(reveal ? [`password     ${cl.defaultUserPassword ?? ""}`] : []),
      ];
      return { data: cl, human, reveal };
    },
  },
  create: {
    summary: "create a cluster from a JSON file (the API's create body)",
    options: {
      file: { type: "string", short: "f", value: "FILE", required: true, help: "the cluster (PostgresqlCluster JSON)" },
      ...waitOpts,
      "dry-run": dryRun,
    },
    async run(ctx, _args, v) {
      const body = readJsonFile(v.file);
      check(validateCreateCluster(body), "createCluster");
      if (v["dry-run"]) return dryRunResult(ctx, buildCreateClusterRequest(body, ctx.requestOptions()));
      const created = await ctx.client().createCluster(body, ctx.call());
      ctx.out.note(`created ${created.name} (${created.id})`);
      const cl = v.wait ? await ctx.wait("cluster", created.id, `provisioning ${body.name}`) : created;
      return { data: cl, human: (c) => clusterLines(cl, c) };
    },
  },
  resize: {
    summary: "change the node size of a cluster's data centre",
    args: ["id|name"],
    options: {
      "node-size": { type: "string", value: "SIZE", required: true, help: "the new node size (see node-sizes)" },
      "data-centre": { type: "string", value: "NAME", help: "the data centre (default: the only one)" },
      ...waitOpts,
      "dry-run": dryRun,
    },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const current = await ctx.client().getCluster(id, ctx.call());
      const dcs = current.dataCentres;
      const dc =
        v["data-centre"] !== undefined
          ? dcs.find((d) => d.name === v["data-centre"])
          : dcs.length === 1
            ? dcs[0]
            : undefined;
      if (!dc)
        throw new UsageError(
          v["data-centre"] !== undefined
            ? `no data centre ${JSON.stringify(v["data-centre"])} (${dcs.map((d) => d.name).join(", ")})`
            : `the cluster has ${dcs.length} data centres: pass --data-centre (${dcs.map((d) => d.name).join(", ")})`,
        );
      const body = resizeBody(dc, v["node-size"]);
      check([...validateUpdateCluster(body), ...diffClusterUpdate(current, body)], "updateCluster");
      if (v["dry-run"]) return dryRunResult(ctx, buildUpdateClusterRequest(id, body, ctx.requestOptions()));
      await ctx.client().updateCluster(id, body, ctx.call({ current }));
      ctx.out.note(`resizing ${current.name} (${id}) data centre ${dc.name}: ${dc.nodeSize} -> ${v["node-size"]}`);
      const cl = v.wait
        ? await ctx.wait("cluster", id, `resizing ${current.name}`)
        : await ctx.client().getCluster(id, ctx.call());
      return { data: cl, human: (c) => clusterLines(cl, c) };
    },
  },
  delete: {
    summary: "delete a cluster (asks for its name unless --yes)",
    args: ["id|name"],
    options: { yes, ...waitOpts, "dry-run": dryRun },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const current = await ctx.client().getCluster(id, ctx.call());
      if (v["dry-run"]) return dryRunResult(ctx, buildDeleteClusterRequest(id, ctx.requestOptions()));
      if (!v.yes) await ctx.confirm(`Delete cluster ${current.name} (${id})? Type its name to confirm: `, current.name);
      await ctx.client().deleteCluster(id, ctx.call());
      ctx.out.note(`deleting ${current.name} (${id})`);
      if (v.wait) await ctx.wait("cluster", id, `deleting ${current.name}`, { until: "DELETED" });
      const data = { id, name: current.name, deleted: true, waited: Boolean(v.wait) };
      return {
        data,
        human: () => [v.wait ? `deleted ${current.name} (${id})` : `delete of ${current.name} (${id}) requested`],
      };
    },
  },
  backups: {
    summary: "backup events of the last 7 days",
    args: ["id|name"],
    async run(ctx, [ref]) {
      const id = await resolveId(ctx, ref);
      const events = await ctx.client().listBackups(id, ctx.call());
      return { data: events, table: backupTable(events, ctx) };
    },
  },
  backup: {
    summary: "take a manual backup",
    args: ["id|name"],
    options: { ...waitOpts, "dry-run": dryRun },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      if (v["dry-run"]) return dryRunResult(ctx, buildTriggerBackupRequest(id, ctx.requestOptions()));
      const since = Date.now();
      await ctx.client().triggerBackup(id, ctx.call());
      ctx.out.note(`backup of ${id} started`);
      if (!v.wait) return { data: { id, triggered: true }, human: () => [`backup of ${id} started`] };
      const events = await ctx.wait("backup", id, `backing up ${ref}`, { since: since - 1000 });
      return { data: { id, triggered: true, backups: events }, table: backupTable(events, ctx) };
    },
  },
  restore: {
    summary: "restore a cluster to a point in time (a new cluster)",
    args: ["id|name"],
    options: {
      at: { type: "string", value: "TIME", required: true, help: "ISO 8601 date-time, epoch milliseconds, or now" },
      name: { type: "string", value: "NEW", help: "name of the restored cluster" },
      ...waitOpts,
      "dry-run": dryRun,
    },
    async run(ctx, [ref], v) {
      const input = { pointInTime: parsePointInTimeArg(v.at) };
      if (v.name !== undefined) input.restoredClusterName = v.name;
      // the input is checked before anything is sent, even the name lookup (with a stand-in ID)
      check(validateRestoreCluster({ clusterId: isClusterId(ref) ? ref : NIL_ID, ...input }), "restoreCluster");
      const id = await resolveId(ctx, ref);
      const body = { clusterId: id, ...input };
      check(validateRestoreCluster(body), "restoreCluster");
      if (v["dry-run"]) return dryRunResult(ctx, buildRestoreClusterRequest(body, ctx.requestOptions()));
      const restore = await ctx.client().restoreCluster(body, ctx.call());
      const newId = restore.restoredClusterId;
      ctx.out.note(`restoring ${ref} into ${newId}`);
      if (!v.wait) return { data: restore, human: () => [`restore started: ${newId}`] };
      const cl = await ctx.wait("cluster", newId, `restoring ${v.name ?? newId}`);
      return { data: { ...restore, cluster: cl }, human: (c) => clusterLines(cl, c) };
    },
  },
  certificate: {
    summary: "download the cluster CA certificate (PEM, DER, JKS files)",
    args: ["id|name"],
    options: {
      out: {
        type: "string",
        short: "o",
        value: "DIR",
        required: true,
        help: "folder for ca.pem, ca.der, truststore.jks",
      },
    },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const client = ctx.client();
      const cert = await client.downloadCertificate(id, ctx.call());
      const cl = await client.getCluster(id, ctx.call());
      const dir = resolve(v.out);
      mkdirSync(dir, { recursive: true });
      const files = { pem: join(dir, "ca.pem"), der: join(dir, "ca.der") };
      writeFileSync(files.pem, cert.pem);
      writeFileSync(files.der, cert.der);
      if (cert.jks.length) {
        files.jks = join(dir, "truststore.jks");
        writeFileSync(files.jks, cert.jks);
      }
      const node = nodesOf(cl).find((n) => n.publicAddress) ?? nodesOf(cl).find((n) => n.privateAddress);
      const host = node?.publicAddress ?? node?.privateAddress ?? "<host>";
      const psql = `psql "host=${host} port=5432 user=icpostgresql dbname=postgres sslmode=verify-full sslrootcert=${files.pem}"`;
      return {
        data: { id, files, psql },
        human: () => [
          ...Object.entries(files).map(([k, f]) => `wrote ${k.toUpperCase()} ${f}`),
          "",
          "connect with:",
          `  ${psql}`,
        ],
      };
    },
  },
  wait: {
    summary: "wait until a cluster is RUNNING (or DELETED)",
    args: ["id|name"],
    options: {
      until: { type: "string", value: "STATE", help: "RUNNING (default) or DELETED" },
      timeout,
      "poll-interval": poll,
    },
    async run(ctx, [ref], v) {
      const until = v.until ?? "RUNNING";
      if (until !== "RUNNING" && until !== "DELETED")
        throw new UsageError(`--until: must be RUNNING or DELETED, not ${JSON.stringify(until)}`);
      const id = await resolveId(ctx, ref);
      const cl = await ctx.wait("cluster", id, `waiting for ${ref}`, { until });
      const data = cl ?? { id, status: "DELETED" };
      return { data, human: (c) => (cl ? clusterLines(cl, c) : [`${ref} is deleted`]) };
    },
  },
  apply: {
    summary: "create, resize or update a cluster (description, configurations) to match a file; shows the plan first",
    options: {
      file: {
        type: "string",
        short: "f",
        value: "FILE",
        required: true,
        help: 'the desired cluster (PostgresqlCluster JSON; "configurations": { "name": "value" } as well)',
      },
      "no-reload": { type: "boolean", help: "do not reload the nodes after changing configurations" },
      "dry-run": { type: "boolean", help: "print the plan and the exact requests (key masked); change nothing" },
      yes,
      ...waitOpts,
    },
    async run(ctx, _args, v) {
      return applyCommand(ctx, v);
    },
  },
  // configurations, reloads, the password, settings, resizes, maintenance (settings.js)
  ...MORE_COMMANDS,
  // psql on the primary, the connection URL (connect.js)
  ...CONNECT_COMMANDS,
  emulator: {
    summary: "serve the package's emulator of the API on 127.0.0.1 (in-process WebAssembly, no Rust needed)",
    options: EMULATOR_OPTIONS,
    // long-running: prints its own lines and returns nothing to print when stopped
    run: (ctx, _args, v) => runEmulator(v, { stdout: ctx.out.stdout, stderr: ctx.stderr, signal: ctx.signal }),
  },
};
