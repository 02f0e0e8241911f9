// The plain-JavaScript IndexedDB baseline of the benchmark: the same work as the app,
// done the most direct way the platform allows (one transaction per batch, requests
// issued together, no framework, no wasm). It is served beside the app, so it reads the
// app's own database (same origin, same data) and writes only to its own database.
// The operation comes from the address (`?op=…`); the result lands in
// `document.body.dataset.result` as JSON.

const APP_DB = 'xinfang-demo';
const OWN_DB = 'bench-baseline';

const req = (r) => new Promise((ok, err) => { r.onsuccess = () => ok(r.result); r.onerror = () => err(r.error); });
const done = (tx) => new Promise((ok, err) => { tx.oncomplete = ok; tx.onerror = () => err(tx.error); tx.onabort = () => err(tx.error); });

function openApp() {
  return req(indexedDB.open(APP_DB));
}

function openOwn() {
  const r = indexedDB.open(OWN_DB, 1);
  r.onupgradeneeded = () => {
    const db = r.result;
    db.createObjectStore('events', { keyPath: 'id' }).createIndex('by_case', 'case_id');
    db.createObjectStore('cases', { keyPath: 'id' }).createIndex('by_registered', 'registered_at');
  };
  return req(r);
}

async function clearOwn(db) {
  const tx = db.transaction(['events', 'cases'], 'readwrite', { durability: 'strict' });
  tx.objectStore('events').clear();
  tx.objectStore('cases').clear();
  await done(tx);
}

/** Writes records in batches (`Infinity`: one), each batch one strict transaction with every put issued at once. */
async function writeAll(db, events, cases, batch = 5000) {
  for (let i = 0; i < Math.max(events.length, cases.length); i += batch) {
    const tx = db.transaction(['events', 'cases'], 'readwrite', { durability: 'strict' });
    const e = tx.objectStore('events');
    const c = tx.objectStore('cases');
    for (const r of events.slice(i, i + batch)) e.put(r);
    for (const r of cases.slice(i, i + batch)) c.put(r);
    await done(tx);
  }
}

async function allRows(db) {
  const tx = db.transaction('cases');
  return (await req(tx.objectStore('cases').index('by_registered').getAll())).map((r) => JSON.parse(r.json));
}

