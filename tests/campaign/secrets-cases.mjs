// The secrets campaign's cases, shared by its two runs: secrets.mjs (Node, pkg/node.js) and
// secrets-chromium.mjs (a page of headless Chromium, pkg/web.js). Browser-safe: no Node import;
// what differs between the two (the package module, the fetch to wrap, Node's util.inspect) comes
// in through `env`.
//
// Every error path and hook of the package, run with a recognizable API key, must never show the
// key, its Basic token, the key in base64, a cluster's defaultUserPassword, nor a new password given
// to updateDefaultUserPassword (valid or refused by the rules): not in any error
// message, toString(), JSON.stringify(error), stack, cause, own or inherited property, the
// client's own renderings, nor an onRequest/onResponse payload (the console is checked by the
// runners). Each path must also give its error kind: a real Error with the expected `code` (and
// `status` where the API answered), never a bare value.

export const KEY = "recognizable-api-key-0xC0FFEE";
export const USER = "alice";
/** A new password for `updateDefaultUserPassword` (valid), and one the rules refuse. */
export const NEW_PASSWORD = "Recognizable-New-Pa55-0xF00D";
export const WEAK_PASSWORD = "recognizableweakpassword";
const NIL_ID = "00000000-0000-4000-8000-000000000000";

/** The texts that must never show: name and value. */
export function secretsOf(password) {
  return [
    { name: "the key", text: KEY },
    { name: "the Basic token", text: btoa(`${USER}:${KEY}`) },
    { name: "the key in base64", text: btoa(KEY) },
    { name: "the password", text: password },
    { name: "the new password", text: NEW_PASSWORD },
    { name: "the refused password", text: WEAK_PASSWORD },
  ];
}

/**
 * A deep text of a value: every own and inherited property (enumerable or not, getters read) down
 * to `depth`, up to Object.prototype / Error.prototype. The browser's stand-in for util.inspect
 * with showHidden, also run in Node.
 */
export function dump(value, depth = 6, seen = new Set()) {
  if (value === null || value === undefined) return String(value);
  const t = typeof value;
  if (t === "string") return JSON.stringify(value);
  if (t === "number" || t === "boolean" || t === "bigint") return String(value);
  if (t === "symbol") return value.toString();
  if (t === "function") return `[function ${value.name}]`;
  if (seen.has(value) || depth < 0) return "[seen]";
  seen.add(value);
  const keys = new Set();
  for (let o = value; o && o !== Object.prototype && o !== Error.prototype && o !== Array.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) if (k !== "constructor") keys.add(k);
  }
  const parts = [];
  for (const k of keys) {
    let v;
    try { v = value[k]; } catch (e) { v = `[throws ${e?.name}]`; }
    parts.push(`${String(k)}: ${dump(v, depth - 1, seen)}`);
  }
  return `{${parts.join(", ")}}`;
}

function safe(f) {
  try { return f(); } catch (e) { return `[throws ${e?.name}]`; }
}

/** The texts of an error checked for secrets: [where, text]. */
export function renderings(error, inspect) {
  const out = [
    ["message", error?.message],
    ["toString", safe(() => String(error))],
    ["JSON", safe(() => JSON.stringify(error))],
    ["stack", error?.stack],
    ["cause", dump(error?.cause)],
    ["properties", dump(error)],
  ];
  if (inspect) out.push(["inspect", inspect(error)], ["inspect cause", inspect(error?.cause)]);
  return out;
}

/** Problems of a secret-bearing text (`where` says which); empty when clean. */
export function scan(secrets, where, text) {
  if (typeof text !== "string") return [];
  return secrets.filter((s) => s.text && text.includes(s.text)).map((s) => `${where} contains ${s.name}`);
}

/**
 * The error paths: `{ label, expect, run }`. The kinds are the same in Node and in a browser: a
 * page's fetch rejects with a bare TypeError ("Failed to fetch") where Node's names a cause code,
 * both are a NETWORK_ERROR, and a refused port or a dropped connection are indistinguishable from
 * a hidden answer there (outcomeUnknown is therefore only asserted where both runs fix it). `expect` is the error kind: `code`, and `status` /
 * `outcomeUnknown` where they are fixed. `ctx`: { api, opts, client, id, got, fast, echoUrl,
 * refusedUrl, body(name), fetch, round }.
 */
