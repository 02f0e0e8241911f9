// No server at all, or no network: the single-file build opened from disk (office and
// an office's citizen page), and a hosted build that keeps working offline after the
// first visit and updates only when the user says so, keeping the draft.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, listCount, waitStage, appReady, unlock } from './harness.mjs';

const DIST = process.env.XINFANG_DIST || resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

let server;
before(async () => { server = await serveDist({}, { prefix: '/xinfang/' }); });
after(async () => { await server.close(); });

test('the single-file build works from file://: register, reload, the case is there', async () => {
  // Copied somewhere of its own, as a person would put it on a USB stick.
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-usb-'));
  copyFileSync(join(DIST, 'xinfang.html'), join(dir, '信访案件管理.html'));
  const url = pathToFileURL(join(dir, '信访案件管理.html')).href;
  const profile = new Profile();
  const seen = [];
  try {
    const page = await profile.start('about:blank');
    page.on('request', (r) => seen.push(r.url()));
    await page.goto(url);
    await setUpUnit(page);
    await page.click('a:has-text("＋ 登记")');
    await fillPetition(page);
    await submitRegistration(page);
    await waitStage(page, '待分流');
    await page.reload();
    await waitStage(page, '待分流');
    await page.goto(url + '#/cases');
    await page.reload();
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 1);
    // Closed and opened again, like a double-click the next morning.
    await profile.stop();
    const again = await profile.start(url + '#/cases');
    await again.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(again), 1);
    // Chromium keeps one store for every local file: a copy elsewhere (a newer
    // version on the stick) opens the same data.
    const other = mkdtempSync(join(tmpdir(), 'xinfang-usb2-'));
    copyFileSync(join(DIST, 'xinfang.html'), join(other, 'xinfang.html'));
    await again.goto(pathToFileURL(join(other, 'xinfang.html')).href + '#/cases');
    await again.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(again), 1);
    assert.deepEqual(seen.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:') && u !== 'about:blank'), []);
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});

test('an office makes its citizen page as one file; it opens from disk with the office configured', async () => {
  const office = new Profile();
  const citizen = new Profile();
  try {
    const page = await office.start(server.url);
    await setUpUnit(page, { name: '某某县信访局', code: 'XF01' });
    await page.goto(server.url + '#/exchange');
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出网上信访单文件页面")')]);
    assert.equal(file.suggestedFilename(), '网上信访-XF01.html');
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-citizen-'));
    const path = join(dir, '网上信访.html');
    await file.saveAs(path);
    assert.match(readFileSync(path, 'utf8'), /id="xinfang-config"/);

    const url = pathToFileURL(path).href;
    const c = await citizen.start(url);
    await c.waitForSelector('.who:has-text("受理单位：某某县信访局")');
    // The citizen's copy never opens the office app, whatever the address says.
    await c.goto(url + '#/cases');
    await c.reload();
    await c.waitForSelector('.who:has-text("受理单位：某某县信访局")');
    assert.equal(await c.locator('[data-testid=list-summary]').count(), 0);
    assert.deepEqual([...office.errors, ...citizen.errors], []);
  } finally {
    await office.dispose();
    await citizen.dispose();
  }
});

test('after the first visit the hosted app opens offline; an update waits for a click and keeps the draft', async () => {
  const own = await serveDist({}, { prefix: '/app/' });
  const profile = new Profile();
  try {
    const page = await profile.start(own.url);
    await setUpUnit(page);
    await page.click('a:has-text("＋ 登记")');
    await fillPetition(page);
    await submitRegistration(page);
    await waitStage(page, '待分流');
    // The service worker has the files once it controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });

    own.setDown(true);
    await page.context().setOffline(true);
    await page.goto(own.url + '#/cases');
    await page.reload();
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 1);
    await page.context().setOffline(false);
    own.setDown(false);

    // A half-typed petition, then a new version appears on the host.
    await page.goto(own.url + '#/new');
    await appReady(page);
    await page.fill('input[name=title]', '更新前填写的草稿');
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    const next = sw.replace(/const VERSION = '([^']*)'/, "const VERSION = '$1-next'");
    assert.notEqual(next, sw);
    own.override('sw.js', next);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.waitForSelector('[data-testid=update]:has-text("新版本可用")', { timeout: 30000 });
    await Promise.all([page.waitForEvent('load'), page.click('[data-testid=update] button:has-text("更新")')]);
    // The new version opens as any opening does: locked until the passphrase is typed.
    await unlock(page);
    await page.waitForSelector('input[name=title]');
    assert.equal(await page.inputValue('input[name=title]'), '更新前填写的草稿');
    assert.equal(await page.locator('[data-testid=update]').count(), 0);
    assert.deepEqual(profile.errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  } finally {
    await profile.dispose();
    await own.close();
  }
});
