// The emulator of the package in headless Chromium, with no API server anywhere: www/ (with the
// built package in www/pkg) is served by a plain static file server, and
//  1. a page runs `createEmulator` (instaclustr-pg/emulator) with the client of the package through
//     the whole lifecycle, moving the emulator's clock with `advance`; a module Worker does too;
//  2. a page runs `createEmulator({ postgres: "pglite" })` (PGlite from www/vendor/pglite through
//     index.html's import map) and queries a cluster's database with `emulator.database(id).query`;
//  3. the console's "emulator in this tab" goes through the lifecycle in the UI (with PGlite: the
//     cluster page's SQL box), keeps its clusters across a reload (IndexedDB), and refuses a damaged
//     stored state without overwriting it.
// Screenshots in test-output/screenshots/tab-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, resolve, normalize, extname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { launch, helpers, steps, CHROMIUM } from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const WWW = join(ROOT, 'www');
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

let server;
let origin;
let userDataDir;
let context;
let page;
const pageErrors = [];
const requests = [];

/** A static file server of www/ on 127.0.0.1 (GET only, nothing outside www/): no API at all. */
function serveWww() {
  server = createServer(async (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(WWW, path === '/' ? 'index.html' : path));
    if (req.method !== 'GET' || !file.startsWith(WWW + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(data);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${server.address().port}`)));
}

let tid, text, waitText;
const shot = (name) => page.screenshot({ path: join(SHOTS, `tab-${name}.png`), fullPage: true });

before(async () => {
  assert.ok(existsSync(join(WWW, 'pkg', 'emulator', 'index.js')), 'www/pkg/ has no emulator/ (scripts/build, then scripts/lib/sync-www-pkg)');
  assert.ok(existsSync(CHROMIUM), `chromium missing at ${CHROMIUM} (scripts/setup installs it)`);
  mkdirSync(SHOTS, { recursive: true });
  origin = await serveWww();
  userDataDir = mkdtempSync(join(tmpdir(), 'instaclustr-pg-e2e-tab-'));
  ({ context, page } = await launch(userDataDir));
  ({ tid, text, waitText } = helpers(page));
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

after(async () => {
  await context?.close().catch(() => {});
  server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('createEmulator in a page: the whole lifecycle with the client, on the emulator\'s clock', { timeout: 120_000 }, async () => {
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const fixture = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'create-cluster.json'), 'utf8'));
  const seen = await page.evaluate(async (fixture) => {
    const [{ createEmulator }, { InstaclustrClient, ApiError }] = await Promise.all([import('./pkg/emulator/index.js'), import('./pkg/web.js')]);
    const createClusterBody = (name) => ({ ...fixture, name });
    const emulator = await createEmulator({ accounts: ['alice:key-a'] });
    const client = new InstaclustrClient({ username: 'alice', apiKey: 'key-a', fetch: emulator.fetch, now: emulator.now });
    const wrong = new InstaclustrClient({ username: 'alice', apiKey: 'nope', fetch: emulator.fetch });
    const out = { statuses: [] };
    out.unauthorized = await wrong.listClusters().then(() => null, (e) => e instanceof ApiError && e.status);
    const created = await client.createCluster(createClusterBody('in-page'));
    out.statuses.push((await client.getCluster(created.id)).status);
    emulator.advance(10 * 60_000);
    out.statuses.push((await client.getCluster(created.id)).status);
    await client.triggerBackup(created.id);
    emulator.advance(10 * 60_000);
    const backups = await client.listBackups(created.id);
    out.backupStates = backups.clusterDataCentres.flatMap((dc) => dc.nodes.flatMap((n) => n.events.map((e) => e.state)));
    emulator.advance(1000);
    const restored = await client.restoreCluster({ clusterId: created.id, pointInTime: new Date(emulator.now() - 500).toISOString(), restoredClusterName: 'in-page-restored' });
    emulator.advance(10 * 60_000);
    out.restoredStatus = (await client.getCluster(restored.restoredClusterId)).status;
    out.snapshotVersion = JSON.parse(JSON.stringify(emulator.snapshot())).version;
    for (const id of [created.id, restored.restoredClusterId]) await client.deleteCluster(id);
    emulator.advance(10 * 60_000);
    out.left = (await client.listClusters()).length;
    out.clockAhead = emulator.now() - Date.now() > 30 * 60_000;
    emulator.close();
    out.afterClose = await emulator.fetch('https://api.instaclustr.com/').then(() => 'answered', (e) => e.name);
    return out;
  }, fixture);
  assert.equal(seen.unauthorized, 401);
  assert.deepEqual(seen.statuses, ['PROVISIONING', 'RUNNING']);
  assert.ok(seen.backupStates.length > 0 && seen.backupStates.every((s) => s === 'COMPLETED'), `backups: ${seen.backupStates}`);
  assert.equal(seen.restoredStatus, 'RUNNING');
  assert.equal(typeof seen.snapshotVersion, 'number');
  assert.equal(seen.left, 0);
  assert.ok(seen.clockAhead, 'the emulator\'s clock moved ahead of the wall clock');
  assert.notEqual(seen.afterClose, 'answered', 'a closed emulator answers nothing');
  assert.ok(requests.every((r) => r.startsWith('GET ')), 'only files were fetched from the server');
});

test('createEmulator in a module Worker: the client and the emulator in the worker', { timeout: 60_000 }, async () => {
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const fixture = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'create-cluster.json'), 'utf8'));
  const seen = await page.evaluate(async (fixture) => {
    // a module worker from a blob: it imports the package by absolute URL, as a bundled app's would
    const source = `
      const [{ createEmulator }, { InstaclustrClient }] = await Promise.all([
        import(${JSON.stringify(new URL('./pkg/emulator/index.js', location.href).href)}),
        import(${JSON.stringify(new URL('./pkg/web.js', location.href).href)}),
      ]);
      onmessage = async ({ data }) => {
        try {
          const emulator = await createEmulator();
          const client = new InstaclustrClient({ username: 'demo', apiKey: 'demo-api-key', fetch: emulator.fetch, now: emulator.now });
          const created = await client.createCluster(data);
          emulator.advance(10 * 60_000);
          const status = (await client.getCluster(created.id)).status;
          await emulator.close();
          postMessage({ status, inWorker: typeof document === 'undefined' });
        } catch (e) {
          postMessage({ error: String(e?.stack ?? e) });
        }
      };
      postMessage('ready');`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    const answer = new Promise((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(e.message));
      worker.onmessage = ({ data }) => {
        if (data === 'ready') worker.postMessage({ ...fixture, name: 'in-worker' });
        else resolve(data);
      };
    });
    try { return await answer; } finally { worker.terminate(); }
  }, fixture);
  assert.deepEqual(seen, { status: 'RUNNING', inWorker: true });
});

test('createEmulator with postgres "pglite" in a page: emulator.database(id).query, a restore with the backup\'s data', { timeout: 120_000 }, async () => {
  await page.goto(`${origin}/index.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const fixture = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'create-cluster.json'), 'utf8'));
  const seen = await page.evaluate(async (fixture) => {
    const [{ createEmulator }, { InstaclustrClient }] = await Promise.all([import('./pkg/emulator/index.js'), import('./pkg/web.js')]);
    const emulator = await createEmulator({ postgres: 'pglite', maxDatabases: 2 });
    const client = new InstaclustrClient({ username: 'demo', apiKey: 'demo-api-key', fetch: emulator.fetch, now: emulator.now });
    const { id } = await client.createCluster({ ...fixture, name: 'in-page-sql' });
    emulator.advance(60 * 60_000);
    const db = await emulator.database(id);
    const out = { status: (await client.getCluster(id)).status };
    await db.exec("create table notes (body text); insert into notes values ('in the page')");
    out.rows = (await db.query('select body from notes')).rows;
    out.version = (await db.query('show server_version')).rows[0].server_version;
    await client.triggerBackup(id);
    emulator.advance(60 * 60_000);
    for (let i = 0; i < 100 && !(await client.listBackups(id)).clusterDataCentres[0].nodes[0].events.some((e) => e.state === 'COMPLETED'); i++) await new Promise((r) => setTimeout(r, 50));
    const at = emulator.now();
    emulator.advance(60_000);
    await db.query("insert into notes values ('after the backup')");
    const restored = await client.restoreCluster({ clusterId: id, pointInTime: new Date(at).toISOString(), restoredClusterName: 'in-page-sql-r' });
    emulator.advance(60 * 60_000);
    out.restoredRows = (await (await emulator.database(restored.restoredClusterId)).query('select body from notes')).rows;
    await emulator.close();
    return out;
  }, fixture);
  assert.equal(seen.status, 'RUNNING');
  assert.deepEqual(seen.rows, [{ body: 'in the page' }]);
  assert.match(seen.version, /^\d+/);
  assert.deepEqual(seen.restoredRows, [{ body: 'in the page' }]);
  assert.deepEqual(pageErrors, []);
});

