// Session state, in memory only: the client (which holds the credentials), the connection
// details shown in the UI and the catalogue. Nothing here is ever written to storage.

export const state = {
  /** @type {import('./pkg/web.js').InstaclustrClient | null} */
  client: null,
  /** base URL and username of the live connection; the API key is held by `client` alone */
  conn: null,
  catalogue: { postgresql: [], pgbouncer: [], nodeSizes: new Map(), nodeSizesPgb: new Map() },
  /** The API's present, epoch ms: the clock of the emulator in this tab when that is the API */
  now: () => Date.now(),
  /** `(clusterId) => Promise<PGlite>` when the API is the in-tab emulator with PGlite databases, else null */
  database: null,
};

/**
 * A tiny event bus between the views. The events, with their `detail`:
 * - `connected` (none), `disconnected` (none): connection.js, after a proven connection / on disconnect;
 * - `show-create` (none): create.js, the "new cluster" button;
 * - `cluster-created` (the created cluster): create.js;
 * - `open-cluster` (`{ id }`): clusters.js (a row), backups.js (the restored cluster);
 * - `cluster-selected` (the shown cluster's id, or `null` when none is shown): cluster-view.js;
 * - `cluster-updated` (the cluster as last read): cluster-view.js;
 * - `cluster-gone` (the deleted cluster's id): cluster-view.js;
 * - `clusters-stale` (none): backups.js, after a restore created a cluster; connection.js, after the
 *   in-tab emulator's clock moved ahead or its clusters were removed.
 */
export const bus = new EventTarget();
export const emit = (type, detail) => bus.dispatchEvent(new CustomEvent(type, { detail }));
export const on = (type, fn) => bus.addEventListener(type, (e) => fn(e.detail));
