// Secrets campaign: every error path and hook of the package, run with a
// recognizable API key, must never show the key, its Basic form, nor a cluster's
// defaultUserPassword: not in any error message, toString(), JSON.stringify(error),
// util.inspect(error), console line, nor onRequest/onResponse payload.
import util from "node:util";
import http from "node:http";
import { InstaclustrClient } from "../../pkg/node.js";
import { basic, clusterBody, startEmulator, trackUnhandled } from "./lib.mjs";

const KEY = "recognizable-api-key-0xC0FFEE";
const USER = "alice";
const unhandled = trackUnhandled();

// Capture every console line the package (or Node on its behalf) writes.
const consoleLines = [];
for (const m of ["log", "info", "warn", "error", "debug", "trace"]) {
  const orig = console[m].bind(console);
  console[m] = (...a) => { consoleLines.push(util.format(...a)); if (m !== "debug") orig(...a); };
}
const realLog = (...a) => process.stdout.write(util.format(...a) + "\n");

const emu = await startEmulator(["--speed", "2000", "--test-mode", "--account", `${USER}:${KEY}`]);
// A server that echoes the request's Authorization header back in error bodies and in a 200 with
// garbage: the client must not copy it into errors.
const echo = http.createServer((req, res) => {
  const auth = req.headers.authorization || "";
  if (req.url.includes("echo500")) {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ errors: [{ name: "Authorization", message: `bad ${auth} ${KEY}` }] }));
  } else if (req.url.includes("echo502html")) {
    res.writeHead(502, { "content-type": "text/html" });
    res.end(`<html>proxy saw ${auth}</html>`);
  } else {
    res.writeHead(200, { "content-type": "application/json", "x-request-id": auth });
    res.end(`{"id": 42, "echo": "${auth}"`);
  }
});
await new Promise((r) => echo.listen(0, "127.0.0.1", r));
const echoUrl = `http://127.0.0.1:${echo.address().port}`;

const hookPayloads = [];
const hooks = { onRequest: (e) => hookPayloads.push(e), onResponse: (e) => hookPayloads.push(e) };
const opts = { baseUrl: emu.url, username: USER, apiKey: KEY, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...hooks };
const client = new InstaclustrClient(opts);
const fast = { minDelayMs: 5, maxDelayMs: 40, maxWaitMs: 20_000 };

// a real cluster, to learn a real defaultUserPassword
const created = await client.createCluster(clusterBody("secrets-1"));
const id = created.id;
const got = await client.waitForCluster(id, fast);
const password = created.defaultUserPassword || got.defaultUserPassword;
if (!password || password.length < 8) throw new Error("the emulator gave no defaultUserPassword");

const secrets = [KEY, basic(USER, KEY).slice(6), Buffer.from(KEY).toString("base64"), password];
const errors = [];
async function expectError(label, p) {
  try {
    await p;
    errors.push({ label, error: null });
  } catch (e) {
    errors.push({ label, error: e });
  }
}
const fault = (kind) => ({
  fetch: (u, init) => fetch(u, { ...init, headers: { ...init.headers, "x-emulator-fault": kind } }),
});
const withFault = (kind, extra = {}) => new InstaclustrClient({ ...opts, ...fault(kind), ...extra });

