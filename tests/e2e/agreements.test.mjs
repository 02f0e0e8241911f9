// 信访工作责任状 as a county office uses it: the form refuses what is wrong field by field,
// an agreement with 城关镇 is signed, its cases are registered through the year, and at
// year end the 考核表 shows the 集体访 target missed, opening the case behind it; the
// 考核表 is exported to Excel and printed with the agreement, and a backup carries it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, submitRegistration, download, readXlsx, chinaDate, unlock, backupInto } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('a township agreement scored at year end, one target missed, opens the case behind it', async () => {
  const office = new Profile();
  const fresh = new Profile();
  try {
    const page = await office.start(server.url);
    await setUpUnit(page);
    const year = Number(chinaDate(0).slice(0, 4));

    // Two petitions of 城关镇 this year, one of them a group petition of 12.
    await page.goto(server.url + '#/new');
    await fillPetition(page, { title: '建筑工地拖欠工资' });
    await submitRegistration(page);
    await page.goto(server.url + '#/new');
    await fillPetition(page, { title: '村民集体反映征地补偿', category: 'LandExpropriation' });
    await page.fill('input[name=head_count]', '12');
    await submitRegistration(page);
    const groupNo = await page.textContent('[data-testid=case-no]');

    // The form names what is missing, and a bound out of range, next to the field.
    await page.goto(server.url + '#/agreements/new');
    await page.click('[data-testid=new-agreement] button[type=submit]');
    await page.waitForSelector('label.field.invalid:has([name=Party]) .error');
    await page.waitForSelector('[data-testid=new-agreement] .error:has-text("请至少填写一项考核指标")');
    await page.check('input[name=Kind][value=Township]');
    await page.fill('input[name=Party]', '城关镇');
    await page.fill('input[name=Year]', String(year));
    await page.fill('input[name=goal_OnTimeAnswer]', '120');
    await page.click('[data-testid=new-agreement] button[type=submit]');
    await page.waitForSelector('label.field.invalid:has([name=goal_OnTimeAnswer]) .error:has-text("0 到 100")');
    await page.fill('input[name=goal_OnTimeAnswer]', '90');
    await page.fill('input[name=goal_Group]', '0');
    await page.fill('input[name=goal_SkipLevel]', '1');
    await page.fill('input[name=SignedOn]', `${year}-01-08`);
    await page.fill('input[name=CountySignatory]', '赵振华（县长）');
    await page.fill('input[name=PartySignatory]', '钱进（镇长）');
    await page.click('[data-testid=new-agreement] button[type=submit]');
    await page.waitForSelector(`h1:has-text("城关镇 ${year} 年度信访工作责任状")`);
    await page.waitForSelector('[data-testid=scorecard]');
    assert.match(await page.textContent('.card .hint'), /尚未结束/);

    // A second agreement with the same township for the same year is refused.
    await page.goto(server.url + '#/agreements/new');
    await page.check('input[name=Kind][value=Township]');
    await page.fill('input[name=Party]', '城关镇');
    await page.fill('input[name=Year]', String(year));
    await page.fill('input[name=goal_Group]', '3');
    await page.fill('input[name=SignedOn]', `${year}-01-09`);
    await page.fill('input[name=CountySignatory]', '赵振华（县长）');
    await page.fill('input[name=PartySignatory]', '钱进（镇长）');
    await page.click('[data-testid=new-agreement] button[type=submit]');
    await page.waitForSelector('.msg.bad:has-text("不要重复签订")');
    await page.click('button:has-text("清空草稿")');

    // Year end: the office opens the agreements in January of the next year.
    await page.clock.setSystemTime(new Date(`${year + 1}-01-06T09:00:00+08:00`));
    await page.goto(server.url + '#/agreements');
    await page.reload();
    await unlock(page);
    await page.selectOption('select[name=year]', String(year));
    const row = page.locator(`[data-testid=agreements] tr[data-party="城关镇"]`);
    await row.waitFor();
    assert.equal(await row.locator('[data-testid=missed]').textContent(), '1');
    await page.fill('input[name=agreement_query]', '东岭');
    await page.waitForSelector('.empty:has-text("没有找到")');
    await page.fill('input[name=agreement_query]', '钱进');
    await row.waitFor();

    const xlsx = readXlsx(await download(page, 'button:has-text("导出 Excel")'));
    assert.deepEqual(xlsx[0].slice(0, 7), ['年度', '责任单位', '类型', '考核指标', '目标', '实际', '结果']);
    const group = xlsx.find((r) => r[3] === '集体访');
    assert.deepEqual(group.slice(1, 7), ['城关镇', '乡镇', '集体访', '≤ 0 件', '1 件', '未达标']);
    assert.equal(xlsx.find((r) => r[3] === '越级访')[6], '达标');

    await row.locator('a').click();
    await page.waitForSelector('[data-testid=scorecard]');
    assert.match(await page.textContent('section.card:has([data-testid=scorecard]) .hint'), new RegExp(`考核期 ${year}-01-01 至 ${year}-12-31`));
    const missed = page.locator('[data-testid=scorecard] tr[data-goal=Group]');
    assert.equal(await missed.getAttribute('data-verdict'), 'missed');
    assert.equal(await page.locator('[data-testid=scorecard] tr[data-goal=SkipLevel]').getAttribute('data-verdict'), 'met');
    await missed.locator('[data-testid=behind]').click();
    await page.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    assert.match(await page.textContent('table.cases'), new RegExp(groupNo));

    // Printed: the agreement, and its 考核表 on the next page.
    await page.goBack();
    await page.click('a:has-text("打印责任状和考核表")');
    await page.waitForSelector('[data-testid=document]:has-text("乙方：城关镇")');
    assert.match(await page.textContent('main'), /集体访 ≤ 0 件[\s\S]*考核表[\s\S]*未达标/);

    // A backup carries the agreement into a fresh browser.
    const b = await backupInto(page, fresh, server.url);
    await b.goto(server.url + '#/agreements');
    await b.selectOption('select[name=year]', String(year));
    await b.waitForSelector('[data-testid=agreements] tr[data-party="城关镇"]');
    assert.deepEqual([...office.errors, ...fresh.errors], []);
  } finally {
    await office.dispose();
    await fresh.dispose();
  }
});
