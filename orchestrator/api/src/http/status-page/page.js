// The status page's script: plain browser JavaScript, no build step, no dependency. It only ever reads:
// every request is a GET of a viewer route (/v1/status, /v1/chains, /v1/jobs), with the key the operator
// typed, kept in this tab's sessionStorage. Everything from the API is put on the page as text
// (textContent, never innerHTML), so a chain name or an error message can never become markup.

const KEY_ITEM = 'nn.status.key';
/** Seconds between refreshes: ?every=N (1..300), else 5. */
const EVERY = (() => {
  const n = Number(new URLSearchParams(location.search).get('every'));
  return Number.isInteger(n) && n >= 1 && n <= 300 ? n : 5;
})();
/** Iguana's own thresholds: notarisation irregular after 2.5 h, inactive after 24 h. */
const IRREGULAR_S = 2.5 * 3600;
const INACTIVE_S = 24 * 3600;
/** A wallet.dat past 10 MB slows a notary down (the community's reset threshold). */
const WALLET_WARN_BYTES = 10 * 1024 * 1024;
/** A report older than this is stale (the poller writes every few seconds). */
const STALE_MS = 60_000;

const $ = (id) => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`status page: no #${id}`);
  return el;
};

class KeyRefused extends Error {}

let timer;
let lastOk = 0;

/** GET a viewer route (relative to the page, so the API may sit behind a path prefix). */
async function read(path, key) {
  const res = await fetch(path, {
    method: 'GET',
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
    redirect: 'error',
  });
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: reported below by status
  }
  const message = body?.error?.message ?? res.statusText;
  if (res.status === 401 || res.status === 403) throw new KeyRefused(`${res.status}: ${message}`);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${message}`);
  return body;
}

async function loadAll(key) {
  const [status, chains, active, waiting, failed] = await Promise.all([
    read('v1/status', key),
    read('v1/chains', key),
    read('v1/jobs?state=active&limit=50', key),
    read('v1/jobs?state=waiting&limit=50', key),
    read('v1/jobs?state=failed&limit=10', key),
  ]);
  return { status, chains: chains.chains, inFlight: [...active.jobs, ...waiting.jobs], failed: failed.jobs };
}

// ---- formatting ----

const dash = '—';
const num = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : dash);

function duration(seconds) {
  if (!(seconds >= 0)) return dash;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

function bytes(v) {
  if (typeof v !== 'number') return dash;
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB`;
  return `${(v / 1024 / 1024).toFixed(1)} MiB`;
}

const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
const ago = (ms) => (typeof ms === 'number' ? `${duration((Date.now() - ms) / 1000)} ago` : dash);

/** A cell: text and an optional tone (ok, warn, bad, muted), also as a title for the long texts. */
function cell(text, tone, numeric) {
  const td = document.createElement('td');
  td.textContent = text;
  const classes = [tone ? `tone-${tone}` : '', numeric ? 'num' : ''].filter(Boolean);
  if (classes.length > 0) td.className = classes.join(' ');
  return td;
}

function badge(text, tone) {
  const td = document.createElement('td');
  const span = document.createElement('span');
  span.className = `badge tone-${tone}`;
  span.textContent = text;
  td.append(span);
  return td;
}

function fill(tableId, rows, empty, columns) {
  const tbody = $(tableId).querySelector('tbody');
  if (rows.length === 0) {
    const td = cell(empty, 'muted');
    td.colSpan = columns;
    const tr = document.createElement('tr');
    tr.className = 'empty';
    tr.append(td);
    tbody.replaceChildren(tr);
    return;
  }
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = document.createElement('tr');
      tr.append(...cells);
      return tr;
    }),
  );
}

// ---- the chains table ----

const STATE_TONE = { ready: 'ok', failed: 'bad', stopped: 'muted', removing: 'muted' };

