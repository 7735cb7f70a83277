// The catalogue (versions, PgBouncer versions, node sizes per provider, all from the API) and the
// create form: live validation through the package's validator, every violation beside its field,
// a request preview built by the package without credentials (the console holds no copy of the
// API key: the client does), submit enabled only when valid.
import { validateCreateCluster, buildCreateClusterRequest, versionsByApplication, nodeSizesByProvider } from "./sdk.js";
import { state, emit, on } from "./state.js";
import { $, $$, el, busy, showError, clearError } from "./ui.js";

const PROVIDER_LABELS = {
  AWS_VPC: "AWS",
  GCP: "Google Cloud",
  AZURE: "Azure",
  AZURE_AZ: "Azure (zones)",
  ONPREMISES: "On-premises",
};
const REGION_HINTS = {
  AWS_VPC: ["US_EAST_1", "US_WEST_2", "EU_WEST_1", "EU_CENTRAL_1", "AP_SOUTHEAST_2"],
  GCP: ["us-east1", "us-central1", "europe-west1", "australia-southeast1"],
  AZURE: ["EAST_US", "WEST_EUROPE", "AUSTRALIA_EAST"],
  AZURE_AZ: ["EAST_US", "WEST_EUROPE", "AUSTRALIA_EAST"],
  ONPREMISES: ["CLIENT_DC"],
};

const field = (bind) => $(`[data-bind="${bind}"]`);
const value = (bind) => {
  const node = field(bind);
  return node.type === "checkbox" ? node.checked : node.value;
};

function fillSelect(select, items, { keep = true, label = (x) => x } = {}) {
  const previous = select.value;
  select.replaceChildren(...items.map((x) => el("option", { value: x }, label(x))));
  if (keep && items.includes(previous)) select.value = previous;
}

