// DOM helpers, readable errors, the activity log and small formatters shared by every view.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Creates an element: `el('li', { class: 'x', dataset: { testid: 'y' } }, 'text', child)`. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Runs `fn` with `button` disabled and marked busy; re-enables it afterwards. */
export async function busy(button, fn) {
  const was = button.disabled;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await fn();
  } finally {
    button.removeAttribute("aria-busy");
    button.disabled = was;
  }
}

const KIND_TITLES = {
  ValidationError: "The request is not valid; nothing was sent",
  ApiError: "The API refused the request",
  NetworkError: "The API could not be reached",
  TimeoutError: "The request timed out",
  AbortError: "Cancelled",
  DecodeError: "The API answered something unexpected",
  WaiterError: "The operation did not finish",
};

/** A short title for an error of the package (by class name or code). */
export function errorTitle(err) {
  const name = err?.name && KIND_TITLES[err.name] ? err.name : null;
  if (name) return KIND_TITLES[name];
  if (err?.status) return `The API answered ${err.status}`;
  return "Something went wrong";
}

/** Renders an error into `slot`: title, message, the API's error list or the violations. */
export function showError(slot, err) {
  slot.replaceChildren();
  if (!err) return;
  const box = el("div", { class: "error-box", dataset: { testid: "error-box", code: err.code ?? "" } });
  const head = el("p", { class: "error-title" }, errorTitle(err));
  const meta = [];
  if (err.status) meta.push(`HTTP ${err.status}`);
  if (err.code) meta.push(err.code);
  if (meta.length) head.append(" ", el("span", { class: "error-meta" }, `(${meta.join(" · ")})`));
  box.append(head);
  if (err.message) box.append(el("p", { class: "error-message" }, clip(String(err.message))));
  const apiErrors = Array.isArray(err.errors) ? err.errors : [];
  if (apiErrors.length) {
    box.append(
      el(
        "ul",
        { class: "error-list", dataset: { testid: "api-errors" } },
        apiErrors.map((e) =>
          el("li", {}, e?.name ? el("code", {}, e.name) : null, e?.name ? ": " : "", clip(String(e?.message ?? e))),
        ),
      ),
    );
  }
  const violations = Array.isArray(err.violations) ? err.violations : [];
  if (violations.length) {
    box.append(
      el(
        "ul",
        { class: "error-list", dataset: { testid: "violations" } },
        violations.map((v) => el("li", {}, el("code", {}, v.path || "(body)"), `: ${v.message}`)),
      ),
    );
  }
  const dismiss = el(
    "button",
    { type: "button", class: "dismiss", "aria-label": "Dismiss error", onclick: () => slot.replaceChildren() },
    "×",
  );
  box.prepend(dismiss);
  slot.append(box);
}

export const clearError = (slot) => slot.replaceChildren();

/** Long texts (say, an HTML error page quoted in a message) are cut for display. */
const clip = (text, max = 400) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Whether an error is the caller's own cancellation (never shown as a failure): the package's `AbortError`. */
export const isAbort = (err) => err?.code === "ABORT_ERROR";

// ---- activity log (fed by the client's onRequest / onResponse hooks) ---------------------------
const MAX_LOG = 60;

/** Appends a line to the activity log. */
export function logActivity(kind, text, detail) {
  const log = $("#activity-log");
  if (!log) return;
  const time = new Date().toLocaleTimeString([], { hour12: false });
  log.prepend(
    el(
      "li",
      { class: `log-${kind}` },
      el("time", {}, time),
      " ",
      el("span", { class: "log-text" }, text),
      detail ? el("span", { class: "log-detail" }, ` ${detail}`) : null,
    ),
  );
  while (log.children.length > MAX_LOG) log.lastElementChild.remove();
}

/** Shortens an API URL to its path for the log. */
export function shortUrl(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return String(url);
  }
}

// ---- formatters --------------------------------------------------------------------------------
export const pct = (x) => `${Math.round(Math.max(0, Math.min(1, Number(x) || 0)) * 100)} %`;

export function fmtTime(ms) {
  if (ms == null || ms === "") return "—";
  const d = new Date(typeof ms === "string" && /^\d+$/.test(ms) ? Number(ms) : ms);
  if (Number.isNaN(d.getTime())) return String(ms);
  return d.toLocaleString([], { dateStyle: "medium", timeStyle: "medium" });
}

/** CSS class of a status badge. */
export function statusClass(status) {
  switch (status) {
    case "RUNNING":
    case "NO_OPERATION":
    case "COMPLETED":
      return "ok";
    case "PROVISIONING":
    case "PROVISIONED":
    case "GENESIS":
    case "OPERATION_IN_PROGRESS":
    case "ACTIVE":
      return "busy";
    case "DELETING":
    case "DELETED":
      return "gone";
    case "FAILED":
    case "OPERATION_FAILED":
    case "DEGRADED":
      return "bad";
    default:
      return "";
  }
}

export function setBadge(node, status) {
  node.textContent = status ?? "—";
  node.className = `badge ${statusClass(status)}`.trim();
}