function syncCell(live) {
  if (live === null || live === undefined) return badge('no report', 'muted');
  if (live.rpc === 'unreachable') return badge('RPC down', 'bad');
  if (live.rpc === 'warmup') return badge('warming up', 'warn');
  if (live.synced === true) return badge('synced', 'ok');
  const { blocks, headers } = live;
  const pct =
    typeof blocks === 'number' && typeof headers === 'number' && headers > 0 ? blocks / headers : null;
  return badge(pct === null ? 'syncing' : `syncing ${(Math.floor(pct * 1000) / 10).toFixed(1)} %`, 'warn');
}

function dpowCell(live, coin) {
  if (live?.dpowActive === false) return badge('off', 'muted');
  if (coin === undefined) return badge('not in Iguana', 'muted');
  if (coin.registered === false) return badge('unregistered', 'warn');
  if (coin.status === 'active') return badge('active', 'ok');
  if (coin.status === 'irregular') return badge('irregular', 'warn');
  if (coin.status === 'inactive') return badge('inactive', 'bad');
  return badge('destination', 'muted');
}

function notarisedAgeCell(coin) {
  const t = coin?.lastNotarisedTime;
  if (typeof t !== 'number') return cell(dash, 'muted');
  const age = Date.now() / 1000 - t;
  return cell(duration(age), age > INACTIVE_S ? 'bad' : age > IRREGULAR_S ? 'warn' : undefined);
}

function chainRow(name, sub, state, live, coin) {
  const nameCell = document.createElement('td');
  const strong = document.createElement('strong');
  strong.textContent = name;
  nameCell.append(strong);
  if (sub) {
    const small = document.createElement('small');
    small.textContent = sub;
    nameCell.append(document.createElement('br'), small);
  }
  const l = live ?? {};
  const reportedAge = typeof l.at === 'number' ? Date.now() - l.at : null;
  return [
    nameCell,
    state === null ? cell(dash, 'muted') : badge(state.status, STATE_TONE[state.status] ?? 'warn'),
    cell(
      typeof l.headers === 'number' && l.headers !== l.blocks
        ? `${num(l.blocks)} / ${num(l.headers)}`
        : num(l.blocks),
      undefined,
      true,
    ),
    syncCell(live),
    cell(num(l.connections), l.connections === 0 ? 'bad' : undefined, true),
    cell(num(l.notarized ?? coin?.lastNotarisedHeight), undefined, true),
    cell(num(l.notarizedLag), undefined, true),
    notarisedAgeCell(coin),
    dpowCell(live, coin),
    cell(num(l.notaryUtxos), l.notaryUtxos === 0 ? 'bad' : undefined, true),
    cell(num(l.balance), undefined, true),
    cell(bytes(l.walletBytes), l.walletBytes > WALLET_WARN_BYTES ? 'warn' : undefined, true),
    cell(
      reportedAge === null ? dash : ago(l.at),
      reportedAge === null || reportedAge > STALE_MS ? 'muted' : undefined,
    ),
  ];
}

function chainRows({ status, chains }) {
  const coins = status.iguana?.coins ?? [];
  const coinOf = (name) => coins.find((c) => c.name === name);
  const rows = [chainRow('KMD', 'base chain', null, status.kmd, coinOf('KMD'))];
  for (const c of chains) {
    const sub = [c.acName, c.node ? `on ${c.node}` : ''].filter(Boolean).join(' ');
    const state = { status: c.status };
    const row = chainRow(c.id, sub, state, status.chains[c.id], coinOf(c.iguanaName));
    if (c.statusReason) row[1].title = c.statusReason;
    rows.push(row);
  }
  // Iguana's other coins (the destination chain): only their dPoW columns.
  const shown = new Set(['KMD', ...chains.map((c) => c.iguanaName)]);
  for (const coin of coins.filter((c) => !shown.has(c.name))) {
    const row = chainRow(coin.name, 'Iguana coin', null, undefined, coin);
    row[3] = cell(dash, 'muted');
    rows.push(row);
  }
  return rows;
}

