// Package entry for browsers, Web Workers and ESM runtimes with `fetch` (generated into pkg/ by
// scripts/build, which fills in the snippet path). The module initializes itself with a
// top-level await, so importers use the API directly, without an `init()` call.
import init from "./instaclustr_pg.js";

const wasmUrl = new URL("./instaclustr_pg_bg.wasm", import.meta.url);
if (wasmUrl.protocol === "file:" && typeof process !== "undefined" && process.versions && process.versions.node) {
  // Node has no fetch for file: URLs: read the bytes instead
  const { readFile } = await import("node:fs/promises");
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export * from "./instaclustr_pg.js";
export {
  InstaclustrError,
  ValidationError,
  ApiError,
  DecodeError,
  NetworkError,
  TimeoutError,
  AbortError,
  WaiterError,
} from "__ERRORS_MODULE__";
