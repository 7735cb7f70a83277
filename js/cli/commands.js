// The commands of `instaclustr-pg`: for each, its arguments, options, help and what it does, on
// the package's public API only (client methods, waiters, validators, request builders).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
  ValidationError,
} from "instaclustr-pg";

import { UsageError, parsePointInTimeArg } from "./args.js";
import { planApply, renderPlan, resizeBody } from "./plan.js";
import { clustersNamed, isClusterId, resolveId } from "./resolve.js";
import { renderTable } from "./table.js";

const wait = { type: "boolean", help: "wait until the cluster is done (progress on stderr)" };
const timeout = { type: "string", value: "DURATION", help: "longest wait: 90s, 30m, 1h (default 30m; exit 3 when reached)" };
const poll = { type: "string", value: "DURATION", help: "delay between polls of a wait (default 5s growing to 30s)" };
const dryRun = { type: "boolean", help: "print the exact request (method, URL, body; the key masked) and send nothing" };
const yes = { type: "boolean", short: "y", help: "do not ask for confirmation" };
const NIL_ID = "00000000-0000-4000-8000-000000000000";
const waitOpts = { wait, timeout, "poll-interval": poll };

/** Throws the package's ValidationError when `violations` is not empty (exit 2, nothing sent). */
function check(violations, operation) {
  if (violations && violations.length) {
    throw new ValidationError(`invalid ${operation} input: ${violations.length} violation${violations.length === 1 ? "" : "s"}`, { violations, operation });
  }
}

