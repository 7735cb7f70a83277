// The commands of the operations beyond the provisioning page: a cluster's configuration
// properties (`config list|set|reset`), node reloads, the default user's password, the cluster's
// settings, resize operations and maintenance events. On the package's public API only.
import {
  ApiError,
  buildCreateConfigurationRequest,
  buildResetConfigurationRequest,
  buildUpdateConfigurationRequest,
} from "instaclustr-pg";

import { UsageError } from "./args.js";
import { WaitTimeout } from "./exit.js";
import { resolveId } from "./resolve.js";
import { dryRunResult, nodesOf } from "./views.js";

const dryRun = {
  type: "boolean",
  help: "print the exact request (method, URL, body; the key masked) and send nothing",
};
const DEFAULT_WAIT = "30m";

/** `NAME=VALUE` of `config set` (the first `=` splits). */
function nameValue(arg) {
  const at = arg.indexOf("=");
  if (at <= 0) throw new UsageError(`config set: expected NAME=VALUE, not ${JSON.stringify(arg)}`);
  return [arg.slice(0, at), arg.slice(at + 1)];
}

/** A new password: standard input when it is not a terminal, else a prompt without echo. Never an argument. */
async function readPassword(ctx, question) {
  const stdin = ctx.stdin;
  if (!stdin.isTTY) {
    let text = "";
    for await (const chunk of stdin) text += chunk;
    return text.replace(/\r?\n$/, "");
  }
  ctx.stderr.write(question);
  return new Promise((resolve, reject) => {
    let typed = "";
    const done = (f) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      ctx.stderr.write("\n");
      f();
    };
    const onData = (buf) => {
      for (const ch of buf.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(typed));
        if (ch === "\u0003")
          return done(() => reject(Object.assign(new Error("interrupted"), { code: "ABORT_ERROR" })));
        if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
        else if (ch >= " ") typed += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** The progress of a reload wait on stderr, and its --timeout (exit 3 when reached). */
async function waitReload(ctx, client, nodeId, label) {
  const { opts, progress } = ctx.waitOptions(label);
  try {
    return await client.waitForReload(nodeId, opts);
  } catch (e) {
    if (e?.code === "WAITER_ERROR" && (e.elapsedMs ?? 0) >= opts.maxWaitMs) {
      throw new WaitTimeout(`${label}: not done within ${ctx.values.timeout ?? DEFAULT_WAIT}`, {
        nodeId,
        lastStatus: e.lastStatus,
        elapsedMs: e.elapsedMs,
      });
    }
    throw e;
  } finally {
    progress.done();
  }
}

export const MORE_COMMANDS = {
  config: {
    summary:
      "configuration properties: config list <cluster>, config set <cluster> NAME=VALUE, config reset <cluster> NAME",
    args: ["list|set|reset", "id|name"],
    optionalArgs: ["NAME[=VALUE]"],
    options: { "dry-run": dryRun },
    async run(ctx, [action, ref, what], v) {
      if (!["list", "set", "reset"].includes(action))
        throw new UsageError(`config: the action is list, set or reset, not ${JSON.stringify(action)}`);
      if (action === "list" && what !== undefined)
        throw new UsageError(`config list: unexpected argument ${JSON.stringify(what)}`);
      if (action !== "list" && what === undefined)
        throw new UsageError(`config ${action}: missing <${action === "set" ? "NAME=VALUE" : "NAME"}>`);
      const [name, value] = action === "set" ? nameValue(what) : [what, undefined];
      const id = await resolveId(ctx, ref);
      const client = ctx.client();
      if (action === "list") {
        const lists = await client.listConfigurations(id, ctx.call());
        const rows = lists.flatMap((l) => l.configurationProperties.map((c) => ({ name: c.name, value: c.value })));
        return {
          data: rows,
          table: [
            rows,
            [
              { key: "name", title: "NAME" },
              { key: "value", title: "VALUE" },
            ],
          ],
        };
      }
      const configurationId = { clusterId: id, name };
      if (action === "reset") {
        if (v["dry-run"])
          return dryRunResult(ctx, buildResetConfigurationRequest(configurationId, ctx.requestOptions()));
        await client.resetConfiguration(configurationId, ctx.call());
        const data = { clusterId: id, name, reset: true };
        return {
          data,
          human: () => [
            `${name} reset to the default: reload the nodes to apply it (instaclustr-pg reload ${ref} --wait)`,
          ],
        };
      }
      let current;
      try {
        current = await client.getConfiguration(configurationId, ctx.call());
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      if (current?.value === value) {
        return {
          data: { ...current, changed: false },
          human: () => [`${name} is already ${JSON.stringify(value)}: nothing to do`],
        };
      }
      if (v["dry-run"]) {
        const req = current
          ? buildUpdateConfigurationRequest(configurationId, { value }, ctx.requestOptions())
          : buildCreateConfigurationRequest({ clusterId: id, name, value }, ctx.requestOptions());
        return dryRunResult(ctx, req);
      }
      const set = current
        ? await client.updateConfiguration(configurationId, { value }, ctx.call())
        : await client.createConfiguration({ clusterId: id, name, value }, ctx.call());
      const was = current ? ` (was ${JSON.stringify(current.value)})` : "";
      return {
        data: { ...set, changed: true },
        human: () => [
          `${name} = ${JSON.stringify(set.value)}${was}: reload the nodes to apply it (instaclustr-pg reload ${ref} --wait)`,
        ],
      };
    },
  },
  reload: {
    summary: "reload the nodes (one at a time; a configuration takes effect then)",
    args: ["id|name"],
    options: {
      node: { type: "string", value: "ID", help: "only this node" },
      wait: { type: "boolean", help: "wait until each reload is COMPLETED before the next (progress on stderr)" },
      timeout: {
        type: "string",
        value: "DURATION",
        help: "longest wait per node: 90s, 30m (default 30m; exit 3 when reached)",
      },
      "poll-interval": {
        type: "string",
        value: "DURATION",
        help: "delay between polls of a wait (default 5s growing to 30s)",
      },
    },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const client = ctx.client();
      const cluster = await client.getCluster(id, ctx.call());
      const all = nodesOf(cluster).map((n) => n.id);
      if (v.node !== undefined && !all.includes(v.node))
        throw new UsageError(`--node: ${cluster.name} has no node ${JSON.stringify(v.node)} (${all.join(", ")})`);
      const nodes = v.node !== undefined ? [v.node] : all;
      const reloads = [];
      for (const nodeId of nodes) {
        let r = await client.reloadNode(nodeId, ctx.call());
        ctx.out.note(`reloading node ${nodeId}`);
        if (v.wait) r = await waitReload(ctx, client, nodeId, `reloading ${nodeId}`);
        reloads.push(r);
      }
      const rows = reloads.map((r) => ({ node: r.nodeId, status: r.status, modified: r.timeModified ?? "" }));
      return {
        data: reloads,
        table: [
          rows,
          [
            { key: "node", title: "NODE" },
            { key: "status", title: "STATUS" },
            { key: "modified", title: "MODIFIED" },
          ],
        ],
      };
    },
  },
  password: {
    summary: "change the default user's password (read from standard input, or a prompt without echo; never printed)",
    args: ["id|name"],
    async run(ctx, [ref]) {
      const id = await resolveId(ctx, ref);
      const password = await readPassword(ctx, "New password for icpostgresql: ");
      if (!password) throw new UsageError("no password given (standard input was empty)");
      await ctx.client().updateDefaultUserPassword(id, { password }, ctx.call());
      // the API's answer echoes the password: neither it nor the input is printed
      return {
        data: { id, passwordChanged: true },
        human: () => [`the default user's password of ${ref} was changed`],
      };
    },
  },
  settings: {
    summary: "change a cluster's description or two-factor delete contacts",
    args: ["id|name"],
    options: {
      description: { type: "string", value: "TEXT", help: "the cluster's description" },
      "confirmation-email": { type: "string", value: "EMAIL", help: "two-factor delete: who confirms a delete" },
      "confirmation-phone": { type: "string", value: "PHONE", help: "two-factor delete: a phone number as well" },
    },
    async run(ctx, [ref], v) {
      const body = {};
      if (v.description !== undefined) body.description = v.description;
      if (v["confirmation-email"] !== undefined) {
        body.twoFactorDelete = { confirmationEmail: v["confirmation-email"] };
        if (v["confirmation-phone"] !== undefined)
          body.twoFactorDelete.confirmationPhoneNumber = v["confirmation-phone"];
      } else if (v["confirmation-phone"] !== undefined) {
        throw new UsageError("--confirmation-phone needs --confirmation-email");
      }
      if (!Object.keys(body).length) throw new UsageError("settings: pass --description and/or --confirmation-email");
      const id = await resolveId(ctx, ref);
      const applied = (await ctx.client().updateClusterSettings(id, body, ctx.call())) ?? body;
      return {
        data: { id, ...applied },
        human: () => [
          `settings of ${ref} changed`,
          ...(applied.description !== undefined ? [`description  ${applied.description}`] : []),
        ],
      };
    },
  },
  resizes: {
    summary: "the resize operations of a cluster's data centres",
    args: ["id|name"],
    options: { active: { type: "boolean", help: "only those running" } },
    async run(ctx, [ref], v) {
      const id = await resolveId(ctx, ref);
      const client = ctx.client();
      const cluster = await client.getCluster(id, ctx.call());
      const rows = [];
      for (const dc of cluster.dataCentres) {
        const { operations } = await client.listResizeOperations(
          dc.id,
          v.active ? { activeOnly: true } : {},
          ctx.call(),
        );
        for (const o of operations) {
          const done = o.replaceOperations.filter((r) => r.status === "REPLACED").length;
          rows.push({
            dataCentre: dc.name,
            id: o.id,
            status: o.status,
            newNodeSize: o.newNodeSize,
            nodes: `${done}/${o.replaceOperations.length}`,
            created: o.created,
            completed: o.completed ?? "",
            operation: o,
          });
        }
      }
      const cols = [
        { key: "dataCentre", title: "DATA CENTRE" },
        { key: "status", title: "STATUS" },
        { key: "newNodeSize", title: "NEW SIZE" },
        { key: "nodes", title: "NODES" },
        { key: "created", title: "CREATED" },
        { key: "completed", title: "COMPLETED" },
      ];
      return { data: rows.map((r) => ({ dataCentre: r.dataCentre, ...r.operation })), table: [rows, cols] };
    },
  },
  maintenance: {
    summary: "a cluster's maintenance events: upcoming, in progress and past",
    args: ["id|name"],
    async run(ctx, [ref]) {
      const id = await resolveId(ctx, ref);
      const client = ctx.client();
      const [upcoming, inProgress, past] = await Promise.all([
        client.listUpcomingMaintenanceEvents(id, ctx.call()),
        client.listInProgressMaintenanceEvents(id, ctx.call()),
        client.listPastMaintenanceEvents(id, ctx.call()),
      ]);
      const events = (lists) => lists.flatMap((l) => l.maintenanceEvents);
      const data = { upcoming: events(upcoming), inProgress: events(inProgress), past: events(past) };
      const rows = [
        ...data.upcoming.map((e) => ({
          when: "upcoming",
          start: e.scheduledStartTime ?? "",
          end: e.scheduledEndTime ?? "",
          outcome: "",
          description: e.description ?? "",
        })),
        ...data.inProgress.map((e) => ({
          when: "in progress",
          start: e.startTime ?? "",
          end: "",
          outcome: "",
          description: e.description ?? "",
        })),
        ...data.past.map((e) => ({
          when: "past",
          start: e.startTime ?? "",
          end: e.endTime ?? "",
          outcome: e.outcome ?? "",
          description: e.description ?? "",
        })),
      ];
      const cols = [
        { key: "when", title: "WHEN" },
        { key: "start", title: "START" },
        { key: "end", title: "END" },
        { key: "outcome", title: "OUTCOME" },
        { key: "description", title: "DESCRIPTION" },
      ];
      return { data, table: [rows, cols] };
    },
  },
};
