// Backups of the open cluster: trigger, the last 7 days of events per node with progress bars
// (waitForBackup's onProgress drives the overall bar), and point-in-time restore with a
// date-time picker and a free text field, parsed by the package and shown in UTC before sending.
import { parsePointInTime, validateRestoreCluster } from "./sdk.js";
import { state, emit } from "./state.js";
import { $, el, busy, showError, clearError, isAbort, pct, fmtTime, statusClass } from "./ui.js";

const DAY = 24 * 60 * 60 * 1000;
const WINDOW = 7 * DAY;
let clusterId = null;
let waiter = null;
let lastFetch = 0;

export function initBackups() {
  $("#backup-trigger").addEventListener("click", (e) => busy(e.currentTarget, trigger));
  $("#backups-refresh").addEventListener("click", (e) => busy(e.currentTarget, () => load()));
  $("#restore-picker").addEventListener("input", fromPicker);
  $("#restore-text").addEventListener("input", () => updateRestore({ syncPicker: true }));
  $("#restore-name").addEventListener("input", updateRestore);
  $("#restore-now").addEventListener("click", () => {
    $("#restore-text").value = new Date(state.now() - 1000).toISOString();
    updateRestore({ syncPicker: true });
  });
  $("#restore-form").addEventListener("submit", (e) => {
    e.preventDefault();
    restore();
  });
  updateRestore();
}

/** Shows the backups of a cluster (called when a cluster opens). */
export function showBackups(id) {
  if (clusterId !== id) {
    stopBackups();
    clusterId = id;
    $("#backup-progress").hidden = true;
    $("#backup-timeline").replaceChildren();
  }
  clearError($("#backup-error"));
  clearError($("#restore-error"));
  updateRestore();
  load();
}

export function stopBackups() {
  waiter?.abort();
  waiter = null;
}

async function load() {
  if (!clusterId || !state.client) return;
  const id = clusterId;
  lastFetch = Date.now();
  try {
    const events = await state.client.listBackups(id);
    if (id === clusterId) renderTimeline(events);
  } catch (err) {
    if (id === clusterId && err?.status !== 404) showError($("#backup-error"), err);
  }
}

async function trigger() {
  const slot = $("#backup-error");
  clearError(slot);
  if (!clusterId) return;
  const id = clusterId;
  const requestedAt = Date.now();
  try {
    await state.client.triggerBackup(id);
  } catch (err) {
    showError(slot, err);
    return;
  }
  waiter?.abort();
  const ctrl = new AbortController();
  waiter = ctrl;
  setProgress(0, "Backup requested");
  try {
    await state.client.waitForBackup(id, {
      maxWaitMs: 30 * 60 * 1000,
      minDelayMs: 400,
      maxDelayMs: 3000,
      since: requestedAt - 5000, // only the events of this backup (a little clock skew allowed)
      signal: ctrl.signal,
      onProgress: (p) => {
        if (ctrl.signal.aborted) return;
        const value = typeof p === "number" ? p : (p?.progress ?? p?.overall ?? 0);
        setProgress(value, "Backup in progress");
        const events = p && typeof p === "object" ? (p.backups ?? p.events) : null;
        if (events?.clusterDataCentres) renderTimeline(events);
        else if (Date.now() - lastFetch > 800) load();
      },
    });
    if (ctrl.signal.aborted) return;
    setProgress(1, "Backup completed");
    await load();
    updateRestore();
  } catch (err) {
    if (isAbort(err) && ctrl.signal.aborted) return;
    showError(slot, err);
  } finally {
    if (waiter === ctrl) waiter = null;
  }
}

function setProgress(value, label) {
  const v = Math.max(0, Math.min(1, Number(value) || 0));
  $("#backup-progress").hidden = false;
  $("#backup-progress-label").textContent = label;
  $("#backup-progress-pct").textContent = pct(v);
  $("#backup-progress-bar").value = v;
  $("#backup-progress").classList.toggle("done", v >= 1);
}

const eventTime = (t) =>
  typeof t === "number" ? t : typeof t === "string" ? (/^\d+$/.test(t) ? Number(t) : Date.parse(t)) : NaN;

