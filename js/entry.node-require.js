//#region package entry (js/entry.node-require.js)
// Node, CommonJS (`require`) and, through node.js, ESM (`import`): one instance per process. The
// wasm is read and compiled synchronously from the package directory, so the module is ready as
// soon as it is loaded. scripts/lib/assemble-package.mjs fills in the paths of the glue and of
// js/errors.js and the exports, and bundles this file with esbuild into node.cjs. The imports
// are ES module imports, so that esbuild puts the modules in one scope (no lazy wrapper to parse
// twice at start-up); the exports are CommonJS assignments to node.cjs's own `exports`, writable
// as `exports.x = ...` makes them.
import * as glue from "__GLUE__";
import * as errors from "__ERRORS__";
import { readFileSync } from "node:fs";
import { join } from "node:path";

glue.initSync({
  module: new WebAssembly.Module(readFileSync(join(__dirname, "instaclustr_pg_bg.wasm"))),
});

errors.guardFreed(glue.InstaclustrClient);

__API_EXPORTS__;
__ERROR_EXPORTS__;
//#endregion
