// The forms an office prints, each from one case's real data on an A4 page: the
// registration form of a visit and of a letter, 转送单 and 交办单 with their tear-off 回执,
// the 告知书 of 告知 and of 导入法定途径, the 送达回证; and a batch of the ticked cases as
// one print job, a page each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, takeStep, waitStage, chinaDate } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

/** Pages in a PDF of the page as printed. */
async function printedPages(page) {
  await page.emulateMedia({ media: 'print' });
  const pdf = (await page.pdf({ format: 'A4', printBackground: true })).toString('latin1');
  await page.emulateMedia({ media: 'screen' });
  return (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
}

/** Opens the case's document `label` and resolves to its text, checked to print on one page. */
async function printed(page, label) {
  await page.click(`[data-testid=documents] a:has-text("${label}")`);
  await page.waitForSelector('[data-testid=document]');
  const text = await page.textContent('[data-testid=document]');
  assert.equal(await printedPages(page), 1, `${label} prints on one A4 page`);
  await page.click('a:has-text("返回案件")');
  return text;
}

test('each form prints one case on A4; the ticked cases print as one job', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    const register = async (over) => {
      await page.goto(server.url + '#/new');
      await fillPetition(page, over);
      await submitRegistration(page);
      await waitStage(page, '待分流');
      return page.textContent('[data-testid=case-no]');
    };

    // A visit, forwarded: its registration form and the 转送单 with the 回执.
    const visit = await register({ channel: 'Visit', title: '拖欠工资' });
    let text = await printed(page, '信访事项登记表（来访）');
    assert.match(text, /来访日期/);
    assert.match(text, /11010519491231002X/);
    assert.match(text, new RegExp(visit));
    assert.match(text, /接谈人王五/);
    assert.match(text, /信访人1张三　身份证号 11010519491231002X/);
    await takeStep(page, '分流', { how: 'forward', target: '县人社局' });
    await waitStage(page, '已转送');
    text = await printed(page, '转送单');
    assert.match(text, /县人社局：/);
    assert.match(text, /回　执/);
    assert.match(text, /沿此线剪下/);
    assert.match(text, new RegExp(`你单位于 ${chinaDate()} 转送的“拖欠工资”信访事项`));

    // A letter, assigned: the letter's form and the 交办单.
    const letter = await register({ channel: 'Letter', title: '征地补偿款未发放', phone: '13800138001' });
    text = await printed(page, '信访事项登记表（来信）');
    assert.match(text, /来信日期/);
    assert.doesNotMatch(text, /来访人数/);
    await takeStep(page, '分流', { how: 'assign', target: '城关镇人民政府', report_due: chinaDate(10) });
    await waitStage(page, '已交办');
    text = await printed(page, '交办单');
    assert.match(text, /交办的“征地补偿款未发放”信访事项/);

    // 告知: the 告知书 and its 送达回证.
    const told = await register({ title: '商品质量纠纷', phone: '13800138002' });
    await takeStep(page, '分流', { how: 'redirect', target: '县市场监督管理局' });
    await waitStage(page, '已告知');
    text = await printed(page, '告知书');
    assert.match(text, /请你（们）向县市场监督管理局提出/);
    assert.match(text, /第二十三条/);
    text = await printed(page, '送达回证');
    assert.match(text, new RegExp(`告知书（${chinaDate()}）`));
    assert.match(text, /受送达人签收/);

    // 导入法定途径.
    await register({ title: '劳动合同纠纷', phone: '13800138003' });
    await takeStep(page, '分流', { how: 'divert', target: '劳动仲裁' });
    await waitStage(page, '已导入法定途径');
    text = await printed(page, '导入法定途径告知书');
    assert.match(text, /通过劳动仲裁程序主张权利/);

    // The four cases ticked: their registration forms, one each, as one print job.
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 4 件")');
    for (const box of await page.locator('table.cases input[name=select]').all()) await box.check();
    await page.selectOption('select[name=batch_kind]', 'RegistrationLetter');
    await page.click('[data-testid=batch-print]');
    await page.waitForSelector('[data-testid=batch-summary]:has-text("共 4 份")');
    assert.equal(await page.locator('[data-testid=document]').count(), 4);
    assert.equal(await page.locator('[data-testid=document]:has-text("信访事项登记表（来访）")').count(), 3);
    assert.equal(await page.locator('[data-testid=document]:has-text("信访事项登记表（来信）")').count(), 1);
    assert.match(await page.textContent('[data-testid=document] >> nth=0'), new RegExp(visit));
    assert.equal(await printedPages(page), 4, 'one print job, a page per case');

    // The 转送单 of all four: only the forwarded one has it; the others are named.
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 4 件")');
    for (const box of await page.locator('table.cases input[name=select]').all()) await box.check();
    await page.selectOption('select[name=batch_kind]', 'ForwardSlip');
    await page.click('[data-testid=batch-print]');
    await page.waitForSelector('[data-testid=batch-summary]:has-text("共 1 份")');
    assert.match(await page.textContent('[data-testid=batch-missing]'), new RegExp(letter));
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});
