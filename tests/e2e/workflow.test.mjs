// One case walked through the statutory workflow in the UI, from 登记 to 终结: the
// stage and due date at each step, refused steps with their rule, the workbench, and
// the printed 受理告知书.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, chinaDate, takeStep, waitStage, submitRegistration } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('walk a case from 登记 to 终结', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);

    // A letter received 20 days ago: routing (15 days) is overdue.
    await page.goto(server.url + '#/new');
    await fillPetition(page, { channel: 'Letter', title: '征地补偿款未发放', id: '110101199003070038' });
    await page.fill('input[name=received_on]', chinaDate(-20));
    await submitRegistration(page);
    await page.waitForSelector('[data-testid=case-no]');
    const caseNo = await page.textContent('[data-testid=case-no]');
    await waitStage(page, '待分流');
    assert.match(await page.textContent('[data-testid=due]'), /分流期限 .*已超期/);

    // The workbench lists it as overdue and awaiting routing.
    await page.click('.topbar a:has-text("工作台")');
    await page.waitForSelector('[data-bucket=Overdue]');
    assert.match(await page.textContent('[data-bucket=Overdue]'), new RegExp(caseNo));
    assert.match(await page.textContent('[data-bucket=AwaitingRouting]'), new RegExp(caseNo));
    await page.click(`[data-bucket=Overdue] a:has-text("${caseNo}")`);
    await waitStage(page, '待分流');

    // Only routing is offered; accept it.
    const offered = await page.locator('[data-testid=steps] .step-buttons button').allTextContents();
    assert.deepEqual(offered, ['分流', '督办']);
    await takeStep(page, '分流', { how: 'accept' });
    await waitStage(page, '办理中');
    assert.match(await page.textContent('[data-testid=due]'), /书面受理告知期限/);

    // The opinion before the written acceptance notice is refused, naming the rule.
    await takeStep(page, '处理意见书', { kind: 'Support', facts: '补偿款确未发放', basis: '《土地管理法》第四十八条' });
    await page.waitForSelector('[data-testid=steps] .msg.bad');
    assert.match(await page.textContent('[data-testid=steps] .msg.bad'), /第二十三条.*应先书面告知/);
    await waitStage(page, '办理中');

    await takeStep(page, '受理告知');
    await page.waitForSelector('[data-testid=due]:has-text("出具处理意见书期限")');
    const due = /出具处理意见书期限 (\d{4}-\d{2}-\d{2})/.exec(await page.textContent('[data-testid=due]'))[1];

    // The printed 受理告知书 carries the same computed date and the unit's name.
    await page.click('[data-testid=documents] a:has-text("受理告知书")');
    await page.waitForSelector('[data-testid=document]');
    const doc = await page.textContent('[data-testid=document]');
    assert.match(doc, /受理告知书/);
    assert.ok(doc.includes(`${due} 前出具书面处理意见`), doc);
    assert.match(doc, /某某县信访局/);
    await page.click('a:has-text("返回案件")');
    await waitStage(page, '办理中');

    // An extension over 30 days is refused; 10 days moves the due date.
    await takeStep(page, '延期', { days: '31', text: '需要现场核查' });
    await page.waitForSelector('[data-testid=steps] .msg.bad:has-text("不得超过 30 日")');
    await takeStep(page, '延期', { days: '10', approver: '张局长', text: '需要现场核查' });
    await page.waitForFunction((old) => !document.querySelector('[data-testid=due]')?.textContent.includes(old), due);
    assert.ok(!(await page.locator('[data-testid=steps] button', { hasText: '延期' }).count()), 'extension is offered only once');

    await takeStep(page, '处理意见书', { kind: 'Support', facts: '补偿款确未发放', basis: '《土地管理法》第四十八条' });
    await waitStage(page, '已答复');
    assert.match(await page.textContent('[data-testid=due]'), /复查申请期/);
    await takeStep(page, '评价', { rating: 'Unsatisfied', text: '金额有异议' });
    await page.waitForSelector('[data-testid=history]:has-text("信访人评价：不满意")');

    // The county's own opinion is reviewed above it: here by a city that works on paper,
    // whose review the county records.
    await takeStep(page, '复查申请', { text: '补偿标准过低' });
    await page.waitForSelector('[data-testid=steps] .msg.bad:has-text("上级单位受理")');
    await takeStep(page, '复查申请', { text: '补偿标准过低', reviewer: '某某市信访局' });
    await waitStage(page, '复查中');
    assert.match(await page.textContent('[data-testid=due]'), /出具复查意见期限/);
    await takeStep(page, '复查意见', { kind: 'Explain', text: '补偿标准符合规定' });
    await waitStage(page, '复查已答复');
    await takeStep(page, '复核申请', { text: '仍有异议', reviewer: '某某省信访局' });
    await waitStage(page, '复核中');
    await takeStep(page, '复核意见', { kind: 'Reject', text: '维持复查意见' });
    await waitStage(page, '复核已答复');
    await takeStep(page, '终结', { text: '三级终结' });
    await waitStage(page, '已终结');
    assert.equal(await page.locator('[data-testid=steps] .step-buttons button').count(), 0);
    assert.match(await page.textContent('[data-testid=history]'), /终结：三级终结/);

    // Closed: gone from the workbench.
    await page.click('.topbar a:has-text("工作台")');
    await page.waitForSelector('[data-bucket=Overdue]');
    assert.doesNotMatch(await page.textContent('main'), new RegExp(caseNo));

    // The same person on the same matter again: 不再受理 is warned, then allowed.
    await page.goto(server.url + '#/new');
    await fillPetition(page, { channel: 'Visit', title: '再次反映征地补偿', id: '110101199003070038' });
    await page.click('form button[type=submit]');
    await page.waitForSelector(`.msg.bad:has-text("${caseNo}")`);
    assert.match(await page.textContent('.msg.bad'), /不再受理/);
    await page.click('button:has-text("仍然登记")');
    await page.waitForSelector('[data-testid=case-no]');
    const repeatNo = await page.textContent('[data-testid=case-no]');
    assert.notEqual(repeatNo, caseNo);

    // Marked as a repeat of the first case: linked both ways.
    await page.fill('input[name=repeat_of]', caseNo);
    await page.click('.repeat-link button');
    await page.waitForSelector(`[data-testid=links]:has-text("${caseNo}")`);
    assert.match(await page.textContent('.badges'), /重复访/);
    await page.click(`[data-testid=links] a:has-text("${caseNo}")`);
    await page.waitForSelector(`[data-testid=links]:has-text("被重复反映")`);
    assert.match(await page.textContent('[data-testid=links]'), new RegExp(repeatNo));
    assert.deepEqual(profile.errors, []);
  } finally {
    await profile.dispose();
  }
});

