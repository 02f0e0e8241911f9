// The single-file build in Firefox: Debian's firefox-esr, driven over WebDriver BiDi by
// puppeteer-core (Playwright drives only its own patched Firefox). Opened from file://,
// set up, a case registered, reloaded and the browser restarted: the case is still there;
// a copy of the file elsewhere opens the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, '.tools/package.json'));
const puppeteer = require('puppeteer-core');
const DIST = process.env.XINFANG_DIST || join(root, 'dist');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

/** Starts Firefox on `profile` (kept between starts, like a person's). */
async function start(profile) {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir: profile });
  const errors = [];
  const page = (await browser.pages())[0] || (await browser.newPage());
  page.on('pageerror', (e) => errors.push(String(e)));
  return { browser, page, errors };
}

const text = async (page, selector) => page.$eval(selector, (e) => e.textContent);

const OPERATOR = '县信访局操作口令2026';

/** The app opens locked once set up: the operator types the passphrase. */
async function unlock(page) {
  await page.waitForSelector('input[name=operator_passphrase]', { timeout: 30000 });
  await page.type('input[name=operator_passphrase]', OPERATOR);
  await page.click('[data-testid=unlock] button[type=submit]');
  await page.waitForSelector('[data-testid=unlock]', { hidden: true, timeout: 30000 });
}

test('the single-file build works in Firefox from file://: register, reload, restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-ff-'));
  copyFileSync(join(DIST, 'xinfang.html'), join(dir, 'xinfang.html'));
  const url = pathToFileURL(join(dir, 'xinfang.html')).href;
  const profile = join(dir, 'profile');
  let { browser, page, errors } = await start(profile);
  try {
    await page.goto(url);
    await page.waitForSelector('input[name=name]', { timeout: 30000 });
    await page.type('input[name=name]', '某某县信访局');
    await page.select('select[name=level]', 'County');
    await page.type('input[name=code]', 'XF01');
    await page.type('input[name=operator]', '王五');
    await page.type('textarea[name=townships]', '城关镇');
    await page.type('input[name=operator_passphrase]', OPERATOR);
    await page.type('input[name=operator_passphrase_again]', OPERATOR);
    await page.click('button::-p-text(保存并开始使用)');
    await page.waitForSelector('[data-testid=list-summary]');

    await page.goto(url + '#/new');
    await page.waitForSelector('select[name=channel]');
    await page.select('select[name=channel]', 'Visit');
    await page.type('input[name="petitioners.0.name"]', '张三');
    await page.type('input[name="petitioners.0.phone"]', '13800138000');
    await page.type('input[name="petitioners.0.address"]', '城关镇东街1号');
    await page.type('input[name=title]', '拖欠工资');
    await page.type('textarea[name=request]', '请求督促某建筑公司支付拖欠的三个月工资');
    await page.type('textarea[name=facts]', '2026年以来公司以资金紧张为由拖欠工资');
    await page.select('select[name=category]', 'LabourSocialSecurity');
    await page.select('select[name=petition_type]', 'Claim');
    await page.select('select[name=township]', '城关镇');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=case-no]');
    assert.match(await text(page, '[data-testid=case-no]'), /^XF01-\d{4}-00001$/);

    await page.reload();
    await unlock(page);
    await page.waitForSelector('[data-testid=case-title]');
    assert.equal(await text(page, '[data-testid=case-title]'), '拖欠工资');
    await browser.close();

    ({ browser, page, errors } = await start(profile));
    await page.goto(url + '#/cases');
    await unlock(page);
    await page.waitForSelector('[data-testid=list-summary]');
    assert.match(await text(page, '[data-testid=list-summary]'), /共 1 件/);
    // As in Chromium, every local file shares one store: a copy elsewhere sees the case.
    const other = mkdtempSync(join(tmpdir(), 'xinfang-ff2-'));
    copyFileSync(join(DIST, 'xinfang.html'), join(other, 'copy.html'));
    await page.goto(pathToFileURL(join(other, 'copy.html')).href + '#/cases');
    await unlock(page);
    await page.waitForSelector('[data-testid=list-summary]');
    assert.match(await text(page, '[data-testid=list-summary]'), /共 1 件/);
    rmSync(other, { recursive: true, force: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
