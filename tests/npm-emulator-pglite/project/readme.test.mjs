// The README's PGlite example (the `<!-- readme-test: npm-emulator-pglite -->` block of the
// README.md copied beside this file), run as a module of the scratch project, so it cannot rot.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { promisify } from "node:util";

test("README: the PGlite example runs and prints the row written over the wire", async () => {
  const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
  const m = readme.match(/<!-- readme-test: npm-emulator-pglite -->\s*```js\n([\s\S]*?)```/);
  assert.ok(m, "the README has the example");
  const file = new URL("./readme-example.mjs", import.meta.url);
  writeFileSync(file, m[1]);
  const { stdout } = await promisify(execFile)(process.execPath, [file.pathname], { timeout: 60_000 });
  assert.equal(stdout.trim(), "written over the wire");
});
