// 应急预案 as an office uses them: a plan made (a missing field refused next to it), a
// group petition registered that meets it, the plan started from the registration, a
// handling record and the 事后总结 on the case, printed; the dashboard lists the plan
// started, and a backup carries plan and case into a fresh browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, fillPetition, backupInto } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('a group petition starts its plan; the summary is recorded, printed and kept by a backup', async () => {
  const office = new Profile();
  const fresh = new Profile();
  try {
    const page = await office.start(server.url);
    await setUpUnit(page);

    // Nothing is stored until the form is valid; each message sits by its field.
    await page.goto(server.url + '#/plans/new');
    await page.waitForSelector('h1:has-text("制定应急预案")');
    await page.click('form button[type=submit]');
    await page.waitForSelector('.msg.bad:has-text("未保存任何内容")');
    assert.match(await page.textContent('label.field.invalid:has([name=MinHeads]) .error'), /至少设定一项适用条件/);
    await page.fill('input[name=Name]', '征地拆迁群体访应急预案');
    await page.fill('input[name=MinHeads]', '5');
    await page.check('input[name=plan_category][value=LandExpropriation]');
    await page.fill('textarea[name=Units]', '县信访局接待科 0000-6123401\n县自然资源局');
    await page.fill('textarea[name=Steps]', '一、接待分流\n二、领导接访\n三、现场答复');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=entry-history]');
    assert.match(await page.textContent('td[data-field=MinHeads]'), /5 人以上/);

    // Registering a group petition about land: the plan shows at once and is ticked.
    await page.goto(server.url + '#/new');
    await fillPetition(page, { title: '东村村民集体反映征地补偿', category: 'LandExpropriation' });
    assert.equal(await page.locator('[data-testid=plan-matches]').count(), 0, 'one person does not meet it');
    await page.fill('input[name=head_count]', '12');
    await page.waitForSelector('[data-testid=plan-matches]:has-text("征地拆迁群体访应急预案")');
    await page.check('input[name=start_plan]');
    await page.click('form button[type=submit]');
    await page.locator('[data-testid=case-no], [data-testid=suggestions]').first().waitFor();
    if (await page.locator('[data-testid=suggestions]').count()) await page.click('button:has-text("仍然登记")');
    await page.waitForSelector('[data-testid=started-plan]');
    const caseUrl = page.url();
    const caseNo = await page.textContent('[data-testid=case-no]');
    assert.match(await page.textContent('[data-testid=started-plan]'), /征地拆迁群体访应急预案/);
    assert.match(await page.textContent('[data-testid=history]'), /启动应急预案/);

    // Handling records, then the summary: a missing part is refused by name.
    await page.fill('input[name=plan_note]', '县领导到场接访，自然资源局现场答复补偿政策');
    await page.click('[data-testid=plan-note] button[type=submit]');
    await page.waitForSelector('[data-testid=plan-notes] li:has-text("现场答复补偿政策")');
    await page.fill('textarea[name=summary_happened]', '12 名村民到县集体反映征地补偿');
    await page.fill('textarea[name=summary_lessons]', '补偿方案公示前应先入户解释');
    await page.click('[data-testid=plan-summarize] button[type=submit]');
    await page.waitForSelector('[data-testid=started-plan] .msg.bad:has-text("请填写有效做法")');
    await page.fill('textarea[name=summary_worked]', '领导接访与现场答复同步');
    await page.click('[data-testid=plan-summarize] button[type=submit]');
    await page.waitForSelector('[data-testid=plan-summary]');
    assert.equal(await page.locator('[data-testid=plan-note]').count(), 0, 'no more records after the summary');

    // Printable: an A4 page with the case, the records and the three parts.
    await page.click('a:has-text("打印事后总结")');
    await page.waitForSelector('[data-testid=document]');
    const doc = await page.textContent('[data-testid=document]');
    for (const part of ['应急处置事后总结', caseNo, '现场答复补偿政策', '领导接访与现场答复同步', '补偿方案公示前']) {
      assert.ok(doc.includes(part), part);
    }

    // The dashboard lists the plan started this month, summed up.
    await page.goto(server.url + '#/dashboard');
    await page.waitForSelector('[data-testid=plans-started]');
    assert.match(await page.textContent('[data-testid=plans-started]'), new RegExp(`${caseNo}[\\s\\S]*已总结`));

    // A backup carries the plan and the case's plan work into a fresh browser.
    const b = await backupInto(page, fresh, server.url);
    await b.waitForSelector('[data-testid=list-summary]:has-text("共 1 件")');
    await b.goto(server.url + '#/plans');
    await b.waitForSelector('[data-testid=plan-count]:has-text("共 1 份")');
    await b.goto(caseUrl.replace(/^.*#/, server.url + '#'));
    await b.waitForSelector('[data-testid=plan-summary]');
    assert.match(await b.textContent('[data-testid=plan-summary]'), /领导接访与现场答复同步/);
    assert.deepEqual([...office.errors, ...fresh.errors], []);
  } finally {
    await office.dispose();
    await fresh.dispose();
  }
});
