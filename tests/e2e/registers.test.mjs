// The working registers as a clerk uses them: a screening item recorded (a missing field
// refused next to it), followed up, found on the workbench, exported, converted into a
// case that links back to it, counted on the dashboard, and carried by a backup into a
// fresh browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, Profile, setUpUnit, chinaDate, download, readXlsx, OPERATOR } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

async function recordItem(page, { parties, matter, risk = 'High', found = chinaDate(-10), deadline = chinaDate(-2) }) {
  await page.goto(server.url + '#/screening/new');
  await page.waitForSelector('h1:has-text("登记排查事项")');
  await page.fill('input[name=FoundOn]', found);
  await page.selectOption('select[name=Township]', '城关镇');
  await page.fill('input[name=Village]', '东村');
  await page.selectOption('select[name=Category]', 'LandExpropriation');
  await page.fill('input[name=Parties]', parties);
  await page.fill('input[name=HeadCount]', '12');
  await page.fill('textarea[name=Matter]', matter);
  await page.selectOption('select[name=Risk]', risk);
  await page.fill('input[name=Responsible]', '城关镇人民政府');
  await page.fill('input[name=Leader]', '李副县长');
  await page.fill('textarea[name=Measures]', '镇村干部逐户走访，公开补偿明细');
  await page.fill('input[name=Deadline]', deadline);
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid=item-status]');
}