function readJsonFile(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--file ${file}: cannot read (${e.code ?? e.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--file ${file}: not JSON (${e.message})`);
  }
}

const nodesOf = (c) => (c.dataCentres ?? []).flatMap((dc) => dc.nodes ?? []);

/** A one-screen description of a cluster. */
function clusterLines(cl, c) {
  const lines = [
    `${c.bold(cl.name ?? "")}  ${cl.id}`,
    `status       ${c.status(cl.status)}${cl.currentClusterOperationStatus && cl.currentClusterOperationStatus !== "NO_OPERATION" ? ` (${cl.currentClusterOperationStatus})` : ""}`,
    `version      PostgreSQL ${cl.postgresqlVersion ?? "?"}`,
    `sla tier     ${cl.slaTier ?? "?"}`,
  ];
  for (const dc of cl.dataCentres ?? []) {
    lines.push(`data centre  ${dc.name}: ${dc.cloudProvider} ${dc.region} ${dc.network}, ${dc.numberOfNodes} x ${dc.nodeSize}`);
    const nodes = dc.nodes ?? [];
    if (nodes.length) {
      lines.push(
        ...renderTable(nodes, [
          { key: "id", title: "NODE" },
          { key: "status", title: "STATUS", format: (s) => c.status(s) },
          { key: "nodeRoles", title: "ROLE", format: (r) => (Array.isArray(r) ? r.join(",") : r) },
          { key: "privateAddress", title: "PRIVATE" },
          { key: "publicAddress", title: "PUBLIC" },
        ]).map((l) => `  ${l}`),
      );
    }
  }
  return lines;
}

/** Every command, in help order. `run(ctx, args)` returns `{ data, human }` for the output. */
export const COMMANDS = {
  versions: {
    summary: "PostgreSQL (and add-on) versions",
    async run(ctx) {
      const list = await ctx.client().listVersions(ctx.call());
      const rows = list.flatMap((a) => (a.applicationVersions ?? []).map((v) => ({ application: v.application, versions: (v.versions ?? []).join(", ") })));
      return { data: list, table: [rows, [{ key: "application", title: "APPLICATION" }, { key: "versions", title: "VERSIONS" }]] };
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
      if (v.provider) list = list.map((l) => ({ ...l, cloudProviderNodeSizes: (l.cloudProviderNodeSizes ?? []).filter((p) => p.cloudProvider === v.provider) }));
      const rows = list.flatMap((l) => (l.cloudProviderNodeSizes ?? []).flatMap((p) => (p.nodeSizes ?? []).map((nodeSize) => ({ provider: p.cloudProvider, nodeSize }))));
      const cols = [{ key: "provider", title: "PROVIDER" }, { key: "nodeSize", title: "NODE SIZE" }];
      return { data: list, table: [rows, cols] };
    },
  },
  "compatible-versions": {
    summary: "add-on versions compatible with a PostgreSQL version",
    args: ["version"],
    async run(ctx, [version]) {
      const list = await ctx.client().listCompatibleVersions(version, ctx.call());
      const rows = list.flatMap((a) => (a.applicationVersions ?? []).map((x) => ({ application: x.application, versions: (x.versions ?? []).join(", ") })));
      return { data: list, table: [rows, [{ key: "application", title: "APPLICATION" }, { key: "versions", title: "VERSIONS" }]] };
    },
  },
  clusters: {
    summary: "the clusters of the account",
    options: { name: { type: "string", value: "NAME", help: "only the clusters of this name" } },
    async run(ctx, _args, v) {
      const client = ctx.client();
      const list = await client.listClusters(ctx.call(v.name !== undefined ? { search: `name:${v.name}` } : {}));
      const rows = [];
      for (const s of list) {
        let c;
        try {
          c = await client.getCluster(s.id, ctx.call());
        } catch (e) {
          if (e?.status === 404) continue;
          throw e;
        }
        rows.push({ id: s.id, application: s.application, name: c.name, status: c.status, postgresqlVersion: c.postgresqlVersion, nodes: nodesOf(c).length });
      }
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
    async run(ctx, [ref]) {
      const id = await resolveId(ctx, ref);
      const cl = await ctx.client().getCluster(id, ctx.call());
      return { data: cl, human: (c) => clusterLines(cl, c) };
    },
  },
  create: {
    summary: "create a cluster from a JSON file (the API's create body)",
    options: { file: { type: "string", short: "f", value: "FILE", required: true, help: "the cluster (PostgresqlCluster JSON)" }, ...waitOpts, "dry-run": dryRun },
    async run(ctx, _args, v) {
      const body = readJsonFile(v.file);
      check(validateCreateCluster(body), "createCluster");
      if (v["dry-run"]) return dryRunResult(ctx, buildCreateClusterRequest(body, ctx.requestOptions()));
      const created = await ctx.client().createCluster(body, ctx.call());
      ctx.out.note(`created ${created.name ?? body.name} (${created.id})`);
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
      const dcs = current.dataCentres ?? [];
      const dc = v["data-centre"] !== undefined ? dcs.find((d) => d.name === v["data-centre"]) : dcs.length === 1 ? dcs[0] : undefined;
      if (!dc) throw new UsageError(v["data-centre"] !== undefined ? `no data centre ${JSON.stringify(v["data-centre"])} (${dcs.map((d) => d.name).join(", ")})` : `the cluster has ${dcs.length} data centres: pass --data-centre (${dcs.map((d) => d.name).join(", ")})`);
      const body = resizeBody(dc, v["node-size"]);
      check([...(validateUpdateCluster(body) ?? []), ...(diffClusterUpdate(current, body) ?? [])], "updateCluster");
      if (v["dry-run"]) return dryRunResult(ctx, buildUpdateClusterRequest(id, body, ctx.requestOptions()));
      await ctx.client().updateCluster(id, body, ctx.call({ current }));
      ctx.out.note(`resizing ${current.name} (${id}) data centre ${dc.name}: ${dc.nodeSize} -> ${v["node-size"]}`);
      const cl = v.wait ? await ctx.wait("cluster", id, `resizing ${current.name}`) : await ctx.client().getCluster(id, ctx.call());
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
      return { data, human: () => [v.wait ? `deleted ${current.name} (${id})` : `delete of ${current.name} (${id}) requested`] };
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
      ctx.out.note(`restoring ${ref} into ${newId ?? "a new cluster"}`);
      if (!v.wait || !newId) return { data: restore, human: () => [`restore started: ${newId ?? "(no id returned)"}`] };
      const cl = await ctx.wait("cluster", newId, `restoring ${v.name ?? newId}`);
      return { data: { ...restore, cluster: cl }, human: (c) => clusterLines(cl, c) };
    },
  },
  certificate: {
    summary: "download the cluster CA certificate (PEM, DER, JKS files)",
    args: ["id|name"],
    options: { out: { type: "string", short: "o", value: "DIR", required: true, help: "folder for ca.pem, ca.der, truststore.jks" } },
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
      if (cert.jks && cert.jks.length) {
        files.jks = join(dir, "truststore.jks");
        writeFileSync(files.jks, cert.jks);
      }
      const node = nodesOf(cl).find((n) => n.publicAddress) ?? nodesOf(cl).find((n) => n.privateAddress);
      const host = node?.publicAddress ?? node?.privateAddress ?? "<host>";
      const psql = `psql "host=${host} port=5432 user=icpostgresql dbname=postgres sslmode=verify-full sslrootcert=${files.pem}"`;
      return {
        data: { id, files, psql },
        human: () => [...Object.entries(files).map(([k, f]) => `wrote ${k.toUpperCase()} ${f}`), "", "connect with:", `  ${psql}`],
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
      if (until !== "RUNNING" && until !== "DELETED") throw new UsageError(`--until: must be RUNNING or DELETED, not ${JSON.stringify(until)}`);
      const id = await resolveId(ctx, ref);
      const cl = await ctx.wait("cluster", id, `waiting for ${ref}`, { until });
      const data = cl ?? { id, status: "DELETED" };
      return { data, human: (c) => (cl ? clusterLines(cl, c) : [`${ref} is deleted`]) };
    },
  },
  apply: {
    summary: "create or resize a cluster to match a file; shows the plan first",
    options: {
      file: { type: "string", short: "f", value: "FILE", required: true, help: "the desired cluster (PostgresqlCluster JSON)" },
      "dry-run": { type: "boolean", help: "print the plan and the exact requests (key masked); change nothing" },
      yes,
      ...waitOpts,
    },
    async run(ctx, _args, v) {
      return applyCommand(ctx, v);
    },
  },
};

function backupTable(events, ctx) {
  const rows = (events.clusterDataCentres ?? []).flatMap((dc) =>
    (dc.nodes ?? []).flatMap((n) =>
      (n.events ?? []).map((e) => ({
        dataCentre: dc.name,
        node: n.id,
        type: e.type,
        state: e.state,
        progress: e.progress === undefined ? undefined : `${Math.round(e.progress * 100)} %`,
        start: e.start === undefined ? undefined : new Date(Number(e.start)).toISOString(),
      })),
    ),
  );
  return [rows, [
    { key: "dataCentre", title: "DATA CENTRE" },
    { key: "node", title: "NODE" },
    { key: "type", title: "TYPE" },
    { key: "state", title: "STATE", format: (s) => ctx.out.c.status(s) },
    { key: "progress", title: "PROGRESS" },
    { key: "start", title: "STARTED" },
  ]];
}

function dryRunResult(ctx, req) {
  const shown = ctx.showRequest(req);
  return { data: { dryRun: true, request: shown }, human: () => ["dry run: this request would be sent (nothing was sent):", "", ...ctx.requestLines(shown)] };
}

async function applyCommand(ctx, v) {
  const desired = readJsonFile(v.file);
  // every problem of the file at once, before anything is sent (not even the lookup)
  check(validateCreateCluster(desired), "createCluster");
  const found = await clustersNamed(ctx, desired.name);
  if (found.length > 1) throw new UsageError(`${found.length} clusters are named ${JSON.stringify(desired.name)} (${found.map((c) => c.id).join(", ")}): apply needs a unique name`);
  const current = found[0];
  const plan = planApply(desired, current, current ? diffClusterUpdate(current, desired) : []);
  const out = ctx.out;
  const planLines = renderPlan(plan, out.c);
  const requests = () =>
    plan.action === "create" ? [buildCreateClusterRequest(desired, ctx.requestOptions())]
      : plan.action === "resize" ? plan.resizes.map((r) => buildUpdateClusterRequest(current.id, r.body, ctx.requestOptions()))
        : [];
  const planData = () => ({ action: plan.action, cluster: plan.cluster, changes: plan.changes, refused: plan.refused });

  if (plan.action === "refused") {
    if (!out.json) out.stdout.write(planLines.join("\n") + "\n");
    const err = new ValidationError(`apply refused: ${plan.refused.length} field${plan.refused.length === 1 ? "" : "s"} cannot change after the cluster is created`, { violations: current ? diffClusterUpdate(current, desired) : [], operation: "apply" });
    err.plan = planData();
    throw err;
  }
  if (v["dry-run"]) {
    const shown = requests().map((r) => ctx.showRequest(r));
    return {
      data: { ...planData(), dryRun: true, requests: shown },
      human: () => [...planLines, "", shown.length ? "dry run: these requests would be sent (nothing was sent):" : "dry run: nothing would be sent.", ...shown.flatMap((s) => ["", ...ctx.requestLines(s)])],
    };
  }
  if (plan.action === "noop") {
    const cl = v.wait ? await ctx.wait("cluster", current.id, `waiting for ${desired.name}`) : current;
    return { data: { ...planData(), applied: false, result: cl }, human: () => planLines };
  }
  if (!out.json) out.stdout.write(planLines.join("\n") + "\n");
  if (!v.yes) await ctx.confirm("Apply this plan? Type yes to confirm: ", "yes");
  const client = ctx.client();
  let result;
  if (plan.action === "create") {
    const created = await client.createCluster(desired, ctx.call());
    out.note(`created ${desired.name} (${created.id})`);
    result = v.wait ? await ctx.wait("cluster", created.id, `provisioning ${desired.name}`) : created;
  } else {
    let cur = current;
    for (const [i, r] of plan.resizes.entries()) {
      await client.updateCluster(current.id, r.body, ctx.call({ current: cur }));
      out.note(`resizing ${desired.name} data centre ${r.dataCentre}: ${r.from} -> ${r.to}`);
      // one update at a time: a second data centre waits until the first is done
      if (v.wait || i < plan.resizes.length - 1) cur = await ctx.wait("cluster", current.id, `resizing ${desired.name}`);
    }
    result = v.wait ? cur : await client.getCluster(current.id, ctx.call());
  }
  return { data: { ...planData(), applied: true, result }, human: () => [`applied: ${plan.action} ${desired.name} (${result?.id ?? current?.id}) ${result?.status ?? ""}`.trimEnd()] };
}