await expectError("wrong key 401", new InstaclustrClient({ ...opts, apiKey: `${KEY}-wrong` }).getCluster(id));
await expectError("unknown cluster 404", client.getCluster("00000000-0000-4000-8000-000000000000"));
await expectError("validation", client.createCluster({ ...clusterBody("x"), name: "!" }));
await expectError("validation of options", Promise.resolve().then(() => new InstaclustrClient({ username: USER, apiKey: KEY, baseUrl: "http://example.com" })));
await expectError("malformed id", client.getCluster("not-an-id"));
await expectError("500", withFault("500").getCluster(id));
await expectError("503 after retries", withFault("503").getCluster(id));
await expectError("429 on create", withFault("429", { maxRetries: 0 }).createCluster(clusterBody("secrets-429")));
await expectError("drop", withFault("drop").getCluster(id));
await expectError("drop-after on create", withFault("drop-after").createCluster(clusterBody("secrets-drop")));
await expectError("garbage", withFault("garbage").getCluster(id));
await expectError("garbage on create", withFault("garbage").createCluster(clusterBody("secrets-garbage")));
await expectError("stall timeout", withFault("stall:3000", { timeoutMs: 200 }).getCluster(id));
await expectError("slow body timeout", withFault("slow-body:3000", { timeoutMs: 300 }).createCluster(clusterBody("secrets-slow")));
await expectError("abort", client.getCluster(id, { signal: AbortSignal.abort() }));
await expectError("waiter timeout", client.waitForBackup(id, { ...fast, maxWaitMs: 50 }));
await expectError("update guard", client.updateCluster(id, { dataCentres: [{ ...got.dataCentres[0], network: "10.9.0.0/16" }] }, { current: got }));
await expectError("restore without backup", client.restoreCluster({ clusterId: id, restoredClusterName: "secrets-r" }));
await expectError("connection refused", new InstaclustrClient({ ...opts, baseUrl: "http://127.0.0.1:9" }).listVersions());
await expectError("echo 500", new InstaclustrClient({ ...opts, baseUrl: `${echoUrl}/echo500` }).getCluster(id));
await expectError("echo 502 html", new InstaclustrClient({ ...opts, baseUrl: `${echoUrl}/echo502html`, maxRetries: 0 }).getCluster(id));
await expectError("echo 200 garbage", new InstaclustrClient({ ...opts, baseUrl: echoUrl }).getCluster(id));
await expectError("echo 200 garbage create", new InstaclustrClient({ ...opts, baseUrl: echoUrl }).createCluster(clusterBody("secrets-echo")));
await expectError("too large", new InstaclustrClient({ ...opts, maxResponseBytes: 100 }).getCluster(id));
await expectError("certificate too large", new InstaclustrClient({ ...opts, maxResponseBytes: 300 }).downloadCertificate(id));
// the successful calls' values are not errors, but the client itself must not print them
realLog(`client inspect: ${util.inspect(client).length} chars`);

const leaks = [];
function scan(where, text) {
  for (const s of secrets) if (typeof text === "string" && text.includes(s)) leaks.push(`${where} contains ${s === password ? "the password" : "the key"}`);
}
let checked = 0;
for (const { label, error } of errors) {
  if (!error) { leaks.push(`${label}: no error was thrown`); continue; }
  checked++;
  scan(`${label} message`, error.message);
  scan(`${label} toString`, String(error));
  scan(`${label} JSON`, JSON.stringify(error));
  scan(`${label} inspect`, util.inspect(error, { depth: 10, showHidden: true }));
  scan(`${label} stack`, error.stack);
  scan(`${label} cause`, util.inspect(error.cause, { depth: 10 }));
  if (!(error instanceof Error) || typeof error.code !== "string") leaks.push(`${label}: not a coded Error: ${util.inspect(error)}`);
}
scan("client inspect", util.inspect(client, { depth: 10, showHidden: true }));
scan("client JSON", JSON.stringify(client) ?? "");
scan("hook payloads", JSON.stringify(hookPayloads));
if (hookPayloads.some((e) => Object.keys(e).some((k) => /auth|header/i.test(k)))) leaks.push("a hook payload has a header or authorization field");
scan("console", consoleLines.join("\n"));

await client.deleteCluster(id);
await emu.stop();
await new Promise((r) => echo.close(r));
const codes = errors.map((e) => `${e.label}=${e.error?.code}${e.error?.status ? `:${e.error.status}` : ""}`);
realLog(`error paths: ${codes.join(", ")}`);
for (const l of leaks) realLog(`LEAK: ${l}`);
const u = unhandled.unhandled + unhandled.uncaught;
for (const s of unhandled.samples) realLog(`  unhandled: ${s}`);
realLog(`TALLY secrets: ${checked} error paths x 6 renderings, ${hookPayloads.length} hook payloads, ${consoleLines.length} console lines, ${leaks.length} leaks, ${u} unhandled`);
process.exitCode = leaks.length + u > 0 ? 1 : 0;
