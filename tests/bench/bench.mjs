// The benchmark: drives the release build in headless Chromium on generated data of
// each size, and beside every storage operation runs the plain-JavaScript baseline
// (baseline.js: the same bytes in the best layout IndexedDB allows, the platform's
// limit) in the same browser, same run. Writes results.json and results.md.
//
//   node tests/bench/bench.mjs --dir target/bench --sizes 10000,100000
//   node tests/bench/bench.mjs --sizes 100000 --only dashboard   (demo data, then only these phases)
//
// `cargo xtask bench` builds the app and the input files first; `--smoke` in the test
// command runs it on a few hundred cases so it cannot rot.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { serveDist, Profile, download, OPERATOR } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dir = resolve(root, arg('dir', 'target/bench'));
const sizes = arg('sizes', '10000').split(',').map(Number);
// Phases to run (comma-separated names as printed); the demo data is always generated.
const only = arg('only', '').split(',').filter(Boolean);
const PASS = '基准测试备份口令2026';
// Generous for 100,000 cases; a smoke run fails fast instead of hanging.
const LONG = (Math.max(...sizes) > 1000 ? 30 * 60 : 90) * 1000;
const step = (what) => console.log(`bench:   ${what}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const baselineHtml = '<!doctype html><meta charset="utf-8"><title>baseline</title><div id="out"></div><script src="bench-baseline.js"></script>';
const server = await serveDist({
  'bench-baseline.html': baselineHtml,
  'bench-baseline.js': readFileSync(join(here, 'baseline.js')),
  // The baseline stores the same cases from the transfer in clear: it decrypts nothing.
  'bench-import.json': readFileSync(join(dir, 'transfer-clear.json')),
});
const url = server.url;

/** Records, in the page, when the first list summary appears after a navigation. */
const WATCH = `
  new MutationObserver((_, mo) => {
    if (document.querySelector('[data-testid=list-summary]')) { window.__firstList = performance.now(); mo.disconnect(); }
  }).observe(document, { subtree: true, childList: true });
  window.__long = [];
  try { new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch (_) {}
`;

/**
 * Does one named action in the page and resolves to the milliseconds until its result
 * shows (after the next paint). Actions are written out here, not passed as strings:
 * the app's Content-Security-Policy forbids evaluating strings, as it should.
 */
async function timed(page, action, arg) {
  return page.evaluate(async ([action, arg]) => {
    const $ = (s) => document.querySelector(s);
    const summary = () => $('[data-testid=list-summary]');
    const before = { list: summary()?.textContent, total: $('[data-figure=total]')?.textContent };
    const actions = {
      search: [() => {
        const i = $('input[name=q]');
        i.value = arg;
        i.dispatchEvent(new Event('input', { bubbles: true }));
        i.form.requestSubmit();
      }, () => summary()?.dataset.query === arg],
      category: [() => {
        const s = $('select[name=category]');
        s.value = arg;
        s.dispatchEvent(new Event('change', { bubbles: true }));
      }, () => summary() && summary().textContent !== before.list],
      nextPage: [() => [...document.querySelectorAll('.pager button')].find((b) => b.textContent === '下一页').click(),
        () => [...document.querySelectorAll('.pager span')].some((s) => s.textContent.startsWith('第 2 /'))],
      openCase: [() => $('table.cases td.mono a').click(), () => !!$('[data-testid=case-title]')],
      dashboard: [() => { location.hash = '#/dashboard'; }, () => !!$('[data-figure=total]')],
      workbench: [() => { location.hash = '#/workbench'; }, () => !!$('[data-bucket=Open] .count')],
      year: [() => [...document.querySelectorAll('.period-buttons button')].find((b) => b.textContent === '本年').click(),
        () => $('[data-testid=period]')?.textContent.includes('-01-01') && $('[data-figure=total]')?.textContent !== before.total],
    };
    const [act, ready] = actions[action];
    const t0 = performance.now();
    act();
    await new Promise((ok) => {
      if (ready()) return ok();
      const mo = new MutationObserver(() => { if (ready()) { mo.disconnect(); ok(); } });
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
    return performance.now() - t0;
  }, [action, arg]);
}

async function baseline(context, op, params = {}) {
  const page = await context.newPage();
  const q = new URLSearchParams({ op, ...params });
  await page.goto(`${url}bench-baseline.html?${q}`);
  await page.waitForFunction(() => document.body.dataset.result, null, { timeout: LONG });
  const result = JSON.parse(await page.evaluate(() => document.body.dataset.result));
  await page.close();
  if (result.error) throw new Error(`baseline ${op}: ${result.error}`);
  return result;
}

async function coldStart(page, address) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    // From a blank page, so each start is a whole new document (not a hash change).
    await page.goto('about:blank');
    await page.goto(address);
    await page.waitForFunction(() => window.__firstList, null, { timeout: LONG });
    times.push(await page.evaluate(() => window.__firstList));
  }
  return median(times);
}

/** The files a page of the hosted build loads: its HTML, what the HTML names, and
 * `more` (the office app's service worker and import worker). */
function filesOf(html, more = []) {
  const text = readFileSync(join(root, 'dist', html), 'utf8');
  const named = [...text.matchAll(/(?:href|src|data-js|data-wasm)="\.?\/?([^"#?]+)"/g)].map((m) => m[1]);
  return [...new Set([html, ...named, ...more])].filter((f) => !f.includes(':'));
}

/** Raw, gzip and brotli bytes of `files` in dist/. */
function sizeOf(files) {
  const out = { raw: 0, gzip: 0, brotli: 0, files: {} };
  for (const f of files) {
    const data = readFileSync(join(root, 'dist', f));
    const gz = gzipSync(data, { level: 9 }).length;
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    out.files[f] = { raw: data.length, gzip: gz, brotli: br };
    out.raw += data.length; out.gzip += gz; out.brotli += br;
  }
  return out;
}

/** What each audience downloads: the office app (every file its page loads, with the
 * service worker and the import worker's script) and the citizens' page. The
 * single-file copy is for disks and USB sticks; a hosted page never loads it. */
function sizesOfBuild() {
  const office = sizeOf(filesOf('index.html', ['sw.js', 'verify-worker.js']));
  const citizen = statSync(join(root, 'dist', 'citizen.html'), { throwIfNoEntry: false }) ? sizeOf(filesOf('citizen.html')) : null;
  return { ...office, office, citizen };
}

/**
 * The citizens' page on a phone over Chromium's "Slow 4G" (DevTools' preset: 1.6 Mbit/s
 * down × 0.9, 750 kbit/s up × 0.9, 150 ms × 3.75 latency), served brotli-compressed as a
 * host would, from an empty cache: milliseconds from navigation until the petition
 * form takes typing (the median of three). Also with the CPU slowed four times, as
 * Lighthouse does for phones.
 */
async function citizenOnSlow4G() {
  const server = await serveDist({ 'xinfang-config.json': readFileSync(join(dir, 'citizen-config.json')) }, { brotli: true });
  const phone = new Profile({ viewport: { width: 390, height: 844 }, userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36' });
  const out = {};
  try {
    const page = await phone.start('about:blank');
    for (const [name, cpu] of [['tti', 1], ['tti4xCpu', 4]]) {
      const times = [];
      for (let i = 0; i < 3; i++) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.clearBrowserCache');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1e6 / 8) * 0.9, uploadThroughput: (750 * 1e3 / 8) * 0.9 });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
        await page.goto('about:blank');
        const t0 = Date.now();
        await page.goto(`${server.url}citizen.html`, { waitUntil: 'commit' });
        const title = page.locator('input[name=title]');
        await title.waitFor({ timeout: 120000 });
        await title.fill('测试');
        times.push(Date.now() - t0);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
        await cdp.detach();
      }
      out[name] = median(times);
    }
  } finally {
    await phone.dispose();
    await server.close();
  }
  return out;
}

/** Runs one phase; a failure is recorded with the phase's name and the run goes on. */
async function phase(r, name, body) {
  if (only.length && name !== 'demo data' && !only.includes(name)) return;
  step(name);
  try {
    await body();
  } catch (e) {
    console.error(`bench:   ${name} failed: ${String(e).split('\n')[0]}`);
    (r.failed ||= {})[name] = String(e).split('\n')[0];
  }
  // Kept after every phase, so a run stopped part-way still leaves its figures.
  writeFileSync(join(dir, `partial-${r.n}.json`), JSON.stringify(r, null, 2));
}

async function one(n) {
  const r = { n };
  const profile = new Profile();
  try {
    const page = await profile.start(`${url}?demo#/cases`);
    page.setDefaultTimeout(LONG);
    await page.context().addInitScript(WATCH);
    r.userAgent = await page.evaluate(() => navigator.userAgent);

    let t;
    const queries = JSON.parse(readFileSync(join(dir, `queries-${n}.json`), 'utf8'));
    await phase(r, 'cold start (empty)', async () => {
      r.coldEmpty = await coldStart(page, `${url}?demo#/cases`);
      r.coldEmptyBaseline = (await baseline(page.context(), 'firstpage')).ms;
    });

    await phase(r, 'demo data', async () => {
      // Demo data: generated and stored in batches, as a user would from 设置.
      await page.goto(`${url}?demo#/settings`);
      // Sizes the menu does not offer are written into it (only in the benchmark); asked
      // first, as selectOption would wait the whole phase for an option that never comes.
      await page.waitForSelector('select[name=demo_count]');
      await page.evaluate((n) => {
        const s = document.querySelector('select[name=demo_count]');
        if (![...s.options].some((o) => o.value === String(n))) s.add(new Option(String(n), String(n)));
      }, n);
      await page.selectOption('select[name=demo_count]', String(n));
      t = Date.now();
      await page.click('button:has-text("生成演示数据")');
      await page.waitForSelector('#demo .msg.ok', { timeout: LONG });
      r.generate = Date.now() - t;
      const write = await baseline(page.context(), 'write');
      r.writeBaseline = write.ms;
      r.events = write.events;
    });

    await phase(r, 'cold start (full)', async () => {
      r.coldFull = await coldStart(page, `${url}?demo#/cases`);
      r.coldFullBaseline = (await baseline(page.context(), 'firstpage')).ms;
    });

    await phase(r, 'search', async () => {
      // The first search after a cold start waits for the rows to load into memory.
      await page.goto('about:blank');
      await page.goto(`${url}?demo#/cases`);
      await page.waitForFunction(() => window.__firstList);
      r.firstSearch = await timed(page, 'search', queries[0].q);
      await page.evaluate(() => { window.__long = []; });
      const byKind = {};
      const all = [];
      let last = queries[0].q;
      for (const { kind, q } of queries.slice(1)) {
        if (q === last) continue;
        const ms = await timed(page, 'search', q);
        (byKind[kind] ||= []).push(ms);
        all.push(ms);
        last = q;
      }
      r.search = { p50: percentile(all, 50), p95: percentile(all, 95), count: all.length };
      r.searchByKind = Object.fromEntries(Object.entries(byKind).map(([k, xs]) => [k, { p50: percentile(xs, 50), p95: percentile(xs, 95) }]));
      r.longestTaskWhileSearching = Math.max(0, ...(await page.evaluate(() => window.__long)));
    });

    await phase(r, 'filter', async () => {
      // Filter by category, then the next page.
      await page.click('button:has-text("重置")');
      await page.waitForSelector('[data-testid=list-summary][data-query=""]');
      r.filter = await timed(page, 'category', 'LandExpropriation');
      r.filterTotal = Number((await page.textContent('[data-testid=list-summary]')).match(/\d+/)[0]);
      r.nextPage = await timed(page, 'nextPage');
      const sb = await baseline(page.context(), 'search', { q: JSON.stringify(queries.map((x) => x.q)) });
      r.searchBaseline = { p50: sb.p50, p95: sb.p95 };
      r.loadBaseline = sb.load;
      r.filterBaseline = sb.filter;
      // The rows in memory (loaded in chunks) must be every row the database holds.
      if (r.filterTotal !== sb.filterTotal) throw new Error(`category filter: ${r.filterTotal} cases shown, the database holds ${sb.filterTotal}`);
    });

    await phase(r, 'open a case', async () => {
      // Open a case from the list.
      const id = await page.evaluate(() => document.querySelector('table.cases td.mono a').getAttribute('href').split('/').pop());
      r.openCase = await timed(page, 'openCase');
      r.openCaseBaseline = (await baseline(page.context(), 'opencase', { id })).ms;
    });

    await phase(r, 'workbench', async () => {
      // The workbench: every bucket's count and its most urgent rows, kept short.
      r.workbench = await timed(page, 'workbench');
      r.workbenchHeight = await page.evaluate(() => document.documentElement.scrollHeight);
      r.workbenchBaseline = (await baseline(page.context(), 'workbench', { today: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10) })).ms;
    });

    await phase(r, 'dashboard', async () => {
      // The dashboard, then a whole year.
      r.dashboard = await timed(page, 'dashboard');
      const year = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4);
      r.dashboardYear = await timed(page, 'year');
      const db = await baseline(page.context(), 'dashboard', { from: `${year}-01-01`, to: `${year}-12-31` });
      r.dashboardBaseline = db.load + db.year;
      r.dashboardYearBaseline = db.year;
      t = Date.now();
      await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出 Excel")')]);
      r.exportXlsx = Date.now() - t;
    });

    await phase(r, 'memory', async () => {
      // Memory once everything is loaded.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      r.heap = await cdp.send('Runtime.getHeapUsage');
      // The app's data lives in wasm linear memory, outside the JS heap: find it.
      const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
      const found = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
      const sum = await cdp.send('Runtime.callFunctionOn', {
        objectId: found.objects.objectId,
        functionDeclaration: 'function () { return this.reduce((s, m) => s + m.buffer.byteLength, 0); }',
        returnByValue: true,
      });
      r.wasmMemory = sum.result.value;
    });

    await phase(r, 'import', async () => {
      // Import a signed bundle of generated cases from a trusted unit.
      await page.goto(`${url}?demo#/exchange`);
      await page.setInputFiles('input[name=bundle]', join(dir, 'sender-card.json'));
      await page.click('button:has-text("核对无误，信任此单位")');
      await page.waitForSelector('[data-testid=directory] td:has-text("SHI01")');
      // A sender encrypts to the receiver's card: seal the generated transfer to this
      // browser's own key (not timed), as the city would after importing the card.
      const card = await download(page, 'button:has-text("导出单位名片")');
      const sealed = spawnSync('cargo', ['test', ...(process.env.BENCH_RELEASE ? ['--release'] : []), '--test', 'bench_data', '--', '--ignored', '--exact', 'seal_bench_import'], {
        cwd: root, stdio: 'inherit', env: { ...process.env, BENCH_DIR: dir, BENCH_RECEIVER_CARD: card },
      });
      if (sealed.status !== 0) throw new Error('sealing the benchmark transfer failed');
      // How long the page was held at a stretch while the file was verified and
      // previewed: the longest gap between the beats of a 10 ms timer.
      await page.evaluate(() => {
        window.__gap = 0;
        let last = performance.now();
        window.__beat = setInterval(() => { const now = performance.now(); window.__gap = Math.max(window.__gap, now - last); last = now; }, 10);
      });
      t = Date.now();
      await page.setInputFiles('input[name=bundle]', join(dir, 'import.json'));
      await page.waitForSelector('[data-testid=plan]', { timeout: LONG });
      r.importVerify = Date.now() - t;
      r.longestStallWhileVerifying = await page.evaluate(() => { clearInterval(window.__beat); return window.__gap; });
      await page.click('button:has-text("确认导入")');
      await page.waitForSelector('.msg.ok:has-text("已导入")', { timeout: LONG });
      r.import = Date.now() - t;
      r.importBaseline = (await baseline(page.context(), 'import', { file: 'bench-import.json' })).ms;
    });

    await phase(r, 'backup and restore', async () => {
      // Backup, then restore it into an empty browser.
      await page.goto(`${url}?demo#/settings`);
      await page.fill('input[name=backup_passphrase]', PASS);
      await page.fill('input[name=backup_passphrase_again]', PASS);
      t = Date.now();
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: LONG }), page.click('button:has-text("导出备份")')]);
      const backupPath = await file.path();
      r.backup = Date.now() - t;
      r.backupBytes = statSync(backupPath).size;
      // The baseline copies the app's cases again (the import added some), untimed here.
      await baseline(page.context(), 'write');
      r.backupBaseline = (await baseline(page.context(), 'backup')).ms;
      r.restoreBaseline = (await baseline(page.context(), 'restore')).ms;
      const fresh = new Profile();
      try {
        const b = await fresh.start(url);
        b.setDefaultTimeout(LONG);
        await b.waitForSelector('#restore');
        await b.setInputFiles('input[name=restore_file]', backupPath);
        await b.fill('input[name=restore_passphrase]', PASS);
        await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
        await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
        t = Date.now();
        await b.click('button:has-text("恢复")');
        await b.waitForSelector('[data-testid=list-summary]', { timeout: LONG });
        r.restore = Date.now() - t;
      } finally {
        await fresh.dispose();
      }
    });

    await phase(r, 'ledger import', async () => {
      // An office's old ledger (CSV as Excel writes it), read, previewed and imported
      // into the database of n cases: 20,000 rows, a few hundred in the smoke run.
      const rows = Math.max(...sizes) > 1000 ? 20000 : 300;
      const towns = ['城关镇', '东岭乡', '西河镇'];
      let csv = '\ufeff某某县信访局信访事项台账\r\n原编号,登记日期,信访人,联系电话,信访事项,诉求,所属乡镇,办理情况\r\n';
      for (let i = 1; i <= rows; i++) {
        csv += `TZ-${i},2025/${(i % 12) + 1}/${(i % 28) + 1},台账信访人${i},139${String(i).padStart(8, '0')},台账事项${i},请求解决台账问题${i},${towns[i % 3]},${i % 3 ? '已办结' : '办理中'}\r\n`;
      }
      const file = join(dir, `ledger-${rows}.csv`);
      writeFileSync(file, csv);
      r.ledgerRows = rows;
      await page.goto(`${url}?demo#/import-ledger`);
      t = Date.now();
      await page.setInputFiles('[data-testid=ledger-file]', file);
      await page.waitForSelector(`[data-testid=ledger-summary]:has-text("将新建 ${rows} 件案件")`, { timeout: LONG });
      r.ledgerPreview = Date.now() - t;
      await page.click('[data-testid=ledger-import-go]');
      await page.waitForSelector('.msg.ok:has-text("已导入")', { timeout: LONG });
      r.ledgerImport = Date.now() - t;
    });

    r.errors = profile.errors;
  } finally {
    await profile.dispose();
  }
  return r;
}

