// Where the time goes: times each slice of the package's work through the probe module
// (bench/probe/src/lib.rs, the package's own Rust code behind other boundaries), beside the
// package's exported functions. Prints a markdown table; bench/FINDINGS.md quotes it.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as inputs from "../inputs.mjs";
import { opsPerSecond } from "../lib/measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const probe = await import(pathToFileURL(join(here, "pkg/instaclustr_pg_probe.js")).href);
probe.initSync({ module: readFileSync(join(here, "pkg/instaclustr_pg_probe_bg.wasm")) });
const ours = await import(pathToFileURL(join(resolve(process.env.OURS_PKG || join(here, "../../pkg")), "node.js")).href);

const body = inputs.createBody();
const cText = inputs.getClusterResponse();
const bText = inputs.listBackupsResponse();
const cBytes = new TextEncoder().encode(cText);
const bBytes = new TextEncoder().encode(bText);
const opts = { username: "bench-user", apiKey: "bench-key-0123456789" };
const enc = new TextEncoder();

const rows = [];
const row = (group, name, fn, bytes, o) => {
  const r = opsPerSecond(fn, o);
  rows.push({ group, name, ops: r.ops, us: 1e6 / r.ops, mbs: bytes ? (r.ops * bytes) / 1e6 : undefined });
  console.error(`${group} | ${name}: ${r.ops.toFixed(0)} ops/s`);
};

for (const [group, text, bytes, p, big] of [
  ["getCluster 4.3 KB", cText, cBytes, "cluster", false],
  ["listBackups 983 KB", bText, bBytes, "backups", true],
]) {
  const o = big ? { sampleMs: 200, samples: 11, warmupMs: 500 } : { samples: 11 };
  const pkgFn = p === "cluster" ? ours.parseGetClusterResponse : ours.parseListBackupsResponse;
  row(group, "JSON.parse(string) alone (floor)", () => JSON.parse(text), bytes.length, o);
  row(group, "TextEncoder.encode(string) alone", () => enc.encode(text), bytes.length, o);
  row(group, "boundary: pass string in (probe_noop_str)", () => probe.probe_noop_str(text), bytes.length, o);
  row(group, "boundary: pass Uint8Array in (probe_noop_bytes)", () => probe.probe_noop_bytes(bytes), bytes.length, o);
  row(group, "rust: serde_json::Value only", () => probe[`${p}_decode_value`](bytes), bytes.length, o);
  row(group, "rust: typed decode, plain serde_json", () => probe[`${p}_decode_plain`](bytes), bytes.length, o);
  row(group, "rust: typed decode with serde_path_to_error (package)", () => probe[`${p}_decode_path`](bytes), bytes.length, o);
  row(group, "rust: syntax-only scan, nothing built (IgnoredAny)", () => probe.scan_ignored(bytes), bytes.length, o);
  row(group, "sketch: rust scan of the bytes + JSON.parse in JS", () => probe.scan_ignored(bytes) && JSON.parse(text), bytes.length, o);
  row(group, "package: parse<Op>Response(200, string)", () => pkgFn(200, text), bytes.length, o);
  row(group, "package: parse<Op>Response(200, Uint8Array)", () => pkgFn(200, bytes), bytes.length, o);
  row(group, "probe: path decode + serde-wasm-bindgen (= package)", () => probe[`${p}_path_swb`](bytes), bytes.length, o);
  row(group, "probe: plain decode + serde-wasm-bindgen", () => probe[`${p}_swb`](bytes), bytes.length, o);
  row(group, "probe: plain decode + JSON text out + JSON.parse in JS", () => JSON.parse(probe[`${p}_json`](bytes)), bytes.length, o);
  row(group, "probe: same, from a string (encodeInto)", () => JSON.parse(probe[`${p}_json`](enc.encode(text))), bytes.length, o);
}

const group = "create body 1.4 KB";
const bodyText = JSON.stringify(body);
row(group, "JSON.stringify(body) alone", () => JSON.stringify(body));
row(group, "JSON.stringify + pass the string in (no work)", () => probe.probe_noop_str(JSON.stringify(body)));
row(group, "rust: serde_json::Value of the body (bytes in)", () => probe.cluster_decode_value(enc.encode(JSON.stringify(body))));
row(group, "rust: typed PostgresqlCluster of the body (bytes in)", () => probe.cluster_decode_plain(enc.encode(JSON.stringify(body))));
row(group, "package: validateCreateCluster(object)", () => ours.validateCreateCluster(body));
row(group, "probe: serde_json::Value from text only", () => probe.value_from_text(JSON.stringify(body)));
row(group, "probe: stringify in JS + validate + violations as JSON text", () => JSON.parse(probe.validate_text(JSON.stringify(body))));
row(group, "probe: stringify in JS + validate + serde-wasm-bindgen violations", () => probe.validate_text_swb(JSON.stringify(body)));
row(group, "package: buildCreateClusterRequest(object, options)", () => ours.buildCreateClusterRequest(body, opts));
row(group, "probe: stringify in JS + build + request as JSON text + JSON.parse", () => JSON.parse(probe.build_text(JSON.stringify(body), opts.username, opts.apiKey)));
row(group, "boundary: return a 1.4 KB string (probe_return_str)", () => probe.probe_return_str(bodyText.length));

let out = "| input | slice | ops/s | µs/op | MB/s |\n| --- | --- | ---: | ---: | ---: |\n";
for (const r of rows) out += `| ${r.group} | ${r.name} | ${r.ops.toFixed(r.ops < 100 ? 1 : 0)} | ${r.us.toFixed(r.us < 10 ? 2 : 0)} | ${r.mbs === undefined ? "" : r.mbs.toFixed(0)} |\n`;
process.stdout.write(out);