function renderTimeline(data) {
  const now = state.now();
  const from = now - WINDOW;
  const rows = [];
  for (const dc of data?.clusterDataCentres ?? []) {
    for (const node of dc.nodes ?? []) {
      const events = (node.events ?? [])
        .map((e) => ({ ...e, startMs: eventTime(e.start), endMs: eventTime(e.end) }))
        .filter((e) => !(e.startMs < from))
        .sort((a, b) => (b.startMs || 0) - (a.startMs || 0));
      const track = el(
        "div",
        { class: "track", "aria-hidden": "true" },
        [1, 2, 3, 4, 5, 6].map((d) => el("span", { class: "tick", style: `left:${(d / 7) * 100}%` })),
        events
          .filter((e) => Number.isFinite(e.startMs))
          .map((e) =>
            el("span", {
              class: `mark ${statusClass(e.state)}`,
              style: `left:${Math.max(0, Math.min(100, ((e.startMs - from) / WINDOW) * 100))}%`,
              title: `${e.type ?? "event"} · ${e.state ?? ""} · ${fmtTime(e.startMs)}`,
            }),
          ),
      );
      const list = el(
        "ul",
        { class: "events" },
        events.slice(0, 4).map((e) =>
          el(
            "li",
            { dataset: { testid: "backup-event", state: e.state ?? "" } },
            el("span", { class: "event-type" }, e.type ?? "event"),
            el("span", { class: "muted small" }, fmtTime(e.startMs)),
            el("progress", {
              max: 1,
              value: Math.max(0, Math.min(1, Number(e.progress) || (e.state === "COMPLETED" ? 1 : 0))),
              "aria-label": `${e.type ?? "event"} progress`,
            }),
            el("span", { class: `badge ${statusClass(e.state)}` }, e.state ?? "—"),
          ),
        ),
      );
      rows.push(
        el(
          "div",
          { class: "timeline-row", dataset: { testid: "timeline-row", nodeId: node.id ?? "" } },
          el(
            "div",
            { class: "timeline-label" },
            el("span", { class: "mono" }, node.id ? `${String(node.id).slice(0, 8)}…` : "node"),
            el("span", { class: "muted small" }, `${dc.name ?? ""} ${node.privateAddress ?? ""}`.trim()),
          ),
          el(
            "div",
            { class: "timeline-body" },
            track,
            events.length ? list : el("p", { class: "muted small" }, "No backup events in the last 7 days."),
          ),
        ),
      );
    }
  }
  const axis = el(
    "div",
    { class: "timeline-axis", "aria-hidden": "true" },
    el("span", {}, "7 days ago"),
    el("span", {}, "now"),
  );
  $("#backup-timeline").replaceChildren(
    ...(rows.length ? [axis, ...rows] : [el("p", { class: "muted" }, "No backup events yet.")]),
  );
}

// ---- point-in-time restore ---------------------------------------------------------------------
const pad = (n) => String(n).padStart(2, "0");
/** Epoch ms as the local wall-clock value a datetime-local input expects. */
function toLocalInput(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fromPicker() {
  const v = $("#restore-picker").value;
  if (v) {
    const ms = new Date(v).getTime(); // a datetime-local value without offset is local time
    $("#restore-text").value = Number.isNaN(ms) ? v : new Date(ms).toISOString();
  }
  updateRestore();
}

let restoreState = { ok: false, ms: null };

function updateRestore({ syncPicker = false } = {}) {
  const text = $("#restore-text").value.trim();
  const name = $("#restore-name").value.trim();
  const out = $("#restore-parsed");
  $("#restore-picker").max = toLocalInput(state.now());
  let ms = null;
  let problem = null;
  if (!text) {
    problem = "Pick or type the instant to restore to.";
  } else {
    try {
      ms = Number(parsePointInTime(/^\d+$/.test(text) ? Number(text) : text, { now: state.now() }));
      if (!Number.isFinite(ms)) problem = "not a point in time";
      else if (ms > state.now() + 1000) problem = "the point in time is in the future";
    } catch (err) {
      problem = err?.violations?.[0]?.message ?? err?.message ?? String(err);
    }
  }
  if (problem || ms == null) {
    out.className = text ? "parsed bad" : "parsed muted";
    out.textContent = text ? `✗ ${problem}` : problem;
    restoreState = { ok: false, ms: null };
  } else {
    const iso = new Date(ms).toISOString();
    out.className = "parsed ok";
    out.replaceChildren(
      "Restores to ",
      el("strong", { dataset: { testid: "restore-utc" } }, `${iso.replace("T", " ").replace("Z", "")} UTC`),
      el("span", { class: "muted" }, ` · ${ms} ms · ${ago(ms)}`),
    );
    restoreState = { ok: true, ms };
    if (syncPicker) $("#restore-picker").value = toLocalInput(ms);
  }
  // name rules come from the package's restore validator
  const nameSlot = $('[data-restore-error-for="restoredClusterName"]');
  nameSlot.replaceChildren();
  let nameOk = true;
  if (name && clusterId) {
    const violations = (validateRestoreCluster({ clusterId, restoredClusterName: name }) ?? []).filter(
      (v) => v.path === "restoredClusterName",
    );
    nameOk = violations.length === 0;
    nameSlot.append(...violations.map((v) => el("span", {}, v.message)));
  }
  const gone = $("#cluster-view").dataset.gone === "true";
  $("#restore-submit").disabled = !restoreState.ok || !nameOk || !clusterId || !state.client || gone;
}

function ago(ms) {
  const s = Math.round((state.now() - ms) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < (2 * DAY) / 1000) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

async function restore() {
  updateRestore();
  const slot = $("#restore-error");
  clearError(slot);
  if (!restoreState.ok || !clusterId) return;
  const body = { clusterId, pointInTime: new Date(restoreState.ms).toISOString() };
  const name = $("#restore-name").value.trim();
  if (name) body.restoredClusterName = name;
  await busy($("#restore-submit"), async () => {
    let res;
    try {
      res = await state.client.restoreCluster(body);
    } catch (err) {
      showError(slot, err);
      return;
    }
    const newId = res?.restoredClusterId;
    const box = $("#restore-result");
    box.hidden = false;
    box.replaceChildren(
      el(
        "p",
        {},
        "Restore requested. ",
        newId ? ["New cluster ", el("code", { dataset: { testid: "restored-id" } }, newId), " is provisioning."] : "",
      ),
      newId
        ? el(
            "button",
            {
              type: "button",
              dataset: { testid: "open-restored" },
              onclick: () => emit("open-cluster", { id: newId }),
            },
            "Open restored cluster",
          )
        : null,
    );
    emit("clusters-stale");
  });
}
