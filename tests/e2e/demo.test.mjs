// The demo mode: generated cases in their own database, clearly marked, never mixed
// with the real ones; a cancelled generation leaves nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('demo data is generated apart from real cases, and a cancel removes it', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url + '?demo#/settings');
    await page.waitForSelector('[data-testid=demo-strip]');
    assert.match(await page.textContent('[data-testid=demo-strip]'), /演示模式/);
    assert.match(await page.textContent('.topbar .who'), /演示县信访局/);

    await page.selectOption('select[name=demo_count]', '500');
    await page.click('button:has-text("生成演示数据")');
    await page.waitForSelector('#demo .msg.ok:has-text("已生成 500 件演示案件")', { timeout: 120000 });
    await page.goto(server.url + '?demo#/cases');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 500 件")');

    // A larger run, cancelled at once: the demo database is left empty, not half filled.
    await page.goto(server.url + '?demo#/settings');
    await page.selectOption('select[name=demo_count]', '10000');
    await page.click('button:has-text("生成演示数据")');
    await page.click('[data-testid=progress] button:has-text("取消")');
    await page.waitForSelector('#demo .msg.ok:has-text("已取消")', { timeout: 120000 });
    await page.goto(server.url + '?demo#/cases');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 0 件")');

    // The real database never saw any of it: the office app still asks to be set up.
    await page.goto(server.url + '#/cases');
    await page.reload();
    await page.waitForSelector('h1:has-text("首次使用")');
    assert.equal(await page.locator('[data-testid=demo-strip]').count(), 0);
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
