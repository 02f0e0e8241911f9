// Two browser profiles as two units: they exchange unit cards, the county hands a case
// to the township as a signed 交办 file, the township accepts it and reports, the county
// sends the report back, the township reports again and the county approves; importing
// twice changes nothing; a tampered file is refused, and so are the trusted township's
// hostile files (a second registration, the county's name, a changed record of the
// county's, a future or back-dated event, approving its own report).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, Profile, setUpUnit, unlock, fillPetition, chinaDate, takeStep, waitStage, submitRegistration, download, importFile, hand, openCase, OPERATOR } from './harness.mjs';
import { seedOf, resign, flipCiphertext } from './forge.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('county and township hand a case back and forth by signed files', async () => {
  const county = new Profile();
  const town = new Profile();
  const work = mkdtempSync(join(tmpdir(), 'xinfang-files-'));
  try {
    const c = await county.start(server.url);
    await setUpUnit(c, { name: '某某县信访局', code: 'XF01' });
    const t = await town.start(server.url);
    await setUpUnit(t, { name: '城关镇人民政府', code: 'CGZ01', operator: '李镇' });

    // Unit cards, checked by fingerprint before trusting.
    await c.goto(server.url + '#/exchange');
    const countyCard = await download(c, 'button:has-text("导出单位名片")');
    const countyFp = await c.textContent('[data-testid=own-fingerprint]');
    await t.goto(server.url + '#/exchange');
    const townCard = await download(t, 'button:has-text("导出单位名片")');
    const townFp = await t.textContent('[data-testid=own-fingerprint]');
    await importFile(c, townCard);
    assert.equal(await c.textContent('[data-testid=preview-fingerprint]'), townFp);
    await c.click('button:has-text("核对无误，信任此单位")');
    await c.waitForSelector('[data-testid=directory] td:has-text("CGZ01")');
    await importFile(t, countyCard);
    assert.equal(await t.textContent('[data-testid=preview-fingerprint]'), countyFp);
    await t.click('button:has-text("核对无误，信任此单位")');
    await t.waitForSelector('[data-testid=directory] td:has-text("XF01")');

    // The county registers a case, assigns it to the township and exports it.
    await c.goto(server.url + '#/new');
    await fillPetition(c, { title: '拖欠农民工工资', id: '' });
    await submitRegistration(c);
    await waitStage(c, '待分流');
    const caseNo = await c.textContent('[data-testid=case-no]');
    await takeStep(c, '分流', { how: 'assign', target: '城关镇人民政府', report_due: chinaDate(10) });
    await waitStage(c, '已交办');
    await c.selectOption('select[name=export_to]', 'CGZ01');
    const assignment = await download(c, 'button:has-text("导出交换文件")');
    // Encrypted to the township: who sends it to whom is visible, the case is not.
    const sent = readFileSync(assignment, 'utf8');
    for (const text of ['张三', '13800138000', '城关镇东街1号', '拖欠农民工工资']) {
      assert.ok(!sent.includes(text), `${text} is readable in the transfer`);
    }
    assert.match(sent, /"to": \{\s*"code": "CGZ01"/);

    // The township sees who signed it and what it adds, then imports it. The file is
    // verified in workers, off the page's thread: one per core, up to two, each checking
    // half of the events' signatures.
    const workers = [];
    t.on('worker', (w) => workers.push(w.url()));
    await importFile(t, assignment);
    await t.waitForSelector('[data-testid=preview]');
    assert.match(await t.textContent('[data-testid=signer]'), /签名单位：某某县信访局（已信任）/);
    assert.match(await t.textContent('[data-testid=plan]'), /新案件 1 件/);
    const perFile = (await t.evaluate(() => navigator.hardwareConcurrency)) >= 2 ? 2 : 1;
    assert.deepEqual(workers.map((u) => u.split('/').pop()), Array(perFile).fill('verify-worker.js'));
    assert.match(await t.textContent('[data-testid=plan-receipts]'), /其中 1 件转送、交办本单位办理/);
    await t.click('button:has-text("确认导入")');
    await t.waitForSelector('.msg.ok:has-text("已导入 2 条记录")');
    await openCase(t, caseNo);
    // At the township it is its own to accept, signed for on import.
    await waitStage(t, '待受理');
    assert.match(await t.textContent('[data-testid=history]'), /签收/);
    await takeStep(t, '受理');
    await waitStage(t, '办理中');
    await takeStep(t, '受理告知');
    await t.waitForSelector('[data-testid=due]:has-text("办结报告期限")');
    await takeStep(t, '办结报告', { text: '已协调企业支付部分欠薪' });
    await waitStage(t, '待审核');
    // Approving its own report is not the township's part.
    assert.equal(await t.locator('[data-testid=steps] button:has-text("审核通过")').count(), 0);
    const first = await (async () => {
      await t.selectOption('select[name=export_to]', 'XF01');
      await t.selectOption('select[name=export_purpose]', 'report');
      return download(t, 'button:has-text("导出交换文件")');
    })();

    // The county imports the report: the township's events are on the case.
    await importFile(c, first);
    await c.waitForSelector('[data-testid=plan]');
    assert.match(await c.textContent('[data-testid=plan]'), /已有案件新增记录 1 件/);
    // It says what the new records are and who wrote them.
    assert.match(await c.textContent('[data-testid=plan-authors]'), /城关镇人民政府 4 条/);
    assert.match(await c.textContent('[data-testid=preview]'), /办结报告（城关镇人民政府/);
    await c.click('button:has-text("确认导入")');
    await c.waitForSelector('.msg.ok:has-text("已导入 4 条记录")');
    await openCase(c, caseNo);
    await waitStage(c, '待审核');
    // Not good enough: sent back with reasons and a new date.
    await takeStep(c, '退回重办', { text: '请补齐欠薪支付凭证', report_due: chinaDate(5) });
    await waitStage(c, '办理中');
    await hand(c, t, 'CGZ01', 'assign');
    await openCase(t, caseNo);
    await waitStage(t, '办理中');
    assert.match(await t.textContent('[data-testid=history]'), /退回重办：请补齐欠薪支付凭证/);
    await t.goto(server.url + '#/workbench');
    await t.waitForSelector('[data-bucket=Returned] .count:has-text("1")');
    await openCase(t, caseNo);
    await takeStep(t, '办结报告', { text: '已协调企业支付全部欠薪' });
    await waitStage(t, '待审核');
    const report = await hand(t, c, 'XF01', 'report');
    await openCase(c, caseNo);
    await waitStage(c, '待审核');
    await takeStep(c, '审核通过');
    await waitStage(c, '已答复');
    assert.match(await c.textContent('[data-testid=history]'), /城关镇人民政府（CGZ01）.*经办人：李镇/s);
    // The township's record says which file and key it came with.
    assert.match(await c.textContent('[data-testid=via]'), /导入自“城关镇人民政府”签名的文件（密钥指纹 [0-9A-F ]+，文件 [0-9a-f]{12}）/);
    const events = await c.locator('[data-testid=history] li').count();

    // Importing the same file again changes nothing, and says so.
    await importFile(c, report);
    await c.waitForSelector('[data-testid=preview] .msg.ok:has-text("无需导入")');
    assert.equal(await c.locator('button:has-text("确认导入")').isDisabled(), true);

    // A tampered copy is refused with a clear message; the case is unchanged.
    const tampered = join(work, 'tampered.json');
    flipCiphertext(report, tampered);
    await importFile(c, tampered);
    await c.waitForSelector('.msg.bad:has-text("签名验证失败")');
    assert.equal(await c.locator('[data-testid=preview]').count(), 0);
    await openCase(c, caseNo);
    await waitStage(c, '已答复');
    assert.equal(await c.locator('[data-testid=history] li').count(), events);

    // The trusted township's hostile files, signed with its own key so only the
    // authorship rules can catch them: refused whole, with the reason, the case unchanged.
    const seed = await seedOf(t);
    const countySeed = await seedOf(c);
    const forged = (name, edit) => resign(report, join(work, name), seed, countySeed, (p) => edit(p.cases[0].events));
    const township = { unitCode: 'CGZ01', unitName: '城关镇人民政府', operator: '李镇' };
    const hostile = [
      ['second-registration.json', '一件案件、一条台账事项都只能登记一次', (events) => {
        const reg = events.find((e) => e.body.kind === 'registered');
        const petition = { ...reg.body.petition, title: '被冒改的标题' };
        events.push({ ...reg, ...township, id: 'f'.repeat(32), at: reg.at - 86_400_000, body: { ...reg.body, petition } });
      }],
      ['own-name.json', '本单位的记录只能在本机产生', (events) => {
        // Unsigned, as a relayed record of an older file would be.
        const { signature, ...last } = events[events.length - 1];
        events.push({ ...last, id: 'e'.repeat(32), unitCode: 'XF01', unitName: '某某县信访局', operator: '王五' });
      }],
      ['changed-relayed.json', '与其作者的签名不符', (events) => {
        // The county's own registration, relayed back with its title changed.
        const reg = events.find((e) => e.body.kind === 'registered');
        reg.body.petition.title = '被冒改的标题';
      }],
      ['changed-relayed-second.json', '与其作者的签名不符', (events) => {
        // A later county record, at an odd place in the file: the second worker's share
        // of the signatures (one worker per core verifies every other event).
        const i = events.findIndex((e, i) => i % 2 === 1 && e.unitCode === 'XF01' && e.signature);
        assert.ok(i > 0, 'a county record at an odd place');
        events[i].operator = '冒名';
      }],
      ['future.json', '晚于现在', (events) => {
        const last = events[events.length - 1];
        events.push({ ...last, id: 'd'.repeat(32), at: Date.now() + 86_400_000 });
      }],
      ['self-approved.json', '审核通过', (events) => {
        const last = events[events.length - 1];
        events.push({ ...last, id: 'b'.repeat(32), at: last.at + 60_000, body: { kind: 'step', step: { step: 'approve_report', on: chinaDate() } } });
      }],
      ['back-dated.json', '早于其登记时间', (events) => {
        const reg = events.find((e) => e.body.kind === 'registered');
        const last = events[events.length - 1];
        events.push({ ...last, id: 'c'.repeat(32), at: reg.at - 60_000 });
      }],
    ];
    for (const [name, reason, edit] of hostile) {
      await importFile(c, forged(name, edit));
      await c.waitForSelector(`.msg.bad:has-text("${reason}")`);
      assert.equal(await c.locator('[data-testid=preview]').count(), 0, name);
    }
    await openCase(c, caseNo);
    await waitStage(c, '已答复');
    assert.equal(await c.locator('[data-testid=history] li').count(), events);
    assert.doesNotMatch(await c.textContent('main'), /被冒改的标题/);

    // A file addressed to another unit is refused: it cannot even be decrypted here.
    await importFile(t, report);
    await t.waitForSelector('.msg.bad:has-text("加密发给“某某县信访局（XF01）”")');

    // Several cases selected in the list go in one file; what the receiver holds is skipped.
    await c.goto(server.url + '#/new');
    await fillPetition(c, { title: '道路破损', id: '' });
    await submitRegistration(c);
    await waitStage(c, '待分流');
    await c.goto(server.url + '#/cases');
    await c.waitForSelector('table.cases');
    await c.check('table.cases tbody tr:nth-child(1) input[name=select]');
    await c.check('table.cases tbody tr:nth-child(2) input[name=select]');
    await c.waitForSelector('[data-testid=selection]:has-text("已选 2 件")');
    await c.selectOption('[data-testid=selection] select[name=export_to]', 'CGZ01');
    await c.selectOption('[data-testid=selection] select[name=export_purpose]', 'copy');
    const both = await download(c, '[data-testid=selection] button:has-text("导出交换文件")');
    await importFile(t, both);
    await t.waitForSelector('[data-testid=plan]');
    assert.match(await t.textContent('[data-testid=plan]'), /新案件 1 件；已有案件新增记录 1 件；本机已有的记录 8 条/);
    assert.deepEqual([...county.errors, ...town.errors], []);
  } finally {
    await county.dispose();
    await town.dispose();
  }
});

