// Runs the README's TypeScript (and JavaScript) snippets against the built package, so they
// cannot rot: every ```ts or ```js block preceded by `<!-- readme-test -->` (no network), and every
// block preceded by `<!-- readme-test: emulator -->` against a local emulator this test starts
// (127.0.0.1, free port, fast), with INSTACLUSTR_* set the way the README tells a user to. The
// package name is mapped to pkg/node.js (and to pkg/index.d.ts for the types). Console output is
// captured and checked. Every snippet is also type-checked by tsc with strict,
// exactOptionalPropertyTypes and noUncheckedIndexedAccess, and must give no error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { startEmulator } from "../campaign/lib.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const snippets = (marker) =>
  [...readme.matchAll(new RegExp(`<!-- ${marker} -->\\s*\`\`\`(ts|js)\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => ({ lang: m[1], code: m[2] }));
const offline = snippets("readme-test");
const live = snippets("readme-test: emulator");
const more = snippets("readme-test: emulator-more");
const entry = new URL("../../pkg/node.js", import.meta.url).href;
const require = createRequire(import.meta.url);
const ts = require("typescript");
const TSC = require.resolve("typescript/bin/tsc");

/** The snippet as JavaScript: TypeScript's types erased (nothing else changes). */
function javascript({ lang, code }) {
  if (lang === "js") return code;
  const out = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true } });
  return out.outputText;
}

/** tsc's diagnostics of the snippets (each a module importing "instaclustr-pg"), as text lines. */
function typeErrors(list, flags) {
  const dir = mkdtempSync(join(tmpdir(), "readme-types-"));
  try {
    const files = list.map((s, i) => {
      const file = `snippet-${i + 1}.${s.lang === "ts" ? "ts" : "js"}`;
      writeFileSync(join(dir, file), s.code);
      return file;
    });
    const compilerOptions = {
      ...flags,
      noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022", "DOM"], types: [],
      skipLibCheck: false, checkJs: true, allowJs: true,
      paths: { "instaclustr-pg": [join(root, "pkg/index.d.ts")] },
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
    const r = spawnSync(process.execPath, [TSC, "-p", dir, "--pretty", "false"], { encoding: "utf8" });
    return r.stdout.split("\n").filter((l) => l.includes("error TS"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(snippet, name) {
  const dir = mkdtempSync(join(tmpdir(), "readme-"));
  const lines = [];
  const log = console.log;
  try {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, javascript(snippet).replaceAll(/from "instaclustr-pg"/g, `from ${JSON.stringify(entry)}`));
    console.log = (...args) => lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

// the emulator binary, built if needed, started by the campaigns' helper; resolves to { url, stop }
async function emulator() {
  const build = spawnSync("cargo", ["build", "--quiet", "-p", "instaclustr-pg-emulator"], { cwd: root, stdio: "inherit" });
  assert.equal(build.status, 0, "cargo build of the emulator failed");
  return startEmulator(["--speed", "2000", "--account", "readme:readme-api-key"]);
}

test("the README has tested snippets", () => {
  assert.ok(offline.length >= 1 && live.length >= 1);
});

test("the README's snippets type-check under strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess", () => {
  const all = [...live, ...offline];
  assert.ok(all.every((s) => s.lang === "ts"), "the snippets are TypeScript");
  const flags = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true };
  assert.deepEqual(typeErrors(all, flags), []);
  // the check can fail: a typo in an input's closed enumeration is an error
  const typo = { lang: "ts", code: all[0].code.replace('"NON_PRODUCTION"', '"NON_PRODUCTON"') };
  assert.notEqual(typo.code, all[0].code);
  assert.equal(typeErrors([typo], flags).length, 1);
});

offline.forEach((snippet, i) => {
  test(`README offline snippet ${i + 1} runs`, async () => {
    const lines = await run(snippet, `offline-${i}`);
    assert.ok(lines.some((l) => l.startsWith("GET https://api.instaclustr.com/")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("VALIDATION_ERROR")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("404")), lines.join("\n"));
  });
});

live.forEach((snippet, i) => {
  test(`README client snippet ${i + 1} runs against the emulator`, { timeout: 120_000 }, async () => {
    const emu = await emulator();
    const saved = { ...process.env };
    Object.assign(process.env, {
      INSTACLUSTR_USERNAME: "readme", INSTACLUSTR_API_KEY: "readme-api-key", INSTACLUSTR_BASE_URL: emu.url,
    });
    try {
      const lines = await run(snippet, `client-${i}`);
      const text = lines.join("\n");
      assert.ok(lines.some((l) => l.startsWith("VALIDATION_ERROR") && l.includes("dataCentres[0].network")), text);
      assert.ok(lines.some((l) => /^PROVISIONING|^RUNNING \d+ %/.test(l)), text); // onProgress
      assert.ok(lines.some((l) => l.startsWith("RUNNING [") && l.includes("10.1.")), text); // node addresses
      assert.ok(lines.some((l) => l.startsWith("-----BEGIN CERTIFICATE-----")), text);
      assert.ok(lines.some((l) => l.startsWith("404 [")), text);
      assert.ok(lines.some((l) => l.startsWith("deleted ")), text);
      assert.ok(!text.includes("readme-api-key"), "the key never appears in the output");
    } finally {
      process.env = saved;
      await emu.stop();
    }
  });
});

more.forEach((code, i) => {
  test(`README configurations snippet ${i + 1} runs against the emulator`, { timeout: 120_000 }, async () => {
    const emu = await emulator();
    const saved = { ...process.env };
    Object.assign(process.env, {
      INSTACLUSTR_USERNAME: "readme", INSTACLUSTR_API_KEY: "readme-api-key", INSTACLUSTR_BASE_URL: emu.url,
    });
    try {
      const lines = await run(code, `more-${i}`);
      const text = lines.join("\n");
      assert.ok(lines.includes("configurations work_mem=32MB"), text);
      assert.equal(lines.filter((l) => l === "reload COMPLETED").length, 2, text);
      assert.ok(lines.includes("description Team A"), text);
      assert.ok(lines.includes("resizes 0 maintenance 0"), text);
      assert.ok(!text.includes("N3w-Passw0rd!"), "the new password never appears in the output");
    } finally {
      process.env = saved;
      await emu.stop();
    }
  });
});
