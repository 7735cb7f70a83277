// The open cluster's settings: its configuration properties (list, add, change, reset, with the
// name checked as it is typed), a "reload nodes" action that reloads each node in turn with its
// progress (waitForReload's onProgress), the default user's password change with the rules
// shown as they are met (the password never leaves the form but in the request: never shown,
// logged or kept), the description, the resize history and the maintenance events.
import { state, on } from "./state.js";
import { $, el, busy, showError, clearError, isAbort, fmtTime, setBadge } from "./ui.js";

const PARAM = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const WAIT = { maxWaitMs: 10 * 60 * 1000, minDelayMs: 400, maxDelayMs: 3000 };

let cluster = null; // the cluster on screen, as last read
let reloading = null; // AbortController of the reloads in progress

/** The password rules, each with whether `pw` meets it (the client checks them again). */
export function passwordRules(pw) {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  return [
    { id: "length", text: "at least 8 characters", met: [...pw].length >= 8 },
    { id: "classes", text: "three of: upper case, lower case, digits, other characters", met: classes >= 3 },
  ];
}

export function initSettings() {
  on("cluster-selected", (id) => {
    if (!id || id !== cluster?.id) reset();
  });
  on("cluster-updated", (c) => {
    const first = c?.id !== cluster?.id;
    cluster = c;
    if (first) loadConfigs();
    // the resize history follows every read of the cluster (a resize ends with one)
    loadHistory();
    renderDescription();
  });
  $("#config-form").addEventListener("submit", (e) => {
    e.preventDefault();
    busy($("#config-submit"), setConfig).then(checkName);
  });
  $("#config-name").addEventListener("input", checkName);
  $("#config-value").addEventListener("input", checkName);
  $("#reload-nodes").addEventListener("click", (e) => busy(e.currentTarget, reloadNodes));
  $("#password-input").addEventListener("input", renderRules);
  $("#password-form").addEventListener("submit", (e) => {
    e.preventDefault();
    busy($("#password-submit"), changePassword).then(renderRules);
  });
  $("#description-form").addEventListener("submit", (e) => {
    e.preventDefault();
    busy($("#description-submit"), saveDescription);
  });
  renderRules();
  checkName();
}

function reset() {
  reloading?.abort();
  reloading = null;
  cluster = null;
  $("#config-body").replaceChildren();
  $("#reload-progress").replaceChildren();
  $("#resizes-body").replaceChildren();
  $("#maintenance-body").replaceChildren();
  $("#password-input").value = "";
  renderRules();
  for (const id of ["config-error", "password-error", "description-error", "history-error"]) clearError($(`#${id}`));
  $("#password-done").hidden = true;
}

async function loadConfigs() {
  if (!cluster || !state.client) return;
  const id = cluster.id;
  try {
    const lists = await state.client.listConfigurations(id);
    if (id === cluster?.id) renderConfigs(lists.flatMap((l) => l.configurationProperties));
  } catch (err) {
    if (id === cluster?.id) showError($("#config-error"), err);
  }
}

function renderConfigs(props) {
  const rows = props.map((p) =>
    el(
      "tr",
      { dataset: { testid: "config-row", name: p.name } },
      el("td", {}, el("code", {}, p.name)),
      el("td", { dataset: { testid: "config-value" } }, p.value),
      el(
        "td",
        {},
        el(
          "button",
          {
            type: "button",
            class: "small",
            dataset: { testid: "config-edit" },
            onclick: () => {
              $("#config-name").value = p.name;
              $("#config-value").value = p.value;
              $("#config-value").focus();
              checkName();
            },
          },
          "Change",
        ),
        " ",
        el(
          "button",
          {
            type: "button",
            class: "small danger",
            dataset: { testid: "config-reset" },
            onclick: (e) => busy(e.currentTarget, () => resetConfig(p.name)),
          },
          "Reset",
        ),
      ),
    ),
  );
  $("#config-body").replaceChildren(
    ...(rows.length
      ? rows
      : [
          el(
            "tr",
            {},
            el("td", { colspan: 3, class: "hint" }, "No configuration set: every parameter has its default."),
          ),
        ]),
  );
}

/** Live validation of the form: the name's form and a value present, beside the fields. */
function checkName() {
  const name = $("#config-name").value.trim();
  const problems = [];
  if (name && !PARAM.test(name))
    problems.push("a PostgreSQL parameter name: letters, digits and _, parts separated by dots");
  $("#config-name-hint").textContent = problems.join("; ");
  $("#config-name").setAttribute("aria-invalid", problems.length ? "true" : "false");
  $("#config-submit").disabled = Boolean(problems.length) || !name || $("#config-value").value === "";
}

async function setConfig() {
  const slot = $("#config-error");
  clearError(slot);
  const name = $("#config-name").value.trim();
  const value = $("#config-value").value;
  const id = { clusterId: cluster.id, name };
  try {
    let exists = true;
    try {
      await state.client.getConfiguration(id);
    } catch (err) {
      if (err?.status !== 404) throw err;
      exists = false;
    }
    if (exists) await state.client.updateConfiguration(id, { value });
    else await state.client.createConfiguration({ clusterId: cluster.id, name, value });
    $("#config-name").value = "";
    $("#config-value").value = "";
    checkName();
    $("#reload-hint").textContent = `${name} is set: reload the nodes to apply it.`;
  } catch (err) {
    showError(slot, err);
  }
  await loadConfigs();
}

