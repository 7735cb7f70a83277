// Shared by the console's browser tests (lifecycle.test.mjs, in-tab.test.mjs): headless Chromium
// (Debian's, through playwright-core) with a fresh profile, and the page helpers the steps use.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Bound of every wait on the UI. */
export const STEP_MS = 60_000;

/** Chromium on the profile folder `userDataDir`; resolves with its context and first page. */
export async function launch(userDataDir, extra = {}) {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...extra,
  });
  context.setDefaultTimeout(STEP_MS);
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page };
}

/** The helpers of the steps on `page`: `tid` (by data-testid), `text` (trimmed), `waitText`. */
export function helpers(page) {
  return {
    tid: (id) => page.locator(`[data-testid="${id}"]`),
    text: async (locator) => ((await locator.textContent()) ?? '').trim(),
    /** Waits until the text of `selector` matches `re` (bounded). */
    waitText: (selector, re, timeout = STEP_MS) => page.waitForFunction(
      ([sel, src, flags]) => new RegExp(src, flags).test(document.querySelector(sel)?.textContent ?? ''),
      [selector, re.source, re.flags], { timeout, polling: 100 }),
  };
}

/**
 * `step(name, fn)`: a subtest of `t` that runs only while every earlier step passed (the steps of
 * a lifecycle build on each other: after the first failure the rest are skipped, not timed out);
 * a failing step leaves a screenshot `failure-<name>` through `shot`.
 */
export function steps(t, shot) {
  let broken = null;
  return (name, fn) =>
    t.test(name, { skip: broken ? `after the failure of: ${broken}` : false }, async () => {
      try {
        await fn();
      } catch (err) {
        broken = name;
        await shot(`failure-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
        throw err;
      }
    });
}