const results = { date: new Date().toISOString(), cores: cpus().length, build: sizesOfBuild(), runs: [] };
try {
  if (results.build.citizen && (!only.length || only.includes('citizen page'))) {
    step('citizen page on Slow 4G');
    results.citizen = await citizenOnSlow4G();
  }
  for (const n of sizes) {
    console.log(`bench: ${n} cases…`);
    results.runs.push(await one(n));
  }
} finally {
  await server.close();
}
results.chromium = (results.runs[0]?.userAgent.match(/Chrome\/([\d.]+)/) || [])[1];

const ms = (x) => (x === undefined ? '—' : x >= 10000 ? `${(x / 1000).toFixed(1)} s` : x < 10 ? `${x.toFixed(1)} ms` : `${Math.round(x)} ms`);
const ratio = (a, b) => (a === undefined || !b ? '—' : `${(a / b).toFixed(2)}×`);
const rows = [
  ['首屏（空库冷启动）', 'coldEmpty', 'coldEmptyBaseline'],
  ['首屏（满库冷启动）', 'coldFull', 'coldFullBaseline'],
  ['生成并写入演示数据', 'generate', 'writeBaseline'],
  ['冷启动后首次检索（含载入全部行）', 'firstSearch', 'loadBaseline'],
  ['检索 p50', (r) => r.search?.p50, (r) => r.searchBaseline?.p50],
  ['检索 p95', (r) => r.search?.p95, (r) => r.searchBaseline?.p95],
  ['按类别筛选', 'filter', 'filterBaseline'],
  ['翻到第 2 页', 'nextPage', null],
  ['打开案件', 'openCase', 'openCaseBaseline'],
  ['打开工作台', 'workbench', 'workbenchBaseline'],
  ['打开看板', 'dashboard', 'dashboardBaseline'],
  ['看板切换到本年', 'dashboardYear', 'dashboardYearBaseline'],
  ['导出看板 Excel', 'exportXlsx', null],
  ['导入交换文件（验签+合并+存储）', 'import', 'importBaseline'],
  ['　其中验签与预览', 'importVerify', null],
  ['备份（含口令加密与签名）', 'backup', 'backupBaseline'],
  ['恢复到空浏览器', 'restore', 'restoreBaseline'],
  ['导入台账（读取+预览+存储）', 'ledgerImport', null],
  ['　其中读取与预览', 'ledgerPreview', null],
];
const get = (r, k) => (k === null ? undefined : typeof k === 'function' ? k(r) : r[k]);
let md = `Chromium ${results.chromium}, ${results.cores} cores, ${results.date}\n\n`;
md += `| 操作 | ${results.runs.map((r) => `${r.n} 件：本程序 | 极限（纯 JS 分块） | 本程序/极限`).join(' | ')} |\n`;
md += `|---|${results.runs.map(() => '---:|---:|---:').join('|')}|\n`;
for (const [label, a, b] of rows) {
  md += `| ${label} | ${results.runs.map((r) => `${ms(get(r, a))} | ${ms(get(r, b))} | ${ratio(get(r, a), get(r, b))}`).join(' | ')} |\n`;
}
md += `\n| 其他 | ${results.runs.map((r) => `${r.n} 件`).join(' | ')} |\n|---|${results.runs.map(() => '---:').join('|')}|\n`;
md += `| 事件数 | ${results.runs.map((r) => r.events).join(' | ')} |\n`;
md += `| 检索期间最长任务 | ${results.runs.map((r) => ms(r.longestTaskWhileSearching)).join(' | ')} |\n`;
md += `| 导入验签与预览期间页面最长无响应 | ${results.runs.map((r) => ms(r.longestStallWhileVerifying)).join(' | ')} |\n`;
md += `| 内存：JS 堆 / wasm 线性内存 | ${results.runs.map((r) => (r.heap ? `${(r.heap.usedSize / 1e6).toFixed(0)} MB / ${((r.wasmMemory || 0) / 1e6).toFixed(0)} MB` : '—')).join(' | ')} |\n`;
md += `| 工作台页面高度 | ${results.runs.map((r) => (r.workbenchHeight ? `${r.workbenchHeight} px` : '—')).join(' | ')} |\n`;
md += `| 导入台账的行数 | ${results.runs.map((r) => r.ledgerRows ?? '—').join(' | ')} |\n`;
md += `| 备份文件 | ${results.runs.map((r) => (r.backupBytes ? `${(r.backupBytes / 1e6).toFixed(1)} MB` : '—')).join(' | ')} |\n`;
for (const r of results.runs) {
  for (const [name, why] of Object.entries(r.failed || {})) md += `\n${r.n} 件：“${name}”未完成：${why}\n`;
}
const kb = (b) => `原始 ${(b.raw / 1e3).toFixed(0)} KB，gzip ${(b.gzip / 1e3).toFixed(0)} KB，brotli ${(b.brotli / 1e3).toFixed(0)} KB`;
md += `\n办公程序下载：${kb(results.build.office)}\n`;
if (results.build.citizen) md += `\n网上信访页面下载：${kb(results.build.citizen)}\n`;
if (results.citizen) md += `\n网上信访页面在手机上（Slow 4G，390 px 宽，brotli）可输入：${ms(results.citizen.tti)}；CPU 再降速 4 倍：${ms(results.citizen.tti4xCpu)}\n`;
writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2));
writeFileSync(join(dir, 'results.md'), md);
console.log(md);
const errors = results.runs.flatMap((r) => [...(r.errors || []), ...Object.keys(r.failed || {})]);
if (errors.length) {
  console.error('page errors:', errors);
  process.exit(1);
}