async function resetConfig(name) {
  const slot = $("#config-error");
  clearError(slot);
  try {
    await state.client.resetConfiguration({ clusterId: cluster.id, name });
    $("#reload-hint").textContent = `${name} is reset: reload the nodes to apply the default.`;
  } catch (err) {
    showError(slot, err);
  }
  await loadConfigs();
}

/** Reloads every node in turn, each row showing its reload's status until COMPLETED. */
async function reloadNodes() {
  const slot = $("#config-error");
  clearError(slot);
  reloading?.abort();
  const ctl = new AbortController();
  reloading = ctl;
  const nodes = (cluster.dataCentres ?? []).flatMap((dc) => dc.nodes ?? []);
  const rows = new Map(
    nodes.map((n) => [
      n.id,
      el(
        "li",
        { dataset: { testid: "reload-node", node: n.id } },
        el("code", {}, n.id.slice(0, 8)),
        " ",
        el("span", { class: "badge", dataset: { testid: "reload-status" } }, "waiting"),
      ),
    ]),
  );
  $("#reload-progress").replaceChildren(...rows.values());
  try {
    for (const n of nodes) {
      const badge = rows.get(n.id).querySelector(".badge");
      const r = await state.client.reloadNode(n.id, { signal: ctl.signal });
      setBadge(badge, r.status ?? "GENESIS");
      const done = await state.client.waitForReload(n.id, {
        ...WAIT,
        signal: ctl.signal,
        onProgress: (p) => setBadge(badge, p.status ?? ""),
      });
      setBadge(badge, done.status ?? "COMPLETED");
    }
    $("#reload-hint").textContent =
      `Reloaded ${nodes.length} node${nodes.length === 1 ? "" : "s"} at ${fmtTime(Date.now())}.`;
  } catch (err) {
    if (!isAbort(err)) showError(slot, err);
  } finally {
    if (reloading === ctl) reloading = null;
  }
}

function renderRules() {
  const pw = $("#password-input").value;
  const rules = passwordRules(pw);
  $("#password-rules").replaceChildren(
    ...rules.map((r) =>
      el(
        "li",
        { class: r.met ? "met" : "unmet", dataset: { testid: "password-rule", rule: r.id, met: String(r.met) } },
        r.met ? "✓ " : "✗ ",
        r.text,
      ),
    ),
  );
  $("#password-submit").disabled = !rules.every((r) => r.met);
}

async function changePassword() {
  const slot = $("#password-error");
  clearError(slot);
  $("#password-done").hidden = true;
  const input = $("#password-input");
  try {
    await state.client.updateDefaultUserPassword(cluster.id, { password: input.value });
    $("#password-done").hidden = false;
  } catch (err) {
    showError(slot, err);
  } finally {
    // the password is not kept, not even in the field
    input.value = "";
    renderRules();
  }
}

function renderDescription() {
  const d = cluster?.description;
  $("#description-current").textContent = d ? d : "(none)";
}

async function saveDescription() {
  const slot = $("#description-error");
  clearError(slot);
  try {
    await state.client.updateClusterSettings(cluster.id, { description: $("#description-input").value });
    cluster = await state.client.getCluster(cluster.id);
    $("#description-input").value = "";
    renderDescription();
  } catch (err) {
    showError(slot, err);
  }
}

async function loadHistory() {
  if (!cluster || !state.client) return;
  const id = cluster.id;
  try {
    const resizes = [];
    for (const dc of cluster.dataCentres ?? []) {
      if (!dc.id) continue;
      const { operations } = await state.client.listResizeOperations(dc.id);
      for (const o of operations) resizes.push({ dc: dc.name, ...o });
    }
    const [upcoming, inProgress, past] = await Promise.all([
      state.client.listUpcomingMaintenanceEvents(id),
      state.client.listInProgressMaintenanceEvents(id),
      state.client.listPastMaintenanceEvents(id),
    ]);
    if (id !== cluster?.id) return;
    $("#resizes-body").replaceChildren(
      ...(resizes.length
        ? resizes.map((o) =>
            el(
              "tr",
              { dataset: { testid: "resize-row" } },
              el("td", {}, o.dc),
              el("td", {}, o.newNodeSize ?? ""),
              el("td", {}, el("span", { class: "badge" }, o.status ?? "")),
              el(
                "td",
                {},
                `${o.replaceOperations.filter((r) => r.status === "REPLACED").length}/${o.replaceOperations.length}`,
              ),
              el("td", {}, o.created ?? ""),
            ),
          )
        : [el("tr", {}, el("td", { colspan: 5, class: "hint" }, "No resize yet."))]),
    );
    const events = [
      ...upcoming.flatMap((l) => l.maintenanceEvents).map((e) => ["upcoming", e.scheduledStartTime, e.description]),
      ...inProgress.flatMap((l) => l.maintenanceEvents).map((e) => ["in progress", e.startTime, e.description]),
      ...past.flatMap((l) => l.maintenanceEvents).map((e) => ["past", e.startTime, e.description]),
    ];
    $("#maintenance-body").replaceChildren(
      ...(events.length
        ? events.map(([when, start, what]) =>
            el(
              "tr",
              { dataset: { testid: "maintenance-row" } },
              el("td", {}, when),
              el("td", {}, start ?? ""),
              el("td", {}, what ?? ""),
            ),
          )
        : [el("tr", {}, el("td", { colspan: 3, class: "hint" }, "No maintenance events."))]),
    );
    for (const b of $("#resizes-body").querySelectorAll(".badge")) setBadge(b, b.textContent);
  } catch (err) {
    if (id === cluster?.id) showError($("#history-error"), err);
  }
}