function render(rows) {
  const table = document.createElement('table');
  for (const r of rows) {
    const tr = table.insertRow();
    for (const v of [r.case_no, r.petitioners, r.title, r.township]) tr.insertCell().textContent = v;
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

const ops = {
  /** Cold start: open the database, read the kept count, read and show the newest 20 rows. */
  async firstpage() {
    const db = await openApp();
    const tx = db.transaction(['cases', 'meta']);
    const store = tx.objectStore('cases');
    // The app keeps the count in `meta` beside the rows (Chromium's count() walks every
    // record); the baseline reads it the same way.
    const total = await req(tx.objectStore('meta').get('case_count'));
    const rows = [];
    await new Promise((ok, err) => {
      const c = store.index('by_registered').openCursor(null, 'prev');
      c.onsuccess = () => {
        const cur = c.result;
        if (!cur || rows.length >= 20) return ok();
        rows.push(JSON.parse(cur.value.json));
        cur.continue();
      };
      c.onerror = () => err(c.error);
    });
    render(rows);
    return { ms: performance.now(), total };
  },

  /** Load every row, then answer each query by a scan of the in-memory rows. */
  async search(params) {
    const db = await openApp();
    const t0 = performance.now();
    const rows = await allRows(db);
    const load = performance.now() - t0;
    const queries = JSON.parse(params.get('q'));
    const times = [];
    for (const q of queries) {
      const t = performance.now();
      const term = q.toLowerCase();
      const p = page(rows, (r) => r.haystack.includes(term));
      render(p.items);
      times.push(performance.now() - t);
    }
    // A category filter and the second page.
    const t = performance.now();
    const p = page(rows, (r) => r.category === 'LandExpropriation', 40);
    render(p.items.slice(20));
    const filter = performance.now() - t;
    return { load, p50: percentile(times, 50), p95: percentile(times, 95), filter, filterTotal: p.total };
  },

  /** Open one case: its events by the case index, parsed and shown. */
  async opencase(params) {
    const db = await openApp();
    const t0 = performance.now();
    const tx = db.transaction('events');
    const evs = (await req(tx.objectStore('events').index('by_case').getAll(params.get('id')))).map((r) => JSON.parse(r.json));
    document.querySelector('#out').textContent = evs.map((e) => e.at).join(',');
    return { ms: performance.now() - t0, events: evs.length };
  },

  /** The workbench: every row read, the open ones kept, the 20 soonest due shown. */
  async workbench(params) {
    const db = await openApp();
    const t0 = performance.now();
    const today = params.get('today');
    const finished = new Set(['Redirected', 'Diverted', 'NotAccepted', 'Terminated']);
    const open = (await allRows(db)).filter((r) => !finished.has(r.stage) && !(r.closes_after && r.closes_after < today));
    const first = open.filter((r) => r.due).sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0)).slice(0, 20);
    render(first);
    document.querySelector('#out').append(`${open.length}`);
    return { ms: performance.now() - t0, open: open.length };
  },

  /** A year's counts by month, township, category and channel over every row. */
  async dashboard(params) {
    const db = await openApp();
    const t0 = performance.now();
    const rows = await allRows(db);
    const load = performance.now() - t0;
    const t1 = performance.now();
    const from = params.get('from');
    const to = params.get('to');
    const count = (m, k) => m.set(k, (m.get(k) || 0) + 1);
    const [month, town, cat, chan] = [new Map(), new Map(), new Map(), new Map()];
    for (const r of rows) {
      const d = r.facts.received_on;
      if (d < from || d > to) continue;
      count(month, d.slice(0, 7)); count(town, r.township); count(cat, r.category); count(chan, r.channel);
    }
    document.querySelector('#out').textContent = JSON.stringify([...town]);
    return { load, year: performance.now() - t1 };
  },

  /** Copy every event and row of the app's database into the baseline's, in batches. */
  async write() {
    const app = await openApp();
    const tx = app.transaction(['events', 'cases']);
    const [events, cases] = await Promise.all([req(tx.objectStore('events').getAll()), req(tx.objectStore('cases').getAll())]);
    const own = await openOwn();
    await clearOwn(own);
    const t0 = performance.now();
    await writeAll(own, events, cases);
    return { ms: performance.now() - t0, events: events.length, cases: cases.length };
  },

  /** Import: read the bundle file, parse it, store its events and a row per case in one transaction. */
  async import(params) {
    const own = await openOwn();
    await clearOwn(own);
    const t0 = performance.now();
    const text = await (await fetch(params.get('file'))).text();
    const payload = JSON.parse(text).payload;
    const events = [];
    const cases = [];
    for (const c of payload.cases) {
      for (const e of c.events) events.push({ id: e.id, case_id: c.caseId, at: e.at, json: JSON.stringify(e) });
      cases.push({ id: c.caseId, registered_at: c.events[0].at, json: JSON.stringify({ case_no: c.caseNo, events: c.events.length }) });
    }
    await writeAll(own, events, cases, Infinity);
    return { ms: performance.now() - t0, cases: cases.length, events: events.length };
  },

  /** Backup: every case's events read 2,000 cases at a time (as the app's volumes), each
   * part written out as one JSON line into a blob, the blobs joined into one file. */
  async backup() {
    const app = await openApp();
    const t0 = performance.now();
    const ids = await req(app.transaction('cases').objectStore('cases').getAllKeys());
    const parts = [];
    for (let i = 0; i < ids.length; i += 2000) {
      const byCase = app.transaction('events').objectStore('events').index('by_case');
      const logs = await Promise.all(ids.slice(i, i + 2000).map((id) => req(byCase.getAll(id))));
      const cases = logs.map((log) => log.map((r) => JSON.parse(r.json)));
      parts.push(new Blob([JSON.stringify({ cases }) + '\n']));
    }
    const blob = new Blob(parts, { type: 'application/jsonl' });
    return { ms: performance.now() - t0, bytes: blob.size };
  },

  /** Restore: every event and row of the app written into an empty database in one transaction. */
  async restore() {
    const app = await openApp();
    const tx = app.transaction(['events', 'cases']);
    const [events, cases] = await Promise.all([req(tx.objectStore('events').getAll()), req(tx.objectStore('cases').getAll())]);
    const own = await openOwn();
    await clearOwn(own);
    const t0 = performance.now();
    await writeAll(own, events, cases, Infinity);
    return { ms: performance.now() - t0 };
  },
};

const params = new URLSearchParams(location.search);
ops[params.get('op')](params)
  .then((r) => { document.body.dataset.result = JSON.stringify(r); })
  .catch((e) => { document.body.dataset.result = JSON.stringify({ error: String(e) }); });
