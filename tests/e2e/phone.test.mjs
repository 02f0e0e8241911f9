// A citizen on a phone: the citizens' own small build (citizen.html) loads without the
// office app, lays out in one column, and submits a petition with a photo whose signed
// file the citizen saves; the office's old address (#/petition) leads there. Opened from
// a link in WeChat, the page says at once that WeChat does not save files and how to
// open it in the phone's browser, the petition can still be written and submitted, and
// the receipt says it again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, Profile, setUpUnit, fillPetition, download } from './harness.mjs';

const WECHAT = 'Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

const servers = [];
after(async () => { for (const s of servers) await s.close(); });

/** An office set up in `office` on `plain`, and a site serving its citizens' page config. */
async function publish(office, plain) {
  const o = await office.start(plain.url);
  await setUpUnit(o, { name: '某某县信访局', code: 'XF01' });
  await o.goto(plain.url + '#/exchange');
  const config = readFileSync(await download(o, 'button:has-text("导出网上信访配置文件")'), 'utf8');
  const site = await serveDist({ 'xinfang-config.json': config });
  servers.push(site);
  return { o, site };
}

const PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

test("the citizens' own build on a phone submits a petition with a photo", async () => {
  const plain = await serveDist();
  servers.push(plain);
  const office = new Profile();
  const phone = new Profile({ userAgent: PHONE, viewport: { width: 390, height: 844 } });
  const work = mkdtempSync(join(tmpdir(), 'xinfang-phone-'));
  try {
    const { o, site } = await publish(office, plain);

    const c = await phone.start(site.url + 'citizen.html');
    await c.waitForSelector('select[name=channel]');
    assert.match(await c.textContent('.topbar'), /受理单位：某某县信访局/);
    // Only the citizens' build was fetched: no office screens, no office wasm.
    const wasm = site.requests.filter((r) => r.endsWith('.wasm'));
    assert.equal(wasm.length, 1, wasm.join(', '));
    assert.match(wasm[0], /citizen-[0-9a-f]+_bg\.wasm$/);
    await fillPetition(c, { channel: 'Online', title: '路灯损坏', category: 'UrbanRuralConstruction', id: '' });
    const photo = join(work, '路灯.png');
    writeFileSync(photo, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    await c.setInputFiles('input[name=attachments]', photo);
    await c.waitForSelector('[data-testid=attachments] li:has-text("路灯.png")');
    // One column: the form is no wider than the screen, its fields stacked.
    assert.ok((await c.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    const [a, b] = await c.evaluate(() => [...document.querySelectorAll('.grid .field')].slice(0, 2).map((f) => f.getBoundingClientRect().left));
    assert.equal(a, b, 'the form lays out in one column');
    await c.click('button:has-text("提交并生成信访件")');
    await c.waitForSelector('[data-testid=receipt]');
    const saved = readFileSync(await download(c, 'button:has-text("保存信访件文件")'), 'utf8');
    assert.doesNotMatch(saved, /路灯损坏/, 'the file is encrypted to the office');
    assert.ok((await c.evaluate(() => document.documentElement.scrollWidth)) <= 390);

    // The office imports it as a 网上 case, photo and all.
    const file = join(work, 'petition.json');
    writeFileSync(file, saved);
    await o.goto(plain.url + '#/exchange');
    await o.setInputFiles('input[name=submissions]', file);
    await o.waitForSelector('#online tr.ok');
    assert.match(await o.textContent('#online tr.ok'), /已登记为/);

    // The office's old address for citizens leads to the same small build.
    await c.goto(site.url + '#/petition');
    await c.waitForURL(/citizen\.html#\/petition$/);
    await c.waitForSelector('select[name=channel]');
    assert.deepEqual(phone.errors, []);
  } finally {
    await office.dispose();
    await phone.dispose();
  }
});

test('inside WeChat the citizen page says how to open it in the phone browser', async () => {
  const plain = await serveDist();
  servers.push(plain);
  const office = new Profile();
  const phone = new Profile({ userAgent: WECHAT, viewport: { width: 390, height: 844 } });
  try {
    const { site } = await publish(office, plain);

    const c = await phone.start(site.url + '#/petition');
    await c.waitForSelector('[data-testid=in-app-form]');
    assert.match(await c.textContent('[data-testid=in-app-form]'), /微信不允许保存下载的文件.*在浏览器打开/);
    await fillPetition(c, { channel: 'Online', title: '小区污水外溢', category: 'Environment', id: '' });
    await c.click('button:has-text("提交并生成信访件")');
    await c.waitForSelector('[data-testid=receipt] [data-testid=in-app]');
    // One column on a phone: nothing wider than the screen.
    const wide = await c.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the receipt is ${wide} px wide on a 390 px screen`);
    assert.deepEqual(phone.errors, []);
  } finally {
    await office.dispose();
    await phone.dispose();
  }
});

test('in the phone browser itself there is no such message', async () => {
  const site = await serveDist();
  servers.push(site);
  const phone = new Profile({ userAgent: 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36', viewport: { width: 390, height: 844 } });
  try {
    const c = await phone.start(site.url + '#/petition');
    await c.waitForSelector('.guide');
    assert.equal(await c.locator('[data-testid=in-app-form]').count(), 0);
  } finally {
    await phone.dispose();
  }
});