test('a screening item is recorded, followed up, converted into a case and kept by a backup', async () => {
  const office = new Profile();
  const fresh = new Profile();
  try {
    const page = await office.start(server.url);
    await setUpUnit(page);

    // Nothing is stored until the form is valid; each message sits by its field.
    await page.goto(server.url + '#/screening/new');
    await page.click('form button[type=submit]');
    await page.waitForSelector('.msg.bad:has-text("未保存任何内容")');
    assert.match(await page.textContent('label.field.invalid:has([name=Leader]) .error'), /包案领导/);
    await page.fill('input[name=Parties]', '草稿中的人');
    await page.reload();
    await page.waitForSelector('input[name=Parties]');
    assert.equal(await page.inputValue('input[name=Parties]'), '草稿中的人', 'the draft survives a reload');

    await recordItem(page, { parties: '张三、李四等', matter: '东村征地补偿款分配不均，村民拟集体上访' });
    assert.equal(await page.textContent('[data-testid=item-status]'), '未化解');
    assert.match(await page.textContent('.card'), /已超过化解期限/);
    const itemUrl = page.url();
    // A second, low-risk item with time left.
    await recordItem(page, { parties: '王五', matter: '两户宅基地边界纠纷', risk: 'Low', deadline: chinaDate(20) });

    // Follow-up: a future date is refused with a message, then a real one is recorded.
    await page.goto(itemUrl);
    await page.waitForSelector('[data-testid=follow-up]');
    await page.fill('input[name=follow_on]', chinaDate(3));
    await page.fill('textarea[name=follow_text]', '走访 12 户');
    await page.click('[data-testid=follow-up] button[type=submit]');
    await page.waitForSelector('[data-testid=follow-up] .msg.bad:has-text("跟进日期")');
    await page.fill('input[name=follow_on]', chinaDate(-1));
    await page.click('[data-testid=follow-up] button[type=submit]');
    await page.waitForSelector('[data-testid=item-status]:has-text("化解中")');
    assert.match(await page.textContent('[data-testid=item-history]'), /走访 12 户（化解中）/);

    // A revision is recorded with its reason and shows old and new values.
    await page.click('button:has-text("修改")');
    await page.fill('[data-testid=revise] input[name=Leader]', '赵县长');
    await page.click('[data-testid=revise] button[type=submit]');
    await page.waitForSelector('[data-testid=revise] .msg.bad:has-text("修改原因")');
    await page.fill('[data-testid=revise] input[name=reason]', '包案领导调整');
    await page.click('[data-testid=revise] button[type=submit]');
    await page.waitForSelector('[data-testid=item-history] .new:has-text("赵县长")');
    assert.equal(await page.textContent('td[data-field=Leader]'), '赵县长');

    // The workbench lists it as overdue and as high risk, not the other item.
    await page.goto(server.url + '#/workbench');
    await page.waitForSelector('[data-bucket=screening-overdue] .count');
    assert.equal(await page.textContent('[data-bucket=screening-overdue] .count'), '1');
    assert.equal(await page.textContent('[data-bucket=screening-high] .count'), '1');
    assert.match(await page.textContent('[data-bucket=screening-overdue]'), /东村征地补偿款/);

    // The register's list: search, filter and the Excel export read back.
    await page.goto(server.url + '#/screening');
    await page.waitForSelector('[data-testid=item-count]:has-text("共 2 条")');
    await page.fill('input[name=item_query]', '宅基地');
    await page.waitForSelector('[data-testid=item-count]:has-text("显示 1 条")');
    await page.fill('input[name=item_query]', '');
    await page.check('input[name=item_overdue]');
    await page.waitForSelector('[data-testid=item-count]:has-text("显示 1 条")');
    const xlsx = await download(page, 'button:has-text("导出 Excel")');
    const rows = readXlsx(xlsx);
    assert.equal(rows[0][0], '序号');
    assert.ok(rows[0].includes('包案领导') && rows[0].includes('状态'));
    assert.equal(rows.length, 2, 'the header and the one item shown');
    assert.ok(rows[1].includes('赵县长') && rows[1].includes('化解中'));
    assert.equal(rows[1][rows[0].indexOf('涉及人数')], 12, 'the head count is a number');

    // Convert into a case: the form is filled from the item; the clerk adds the rest.
    await page.goto(itemUrl);
    await page.click('a:has-text("转为信访事项")');
    await page.waitForSelector('[data-testid=converting]:has-text("由排查事项")');
    await page.waitForFunction(() => document.querySelector('input[name="petitioners.1.name"]')?.value === '李四');
    assert.equal(await page.inputValue('select[name=township]'), '城关镇');
    await page.selectOption('select[name=channel]', 'Visit');
    await page.selectOption('select[name=petition_type]', 'Claim');
    await page.click('form button[type=submit]');
    await page.locator('[data-testid=case-no], [data-testid=suggestions]').first().waitFor();
    if (await page.locator('[data-testid=suggestions]').count()) await page.click('button:has-text("仍然登记")');
    await page.waitForSelector('[data-testid=case-no]');
    const caseNo = await page.textContent('[data-testid=case-no]');
    await page.click('[data-testid=from-item]');
    await page.waitForSelector('[data-testid=item-case]');
    assert.equal(await page.textContent('[data-testid=item-status]'), '已转为信访事项');
    assert.match(await page.textContent('[data-testid=item-case]'), new RegExp(caseNo));
    assert.equal(await page.locator('a:has-text("转为信访事项")').count(), 0, 'no second conversion');

    // A new petition of 王五 in 城关镇 suggests the open item; choosing it links the two.
    await page.goto(server.url + '#/new');
    await page.selectOption('select[name=channel]', 'Letter');
    await page.fill('input[name="petitioners.0.name"]', '王五');
    await page.fill('input[name=title]', '邻居占用宅基地');
    await page.fill('textarea[name=request]', '请求确认宅基地边界');
    await page.selectOption('select[name=category]', 'Other');
    await page.selectOption('select[name=petition_type]', 'Claim');
    await page.selectOption('select[name=township]', '城关镇');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=item-suggestions]');
    await page.check('[data-testid=item-suggestions] input[type=radio] >> nth=1');
    await page.click('button:has-text("仍然登记")');
    await page.waitForSelector('[data-testid=from-item]:has-text("两户宅基地边界纠纷")');

    // The dashboard counts the register: two found in the last 30 days, none resolved.
    await page.goto(server.url + '#/dashboard');
    await page.fill('input[name=period_from]', chinaDate(-30));
    await page.fill('input[name=period_to]', chinaDate(0));
    await page.waitForSelector(`[data-testid=period]:has-text("${chinaDate(-30)} 至")`);
    await page.waitForSelector('[data-testid=screening-figures]');
    assert.match(await page.textContent('[data-figure=screening_found]'), /2 件/);
    assert.match(await page.textContent('[data-figure=screening_converted]'), /2 件/);
    assert.match(await page.textContent('[data-figure=screening_resolved]'), /0\.0%（0\/2）/);

    // A backup carries the register into a fresh browser.
    await page.goto(server.url + '#/settings');
    await page.fill('input[name=backup_passphrase]', '县信访局备份口令2026');
    await page.fill('input[name=backup_passphrase_again]', '县信访局备份口令2026');
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出备份")')]);
    const backup = await file.path();
    const b = await fresh.start(server.url);
    await b.waitForSelector('#restore');
    await b.setInputFiles('input[name=restore_file]', backup);
    await b.fill('input[name=restore_passphrase]', '县信访局备份口令2026');
    await b.fill('input[name=restore_operator_passphrase]', OPERATOR);
    await b.fill('input[name=restore_operator_passphrase_again]', OPERATOR);
    await b.click('button:has-text("恢复")');
    await b.waitForSelector('[data-testid=list-summary]:has-text("共 2 件")');
    await b.goto(server.url + '#/screening');
    await b.waitForSelector('[data-testid=item-count]:has-text("共 2 条")');
    await b.click('a:has-text("东村征地补偿款")');
    await b.waitForSelector('[data-testid=item-history]');
    assert.match(await b.textContent('[data-testid=item-history]'), /走访 12 户/);
    assert.match(await b.textContent('[data-testid=item-case]'), new RegExp(caseNo));
    assert.deepEqual([...office.errors, ...fresh.errors], []);
  } finally {
    await office.dispose();
    await fresh.dispose();
  }
});
