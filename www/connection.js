// The connection panel: base URL (this page's origin by default, i.e. the emulator serving it),
// username and API key (from ?user=&key= when present), kept in memory only; or an emulator in
// this tab (emulator-tab.js; chosen by the checkbox or ?emulator=tab), for a console opened from
// a static file server with no API behind it.
import { InstaclustrClient } from "./sdk.js";
import { state, emit } from "./state.js";
import { $, busy, showError, clearError, logActivity, shortUrl } from "./ui.js";

/** Base URL shown for the in-tab emulator (never contacted: its fetch answers in the page). */
const TAB_BASE_URL = "https://api.instaclustr.com";
/** The in-tab emulator's one account: createEmulator's default, the demo account (no secret: the
 * emulator lives in this tab). */
const TAB_ACCOUNT = { username: "demo", apiKey: "demo-api-key" };
let tab = null; // the emulator-tab.js module, once the in-tab emulator was chosen

/** The emulator-tab.js module, loaded on first use (an app that never chooses it never loads it). */
const tabModule = async () => (tab ??= await import("./emulator-tab.js"));

export function initConnection() {
  const form = $("#conn-form");
  const params = new URLSearchParams(location.search);
  $("#conn-base-url").value = params.get("baseUrl") || (location.origin.startsWith("http") ? location.origin : "");
  $("#conn-username").value = params.get("user") ?? "";
  $("#conn-api-key").value = params.get("key") ?? "";
  if (params.has("key")) {
    // keep the key out of the address bar (and so out of history) once read
    const clean = new URL(location.href);
    clean.searchParams.delete("key");
    history.replaceState(null, "", clean);
  }

  const inTab = $("#conn-in-tab");
  inTab.addEventListener("change", () => chooseInTab(inTab.checked));
  if (params.get("emulator") === "tab") {
    inTab.checked = true;
    chooseInTab(true);
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await busy($("#conn-submit"), () => connect());
  });
  $("#conn-disconnect").addEventListener("click", disconnect);
  $("#tab-skip").addEventListener("click", (e) =>
    busy(e.currentTarget, async () => {
      await tab?.skipAhead(60_000);
      logActivity("ok", "emulator in this tab: clock moved 1 min ahead");
      emit("clusters-stale");
    }),
  );
  $("#tab-reset").addEventListener("click", (e) =>
    busy(e.currentTarget, async () => {
      await tab?.resetTab();
      logActivity("ok", "emulator in this tab: every cluster removed");
      emit("clusters-stale");
    }),
  );
  $("#tab-afresh").addEventListener("click", (e) =>
    busy(e.currentTarget, async () => {
      await (await tabModule()).forgetState();
      $("#tab-afresh").hidden = true;
      clearError($("#conn-error"));
      logActivity("ok", "emulator in this tab: stored state removed");
    }),
  );
}

/** The in-tab emulator chosen (or not): its account fills the form, the base URL is not used. */
async function chooseInTab(on) {
  const url = $("#conn-base-url");
  url.disabled = on;
  if (on) {
    // loaded as soon as it is chosen, so that connecting does not wait for it
    await tabModule();
    url.value = TAB_BASE_URL;
    $("#conn-username").value = TAB_ACCOUNT.username;
    $("#conn-api-key").value = TAB_ACCOUNT.apiKey;
    $("#conn-hint").textContent =
      "The API is an emulator running in this page; its clusters are kept in this browser (IndexedDB) across reloads.";
  } else {
    url.value = location.origin.startsWith("http") ? location.origin : "";
    $("#conn-hint").textContent = "Credentials stay in this tab's memory only; nothing is written to storage.";
  }
}

async function connect() {
  const slot = $("#conn-error");
  clearError(slot);
  const baseUrl = $("#conn-base-url").value.trim().replace(/\/+$/, "");
  const username = $("#conn-username").value.trim();
  const apiKey = $("#conn-api-key").value;
  const inTab = $("#conn-in-tab").checked;
  let client;
  let now = () => Date.now();
  try {
    let viaTab = {};
    if (inTab) {
      const t = await tabModule();
      const em = await t.tabEmulator();
      now = () => em.now();
      viaTab = { fetch: t.tabFetch(em), now };
    }
    client = new InstaclustrClient({
      username,
      apiKey,
      baseUrl,
      ...viaTab,
      timeoutMs: 15000,
      maxRetries: 3,
      onRequest: (r) =>
        logActivity("req", `${r.method} ${shortUrl(r.url)}`, r.attempt > 1 ? `attempt ${r.attempt}` : ""),
      onResponse: (r) =>
        logActivity(
          r.status >= 400 || !r.status ? "bad" : "ok",
          `${r.status ?? "no answer"} ${r.method} ${shortUrl(r.url)}`,
          r.elapsedMs != null ? `${Math.round(r.elapsedMs)} ms` : "",
        ),
    });
    // one cheap authenticated call proves the credentials before the console opens
    await client.listClusters();
  } catch (err) {
    showError(slot, err);
    if (err?.storedStateRefused) $("#tab-afresh").hidden = false;
    return;
  }
  state.client = client;
  state.conn = { baseUrl, username };
  state.now = now;
  state.database = inTab ? tab.tabDatabase() : null;
  $("#tab-emulator").hidden = !inTab;
  $("#conn-badge").textContent = inTab
    ? `Connected as ${username} · emulator in this tab`
    : `Connected as ${username} · ${baseUrl}`;
  $("#conn-badge").classList.add("on");
  $("#conn-disconnect").hidden = false;
  $("#conn-submit").textContent = "Reconnect";
  $("#workspace").hidden = false;
  logActivity(
    "ok",
    inTab ? `connected to the emulator in this tab as ${username}` : `connected to ${baseUrl} as ${username}`,
  );
  emit("connected");
}

function disconnect() {
  state.client = null;
  state.conn = null;
  state.now = () => Date.now();
  state.database = null;
  $("#tab-emulator").hidden = true;
  $("#conn-api-key").value = "";
  $("#conn-badge").textContent = "Not connected";
  $("#conn-badge").classList.remove("on");
  $("#conn-disconnect").hidden = true;
  $("#conn-submit").textContent = "Connect";
  $("#workspace").hidden = true;
  emit("disconnected");
}