test('supervision: an order shows on the case and the workbench until feedback', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/new');
    await fillPetition(page, { id: '' });
    await page.fill('input[name=received_on]', chinaDate(-5));
    await submitRegistration(page);
    await waitStage(page, '待分流');
    await takeStep(page, '督办', { text: '久拖不决', feedback_due: chinaDate(-1), on: chinaDate(-3) });
    await page.waitForSelector('[data-testid=supervisions] li.overdue:has-text("久拖不决")');
    await page.click('.topbar a:has-text("工作台")');
    await page.waitForSelector('[data-bucket=SupervisionOverdue] a');
    await page.click('[data-bucket=SupervisionOverdue] a >> nth=0');
    await waitStage(page, '待分流');
    await takeStep(page, '督办反馈', { order: { index: 1 }, text: '已约谈责任单位' });
    await page.waitForSelector('[data-testid=history]:has-text("督办反馈：已约谈责任单位")');
    assert.equal(await page.locator('[data-testid=supervisions] li').count(), 0);
  } finally {
    await profile.dispose();
  }
});

test('editing the holiday calendar moves deadlines; a bad line is refused', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    await page.goto(server.url + '#/new');
    await fillPetition(page, { id: '' });
    await submitRegistration(page);
    await waitStage(page, '待分流');
    const caseUrl = page.url();
    const due = /分流期限 (\d{4}-\d{2}-\d{2})/.exec(await page.textContent('[data-testid=due]'))[1];

    await page.goto(server.url + '#/settings');
    const calendar = page.locator('textarea[name=calendar]');
    await calendar.waitFor();
    const shipped = await calendar.inputValue();
    await calendar.fill(shipped + '\n2026-13-40 休\n');
    await page.click('button:has-text("保存节假日安排")');
    await page.waitForSelector('#calendar .msg.bad:has-text("无法识别")');

    await calendar.fill(`${shipped}\n${due} 休\n`);
    await page.click('button:has-text("保存节假日安排")');
    await page.waitForSelector('#calendar .msg.ok');
    await page.goto(caseUrl);
    await waitStage(page, '待分流');
    const moved = /分流期限 (\d{4}-\d{2}-\d{2})/.exec(await page.textContent('[data-testid=due]'))[1];
    assert.ok(moved > due, `${moved} should be after the new holiday ${due}`);
    // The list row was recomputed too.
    await page.goto(server.url + '#/cases');
    await page.waitForSelector('table.cases');
    assert.match(await page.textContent('table.cases tbody'), new RegExp(moved));
  } finally {
    await profile.dispose();
  }
});

