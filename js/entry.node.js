// Node, ESM (`import`): the CommonJS build (node.cjs) seen as ESM, so that `import` and `require` of
// the package in one process share one wasm instance and the same error classes (`instanceof`
// holds whichever way an error was thrown).
import cjs from "./node.cjs";

export const {
  __EXPORTS__,
} = cjs;