test('where no worker can start, the page verifies the file itself, with the same results', async () => {
  // A host whose worker script fails as it starts (as where workers are not allowed).
  const broken = await serveDist({ 'verify-worker.js': "throw new Error('no worker here');" });
  const profile = new Profile();
  const vectors = new URL('../vectors/', import.meta.url).pathname;
  try {
    const page = await profile.start(broken.url);
    // Workers started are counted in the page: Playwright's own `worker` event can miss
    // one whose script throws as it starts (it is gone before it is attached).
    await page.addInitScript(() => {
      const Started = window.Worker;
      window.workersStarted = 0;
      window.Worker = class extends Started {
        constructor(...args) {
          super(...args);
          window.workersStarted += 1;
        }
      };
    });
    await setUpUnit(page, { name: '城关镇人民政府', code: 'CGZ01' });
    await page.reload();
    await unlock(page);
    await page.goto(broken.url + '#/exchange');
    await page.setInputFiles('input[name=bundle]', join(vectors, 'transfer-changed-character.json'));
    await page.waitForSelector('.msg.bad:has-text("签名验证失败")');
    // The vectors' own transfer is encrypted to test key B: not for this browser.
    await page.setInputFiles('input[name=bundle]', join(vectors, 'transfer-valid.json'));
    await page.waitForSelector('.msg.bad:has-text("加密发给“城关镇人民政府（CGZ01）”")');
    // Its version-2 copy, in clear, reads anywhere.
    await page.setInputFiles('input[name=bundle]', join(vectors, 'v2', 'transfer-valid.json'));
    await page.waitForSelector('[data-testid=plan]');
    assert.match(await page.textContent('[data-testid=plan]'), /新案件 3 件/);
    assert.match(await page.textContent('[data-testid=signer]'), /签名者不在信任名单中：文件自称来自 某某县信访局（XF01）/);
    const perFile = (await page.evaluate(() => navigator.hardwareConcurrency)) >= 2 ? 2 : 1;
    const started = await page.evaluate(() => window.workersStarted);
    assert.equal(started, 3 * perFile, 'workers were tried for each file');
  } finally {
    await profile.dispose();
    await broken.close();
  }
});

