// Node, ESM (`import`): the CommonJS build (node.cjs) loaded through `require`, so that `import` and
// `require` of the package in one process share one wasm instance and the same error classes
// (`instanceof` holds whichever way an error was thrown). `createRequire` rather than
// `import cjs from "./node.cjs"`: Node's ESM loader for a CommonJS file (source lexer, async
// load) added about 14 ms to every cold start (bench/FINDINGS.md); a plain `require` adds none.
import { createRequire } from "node:module";

const cjs = createRequire(import.meta.url)("./node.cjs");

export const { __EXPORTS__ } = cjs;
