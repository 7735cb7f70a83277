// results.json -> results.md (markdown tables with ours/peer ratios beside each figure).

const f = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a");
const r2 = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${f(a / b, 2)}x` : "n/a");
const kb = (n) => `${f(n / 1024, 1)} KB`;

export function markdown(res) {
  const m = res.machine;
  const s = res.sections;
  const out = [];
  const p = (...l) => out.push(...l);
  p("# Benchmark results", "");
  p("instaclustr-pg (the built package, `pkg/`) against the peer client a TypeScript developer would write today", "(`bench/peer`: openapi-typescript types, openapi-fetch calls, zod schemas with the same field rules, bundled and", "minified by esbuild). One run of `bench/run`; medians of repeated samples after warm-up. Ratios are ours/peer:", "for sizes and times lower is better, for throughput higher is better.", "");
  p(`Machine: ${m.nproc} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; node ${m.node} (V8 ${m.v8}); commit ${m.commit}; ${m.date}${res.config.quick ? " (QUICK run: few samples)" : ""}.`, "");

  if (s.size) {
    const z = s.size;
    p("## 1. Size (what a browser app loads)", "");
    p("| artefact | raw | gzip -9 | brotli | ours/peer (gzip) |", "| --- | ---: | ---: | ---: | ---: |");
    p(`| ours: .wasm | ${kb(z.wasm.raw)} | ${kb(z.wasm.gzip)} | ${kb(z.wasm.brotli)} | |`);
    p(`| ours: JS glue as shipped (web.js with its bindings + errors.js) | ${kb(z.glue.raw)} | ${kb(z.glue.gzip)} | ${kb(z.glue.brotli)} | |`);
    p(`| ours: JS glue minified (esbuild) | ${kb(z.glueMinified.raw)} | ${kb(z.glueMinified.gzip)} | ${kb(z.glueMinified.brotli)} | |`);
    p(`| **ours: .wasm + minified glue** | ${kb(z.oursTotal.raw)} | ${kb(z.oursTotal.gzip)} | ${kb(z.oursTotal.brotli)} | **${r2(z.oursTotal.gzip, z.peer.gzip)}** |`);
    p(`| peer: bundle minified (openapi-fetch + zod + schemas) | ${kb(z.peer.raw)} | ${kb(z.peer.gzip)} | ${kb(z.peer.brotli)} | 1.00x |`);
    p("", `Target: .wasm + glue at most ${kb(z.budgetGzip)} gzip (ambition 60 KB): ${z.oursTotal.gzip <= z.budgetGzip ? "met" : `**not met** (${kb(z.oursTotal.gzip)}, ${f(z.oursTotal.gzip / z.budgetGzip, 2)}x the budget)`}.`, "");
  }
  if (s.cold) {
    const c = s.cold;
    p("## 2. Cold start (fresh `node` process: import, initialize, first validation)", "");
    p(`| process | median | p90 | added to an empty process | ours/peer (added) |`, "| --- | ---: | ---: | ---: | ---: |");
    p(`| importing nothing | ${f(c.nothing.median, 1)} ms | ${f(c.nothing.p90, 1)} ms | | |`);
    p(`| ours (Node entry, \`initSync\`) | ${f(c.ours.median, 1)} ms | ${f(c.ours.p90, 1)} ms | ${f(c.ours.added, 1)} ms | **${r2(c.ours.added, c.peer.added)}** |`);
    p(`| ours (web entry, top-level await) | ${f(c.oursWeb.median, 1)} ms | ${f(c.oursWeb.p90, 1)} ms | ${f(c.oursWeb.added, 1)} ms | ${r2(c.oursWeb.added, c.peer.added)} |`);
    p(`| peer bundle | ${f(c.peer.median, 1)} ms | ${f(c.peer.p90, 1)} ms | ${f(c.peer.added, 1)} ms | 1.00x |`);
    p("", `${c.nothing.runs} runs each (${c.tool}).`, "");
  }
  if (s.build) {
    const b = s.build;
    p("## 3. Validate and build a create-cluster request", "");
    p("| operation | ours ops/s | peer ops/s | ours/peer |", "| --- | ---: | ---: | ---: |");
    p(`| validateCreateCluster | ${f(b.validate.ours.ops)} | ${f(b.validate.peer.ops)} | ${r2(b.validate.ours.ops, b.validate.peer.ops)} |`);
    p(`| buildCreateClusterRequest (validates, then builds) | ${f(b.build.ours.ops)} | ${f(b.build.peer.ops)} | **${r2(b.build.ours.ops, b.build.peer.ops)}** |`);
    p("", "Target: ours/peer >= 1.00.", "");
  }
  if (s.parse) {
    p("## 4. Parse and validate responses", "");
    p("| response | body as | JSON.parse alone | ours | peer (JSON.parse + zod) | ours/peer | ours/JSON.parse |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (const [name, x] of Object.entries(s.parse)) {
      const mbs = (o) => (o ? `${f(o.ops, o.ops < 100 ? 1 : 0)} ops/s (${f((o.ops * x.bytes) / 1e6, 1)} MB/s)` : "refused");
      const label = `${name} (${kb(x.bytes)})`;
      p(`| ${label} | string | ${mbs(x.jsonParse)} | ${mbs(x.oursString)} | ${mbs(x.peerString)} | **${r2(x.oursString.ops, x.peerString?.ops)}** | ${r2(x.oursString.ops, x.jsonParse.ops)} |`);
      p(`| ${label} | Uint8Array | | ${mbs(x.oursBytes)} | ${mbs(x.peerBytes)} | ${r2(x.oursBytes.ops, x.peerBytes?.ops)} | ${r2(x.oursBytes.ops, x.jsonParse.ops)} |`);
    }
    p("", "Targets: ours/peer >= 1.00 for both; the large parse at least 0.50x of `JSON.parse` alone.", "");
  }
  if (s.roundTrip) {
    const t = s.roundTrip;
    p("## 5. Round trip: getCluster against the emulator on loopback", "");
    if (t.skipped) p(`Skipped: ${t.skipped}.`, "");
    else {
      p("| client | median | p99 | added median | added p99 | added / raw median |", "| --- | ---: | ---: | ---: | ---: | ---: |");
      p(`| raw fetch + JSON.parse | ${f(t.raw.median, 3)} ms | ${f(t.raw.p99, 3)} ms | | | |`);
      for (const k of ["ours", "peer"]) p(`| ${k === "ours" ? "ours: client.getCluster" : "peer: openapi-fetch GET + zod"} | ${f(t[k].median, 3)} ms | ${f(t[k].p99, 3)} ms | ${f(t[k].addedMedian, 3)} ms | ${f(t[k].addedP99, 3)} ms | ${f(t[k].addedPct, 1)} % |`);
      p("", `${t.raw.n} interleaved samples each, ${f(t.bodyBytes)} bytes per body. Target: added median under 10 % of the raw fetch median. Ours/peer (median): ${r2(t.ours.median, t.peer.median)}.`, "");
    }
  }
  if (s.waiter) {
    const w = s.waiter;
    p("## 6. Waiter traffic: requests while a new cluster provisions", "");
    if (w.skipped) p(`Skipped: ${w.skipped}.`, "");
    else {
      p("| waiter | requests | cluster ready after | detected late by | requests / minimum |", "| --- | ---: | ---: | ---: | ---: |");
      p(`| ours: waitForCluster (5 s growing 1.5x to 30 s) | ${w.ours.requests} | ${f(w.ours.readyAfterApiS, 1)} s | ${f(w.ours.detectLagApiS, 1)} s | ${f(w.ours.requests / w.minimum, 0)}x |`);
      p(`| peer: fixed 5 s polling loop | ${w.peer.requests} | ${f(w.peer.readyAfterApiS, 1)} s | ${f(w.peer.detectLagApiS, 1)} s | ${f(w.peer.requests / w.minimum, 0)}x |`);
      p("", `Times in API seconds: the emulator ran at ${w.speed}x and both waiters' delays were divided by ${w.speed}. Minimum: ${w.minimum} request (one poll at the moment the cluster is ready). Ours/peer (requests): ${r2(w.ours.requests, w.peer.requests)}.`, "");
    }
  }
  return out.join("\n") + "\n";
}
