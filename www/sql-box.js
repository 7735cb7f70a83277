// The cluster page's SQL box: statements run on the cluster's database when the API is the in-tab
// emulator with PGlite (state.database, emulator-tab.js), the last statement's rows shown as a
// table (at most MAX_ROWS), an error shown as the database gave it.
import { state, on } from "./state.js";
import { $, el, busy, showError, clearError } from "./ui.js";

/** Rows shown of a result (the count says how many there were). */
const MAX_ROWS = 200;

let clusterId = null;

export function initSqlBox() {
  on("cluster-selected", (id) => {
    clusterId = id;
    clearError($("#sql-error"));
    $("#sql-result").replaceChildren();
    $("#sql-meta").textContent = "";
    update(null);
  });
  on("cluster-updated", (cluster) => update(cluster));
  on("disconnected", () => update(null));
  $("#sql-form").addEventListener("submit", (e) => {
    e.preventDefault();
    busy($("#sql-run"), run);
  });
}

/** Shown for a RUNNING cluster of an in-tab emulator that has databases. */
function update(cluster) {
  const shown = !!state.database && !!clusterId && cluster?.id === clusterId && cluster.status === "RUNNING";
  $("#sql-box").hidden = !shown;
}

async function run() {
  const slot = $("#sql-error");
  clearError(slot);
  const sql = $("#sql-input").value;
  const id = clusterId;
  if (!state.database || !id || !sql.trim()) return;
  const started = performance.now();
  try {
    const db = await state.database(id);
    const results = await db.exec(sql);
    const last = results[results.length - 1];
    render(last);
    const ms = Math.round(performance.now() - started);
    const count = last?.rows?.length ?? 0;
    $("#sql-meta").textContent = last?.fields?.length
      ? `${count} row${count === 1 ? "" : "s"} · ${ms} ms`
      : `done · ${ms} ms`;
  } catch (err) {
    $("#sql-result").replaceChildren();
    $("#sql-meta").textContent = "";
    showError(slot, err);
  }
}

function render(result) {
  const fields = result?.fields ?? [];
  if (!fields.length) {
    $("#sql-result").replaceChildren();
    return;
  }
  const cell = (v) => (v === null || v === undefined ? "NULL" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const rows = result.rows.slice(0, MAX_ROWS);
  $("#sql-result").replaceChildren(
    el("thead", {}, el("tr", {}, ...fields.map((f) => el("th", { scope: "col" }, f.name)))),
    el(
      "tbody",
      {},
      ...rows.map((r) =>
        el(
          "tr",
          { dataset: { testid: "sql-row" } },
          ...fields.map((f) => el("td", { class: "mono small" }, cell(r[f.name]))),
        ),
      ),
    ),
  );
}
