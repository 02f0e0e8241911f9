// The demo mode: generated cases in their own database, clearly marked, never mixed
// with the real ones; a cancelled generation leaves nothing behind. Its county-size
// data also carries the dashboard's year and the backup test: volumes, progress,
// cancel, a cut file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, Profile, OPERATOR } from './harness.mjs';

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

/** How many events the office database of this page holds (read directly from IndexedDB). */
function eventsHeld(page) {
  return page.evaluate(() => new Promise((ok, fail) => {
    const open = indexedDB.open('xinfang');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = [...db.objectStoreNames];
      if (!names.includes('events')) { db.close(); return ok(0); }
      const count = db.transaction('events').objectStore('events').count();
      count.onsuccess = () => { db.close(); ok(count.result); };
      count.onerror = () => fail(count.error);
    };
  }));
}

test('county-size demo data: the dashboard lists the most pressing first; the backup goes out and comes back volume by volume, with progress and cancel', async () => {
  const source = new Profile();
  const target = new Profile();
  const PASS = '演示县信访局备份口令2026';
  try {
    const page = await source.start(server.url + '?demo#/settings');
    page.setDefaultTimeout(240000);
    await page.selectOption('select[name=demo_count]', '10000');
    await page.click('button:has-text("生成演示数据")');
    await page.waitForSelector('#demo .msg.ok:has-text("已生成 10000 件演示案件")');

    // The workbench at county scale: each bucket's count and only its most urgent rows,
    // so the page stays short; 查看全部 lists the whole bucket.
    await page.goto(server.url + '?demo#/workbench');
    await page.waitForSelector('[data-bucket=Open] .count');
    for (const section of await page.locator('section.bucket').all()) {
      assert.ok((await section.locator('tbody tr').count()) <= 20);
    }
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 15000, `workbench ${height} px tall`);
    const inOpen = Number(await page.textContent('[data-bucket=Open] .count'));
    assert.ok(inOpen > 20, `${inOpen} open demo cases`);
    await page.click('[data-bucket=Open] [data-testid=bucket-all]');
    await page.waitForSelector(`[data-testid=list-summary]:has-text("共 ${inOpen} 件")`);
    assert.match(await page.textContent('[data-testid=picked]'), /工作台：全部在办/);

    // A county's year on the dashboard: the ten largest clusters and the ten most
    // frequent petitioners one by one, the rest as one line whose cases can be listed.
    const wholeYear = async () => {
      await page.goto(server.url + '?demo#/dashboard');
      await page.waitForSelector('[data-figure=total]');
      await page.click('.period-buttons button:has-text("本年")');
      await page.waitForSelector('[data-testid=period]:has-text("-01-01")');
      await page.waitForSelector('[data-testid=frequent] table');
    };
    await wholeYear();
    const clusterLines = await page.locator('[data-testid=warnings] .warn-line', { hasText: '件相近事项：' }).count();
    assert.equal(clusterLines, 10);
    // The plans started in a county's year: ten rows, the rest one line of their cases.
    const planTotal = Number((await page.textContent('[data-testid=plans-started] h2')).match(/（(\d+) 次）/)[1]);
    assert.ok(planTotal > 10, `${planTotal} plans started in the demo county's year`);
    assert.equal(await page.locator('[data-testid=plans-started] tbody tr').count(), 10);
    assert.match(await page.textContent('[data-testid=plans-more]'), new RegExp(`另有 ${planTotal - 10} 次启动`));
    const rest = page.locator('[data-testid=warnings] .warn-line', { hasText: '另有' });
    const [, groups, cases] = (await rest.textContent()).match(/另有 (\d+) 组相近事项，共 (\d+) 件/);
    assert.ok(Number(groups) > 0 && Number(cases) >= 3 * Number(groups));
    await rest.locator('button:has-text("查看案件")').click();
    await page.waitForSelector(`[data-testid=list-summary]:has-text("共 ${cases} 件")`);
    await wholeYear();
    assert.equal(await page.locator('[data-testid=frequent] tr').count(), 10);
    const more = await page.textContent('[data-testid=frequent-more]');
    const [, people, theirs] = more.match(/另有 (\d+) 位重复信访人，共 (\d+) 件/);
    assert.ok(Number(people) > 0 && Number(theirs) >= 2 * Number(people));
    await page.click('[data-testid=frequent-more] button:has-text("查看案件")');
    await page.waitForSelector(`[data-testid=list-summary]:has-text("共 ${theirs} 件")`);
    await page.goto(server.url + '?demo#/settings');

    await page.fill('input[name=backup_passphrase]', PASS);
    await page.fill('input[name=backup_passphrase_again]', PASS);
    let downloads = 0;
    page.on('download', () => { downloads += 1; });
    // Cancelled while its volumes are written: no file is offered.
    await page.click('button:has-text("导出备份")');
    await page.click('#backup [data-testid=progress] button:has-text("取消")');
    await page.waitForSelector('#backup .msg.ok:has-text("已取消备份，未生成文件")');
    assert.equal(downloads, 0);

    await page.fill('input[name=backup_passphrase]', PASS);
    await page.fill('input[name=backup_passphrase_again]', PASS);
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出备份")')]);
    const full = await file.path();
    await page.waitForSelector('#backup .msg.ok:has-text("10000 件案件")');
    const lines = readFileSync(full, 'utf8').split('\n').filter((l) => l.trim());
    assert.equal(lines.length, 5, 'five volumes of 2,000 cases');
    assert.deepEqual(lines.map((l) => JSON.parse(l).payload.volume), [1, 2, 3, 4, 5]);

    // A copy that lost its last volumes is refused, and leaves the new browser as it was.
    const dir = mkdtempSync(join(tmpdir(), 'xinfang-backup-'));
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, lines.slice(0, 2).join('\n') + '\n');
    const b = await target.start(server.url);
    b.setDefaultTimeout(240000);
    await b.waitForSelector('#restore');
    await b.setInputFiles('input[name=restore_file]', cut);
    await b.fill('input[name=restore_passphrase]', PASS);
    await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
    await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
    await b.click('button:has-text("恢复")');
    await b.waitForSelector('#restore .msg.bad:has-text("共 5 卷，缺少第 3 卷")');
    assert.equal(await eventsHeld(b), 0);

    // Cancelled midway: nothing stays, the page still offers to set up or restore.
    await b.setInputFiles('input[name=restore_file]', full);
    await b.click('button:has-text("恢复")');
    await b.click('#restore [data-testid=progress] button:has-text("取消")');
    await b.waitForSelector('#restore .msg.ok:has-text("已取消恢复")');
    assert.equal(await eventsHeld(b), 0);
    await b.reload();
    await b.waitForSelector('#restore');

    // The whole file: every case is back.
    await b.setInputFiles('input[name=restore_file]', full);
    await b.fill('input[name=restore_passphrase]', PASS);
    await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
    await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
    await b.click('button:has-text("恢复")');
    await b.waitForSelector('[data-testid=list-summary]:has-text("共 10000 件")');
    assert.match(await b.textContent('.topbar .who'), /演示县信访局/);
    assert.deepEqual([...source.errors, ...target.errors], []);
  } finally {
    await source.dispose();
    await target.dispose();
  }
});