export function initCreate() {
  const form = $("#create-form");
  form.addEventListener("input", () => refresh());
  form.addEventListener("change", (e) => {
    const bind = e.target?.dataset?.bind;
    if (bind === "cloudProvider" || bind === "pgBouncerEnabled") updateNodeSizes();
    if (bind === "cloudProvider") updateRegionHints();
    if (bind === "postgresqlVersion") loadPgBouncerVersions();
    if (bind === "pgBouncerEnabled") togglePgBouncer();
    refresh();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  $("#show-create").addEventListener("click", () => emit("show-create"));
  on("connected", () => loadCatalogue());
  resetDefaults();
  togglePgBouncer();
  refresh();
}

function suggestName() {
  return `pg-demo-${Math.random().toString(36).slice(2, 7)}`;
}

function resetDefaults() {
  field("name").value = suggestName();
  field("dcName").value = "dc-1";
  field("region").value = "US_EAST_1";
  field("network").value = "10.0.0.0/16";
  field("numberOfNodes").value = "2";
  field("clientToClusterEncryption").checked = true;
}

/** Loads versions and node sizes from the API and fills the form's choices. */
export async function loadCatalogue() {
  const slot = $("#create-error");
  clearError(slot);
  const { client } = state;
  if (!client) return;
  try {
    const [versions, sizes, sizesPgb] = await Promise.all([
      client.listVersions(),
      client.listCompatibleNodeSizes({ pgbouncerRequired: false }),
      client.listCompatibleNodeSizes({ pgbouncerRequired: true }),
    ]);
    const byApp = versionsByApplication(versions);
    state.catalogue.postgresql = byApp.get("POSTGRESQL") ?? [];
    state.catalogue.pgbouncer = byApp.get("PGBOUNCER") ?? [];
    state.catalogue.nodeSizes = nodeSizesByProvider(sizes);
    state.catalogue.nodeSizesPgb = nodeSizesByProvider(sizesPgb);
  } catch (err) {
    showError(slot, err);
    return;
  }
  fillSelect(field("postgresqlVersion"), state.catalogue.postgresql);
  const providers = [...state.catalogue.nodeSizes.keys()];
  fillSelect(field("cloudProvider"), providers, { label: (p) => PROVIDER_LABELS[p] ?? p });
  if (providers.includes("AWS_VPC") && !field("cloudProvider").dataset.touched)
    field("cloudProvider").value = "AWS_VPC";
  updateRegionHints();
  updateNodeSizes();
  await loadPgBouncerVersions();
  refresh();
}

async function loadPgBouncerVersions() {
  const version = value("postgresqlVersion");
  const select = field("pgBouncerVersion");
  if (!state.client || !version) return;
  try {
    const compatible = versionsByApplication(await state.client.listCompatibleVersions(version));
    fillSelect(select, compatible.get("PGBOUNCER") ?? []);
  } catch (err) {
    // fall back to every PgBouncer version of the catalogue and say why
    fillSelect(select, state.catalogue.pgbouncer);
    showError($("#create-error"), err);
  }
  refresh();
}

function updateNodeSizes() {
  const provider = value("cloudProvider");
  const table = value("pgBouncerEnabled") ? state.catalogue.nodeSizesPgb : state.catalogue.nodeSizes;
  const sizes = table.get(provider)?.nodeSizes ?? [];
  const select = field("nodeSize");
  fillSelect(select, sizes);
  if (!sizes.includes(select.value)) select.value = sizes.find((s) => s.includes("-DEV-")) ?? sizes[0] ?? "";
  else if (!select.dataset.touched) select.value = sizes.find((s) => s.includes("-DEV-")) ?? select.value;
}

function updateRegionHints() {
  const hints = REGION_HINTS[value("cloudProvider")] ?? [];
  $("#region-options").replaceChildren(...hints.map((r) => el("option", { value: r })));
}

function togglePgBouncer() {
  const on = value("pgBouncerEnabled");
  for (const node of $$("[data-pgb]")) node.hidden = !on;
}

/** The request body exactly as the form describes it (invalid values are kept so they are reported). */
export function formBody() {
  const nodes = value("numberOfNodes").trim();
  const dc = {
    name: value("dcName").trim(),
    cloudProvider: value("cloudProvider"),
    region: value("region").trim(),
    network: value("network").trim(),
    nodeSize: value("nodeSize"),
    numberOfNodes: nodes === "" ? undefined : /^-?\d+$/.test(nodes) ? Number(nodes) : nodes,
    clientToClusterEncryption: value("clientToClusterEncryption"),
    intraDataCentreReplication: [{ replicationMode: value("replicationMode") }],
  };
  if (dc.numberOfNodes === undefined) delete dc.numberOfNodes;
  if (value("pgBouncerEnabled"))
    dc.pgBouncer = [{ pgBouncerVersion: value("pgBouncerVersion"), poolMode: value("poolMode") }];
  const body = {
    name: value("name").trim(),
    postgresqlVersion: value("postgresqlVersion"),
    slaTier: value("slaTier"),
    synchronousModeStrict: value("synchronousModeStrict"),
    privateNetworkCluster: value("privateNetworkCluster"),
    dataCentres: [dc],
  };
  const email = value("twoFactorEmail").trim();
  if (email) body.twoFactorDelete = [{ confirmationEmail: email }];
  return body;
}

let lastViolations = [];

/** Re-validates the form, places each violation beside its field, updates preview and submit. */
function refresh() {
  const body = formBody();
  const violations = validateCreateCluster(body);
  lastViolations = violations;
  const slots = new Map($$("[data-error-for]", $("#create-form")).map((n) => [n.dataset.errorFor, n]));
  for (const slot of slots.values()) slot.replaceChildren();
  for (const input of $$("[data-bind]", $("#create-form"))) input.removeAttribute("aria-invalid");
  const unplaced = [];
  for (const v of violations) {
    const slot = slots.get(v.path) ?? nearestSlot(slots, v.path);
    if (slot) {
      slot.append(el("span", { dataset: { code: v.code ?? "" } }, v.message));
      const input = slot.closest(".field")?.querySelector("input, select");
      input?.setAttribute("aria-invalid", "true");
    } else {
      unplaced.push(v);
    }
  }
  const other = $("#create-other-errors");
  other.replaceChildren(
    ...(unplaced.length
      ? [
          el(
            "ul",
            {},
            unplaced.map((v) =>
              el("li", { dataset: { path: v.path } }, el("code", {}, v.path || "(cluster)"), `: ${v.message}`),
            ),
          ),
        ]
      : []),
  );
  const n = violations.length;
  $("#create-validity").textContent =
    n === 0 ? "Ready to send" : `${n} problem${n === 1 ? "" : "s"} to fix before sending`;
  $("#create-validity").className = `validity ${n === 0 ? "ok" : "bad"}`;
  $("#create-submit").disabled = n > 0 || !state.client || submitting;
  renderPreview(body, n);
}

/** A violation on `dataCentres[0].pgBouncer[0]` lands on the closest field slot that prefixes it. */
function nearestSlot(slots, path) {
  let best = null;
  for (const [p, slot] of slots) {
    if (path.startsWith(p) && (!best || p.length > best[0].length)) best = [p, slot];
    else if (p.startsWith(`${path}[`) || p.startsWith(`${path}.`)) best ??= [p, slot];
  }
  return best?.[1] ?? null;
}

function renderPreview(body, problems) {
  // built without username and API key, so it has no Authorization header: the line shown in its
  // place says what the client adds when it sends, without the credentials
  const baseUrl = state.conn?.baseUrl ?? $("#conn-base-url").value.trim();
  let req = null;
  try {
    req = buildCreateClusterRequest(body, { baseUrl });
  } catch {
    // an invalid body has no request to preview: the problems are listed instead
  }
  if (req) {
    const username = state.conn?.username || $("#conn-username").value.trim() || "username";
    $("#preview-method").textContent = req.method;
    $("#preview-url").textContent = req.url;
    $("#preview-headers").textContent = [
      ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`),
      `Authorization: Basic ••••••••  (${username}:API key, added by the client when it sends)`,
    ].join("\n");
    $("#preview-body").textContent = pretty(req.body ?? "");
    $("#preview-body").classList.remove("draft");
  } else {
    $("#preview-headers").textContent = problems
      ? `(not built: fix ${problems} problem${problems === 1 ? "" : "s"} first)`
      : "(not built)";
    $("#preview-body").textContent = JSON.stringify(body, null, 2);
    $("#preview-body").classList.add("draft");
  }
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

let submitting = false;

async function submit() {
  refresh();
  if (lastViolations.length || !state.client) return;
  const slot = $("#create-error");
  clearError(slot);
  submitting = true;
  try {
    await busy($("#create-submit"), async () => {
      const cluster = await state.client.createCluster(formBody());
      field("name").value = suggestName();
      emit("cluster-created", cluster);
    });
  } catch (err) {
    showError(slot, err);
  } finally {
    submitting = false;
    refresh();
  }
}

// remember which choices the user made so catalogue reloads do not override them
document.addEventListener("change", (e) => {
  if (e.target?.dataset?.bind) e.target.dataset.touched = "1";
});
