// Hostile files hurt no one: a web page named as a photo is refused as an attachment,
// 200 MB of zero bytes offered as an exchange file is refused by its first bytes and a
// 200 MB JSON array of zeros by its count, each with a clear message, and a new key for
// a trusted unit needs its fingerprint retyped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, writeSync, mkdtempSync, openSync, ftruncateSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, Profile, setUpUnit, download, importFile } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('a mislabelled attachment and a file of zeros are refused with a message', async () => {
  const office = new Profile();
  const citizen = new Profile();
  const work = mkdtempSync(join(tmpdir(), 'xinfang-hostile-'));
  try {
    const o = await office.start(server.url);
    await setUpUnit(o, { name: '某某县信访局', code: 'XF01' });

    // 200 MB of zeros: refused at once, the page still works.
    const zeros = join(work, 'zeros.json');
    const fd = openSync(zeros, 'w');
    ftruncateSync(fd, 200_000_000);
    closeSync(fd);
    await importFile(o, zeros);
    await o.waitForSelector('.msg.bad:has-text("不是本程序的交换文件")');
    // 200 MB of a JSON array of zeros: refused by a count, not by a dead page.
    const array = join(work, 'array.json');
    const out = openSync(array, 'w');
    writeSync(out, '{"a":[');
    const chunk = '0,'.repeat(1 << 20);
    for (let i = 0; i < 95; i++) writeSync(out, chunk);
    writeSync(out, '0]}');
    closeSync(out);
    await importFile(o, array);
    await o.waitForSelector('.msg.bad:has-text("数据项数量超出上限")', { timeout: 60000 });
    await o.click('.topbar a:has-text("工作台")');
    await o.waitForSelector('h1:has-text("工作台")');

    // A citizen's page: a web page called 照片.png is not a photo.
    await o.goto(server.url + '#/exchange');
    const configPath = await download(o, 'button:has-text("导出网上信访配置文件")');
    const site = await serveDist({ 'xinfang-config.json': readFileSync(configPath, 'utf8') });
    try {
      const c = await citizen.start(site.url + '#/petition');
      await c.waitForSelector('select[name=channel]');
      const fake = join(work, '照片.png');
      writeFileSync(fake, '<html><script>alert(1)</script></html>');
      await c.setInputFiles('input[name=attachments]', fake);
      await c.waitForSelector('.msg.bad:has-text("内容与其文件类型不符")');
      assert.equal(await c.locator('[data-testid=attachments] li').count(), 0);
    } finally {
      await site.close();
    }
    assert.deepEqual([...office.errors, ...citizen.errors], []);
  } finally {
    await office.dispose();
    await citizen.dispose();
  }
});

test('a new key for a trusted unit is a key change confirmed by the retyped fingerprint', async () => {
  const profiles = [new Profile(), new Profile(), new Profile()];
  try {
    const [c, t1, t2] = await Promise.all(profiles.map((p) => p.start(server.url)));
    await setUpUnit(c, { name: '某某县信访局', code: 'XF01' });
    // The same township, set up again in another browser: a new key.
    await setUpUnit(t1, { name: '城关镇人民政府', code: 'CGZ01' });
    await setUpUnit(t2, { name: '城关镇人民政府', code: 'CGZ01' });
    const card = async (page) => {
      await page.goto(server.url + '#/exchange');
      return [await download(page, 'button:has-text("导出单位名片")'), await page.textContent('[data-testid=own-fingerprint]')];
    };
    const [first, oldFp] = await card(t1);
    const [second, newFp] = await card(t2);
    assert.notEqual(oldFp, newFp);
    await importFile(c, first);
    await c.click('button:has-text("核对无误，信任此单位")');
    await c.waitForSelector('[data-testid=directory] td:has-text("CGZ01")');

    // The new card: no one-click replace; both fingerprints; the new one retyped.
    await importFile(c, second);
    await c.waitForSelector('[data-testid=key-change]');
    assert.equal(await c.textContent('[data-testid=old-fingerprint]'), oldFp);
    assert.equal(await c.textContent('[data-testid=preview-fingerprint]'), newFp);
    assert.equal(await c.locator('button:has-text("核对无误，信任此单位")').count(), 0);
    await c.fill('input[name=retype_fingerprint]', oldFp);
    await c.click('button:has-text("确认更换密钥")');
    await c.waitForSelector('.msg.bad:has-text("密钥未更换")');
    assert.equal(await c.locator('[data-testid=directory] tbody tr').count(), 1);
    await c.fill('input[name=retype_fingerprint]', newFp.replaceAll(' ', '').toLowerCase());
    await c.click('button:has-text("确认更换密钥")');
    await c.waitForSelector('.msg.ok:has-text("已信任 城关镇人民政府")');
    // The old key stays, revoked: files it signed are still recognised as once trusted.
    await c.waitForSelector('[data-testid=directory] tr.revoked');
    assert.equal(await c.locator('[data-testid=directory] tbody tr').count(), 2);
    assert.deepEqual(profiles.flatMap((p) => p.errors), []);
  } finally {
    await Promise.all(profiles.map((p) => p.dispose()));
  }
});
