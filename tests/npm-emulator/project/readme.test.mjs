// The README's `instaclustr-pg/emulator` example (the `<!-- readme-test: npm-emulator -->` block of the
// README.md copied beside this file), run as a module of the scratch project, so it cannot rot.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { promisify } from "node:util";

test("README: the instaclustr-pg/emulator example runs and prints RUNNING", async () => {
  const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
  const m = readme.match(/<!-- readme-test: npm-emulator -->\s*```js\n([\s\S]*?)```/);
  assert.ok(m, "the README has the example");
  const file = new URL("./readme-example.mjs", import.meta.url);
  writeFileSync(file, m[1]);
  const { stdout } = await promisify(execFile)(process.execPath, [file.pathname], { timeout: 30_000 });
  assert.deepEqual(stdout.trim().split("\n"), ["RUNNING", "RUNNING"], "the cluster and its restore are RUNNING");
});