// ---- jobs ----

function jobRows(jobs) {
  return jobs.map((j) => [
    cell(j.id),
    cell(j.name),
    cell(j.chainId ?? dash),
    badge(j.state, j.state === 'active' ? 'ok' : 'muted'),
    cell(j.step ?? dash),
    cell(
      j.progress
        ? `${j.progress.index}/${j.progress.total}${j.progress.message ? ` ${j.progress.message}` : ''}`
        : dash,
    ),
    cell(`${j.attemptsMade + (j.state === 'active' ? 1 : 0)}/${j.attempts}`, undefined, true),
    cell(ago(Date.parse(j.createdAt))),
  ]);
}

function failureRows(jobs) {
  return jobs.map((j) => [
    cell(j.finishedAt ? ago(Date.parse(j.finishedAt)) : dash),
    cell(j.id),
    cell(j.name),
    cell(j.chainId ?? dash),
    cell(j.error?.message ?? dash, 'bad'),
    cell(`${j.attemptsMade}/${j.attempts}`, undefined, true),
  ]);
}

function summary(data) {
  const live = data.chains.map((c) => data.status.chains[c.id]);
  const synced = live.filter((l) => l?.synced === true).length;
  const items = [
    [`${data.chains.length}`, 'chains', undefined],
    [`${synced}/${data.chains.length}`, 'synced', synced === data.chains.length ? 'ok' : 'warn'],
    [`${data.inFlight.length}`, 'jobs in flight', undefined],
    [`${data.failed.length}`, 'recent failures', data.failed.length > 0 ? 'bad' : 'ok'],
  ];
  $('summary').replaceChildren(
    ...items.map(([value, label, tone]) => {
      const li = document.createElement('li');
      if (tone) li.className = `tone-${tone}`;
      const b = document.createElement('b');
      b.textContent = value;
      li.append(b, ` ${label}`);
      return li;
    }),
  );
}

function render(data) {
  summary(data);
  fill('chains', chainRows(data), 'no chains', 13);
  fill('jobs', jobRows(data.inFlight), 'no job in flight', 8);
  fill('failures', failureRows(data.failed), 'no failed job', 6);
}

// ---- the loop ----

function showLogin(message) {
  clearTimeout(timer);
  sessionStorage.removeItem(KEY_ITEM);
  $('board').hidden = true;
  $('forget').hidden = true;
  $('login').hidden = false;
  $('updated').textContent = '';
  const error = $('login-error');
  error.hidden = message === undefined;
  error.textContent = message ?? '';
  $('key').focus();
}

function banner(message) {
  const el = $('banner');
  el.hidden = message === undefined;
  el.textContent = message ?? '';
}

async function refresh() {
  const key = sessionStorage.getItem(KEY_ITEM);
  if (key === null) return showLogin();
  try {
    const data = await loadAll(key);
    lastOk = Date.now();
    render(data);
    banner();
    $('login').hidden = true;
    $('board').hidden = false;
    $('forget').hidden = false;
    $('updated').textContent = `updated ${clock(lastOk)} · every ${EVERY} s`;
  } catch (err) {
    if (err instanceof KeyRefused) return showLogin(`The API refused this key (${err.message}).`);
    const since = lastOk === 0 ? '' : ` (last update ${clock(lastOk)}; the tables show that)`;
    banner(`Cannot read the API: ${err instanceof Error ? err.message : String(err)}${since}. Retrying.`);
    if (lastOk === 0) $('board').hidden = false;
  }
  clearTimeout(timer);
  timer = setTimeout(refresh, EVERY * 1000);
}

function start() {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('key');
    const key = input.value.trim();
    input.value = '';
    if (key === '') return showLogin('Enter an API key.');
    sessionStorage.setItem(KEY_ITEM, key);
    $('login-error').hidden = true;
    refresh();
  });
  $('forget').addEventListener('click', () => {
    lastOk = 0;
    showLogin();
  });
  refresh();
}

start();
