// `apply`: makes a cluster match a file. The plan (plan.js) is made from the validated file and
// the cluster of that name, and printed before anything changes; a refused plan sends nothing,
// --dry-run prints the exact requests, otherwise (after a `yes` or --yes) the create or the
// resizes are sent, one data centre at a time, and --wait waits until the cluster is done.
import {
  buildCreateClusterRequest,
  buildCreateConfigurationRequest,
  buildResetConfigurationRequest,
  buildUpdateClusterRequest,
  buildUpdateClusterSettingsRequest,
  buildUpdateConfigurationRequest,
  diffClusterUpdate,
  validateCreateCluster,
  ValidationError,
} from "instaclustr-pg";

import { UsageError } from "./args.js";
import { check, readJsonFile } from "./input.js";
import { planApply, planSettings, renderPlan, renderSettings } from "./plan.js";
import { clustersNamed } from "./resolve.js";

const NIL_ID = "00000000-0000-4000-8000-000000000000";

/** The violations of a file's `configurations` (an object of strings, each a configuration the client accepts). */
function configurationViolations(configs) {
  if (configs === undefined) return [];
  if (!configs || typeof configs !== "object" || Array.isArray(configs))
    return [{ path: "configurations", code: "type", message: "must be an object of parameter names and values" }];
  const out = [];
  for (const [name, value] of Object.entries(configs)) {
    try {
      buildCreateConfigurationRequest({ clusterId: NIL_ID, name, value });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      // the name is the key: every problem of the entry is at `configurations.<name>`
      for (const x of e.violations) out.push({ ...x, path: `configurations.${name}` });
    }
  }
  return out;
}

/** Sets, changes and resets the configurations of the plan, then reloads every node one at a time (unless `noReload`). */
async function applyConfigs(ctx, clusterId, configs, noReload) {
  const client = ctx.client();
  for (const ch of configs) {
    const id = { clusterId, name: ch.name };
    if (ch.op === "add") await client.createConfiguration({ clusterId, name: ch.name, value: ch.to }, ctx.call());
    else if (ch.op === "change") await client.updateConfiguration(id, { value: ch.to }, ctx.call());
    else await client.resetConfiguration(id, ctx.call());
    ctx.out.note(`configuration ${ch.name}: ${ch.op === "reset" ? "reset" : JSON.stringify(ch.to)}`);
  }
  if (noReload || !configs.length) return;
  const cluster = await client.getCluster(clusterId, ctx.call());
  for (const dc of cluster.dataCentres) {
    for (const node of dc.nodes) {
      await client.reloadNode(node.id, ctx.call());
      const { opts, progress } = ctx.waitOptions(`reloading ${node.id}`);
      try {
        await client.waitForReload(node.id, opts);
      } finally {
        progress.done();
      }
    }
  }
}

