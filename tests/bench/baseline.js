// The plain-JavaScript baseline of the benchmark: the platform's limit. The same bytes
// as the app holds — every case's events and its list row, as the app's own JSON — laid
// out the best way IndexedDB allows: the rows in chunks of 1,000 cases (one JSON string
// a chunk: loading them all is a hundred reads), the logs in parts small enough to stay
// inside their record (Chromium moves a value over 64 KB out to a blob file, slow to
// read back one case), every bulk write one strict transaction with all its requests
// issued together, no framework, no wasm. It
// is served beside the app (same origin), copies the app's data out of the app's
// database once (`op=write`, the timed part being the write into its own), and answers
// every other operation from its own database. The operation comes from the address
// (`?op=…`); the result lands in `document.body.dataset.result` as JSON.

const APP_DB = 'xinfang-demo';
const OWN_DB = 'bench-limit';
const SCRATCH_DB = 'bench-limit-scratch';
const CHUNK = 1000;
const PART_UNITS = 26000;
const PART_CASES = 64;

const req = (r) => new Promise((ok, err) => { r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
const done = (tx) => new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); tx.onabort = () => err(tx.error); });

function openApp() {
  return req(indexedDB.open(APP_DB));
}

/** The limit's layout: `rows` and `logs` keyed by chunk number (`logs` also finds a case
 * by its id, multi-entry), `meta` the newest rows and the count. */
function openOwn(name = OWN_DB) {
  const r = indexedDB.open(name, 1);
  r.onupgradeneeded = () => {
    const db = r.result;
    db.createObjectStore('rows', { keyPath: 'n' });
    db.createObjectStore('logs', { keyPath: 'n' }).createIndex('by_case', 'ids', { multiEntry: true });
    db.createObjectStore('meta');
  };
  return req(r);
}

async function clearOwn(db) {
  const tx = db.transaction(['rows', 'logs', 'meta'], 'readwrite', { durability: 'strict' });
  for (const s of ['rows', 'logs', 'meta']) tx.objectStore(s).clear();
  await done(tx);
}

/** Every case the app holds, as the app's own stored strings: `{ id, row, hay, log }`
 * (the row in its compact JSON: `n` case number, `r` registered, `t` township, `ti`
 * title, `k` category, `c` channel, `s` stage, `d` due, `ca` closes after, `f.d` day
 * received; `hay` its search text, kept apart). */
async function appCases() {
  const db = await openApp();
  const tx = db.transaction(['members', 'logs', 'rows', 'cases']);
  const [members, logs, rows, journal] = await Promise.all([
    req(tx.objectStore('members').getAll()), req(tx.objectStore('logs').getAll()),
    req(tx.objectStore('rows').getAll()), req(tx.objectStore('cases').getAll()),
  ]);
  const logOf = new Map();
  for (const p of logs) p.ids.forEach((id, i) => logOf.set(id, p.logs[i]));
  const rowsOf = new Map(rows.map((r) => [r.n, r.rows]));
  const byId = new Map();
  const hayOf = new Map(rows.map((r) => [r.n, r.hay]));
  for (const c of members) c.ids.forEach((id, i) => byId.set(id, { id, log: logOf.get(id), row: rowsOf.get(c.n)[i], hay: hayOf.get(c.n)[i] }));
  for (const j of journal) byId.set(j.id, { id: j.id, log: j.log, row: j.json, hay: j.hay });
  db.close();
  return [...byId.values()];
}

/** Writes `cases` as chunks in one strict transaction, every put issued at once, with the
 * newest rows and the count beside them. */
