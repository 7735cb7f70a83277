// The connection panel: base URL (this page's origin by default, i.e. the emulator serving it),
// username and API key (from ?user=&key= when present), kept in memory only.
import { InstaclustrClient } from './sdk.js';
import { state, emit } from './state.js';
import { $, busy, showError, clearError, logActivity, shortUrl } from './ui.js';

export function initConnection() {
  const form = $('#conn-form');
  const params = new URLSearchParams(location.search);
  $('#conn-base-url').value = params.get('baseUrl') || (location.origin.startsWith('http') ? location.origin : '');
  $('#conn-username').value = params.get('user') ?? '';
  $('#conn-api-key').value = params.get('key') ?? '';
  if (params.has('key')) {
    // keep the key out of the address bar (and so out of history) once read
    const clean = new URL(location.href);
    clean.searchParams.delete('key');
    history.replaceState(null, '', clean);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy($('#conn-submit'), () => connect());
  });
  $('#conn-disconnect').addEventListener('click', disconnect);
}

async function connect() {
  const slot = $('#conn-error');
  clearError(slot);
  const baseUrl = $('#conn-base-url').value.trim().replace(/\/+$/, '');
  const username = $('#conn-username').value.trim();
  const apiKey = $('#conn-api-key').value;
  let client;
  try {
    client = new InstaclustrClient({
      username,
      apiKey,
      baseUrl,
      timeoutMs: 15000,
      maxRetries: 3,
      onRequest: (r) => logActivity('req', `${r.method} ${shortUrl(r.url)}`, r.attempt > 1 ? `attempt ${r.attempt}` : ''),
      onResponse: (r) => logActivity(r.status >= 400 || !r.status ? 'bad' : 'ok',
        `${r.status ?? 'no answer'} ${r.method} ${shortUrl(r.url)}`, r.elapsedMs != null ? `${Math.round(r.elapsedMs)} ms` : ''),
    });
    // one cheap authenticated call proves the credentials before the console opens
    await client.listClusters();
  } catch (err) {
    showError(slot, err);
    return;
  }
  state.client = client;
  state.conn = { baseUrl, username };
  $('#conn-badge').textContent = `Connected as ${username} · ${baseUrl}`;
  $('#conn-badge').classList.add('on');
  $('#conn-disconnect').hidden = false;
  $('#conn-submit').textContent = 'Reconnect';
  $('#workspace').hidden = false;
  logActivity('ok', `connected to ${baseUrl} as ${username}`);
  emit('connected');
}

function disconnect() {
  state.client = null;
  state.conn = null;
  $('#conn-api-key').value = '';
  $('#conn-badge').textContent = 'Not connected';
  $('#conn-badge').classList.remove('on');
  $('#conn-disconnect').hidden = true;
  $('#conn-submit').textContent = 'Connect';
  $('#workspace').hidden = true;
  emit('disconnected');
}
