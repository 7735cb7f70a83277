//#region package entry (js/entry.web.js)
// Browsers (`<script type="module">`), Web Workers, bundlers and other ESM runtimes. scripts/build
// appends this to the wasm-bindgen glue, in the same module as the functions it initializes, so a
// bundler that drops unused modules (`sideEffects: false`) can never keep a function and drop its
// initialization. The module instantiates itself with a top-level await: importers use the API
// at once, without an `init()` call. The literal `new URL("./…wasm", import.meta.url)` is the
// pattern bundlers (Vite, webpack, Parcel) recognize to emit the .wasm as an asset.
const wasmUrl = new URL("./instaclustr_pg_bg.wasm", import.meta.url);
if (
  wasmUrl.protocol === "file:" &&
  typeof process === "object" &&
  process !== null &&
  process.versions != null &&
  process.versions.node != null
) {
  // Node cannot fetch file: URLs (this file imported directly rather than through the package's
  // `node` condition): read the bytes. The specifier is not a literal so that bundlers leave it alone.
  const fsModule = "node:fs";
  const { readFileSync } = await import(/* @vite-ignore */ /* webpackIgnore: true */ fsModule);
  initSync({ module: readFileSync(wasmUrl) });
} else {
  await __wbg_init({ module_or_path: wasmUrl });
}

guardFreed(InstaclustrClient);

export { __ERROR_EXPORTS__ };
//#endregion
