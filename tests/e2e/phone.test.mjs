// A citizen opens the office's page from a link in WeChat on a phone: the page says at
// once that WeChat does not save files and how to open it in the phone's browser, the
// petition can still be written and submitted, and the receipt says it again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, Profile, setUpUnit, fillPetition, download } from './harness.mjs';

const WECHAT = 'Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

const servers = [];
after(async () => { for (const s of servers) await s.close(); });

test('inside WeChat the citizen page says how to open it in the phone browser', async () => {
  const plain = await serveDist();
  servers.push(plain);
  const office = new Profile();
  const phone = new Profile({ userAgent: WECHAT, viewport: { width: 390, height: 844 } });
  try {
    const o = await office.start(plain.url);
    await setUpUnit(o, { name: '某某县信访局', code: 'XF01' });
    await o.goto(plain.url + '#/exchange');
    const config = readFileSync(await download(o, 'button:has-text("导出网上信访配置文件")'), 'utf8');
    const site = await serveDist({ 'xinfang-config.json': config });
    servers.push(site);

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
