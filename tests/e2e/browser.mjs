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
