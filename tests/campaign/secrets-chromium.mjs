// Secrets campaign in headless Chromium, through the built package (pkg/web.js): the cases of
// secrets-cases.mjs run in a page served from 127.0.0.1 (chromium.mjs), against the emulator
// (another origin: it sends CORS headers) and the echoing server of servers.mjs. Besides the
// errors, the client and the hook payloads, every console line of the page (the page's own calls,
// with their arguments' full text, and the browser's messages such as failed loads) and every
// uncaught page error is scanned for the key, its Basic token and the cluster's password.
// SECRETS_ROUNDS runs of the error paths (short 1, long 3). Prints
//   TALLY secrets-chromium: <paths> error paths x <n> renderings, ...
import { createClusterBody } from "../fixtures/create-cluster.mjs";
import { inChromium, serveStatic } from "./chromium.mjs";
import { CAMPAIGN, startEmulator } from "./lib.mjs";
import { KEY, USER, scan, secretsOf } from "./secrets-cases.mjs";
import { echoServer, listen, refusedUrl } from "./servers.mjs";

const rounds = Number(process.env.SECRETS_ROUNDS || (CAMPAIGN === "short" ? 1 : 3));
const emu = await startEmulator(["--speed", "2000", "--test-mode", "--account", `${USER}:${KEY}`]);
const echo = await echoServer(KEY, { lifetimeMs: 280_000 });
const page = await listen((req, res) => { res.writeHead(404); res.end(); }, { first: serveStatic, lifetimeMs: 280_000 });
const env = { emulatorUrl: emu.url, echoUrl: echo.url, refusedUrl: await refusedUrl(), fixture: createClusterBody(), rounds };
let run;
try {
  run = await inChromium(`${page.url}/`, (p) => p.evaluate(async (env) => {
    const api = await import("/pkg/web.js");
    const { runSecrets } = await import("/tests/campaign/secrets-cases.mjs");
    return runSecrets(api, env);
  }, env), { totalMs: 240_000, label: "secrets-chromium" });
} finally {
  await emu.stop();
  await echo.close();
  await page.close();
}
if (run.skipped) {
  console.log(`TALLY secrets-chromium: skipped (${run.skipped})`);
  process.exit(1);
}
const r = run.value;
const problems = [...(r?.problems ?? [])];
if (run.failure) problems.push(run.failure);
if (r) {
  const secrets = secretsOf(r.password);
  problems.push(...scan(secrets, "page console", run.console.join("\n")));
  problems.push(...scan(secrets, "page errors", run.pageErrors.join("\n")));
  console.log(`error paths: ${r.codes.join(", ")}`);
}
// what the page's console held (the browser's messages about failed and refused requests)
for (const l of run.console.slice(0, 4)) console.log(`  page console: ${l.slice(0, 160)}`);
for (const p of problems) console.log(`LEAK: ${p}`);
for (const e of run.pageErrors) console.log(`  page error: ${e.split("\n")[0]}`);
console.log(`TALLY secrets-chromium: ${r?.paths ?? 0} error paths (${rounds} rounds) x ${r ? r.renderings / r.paths : 0} renderings, ${r?.hookPayloads ?? 0} hook payloads, ${run.console.length} console lines, ${problems.length} leaks or wrong kinds, ${run.pageErrors.length} page errors`);
process.exit(problems.length + run.pageErrors.length > 0 || !r ? 1 : 0);
