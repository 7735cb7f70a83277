// The account's PostgreSQL clusters (listClusters, then getCluster for names and statuses) and
// opening a cluster by ID.
import { mapLimit } from "./sdk.js";
import { state, emit, on } from "./state.js";
import { $, el, showError, clearError, setBadge, busy } from "./ui.js";

const known = new Map(); // id -> last seen cluster (or null when gone)
let loading = null;

export function initClusters() {
  on("connected", () => refreshList());
  on("disconnected", () => {
    known.clear();
    render();
  });
  on("cluster-created", () => refreshList());
  on("clusters-stale", () => refreshList());
  on("cluster-updated", (cluster) => {
    if (cluster?.id) {
      known.set(cluster.id, cluster);
      render();
    }
  });
  on("cluster-gone", (id) => {
    known.delete(id);
    render();
  });
  on("cluster-selected", () => render());
  $("#clusters-refresh").addEventListener("click", (e) => busy(e.currentTarget, refreshList));
  $("#open-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = $("#open-id").value.trim();
    if (id) emit("open-cluster", { id });
  });
}

/** Reloads the list of the account's PostgreSQL clusters with their statuses. */
export function refreshList() {
  loading ??= (async () => {
    const slot = $("#clusters-error");
    clearError(slot);
    try {
      if (!state.client) return;
      // listClusters answers the account's PostgreSQL clusters only
      const ids = (await state.client.listClusters()).map((c) => c.id);
      const details = await mapLimit(ids, 4, async (id) => {
        try {
          return await state.client.getCluster(id);
        } catch (err) {
          if (err?.status === 404) return null;
          return { id, name: "(unavailable)", status: err?.code ?? "ERROR" };
        }
      });
      known.clear();
      // a deleted cluster stays listed for a short while with status DELETED: leave it out
      ids.forEach((id, i) => {
        if (details[i] && details[i].status !== "DELETED") known.set(id, details[i]);
      });
      render();
    } catch (err) {
      showError(slot, err);
    } finally {
      loading = null;
    }
  })();
  return loading;
}

function render() {
  const list = $("#cluster-list");
  const selected = $("#cluster-view").dataset.clusterId;
  const items = [...known.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  list.replaceChildren(
    ...items.map((c) => {
      const badge = el("span", { class: "badge" });
      setBadge(badge, c.status);
      return el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: `cluster-item${c.id === selected ? " selected" : ""}`,
            dataset: { testid: "cluster-row", clusterId: c.id, clusterName: c.name ?? "" },
            "aria-current": c.id === selected ? "true" : null,
            onclick: () => emit("open-cluster", { id: c.id }),
          },
          el("span", { class: "cluster-item-name" }, c.name ?? c.id),
          badge,
          el("span", { class: "cluster-item-id mono" }, c.id),
        ),
      );
    }),
  );
  $("#cluster-list-empty").hidden = items.length > 0;
}
