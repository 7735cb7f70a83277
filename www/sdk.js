// The one place that imports the package: it re-exports what the console uses and normalises the
// few response shapes the console reads, so that the other modules stay small and the demo adapts
// in one spot if the package changes shape.
// `web.js` is the browser entry scripts/build writes to pkg/ (copied to www/pkg/); it fetches and
// instantiates the wasm module itself with a top-level await, so there is no init() to call.
const pkg = await import('./pkg/web.js');

export const {
  InstaclustrClient,
  validateCreateCluster,
  validateUpdateCluster,
  validateRestoreCluster,
  parsePointInTime,
  buildCreateClusterRequest,
} = pkg;

/** Whether the package exports everything the console needs (names from the JS contract). */
export function missingExports() {
  const names = ['InstaclustrClient', 'validateCreateCluster', 'validateUpdateCluster', 'validateRestoreCluster',
    'parsePointInTime', 'buildCreateClusterRequest'];
  return names.filter((n) => typeof pkg[n] !== 'function');
}

const asArray = (v) => (Array.isArray(v) ? v : v == null ? [] : [v]);

/**
 * Versions per application from `listVersions` / `listCompatibleVersions`: accepts the API's
 * `[{ applicationVersions: [{ application, versions }] }]` and flatter variants.
 * @returns {Map<string, string[]>}
 */
export function versionsByApplication(response) {
  const out = new Map();
  for (const group of asArray(response)) {
    const entries = group && Array.isArray(group.applicationVersions) ? group.applicationVersions : [group];
    for (const entry of entries) {
      if (!entry || typeof entry.application !== 'string') continue;
      const list = out.get(entry.application) ?? [];
      for (const v of asArray(entry.versions)) if (typeof v === 'string' && !list.includes(v)) list.push(v);
      out.set(entry.application, list);
    }
  }
  for (const list of out.values()) list.sort(compareVersions).reverse();
  return out;
}

/**
 * Node sizes per provider from `listCompatibleNodeSizes`: accepts
 * `[{ cloudProviderNodeSizes: [{ cloudProvider, nodeSizes, document }] }]` and flatter variants.
 * @returns {Map<string, { nodeSizes: string[], document?: string }>}
 */
export function nodeSizesByProvider(response) {
  const out = new Map();
  for (const group of asArray(response)) {
    const entries = group && Array.isArray(group.cloudProviderNodeSizes) ? group.cloudProviderNodeSizes : [group];
    for (const entry of entries) {
      if (!entry || typeof entry.cloudProvider !== 'string') continue;
      const cur = out.get(entry.cloudProvider) ?? { nodeSizes: [], document: entry.document };
      for (const s of asArray(entry.nodeSizes)) if (typeof s === 'string' && !cur.nodeSizes.includes(s)) cur.nodeSizes.push(s);
      out.set(entry.cloudProvider, cur);
    }
  }
  return out;
}

/** PostgreSQL cluster IDs from `listClusters` (`[{ accountId, clusters: [{ application, id }] }]` or flat). */
export function postgresqlClusterIds(response) {
  const ids = [];
  for (const group of asArray(response)) {
    const entries = group && Array.isArray(group.clusters) ? group.clusters : [group];
    for (const c of entries) {
      if (!c) continue;
      const id = typeof c === 'string' ? c : c.id;
      const app = typeof c === 'object' ? c.application : undefined;
      if (typeof id === 'string' && (app === undefined || app === 'POSTGRESQL') && !ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

/** Compares `x.y.z` versions numerically. */
export function compareVersions(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}

/** The headers of a built request as `[name, value]` pairs (object, Map, Headers or pairs). */
export function headerPairs(headers) {
  if (!headers) return [];
  if (typeof headers.entries === 'function' && !Array.isArray(headers)) return [...headers.entries()];
  if (Array.isArray(headers)) return headers.map((h) => (Array.isArray(h) ? h : [h.name, h.value]));
  return Object.entries(headers);
}

/** A built request body as text. */
export function bodyText(body) {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return JSON.stringify(body);
}
