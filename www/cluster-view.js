// One cluster: status, operation status and per-node progress while provisioning or resizing
// (driven by waitForCluster's onProgress), resize of the node size, certificate download and
// delete with a typed confirmation.
import { validateUpdateCluster, resizeBody, ValidationError } from "./sdk.js";
import { state, emit, on } from "./state.js";
import { $, el, busy, showError, clearError, setBadge, isAbort, pct, fmtTime } from "./ui.js";
import { showBackups, stopBackups } from "./backups.js";

const WAIT = { maxWaitMs: 30 * 60 * 1000, minDelayMs: 400, maxDelayMs: 3000 };

let current = null; // the cluster on screen
let watcher = null; // AbortController of the running waiter
let mode = null; // { kind: 'provision' | 'resize' | 'delete', target? }
let certUrl = null;
let showPassword = false; // the default user's password is shown only on demand, never logged

export const currentCluster = () => current;

export function initClusterView() {
  on("open-cluster", ({ id }) => open(id));
  on("cluster-created", (cluster) => open(cluster.id, { cluster, watch: "provision" }));
  on("show-create", () => close());
  on("disconnected", () => close());
  $("#cluster-refresh").addEventListener("click", (e) => busy(e.currentTarget, () => reload()));
  $("#resize-form").addEventListener("submit", (e) => {
    e.preventDefault();
    resize();
  });
  $("#delete-confirm").addEventListener("input", updateDeleteButton);
  $("#delete-form").addEventListener("submit", (e) => {
    e.preventDefault();
    remove();
  });
  $("#cert-download").addEventListener("click", (e) => busy(e.currentTarget, downloadCert));
  $("#connect-password-toggle").addEventListener("click", () => {
    showPassword = !showPassword;
    render();
  });
}

function close() {
  watcher?.abort();
  watcher = null;
  stopBackups();
  current = null;
  $("#cluster-view").hidden = true;
  delete $("#cluster-view").dataset.clusterId;
  $("#create-view").hidden = false;
  emit("cluster-selected", null);
}

async function open(id, { cluster, watch } = {}) {
  watcher?.abort();
  watcher = null;
  mode = null;
  const view = $("#cluster-view");
  view.hidden = false;
  $("#create-view").hidden = true;
  view.dataset.clusterId = id;
  for (const slot of view.querySelectorAll(".error-slot")) clearError(slot);
  $("#cert-pem").hidden = true;
  $("#cert-link").hidden = true;
  $("#delete-confirm").value = "";
  $("#restore-result").hidden = true;
  showPassword = false;
  current = cluster ?? { id, name: id };
  render();
  emit("cluster-selected", id);
  if (!cluster) {
    const ok = await reload();
    if (!ok) return;
  }
  showBackups(id);
  if (watch || needsWatching(current)) startWatch(watch === "provision" || !watch ? { kind: "provision" } : watch);
}

function needsWatching(c) {
  return (
    c &&
    (c.currentClusterOperationStatus === "OPERATION_IN_PROGRESS" ||
      ["GENESIS", "PROVISIONING", "PROVISIONED"].includes(c.status) ||
      c.status === "DELETING")
  );
}

async function reload() {
  if (!current?.id || !state.client) return false;
  try {
    current = await state.client.getCluster(current.id);
    render();
    emit("cluster-updated", current);
    return true;
  } catch (err) {
    showError($("#cluster-error"), err);
    return false;
  }
}

