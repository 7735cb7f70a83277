// The plan of `apply`: what applying a cluster file would change, decided before anything is sent
// (Terraform's plan, `kubectl diff`). Pure: the caller looks the cluster up and passes the
// package's `diffClusterUpdate` verdict (the fields that cannot change after creation).
//   create   no cluster of that name exists
//   resize   only node sizes differ (one PUT per data centre whose size differs)
//   noop     the cluster matches the file
//   refused  a field that cannot change after creation differs (every such field listed)
//   update   only what `change-settings` and the configurations change differs (planSettings)
// A file may also hold `"description"` and `"configurations": { "name": "value" }`: their changes
// (planSettings) come with a create, a resize or alone (then the action is `update`); the
// configurations are applied after the cluster is RUNNING, then the nodes are reloaded one at a
// time (unless --no-reload).

/** Keys whose values are never printed. */
const SECRET_KEYS = new Set(["defaultUserPassword", "apiKey", "password"]);
/** Fields of a data centre that the server adds and an update body must not carry. */
const READ_ONLY_DC_FIELDS = ["id", "status", "nodes", "deletedNodes"];

export const MASK = "***";

/** `value` with every secret member replaced by `***` (deep copy). */
export function maskSecrets(value) {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value))
      out[k] = SECRET_KEYS.has(k) && v !== undefined && v !== null ? MASK : maskSecrets(v);
    return out;
  }
  return value;
}

/** The current data centre a desired one is compared with: same name, else same index, else the first. */
function matchDataCentre(current, dc, i) {
  const list = current?.dataCentres ?? [];
  return list.find((c) => c.name === dc?.name) ?? list[i] ?? list[0];
}

/** Leaves of a JSON value as `[path, value]` (arrays of scalars and empty containers are leaves). */
function leaves(value, path = "") {
  if (Array.isArray(value)) {
    if (value.length === 0 || value.every((v) => v === null || typeof v !== "object")) return [[path, value]];
    return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return [[path, value]];
    return entries.flatMap(([k, v]) =>
      SECRET_KEYS.has(k) ? [[path ? `${path}.${k}` : k, MASK]] : leaves(v, path ? `${path}.${k}` : k),
    );
  }
  return [[path, value]];
}

/** The value at a violation path such as `dataCentres[0].region` (data centres matched like the guard). */
function currentAt(current, desired, path) {
  const m = path.match(/^dataCentres\[(\d+)\]\.(.+)$/);
  if (m) {
    const dc = matchDataCentre(current, desired.dataCentres?.[Number(m[1])], Number(m[1]));
    return dc?.[m[2]];
  }
  return current?.[path];
}

function desiredAt(desired, path) {
  const m = path.match(/^dataCentres\[(\d+)\]\.(.+)$/);
  if (m) return desired.dataCentres?.[Number(m[1])]?.[m[2]];
  return desired?.[path];
}

/** The update body of a resize: the current data centre without its read-only fields, with the new size. */
export function resizeBody(currentDc, nodeSize) {
  const dc = { ...currentDc };
  for (const k of READ_ONLY_DC_FIELDS) delete dc[k];
  dc.nodeSize = nodeSize;
  return { dataCentres: [dc] };
}

/**
 * The plan for `desired` (a create body). `current`: the cluster of that name (getCluster) or
 * undefined; `conflicts`: `diffClusterUpdate(current, desired)` (violations), when current.
 */
export function planApply(desired, current, conflicts = []) {
  const name = desired?.name;
  if (!current) {
    return {
      action: "create",
      cluster: { name },
      changes: leaves(desired).map(([path, to]) => ({ path, op: "add", to })),
      refused: [],
      resizes: [],
    };
  }
  const cluster = { name, id: current.id, status: current.status };
  const refused = conflicts.map((v) => ({
    path: v.path,
    code: v.code,
    message: v.message,
    from: maskSecrets(currentAt(current, desired, v.path)),
    to: maskSecrets(desiredAt(desired, v.path)),
  }));
  const resizes = [];
  (desired.dataCentres ?? []).forEach((dc, i) => {
    const cur = matchDataCentre(current, dc, i);
    if (cur && dc?.nodeSize !== undefined && dc.nodeSize !== cur.nodeSize) {
      resizes.push({
        path: `dataCentres[${i}].nodeSize`,
        dataCentre: cur.name,
        from: cur.nodeSize,
        to: dc.nodeSize,
        body: resizeBody(cur, dc.nodeSize),
      });
    }
  });
  const changes = [
    ...refused.map((r) => ({ path: r.path, op: "change", from: r.from, to: r.to, changeable: false })),
    ...resizes.map((r) => ({ path: r.path, op: "change", from: r.from, to: r.to, changeable: true })),
  ];
  const action = refused.length ? "refused" : resizes.length ? "resize" : "noop";
  return { action, cluster, changes, refused, resizes };
}