export function errorCases(ctx) {
  const { api, opts, client, id, got, fast, echoUrl, refusedUrl, body, round } = ctx;
  const Client = api.InstaclustrClient;
  const name = (n) => `secrets-${n}-${round}`;
  const fault = (kind) => ({
    fetch: (u, init) => ctx.fetch(u, { ...init, headers: { ...init.headers, "x-emulator-fault": kind } }),
  });
  const withFault = (kind, extra = {}) => new Client({ ...opts, ...fault(kind), ...extra });
  const at = (url, extra = {}) => new Client({ ...opts, baseUrl: url, ...extra });
  return [
    { label: "wrong key 401", expect: { code: "API_ERROR", status: 401 }, run: () => new Client({ ...opts, apiKey: `${KEY}-wrong` }).getCluster(id) },
    { label: "unknown cluster 404", expect: { code: "API_ERROR", status: 404 }, run: () => client.getCluster(NIL_ID) },
    { label: "validation", expect: { code: "VALIDATION_ERROR" }, run: () => client.createCluster({ ...body("x"), name: "!" }) },
    { label: "validation of options", expect: { code: "VALIDATION_ERROR" }, run: () => new Client({ username: USER, apiKey: KEY, baseUrl: "http://example.com" }) },
    { label: "malformed id", expect: { code: "VALIDATION_ERROR" }, run: () => client.getCluster("not-an-id") },
    { label: "500", expect: { code: "API_ERROR", status: 500 }, run: () => withFault("500").getCluster(id) },
    { label: "503 after retries", expect: { code: "API_ERROR", status: 503 }, run: () => withFault("503").getCluster(id) },
    { label: "429 on create", expect: { code: "API_ERROR", status: 429 }, run: () => withFault("429", { maxRetries: 0 }).createCluster(body(name("429"))) },
    { label: "drop", expect: { code: "NETWORK_ERROR" }, run: () => withFault("drop").getCluster(id) },
    { label: "drop-after on create", expect: { code: "NETWORK_ERROR", outcomeUnknown: true }, run: () => withFault("drop-after").createCluster(body(name("drop"))) },
    { label: "garbage", expect: { code: "DECODE_ERROR" }, run: () => withFault("garbage").getCluster(id) },
    { label: "garbage on create", expect: { code: "DECODE_ERROR" }, run: () => withFault("garbage").createCluster(body(name("garbage"))) },
    { label: "stall timeout", expect: { code: "TIMEOUT_ERROR" }, run: () => withFault("stall:3000", { timeoutMs: 200 }).getCluster(id) },
    { label: "slow body timeout", expect: { code: "TIMEOUT_ERROR", outcomeUnknown: true }, run: () => withFault("slow-body:3000", { timeoutMs: 300 }).createCluster(body(name("slow"))) },
    { label: "abort", expect: { code: "ABORT_ERROR" }, run: () => client.getCluster(id, { signal: AbortSignal.abort() }) },
    { label: "waiter timeout", expect: { code: "WAITER_ERROR" }, run: () => client.waitForBackup(id, { ...fast, maxWaitMs: 50 }) },
    { label: "update guard", expect: { code: "VALIDATION_ERROR" }, run: () => client.updateCluster(id, { dataCentres: [{ ...got.dataCentres[0], network: "10.9.0.0/16" }] }, { current: got }) },
    { label: "restore without backup", expect: { code: "API_ERROR", status: 400 }, run: () => client.restoreCluster({ clusterId: id, restoredClusterName: name("r") }) },
    { label: "connection refused", expect: { code: "NETWORK_ERROR" }, run: () => at(refusedUrl).listVersions() },
    { label: "echo 500", expect: { code: "API_ERROR", status: 500 }, run: () => at(`${echoUrl}/echo500`).getCluster(id) },
    { label: "echo 502 html", expect: { code: "API_ERROR", status: 502 }, run: () => at(`${echoUrl}/echo502html`, { maxRetries: 0 }).getCluster(id) },
    { label: "echo 200 garbage", expect: { code: "DECODE_ERROR" }, run: () => at(echoUrl).getCluster(id) },
    { label: "echo 200 garbage create", expect: { code: "DECODE_ERROR" }, run: () => at(echoUrl).createCluster(body(name("echo"))) },
    { label: "too large", expect: { code: "DECODE_ERROR" }, run: () => new Client({ ...opts, maxResponseBytes: 100 }).getCluster(id) },
    { label: "certificate too large", expect: { code: "DECODE_ERROR" }, run: () => new Client({ ...opts, maxResponseBytes: 300 }).downloadCertificate(id) },
    // the default user's new password: refused by the rules, or sent and echoed back
    { label: "password rules", expect: { code: "VALIDATION_ERROR" }, run: () => client.updateDefaultUserPassword(id, { password: WEAK_PASSWORD }) },
    { label: "password unknown cluster 404", expect: { code: "API_ERROR", status: 404 }, run: () => client.updateDefaultUserPassword(NIL_ID, { password: NEW_PASSWORD }) },
    { label: "password 500", expect: { code: "API_ERROR", status: 500 }, run: () => withFault("500").updateDefaultUserPassword(id, { password: NEW_PASSWORD }) },
    { label: "password drop", expect: { code: "NETWORK_ERROR" }, run: () => withFault("drop", { maxRetries: 0 }).updateDefaultUserPassword(id, { password: NEW_PASSWORD }) },
    { label: "password echo 500", expect: { code: "API_ERROR", status: 500 }, run: () => at(`${echoUrl}/echo500`, { maxRetries: 0 }).updateDefaultUserPassword(id, { password: NEW_PASSWORD }) },
    { label: "password echo 502 html", expect: { code: "API_ERROR", status: 502 }, run: () => at(`${echoUrl}/echo502html`, { maxRetries: 0 }).updateDefaultUserPassword(id, { password: NEW_PASSWORD }) },
    { label: "password slow body timeout", expect: { code: "TIMEOUT_ERROR" }, run: () => withFault("slow-body:3000", { timeoutMs: 300, maxRetries: 0 }).updateDefaultUserPassword(id, { password: NEW_PASSWORD }) },
  ];
}

