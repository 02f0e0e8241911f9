// Two profiles, a citizen and an office: the office publishes its config, the citizen
// reads the guide, fills the petition with an attachment (the draft survives a reload),
// submits and saves the signed file; the office imports it as a 网上 case; a second
// import is skipped and a changed file is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, Profile, setUpUnit, fillPetition, takeStep, waitStage } from './harness.mjs';
import { flipCiphertext } from './forge.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.close(); });

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return file.path();
}

test('a citizen petitions online and the office registers it', async () => {
  const plain = await serveDist();
  servers.push(plain);
  const office = new Profile();
  const citizen = new Profile();
  const work = mkdtempSync(join(tmpdir(), 'xinfang-citizen-'));
  try {
    const o = await office.start(plain.url);
    await setUpUnit(o, { name: '某某县信访局', code: 'XF01' });
    await o.goto(plain.url + '#/exchange');
    const configPath = await download(o, 'button:has-text("导出网上信访配置文件")');
    const config = readFileSync(configPath, 'utf8');

    // Without a config the page explains it cannot submit; with it, it can.
    const c = await citizen.start(plain.url + '#/petition');
    await c.waitForSelector('[data-testid=config-missing]');
    assert.match(await c.textContent('.guide'), /15 日内书面告知/);
    const site = await serveDist({ 'xinfang-config.json': config });
    servers.push(site);
    await c.goto(site.url + '#/petition');
    await c.waitForSelector('select[name=channel]');
    assert.match(await c.textContent('.topbar'), /受理单位：某某县信访局/);

    await fillPetition(c, { channel: 'Online', title: '小区污水外溢', category: 'Environment', id: '' });
    const photo = join(work, '现场照片.png');
    writeFileSync(photo, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    await c.setInputFiles('input[name=attachments]', photo);
    await c.waitForSelector('[data-testid=attachments] li:has-text("现场照片.png")');
    await c.waitForTimeout(300);
    await c.reload();
    await c.waitForFunction(() => document.querySelector('input[name=title]')?.value === '小区污水外溢');
    await c.waitForSelector('[data-testid=attachments] li:has-text("现场照片.png")');
    await c.click('button:has-text("提交并生成信访件")');
    await c.waitForSelector('[data-testid=receipt]');
    const code = (await c.textContent('[data-testid=receipt-code]')).trim();
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    assert.equal(await c.locator('[data-testid=receipt] svg.qr path').count(), 1);
    assert.match(await c.textContent('[data-testid=receipt-next]'), /15 日内书面告知/);
    const submission = await download(c, 'button:has-text("保存信访件文件")');
    // Encrypted to the office: nothing the citizen wrote is readable in the file.
    const written = readFileSync(submission, 'utf8');
    for (const text of ['张三', '13800138000', '城关镇东街1号', '小区污水外溢']) {
      assert.ok(!written.includes(text), `${text} is readable in the submission`);
    }
    assert.match(await c.textContent('[data-testid=my-submissions]'), new RegExp(code));

    // The office imports it: a 网上 case with the 查询码 and the attachment.
    await o.goto(plain.url + '#/exchange');
    await o.setInputFiles('input[name=submissions]', submission);
    await o.waitForSelector(`[data-testid=submission-results] tr.ok:has-text("${code}")`);
    await o.setInputFiles('input[name=submissions]', submission);
    await o.waitForSelector('[data-testid=submission-results] tr.skip:has-text("已导入过")');
    const changed = join(work, 'changed.json');
    flipCiphertext(submission, changed);
    await o.setInputFiles('input[name=submissions]', changed);
    await o.waitForSelector('[data-testid=submission-results] tr.bad:has-text("签名验证失败")');

    await o.goto(plain.url + '#/cases');
    await o.fill('input[name=q]', code);
    await o.press('input[name=q]', 'Enter');
    await o.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    await o.click('table.cases a:has-text("小区污水外溢")');
    await o.waitForSelector('[data-testid=query-code]');
    const caseUrl = o.url();
    assert.equal(await o.textContent('[data-testid=query-code]'), code);
    assert.match(await o.textContent('[data-testid=history]'), /现场照片\.png/);
    assert.match(await o.textContent('.facts'), /网上/);

    // The office answers; the citizen imports the reply and sees the documents.
    await takeStep(o, '分流', { how: 'accept' });
    await waitStage(o, '办理中');
    await takeStep(o, '受理告知');
    await o.waitForSelector('[data-testid=documents] a:has-text("受理告知书")');
    await takeStep(o, '处理意见书', { kind: 'Support', facts: '污水管道堵塞属实', basis: '《城镇排水与污水处理条例》' });
    await waitStage(o, '已答复');
    const reply = await download(o, 'button:has-text("导出答复文件")');
    await c.setInputFiles('input[name=reply]', reply);
    await c.waitForSelector('[data-testid=reply]');
    assert.match(await c.textContent('[data-testid=reply]'), /当前：已答复/);
    assert.match(await c.textContent('[data-testid=reply]'), /处理意见书.*受理告知书|受理告知书.*处理意见书/s);

    // The citizen rates it; the office imports the rating onto the case, once.
    await c.selectOption('select[name=rating]', 'Satisfied');
    await c.fill('input[name=comment]', '处理及时');
    const rating = await download(c, 'button:has-text("生成评价文件")');
    await o.goto(plain.url + '#/exchange');
    await o.setInputFiles('input[name=submissions]', rating);
    await o.waitForSelector('[data-testid=submission-results] tr.ok:has-text("已记录评价")');
    await o.setInputFiles('input[name=submissions]', rating);
    await o.waitForSelector('[data-testid=submission-results] tr.skip:has-text("已导入过")');
    await o.goto(caseUrl);
    await o.waitForSelector('[data-testid=history]:has-text("信访人评价：满意")');
    assert.match(await o.textContent('[data-testid=history]'), /网上评价：处理及时/);

    // A second browser claiming to be the same office cannot even read the submission:
    // it is encrypted to the real office's key. (A reply signed by another key is
    // refused on the citizen's page: tested natively.)
    const impostor = new Profile();
    try {
      const i = await impostor.start(plain.url);
      await setUpUnit(i, { name: '某某县信访局', code: 'XF01' });
      await i.goto(plain.url + '#/exchange');
      await i.setInputFiles('input[name=submissions]', submission);
      await i.waitForSelector('[data-testid=submission-results] tr.bad:has-text("加密发给“某某县信访局（XF01）”（密钥指纹")');
      assert.equal(await i.locator('[data-testid=submission-results] a').count(), 0);
    } finally {
      await impostor.dispose();
    }
    assert.deepEqual([...office.errors, ...citizen.errors.filter((e) => !/404/.test(e))], []);
  } finally {
    await office.dispose();
    await citizen.dispose();
  }
});