test('backup, then restore into a fresh browser: every case, setting and the key', async () => {
  const old = new Profile();
  const fresh = new Profile();
  try {
    const a = await old.start(server.url);
    await setUpUnit(a, { name: '某某县信访局', code: 'XF01' });
    for (const title of ['拖欠工资', '宅基地纠纷']) {
      await a.goto(server.url + '#/new');
      await fillPetition(a, { title, id: '' });
      await submitRegistration(a);
      await waitStage(a, '待分流');
    }
    await takeStep(a, '分流', { how: 'accept' });
    await waitStage(a, '办理中');
    await a.waitForSelector('[data-testid=backup-reminder]');

    await a.goto(server.url + '#/exchange');
    const fingerprint = await a.textContent('[data-testid=own-fingerprint]');
    await a.goto(server.url + '#/settings');
    await a.fill('input[name=backup_passphrase]', '短口令');
    await a.fill('input[name=backup_passphrase_again]', '短口令');
    await a.click('button:has-text("导出备份")');
    await a.waitForSelector('#backup .msg.bad:has-text("至少 12 个字符")');
    assert.match(await a.textContent('[data-testid=passphrase-hint]'), /太短/);
    await a.fill('input[name=backup_passphrase]', '县信访局备份口令2026');
    await a.fill('input[name=backup_passphrase_again]', '县信访局备份口令2026');
    const [file] = await Promise.all([a.waitForEvent('download'), a.click('button:has-text("导出备份")')]);
    const backup = await file.path();
    await a.waitForSelector('#backup .msg.ok:has-text("已导出备份")');
    // A lost stick exposes nothing: no name, phone or address is in the file as text.
    const written = readFileSync(backup, 'utf8');
    for (const text of ['张三', '13800138000', '城关镇东街1号', '拖欠工资', '宅基地纠纷']) {
      assert.ok(!written.includes(text), `${text} is readable in the backup`);
    }
    await a.reload();
    await a.waitForSelector('.topbar');
    assert.equal(await a.locator('[data-testid=backup-reminder]').count(), 0);

    // A fresh browser: restore from the first-run page.
    const b = await fresh.start(server.url);
    await b.waitForSelector('#restore');
    await b.setInputFiles('input[name=restore_file]', backup);
    await b.fill('input[name=restore_passphrase]', '错误的口令12345');
    await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
    await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
    await b.click('button:has-text("恢复")');
    await b.waitForSelector('#restore .msg.bad:has-text("口令不正确")');
    await b.setInputFiles('input[name=restore_file]', backup);
    await b.fill('input[name=restore_passphrase]', '县信访局备份口令2026');
    await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
    await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
    await b.click('button:has-text("恢复")');
    await b.waitForSelector('[data-testid=list-summary]:has-text("共 2 件")');
    assert.match(await b.textContent('.topbar .who'), /某某县信访局/);
    await b.click('table.cases a:has-text("宅基地纠纷")');
    await waitStage(b, '办理中');
    await b.goto(server.url + '#/exchange');
    assert.equal(await b.textContent('[data-testid=own-fingerprint]'), fingerprint);
    // Case numbers continue where they were.
    await b.goto(server.url + '#/new');
    await fillPetition(b, { title: '第三件', id: '' });
    await submitRegistration(b);
    await b.waitForSelector('[data-testid=case-no]');
    assert.match(await b.textContent('[data-testid=case-no]'), /-00003$/);
    assert.deepEqual([...old.errors, ...fresh.errors], []);
  } finally {
    await old.dispose();
    await fresh.dispose();
  }
});