/** What is wrong with `error` as the result of a case expecting `expect`; null when right. */
function kindProblem(error, expect, api) {
  if (!(error instanceof Error)) return `not an Error: ${typeof error}`;
  if (!(error instanceof api.InstaclustrError)) return `not an InstaclustrError: ${error.name}`;
  if (error.code !== expect.code) return `code ${error.code}, expected ${expect.code}`;
  if (expect.status !== undefined && error.status !== expect.status) return `status ${error.status}, expected ${expect.status}`;
  if (expect.outcomeUnknown !== undefined && error.outcomeUnknown !== expect.outcomeUnknown) return `outcomeUnknown ${error.outcomeUnknown}, expected ${expect.outcomeUnknown}`;
  return null;
}

/**
 * The whole campaign against an emulator at `env.emulatorUrl` (started with the account
 * USER:KEY) and the echoing server at `env.echoUrl`: creates a cluster to learn a real
 * defaultUserPassword, runs every error path `env.rounds` times, and scans every rendering.
 * `env`: { emulatorUrl, echoUrl, refusedUrl, fixture (the create-cluster body), rounds,
 * fetch?(url, init), inspect?(value) }. Resolves to plain data: { rounds, paths, renderings,
 * hookPayloads, codes, problems, password } (`password` is for the runner's console scan only).
 */
export async function runSecrets(api, env) {
  const fetch = env.fetch ?? ((u, init) => globalThis.fetch(u, init));
  const body = (name) => ({ ...JSON.parse(JSON.stringify(env.fixture)), name });
  const hookPayloads = [];
  const hooks = { onRequest: (e) => hookPayloads.push(e), onResponse: (e) => hookPayloads.push(e) };
  const opts = { baseUrl: env.emulatorUrl, username: USER, apiKey: KEY, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...hooks };
  const client = new api.InstaclustrClient(opts);
  const fast = { minDelayMs: 5, maxDelayMs: 40, maxWaitMs: 20_000 };
  const problems = [];

  // a real cluster, to learn a real defaultUserPassword
  const created = await client.createCluster(body("secrets-1"));
  const id = created.id;
  const got = await client.waitForCluster(id, fast);
  const password = created.defaultUserPassword || got.defaultUserPassword;
  if (!password || password.length < 8) throw new Error("the emulator gave no defaultUserPassword");
  const secrets = secretsOf(password);

  let paths = 0;
  let rendered = 0;
  const codes = [];
  for (let round = 1; round <= env.rounds; round++) {
    for (const c of errorCases({ api, opts, client, id, got, fast, echoUrl: env.echoUrl, refusedUrl: env.refusedUrl, body, fetch, round })) {
      let error = null;
      try {
        await c.run();
      } catch (e) {
        error = e;
      }
      paths++;
      if (round === 1) codes.push(`${c.label}=${error?.code}${error?.status !== undefined ? `:${error.status}` : ""}`);
      if (error === null) { problems.push(`${c.label}: no error was thrown`); continue; }
      const kind = kindProblem(error, c.expect, api);
      if (kind) problems.push(`${c.label}: ${kind}`);
      for (const [where, text] of renderings(error, env.inspect)) {
        rendered++;
        problems.push(...scan(secrets, `${c.label} ${where}`, text));
      }
    }
  }
  // the client itself
  for (const [where, text] of [["JSON", safe(() => JSON.stringify(client) ?? "")], ["toString", safe(() => String(client))], ["properties", dump(client)], ...(env.inspect ? [["inspect", env.inspect(client)]] : [])]) {
    problems.push(...scan(secrets, `client ${where}`, text));
  }
  problems.push(...scan(secrets, "hook payloads", JSON.stringify(hookPayloads)));
  problems.push(...scan(secrets, "hook payload properties", dump(hookPayloads)));
  if (hookPayloads.some((e) => Object.keys(e).some((k) => /auth|header/i.test(k)))) problems.push("a hook payload has a header or authorization field");

  await client.deleteCluster(id);
  return { rounds: env.rounds, paths, renderings: rendered, hookPayloads: hookPayloads.length, codes, problems, password };
}
