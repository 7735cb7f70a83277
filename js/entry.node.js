// Package entry for Node (ESM), generated into pkg/ by scripts/build: the wasm bytes are read
// synchronously from the package directory, so the module is ready as soon as it is imported.
import { readFileSync } from "node:fs";
import { initSync } from "./instaclustr_pg.js";

initSync({ module: readFileSync(new URL("./instaclustr_pg_bg.wasm", import.meta.url)) });

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
