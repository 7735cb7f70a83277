// The headless-Chromium side of the hardening campaigns (secrets-chromium.mjs,
// transport-chromium.mjs, and tests/hostile/chromium.mjs for its launch). `serveStatic` answers a blank page, the built pkg/ and the shared case
// modules of tests/campaign/ (mounted on a server of servers.mjs, on 127.0.0.1); `inChromium`
// drives Debian's /usr/bin/chromium through playwright-core (tests/e2e/node_modules, installed by
// scripts/lib/playwright-core.sh) with the flags of tests/hostile/chromium.mjs and a fresh
// profile, and collects every console line and uncaught error of the page for the runners to
// check. Node-only.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";

import { ROOT } from "./lib.mjs";

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
// Only these folders are served; tests/campaign/ holds Node-only files too, but the page imports
// only the *-cases.mjs modules (which import nothing from Node).
const SERVED = ["/pkg/", "/tests/campaign/"];

// The page: no script of its own besides a console recorder that keeps every argument's text
// (playwright's console event gives a preview of objects only), installed before anything runs.
const PAGE = `<!doctype html><meta charset="utf-8"><title>campaign</title><script>
window.__console = [];
for (const m of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) {
  const orig = console[m].bind(console);
  console[m] = (...args) => {
    const text = args.map((a) => { try { return typeof a === "string" ? a : a instanceof Error ? a.stack + " " + JSON.stringify(a) : JSON.stringify(a); } catch { return String(a); } });
    window.__console.push(m + ": " + text.join(" "));
    orig(...args);
  };
}
</script>`;

/** Serves the page and the allowed static files; false when `path` is none of them. */
export function serveStatic(path, res) {
  return servePage(path, res, PAGE, SERVED);
}

/**
 * Answers `/` with `page` and a file of the repository under one of the `served` folders; false
 * when `path` is neither (a path that leaves the repository is neither). Shared with the
 * hostile campaign's server.
 */
export async function servePage(path, res, page, served) {
  if (path === "/" || path === "/index.html") {
    res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" });
    res.end(page);
    return true;
  }
  if (!served.some((p) => path.startsWith(p))) return false;
  const file = normalize(join(ROOT, decodeURIComponent(path)));
  if (!file.startsWith(ROOT + sep)) return false;
  try {
    const data = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Launches headless Chromium, opens `pageUrl` and runs `fn(page)`. Resolves to
 * `{ value, console, pageErrors, failure }`: `console` holds both what playwright saw (every
 * console call and the browser's own messages, such as refused CORS requests) and the page's
 * recorder's full texts; `failure` is a string when the browser or `fn` failed. Chromium is
 * always closed and its profile removed; after `totalMs` the whole process gives up (exit 1).
 */
export async function inChromium(pageUrl, fn, { totalMs = 240_000, label = "chromium" } = {}) {
  if (!existsSync(CHROMIUM)) {
    return { value: undefined, console: [], pageErrors: [], failure: null, skipped: `no chromium at ${CHROMIUM} (scripts/setup installs it)` };
  }
  const { chromium } = await import("../e2e/node_modules/playwright-core/index.mjs");
  const profile = mkdtempSync(join(tmpdir(), "instaclustr-pg-campaign-"));
  const seen = [];
  const pageErrors = [];
  let context;
  let value;
  let failure = null;
  const watchdog = setTimeout(() => {
    console.log(`FAIL ${label}: not done after ${totalMs} ms`);
    context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
    process.exit(1);
  }, totalMs);
  watchdog.unref();
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, timeout: 60_000,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => seen.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => pageErrors.push(`${e.message}\n${e.stack ?? ""}`));
    await page.goto(pageUrl);
    value = await fn(page);
    // the recorder of this module's page (a page of another server may have none)
    const recorded = await page.evaluate(() => window.__console);
    seen.push(...(recorded ?? []));
  } catch (e) {
    failure = `${label} run failed: ${e?.stack ?? e}`;
  } finally {
    clearTimeout(watchdog);
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  return { value, console: seen, pageErrors, failure, skipped: null };
}