test('a year without its holiday schedule: deadlines marked 暂定 until the pasted notice is saved', async () => {
  const profile = new Profile();
  try {
    const page = await profile.start(server.url);
    await setUpUnit(page);
    // A calendar with nothing in it: every year is without its schedule.
    await page.goto(server.url + '#/settings');
    const calendar = page.locator('textarea[name=calendar]');
    await calendar.waitFor();
    await calendar.fill('');
    await page.click('button:has-text("保存节假日安排")');
    await page.waitForSelector('#calendar .msg.ok');
    // The warning for next year's schedule shows from December on.
    const december = chinaDate().slice(5, 7) === '12';
    assert.equal(await page.locator('#calendar [data-testid=calendar-missing]').count(), december ? 1 : 0);

    await page.goto(server.url + '#/new');
    await fillPetition(page, { id: '' });
    await submitRegistration(page);
    await waitStage(page, '待分流');
    const caseUrl = page.url();
    await page.waitForSelector('[data-testid=due-provisional]:has-text("暂定")');
    const due = /分流期限 (\d{4})-\d{2}-\d{2}/.exec(await page.textContent('[data-testid=due]'))[1];
    await page.goto(server.url + '#/workbench');
    await page.waitForSelector('[data-bucket=AwaitingRouting] td:has-text("暂定")');
    assert.equal(await page.locator('[data-testid=calendar-missing]').count(), december ? 1 : 0);

    // The State Council notice for that year, pasted: its days fill the calendar text.
    await page.goto(server.url + '#/settings');
    await page.locator('textarea[name=notice]').fill('没有年份的一段话');
    await page.click('button:has-text("识别通知")');
    await page.waitForSelector('#calendar .msg.bad:has-text("没有找到年份")');
    assert.equal(await calendar.inputValue(), '', 'a notice not read changes nothing');
    await page.locator('textarea[name=notice]').fill(
      `国务院办公厅关于${due}年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。`);
    await page.click('button:has-text("识别通知")');
    await page.waitForSelector(`#calendar .msg.ok:has-text("已识别 ${due} 年安排：放假 10 天，调休上班 2 天")`);
    const text = await calendar.inputValue();
    assert.match(text, new RegExp(`${due}-10-01\\.\\.${due}-10-07 休`));
    assert.match(text, new RegExp(`${due}-09-26 班`));
    await page.click('button:has-text("保存节假日安排")');
    await page.waitForSelector('#calendar .msg.ok:has-text("已保存")');
    await page.goto(caseUrl);
    await waitStage(page, '待分流');
    assert.equal(await page.locator('[data-testid=due-provisional]').count(), 0);
  } finally {
    await profile.dispose();
  }
});
