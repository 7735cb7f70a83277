// Secrets campaign in Node, through the built package (pkg/node.js): the cases of
// secrets-cases.mjs (every error path and hook, with a recognizable API key and a real
// defaultUserPassword) against the emulator and the echoing server of servers.mjs, plus every
// console line of the process. SECRETS_ROUNDS runs of the error paths (short 1, long 3).
// secrets-chromium.mjs runs the same cases in headless Chromium. Prints
//   TALLY secrets: <paths> error paths x <n> renderings, <h> hook payloads, ...
import util from "node:util";
import { InstaclustrClient } from "../../pkg/node.js";
import * as api from "../../pkg/node.js";
import { createClusterBody } from "../fixtures/create-cluster.mjs";
import { CAMPAIGN, startEmulator, trackUnhandled } from "./lib.mjs";
import { KEY, USER, runSecrets, scan, secretsOf } from "./secrets-cases.mjs";
import { echoServer, refusedUrl } from "./servers.mjs";

const rounds = Number(process.env.SECRETS_ROUNDS || (CAMPAIGN === "short" ? 1 : 3));
const unhandled = trackUnhandled();

// Capture every console line the package (or Node on its behalf) writes.
const consoleLines = [];
for (const m of ["log", "info", "warn", "error", "debug", "trace"]) {
  const orig = console[m].bind(console);
  console[m] = (...a) => { consoleLines.push(util.format(...a)); if (m !== "debug") orig(...a); };
}
const realLog = (...a) => process.stdout.write(util.format(...a) + "\n");

const emu = await startEmulator(["--speed", "2000", "--test-mode", "--account", `${USER}:${KEY}`]);
const echo = await echoServer(KEY, { lifetimeMs: 280_000 });
let r;
try {
  r = await runSecrets(api, {
    emulatorUrl: emu.url, echoUrl: echo.url, refusedUrl: await refusedUrl(), fixture: createClusterBody(), rounds,
    inspect: (v) => util.inspect(v, { depth: 10, showHidden: true }),
  });
} finally {
  await emu.stop();
  await echo.close();
}
const problems = [...r.problems, ...scan(secretsOf(r.password), "console", consoleLines.join("\n"))];
realLog(`client inspect: ${util.inspect(new InstaclustrClient({ username: USER, apiKey: KEY })).length} chars`);
realLog(`error paths: ${r.codes.join(", ")}`);
for (const p of problems) realLog(`LEAK: ${p}`);
const u = unhandled.unhandled + unhandled.uncaught;
for (const s of unhandled.samples) realLog(`  unhandled: ${s}`);
realLog(`TALLY secrets: ${r.paths} error paths (${r.rounds} rounds) x ${r.renderings / r.paths} renderings, ${r.hookPayloads} hook payloads, ${consoleLines.length} console lines, ${problems.length} leaks or wrong kinds, ${u} unhandled`);
process.exitCode = problems.length + u > 0 ? 1 : 0;
