// Runs the README's JavaScript quick start against the built package, so it cannot rot: every
// ```js block preceded by `<!-- readme-test -->`, with the package name mapped to pkg/node.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/<!-- readme-test -->\s*```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const entry = new URL("../../pkg/node.js", import.meta.url).href;

test("the README has a tested JavaScript snippet", () => {
  assert.ok(blocks.length >= 1);
});

blocks.forEach((code, i) => {
  test(`README snippet ${i + 1} runs`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "readme-"));
    try {
      const file = join(dir, `snippet-${i}.mjs`);
      writeFileSync(file, code.replaceAll(/from "instaclustr-pg"/g, `from ${JSON.stringify(entry)}`));
      const lines = [];
      const log = console.log;
      console.log = (...args) => lines.push(args.map(String).join(" "));
      try {
        await import(pathToFileURL(file).href);
      } finally {
        console.log = log;
      }
      assert.ok(lines.some((l) => l.startsWith("GET https://api.instaclustr.com/")), lines.join("\n"));
      assert.ok(lines.some((l) => l.startsWith("VALIDATION_ERROR")), lines.join("\n"));
      assert.ok(lines.some((l) => l.startsWith("404")), lines.join("\n"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
