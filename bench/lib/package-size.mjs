// The size of a built package as an app ships it: the .wasm, and the glue (web.js with the
// js/ modules it imports) bundled and minified by esbuild; gzip -9 and brotli of each and of
// the two together. One measurement for bench.mjs (the size section) and bench/size-budget
// (the CI budget), so that the budget holds exactly what the benchmark reports.
//   node bench/lib/package-size.mjs <package dir>    prints the sizes as JSON
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zc, gzipSync } from "node:zlib";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Raw, gzip -9 and brotli (quality 11) sizes of `buf`. */
export function sizes(buf) {
  const gz = spawnSync("gzip", ["-9", "-c"], { input: buf, maxBuffer: 1 << 28 });
  return {
    raw: buf.length,
    gzip: gz.status === 0 ? gz.stdout.length : gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: buf.length } }).length,
  };
}

/** The glue of package `dir` as an app's bundler ships it: web.js bundled and minified. */
export function minifiedGlue(dir) {
  return execFileSync(
    join(benchDir, "node_modules/.bin/esbuild"),
    [join(dir, "web.js"), "--bundle", "--minify", "--format=esm", "--platform=browser", "--target=es2022", "--external:node:fs/promises", "--legal-comments=none", "--log-level=error"],
    { maxBuffer: 1 << 26 },
  );
}

/** `{ wasm, glueMinified, total }` of package `dir` (each `{ raw, gzip, brotli }`). */
export function packageSizes(dir) {
  const wasm = sizes(readFileSync(join(dir, "instaclustr_pg_bg.wasm")));
  const glueMinified = sizes(minifiedGlue(dir));
  const total = {};
  for (const k of ["raw", "gzip", "brotli"]) total[k] = wasm[k] + glueMinified[k];
  return { wasm, glueMinified, total };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node bench/lib/package-size.mjs <package dir>");
    process.exit(2);
  }
  console.log(JSON.stringify(packageSizes(dir)));
}
