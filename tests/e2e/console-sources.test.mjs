// Checks of the console's sources (www/*.js), no browser needed: the event bus (www/state.js)
// documents exactly the events the views emit, and only the connection panel touches the API key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'www');
const files = readdirSync(WWW).filter((f) => f.endsWith('.js'));
const sources = files.map((f) => readFileSync(join(WWW, f), 'utf8'));
// the console's sources are in prettier's style (double quotes); a name is the regex's group `n`
const names = (re) => new Set(sources.flatMap((text) => [...text.matchAll(re)].map((m) => m.groups.n)));

test('www/state.js documents exactly the emitted events, and every listened-to event is emitted', () => {
  const emitted = names(/\bemit\((['"])(?<n>[a-z-]+)\1/g);
  const listened = names(/\bon\((['"])(?<n>[a-z-]+)\1/g);
  const state = readFileSync(join(WWW, 'state.js'), 'utf8');
  const doc = state.slice(0, state.indexOf('export const bus'));
  const documented = new Set([...doc.matchAll(/^ \* - (.*)$/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z-]+)` \(/g)].map((n) => n[1])));
  assert.ok(emitted.size > 0, 'no emit() call found');
  assert.deepEqual([...documented].sort(), [...emitted].sort());
  assert.deepEqual([...listened].filter((n) => !emitted.has(n)), []);
});

test('only www/connection.js reads the API key, and hands it to the client without keeping it', () => {
  const readers = files.filter((f, i) => /apiKey|api-key/i.test(sources[i]));
  assert.deepEqual(readers, ['connection.js']);
  const connection = sources[files.indexOf('connection.js')];
  assert.doesNotMatch(connection, /state\.[a-zA-Z.]*\s*=\s*[^;]*apiKey/, 'the key is stored in the shared state');
});

test('the console names only error codes the package defines, and builds no error object by hand', () => {
  const errors = readFileSync(join(WWW, '..', 'js', 'errors.js'), 'utf8');
  // and the codes of instaclustr-pg/emulator's errors (js/emulator/: `e.code = "…"`)
  const emulatorDir = join(WWW, '..', 'js', 'emulator');
  const emulator = readdirSync(emulatorDir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(emulatorDir, f), 'utf8')).join('\n');
  const defined = new Set([
    ...[...errors.matchAll(/\bdefine\("\w+", "([A-Z_]+)"/g)].map((m) => m[1]),
    ...[...errors.matchAll(/\bcode(?: =|:) "([A-Z_]+)"/g)].map((m) => m[1]),
    ...[...emulator.matchAll(/\.code = "([A-Z_]+)"/g)].map((m) => m[1]),
  ]);
  assert.ok(defined.has('VALIDATION_ERROR') && defined.has('ABORT_ERROR'), 'no code read from js/errors.js');
  // `code: '…'` and `.code === '…'` in the console's sources (violation codes are lowercase)
  const named = names(/\bcode\s*(?::|[!=]==)\s*(['"])(?<n>[A-Z][A-Z_]*)\1/g);
  assert.ok(named.size > 0, 'no error code named in the console (the pattern no longer matches its sources?)');
  assert.deepEqual([...named].filter((c) => !defined.has(c)), []);
  // an error shown is one of the package's classes, never an object literal posing as one
  const literal = files.filter((f, i) => /showError\([^,()]+,\s*\{/.test(sources[i]));
  assert.deepEqual(literal, []);
});