async function writeChunks(db, cases) {
  const tx = db.transaction(['rows', 'logs', 'meta'], 'readwrite', { durability: 'strict' });
  const rows = tx.objectStore('rows');
  const logs = tx.objectStore('logs');
  for (let i = 0, n = 0; i < cases.length; i += CHUNK, n++) {
    const part = cases.slice(i, i + CHUNK);
    rows.put({ n, json: `[${part.map((c) => c.row).join(',')}]`, hay: part.map((c) => c.hay) });
  }
  let part = [];
  let units = 0;
  let n = 0;
  const flush = () => {
    if (part.length) logs.put({ n: n++, ids: part.map((c) => c.id), json: `[${part.map((c) => c.log).join(',')}]` });
    part = [];
    units = 0;
  };
  for (const c of cases) {
    if (part.length && (part.length >= PART_CASES || units + c.log.length > PART_UNITS)) flush();
    part.push(c);
    units += c.log.length;
  }
  flush();
  const head = [...cases].sort((a, b) => b.at - a.at).slice(0, 100).map((c) => c.row);
  tx.objectStore('meta').put(`[${head.join(',')}]`, 'head');
  tx.objectStore('meta').put(cases.length, 'count');
  await done(tx);
}

/** Every row, parsed, with its search text. */
async function allRows(db) {
  const chunks = await req(db.transaction('rows').objectStore('rows').getAll());
  return chunks.flatMap((c) => JSON.parse(c.json).map((r, i) => Object.assign(r, { hay: c.hay[i] })));
}

function render(rows) {
  const table = document.createElement('table');
  for (const r of rows) {
    const tr = table.insertRow();
    for (const v of [r.n, r.pe, r.ti, r.t]) tr.insertCell().textContent = v;
  }
  document.querySelector('#out').replaceChildren(table);
}

function page(rows, keep, n = 20) {
  let total = 0;
  const items = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    if (keep(rows[i])) {
      if (items.length < n) items.push(rows[i]);
      total++;
    }
  }
  return { items, total };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The registration instant of a row (for the head). */
const registered = (row) => Number(/"r":(-?\d+)/.exec(row)?.[1] || 0);

