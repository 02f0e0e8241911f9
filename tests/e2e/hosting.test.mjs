// Where there is no server: the build under any sub-path of a static host, no request
// leaving the page, and a full disk refused cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, listCount, waitStage } from './harness.mjs';

const DIST = process.env.XINFANG_DIST || resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

let server;
before(async () => { server = await serveDist({}, { prefix: '/xinfang/' }); });
after(async () => { await server.close(); });

test('under a sub-path, inner pages survive a reload; no request leaves the app\'s own files', async () => {
  const profile = new Profile();
  const seen = [];
  try {
    const page = await profile.start('about:blank');
    page.on('request', (r) => seen.push(r.url()));
    await page.goto(server.url);
    await setUpUnit(page);
    await page.click('a:has-text("＋ 登记")');
    await fillPetition(page);
    await submitRegistration(page);
    const caseUrl = page.url();
    assert.ok(caseUrl.startsWith(server.url + '#/case/'), caseUrl);
    await page.reload();
    await waitStage(page, '待分流');
    assert.equal(await page.textContent('[data-testid=case-title]'), '拖欠工资');

    // Every page of the app, each reloaded where it stands.
    for (const hash of ['#/cases', '#/workbench', '#/dashboard', '#/exchange', '#/settings', '#/new', '#/petition']) {
      await page.goto(server.url + hash);
      await page.reload();
      await page.waitForSelector('main h1, main h2, [data-testid=config-missing]');
      assert.equal(await page.locator('.fatal').count(), 0, hash);
    }
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 1);
    // Exports are made in the page (blob: addresses), never fetched from anywhere.
    await page.goto(server.url + '#/dashboard');
    await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出 Excel")')]);

    const own = new Set(readdirSync(DIST).map((f) => server.url + f));
    own.add(server.url);
    const foreign = seen.filter((u) => {
      const bare = u.replace(/[?#].*$/, '');
      if (u.startsWith('blob:' + new URL(server.url).origin + '/')) return false;
      if (u.startsWith('data:') || u === 'about:blank') return false;
      // The citizen page asks for its (absent here) config file beside the build.
      if (bare === server.url + 'xinfang-config.json') return false;
      return !own.has(bare);
    });
    assert.deepEqual(foreign, [], 'requests outside the build');
    assert.ok(server.requests.every((p) => p.startsWith('/xinfang/')), 'nothing asked outside the sub-path');
  } finally {
    await profile.dispose();
  }
});

test('a full disk: the save is refused with a message and the database is unchanged', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start('about:blank');
    // A full disk, simulated inside the browser: once `diskFull` is set, the second write
    // of a transaction fails as the browser fails it, with a QuotaExceededError, after the
    // first has gone through, so a partial write would show.
    await page.addInitScript(() => {
      for (const name of ['add', 'put']) {
        const real = IDBObjectStore.prototype[name];
        IDBObjectStore.prototype[name] = function (...args) {
          if (globalThis.diskFull) {
            const seen = (this.transaction.writes = (this.transaction.writes || 0) + 1);
            if (seen >= 2) throw new DOMException('The disk is full (simulated).', 'QuotaExceededError');
          }
          return real.apply(this, args);
        };
      }
    });
    await page.goto(server.url);
    await setUpUnit(page);
    await page.click('a:has-text("＋ 登记")');
    await fillPetition(page);
    await submitRegistration(page);
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 1);

    await page.click('a:has-text("＋ 登记")');
    await fillPetition(page, {
      title: '道路积水', id: '', phone: '13900139000', name: '李四',
      request: '请求修复村口排水沟', facts: '雨后村口道路积水严重影响出行', category: 'UrbanRuralConstruction',
    });
    await page.evaluate(() => { globalThis.diskFull = true; });
    await page.click('form button[type=submit]');
    const refused = page.locator('.msg.bad', { hasText: '磁盘空间不足' });
    await refused.waitFor();
    assert.match(await refused.textContent(), /未保存/);
    assert.match(page.url(), /#\/new$/, 'still on the form, nothing lost');
    assert.equal(await page.inputValue('input[name=title]'), '道路积水');

    await page.evaluate(() => { globalThis.diskFull = false; });
    await page.goto(server.url + '#/cases');
    await page.reload();
    await page.waitForSelector('[data-testid=list-summary]');
    assert.equal(await listCount(page), 1, 'nothing of the refused case was stored');
  } finally {
    await profile.dispose();
  }
});