const show = (v) => (v === MASK ? "(sensitive)" : v === undefined ? "(none)" : JSON.stringify(v));

/** The plan as readable diff lines (`c`: palette). */
export function renderPlan(plan, c) {
  const who = `cluster ${JSON.stringify(plan.cluster.name)}${plan.cluster.id ? ` (${plan.cluster.id})` : ""}`;
  const lines = [];
  switch (plan.action) {
    case "create":
      lines.push(`${who} will be ${c.green("created")}:`);
      for (const ch of plan.changes) lines.push(c.green(`  + ${ch.path} = ${show(ch.to)}`));
      lines.push(`Plan: 1 to create, 0 to resize, 0 refused.`);
      break;
    case "resize":
      lines.push(`${who} will be ${c.yellow("resized")} in place:`);
      for (const r of plan.resizes) lines.push(c.yellow(`  ~ ${r.path}: ${show(r.from)} -> ${show(r.to)}`));
      lines.push(`Plan: 0 to create, ${plan.resizes.length} to resize, 0 refused.`);
      break;
    case "noop":
      lines.push(`${who}: nothing to do, the cluster matches the file.`);
      break;
    case "refused":
      lines.push(
        `${who}: ${c.red("refused")}: ${plan.refused.length} field${plan.refused.length === 1 ? "" : "s"} cannot change after the cluster is created:`,
      );
      for (const r of plan.refused) lines.push(c.red(`  ! ${r.path}: ${show(r.from)} -> ${show(r.to)}`));
      for (const r of plan.resizes)
        lines.push(c.dim(`  ~ ${r.path}: ${show(r.from)} -> ${show(r.to)} (would be resized)`));
      lines.push("Nothing was sent. Revert these fields, or create a new cluster under another name.");
      break;
    default:
      lines.push(`${who}: ${plan.action}`);
  }
  return lines;
}

/**
 * The description and configuration changes of `desired` against the cluster `current` (undefined
 * for a create) and its configurations `currentConfigs` (`{ name: value }`). A file without
 * `configurations` leaves them alone; with it, a configuration it does not list is reset.
 */
export function planSettings(desired, current, currentConfigs = {}) {
  const settings = [];
  if (current && desired.description !== undefined && desired.description !== current.description) {
    settings.push({
      path: "description",
      op: current.description === undefined ? "add" : "change",
      from: current.description,
      to: desired.description,
    });
  }
  const configs = [];
  const wanted = desired.configurations;
  if (wanted && typeof wanted === "object") {
    for (const [name, value] of Object.entries(wanted)) {
      const from = currentConfigs[name];
      if (from === undefined) configs.push({ path: `configurations.${name}`, name, op: "add", to: value });
      else if (from !== value) configs.push({ path: `configurations.${name}`, name, op: "change", from, to: value });
    }
    for (const [name, from] of Object.entries(currentConfigs)) {
      if (!Object.hasOwn(wanted, name)) configs.push({ path: `configurations.${name}`, name, op: "reset", from });
    }
  }
  return { settings, configs };
}

/** The lines of the description and configuration changes (`reload`: whether the nodes will be reloaded). */
export function renderSettings({ settings, configs }, c, reload) {
  const lines = [];
  for (const s of [...settings, ...configs]) {
    if (s.op === "add") lines.push(c.green(`  + ${s.path} = ${show(s.to)}`));
    else if (s.op === "change") lines.push(c.yellow(`  ~ ${s.path}: ${show(s.from)} -> ${show(s.to)}`));
    else lines.push(c.red(`  - ${s.path}: ${show(s.from)} (reset to the default)`));
  }
  if (configs.length) {
    const n = (op) => configs.filter((x) => (op === "set" ? x.op !== "reset" : x.op === "reset")).length;
    lines.push(
      `Configurations: ${n("set")} to set, ${n("reset")} to reset; ${reload ? "then every node is reloaded, one at a time" : "the nodes are not reloaded (--no-reload): each applies them at its next reload"}.`,
    );
  }
  return lines;
}