const ops = {
  /** Cold start: open the database, read the count and the newest rows, show 20. */
  async firstpage() {
    const db = await openOwn();
    const tx = db.transaction('meta');
    const [total, head] = await Promise.all([req(tx.objectStore('meta').get('count')), req(tx.objectStore('meta').get('head'))]);
    render(JSON.parse(head || '[]').slice(0, 20));
    return { ms: performance.now(), total };
  },

  /** Copy every case the app holds into the limit's own database; the write is timed. */
  async write() {
    const cases = (await appCases()).map((c) => ({ ...c, at: registered(c.row) }));
    const own = await openOwn();
    await clearOwn(own);
    const t0 = performance.now();
    await writeChunks(own, cases);
    const ms = performance.now() - t0;
    const events = cases.reduce((s, c) => s + (c.log.match(/"e":/g) || []).length, 0);
    return { ms, events, cases: cases.length, bytes: cases.reduce((s, c) => s + c.row.length + c.log.length, 0) };
  },

  /** Load every row, then answer each query by a scan of the rows in memory. */
  async search(params) {
    const db = await openOwn();
    const t0 = performance.now();
    const rows = await allRows(db);
    const load = performance.now() - t0;
    const queries = JSON.parse(params.get('q'));
    const times = [];
    for (const q of queries) {
      const t = performance.now();
      const term = q.toLowerCase();
      const p = page(rows, (r) => r.hay.includes(term));
      render(p.items);
      times.push(performance.now() - t);
    }
    // A category filter and the second page.
    const t = performance.now();
    const p = page(rows, (r) => r.k === 'LandExpropriation', 40);
    render(p.items.slice(20));
    const filter = performance.now() - t;
    return { load, p50: percentile(times, 50), p95: percentile(times, 95), filter, filterTotal: p.total };
  },

  /** Open one case: the part holding it found by its id, its events parsed and shown. */
  async opencase(params) {
    const db = await openOwn();
    const t0 = performance.now();
    const id = params.get('id');
    const chunk = await req(db.transaction('logs').objectStore('logs').index('by_case').get(id));
    const evs = JSON.parse(chunk.json)[chunk.ids.indexOf(id)];
    document.querySelector('#out').textContent = evs.map((e) => e.e.at).join(',');
    return { ms: performance.now() - t0, events: evs.length };
  },

  /** The workbench: every row read, the open ones kept, the 20 soonest due shown. */
  async workbench(params) {
    const db = await openOwn();
    const t0 = performance.now();
    const today = params.get('today');
    const finished = new Set(['Redirected', 'Diverted', 'NotAccepted', 'Terminated', 'Archived']);
    const open = (await allRows(db)).filter((r) => !finished.has(r.s) && !(r.ca && r.ca < today));
    const first = open.filter((r) => r.d).sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : 0)).slice(0, 20);
    render(first);
    document.querySelector('#out').append(`${open.length}`);
    return { ms: performance.now() - t0, open: open.length };
  },

  /** A year's counts by month, township, category and channel over every row. */
  async dashboard(params) {
    const db = await openOwn();
    const t0 = performance.now();
    const rows = await allRows(db);
    const load = performance.now() - t0;
    const t1 = performance.now();
    const from = params.get('from');
    const to = params.get('to');
    const count = (m, k) => m.set(k, (m.get(k) || 0) + 1);
    const [month, town, cat, chan] = [new Map(), new Map(), new Map(), new Map()];
    for (const r of rows) {
      const d = r.f.d;
      if (d < from || d > to) continue;
      count(month, d.slice(0, 7)); count(town, r.t); count(cat, r.k); count(chan, r.c);
    }
    document.querySelector('#out').textContent = JSON.stringify([...town]);
    return { load, year: performance.now() - t1 };
  },

  /** Import: read the bundle file, parse it, store its cases (events and a row each) as
   * chunks in one strict transaction. */
  async import(params) {
    const own = await openOwn(SCRATCH_DB);
    await clearOwn(own);
    const t0 = performance.now();
    const text = await (await fetch(params.get('file'))).text();
    const payload = JSON.parse(text).payload;
    const cases = payload.cases.map((c) => ({
      id: c.caseId,
      at: c.events[0].at,
      log: JSON.stringify(c.events.map((e) => ({ e }))),
      row: JSON.stringify({ i: c.caseId, n: c.caseNo, r: c.events[0].at, e: c.events.length }),
      hay: c.caseNo,
    }));
    await writeChunks(own, cases);
    return { ms: performance.now() - t0, cases: cases.length };
  },

  /** Backup: every part of logs read, a JSON line per 2,000 cases or so written into a
   * blob, the blobs joined into one file. */
  async backup() {
    const db = await openOwn();
    const t0 = performance.now();
    const keys = await req(db.transaction('logs').objectStore('logs').getAllKeys());
    const parts = [];
    for (let i = 0; i < keys.length; i += 100) {
      const range = IDBKeyRange.bound(keys[i], keys[Math.min(i + 99, keys.length - 1)]);
      const chunks = await req(db.transaction('logs').objectStore('logs').getAll(range));
      parts.push(new Blob([`{"cases":[${chunks.map((c) => c.json.slice(1, -1)).join(',')}]}\n`]));
    }
    const blob = new Blob(parts, { type: 'application/jsonl' });
    return { ms: performance.now() - t0, bytes: blob.size };
  },

  /** Restore: every case written into an empty database as chunks in one transaction. */
  async restore() {
    const db = await openOwn();
    const [rows, logs] = await (async () => {
      const tx = db.transaction(['rows', 'logs']);
      return Promise.all([req(tx.objectStore('rows').getAll()), req(tx.objectStore('logs').getAll())]);
    })();
    const scratch = await openOwn(SCRATCH_DB);
    await clearOwn(scratch);
    const t0 = performance.now();
    const tx = scratch.transaction(['rows', 'logs'], 'readwrite', { durability: 'strict' });
    for (const r of rows) tx.objectStore('rows').put(r);
    for (const l of logs) tx.objectStore('logs').put(l);
    await done(tx);
    return { ms: performance.now() - t0 };
  },
};

const params = new URLSearchParams(location.search);
ops[params.get('op')](params)
  .then((r) => { document.body.dataset.result = JSON.stringify(r); })
  .catch((e) => { document.body.dataset.result = JSON.stringify({ error: String(e) }); });