/** Polls the cluster through the package's waiter, rendering every observed state. */
async function startWatch(m) {
  watcher?.abort();
  const ctrl = new AbortController();
  watcher = ctrl;
  mode = m;
  render();
  try {
    const until = m.kind === "delete" ? "DELETED" : "RUNNING";
    const done = await state.client.waitForCluster(current.id, {
      ...WAIT,
      until,
      signal: ctrl.signal,
      onProgress: (p) => {
        if (ctrl.signal.aborted) return;
        applyProgress(p);
        render();
        emit("cluster-updated", current);
        // the waiter reports statuses; node details (sizes, addresses) come from a throttled read
        refreshDetails(ctrl);
      },
    });
    if (ctrl.signal.aborted) return;
    mode = null;
    if (m.kind === "delete") {
      current = {
        ...current,
        status: "DELETED",
        currentClusterOperationStatus: "NO_OPERATION",
        dataCentres: (current.dataCentres ?? []).map((dc) => ({
          ...dc,
          nodes: dc.nodes.map((n) => ({ ...n, status: "DELETED" })),
        })),
      };
      render();
      emit("cluster-gone", current.id);
    } else {
      if (done) current = done;
      else await reload();
      render();
      emit("cluster-updated", current);
      showBackups(current.id);
    }
  } catch (err) {
    if (isAbort(err) && ctrl.signal.aborted) return;
    mode = null;
    render();
    showError($("#cluster-error"), err);
  } finally {
    if (watcher === ctrl) watcher = null;
  }
}

/**
 * Merges one waiter observation (`WaitProgress`: `{ status?, currentClusterOperationStatus?,
 * nodes: [{ id?, dataCentre, status? }], ... }`) into the cluster on screen.
 */
function applyProgress(p) {
  if (!current) return;
  const next = { ...current };
  if (p.status) next.status = p.status;
  if (p.currentClusterOperationStatus) next.currentClusterOperationStatus = p.currentClusterOperationStatus;
  // the placeholder shown before the first read has no data centres yet
  if (Array.isArray(next.dataCentres)) {
    const byId = new Map(p.nodes.filter((n) => n.id).map((n) => [n.id, n]));
    next.dataCentres = next.dataCentres.map((dc) => ({
      ...dc,
      nodes: dc.nodes.map((n) => (byId.get(n.id)?.status ? { ...n, status: byId.get(n.id).status } : n)),
    }));
    // nodes the waiter saw that the last full read did not have yet
    const knownIds = new Set(next.dataCentres.flatMap((dc) => dc.nodes.map((n) => n.id)));
    for (const n of p.nodes) {
      if (!n.id || knownIds.has(n.id)) continue;
      const dc = next.dataCentres.find((d) => d.name === n.dataCentre) ?? next.dataCentres[0];
      if (dc) dc.nodes = [...dc.nodes, { id: n.id, status: n.status }];
    }
  }
  current = next;
}

let lastDetails = 0;
let detailsPending = false;

/** Re-reads the full cluster at most once a second while a waiter runs. */
async function refreshDetails(ctrl) {
  if (detailsPending || Date.now() - lastDetails < 1000 || !current?.id) return;
  detailsPending = true;
  lastDetails = Date.now();
  try {
    const full = await state.client.getCluster(current.id, { signal: ctrl.signal });
    if (ctrl.signal.aborted || watcher !== ctrl) return;
    // the full read replaces the cluster on screen; the waiter's next observation updates its
    // statuses again
    current = full;
    render();
  } catch {
    // a failed detail read is not an error of the operation; the waiter reports those
  } finally {
    detailsPending = false;
  }
}

// ---- rendering ---------------------------------------------------------------------------------
const allNodes = (c) => (c?.dataCentres ?? []).flatMap((dc) => dc.nodes.map((n) => ({ ...n, dc: dc.name })));

const STATUS_PROGRESS = { GENESIS: 0.1, PROVISIONING: 0.35, PROVISIONED: 0.75, RUNNING: 1, DELETING: 0.5, DELETED: 1 };

/** Progress of one node in the running operation, 0..1. */
function nodeProgress(n) {
  if (mode?.kind === "resize") {
    if (n.nodeSize === mode.target && n.status === "RUNNING") return 1;
    if (n.nodeSize === mode.target) return 0.6;
    return n.status === "RUNNING" ? 0 : 0.3;
  }
  if (mode?.kind === "delete") return n.status === "DELETED" ? 1 : n.status === "DELETING" ? 0.5 : 0;
  return STATUS_PROGRESS[n.status] ?? 0;
}

