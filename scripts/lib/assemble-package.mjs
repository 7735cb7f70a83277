// Assembles the npm package from one wasm-pack `--target web` build (called by scripts/build):
//   node scripts/lib/assemble-package.mjs <wasm-pack out dir> <package dir> <version>
//
// One `.wasm` is shared by every entry; the JavaScript glue of wasm-bindgen is shipped twice
// (ESM and CommonJS, a few KB gzip each), never the binary:
//   web.js      browsers, Web Workers, bundlers, other ESM runtimes: the js/ modules, the ESM
//               glue + js/entry.web.js
//               (instantiates itself with a top-level await, no init() to call)
//   node.cjs    Node `require`: js/entry.node-require.js (synchronous instantiation from the package
//               directory) bundled by esbuild (pinned in bench/) with what it imports: the glue
//               and js/errors.js, js/transport.js (the fetch exchange the wasm imports),
//               js/certificate.js (the certificate zip reading it imports), in one file
//   node.js     Node `import`: js/entry.node.js, a thin ESM face of node.cjs, so that `import` and
//               `require` in one process share one wasm instance and one set of error classes
//   index.d.ts  one declaration file for every entry
//   cli/        the `instaclustr-pg` command (js/cli/, the package's `bin`): plain ES modules on the
//               package's public API (they import "instaclustr-pg", the package itself)
//   emulator/   `instaclustr-pg/emulator` and `.../msw` (js/emulator/) with the emulator's own
//               .wasm (crates/emulator-wasm), loaded only by an app that imports them
// web.js's flattening (the modules in one scope) only accepts the statement shapes wasm-bindgen
// and js/ use, and fails loudly on anything else, so a change of either cannot ship a broken
// entry unnoticed.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { shortNames } from "./short-names.mjs";

