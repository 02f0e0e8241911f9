// Browser plumbing for the end-to-end tests: a static file server over dist/, and
// headless Chromium (Debian's) driven by playwright-core from .tools/. Test steps live
// in the *.test.mjs files and read like what a person does.
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, dirname, resolve, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, '.tools/package.json'));
const { chromium } = require('playwright-core');

const DIST = process.env.XINFANG_DIST || join(root, 'dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };

/**
 * Serves dist/ on a free loopback port; resolves to { url, close, requests }. `extra`
 * maps file names to contents served beside the build (e.g. the citizen page's config
 * file); `prefix` is the sub-path the build is served under (anything outside is 404,
 * as on a host that keeps other sites beside it); `requests` lists every path asked for;
 * `setDown(true)` makes it answer 503 to everything, as a host that has gone away.
 * `brotli` compresses what it sends to a browser that accepts it, as a real host does
 * (for timing a download over a throttled network).
 */
export async function serveDist(extra = {}, { prefix = '/', brotli = false } = {}) {
  const packed = new Map();
  const pack = (file, data) => {
    if (!packed.has(file)) packed.set(file, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    return packed.get(file);
  };
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no build in ${DIST}: run cargo xtask build`);
  const requests = [];
  let down = false;
  const server = createServer((req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(full);
    if (down) { res.writeHead(503).end('down'); return; }
    if (!full.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
    const path = '/' + full.slice(prefix.length);
    const name = path.replace(/^\//, '');
    if (name in extra) {
      res.writeHead(200, { 'content-type': TYPES[extname(name)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(extra[name]);
      return;
    }
    let file = normalize(join(DIST, path));
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    const type = TYPES[extname(file)] || 'application/octet-stream';
    if (brotli && /\bbr\b/.test(req.headers['accept-encoding'] || '')) {
      res.writeHead(200, { 'content-type': type, 'content-encoding': 'br', 'cache-control': 'no-store' });
      res.end(pack(file, readFileSync(file)));
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return {
    url, requests,
    setDown: (v) => { down = v; },
    /** Serves `text` as file `name` from now on (e.g. a new version of a file). */
    override: (name, text) => { extra[name] = text; },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * A browser profile that outlives one browser process, so a test can close the
 * browser and start it again on the same data, as a person restarting it would.
 */
export class Profile {
  /** `userAgent` and `viewport` stand in for another browser (a phone's, an app's). */
  constructor({ userAgent, viewport } = {}) {
    this.userAgent = userAgent;
    this.viewport = viewport || { width: 1280, height: 720 };
    this.dir = mkdtempSync(join(tmpdir(), 'xinfang-e2e-'));
    this.context = null;
    this.errors = [];
  }

  /** Starts the browser on this profile and opens `url`; resolves to the page. */
  async start(url) {
    this.context = await chromium.launchPersistentContext(this.dir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ARGS,
      viewport: this.viewport,
      ...(this.userAgent ? { userAgent: this.userAgent, isMobile: true, hasTouch: true } : {}),
      locale: 'zh-CN',
    });
    // Every page this profile opens (a second tab too) is unlocked as a clerk would:
    // the app opens locked, and the operator types the passphrase.
    this.context.on('page', (p) => unlockOnLoad(p));
    const page = this.context.pages()[0] || (await this.context.newPage());
    unlockOnLoad(page);
    // E2E_TRACE=1 prints each page's errors and navigations as they happen.
    const trace = (...what) => { if (process.env.E2E_TRACE) console.log(this.dir.slice(-6), ...what); };
    page.on('pageerror', (e) => { this.errors.push(String(e)); trace('PAGEERROR', page.url(), e.stack); });
    page.on('console', (m) => { if (m.type() === 'error') { this.errors.push(m.text()); trace('CONSOLE', page.url(), m.text()); } });
    page.on('framenavigated', (f) => trace('NAV', f.url()));
    await page.goto(url);
    return page;
  }

  /** Closes the browser (the profile's data stays on disk). */
  async stop() {
    if (this.context) await this.context.close();
    this.context = null;
  }

  /** Closes the browser and deletes the profile. */
  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The operator passphrase every test unit's key is sealed under. */
export const OPERATOR = '县信访局操作口令2026';

const patched = new WeakSet();

/**
 * Makes `page.goto` and `page.reload` answer the unlock screen when a load brings it up,
 * so a test reloading the app reads on as the clerk who typed the passphrase would.
 */
function unlockOnLoad(page) {
  if (patched.has(page)) return;
  patched.add(page);
  for (const name of ['goto', 'reload']) {
    const original = page[name].bind(page);
    page[name] = async (...args) => {
      const before = page.url();
      const response = await original(...args);
      const sameDocument = name === 'goto' && before.split('#')[0] === String(args[0]).split('#')[0] && before !== 'about:blank';
      // From the citizen's page to the office app in the same document: the office app
      // opens (locked) only now.
      const leavesCitizen = sameDocument && /#\/petition/.test(before) && !/#\/petition/.test(String(args[0]));
      if (leavesCitizen) {
        await page.waitForSelector('.topbar, [data-testid=unlock], [data-testid=protect], h1:has-text("首次使用"), .fatal', { timeout: 30000 });
      }
      // A load that brings no app (a failed start a test provokes) is the test's to judge.
      const blank = name === 'goto' && String(args[0]) === 'about:blank';
      if ((!sameDocument || leavesCitizen) && !blank) await unlock(page).catch(() => {});
      return response;
    };
  }
}

/** Unlocks the app if it opened on the unlock screen (resolves at once otherwise). */
export async function unlock(page, passphrase = OPERATOR) {
  await appReady(page);
  if (!(await page.locator('[data-testid=unlock]').count())) return;
  await page.fill('input[name=operator_passphrase]', passphrase);
  await page.click('[data-testid=unlock] button:has-text("解锁")');
  await page.waitForSelector('[data-testid=unlock]', { state: 'detached', timeout: 30000 });
}

/** Waits until the app has mounted, or has said it could not start (#crash). */
export async function appReady(page) {
  await page.waitForSelector('main, .fatal, #crash', { timeout: 30000 });
}

/** First-run setup: fills the unit form and saves it. */
export async function setUpUnit(page, { name = '某某县信访局', code = 'XF01', operator = '王五', townships = '城关镇\n东岭乡\n西河镇', level = 'County', parent = '' } = {}) {
  await appReady(page);
  await page.fill('input[name=name]', name);
  await page.selectOption('select[name=level]', level);
  await page.fill('input[name=code]', code);
  await page.fill('input[name=operator]', operator);
  if (parent) await page.fill('input[name=parent]', parent);
  await page.fill('textarea[name=townships]', townships);
  await page.fill('input[name=operator_passphrase]', OPERATOR);
  await page.fill('input[name=operator_passphrase_again]', OPERATOR);
  await page.click('button:has-text("保存并开始使用")');
  await page.waitForSelector('h1:has-text("案件")');
}

/** Fills the registration form with a valid petition; `over` replaces fields. */
export async function fillPetition(page, over = {}) {
  const v = {
    channel: 'Visit', name: '张三', id: '11010519491231002X', phone: '13800138000', address: '城关镇东街1号',
    title: '拖欠工资', request: '请求督促某建筑公司支付拖欠的三个月工资', facts: '2026年以来公司以资金紧张为由拖欠工资',
    category: 'LabourSocialSecurity', type: 'Claim', township: '城关镇', ...over,
  };
  await page.selectOption('select[name=channel]', v.channel);
  await page.fill('input[name="petitioners.0.name"]', v.name);
  await page.fill('input[name="petitioners.0.id_number"]', v.id);
  await page.fill('input[name="petitioners.0.phone"]', v.phone);
  await page.fill('input[name="petitioners.0.address"]', v.address);
  await page.fill('input[name=title]', v.title);
  await page.fill('textarea[name=request]', v.request);
  await page.fill('textarea[name=facts]', v.facts);
  await page.selectOption('select[name=category]', v.category);
  await page.selectOption('select[name=petition_type]', v.type);
  await page.selectOption('select[name=township]', v.township);
}

/** Runs the list's search box. */
export async function search(page, text) {
  await page.goto(page.url().replace(/#.*$/, '') + '#/cases');
  await page.fill('input[name=q]', text);
  await page.press('input[name=q]', 'Enter');
  await page.locator('[data-testid=list-summary]').and(page.locator(`[data-query="${text}"]`)).waitFor();
}

/** The list's "共 N 件" count. */
export async function listCount(page) {
  const t = await page.textContent('[data-testid=list-summary]');
  return Number(/共 (\d+) 件/.exec(t)[1]);
}

/** Today's date in China (the app's calendar), as YYYY-MM-DD, shifted by `days`. */
export function chinaDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

/**
 * Takes a workflow step on the open case page: picks the step, fills its fields
 * (a select takes an option value or `{ index }`), saves. Resolves once the form is submitted.
 */
export async function takeStep(page, label, fields = {}) {
  const steps = page.locator('[data-testid=steps]');
  await steps.getByRole('button', { name: label, exact: true }).click();
  const form = page.locator('.step-form');
  await form.waitFor();
  for (const [name, value] of Object.entries(fields)) {
    const el = form.locator(`[name="${name}"]`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  await form.locator('button[type=submit]').click();
}

/** Waits until the case page shows `stage`. */
export async function waitStage(page, stage) {
  await page.locator('[data-testid=stage]', { hasText: new RegExp(`^${stage}$`) }).waitFor();
}

/**
 * Submits the registration form. When the app suggests earlier cases (or warns of a
 * terminated matter) it asks for a second click: this confirms without linking.
 * Resolves once the case page shows, or a refusal message does.
 */
export async function submitRegistration(page) {
  await page.click('form button[type=submit]');
  await page.locator('[data-testid=case-no], [data-testid=suggestions], .msg.bad').first().waitFor();
  if (await page.locator('[data-testid=suggestions]').count()) {
    await page.click('button:has-text("仍然登记")');
    await page.waitForSelector('[data-testid=case-no]');
  }
}

/** Reads the first sheet of an .xlsx file into rows of cell values (npm `xlsx`). */
export function readXlsx(path) {
  const XLSX = require('xlsx');
  const book = XLSX.readFile(path);
  return XLSX.utils.sheet_to_json(book.Sheets[book.SheetNames[0]], { header: 1 });
}

/** Reads every sheet of an .xlsx file with its cell types and formats (npm `xlsx`). */
export function readWorkbook(path) {
  const XLSX = require('xlsx');
  const book = XLSX.readFile(path, { cellDates: true, cellNF: true, cellStyles: true });
  const rows = (name) => XLSX.utils.sheet_to_json(book.Sheets[name], { header: 1, raw: true });
  return { names: book.SheetNames, sheet: (name) => book.Sheets[name], rows };
}

/** Clicks `selector` and resolves to the path of the file it downloads. */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return file.path();
}

/** Opens the exchange page and offers it the file at `path`. */
export async function importFile(page, path) {
  await page.goto(page.url().replace(/#.*$/, '') + '#/exchange');
  await page.setInputFiles('input[name=bundle]', path);
}

/** Each of two units exports its card and the other trusts it after the fingerprint check. */
export async function trustEachOther(a, b) {
  const card = async (page) => {
    await page.goto(page.url().replace(/#.*$/, '') + '#/exchange');
    return [await download(page, 'button:has-text("导出单位名片")'), await page.textContent('[data-testid=own-fingerprint]')];
  };
  const [aCard, aFp] = await card(a);
  const [bCard, bFp] = await card(b);
  for (const [page, file, fp] of [[a, bCard, bFp], [b, aCard, aFp]]) {
    await importFile(page, file);
    if ((await page.textContent('[data-testid=preview-fingerprint]')) !== fp) throw new Error('fingerprint differs');
    await page.click('button:has-text("核对无误，信任此单位")');
    await page.waitForSelector('[data-testid=directory] tbody tr');
  }
}

/** Opens the case `caseNo` from the list. */
export async function openCase(page, caseNo) {
  await page.goto(page.url().replace(/#.*$/, '') + '#/cases');
  await page.click(`table.cases a:has-text("${caseNo}")`);
  await page.waitForSelector('[data-testid=stage]');
}

/**
 * Exports the open case from `from` to the unit `toCode` for `purpose`, and imports the
 * file at `to`; resolves to the file's path once `to` says how many records it stored.
 */
export async function hand(from, to, toCode, purpose) {
  await from.selectOption('select[name=export_to]', toCode);
  await from.selectOption('select[name=export_purpose]', purpose);
  const file = await download(from, 'button:has-text("导出交换文件")');
  await importFile(to, file);
  await to.waitForSelector('[data-testid=plan]');
  await to.click('button:has-text("确认导入")');
  await to.waitForSelector('.msg.ok:has-text("已导入")');
  return file;
}

/** Exports a backup from `page` and restores it into the unused profile `into`, as a
 * clerk moving to a new computer would; resolves to the restored page. */
export async function backupInto(page, into, url, passphrase = '县信访局备份口令2026') {
  await page.goto(url + '#/settings');
  await page.fill('input[name=backup_passphrase]', passphrase);
  await page.fill('input[name=backup_passphrase_again]', passphrase);
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出备份")')]);
  const b = await into.start(url);
  await b.waitForSelector('#restore');
  await b.setInputFiles('input[name=restore_file]', await file.path());
  await b.fill('input[name=restore_passphrase]', passphrase);
  await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
  await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
  await b.click('button:has-text("恢复")');
  await b.waitForSelector('[data-testid=list-summary]');
  return b;
}