function render() {
  const c = current;
  if (!c) return;
  $("#cluster-title").textContent = c.name ?? "Cluster";
  $("#cluster-id").textContent = c.id ?? "";
  setBadge($("#cluster-status"), c.status);
  setBadge($("#cluster-op-status"), c.currentClusterOperationStatus);
  $("#delete-name-hint").textContent = c.name ?? "";

  const dc = c.dataCentres?.[0];
  const facts = [
    ["PostgreSQL", c.postgresqlVersion],
    ["SLA tier", c.slaTier],
    ["Provider / region", dc ? `${dc.cloudProvider} · ${dc.region}` : null],
    ["Network", dc?.network],
    ["Node size", dc?.nodeSize],
    ["Nodes", dc?.numberOfNodes],
    ["Replication", dc?.intraDataCentreReplication?.[0]?.replicationMode],
    ["PgBouncer", dc?.pgBouncer?.[0] ? `${dc.pgBouncer[0].pgBouncerVersion} (${dc.pgBouncer[0].poolMode})` : "none"],
    ["Encryption", dc ? (dc.clientToClusterEncryption ? "client to cluster" : "off") : null],
  ].filter(([, v]) => v != null && v !== "");
  $("#cluster-facts").replaceChildren(
    ...facts.map(([k, v]) => el("div", { class: "fact" }, el("dt", {}, k), el("dd", {}, String(v)))),
  );

  const nodes = allNodes(c);
  const host = nodes.find((n) => n.publicAddress)?.publicAddress ?? nodes.find((n) => n.privateAddress)?.privateAddress;
  $("#connect-hint").hidden = !(c.status === "RUNNING" && host);
  if (host) {
    const ca = "cluster-ca-certificate.pem";
    const facts = [
      ["Host", host],
      ["Port", "5432"],
      ["User", "icpostgresql"],
      ["TLS", "sslmode=verify-full"],
      ["CA file", `${ca} (in the certificate download)`],
    ];
    $("#connect-facts").replaceChildren(
      ...facts.map(([k, v]) => el("div", { class: "fact" }, el("dt", {}, k), el("dd", { class: "mono" }, v))),
    );
    $("#connect-command").textContent =
      `psql "host=${host} port=5432 dbname=postgres user=icpostgresql sslmode=verify-full sslrootcert=${ca}"`;
  }
  const password = typeof c.defaultUserPassword === "string" ? c.defaultUserPassword : "";
  $("#connect-password").textContent = showPassword && password ? password : "••••••••";
  $("#connect-password-toggle").textContent = showPassword ? "Hide" : "Show";
  $("#connect-password-toggle").setAttribute("aria-pressed", String(showPassword));
  $("#connect-password-toggle").disabled = !password;
  const working = !!mode || c.currentClusterOperationStatus === "OPERATION_IN_PROGRESS";
  $("#nodes-body").replaceChildren(
    ...(nodes.length
      ? nodes.map((n, i) => {
          const p = nodeProgress(n);
          const badge = el("span", { class: "badge" });
          setBadge(badge, n.status);
          return el(
            "tr",
            { dataset: { testid: "node-row", nodeId: n.id ?? "" } },
            el(
              "td",
              { class: "mono", title: n.id ?? "" },
              n.id ? `${n.id.slice(0, 8)}…` : `node ${i + 1}`,
              n.nodeRoles?.length ? el("div", { class: "muted small" }, n.nodeRoles.join(", ")) : null,
            ),
            el("td", {}, n.rack ?? "—"),
            el("td", { class: "mono" }, n.nodeSize ?? "—"),
            el("td", { class: "mono small" }, n.privateAddress ?? "—", el("br"), n.publicAddress ?? ""),
            el("td", {}, badge),
            el(
              "td",
              { class: "w-progress" },
              working
                ? el("progress", {
                    max: 1,
                    value: p,
                    dataset: { testid: "node-progress" },
                    "aria-label": `node ${i + 1} progress`,
                  })
                : el("span", { class: "muted small" }, n.startTime ? `since ${fmtTime(n.startTime)}` : "—"),
            ),
          );
        })
      : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No nodes reported yet."))]),
  );

  const block = $("#op-progress");
  block.hidden = !working;
  if (working) {
    const overall = nodes.length ? nodes.reduce((s, n) => s + nodeProgress(n), 0) / nodes.length : 0;
    const label =
      mode?.kind === "resize"
        ? `Resizing to ${mode.target}`
        : mode?.kind === "delete"
          ? "Deleting"
          : c.status === "RUNNING"
            ? "Operation in progress"
            : "Provisioning";
    $("#op-progress-label").textContent = `${label}…`;
    $("#op-progress-pct").textContent = pct(overall);
    $("#op-progress-bar").value = overall;
  }

  const gone = c.status === "DELETED" || c.status === "DELETING" || mode?.kind === "delete";
  const running = c.status === "RUNNING" && !working;
  fillResizeSizes(c);
  $("#resize-size").disabled = !running;
  $("#resize-form").querySelector("button").disabled = !running;
  $("#backup-trigger").disabled = !running;
  $("#cert-download").disabled = gone || !c.status;
  $("#delete-confirm").disabled = gone;
  $("#cluster-view").classList.toggle("is-gone", c.status === "DELETED");
  $("#cluster-view").dataset.gone = String(gone);
  $("#cluster-gone").hidden = c.status !== "DELETED";
  if (gone) $("#restore-submit").disabled = true;
  updateDeleteButton();
}

function fillResizeSizes(c) {
  const dc = c.dataCentres?.[0];
  const select = $("#resize-size");
  if (!dc) return select.replaceChildren();
  const table = dc.pgBouncer?.length ? state.catalogue.nodeSizesPgb : state.catalogue.nodeSizes;
  const sizes = (table.get(dc.cloudProvider)?.nodeSizes ?? []).filter((s) => s !== dc.nodeSize);
  const previous = select.value;
  select.replaceChildren(...sizes.map((s) => el("option", { value: s }, s)));
  if (sizes.includes(previous)) select.value = previous;
}

function updateDeleteButton() {
  const name = current?.name ?? "";
  const gone = current?.status === "DELETED" || current?.status === "DELETING" || mode?.kind === "delete";
  $("#delete-submit").disabled = gone || !name || $("#delete-confirm").value !== name;
}

// ---- actions -----------------------------------------------------------------------------------

async function resize() {
  const slot = $("#resize-error");
  clearError(slot);
  const c = current;
  const target = $("#resize-size").value;
  if (!c?.dataCentres?.length || !target) return;
  // the update body: the current data centre without its read-only fields, with the new size
  const body = resizeBody(c.dataCentres[0], target);
  const violations = validateUpdateCluster(body);
  if (violations.length) {
    showError(slot, new ValidationError("the update is not valid", { violations }));
    return;
  }
  await busy($("#resize-form").querySelector("button"), async () => {
    try {
      await state.client.updateCluster(c.id, body);
    } catch (err) {
      showError(slot, err);
      return;
    }
    current = { ...current, currentClusterOperationStatus: "OPERATION_IN_PROGRESS" };
    startWatch({ kind: "resize", target });
  });
}

async function remove() {
  const slot = $("#delete-error");
  clearError(slot);
  const c = current;
  if (!c || $("#delete-confirm").value !== c.name) return;
  await busy($("#delete-submit"), async () => {
    try {
      await state.client.deleteCluster(c.id);
    } catch (err) {
      showError(slot, err);
      return;
    }
    stopBackups();
    startWatch({ kind: "delete" });
  });
}

async function downloadCert() {
  const slot = $("#cert-error");
  clearError(slot);
  const c = current;
  if (!c?.id) return;
  let cert;
  try {
    cert = await state.client.downloadCertificate(c.id);
  } catch (err) {
    showError(slot, err);
    return;
  }
  if (certUrl) URL.revokeObjectURL(certUrl);
  certUrl = URL.createObjectURL(new Blob([cert.zip], { type: "application/zip" }));
  const link = $("#cert-link");
  link.href = certUrl;
  link.download = `${c.name ?? c.id}-ca-certificates.zip`;
  link.hidden = false;
  link.click();
  const pem = $("#cert-pem");
  pem.textContent = cert.pem ?? "";
  pem.hidden = !cert.pem;
}