/** `apply --file F [--dry-run] [--yes] [--wait] [--no-reload]`. */
export async function applyCommand(ctx, v) {
  const file = readJsonFile(v.file);
  // the configurations are not part of the cluster's body
  const { configurations, ...desired } = file && typeof file === "object" ? file : { configurations: undefined };
  // every problem of the file at once, before anything is sent (not even the lookup)
  check([...(validateCreateCluster(desired) ?? []), ...configurationViolations(configurations)], "createCluster");
  const found = await clustersNamed(ctx, desired.name);
  if (found.length > 1)
    throw new UsageError(
      `${found.length} clusters are named ${JSON.stringify(desired.name)} (${found.map((c) => c.id).join(", ")}): apply needs a unique name`,
    );
  const current = found[0];
  const plan = planApply(desired, current, current ? diffClusterUpdate(current, desired) : []);
  let currentConfigs = {};
  if (current && configurations !== undefined && plan.action !== "refused") {
    for (const l of await ctx.client().listConfigurations(current.id, ctx.call())) {
      for (const c of l.configurationProperties) currentConfigs[c.name] = c.value;
    }
  }
  const extra = planSettings({ ...desired, configurations }, current, currentConfigs);
  if (plan.action === "create")
    extra.configs = Object.entries(configurations ?? {}).map(([name, value]) => ({
      path: `configurations.${name}`,
      name,
      op: "add",
      to: value,
    }));
  const more = extra.settings.length + extra.configs.length > 0;
  if (plan.action === "noop" && more) plan.action = "update";
  const out = ctx.out;
  const reload = !v["no-reload"];
  const planLines =
    plan.action === "update"
      ? [`cluster ${JSON.stringify(desired.name)} (${current.id}) will be ${out.c.yellow("updated")} in place:`]
      : renderPlan(plan, out.c);
  if (plan.action !== "refused") planLines.push(...renderSettings(extra, out.c, reload));
  const requests = () => {
    if (plan.action === "create") return [buildCreateClusterRequest(desired, ctx.requestOptions())];
    const reqs =
      plan.action === "resize"
        ? plan.resizes.map((r) => buildUpdateClusterRequest(current.id, r.body, ctx.requestOptions()))
        : [];
    if (current && extra.settings.length)
      reqs.push(
        buildUpdateClusterSettingsRequest(current.id, { description: desired.description }, ctx.requestOptions()),
      );
    for (const ch of current ? extra.configs : []) {
      const id = { clusterId: current.id, name: ch.name };
      reqs.push(
        ch.op === "add"
          ? buildCreateConfigurationRequest(
              { clusterId: current.id, name: ch.name, value: ch.to },
              ctx.requestOptions(),
            )
          : ch.op === "change"
            ? buildUpdateConfigurationRequest(id, { value: ch.to }, ctx.requestOptions())
            : buildResetConfigurationRequest(id, ctx.requestOptions()),
      );
    }
    return reqs;
  };
  const planData = () => ({
    action: plan.action,
    cluster: plan.cluster,
    changes: [...plan.changes, ...(plan.action === "create" ? extra.configs : [...extra.settings, ...extra.configs])],
    refused: plan.refused,
    reload: reload && extra.configs.length > 0,
  });

  if (plan.action === "refused") {
    if (!out.json) out.stdout.write(planLines.join("\n") + "\n");
    const err = new ValidationError(
      `apply refused: ${plan.refused.length} field${plan.refused.length === 1 ? "" : "s"} cannot change after the cluster is created`,
      { violations: current ? diffClusterUpdate(current, desired) : [], operation: "apply" },
    );
    err.plan = planData();
    throw err;
  }
  if (v["dry-run"]) {
    const shown = requests().map((r) => ctx.showRequest(r));
    return {
      data: { ...planData(), dryRun: true, requests: shown },
      human: () => [
        ...planLines,
        "",
        shown.length ? "dry run: these requests would be sent (nothing was sent):" : "dry run: nothing would be sent.",
        ...shown.flatMap((s) => ["", ...ctx.requestLines(s)]),
      ],
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
    // configurations need a RUNNING cluster: wait for it then, even without --wait
    result =
      v.wait || extra.configs.length ? await ctx.wait("cluster", created.id, `provisioning ${desired.name}`) : created;
    await applyConfigs(ctx, created.id, extra.configs, !reload);
  } else if (plan.action === "update") {
    if (extra.settings.length)
      await client.updateClusterSettings(current.id, { description: desired.description }, ctx.call());
    await applyConfigs(ctx, current.id, extra.configs, !reload);
    result = v.wait
      ? await ctx.wait("cluster", current.id, `waiting for ${desired.name}`)
      : await client.getCluster(current.id, ctx.call());
  } else {
    let cur = current;
    for (const [i, r] of plan.resizes.entries()) {
      await client.updateCluster(current.id, r.body, ctx.call({ current: cur }));
      out.note(`resizing ${desired.name} data centre ${r.dataCentre}: ${r.from} -> ${r.to}`);
      // one update at a time: a second data centre waits until the first is done
      if (v.wait || i < plan.resizes.length - 1)
        cur = await ctx.wait("cluster", current.id, `resizing ${desired.name}`);
    }
    if (extra.settings.length)
      await client.updateClusterSettings(current.id, { description: desired.description }, ctx.call());
    if (extra.configs.length) {
      // after the resizes: the cluster must be RUNNING with no operation
      cur = await ctx.wait("cluster", current.id, `resizing ${desired.name}`);
      await applyConfigs(ctx, current.id, extra.configs, !reload);
    }
    result = v.wait ? cur : await client.getCluster(current.id, ctx.call());
  }
  return {
    data: { ...planData(), applied: true, result },
    human: () => [
      `applied: ${plan.action} ${desired.name} (${result?.id ?? current?.id}) ${result?.status ?? ""}`.trimEnd(),
    ],
  };
}
