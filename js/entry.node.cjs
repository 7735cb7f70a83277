
//#region package entry (js/entry.node.cjs)
// Node, CommonJS (`require`) and, through node.js, ESM (`import`): one instance per process. The
// wasm is read and compiled synchronously from the package directory, so the module is ready as
// soon as it is loaded.
initSync({
  module: new WebAssembly.Module(require("node:fs").readFileSync(require("node:path").join(__dirname, "instaclustr_pg_bg.wasm"))),
});

__errors.guardFreed(InstaclustrClient);

__API_EXPORTS__
__ERROR_EXPORTS__
//#endregion
