// `apply`: makes a cluster match a file. The plan (plan.js) is made from the validated file and
// the cluster of that name, and printed before anything changes; a refused plan sends nothing,
// --dry-run prints the exact requests, otherwise (after a `yes` or --yes) the create or the
// resizes are sent, one data centre at a time, and --wait waits until the cluster is done.
import { buildCreateClusterRequest, buildUpdateClusterRequest, diffClusterUpdate, validateCreateCluster, ValidationError } from "instaclustr-pg";

import { UsageError } from "./args.js";
import { check, readJsonFile } from "./input.js";
import { planApply, renderPlan } from "./plan.js";
import { clustersNamed } from "./resolve.js";

/** `apply --file F [--dry-run] [--yes] [--wait]`. */
export async function applyCommand(ctx, v) {
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
