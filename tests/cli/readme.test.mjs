// Runs the README's "Command line" section, so it cannot rot: the files of the
// `<!-- readme-test: cli file NAME -->` blocks are written into a scratch project where the
// tarball is installed, the `<!-- readme-test: cli -->` shell block runs there with bash -e
// (`npx instaclustr-pg` is the installed bin) against an emulator on a free port (the README's
// `http://127.0.0.1:8090` replaced by its URL), and the `<!-- readme-test: cli plan -->` block must
// appear in the output as printed (cluster IDs aside).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { cliEnv, installTarball, startLoggedEmulator, writes } from "./lib.mjs";

const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
const block = (marker, lang) => [...readme.matchAll(new RegExp(`<!-- ${marker} -->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]);
const fileBlocks = [...readme.matchAll(/<!-- readme-test: cli file (\S+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
const [script] = block("readme-test: cli", "sh");
const [plan] = block("readme-test: cli plan", "text");
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

let scratch;
let emu;

before(async () => {
  scratch = installTarball(process.env.CLI_TARBALL);
  emu = await startLoggedEmulator([], { account: "demo:demo-api-key" });
});

after(async () => {
  await emu?.stop();
  scratch?.remove();
});

test("the README has a tested Command line section", () => {
  assert.ok(script && plan && fileBlocks.length >= 1, "cli, cli plan and cli file blocks");
  assert.match(script, /http:\/\/127\.0\.0\.1:8090/);
});

test("the README's command-line examples run against the emulator", { timeout: 180_000 }, async () => {
  for (const [name, text] of fileBlocks) writeFileSync(path.join(scratch.dir, name), text);
  const code = script.replaceAll("http://127.0.0.1:8090", emu.url);
  const env = { ...cliEnv(undefined), npm_config_offline: "true", npm_config_update_notifier: "false", npm_config_fund: "false" };
  const r = await new Promise((resolve, reject) => {
    const child = spawn("bash", ["-e", "-o", "pipefail", "-c", code], { cwd: scratch.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`the README script did not finish: ${stderr}`)); }, 170_000);
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const normal = (s) => s.replace(UUID, "<id>");
  assert.ok(normal(r.stdout).includes(plan), `the plan as the README shows it:\n${plan}\nin:\n${r.stdout}`);
  assert.match(r.stdout, /will be created:/);
  assert.match(r.stdout, /nothing to do/);
  assert.match(r.stdout, /^Authorization: Basic \*\*\*$/m);
  const state = JSON.parse(readFileSync(path.join(scratch.dir, "orders-db.state.json"), "utf8"));
  assert.equal(state.status, "RUNNING");
  assert.equal(state.dataCentres[0].nodeSize, "PGS-DEV-t4g.medium-30");
  assert.equal(state.defaultUserPassword, "***");
  assert.ok(readFileSync(path.join(scratch.dir, "certs/ca.pem"), "utf8").startsWith("-----BEGIN CERTIFICATE-----"));
  assert.ok(existsSync(path.join(scratch.dir, "certs/ca.der")));
  const methods = writes(await emu.since(0)).map((e) => e.method);
  assert.deepEqual(methods, ["POST", "PUT", "POST", "POST", "DELETE", "DELETE"], "create, resize, backup, restore, two deletes");
  for (const s of [r.stdout, r.stderr]) {
    assert.ok(!s.includes("demo-api-key"), "the key never appears");
    assert.ok(!s.includes(Buffer.from("demo:demo-api-key").toString("base64")), "nor the Basic credentials");
  }
});