const [stage, out, version] = process.argv.slice(2);
if (!stage || !out || !version) {
  console.error("usage: assemble-package.mjs <wasm-pack out dir> <package dir> <version>");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const name = "instaclustr_pg";
const wasmFile = `${name}_bg.wasm`;

function fail(message) {
  console.error(`assemble-package: ${message}`);
  process.exit(1);
}

// the imports of the glue's own module and the exports renamed a, b, ... in the .wasm and the
// glue alike (short-names.mjs: their hashed names were 2.7 KB of the gzip'd package)
const shortened = shortNames(readFileSync(join(stage, wasmFile)), readFileSync(join(stage, `${name}.js`), "utf8"), `./${name}_bg.js`);
const glue = shortened.glue;

// the snippets the glue imports: js/errors.js and js/transport.js (their paths carry a hash of
// the crate)
const snippet = (file) => {
  const m = glue.match(new RegExp(`^import \\{ [\\w$, ]+ \\} from '(\\./snippets/[^']+/js/${file.replace(".", "\\.")})';$`, "m"));
  if (!m) fail(`${name}.js: no import of js/${file} from snippets/`);
  return m[1];
};
const errorsModule = snippet("errors.js");
const errorsSource = readFileSync(join(stage, errorsModule), "utf8");
const transportModule = snippet("transport.js");
const transportSource = readFileSync(join(stage, transportModule), "utf8");
const certificateModule = snippet("certificate.js");
const certificateSource = readFileSync(join(stage, certificateModule), "utf8");

/**
 * An ES module of js/ (or the glue) without its module syntax, for web.js, where the modules share
 * one scope: `export` keywords dropped (the exported names listed), imports of modules already in
 * that scope dropped. Refuses any other import or export.
 */
function flatten(source, file, inScope = []) {
  const names = [];
  const lines = source.split("\n").map((line) => {
    let m;
    if ((m = line.match(/^export (async function|function|class|const|let) ([A-Za-z_$][\w$]*)(.*)$/))) {
      names.push(m[2]);
      return `${m[1]} ${m[2]}${m[3]}`;
    }
    if (/^export \{ initSync, __wbg_init as default \};?$/.test(line) || /^export \{ wasm as __wasm \};?$/.test(line)) {
      return "";
    }
    if ((m = line.match(/^import \{ ([\w$, ]+) \} from (['"])([^'"]+)\2;$/))) {
      if (!inScope.includes(m[3])) fail(`${file}: unexpected import of ${m[3]}`);
      return "";
    }
    if (/^\s*(import|export)\b/.test(line)) fail(`${file}: cannot flatten: ${line.trim()}`);
    return line;
  });
  return { body: lines.join("\n"), names };
}

const errorsFlat = flatten(errorsSource, "js/errors.js");
// what js/errors.js exports for the wasm module (createError) and the entries (guardFreed), not
// for the package's users
const errorNames = errorsFlat.names.filter((n) => n !== "createError" && n !== "guardFreed");
// the API: what the glue exports
const apiNames = flatten(glue, `${name}.js`, [errorsModule, transportModule, certificateModule]).names;

/** The names a source declares at its top level (function, class, const, let, var). */
function topLevelNames(source) {
  const names = [];
  for (const m of source.matchAll(/^(?:export )?(?:async )?(?:function\*? ([\w$]+)|class ([\w$]+)|(?:const|let|var) (?:([\w$]+)|\{ ([\w$, ]+) \}))/gm)) {
    if (m[4]) names.push(...m[4].split(",").map((n) => n.trim()));
    else names.push(m[1] || m[2] || m[3]);
  }
  return names;
}
// node.cjs and web.js hold the js/ modules inline rather than loading three more files at
// start-up: each one cost about 0.4 ms of the cold start (bench/FINDINGS.md). web.js puts them in
// the module's own scope, as a bundler's scope hoisting would (their own scopes cost 0.2 KB of
// minified glue, the names of the objects they return), after checking that no top-level name
// repeats.
const flatModules = [
  errorsFlat.body,
  flatten(transportSource, "js/transport.js").body,
  flatten(certificateSource, "js/certificate.js", ["./transport.js"]).body,
];
if (!apiNames.includes("validateCreateCluster")) fail(`${name}.js: the API exports were not found`);
const allNames = [...apiNames, ...errorNames];

const template = (file) => readFileSync(join(root, "js", file), "utf8");
const header = (what) =>
  `// instaclustr-pg ${version}: ${what}. Generated by scripts/build from the wasm-bindgen glue and js/; do not edit.\n`;

mkdirSync(out, { recursive: true });

// web.js: the js/ modules inline, the ESM glue without its init exports (no init() to call) and
// without its imports of those modules (their names are declared in the same scope), + the
// self-instantiating tail
const webGlue = glue
  .split("\n")
  .filter((line) => !/^export \{ initSync, __wbg_init as default \};?$/.test(line) && !/^export \{ wasm as __wasm \};?$/.test(line))
  .map((line) => {
    const m = line.match(/^import \{ ([\w$, ]+) \} from '([^']+)';$/);
    if (!m) return line;
    if (![errorsModule, transportModule, certificateModule].includes(m[2])) fail(`${name}.js: unexpected import of ${m[2]}`);
    return "";
  })
  .join("\n");
if (/^import\b/m.test(webGlue)) fail(`${name}.js: an import left in web.js`);
{
  const seen = new Set();
  for (const n of [...flatModules, webGlue].flatMap(topLevelNames)) {
    if (seen.has(n)) fail(`web.js: the top-level name ${n} is declared twice (js/ modules and glue share one scope)`);
    seen.add(n);
  }
}
const webTail = template("entry.web.js").replace("__ERROR_EXPORTS__", () => errorNames.join(", "));
writeFileSync(
  join(out, "web.js"),
  header("entry for browsers, Web Workers, bundlers and ESM runtimes") + flatModules.join("\n") + "\n" + webGlue + "\n" + webTail,
);

// node.cjs: js/entry.node-require.js (exports set one by one, as CommonJS assignments) bundled by
// esbuild with the glue and the js/ modules it imports, in the stage directory beside them
// (the glue with its short names written there first); `import.meta.url` of the glue's
// asynchronous init, which this entry never calls, is this file's URL
const esbuild = join(root, "bench/node_modules/.bin/esbuild");
if (!existsSync(esbuild)) fail("bench/node_modules/.bin/esbuild is missing (scripts/build installs bench/'s pinned esbuild)");
const cjsExports = (names, from) => names.map((n) => `exports.${n} = ${from}.${n};`).join("\n");
const shortGlue = `${name}.short.js`;
const nodeEntry = "node-entry.mjs";
writeFileSync(join(stage, shortGlue), glue);
writeFileSync(
  join(stage, nodeEntry),
  template("entry.node-require.js")
    .replace("__GLUE__", () => `./${shortGlue}`)
    .replace("__ERRORS__", () => errorsModule)
    .replace("__API_EXPORTS__", () => cjsExports(apiNames, "glue"))
    .replace("__ERROR_EXPORTS__", () => cjsExports(errorNames, "errors")),
);
execFileSync(esbuild, [
  join(stage, nodeEntry), "--bundle", "--format=cjs", "--platform=node", "--target=node18",
  "--define:import.meta.url=__import_meta_url", "--log-level=warning",
  // the entry sets CommonJS `exports` from an ES module on purpose (js/entry.node-require.js)
  "--log-override:commonjs-variable-in-esm=silent",
  `--banner:js=${header("Node entry (CommonJS)")}"use strict";\nconst __import_meta_url = require("node:url").pathToFileURL(__filename).href;`,
  `--outfile=${join(out, "node.cjs")}`,
], { stdio: ["ignore", "inherit", "inherit"] });
rmSync(join(stage, shortGlue));
rmSync(join(stage, nodeEntry));

// node.js: ESM face of node.cjs
writeFileSync(join(out, "node.js"), header("Node entry (ESM)") + template("entry.node.js").replace("__EXPORTS__", () => allNames.join(",\n  ")));

// the wasm (once)
writeFileSync(join(out, wasmFile), shortened.wasm);

// the emulator (`instaclustr-pg/emulator`, `.../msw`): js/emulator/ as is (plain ES modules and
// their declarations) with its own module's glue and .wasm (scripts/lib/emulator-wasm-build.sh)
const emulatorStage = join(stage, "emulator");
for (const f of ["emulator_core.js", "emulator_core_bg.wasm"]) {
  if (!existsSync(join(emulatorStage, f))) fail(`${emulatorStage}/${f} is missing (the emulator's module was not built)`);
}
mkdirSync(join(out, "emulator"), { recursive: true });
cpSync(join(root, "js/emulator"), join(out, "emulator"), { recursive: true });
for (const f of ["emulator_core.js", "emulator_core_bg.wasm"]) cpSync(join(emulatorStage, f), join(out, "emulator", f));

// the command-line tool, as is (its entry executable)
cpSync(join(root, "js/cli"), join(out, "cli"), { recursive: true });
chmodSync(join(out, "cli/main.js"), 0o755);

// index.d.ts: the generated declarations up to the init section (raw wasm exports typed `any`,
// init functions no entry exports), then js/client.d.ts (the overloads of waitForCluster) and the
// error classes. The client's `free()` and
// `[Symbol.dispose]()` (set where the runtime has `Symbol.dispose`) get their documentation here:
// wasm-bindgen writes none; `Symbol.dispose` itself is declared by src/client/ts.rs, so that the
// declaration needs no `esnext.disposable` lib.
const dts = readFileSync(join(stage, `${name}.d.ts`), "utf8").split("\n");
const cut = dts.findIndex((line) => line.startsWith("export type InitInput"));
if (cut < 0) fail(`${name}.d.ts: no InitInput section`);
const FREE = "    free(): void;\n    [Symbol.dispose](): void;\n";
const declarations = dts.slice(0, cut).join("\n");
if (declarations.split(FREE).length !== 2) fail(`${name}.d.ts: not one free() and [Symbol.dispose]() of the client`);
const FREE_DOCUMENTED = `    /**
     * Releases the client's memory in the WebAssembly module now, rather than when the garbage
     * collector finds the object unreachable (it does so too). Calls in flight are not cancelled
     * (pass a \`signal\` for that). Calling it again does nothing; any other method called
     * afterwards rejects with an \`InstaclustrError\` of code \`CLIENT_FREED\`.
     */
    free(): void;
    /** \`free()\`, for \`using client = new InstaclustrClient(...)\` (where the runtime has \`Symbol.dispose\`). */
    [Symbol.dispose](): void;
`;
writeFileSync(
  join(out, "index.d.ts"),
  declarations.replace(FREE, () => FREE_DOCUMENTED) + "\n" + template("client.d.ts") + "\n" + template("errors.d.ts"),
);

// package.json
const pkg = {
  name: "instaclustr-pg",
  version,
  description: "Typed client for the Instaclustr PostgreSQL Provisioning V2 API (WebAssembly): browsers, Web Workers, bundlers, Node ESM and CommonJS",
  license: "Apache-2.0",
  type: "module",
  main: "./node.cjs",
  module: "./web.js",
  types: "./index.d.ts",
  exports: {
    ".": {
      types: "./index.d.ts",
      browser: "./web.js",
      node: { import: "./node.js", require: "./node.cjs" },
      import: "./web.js",
      require: "./node.cjs",
      default: "./web.js",
    },
    "./emulator": { types: "./emulator/index.d.ts", default: "./emulator/index.js" },
    "./emulator/msw": { types: "./emulator/msw.d.ts", default: "./emulator/msw.js" },
    [`./${wasmFile}`]: `./${wasmFile}`,
    "./package.json": "./package.json",
  },
  bin: { "instaclustr-pg": "./cli/main.js" },
  sideEffects: false,
  files: ["web.js", "node.js", "node.cjs", "index.d.ts", wasmFile, "cli/", "emulator/"],
  // the emulator's msw handlers (instaclustr-pg/emulator/msw) import the app's own msw, never a copy;
  // its `postgres: "pglite"` mode imports the app's own PGlite (about 27 MB installed: only for
  // those who use it)
  peerDependencies: { msw: "^2.0.0", "@electric-sql/pglite": ">=0.3.0" },
  peerDependenciesMeta: { msw: { optional: true }, "@electric-sql/pglite": { optional: true } },
  // the PostgreSQL wire of `postgres: "pglite"` in Node (TLS and SCRAM-SHA-256 on the server side,
  // no dependencies of its own): pinned exactly, a beta, because 0.2.4 (the latest stable) has
  // neither TLS nor SCRAM (README, "Real SQL with PGlite")
  dependencies: { "pg-gateway": "0.3.0-beta.4" },
  engines: { node: ">=18" },
};
writeFileSync(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
console.log(`assembled ${out}: ${apiNames.length} API exports, ${errorNames.length} error classes`);
