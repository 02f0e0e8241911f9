// 领导包案与批示 as an office uses them: a case given its 包案领导 (the same leader twice
// refused), a 批示 (an empty one refused), and the leaders' page counting the cases each
// owns and instructed, a count opening its cases, the table exported to Excel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, download, readXlsx, chinaDate } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('a case owned by a leader, with a 批示, counts on the leaders page', async () => {
  const office = new Profile();
  try {
    const page = await office.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/new');
    await fillPetition(page, { title: '建筑工地拖欠工资' });
    await submitRegistration(page);
    const caseNo = await page.textContent('[data-testid=case-no]');

    await page.fill('input[name=case_leader]', '李明（副县长）');
    await page.click('[data-testid=assign-leader] button[type=submit]');
    await page.waitForSelector('[data-testid=case-leader]:has-text("包案领导：李明（副县长）")');
    await page.fill('input[name=case_leader]', '李明（副县长）');
    await page.click('[data-testid=assign-leader] button[type=submit]');
    await page.waitForSelector('[data-testid=leaders-panel] .msg.bad:has-text("包案领导已是")');

    await page.fill('input[name=instruct_leader]', '赵刚（县长）');
    await page.click('[data-testid=instruct] button[type=submit]');
    await page.waitForSelector('[data-testid=leaders-panel] .msg.bad:has-text("请填写批示内容")');
    await page.fill('input[name=instruct_text]', '请县人社局三日内答复当事人');
    await page.click('[data-testid=instruct] button[type=submit]');
    await page.waitForSelector('[data-testid=instructions] li:has-text("三日内答复")');
    assert.match(await page.textContent('[data-testid=history]'), /领导包案[\s\S]*领导批示/);

    // The leaders' page: one case owned and open; the count opens it.
    await page.goto(server.url + '#/leaders');
    const li = page.locator('[data-testid=leaders] tr[data-leader="李明（副县长）"]');
    await li.waitFor();
    assert.equal(await li.locator('[data-count=owned]').textContent(), '1');
    assert.equal(await li.locator('[data-count=open]').textContent(), '1');
    assert.equal(await li.locator('[data-count=resolved]').textContent(), '0');
    const zhao = page.locator('[data-testid=leaders] tr[data-leader="赵刚（县长）"]');
    assert.equal(await zhao.locator('[data-count=instructed]').textContent(), '1');
    const xlsx = await download(page, 'button:has-text("导出 Excel")');
    const rows = readXlsx(xlsx);
    assert.ok(rows[0].includes('包案件数'));
    const mine = rows.find((r) => r[0] === '李明（副县长）');
    assert.equal(mine[rows[0].indexOf('包案件数')], 1);
    await li.locator('[data-count=owned] button').click();
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    assert.match(await page.textContent('table.cases'), new RegExp(caseNo));
    assert.deepEqual(office.errors, []);
  } finally {
    await office.dispose();
  }
});

test('a visit registered on a leaders reception day is received by that leader', async () => {
  const office = new Profile();
  try {
    const page = await office.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/receptions');
    await page.click('[data-testid=new-reception] button[type=submit]');
    await page.waitForSelector('label.field.invalid:has([name=Leader]) .error');
    await page.fill('input[name=Leader]', '王强（常务副县长）');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('input[name=Leader]')?.value === '王强（常务副县长）');
    await page.fill('input[name=Day]', chinaDate(0));
    await page.fill('input[name=Place]', '县信访局接待大厅');
    await page.click('[data-testid=new-reception] button[type=submit]');
    await page.waitForSelector(`[data-testid=receptions] td:has-text("${chinaDate(0)}")`);
    assert.equal(await page.inputValue('input[name=Leader]'), '', 'the draft is gone with the save');
    const sheet = readXlsx(await download(page, 'button:has-text("导出 Excel")'));
    assert.deepEqual(sheet[0], ['接待日期', '接访领导', '接待地点', '接待事项']);
    assert.equal(sheet[1][1], '王强（常务副县长）');

    // The day's place changes, with its reason (refused without one), kept in its history.
    await page.click(`[data-testid=receptions] a:has-text("${chinaDate(0)}")`);
    await page.fill('[data-testid=revise-reception] input[name=Place]', '县政务服务中心二楼');
    await page.click('[data-testid=revise-reception] button[type=submit]');
    await page.waitForSelector('[data-testid=revise-reception] .msg.bad:has-text("请填写修改原因")');
    await page.fill('[data-testid=revise-reception] input[name=reason]', '接待大厅维修');
    await page.click('[data-testid=revise-reception] button[type=submit]');
    await page.waitForSelector('[data-testid=entry-history] li:has-text("调整接待日")');
    assert.match(await page.textContent('[data-testid=entry-history]'), /接待大厅维修[\s\S]*县信访局接待大厅[\s\S]*县政务服务中心二楼/);
    assert.equal(await page.textContent('td[data-field=Place]'), '县政务服务中心二楼');

    // A letter is not received by a leader; a visit on the day is.
    await page.goto(server.url + '#/new');
    await fillPetition(page, { channel: 'Letter', title: '来信反映噪音扰民' });
    assert.equal(await page.locator('[data-testid=reception-day]').count(), 0);
    await page.selectOption('select[name=channel]', 'Visit');
    await page.waitForSelector('[data-testid=reception-day]:has-text("由 王强（常务副县长） 接访")');
    await submitRegistration(page);
    await page.waitForSelector('[data-testid=received-by]:has-text("王强（常务副县长）")');
    assert.match(await page.textContent('[data-testid=history]'), /领导接访/);

    await page.goto(server.url + '#/leaders');
    const row = page.locator('[data-testid=leaders] tr[data-leader="王强（常务副县长）"]');
    await row.waitFor();
    assert.equal(await row.locator('[data-count=reception_days]').textContent(), '1');
    assert.equal(await row.locator('[data-count=received]').textContent(), '1');
    assert.deepEqual(office.errors, []);
  } finally {
    await office.dispose();
  }
});
