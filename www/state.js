// Session state, in memory only: the client (which holds the credentials), the connection
// details shown in the UI and the catalogue. Nothing here is ever written to storage.

export const state = {
  /** @type {import('./pkg/index.js').InstaclustrClient | null} */
  client: null,
  /** base URL and username of the live connection; the key itself stays inside `client` and `secret` */
  conn: null,
  catalogue: { postgresql: [], pgbouncer: [], nodeSizes: new Map(), nodeSizesPgb: new Map() },
};

// the API key is kept in a module-private slot (needed to build the request preview)
let secret = '';
export const setSecret = (key) => { secret = key; };
export const getSecret = () => secret;

/** A tiny event bus between the views (`connected`, `disconnected`, `cluster-changed`, `open-cluster`). */
export const bus = new EventTarget();
export const emit = (type, detail) => bus.dispatchEvent(new CustomEvent(type, { detail }));
export const on = (type, fn) => bus.addEventListener(type, (e) => fn(e.detail));