test('the console with an emulator in this tab: lifecycle, state kept across a reload, a damaged state refused', { timeout: 6 * 60_000 }, async (t) => {
  const clusterName = `tab-${randomBytes(3).toString('hex')}`;
  const step = steps(t, shot);
  const connect = async () => {
    await page.goto(`${origin}/index.html?emulator=tab`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="conn-base-url"]').disabled
      && document.querySelector('[data-testid="conn-username"]').value === 'demo');
    await tid('conn-submit').click();
  };
  const skip = async (times) => {
    for (let i = 0; i < times; i++) {
      await tid('tab-skip').click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="tab-skip"]').disabled);
    }
  };
  let clusterId;

  await step('connects to the emulator in the tab from a static server', async () => {
    await connect();
    await page.waitForSelector('#workspace:not([hidden])');
    assert.match(await text(tid('conn-badge')), /emulator in this tab/);
    assert.equal(await tid('conn-in-tab').isChecked(), true);
    await page.waitForSelector('[data-testid="tab-emulator"]:not([hidden])');
    await page.waitForFunction(() => document.querySelector('[data-testid="create-pg-version"]').options.length > 0);
    await shot('01-connected');
  });

  await step('creates a cluster; skipping ahead brings it to RUNNING', async () => {
    await tid('create-name').fill(clusterName);
    await tid('dc-network').fill('10.1.0.0/16');
    await tid('create-submit').click();
    await page.waitForSelector('[data-testid="cluster-view"]:not([hidden])');
    clusterId = await text(tid('cluster-id'));
    assert.match(clusterId, /^[0-9a-f-]{36}$/i);
    await skip(4);
    await waitText('[data-testid="cluster-status"]', /^RUNNING$/);
    await waitText('[data-testid="cluster-op-status"]', /^NO_OPERATION$/);
    await shot('02-running');
  });

  await step('the SQL box runs statements on the cluster\'s PGlite database; an error is shown', async () => {
    await page.waitForSelector('[data-testid="sql-box"]:not([hidden])');
    await tid('sql-input').fill("create table visits (who text); insert into visits values ('the console'), ('a test'); select who from visits order by who;");
    await tid('sql-run').click();
    await waitText('[data-testid="sql-meta"]', /^2 rows/);
    assert.deepEqual(await page.locator('[data-testid="sql-row"] td').allTextContents(), ['a test', 'the console']);
    await shot('02b-sql');
    await tid('sql-input').fill('select * from no_such_table;');
    await tid('sql-run').click();
    await page.waitForSelector('[data-testid="sql-error"] .error-box');
    assert.match(await text(tid('sql-error')), /no_such_table/);
    await shot('02c-sql-error');
  });

  await step('a backup completes; a restore to the emulator\'s present is accepted', async () => {
    await tid('backup-trigger').click();
    await skip(2);
    await page.waitForSelector('[data-testid="backup-event"][data-state="COMPLETED"]');
    await page.locator('#restore-now').click();
    await waitText('[data-testid="restore-parsed"]', /UTC/);
    await tid('restore-name').fill(`${clusterName}-r`);
    assert.equal(await tid('restore-submit').isDisabled(), false);
    await tid('restore-submit').click();
    await page.waitForSelector('[data-testid="restored-id"]');
    assert.match(await text(tid('restored-id')), /^[0-9a-f-]{36}$/i);
    await shot('03-restored');
  });

  await step('the clusters are still there after a reload', async () => {
    await connect();
    await page.waitForSelector(`[data-testid="cluster-row"][data-cluster-id="${clusterId}"]`);
    assert.ok(await page.locator('[data-testid="cluster-row"]').count() >= 2, 'the restored cluster is listed too');
    await shot('04-after-reload');
  });

  await step('deletes the cluster after a typed confirmation', async () => {
    await page.click(`[data-testid="cluster-row"][data-cluster-id="${clusterId}"]`);
    await page.waitForSelector('[data-testid="cluster-view"]:not([hidden])');
    await waitText('[data-testid="cluster-id"]', new RegExp(`^${clusterId}$`));
    await tid('delete-confirm').fill(clusterName);
    await tid('delete-submit').click();
    await skip(2);
    await waitText('[data-testid="cluster-status"]', /^DELETED$/);
    await shot('05-deleted');
  });

  await step('a damaged stored state is refused, kept as it was, and removed only on request', async () => {
    const damaged = { version: 1, broken: 'not a snapshot' };
    await page.evaluate((value) => new Promise((resolve, reject) => {
      const req = indexedDB.open('instaclustr-pg-console', 1);
      req.onsuccess = () => {
        const tx = req.result.transaction('emulator', 'readwrite');
        tx.objectStore('emulator').put(value, 'snapshot');
        tx.oncomplete = () => { req.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
      req.onerror = () => reject(req.error);
    }), damaged);
    await connect();
    await page.waitForSelector('[data-testid="conn-error"] .error-box');
    await page.waitForSelector('[data-testid="tab-afresh"]:not([hidden])');
    assert.equal(await page.locator('#workspace').isHidden(), true);
    await shot('06-damaged-refused');
    const stored = await page.evaluate(() => new Promise((resolve) => {
      const req = indexedDB.open('instaclustr-pg-console', 1);
      req.onsuccess = () => {
        const get = req.result.transaction('emulator').objectStore('emulator').get('snapshot');
        get.onsuccess = () => { req.result.close(); resolve(get.result); };
      };
    }));
    assert.deepEqual(stored, damaged, 'the refused state is left as it was');
    await tid('tab-afresh').click();
    await page.waitForSelector('[data-testid="tab-afresh"]', { state: 'hidden' });
    await tid('conn-submit').click();
    await page.waitForSelector('#workspace:not([hidden])');
  });

  await step('no uncaught errors; only files came from the server', async () => {
    assert.deepEqual(pageErrors, []);
    assert.ok(requests.every((r) => r.startsWith('GET ') && !r.includes('/cluster-management/')), requests.filter((r) => r.includes('cluster-management')).join(', '));
  });
});
