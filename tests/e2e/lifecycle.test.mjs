// End-to-end test of the demo console (www/) in real headless Chromium against the real emulator
// and the real package: the whole lifecycle through the UI, with screenshots of the main screens
// in test-output/screenshots/. Run through tests/e2e/run (or `node --test` in this folder once the
// emulator binary and www/pkg exist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { launch, helpers, steps, CHROMIUM } from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const EMULATOR = process.env.E2E_EMULATOR ?? join(ROOT, 'target', 'debug', 'instaclustr-pg-emulator');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const DOWNLOADS = join(ROOT, 'test-output', 'downloads');
const SPEED = process.env.E2E_SPEED ?? '200';
const USERNAME = 'demo';
const API_KEY = `e2e-${randomBytes(12).toString('hex')}`;

let emulator;
let emulatorLog = '';
let baseUrl;
let account;
let userDataDir;
let context;
let page;
const pageErrors = [];

/** Starts the emulator on a free port and resolves with its URL (first stdout line). */
function startEmulator() {
  return new Promise((resolveUrl, reject) => {
    const args = ['--port', '0', '--speed', SPEED, '--static', join(ROOT, 'www'), '--account', `${USERNAME}:${API_KEY}`];
    emulator = spawn(EMULATOR, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`emulator did not print its address within 30 s:\n${emulatorLog}`)), 30_000);
    emulator.on('error', (err) => { clearTimeout(timer); reject(err); });
    emulator.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited early (${code}):\n${emulatorLog}`)); });
    emulator.stderr.on('data', (d) => { emulatorLog += d; });
    const lines = createInterface({ input: emulator.stdout });
    lines.on('line', (line) => {
      emulatorLog += `${line}\n`;
      const m = /https?:\/\/[^\s]+/.exec(line);
      if (m && !baseUrl) {
        baseUrl = m[0].replace(/\/+$/, '');
        clearTimeout(timer);
        resolveUrl(baseUrl);
      }
    });
  });
}

async function stopEmulator() {
  if (!emulator || emulator.exitCode !== null) return;
  const exited = new Promise((r) => emulator.once('exit', r));
  emulator.removeAllListeners('exit');
  emulator.once('exit', () => {});
  emulator.kill('SIGTERM');
  const t = setTimeout(() => emulator.kill('SIGKILL'), 3_000);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  clearTimeout(t);
}

let tid, text, waitText;
const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const errorFor = (path) => page.locator(`[data-error-for="${path}"]`);

before(async () => {
  assert.ok(existsSync(EMULATOR), `emulator binary missing at ${EMULATOR} (cargo build -p instaclustr-pg-emulator)`);
  assert.ok(existsSync(join(ROOT, 'www', 'pkg', 'web.js')), 'www/pkg/ has no browser entry web.js (run scripts/build)');
  assert.ok(existsSync(CHROMIUM), `chromium missing at ${CHROMIUM} (scripts/setup installs it)`);
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(DOWNLOADS, { recursive: true });
  await startEmulator();
  account = { username: USERNAME, apiKey: API_KEY };
  userDataDir = mkdtempSync(join(tmpdir(), 'instaclustr-pg-e2e-'));
  ({ context, page } = await launch(userDataDir, { acceptDownloads: true }));
  ({ tid, text, waitText } = helpers(page));
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

after(async () => {
  await context?.close().catch(() => {});
  await stopEmulator();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('the whole cluster lifecycle through the console', { timeout: 10 * 60_000 }, async (t) => {
  const clusterName = `e2e-${randomBytes(3).toString('hex')}`;
  const step = steps(t, shot);

  await step('opens with the base URL of its own origin and the credentials from the query', async () => {
    await page.goto(`${baseUrl}/index.html?user=${encodeURIComponent(account.username)}&key=${encodeURIComponent(account.apiKey)}`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await tid('conn-base-url').inputValue(), new URL(baseUrl).origin);
    assert.equal(await tid('conn-username').inputValue(), account.username);
    assert.equal(await tid('conn-api-key').inputValue(), account.apiKey);
    assert.ok(!page.url().includes(account.apiKey), 'the key is removed from the address bar');
    await shot('01-connection');
  });

  await step('a wrong key shows the API error list', async () => {
    await tid('conn-api-key').fill('wrong-key');
    await tid('conn-submit').click();
    await page.waitForSelector('[data-testid="conn-error"] .error-box');
    assert.match(await text(tid('conn-error')), /401/);
    await tid('conn-api-key').fill(account.apiKey);
  });

  await step('connects, loads the catalogue and keeps credentials out of storage', async () => {
    await tid('conn-submit').click();
    await page.waitForSelector('#workspace:not([hidden])');
    await page.waitForFunction(() => document.querySelector('[data-testid="create-pg-version"]').options.length > 0
      && document.querySelector('[data-testid="dc-node-size"]').options.length > 0);
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    assert.deepEqual(storage, { local: 0, session: 0 });
    const versions = await page.$$eval('[data-testid="create-pg-version"] option', (os) => os.map((o) => o.value));
    assert.ok(versions.every((v) => /^\d+\.\d+\.\d+$/.test(v)), `versions: ${versions}`);
    await tid('pgbouncer-enabled').check();
    await page.waitForFunction(() => document.querySelector('[data-testid="pgbouncer-version"]').options.length > 0);
    await tid('pgbouncer-enabled').uncheck();
  });

  await step('live validation: an invalid network is reported beside its field and blocks submit', async () => {
    await tid('create-name').fill(clusterName);
    await tid('dc-network').fill('192.168.0.0/30');
    await waitText('[data-error-for="dataCentres[0].network"]', /\S/);
    assert.ok((await text(errorFor('dataCentres[0].network'))).length > 0);
    assert.equal(await tid('create-submit').isDisabled(), true);
    assert.equal(await tid('dc-network').getAttribute('aria-invalid'), 'true');
    await shot('02-create-invalid');
    await tid('dc-network').fill('10.1.0.0/16');
    await page.waitForFunction(() => document.querySelector('[data-error-for="dataCentres[0].network"]').textContent.trim() === '');
    assert.equal(await tid('create-submit').isDisabled(), false);
  });

  await step('the request preview shows method, URL and JSON, and no credentials', async () => {
    assert.equal(await text(tid('preview-method')), 'POST');
    assert.ok((await text(tid('preview-url'))).startsWith(`${new URL(baseUrl).origin}/cluster-management/v2/resources/applications/postgresql/clusters/v2`));
    const body = JSON.parse(await text(tid('preview-body')));
    assert.equal(body.name, clusterName);
    assert.equal(body.dataCentres[0].network, '10.1.0.0/16');
    const headers = await text(tid('preview-headers'));
    assert.match(headers, /authorization/i);
    const basic = Buffer.from(`${account.username}:${account.apiKey}`).toString('base64');
    assert.ok(!headers.includes(account.apiKey) && !headers.includes(basic), 'the preview holds no credentials');
    await shot('03-create-valid');
  });

  let clusterId;
  await step('creates the cluster and watches it reach RUNNING with per-node progress', async () => {
    await page.evaluate(() => {
      window.__seen = { nodeProgress: false, labels: new Set() };
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="node-progress"]')) window.__seen.nodeProgress = true;
        const block = document.querySelector('#op-progress');
        if (block && !block.hidden) window.__seen.labels.add(block.querySelector('#op-progress-label').textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await tid('create-submit').click();
    await page.waitForSelector('[data-testid="cluster-view"]:not([hidden])');
    clusterId = await text(tid('cluster-id'));
    assert.match(clusterId, /^[0-9a-f-]{36}$/i);
    await shot('04-provisioning');
    await waitText('[data-testid="cluster-status"]', /^RUNNING$/);
    await waitText('[data-testid="cluster-op-status"]', /^NO_OPERATION$/);
    await page.waitForSelector('#op-progress', { state: 'hidden' });
    const seen = await page.evaluate(() => ({ nodeProgress: window.__seen.nodeProgress, labels: [...window.__seen.labels] }));
    assert.ok(seen.nodeProgress, 'node progress bars were shown while provisioning');
    assert.ok(await page.locator('[data-testid="node-row"]').count() >= 1);
    await page.waitForSelector(`[data-testid="cluster-row"][data-cluster-id="${clusterId}"]`);
    await shot('05-running');
    await page.setViewportSize({ width: 414, height: 900 }); // the console on a phone
    await shot('05b-running-narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('resizes the node size and waits for the operation to finish', async () => {
    const before = await page.$eval('[data-testid="resize-size"]', (s) => [...s.options].map((o) => o.value));
    assert.ok(before.length > 0, 'another node size is offered');
    const target = before[0];
    await tid('resize-size').selectOption(target);
    await tid('resize-submit').click();
    await waitText('#op-progress-label', /Resizing/);
    await shot('06-resizing');
    await waitText('[data-testid="cluster-op-status"]', /^NO_OPERATION$/);
    await page.waitForSelector('#op-progress', { state: 'hidden' });
    await page.waitForFunction((size) => [...document.querySelectorAll('[data-testid="node-row"]')].every((r) => r.textContent.includes(size)), target);
    await waitText('[data-testid="cluster-status"]', /^RUNNING$/);
  });

  await step('triggers a backup and sees its progress reach 100 %', async () => {
    await tid('backup-trigger').click();
    await page.waitForSelector('[data-testid="backup-progress"]:not([hidden])');
    await shot('07-backup-running');
    await waitText('[data-testid="backup-progress-pct"]', /^100 %$/);
    await page.waitForSelector('[data-testid="backup-event"][data-state="COMPLETED"]');
    assert.ok(await page.locator('[data-testid="timeline-row"]').count() >= 1);
    await shot('08-backup-done');
  });

  await step('restore refuses invalid and future instants, then restores to a point in time', async () => {
    await tid('restore-text').fill('2026-02-30T10:00:00Z');
    await waitText('[data-testid="restore-parsed"]', /✗/);
    assert.equal(await tid('restore-submit').isDisabled(), true);
    const future = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, '0');
    const local = `${future.getFullYear()}-${pad(future.getMonth() + 1)}-${pad(future.getDate())}T${pad(future.getHours())}:${pad(future.getMinutes())}:00`;
    await tid('restore-picker').fill(local);
    await waitText('[data-testid="restore-parsed"]', /✗/);
    assert.equal(await tid('restore-submit').isDisabled(), true);
    await shot('09-restore-future-refused');
    await page.waitForTimeout(1_100); // let the instant pass the completed backup
    const instant = new Date(Date.now() - 500);
    await tid('restore-text').fill(instant.toISOString());
    await waitText('[data-testid="restore-parsed"]', /UTC/);
    assert.equal(await text(tid('restore-utc')), `${instant.toISOString().replace('T', ' ').replace('Z', '')} UTC`);
    await tid('restore-name').fill(`${clusterName}-restored`);
    assert.equal(await tid('restore-submit').isDisabled(), false);
    await tid('restore-submit').click();
    await page.waitForSelector('[data-testid="restored-id"]');
    assert.match(await text(tid('restored-id')), /^[0-9a-f-]{36}$/i);
    await shot('10-restore-requested');
  });

  await step('downloads the certificate zip and shows the PEM', async () => {
    const download = page.waitForEvent('download');
    await tid('cert-download').click();
    const file = await download;
    const saved = join(DOWNLOADS, file.suggestedFilename());
    await file.saveAs(saved);
    const bytes = readFileSync(saved);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip file');
    await page.waitForSelector('[data-testid="cert-pem"]:not([hidden])');
    assert.ok((await text(tid('cert-pem'))).startsWith('-----BEGIN CERTIFICATE-----'));
    await shot('11-certificate');
  });

  await step('shows how to connect; with real servers the shown psql command connects', async () => {
    await page.waitForSelector('[data-testid="connect-hint"]:not([hidden])');
    const command = await text(tid('connect-command'));
    assert.match(command, /^psql "host=\S+ port=5432 dbname=postgres user=icpostgresql sslmode=verify-full sslrootcert=cluster-ca-certificate\.pem"$/);
    assert.equal(await text(tid('connect-password')), '••••••••', 'the password is hidden until asked for');
    await tid('connect-password-toggle').click();
    const password = await text(tid('connect-password'));
    assert.ok(password.length >= 8 && !password.includes('•'), 'the password is shown on demand');
    await shot('11b-connect');
    await tid('connect-password-toggle').click();
    assert.equal(await text(tid('connect-password')), '••••••••', 'and hidden again');
    if (!emulatorLog.includes('postgres: real servers')) {
      t.diagnostic('the emulator runs no real PostgreSQL: the psql login is not tried');
      return;
    }
    writeFileSync(join(DOWNLOADS, 'cluster-ca-certificate.pem'), await text(tid('cert-pem')));
    const conn = command.match(/^psql "(.*)"$/)[1];
    const r = spawnSync('psql', ['-X', '-Atc', 'SELECT current_user', conn], {
      cwd: DOWNLOADS, env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8', timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'icpostgresql');
  });

  await step('configurations: checked as typed, set, changed, the nodes reloaded one at a time with progress, reset', async () => {
    const row = '[data-testid="config-row"][data-name="work_mem"]';
    await tid('config-name').fill('work mem');
    await waitText('[data-testid="config-name-hint"]', /parameter name/);
    assert.equal(await tid('config-submit').isDisabled(), true);
    await tid('config-name').fill('work_mem');
    await tid('config-value-input').fill('16MB');
    await page.waitForFunction(() => document.querySelector('[data-testid="config-name-hint"]').textContent === '');
    assert.equal(await tid('config-submit').isDisabled(), false);
    await tid('config-submit').click();
    await page.waitForSelector(row);
    assert.equal(await text(page.locator(`${row} [data-testid="config-value"]`)), '16MB');
    await page.click(`${row} [data-testid="config-edit"]`);
    assert.equal(await tid('config-name').inputValue(), 'work_mem');
    await tid('config-value-input').fill('32MB');
    await tid('config-submit').click();
    await page.waitForFunction((sel) => document.querySelector(`${sel} [data-testid="config-value"]`)?.textContent === '32MB', row);
    await waitText('[data-testid="reload-hint"]', /reload the nodes/);
    await shot('11c-configuration');
    await tid('reload-nodes').click();
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll('[data-testid="reload-status"]')];
      const nodes = document.querySelectorAll('[data-testid="node-row"]').length;
      return nodes > 0 && b.length === nodes && b.every((x) => x.textContent === 'COMPLETED');
    }, null, { timeout: 120_000 });
    await waitText('[data-testid="reload-hint"]', /^Reloaded \d+ nodes? at /);
    await shot('11d-reloaded');
    await page.click(`${row} [data-testid="config-reset"]`);
    await page.waitForSelector(row, { state: 'detached' });
  });

  await step('the password rules show as they are met; the new password is sent and never shown or kept', async () => {
    const met = () => page.$$eval('[data-testid="password-rule"]', (l) => l.map((x) => x.dataset.met));
    await tid('password-input').fill('short');
    assert.deepEqual(await met(), ['false', 'false']);
    assert.equal(await tid('password-submit').isDisabled(), true);
    await tid('password-input').fill('longbutplain');
    assert.deepEqual(await met(), ['true', 'false']);
    const pw = `N3w-${randomBytes(4).toString('hex')}-Pw`;
    await tid('password-input').fill(pw);
    assert.deepEqual(await met(), ['true', 'true']);
    await shot('11e-password-rules');
    await tid('password-submit').click();
    await page.waitForSelector('[data-testid="password-done"]:not([hidden])');
    assert.equal(await tid('password-input').inputValue(), '', 'the field is emptied');
    const shown = await page.evaluate(() => document.body.innerText + document.querySelector('#activity-log').textContent);
    assert.ok(!shown.includes(pw), 'the new password is not on the page nor in the activity log');
  });

  await step('the description, the resize history and the maintenance events', async () => {
    await tid('description-input').fill('Orders team');
    await tid('description-submit').click();
    await waitText('[data-testid="description-current"]', /^Orders team$/);
    await page.waitForSelector('[data-testid="resize-row"]');
    assert.match(await text(page.locator('[data-testid="resize-row"]').first()), /COMPLETED/);
    assert.match(await text(tid('maintenance-table')), /No maintenance events/);
    await shot('11f-settings');
  });

  await step('deletes the cluster after a typed confirmation', async () => {
    await tid('delete-confirm').fill(`${clusterName}-typo`);
    assert.equal(await tid('delete-submit').isDisabled(), true);
    await tid('delete-confirm').fill(clusterName);
    assert.equal(await tid('delete-submit').isDisabled(), false);
    await tid('delete-submit').click();
    await waitText('[data-testid="cluster-status"]', /^DELETED$/);
    await page.waitForSelector('[data-testid="cluster-gone"]:not([hidden])');
    assert.equal(await tid('restore-submit').isDisabled(), true);
    await page.waitForSelector(`[data-testid="cluster-row"][data-cluster-id="${clusterId}"]`, { state: 'detached' });
    await shot('12-deleted');
  });

  await step('a cancelled wait is recognised as the caller\'s own cancellation', async () => {
    const seen = await page.evaluate(async (id) => {
      const [{ InstaclustrClient }, { isAbort }] = await Promise.all([import('./sdk.js'), import('./ui.js')]);
      const client = new InstaclustrClient({ baseUrl: location.origin, username: 'nobody', apiKey: 'not-a-key' });
      const ctrl = new AbortController();
      ctrl.abort();
      const err = await client.waitForCluster(id, { until: 'RUNNING', maxWaitMs: 60_000, signal: ctrl.signal }).then(() => null, (e) => e);
      return { code: err?.code, isAbort: isAbort(err) };
    }, clusterId);
    assert.deepEqual(seen, { code: 'ABORT_ERROR', isAbort: true });
  });

  await step('the page raised no uncaught errors and never showed or kept the key', async () => {
    assert.deepEqual(pageErrors, []);
    const basic = Buffer.from(`${account.username}:${account.apiKey}`).toString('base64');
    const texts = await page.evaluate(() => ({
      shown: document.body.innerText,
      html: document.documentElement.outerHTML,
      log: document.querySelector('#activity-log').textContent,
      preview: ['#preview-url', '#preview-headers', '#preview-body'].map((s) => document.querySelector(s).textContent).join('\n'),
    }));
    assert.ok(texts.log.length > 0, 'the activity log has entries');
    assert.match(texts.preview, /authorization/i);
    for (const [where, text] of Object.entries(texts)) {
      assert.ok(!text.includes(account.apiKey) && !text.includes(basic), `the key is in the page (${where})`);
    }
  });
});
