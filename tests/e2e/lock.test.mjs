// The key at rest: the unit's key is sealed under the operator's passphrase at setup,
// the app opens locked, a wrong passphrase is refused, 锁定 locks it at once and it
// locks itself after 15 minutes without a key press or a click; the database holds no
// key in clear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, appReady, OPERATOR, unlock, setUpUnit } from './harness.mjs';
import { seedOf, storedKey } from './forge.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('the app opens locked, locks on request and when left alone', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await appReady(page);
    await page.fill('input[name=name]', '某某县信访局');
    await page.selectOption('select[name=level]', 'County');
    await page.fill('input[name=code]', 'XF01');
    await page.fill('input[name=operator]', '王五');
    await page.fill('textarea[name=townships]', '城关镇');
    // Too short a passphrase: refused, nothing set up.
    await page.fill('input[name=operator_passphrase]', '短口令');
    await page.fill('input[name=operator_passphrase_again]', '短口令');
    assert.match(await page.textContent('[data-testid=operator-hint]'), /太短/);
    await page.click('button:has-text("保存并开始使用")');
    await page.waitForSelector('.msg.bad:has-text("操作口令至少 12 个字符")');
    await page.fill('input[name=operator_passphrase]', OPERATOR);
    await page.fill('input[name=operator_passphrase_again]', OPERATOR);
    await page.click('button:has-text("保存并开始使用")');
    await page.waitForSelector('h1:has-text("案件")');

    // The stored key is sealed: no seed in clear, and it opens with the passphrase.
    const stored = await storedKey(page);
    const seed = await seedOf(page);
    assert.match(stored, /"kdf":"pbkdf2-hmac-sha256"/);
    assert.ok(!stored.includes(seed), 'the seed is stored in clear');
    const fingerprint = async () => {
      await page.goto(server.url + '#/exchange');
      return page.textContent('[data-testid=own-fingerprint]');
    };
    const mine = await fingerprint();

    // Opened again: locked until the passphrase is typed; a wrong one is refused.
    await page.evaluate(() => location.reload());
    await page.waitForSelector('[data-testid=unlock]');
    assert.equal(await page.locator('.topbar').count(), 0, 'nothing shows while locked');
    await page.fill('input[name=operator_passphrase]', '县信访局操作口令2025');
    await page.click('button:has-text("解锁")');
    await page.waitForSelector('[data-testid=unlock] .msg.bad:has-text("操作口令不正确")');
    await unlock(page);
    assert.equal(await fingerprint(), mine, 'the same key, unlocked');

    // 锁定 locks at once.
    await page.click('.topbar button:has-text("锁定")');
    await page.waitForSelector('[data-testid=unlock]');
    await unlock(page);
    await page.waitForSelector('.topbar');

    // Left alone for 15 minutes, it locks itself; a click keeps it open.
    await page.clock.install();
    await page.reload();
    await page.waitForSelector('.topbar');
    await page.clock.fastForward('10:00');
    await page.click('.topbar a:has-text("案件")');
    await page.clock.fastForward('10:00');
    assert.equal(await page.locator('[data-testid=unlock]').count(), 0, 'locked though in use');
    await page.clock.fastForward('06:00');
    await page.waitForSelector('[data-testid=unlock]');
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});

test('a clerk changes the operator passphrase; the old one no longer opens the app', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/settings');
    const renewed = '春风 杨柳 万千 条';
    await page.fill('input[name=current_operator_passphrase]', '不是当前口令123456');
    await page.fill('input[name=changed_operator_passphrase]', renewed);
    await page.fill('input[name=changed_operator_passphrase_again]', renewed);
    await page.click('button:has-text("更换操作口令")');
    await page.waitForSelector('#operator .msg.bad:has-text("操作口令不正确")');
    await page.fill('input[name=current_operator_passphrase]', OPERATOR);
    await page.click('button:has-text("更换操作口令")');
    await page.waitForSelector('#operator .msg.ok:has-text("操作口令已更换")');
    await page.evaluate(() => location.reload());
    await page.waitForSelector('[data-testid=unlock]');
    await page.fill('input[name=operator_passphrase]', OPERATOR);
    await page.click('button:has-text("解锁")');
    await page.waitForSelector('[data-testid=unlock] .msg.bad:has-text("操作口令不正确")');
    await unlock(page, renewed);
    await page.waitForSelector('.topbar');
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
