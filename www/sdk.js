// The one place that imports the package: it re-exports what the console uses and turns the
// catalogue answers (versions, node sizes) into the maps the forms read, so that the other
// modules stay small.
// `web.js` is the browser entry scripts/build writes to pkg/ (copied to www/pkg/); it fetches and
// instantiates the wasm module itself with a top-level await, so there is no init() to call.
// `cli/` is the command-line tool, shipped in the package: the console builds its resize body
// with the same function as `instaclustr-pg apply` and reads clusters a few at a time as
// `instaclustr-pg clusters` does.
const pkg = await import("./pkg/web.js");
export { resizeBody } from "./pkg/cli/plan.js";
export { mapLimit } from "./pkg/cli/map-limit.js";

export const {
  InstaclustrClient,
  validateCreateCluster,
  validateUpdateCluster,
  validateRestoreCluster,
  parsePointInTime,
  buildCreateClusterRequest,
  ValidationError,
} = pkg;

/** Whether the package exports everything the console needs (names from the JS contract). */
export function missingExports() {
  const names = [
    "InstaclustrClient",
    "validateCreateCluster",
    "validateUpdateCluster",
    "validateRestoreCluster",
    "parsePointInTime",
    "buildCreateClusterRequest",
    "ValidationError",
  ];
  return names.filter((n) => typeof pkg[n] !== "function");
}

/**
 * Versions per application from `listVersions` / `listCompatibleVersions`
 * (`ApplicationVersionsList[]`), newest first, each listed once.
 * @returns {Map<string, string[]>}
 */
export function versionsByApplication(response) {
  const out = new Map();
  for (const { application, versions } of response.flatMap((group) => group.applicationVersions)) {
    const list = out.get(application) ?? [];
    for (const v of versions) if (!list.includes(v)) list.push(v);
    out.set(application, list);
  }
  for (const list of out.values()) list.sort(compareVersions).reverse();
  return out;
}

/**
 * Node sizes per provider from `listCompatibleNodeSizes` (`CloudProviderNodeSizesList[]`), each
 * listed once.
 * @returns {Map<string, { nodeSizes: string[], document?: string }>}
 */
export function nodeSizesByProvider(response) {
  const out = new Map();
  for (const entry of response.flatMap((group) => group.cloudProviderNodeSizes)) {
    const cur = out.get(entry.cloudProvider) ?? { nodeSizes: [], document: entry.document };
    for (const s of entry.nodeSizes) if (!cur.nodeSizes.includes(s)) cur.nodeSizes.push(s);
    out.set(entry.cloudProvider, cur);
  }
  return out;
}

/** Compares `x.y.z` versions numerically. */
export function compareVersions(a, b) {
  const pa = String(a).split(".").map(Number);
  const pb = String(b).split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}
